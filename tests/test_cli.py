"""The command line: exit codes, one-line messages, help for every command."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import SEED_NOTES, run_aula

from generator import __version__
from generator.cli import main


def test_version():
    result = run_aula("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_every_command_has_help():
    for name, command in main.commands.items():
        assert command.help, f"`aula {name}` has no help text"
        result = run_aula(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize(
    "files, message",
    [
        ({"course.yml": "title: [a\n", "01.md": "# A\n"}, "course.yml:2: YAML syntax error"),
        ({"course.yml": "title: A\ncolour: red\n", "01.md": "# A\n"}, "course.yml:2: unknown key `colour`"),
        ({"course.yml": "title: [1, 2]\n", "01.md": "# A\n"}, "course.yml:1: `title` must be a text, not a list"),
        ({"course.yml": "paper: a5\n", "01.md": "# A\n"}, "`paper` must be one of a4, letter"),
        ({"course.yml": "chapters: [01.md, 01.md]\n", "01.md": "# A\n"}, "chapter `01.md` is listed twice"),
        ({"course.yml": "theme: nowhere\n", "01.md": "# A\n"}, "theme not found: `nowhere`"),
        ({"01.md": "texto sin título\n"}, "01.md:1: chapter has no `#` title heading"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(make_course, tmp_path, files, message):
    root = make_course(files)
    result = run_aula("build", str(root), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_course_folder(tmp_path):
    result = run_aula("build", str(tmp_path / "nope"))
    assert result.exit_code == 1 and "course folder not found" in result.output


def test_debug_shows_the_traceback(make_course):
    root = make_course({"01.md": "sin título\n"})
    result = run_aula("build", str(root), "--debug")
    assert result.exit_code == 1 and result.exception is not None
    assert not isinstance(result.exception, SystemExit)


def test_unknown_format_is_a_user_error(make_course, tmp_path):
    root = make_course({"01.md": "# A\n"})
    result = run_aula("build", str(root), "-o", str(tmp_path), "--format", "poster")
    assert result.exit_code == 1 and "unknown output format `poster`" in result.output


@pytest.mark.slow
def test_failed_build_keeps_previous_outputs(make_course, tmp_path):
    root = make_course({"01.md": "# A\n\nTexto.\n"})
    out = tmp_path / "out"
    assert run_aula("build", str(root), "-o", str(out), "--edition", "student").exit_code == 0
    handout = out / "a-handout.pdf"
    before = handout.read_bytes()
    (root / "01.md").write_text("sin título\n", encoding="utf-8")
    assert run_aula("build", str(root), "-o", str(out), "--edition", "student").exit_code == 1
    assert handout.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(not SEED_NOTES.is_file(), reason="the seed notes are not beside the repository")
def test_seed_notes_build_with_warnings_once_lint_is_waived(tmp_path):
    course = tmp_path / "notes"
    course.mkdir()
    shutil.copy(SEED_NOTES, course)
    out = tmp_path / "out"
    # The notes teach two broken commands: the lint stage stops the build and says where ...
    result = run_aula("build", str(course), "-o", str(out), "--edition", "student")
    assert result.exit_code == 1
    assert "error: 2 lint errors: fix them, or build anyway with --no-lint" in result.output
    assert re.search(r"docker-notes-es\.md:\d+:\d+: error AU\d+", result.output)
    assert not out.exists()
    # ... and with --no-lint the messy notes still build, with warnings only.
    result = run_aula("build", str(course), "-o", str(out), "--edition", "student", "--no-lint")
    assert result.exit_code == 0, result.output
    assert "warning AU402" in result.output
    assert (out / "resumen-de-contenedores-y-docker-handout.pdf").stat().st_size > 10_000
