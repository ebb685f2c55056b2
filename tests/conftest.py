"""Shared fixtures: fixture courses and built outputs (built once per test session)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SAMPLE = HERE / "fixtures" / "sample"
REPO = HERE.parent
SEED_NOTES = REPO.parent / "shared" / "seed" / "docker-notes-es.md"


def write_course(root: Path, files: dict[str, str]) -> Path:
    """Create a course folder from `name: text` pairs (text is dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_course(tmp_path):
    """Return a function that writes a course folder under tmp_path."""

    def make(files: dict[str, str], name: str = "course") -> Path:
        return write_course(tmp_path / name, files)

    return make


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory) -> Path:
    """A copy of the sample course, so tests never write into the repository."""
    target = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(SAMPLE, target)
    return target
