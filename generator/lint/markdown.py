"""Check the Markdown of a course: images, links and anchors, fenced divs, code fences, exercises, heading levels."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from typing import Protocol

from generator.links import LinkIndex
from generator.model import (
    CALLOUT_KINDS,
    Block,
    Callout,
    Chapter,
    CodeBlock,
    Course,
    Emphasis,
    Heading,
    Image,
    InlineImage,
    Link,
    Location,
    Paragraph,
    Strikethrough,
    Strong,
    Table,
    child_blocks,
    is_external_href,
)

# (the block a finding is about, its location, column, code, message)
MarkdownHit = tuple[Block | None, Location, int, str, str]


class Sources(Protocol):
    """The chapters' text, read once (`generator.lint.SourceLines`)."""

    def line(self, location: Location) -> str: ...

    def locate(self, start: Location, needle: str) -> tuple[Location, int]: ...


def check_markdown(course: Course, sources: Sources) -> Iterator[MarkdownHit]:
    """Yield the Markdown problems of every chapter, each at its line and column."""
    links = LinkIndex(course)
    for chapter in course.chapters:
        yield from _headings(chapter)
        for block in chapter.blocks():
            yield from _callout(block)
            if isinstance(block, CodeBlock) and not block.closed and not block.indented:
                fence = Location(block.location.path, block.location.line - 1)
                yield block, fence, 1, "AU410", "this code fence is never closed: everything after it, to the end of " \
                    "its list item, quote or chapter, is shown as code; close it with a line of as many backticks " \
                    "(or tildes) as open it"
            if isinstance(block, Image):
                location, column = _start(block.location, block.src, sources)
                yield from _image(chapter, block, block.src, block.alt, location, column, block.decorative)
            for inline, location, column in _inlines(block, sources):
                if isinstance(inline, InlineImage):
                    yield from _image(chapter, block, inline.src, inline.alt, location, column, inline.decorative)
                elif isinstance(inline, Link):
                    yield from _link(chapter, block, inline.href, location, column, links)


# --- anchors and links -----------------------------------------------------------


def _link(chapter: Chapter, block: Block, href: str, location: Location, column: int, links: LinkIndex) -> Iterator[MarkdownHit]:
    if not href or is_external_href(href):
        return
    found = links.lookup(chapter, href)
    if found.target is not None:
        return
    if found.file is not None:
        if not os.path.exists(found.file):  # False, not an error, for a name too long
            target = href.partition("#")[0].split("?", 1)[0]
            yield block, location, column, "AU404", f"link to `{target}`, which does not exist"
        return
    anchor = href.partition("#")[2]
    where = f"chapter `{found.scope.path.name}`" if found.scope is not None else "the course"
    close = difflib.get_close_matches(anchor, sorted(found.known), n=1, cutoff=0.7)
    hint = f" (did you mean `#{close[0]}`?)" if close else ""
    yield block, location, column, "AU405", f"no heading or exercise in {where} has the anchor `#{anchor}`{hint}"


def _image(
    chapter: Chapter, block: Block, src: str, alt: str, location: Location, column: int, decorative: bool = False
) -> Iterator[MarkdownHit]:
    if not alt.strip() and not decorative:
        yield block, location, column, "AU403", f"image `{src}` has no alt text: describe it for readers who cannot " \
                                                "see it, or mark it `{.decorative}` if it says nothing they would miss"
    if "://" in src or src.startswith("//"):
        yield block, location, column, "AU402", f"remote image `{src}` is not fetched in the offline build: save it " \
                                                "under `images/`"
    elif src and not os.path.isfile(chapter.path.parent / src.split("?", 1)[0]):
        yield block, location, column, "AU401", f"image `{src}` not found (paths are relative to the chapter file)"


# --- structure ---------------------------------------------------------------------


def _callout(block: Block) -> Iterator[MarkdownHit]:
    if not isinstance(block, Callout):
        return
    if block.kind not in CALLOUT_KINDS:
        close = difflib.get_close_matches(block.kind, CALLOUT_KINDS, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"known kinds: {', '.join(CALLOUT_KINDS)}"
        yield block, block.location, 1, "AU406", f"unknown fenced div `::: {block.kind}` ({hint})"
    if not block.closed:
        yield block, block.location, 1, "AU407", f"`::: {block.kind}` is never closed: add a line `:::` after its content"
    if block.kind == "exercise" and block.solution is None:
        yield block, block.location, 1, "AU408", f"exercise {block.number} (`{block.title or 'sin título'}`) has no " \
                                                 "`::: solution` after it or inside it"


def _headings(chapter: Chapter) -> Iterator[MarkdownHit]:
    previous = 1
    for section in chapter.sections:
        if section.title:
            previous = section.level  # `#` or `##`: never a skip after the chapter's `#`
        for block in _walk(section.blocks):
            if isinstance(block, Heading):
                if block.level > previous + 1:
                    marks = "#" * block.level
                    yield block, block.location, 1, "AU409", f"`{marks}` heading after a level-{previous} heading: " \
                                                             f"use `{'#' * (previous + 1)}`"
                previous = block.level


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from _walk(child_blocks(block))


# --- inline runs with their place ---------------------------------------------------


def _inlines(block: Block, sources: Sources) -> Iterator[tuple[Link | InlineImage, Location, int]]:
    """Yield the links and inline images of a block (not of its children), each at its line and column."""
    runs: tuple = ()
    if isinstance(block, (Paragraph, Heading)):
        runs = block.inlines
    elif isinstance(block, Table):
        runs = tuple(run for row in (block.header, *block.rows) for cell in row for run in cell)
    for run in _flatten(runs):
        yield run, *_start(block.location, run.href if isinstance(run, Link) else run.src, sources)


def _start(start: Location, target: str, sources: Sources) -> tuple[Location, int]:
    """Return the line and column of the `[` (or `![`) that opens the link or image to `target`."""
    location, column = sources.locate(start, f"]({target}")
    line = sources.line(location) if column else ""
    index, depth = column - 2, 0
    while index >= 0 and line:
        char = line[index]
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return location, index + (0 if index and line[index - 1] == "!" else 1)
            depth -= 1
        index -= 1
    return location, column


def _flatten(runs: tuple) -> Iterator[Link | InlineImage]:
    for run in runs:
        if isinstance(run, (Link, InlineImage)):
            yield run
        if isinstance(run, (Emphasis, Strong, Strikethrough, Link)):
            yield from _flatten(run.children)

