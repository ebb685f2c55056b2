"""Aula's Dockerfile parser against BuildKit's own, on every Dockerfile of the corpus.

BuildKit's parser is on PyPI as `dockerfile` (a Go extension, without a wheel
for every platform), so its parses are recorded in `tests/lint/buildkit.json`
by `scripts/buildkit_golden.py` and compared here on every machine: each
instruction's name, lines, flags, arguments, exec form and here-documents.
Where the library is installed, the record is checked to be current.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lint_cases import CORPUS, DOCKERFILE_EXTRA, read_cases

from generator.lint.dockerfile_syntax import parse_dockerfile

REPO = Path(__file__).resolve().parent.parent
GOLDEN = json.loads((CORPUS / "buildkit.json").read_text(encoding="utf-8"))["cases"]


def test_the_record_covers_every_dockerfile_of_the_corpus() -> None:
    recorded = [case["text"] for case in GOLDEN]
    assert recorded == [case.code for case in read_cases(CORPUS / "dockerfile.txt")] + DOCKERFILE_EXTRA, (
        "the corpus changed: run scripts/buildkit_golden.py"
    )
    assert sum(case["buildkit"] is not None for case in GOLDEN) >= 40


@pytest.mark.parametrize("case", [c for c in GOLDEN if c["buildkit"] is not None], ids=lambda c: c["text"].split("\n")[1][:40])
def test_same_instructions_as_buildkit(case: dict) -> None:
    theirs = case["buildkit"]
    ours = parse_dockerfile(case["text"]).instructions
    assert [(i.name, i.line) for i in ours] == [(c["name"], c["start_line"]) for c in theirs]
    for mine, command in zip(ours, theirs, strict=True):
        assert mine.end_line >= command["end_line"]
        assert [f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in mine.flags] == command["flags"]
        assert (mine.json is not None) == command["json"]
        if command["json"]:
            assert list(mine.json) == command["value"]
        assert [h.name for h in mine.heredocs] == [h["name"] for h in command["heredocs"]]
        assert [h.body for h in mine.heredocs] == [h["content"] for h in command["heredocs"]]
        if command["name"] in ("RUN", "CMD", "ENTRYPOINT", "SHELL") and not command["json"] and not command["heredocs"]:
            assert mine.args == command["value"][0]


def test_the_record_is_what_buildkit_says_today() -> None:
    pytest.importorskip("dockerfile")
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "buildkit_golden.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
