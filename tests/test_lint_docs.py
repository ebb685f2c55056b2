"""docs/lint-rules.md documents every rule, and its examples do what they say.

Each `### RULE` section holds an example marked `{.bad-example}` that must
trigger the rule and a second one that must not. Markdown examples are linted
as a one-chapter course; the others as code of their fence's kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.lint import check_code, lint_course
from generator.lint.rules import RULES
from generator.model import CodeKind

DOCS = Path(__file__).resolve().parent.parent / "docs" / "lint-rules.md"
KINDS = {"dockerfile": CodeKind.DOCKERFILE, "yaml": CodeKind.COMPOSE, "console": CodeKind.CONSOLE, "sh": CodeKind.SCRIPT}
NO_EXAMPLE = {"AU900"}  # a crash of the linter has no example


def sections() -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Return each `### RULE` heading, in order (twice if written twice), with its fences as (language, text, is_bad_example)."""
    result: list[tuple[str, list[tuple[str, str, bool]]]] = []
    in_heading = in_rule = False
    for token in MarkdownIt("commonmark").parse(DOCS.read_text(encoding="utf-8")):
        if token.type == "heading_open":
            in_heading, in_rule = token.tag == "h3", False
        elif token.type == "inline" and in_heading:
            result.append((token.content, []))
            in_heading, in_rule = False, True
        elif token.type == "fence" and in_rule:
            language = token.info.split()[0] if token.info.split() else ""
            result[-1][1].append((language, token.content, "bad-example" in token.info))
    return result


SECTIONS = dict(sections())


def test_every_rule_is_documented_once() -> None:
    headings = [heading for heading, _ in sections()]
    assert sorted(headings) == sorted(RULES), "each rule once, and nothing else"


def codes_of(language: str, text: str, tmp_path: Path) -> set[str]:
    if language == "markdown":
        from generator.config import load_config
        from generator.parse import parse_course

        (tmp_path / "01-ejemplo.md").write_text(text, encoding="utf-8")
        return {f.code for f in lint_course(parse_course(load_config(tmp_path)))}
    return {hit.code for hit in check_code(text, KINDS[language])}


@pytest.mark.parametrize("code", sorted(set(RULES) - NO_EXAMPLE))
def test_examples(code: str, tmp_path: Path) -> None:
    fences = SECTIONS[code]
    assert len(fences) == 2 and fences[0][2] and not fences[1][2], "a bad example, then a good one"
    (bad_language, bad, _), (good_language, good, _) = fences
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    assert code in codes_of(bad_language, bad, tmp_path / "bad")
    assert code not in codes_of(good_language, good, tmp_path / "good")


def test_documented_severities_match_the_catalogue() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, rule in RULES.items():
        match = re.search(rf"^### {re.escape(code)}\n\n\*\*(\w+)\*\*", text, re.MULTILINE)
        assert match and match.group(1) == rule.severity, code
