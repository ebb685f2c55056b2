"""An output folder or cache that cannot be written: one line and exit 1 for the outputs,
one warning and a build that goes on for the cache; old outputs never touched.

Read-only folders and a full disk are real ones (a read-only bind mount, a small
tmpfs) where the tests run as root, as in CI; file modes stand in otherwise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import output_files as outputs

from generator.cli import main

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

COURSE = {
    "course.yml": 'title: Curso corto\ndate: "2026-11-28"\n',
    "01-uno.md": "# Uno\n\n## Primera\n\nTexto del primer capítulo.\n\n```console\n$ docker ps\n```\n",
    "02-dos.md": "# Dos\n\n## Segunda\n\nTexto del segundo capítulo.\n",
}
FORMATS = ["--format", "handout,cheatsheet", "--edition", "student"]


def run(course: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", str(course), "-o", str(out), "--jobs", "1", "-q", *FORMATS, *extra])


def edit(course: Path) -> None:
    path = course / "01-uno.md"
    path.write_text(path.read_text() + "\nOtra frase.\n\n```console\n$ docker images\n```\n")


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError), result.output
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only for this process: a read-only bind mount as root, file modes otherwise."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")] if path.is_dir()}
        for path in modes:
            path.chmod(0o555)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    if not _can_mount() or subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode:
        pytest.skip("running as root without mount(8) or the right to bind-mount: no way to make a folder read-only")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True, capture_output=True)


@pytest.fixture
def built(make_course, tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    course = make_course(COURSE)
    out = tmp_path / "out"
    assert run(course, out).exit_code == 0
    return course, out, outputs(out)


def test_read_only_output_folder_is_one_line_and_keeps_the_outputs(built):
    course, out, before = built
    edit(course)
    with read_only(out):
        result = run(course, out)
    assert_one_line_error(result, "cannot write into", str(out), "Read-only file system" if os.geteuid() == 0 else "Permission denied")
    assert outputs(out) == before


def test_read_only_cache_is_one_warning_and_the_build_goes_on(built):
    course, out, before = built
    edit(course)
    with read_only(out / ".aula-cache"):
        result = run(course, out)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "W-cache" in line]
    assert len(warnings) == 1 and str(out / ".aula-cache") in warnings[0], result.output
    assert outputs(out) != before and "Traceback" not in result.output


def test_output_folder_that_is_a_file(make_course, tmp_path):
    course = make_course(COURSE)
    out = tmp_path / "out"
    out.write_text("a file, not a folder")
    assert_one_line_error(run(course, out), "cannot write into", str(out))
    assert out.read_text() == "a file, not a folder"


def test_cache_folder_that_is_a_file_is_a_warning(make_course, tmp_path):
    course = make_course(COURSE)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".aula-cache").write_text("not a folder")
    result = run(course, out)
    assert result.exit_code == 0, result.output
    assert "W-cache" in result.output and (out / "curso-corto-handout.pdf").is_file()


def test_failure_on_the_second_output_leaves_the_first_untouched(built):
    """`slides` is a file where the decks' folder should be: found before any output is replaced."""
    course, out, before = built
    (out / "slides").write_text("in the way")
    edit(course)
    result = run(course, out, "--format", "handout,cheatsheet,slides")
    assert_one_line_error(result, str(out / "slides"))
    assert outputs(out) == {**before, "slides": b"in the way"}
    assert not [p for p in out.rglob("*.part")]


def test_an_output_that_is_a_folder(built):
    course, out, before = built
    (out / "build.json").unlink()
    (out / "build.json").mkdir()
    edit(course)
    assert_one_line_error(run(course, out), str(out / "build.json"))
    assert {k: v for k, v in outputs(out).items()} == {k: v for k, v in before.items() if k != "build.json"}


@pytest.mark.skipif(not _can_mount(), reason="a tmpfs needs root and mount(8)")
def test_full_disk_is_one_line_and_keeps_the_outputs(make_course, tmp_path):
    course = make_course(COURSE)
    out = tmp_path / "out"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert run(course, out).exit_code == 0
        before = outputs(out)
        filler = out / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
        edit(course)
        result = run(course, out)
        assert_one_line_error(result, "No space left on device")
        filler.unlink()
        assert outputs(out) == before
        assert not [p for p in out.rglob("*.part")]
    finally:
        subprocess.run(["umount", str(out)], check=True, capture_output=True)
