"""The state simulation: a course followed in order, on a model of the student's machine.

`tests/lint/state.txt` holds one-chapter courses (format: `lint_cases.py`) with
the state findings (`AU6xx`) expected at their Markdown lines; every expected
finding must be reported, and no other state finding. The tests below pin what
a corpus case cannot show: several chapters, `lint: {state: chapter}`, the cause
of each finding, the timing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lint_cases import CORPUS, Case, read_cases

from generator.config import load_config
from generator.errors import ConfigError
from generator.lint import Finding, lint_course
from generator.parse import parse_course

CASES = read_cases(CORPUS / "state.txt")


def state_findings(course_dir: Path) -> list[Finding]:
    config = load_config(course_dir)
    findings = lint_course(parse_course(config), config.lint_ignore, state=config.lint_state)
    return [f for f in findings if f.code.startswith("AU6")]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}:{c.line}")
def test_state_case(case: Case, tmp_path: Path) -> None:
    (tmp_path / "01-caso.md").write_text(case.code, encoding="utf-8")
    findings = state_findings(tmp_path)
    reported = sorted((f.location.line, f.code) for f in findings)
    details = "\n".join(f"  {f}" for f in findings)
    assert reported == sorted((line, code) for line, _, code in case.expected), f"{case.title}\nreported:\n{details}"


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 30
    assert sum(not case.expected for case in CASES) >= 10, "clean sequences too"
    from generator.lint.rules import RULES

    state_rules = {code for code, rule in RULES.items() if rule.family == "state"}
    assert state_rules <= {code for case in CASES for _, _, code in case.expected}, "every state rule has a case"


def write_course(root: Path, chapters: dict[str, str], config: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in chapters.items():
        (root / name).write_text(text, encoding="utf-8")
    if config:
        (root / "course.yml").write_text(config, encoding="utf-8")
    return root


CHAPTERS = {
    "01-uno.md": "# Uno\n\n```console\n$ docker run -d --name web -p 8080:80 nginx:1.27\n```\n",
    "02-dos.md": "# Dos\n\n```console\n$ docker run -d --name otro -p 8080:80 nginx:1.27\n$ docker rm -f otro\n```\n",
}


def test_one_machine_through_the_course_names_the_cause_in_another_chapter(tmp_path: Path) -> None:
    findings = state_findings(write_course(tmp_path, CHAPTERS))
    conflict = next(f for f in findings if f.code == "AU602")
    assert (conflict.location.path.name, conflict.location.line, conflict.column) == ("02-dos.md", 4, 32)
    assert conflict.message == "port 8080 is still published by `web` (01-uno.md:4)"
    assert [(r.path.name, r.line) for r in conflict.related] == [("01-uno.md", 4)]
    assert conflict.severity == "warning"
    left = next(f for f in findings if f.code == "AU611")
    assert (left.location.path.name, left.location.line, left.severity) == ("01-uno.md", 4, "info")


def test_each_chapter_on_a_clean_machine(tmp_path: Path) -> None:
    """The teacher resets the machines between chapters: nothing clashes, nothing is left over."""
    assert state_findings(write_course(tmp_path, CHAPTERS, "lint:\n  state: chapter\n")) == []


def test_lint_state_must_be_course_or_chapter(tmp_path: Path) -> None:
    write_course(tmp_path, CHAPTERS, "lint:\n  state: capitulo\n")
    with pytest.raises(ConfigError, match="`lint.state` must be one of course, chapter, not `capitulo`"):
        load_config(tmp_path)


def test_course_wide_ignore(tmp_path: Path) -> None:
    assert state_findings(write_course(tmp_path, CHAPTERS, "lint:\n  ignore: [AU602, AU611]\n")) == []


def test_json_and_sarif_carry_the_cause(tmp_path: Path) -> None:
    import json

    from generator.lint.findings import format_json, format_sarif

    findings = [f for f in state_findings(write_course(tmp_path, CHAPTERS)) if f.code == "AU602"]
    record = json.loads(format_json(findings))[0]
    assert record["related"] == [{"path": str(tmp_path / "01-uno.md"), "line": 4}]
    result = json.loads(format_sarif(findings, base=tmp_path))["runs"][0]["results"][0]
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "01-uno.md"
    assert result["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 4}


CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.mark.skipif(not any(CONTENT.glob("*.md")), reason="no course in content/")
def test_the_bundled_course_runs_in_order() -> None:
    config = load_config(CONTENT)
    assert [str(f) for f in state_findings(CONTENT) if config.lint_state == "course"] == []


@pytest.mark.skipif(not any(CONTENT.glob("*.md")), reason="no course in content/")
def test_the_simulation_is_fast() -> None:
    from generator.state.simulate import simulate

    course = parse_course(load_config(CONTENT))
    simulate(course)  # imports, and the shell blocks read once (lint reads them too)
    started = time.perf_counter()
    simulate(course)
    assert time.perf_counter() - started < 0.1
