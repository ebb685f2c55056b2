"""The course tests itself: one test per Dockerfile, compose file and docker command in `content/`.

Test ids name the place (`08-crear-imagenes.md:117:dockerfile`), so a broken
example fails CI by name. A test fails on the lint errors of its example and
reports its warnings as pytest warnings (`aula lint --strict content` is the
stricter gate). The course's silencing (fence `ignore`, `<!-- aula: ignore -->`
comments, `lint.ignore` in course.yml) and `{.bad-example}` apply as in `aula lint`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from generator.docker.commands import read_shell
from generator.lint import Finding, lint_course
from generator.model import CodeBlock, CodeKind

CONTENT = Path(__file__).resolve().parent.parent / "content"


@dataclass(frozen=True)
class Example:
    path: Path
    first_line: int
    last_line: int
    kind: str

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.first_line}:{self.kind}"


@cache
def course_findings() -> tuple[list[Example], list[Finding]]:
    """Parse and lint the course once; return its examples and all its findings."""
    from generator.config import load_config
    from generator.parse import parse_course

    config = load_config(CONTENT)
    course = parse_course(config)
    examples: list[Example] = []
    for chapter, block in course.blocks():
        if not isinstance(block, CodeBlock):
            continue
        start = block.location.line
        if block.kind in (CodeKind.DOCKERFILE, CodeKind.COMPOSE):
            length = max(block.text.count("\n"), 1)
            examples.append(Example(chapter.path, start, start + length - 1, block.kind.value))
        elif block.kind in (CodeKind.CONSOLE, CodeKind.SCRIPT):
            for command in read_shell(block.text, console=block.kind is CodeKind.CONSOLE).commands:
                examples.append(
                    Example(chapter.path, start + command.first_line - 1, start + command.last_line - 1, "command")
                )
    return examples, lint_course(course, config.lint_ignore, state=config.lint_state)


def examples() -> list:
    if not CONTENT.is_dir() or not any(CONTENT.glob("*.md")):
        return [pytest.param(None, marks=pytest.mark.skip(reason="no course in content/"))]
    return [pytest.param(example, id=example.id) for example in course_findings()[0]]


@pytest.mark.parametrize("example", examples())
def test_example(example: Example) -> None:
    findings = [
        f
        for f in course_findings()[1]
        if f.location.path == example.path and example.first_line <= f.location.line <= example.last_line
    ]
    for finding in findings:
        if finding.severity == "warning":
            warnings.warn(str(finding), stacklevel=1)
    errors = [str(f) for f in findings if f.severity == "error"]
    assert not errors, "\n".join(errors)


def test_course_has_examples() -> None:
    if not CONTENT.is_dir():
        pytest.skip("no course in content/")
    kinds = {example.kind for example in course_findings()[0]}
    assert kinds == {"dockerfile", "compose", "command"}


def chapters() -> list:
    if not CONTENT.is_dir() or not any(CONTENT.glob("*.md")):
        return [pytest.param(None, marks=pytest.mark.skip(reason="no course in content/"))]
    return [pytest.param(path, id=f"{path.name}:markdown") for path in sorted(CONTENT.glob("*.md"))]


@pytest.mark.parametrize("chapter", chapters())
def test_markdown(chapter: Path) -> None:
    """The chapter's prose: broken links, missing images, unclosed divs (what no code example covers)."""
    examples, findings = course_findings()
    covered = [(e.first_line, e.last_line) for e in examples if e.path == chapter]
    own = [f for f in findings if f.location.path == chapter and not any(a <= f.location.line <= b for a, b in covered)]
    for finding in own:
        if finding.severity == "warning":
            warnings.warn(str(finding), stacklevel=1)
    errors = [str(f) for f in own if f.severity == "error"]
    assert not errors, "\n".join(errors)
