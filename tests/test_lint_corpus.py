"""The linter on a corpus of deliberately broken and deliberately clean snippets (format: `lint_cases.py`).

Every expected finding must be reported, and nothing else may be.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import CORPUS, KINDS, Case, read_cases

from generator.lint import check_code


def all_cases() -> list[Case]:
    return [case for name in KINDS for case in read_cases(CORPUS / name)]


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.file}:{c.line}")
def test_corpus_case(case: Case) -> None:
    hits = check_code(case.code, KINDS[case.file])
    reported = sorted((h.line, h.column, h.code) for h in hits)
    wanted = sorted(case.expected)
    # A column of 0 in the corpus means "any column".
    comparable = sorted((line, column if any(c and (low, r) == (line, rule) for low, c, r in wanted) else 0, rule)
                        for line, column, rule in reported)
    details = "\n".join(f"  {h.line}:{h.column} {h.code} {h.message}" for h in hits)
    assert comparable == wanted, f"{case.title}\nreported:\n{details}"
    assert all(h.message for h in hits)


def test_corpus_is_large_enough() -> None:
    cases = all_cases()
    assert len(cases) >= 60
    for name in KINDS:
        assert sum(c.file == name for c in cases) >= 8, name
    assert sum(not c.expected for c in cases) >= 12, "the corpus needs clean cases too"


# --- Markdown: whole chapters through the parser, expected at Markdown lines ---------------


def chapter_cases() -> list[Case]:
    return read_cases(CORPUS / "markdown.txt")


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (tmp_path / "02-otro.md").write_text("# Otro\n\n## Destino\n\nTexto.\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("case", chapter_cases(), ids=lambda c: f"{c.file}:{c.line}")
def test_chapter_case(case: Case, course_dir: Path) -> None:
    from generator.config import load_config
    from generator.lint import lint_course
    from generator.parse import parse_course

    chapter = course_dir / "01-caso.md"
    chapter.write_text(case.code, encoding="utf-8")
    findings = [f for f in lint_course(parse_course(load_config(course_dir))) if f.location.path == chapter]
    reported = sorted((f.location.line, f.column, f.code) for f in findings)
    details = "\n".join(f"  {f}" for f in findings)
    assert reported == sorted(case.expected), f"{case.title}\nreported:\n{details}"
