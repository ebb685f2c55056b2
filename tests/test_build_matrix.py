"""Every way of asking for a build gives the same files: formats alone or together,
one process or several, cold, with nothing changed, or after a one-chapter edit.

The reference for each case is a cold `--jobs 1` build of the same course text,
from the same folder (outputs name their images by path).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE
from conftest import output_files as files

from generator.cli import main

pytestmark = pytest.mark.slow

FORMAT_SETS = ["handout", "slides", "cheatsheet", "site", "handout,slides,cheatsheet,site"]
EDITED = "02-practica.md"


def build(course: Path, out: Path, formats: str, jobs: int) -> list[str]:
    """Run `aula build` and return the paths it says it wrote, relative to `out`."""
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(out), "--format", formats, "--jobs", str(jobs), "-q", "--no-lint"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None, result.output
    return sorted(str(Path(line.split(" ", 1)[1]).relative_to(out)) for line in result.output.splitlines() if line.startswith("wrote "))


def edit(course: Path) -> None:
    """A one-sentence prose edit: it changes the handouts and decks, not the commands of the cheat sheet."""
    path = course / EDITED
    path.write_text(path.read_text(encoding="utf-8") + "\nUna frase más al final del capítulo.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> tuple[Path, dict[str, dict[str, bytes]], dict[str, dict[str, bytes]]]:
    """The course folder, and the cold `--jobs 1` outputs of each format set before and after the edit."""
    root = tmp_path_factory.mktemp("matrix")
    course = root / "course"
    shutil.copytree(SAMPLE, course)
    before, after = {}, {}
    for formats in FORMAT_SETS:
        build(course, root / f"before-{formats}", formats, jobs=1)
        before[formats] = files(root / f"before-{formats}")
    edit(course)
    for formats in FORMAT_SETS:
        build(course, root / f"after-{formats}", formats, jobs=1)
        after[formats] = files(root / f"after-{formats}")
    shutil.rmtree(course)
    return root, before, after


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("formats", FORMAT_SETS)
def test_cold_noop_and_edit_builds_match_a_cold_serial_build(references, formats, jobs, monkeypatch):
    root, before, after = references
    course = root / "course"
    shutil.copytree(SAMPLE, course)
    try:
        out = root / f"out-{formats}-{jobs}"
        build(course, out, formats, jobs)
        assert files(out) == before[formats]
        assert build(course, out, formats, jobs) == []  # nothing changed: nothing written
        assert files(out) == before[formats]
        edit(course)
        written = build(course, out, formats, jobs)
        assert files(out) == after[formats]
        changed = {path for path, data in after[formats].items() if before[formats].get(path) != data}
        assert set(written) == changed - {"build.json"}
    finally:
        shutil.rmtree(course)
