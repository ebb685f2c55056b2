"""The lint stage: findings for the Dockerfiles, compose files, docker commands and Markdown of a course.

`lint_course` is the entry point. Each family module checks the text of one
code block and reports `Hit`s at block lines; this module maps them to
Markdown lines and columns, applies the three silencing mechanisms (an
`ignore="…"` fence attribute, an `<!-- aula: ignore … -->` comment right
before a block, `lint: {ignore: […]}` in course.yml) and the bad-example rule:
a `{.bad-example}` block's findings are only `info`, and one with no finding
at all is itself reported.

A file shown growing over several blocks (the same `title=`, each version
holding the lines of the one before) is checked whole in its last version
only; the earlier ones are fragments, checked for what they show (a wrong
instruction or key) but not for what they do not show yet.

Nothing here is imported before it is needed: a course without a compose file
never loads the JSON-schema validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.config import CONFIG_NAME
from generator.lint.findings import Finding, Hit
from generator.lint.rules import RULES, Severity, is_known, silenced
from generator.model import Block, Chapter, CodeBlock, CodeKind, Course, HtmlBlock, Location, child_blocks

__all__ = ["Finding", "lint_course", "lint_block", "LINTED_KINDS"]

LINTED_KINDS = (CodeKind.DOCKERFILE, CodeKind.COMPOSE, CodeKind.CONSOLE, CodeKind.SCRIPT)
_FENCE_LINE = re.compile(r"^\s*(?:`{3,}|~{3,})")
_IGNORE_COMMENT = re.compile(r"<!--\s*aula:\s*ignore\s+([\w\s,-]+?)\s*-->", re.IGNORECASE)


def lint_course(course: Course, ignore: tuple[str, ...] = (), hadolint: bool = False, state: str = "course") -> list[Finding]:
    """Return every finding of the course, sorted by file, line and column.

    `ignore` holds rule ids silenced everywhere (course.yml's `lint.ignore`);
    `hadolint` adds the findings of a `hadolint` binary on the PATH; `state`
    says whether the state simulation follows one machine through the whole
    `course` or starts each `chapter` on a clean one (course.yml's `lint.state`).
    """
    ignored = frozenset(ignore)
    sources = SourceLines()
    findings: list[Finding] = []
    for code in ignore:
        if not is_known(code):
            config = Location(course.root / CONFIG_NAME, 1)
            findings.append(Finding(config, 0, "warning", "AU902", f"`lint.ignore` names `{code}`, which is no rule"))
    comments = {id(block): codes for chapter in course.chapters for block, codes in _comment_ignores(chapter)}
    earlier = {id(block) for chapter in course.chapters for block in earlier_versions(chapter)}
    for _chapter, block in course.blocks():
        if isinstance(block, CodeBlock):
            extra = comments.get(id(block), frozenset())
            findings.extend(lint_block(block, ignored | extra, sources, hadolint=hadolint, fragment=id(block) in earlier))
    from generator.lint.state import check_state

    def codes_for(block: CodeBlock) -> frozenset[str]:
        return ignored | comments.get(id(block), frozenset()) | _attribute_ignores(block)

    findings.extend(check_state(course, state == "chapter", codes_for, sources.column))
    from generator.lint.markdown import check_markdown

    for about, location, column, code, message in check_markdown(course, sources):
        codes = ignored | comments.get(id(about), frozenset())
        if not silenced(code, codes):
            findings.append(Finding(location, column, RULES[code].severity, code, message))
    return sorted(findings, key=lambda f: f.sort_key)


def lint_block(
    block: CodeBlock,
    ignore: frozenset[str] = frozenset(),
    sources: SourceLines | None = None,
    hadolint: bool = False,
    fragment: bool = False,
) -> list[Finding]:
    """Return the findings of one code block, at Markdown lines (silencing and bad-example rules applied).

    `fragment` says the block shows part of a file (see `earlier_versions`).
    """
    sources = sources or SourceLines()
    codes = ignore | _attribute_ignores(block)
    findings: list[Finding] = []
    for code in sorted(_attribute_ignores(block)):
        if not is_known(code):
            findings.append(Finding(block.location, 0, "warning", "AU902", f"`ignore` names `{code}`, which is no rule"))
    if block.kind not in LINTED_KINDS:
        return findings
    try:
        hits = check_code(_shown_as_code(block), block.kind, block.has_class("synopsis"), fragment, named=bool(block.title))
        if hadolint and block.kind is CodeKind.DOCKERFILE:
            from generator.lint.hadolint import hadolint_hits

            hits = _merge(hits, hadolint_hits(block.text))
    except Exception as error:  # a bug in a rule must not hide the other findings
        hits = [Hit(1, 0, "AU900", f"{type(error).__name__}: {error}")]
    bad_example = block.has_class("bad-example")
    lines = block.text.split("\n")
    for hit in sorted(hits, key=lambda h: (h.line, h.column, h.code)):
        if silenced(hit.code, codes):
            continue
        location = Location(block.location.path, block.location.line + hit.line - 1)
        column = sources.column(location, lines[hit.line - 1] if hit.line <= len(lines) else "", hit.column)
        rule = RULES.get(hit.code)
        severity: Severity = hit.severity or (rule.severity if rule else "warning")
        if bad_example and hit.code != "AU900":
            severity = "info"
        findings.append(Finding(location, column, severity, hit.code, hit.message))
    if bad_example and not hits and not silenced("AU901", codes):
        findings.append(Finding(block.location, 0, RULES["AU901"].severity, "AU901",
                                "this `{.bad-example}` shows no lint finding: fix the example or drop the class"))
    return findings


def check_code(text: str, kind: CodeKind, synopsis: bool = False, fragment: bool = False, named: bool = True) -> list[Hit]:
    """Return the hits of one piece of code of a linted kind, at lines of `text`.

    `fragment`: the code is part of a file; `named`: it has a file name (a Compose block
    without one, whose services say nothing of what to run, illustrates some keys).
    """
    if kind is CodeKind.DOCKERFILE:
        from generator.lint.dockerfile import check_dockerfile

        return check_dockerfile(text, synopsis, fragment)
    if kind is CodeKind.COMPOSE:
        from generator.lint.compose import check_compose

        return check_compose(text, fragment, named)
    if kind in (CodeKind.CONSOLE, CodeKind.SCRIPT):
        from generator.lint.commands import check_commands

        return check_commands(text, console=kind is CodeKind.CONSOLE, synopsis=synopsis)
    return []


def _merge(ours: list[Hit], theirs: Iterable[Hit]) -> list[Hit]:
    """Add hadolint's hits that do not repeat one of ours on the same line."""
    seen = {(h.line, code) for h in ours for code in (h.code, *RULES[h.code].aliases) if h.code in RULES}
    return ours + [h for h in theirs if (h.line, h.code) not in seen]


def _shown_as_code(block: CodeBlock) -> str:
    """Return the code of a block; of a fence never closed (AU410), only what comes before a line that looks like
    its intended end (```` ``` ```` under ```` ```` ````), since the rest is the chapter's prose."""
    if block.closed:
        return block.text
    lines = block.text.split("\n")
    end = next((i for i, line in enumerate(lines) if _FENCE_LINE.match(line)), len(lines))
    return "\n".join(lines[:end])


def earlier_versions(chapter: Chapter) -> list[CodeBlock]:
    """Return the blocks of a chapter that a later block of the same title and kind shows again, grown.

    The later block holds every line of the earlier one (blank lines, comments
    and elisions aside): the same file being written step by step. Blocks that
    only share a usual name (`Dockerfile`, `compose.yaml`) are separate files.
    """
    named = [b for b in chapter.blocks() if isinstance(b, CodeBlock) and b.title and b.kind in LINTED_KINDS]
    lines = {id(block): _significant_lines(block.text) for block in named}
    return [
        block
        for index, block in enumerate(named)
        if lines[id(block)]
        and any(
            later.title == block.title and later.kind is block.kind and lines[id(block)] <= lines[id(later)]
            for later in named[index + 1 :]
        )
    ]


def _significant_lines(text: str) -> frozenset[str]:
    stripped = (line.strip() for line in text.splitlines())
    return frozenset(line for line in stripped if line and not line.startswith("#") and line not in ("...", "…"))


def _attribute_ignores(block: CodeBlock) -> frozenset[str]:
    return frozenset(code for code in re.split(r"[\s,]+", block.attributes.get("ignore", "")) if code)


def _comment_ignores(chapter: Chapter) -> Iterator[tuple[Block, frozenset[str]]]:
    """Yield each block preceded by an `<!-- aula: ignore … -->` comment, with the codes it names."""
    for section in chapter.sections:
        yield from _siblings(section.blocks)


def _siblings(blocks: tuple[Block, ...]) -> Iterator[tuple[Block, frozenset[str]]]:
    previous: Block | None = None
    for block in blocks:
        if isinstance(previous, HtmlBlock):
            match = _IGNORE_COMMENT.search(previous.text)
            if match:
                yield block, frozenset(c for c in re.split(r"[\s,]+", match.group(1)) if c)
        yield from _siblings(child_blocks(block))
        previous = block


class SourceLines:
    """Reads each chapter once, to turn a column in a code line into a column in the Markdown file."""

    def __init__(self) -> None:
        self._lines: dict[Path, list[str]] = {}

    def line(self, location: Location) -> str:
        lines = self._lines.get(location.path)
        if lines is None:
            try:
                lines = Path(location.path).read_text(encoding="utf-8-sig").split("\n")
            except (OSError, UnicodeDecodeError):
                lines = []
            self._lines[location.path] = lines
        return lines[location.line - 1] if 0 < location.line <= len(lines) else ""

    def column(self, location: Location, code_line: str, column: int) -> int:
        """Return the Markdown column of `column` in `code_line` (the code's indentation added)."""
        if column <= 0:
            return 0
        source = self.line(location)
        offset = source.find(code_line) if code_line.strip() else -1
        return column + max(offset, 0)

    def locate(self, start: Location, needle: str) -> tuple[Location, int]:
        """Return where `needle` first appears at or after `start` (within 200 lines), else `start`."""
        for line in range(start.line, start.line + 200):
            location = Location(start.path, line)
            index = self.line(location).find(needle)
            if index >= 0:
                return location, index + 1
        return start, 0
