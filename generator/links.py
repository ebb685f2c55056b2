"""Where the links of a course lead: one index of its link targets, for the linter and every renderer.

A target is a place a hand-written link may name: a chapter, a section, a
heading, an exercise, a code block with an `id`. Each has an anchor (written
in either common spelling: `#imágenes` or `#im-genes`) and the id it carries in
the rendered HTML (`c3-imágenes`). The linter reports a link this index cannot
resolve; the renderers make a link of exactly the links it can. Footnotes are
not targets: their numbers are the renderer's, not the author's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.model import Block, Callout, Chapter, CodeBlock, Course, Heading, Section, anchor_forms, walk_blocks


def chapter_id(chapter: Chapter) -> str:
    """Return the HTML id of a chapter's opening."""
    return f"c{chapter.number}"


def anchor_id(chapter: Chapter, anchor: str) -> str:
    """Return the HTML id of a section, heading or code block of `chapter`, by its anchor."""
    return f"c{chapter.number}-{anchor}" if anchor else chapter_id(chapter)


@dataclass(frozen=True, slots=True)
class Target:
    """A place a link can lead to: its chapter, and its id in the rendered HTML."""

    chapter: Chapter
    html_id: str


@dataclass(frozen=True, slots=True)
class Lookup:
    """What an internal link names: a `target`, or why none (and the anchors it could have meant)."""

    target: Target | None
    file: Path | None = None  # a file outside the chapters, named by the link (it may or may not exist)
    scope: Chapter | None = None  # the chapter whose anchors were searched; None: the whole course
    known: frozenset[str] = frozenset()  # the anchors searched, for a "did you mean" hint


class LinkIndex:
    """Every link target of one course, by chapter and anchor spelling."""

    def __init__(self, course: Course):
        self._chapters = {chapter.path.resolve(): chapter for chapter in course.chapters}
        self._targets: dict[Path, dict[str, Target]] = {}  # by chapter file
        for chapter in course.chapters:
            targets = self._targets.setdefault(chapter.path, {})
            for anchor, html_id in _anchors(chapter):
                for form in anchor_forms(anchor):
                    targets.setdefault(form, Target(chapter, html_id))

    def lookup(self, chapter: Chapter, href: str) -> Lookup:
        """Return what the internal link `href`, written in `chapter`, names."""
        path, _, fragment = href.partition("#")
        path = path.split("?", 1)[0]
        if not path and not fragment:  # `#`: the top of this chapter
            return Lookup(Target(chapter, chapter_id(chapter)))
        if path:
            # No error on a loop of symlinks, unlike Path.resolve.
            named = Path(os.path.realpath(chapter.path.parent / path))
            other = self._chapters.get(named)
            if other is None:
                return Lookup(None, file=named)
            targets = self._targets[other.path]
            if not fragment:
                return Lookup(Target(other, chapter_id(other)))
            return Lookup(targets.get(fragment), scope=other, known=frozenset(targets))
        # `#anchor` alone: this chapter's first, then any chapter's.
        found = self._targets.get(chapter.path, {}).get(fragment) or next(
            (targets[fragment] for targets in self._targets.values() if fragment in targets), None
        )
        known = frozenset(form for targets in self._targets.values() for form in targets)
        return Lookup(found, known=known)

    def resolve(self, chapter: Chapter, href: str) -> Target | None:
        """Return the target of an internal link, or None when it leads nowhere in the course."""
        return self.lookup(chapter, href).target

    def ids_in(self, chapter: Chapter, section: Section) -> list[str]:
        """Return the HTML ids of the targets a section holds: itself, then its headings, exercises and code blocks."""
        ids = [anchor_id(chapter, section.anchor)] if section.anchor else []
        found = list(_block_anchors(chapter, walk_blocks(section.blocks)))
        for kind in (Heading, Callout, CodeBlock):
            ids += [html_id for block, _, html_id in found if isinstance(block, kind) and html_id not in ids]
        return ids


def _anchors(chapter: Chapter) -> Iterator[tuple[str, str]]:
    """Yield every (anchor, HTML id) of a chapter: the chapter, its sections, and the targets inside them.

    Names an author gave a place (`anchors` fields: HTML `<a name>`, `{#id}`) lead where
    Aula's own anchor for that place leads; a box without an id of its own, to its section.
    """
    yield chapter.anchor, chapter_id(chapter)
    for name in chapter.anchors:
        yield name, chapter_id(chapter)
    for section in chapter.sections:
        section_id = anchor_id(chapter, section.anchor) if section.anchor else chapter_id(chapter)
        if section.anchor:
            yield section.anchor, section_id
        for name in section.anchors:
            yield name, section_id
        for _, anchor, html_id in _block_anchors(chapter, walk_blocks(section.blocks), section_id):
            yield anchor, html_id


def _block_anchors(chapter: Chapter, blocks: Iterable[Block], section_id: str = "") -> Iterator[tuple[Block, str, str]]:
    """Yield each block that is a link target, with its anchor (or a name an author gave it) and HTML id."""
    for block in blocks:
        if isinstance(block, Heading) and block.anchor:
            yield block, block.anchor, anchor_id(chapter, block.anchor)
            for name in block.anchors:
                yield block, name, anchor_id(chapter, block.anchor)
        elif isinstance(block, Callout) and (block.anchor or block.anchors):
            html_id = block.anchor or section_id  # exercises: anchors unique in the course, ids as written
            if block.anchor:
                yield block, block.anchor, html_id
            for name in block.anchors:
                if html_id:
                    yield block, name, html_id
        elif isinstance(block, CodeBlock) and code_id(block):
            yield block, code_id(block), anchor_id(chapter, code_id(block))


def code_id(block: CodeBlock) -> str:
    """Return the anchor a code block was given (```` ```sh {#instalar} ````), or ""."""
    return block.attributes.get("id", "")
