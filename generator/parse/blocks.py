"""Turn markdown-it's syntax tree into content-model blocks and inline runs.

Nothing outside this module sees a markdown-it token: the model is the hand-off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from generator.model import (
    Block,
    Callout,
    CodeBlock,
    Emphasis,
    FootnoteRef,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    InlineCode,
    InlineImage,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Location,
    Paragraph,
    Quote,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from generator.parse.anchors import AnchorRegistry, unicode_slug
from generator.parse.markdown import code_kind, parse_info_string

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


class BlockBuilder:
    """Converts the nodes of one chapter, numbering its exercises as it goes."""

    def __init__(self, path: Path, chapter_number: int, anchors: AnchorRegistry):
        self.path = path
        self.chapter_number = chapter_number
        self.anchors = anchors
        self.exercise_count = 0

    def location(self, node: SyntaxTreeNode, offset: int = 0) -> Location:
        line = node.map[0] + 1 + offset if node.map else 1
        return Location(self.path, line)

    # --- blocks ---------------------------------------------------------

    def blocks(self, nodes: Iterable[SyntaxTreeNode]) -> tuple[Block, ...]:
        """Return the blocks for a run of sibling nodes, attaching solutions to exercises."""
        result: list[Block] = []
        for node in nodes:
            block = self.block(node)
            if block is None:
                continue
            previous = result[-1] if result else None
            if (
                isinstance(block, Callout)
                and block.kind == "solution"
                and isinstance(previous, Callout)
                and previous.kind == "exercise"
                and previous.solution is None
            ):
                result[-1] = _with_solution(previous, block)
                continue
            result.append(block)
        return tuple(result)

    def block(self, node: SyntaxTreeNode) -> Block | None:
        kind = node.type
        if kind == "paragraph":
            inlines = self.inline_children(node)
            if len(inlines) == 1 and isinstance(inlines[0], InlineImage):
                image = inlines[0]
                return Image(image.src, image.alt, self.location(node), image.title)
            return Paragraph(inlines, self.location(node))
        if kind == "heading":
            inlines = self.inline_children(node)
            anchor = self.anchors.unique(unicode_slug(plain_text(inlines)))
            return Heading(int(node.tag[1]), inlines, anchor, self.location(node))
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(ListItem(self.blocks(item.children), self.location(item)) for item in node.children)
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return ListBlock(items, kind == "ordered_list", self.location(node), start)
        if kind == "fence":
            return self.fence(node)
        if kind == "code_block":
            text = node.content
            return CodeBlock(text, "", code_kind("", "", text), self.location(node), indented=True)
        if kind == "blockquote":
            return Quote(self.blocks(node.children), self.location(node))
        if kind == "table":
            return self.table(node)
        if kind == "container_div":
            return self.callout(node)
        if kind == "html_block":
            return HtmlBlock(node.content, self.location(node))
        if kind == "hr":
            return ThematicBreak(self.location(node))
        return None  # front matter and footnote definitions are read elsewhere

    def fence(self, node: SyntaxTreeNode) -> CodeBlock:
        info = parse_info_string(node.info)
        title = info.attributes.get("title", "")
        return CodeBlock(
            text=node.content,
            language=info.language,
            kind=code_kind(info.language, title, node.content),
            location=self.location(node, offset=1),  # the first line of code, after the fence
            title=title,
            classes=info.classes,
            attributes=info.attributes,
        )

    def table(self, node: SyntaxTreeNode) -> Table:
        header: tuple = ()
        rows: list = []
        aligns: tuple[str, ...] = ()
        for part in node.children:
            for row in part.children:
                cells = tuple(self.inline_children(cell) for cell in row.children)
                if part.type == "thead":
                    header = cells
                    aligns = tuple(_cell_align(cell) for cell in row.children)
                else:
                    rows.append(cells)
        return Table(header, tuple(rows), aligns, self.location(node))

    def callout(self, node: SyntaxTreeNode) -> Callout:
        name, _, title = node.info.strip().partition(" ")
        kind = name.lower()
        number, anchor = 0, ""
        if kind == "exercise":
            self.exercise_count += 1
            number = self.exercise_count
            anchor = f"ejercicio-{self.chapter_number}-{number}"
        blocks = self.blocks(node.children)
        # A solution written inside its exercise is attached the same way as one right after it.
        solution = next((b for b in blocks if isinstance(b, Callout) and b.kind == "solution"), None)
        if kind == "exercise" and solution is not None:
            blocks = tuple(b for b in blocks if b is not solution)
        else:
            solution = None
        closed = bool(node.nester_tokens.closing.markup)  # an auto-closed div has no closing marker
        return Callout(kind, blocks, self.location(node), title.strip(), number, anchor, solution, closed)

    # --- inline runs ----------------------------------------------------

    def inline_children(self, node: SyntaxTreeNode) -> tuple[Inline, ...]:
        """Return the inline runs of a paragraph, heading or table cell."""
        inline = next((child for child in node.children if child.type == "inline"), None)
        return self.inlines(inline.children) if inline else ()

    def inlines(self, nodes: Iterable[SyntaxTreeNode]) -> tuple[Inline, ...]:
        runs: list[Inline] = []
        for node in nodes:
            run = self.inline(node)
            if isinstance(run, Text) and runs and isinstance(runs[-1], Text):
                runs[-1] = Text(runs[-1].text + run.text)  # keep adjacent text in one run
            elif run is not None:
                runs.append(run)
        return tuple(runs)

    def inline(self, node: SyntaxTreeNode) -> Inline | None:
        kind = node.type
        if kind in ("text", "html_inline"):  # raw HTML is shown as written
            return Text(node.content)
        if kind == "softbreak":
            return Text(" ")
        if kind == "hardbreak":
            return LineBreak()
        if kind == "code_inline":
            return InlineCode(node.content)
        if kind == "em":
            return Emphasis(self.inlines(node.children))
        if kind == "strong":
            return Strong(self.inlines(node.children))
        if kind == "s":
            return Strikethrough(self.inlines(node.children))
        if kind == "link":
            href = unquote(str(node.attrs.get("href", "")))  # as written, not percent-encoded
            return Link(href, self.inlines(node.children), str(node.attrs.get("title", "") or ""))
        if kind == "image":
            alt = plain_text(self.inlines(node.children))
            return InlineImage(unquote(str(node.attrs.get("src", ""))), alt, str(node.attrs.get("title", "") or ""))
        if kind == "footnote_ref":
            return FootnoteRef(str(node.meta.get("label", "")), int(node.meta.get("id", 0)) + 1)
        return Text(node.content) if node.content else None


def _with_solution(exercise: Callout, solution: Callout) -> Callout:
    return Callout(
        exercise.kind,
        exercise.blocks,
        exercise.location,
        exercise.title,
        exercise.number,
        exercise.anchor,
        solution,
        exercise.closed,
    )


def _cell_align(cell: SyntaxTreeNode) -> str:
    match = _ALIGN.search(str(cell.attrs.get("style", "")))
    return match.group(1) if match else ""

