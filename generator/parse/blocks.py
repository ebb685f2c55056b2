"""Turn markdown-it's syntax tree into content-model blocks and inline runs.

Nothing outside this module sees a markdown-it token: the model is the hand-off.
Other tools' boxes and markers are recognised with `dialects.py` on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
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
from generator.parse import dialects
from generator.parse.anchors import AnchorRegistry, unicode_slug
from generator.parse.code import code_kind
from generator.parse.dialects import Anchors, Group, Item, Trimmed
from generator.parse.markdown import parse_info_string

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


class BlockBuilder:
    """Converts the nodes of one chapter, numbering its exercises as it goes.

    `heading_shift` is how many levels the chapter's headings move up (a chapter
    titled by its first `##` reads its `###` as sections). `loose_anchors` gathers
    the author's link targets met in blocks that have none of their own; the
    chapter gives them to the section being built (`take_loose_anchors`).
    """

    def __init__(self, path: Path, chapter_number: int, anchors: AnchorRegistry, heading_shift: int = 0):
        self.path = path
        self.chapter_number = chapter_number
        self.anchors = anchors
        self.heading_shift = heading_shift
        self.exercise_count = 0
        self.loose_anchors: list[str] = []

    def location(self, node: SyntaxTreeNode, offset: int = 0) -> Location:
        line = node.map[0] + 1 + offset if node.map else 1
        return Location(self.path, line)

    def take_loose_anchors(self) -> tuple[str, ...]:
        taken = tuple(self.loose_anchors)
        self.loose_anchors.clear()
        return taken

    # --- blocks ---------------------------------------------------------

    def blocks(self, nodes: Iterable[Item]) -> tuple[Block, ...]:
        """Return the blocks for a run of sibling nodes, attaching solutions to exercises."""
        result: list[Block] = []
        carried: list[str] = []  # anchors written alone, for the heading right after them
        for item in dialects.mark_anchors(nodes):
            if isinstance(item, Anchors):
                carried += item.names
                continue
            if dialects.is_heading(item):
                converted: tuple[Block, ...] = (self.heading_block(item, tuple(carried)),)
            else:
                self.loose_anchors += carried
                converted = self.item(item)
            carried = []
            for block in converted:
                previous = result[-1] if result else None
                if (
                    isinstance(block, Callout)
                    and block.kind == "solution"
                    and isinstance(previous, Callout)
                    and previous.kind == "exercise"
                    and previous.solution is None
                ):
                    result[-1] = replace(previous, solution=block)
                    continue
                result.append(block)
        self.loose_anchors += carried
        return tuple(result)

    def item(self, item: Item) -> tuple[Block, ...]:
        """Return the blocks of one item: none (front matter), one, or several (a layout div, a remark wrapper)."""
        if isinstance(item, Group):
            return (self.callout(item.kind, "", item.items, self.location(item.first)),)
        if isinstance(item, Trimmed):
            return (self.paragraph(item.inlines, self.location(item.node, item.line_offset)),)
        assert isinstance(item, SyntaxTreeNode)
        if item.type == "container_div":
            return self.div(item)
        if item.type == "admonition":
            return self.admonition(item)
        if item.type == "remark_wrapper":  # `.name[` … `]`: a box for `.exercise[`, else only its blocks
            kind = dialects.REMARK_CLASSES.get(str(item.meta.get("name", "")))
            if kind:
                return (self.callout(kind, "", item.children, self.location(item)),)
            return self.blocks(item.children)
        block = self.block(item)
        return (block,) if block is not None else ()

    def block(self, node: SyntaxTreeNode) -> Block | None:
        kind = node.type
        if kind == "paragraph":
            inline = next((child for child in node.children if child.type == "inline"), None)
            children = tuple(inline.children) if inline else ()
            if len(children) == 1 and children[0].type == "remark_class":
                name = str(children[0].meta.get("name", ""))
                if name in dialects.REMARK_CLASSES:  # `.warning[…]` as a whole paragraph: a box
                    content = self.paragraph(tuple(children[0].children), self.location(node))
                    return self.callout(dialects.REMARK_CLASSES[name], "", [], self.location(node), inner=(content,))
            return self.paragraph(children, self.location(node))
        if kind == "heading":
            return self.heading_block(node)
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
            return self.quote(node)
        if kind == "table":
            return self.table(node)
        if kind == "html_block":
            return HtmlBlock(node.content, self.location(node))
        if kind == "hr":
            return ThematicBreak(self.location(node))
        return None  # front matter and footnotes are read elsewhere; divs, admonitions and wrappers by `item`

    def paragraph(self, inline_nodes: Sequence[SyntaxTreeNode], location: Location) -> Paragraph | Image:
        inlines = self.inlines(inline_nodes)
        if len(inlines) == 1 and isinstance(inlines[0], InlineImage):
            image = inlines[0]
            return Image(image.src, image.alt, location, image.title, image.decorative)
        return Paragraph(inlines, location)

    def heading(self, node: SyntaxTreeNode) -> tuple[tuple[Inline, ...], tuple[str, ...]]:
        """Return a heading's text and the anchors written in it (`<a name="x"></a>`, `{#x}`), both taken out."""
        before = len(self.loose_anchors)
        inlines = self.inline_children(node)
        anchors = tuple(self.loose_anchors[before:])
        del self.loose_anchors[before:]
        if inlines and isinstance(inlines[-1], Text):
            split = dialects.heading_attributes(inlines[-1].text)
            if split is not None:
                text, ids = split
                inlines = inlines[:-1] + ((Text(text),) if text else ())
                anchors += ids
        if anchors:  # what stood between the tags and the text
            inlines = _strip_runs(inlines)
        return inlines, anchors

    def heading_block(self, node: SyntaxTreeNode, anchors: tuple[str, ...] = ()) -> Heading:
        inlines, own = self.heading(node)
        anchor = self.anchors.unique(unicode_slug(plain_text(inlines)))
        level = max(1, int(node.tag[1]) - self.heading_shift)
        return Heading(level, inlines, anchor, self.location(node), anchors + own)

    def quote(self, node: SyntaxTreeNode) -> Quote | Callout:
        first = node.children[0] if node.children else None
        text = dialects.raw_text(first) if first is not None else None
        found = dialects.alert(text.split("\n", 1)[0]) if text is not None else None
        if found is None:
            return Quote(self.blocks(node.children), self.location(node))
        kind, title = found
        assert first is not None
        inline_nodes = list(first.children[0].children)
        line_end = next((i for i, n in enumerate(inline_nodes) if n.type in ("softbreak", "hardbreak")), None)
        rest: list[Item] = []
        if line_end is not None:  # the marker's paragraph goes on after its first line
            rest.append(Trimmed(first, tuple(inline_nodes[line_end + 1 :]), 1))
        return self.callout(kind, title, rest + list(node.children[1:]), self.location(node))

    def admonition(self, node: SyntaxTreeNode) -> tuple[Block, ...]:
        """Return an mkdocs admonition's box; a line such as `!!! Don't!` is no admonition: text, then its blocks."""
        title_node = next((child for child in node.children if child.type == "admonition_title"), None)
        children = [child for child in node.children if child is not title_node]
        if not dialects.is_admonition_line(node.info):
            line = Paragraph((Text(f"{node.markup}{node.info}"),), self.location(node))
            return (line, *self.blocks(children))
        kind, title = dialects.admonition_kind(str(node.meta.get("tag", "")))
        if dialects.admonition_title_written(node.info):
            title = plain_text(self.inline_children(title_node)) if title_node is not None else ""
        return (self.callout(kind, title, children, self.location(node)),)

    def div(self, node: SyntaxTreeNode) -> tuple[Block, ...]:
        """Return a fenced div's box, or the blocks of a layout div (`::: {.column}`), which stand where it stood."""
        div = dialects.read_div(node.info)
        children: list[Item] = list(node.children)
        if not div.kind:
            self.loose_anchors += div.anchors
            return self.blocks(children)
        # An auto-closed div has no closing marker.
        closed = node.nester_tokens is not None and bool(node.nester_tokens.closing.markup)
        title, anchors = div.title, div.anchors
        first = children[0] if children else None
        if not title and dialects.is_heading(first):
            # Carpentries and Quarto title a box with its first heading.
            children = children[1:]
            inlines, own = self.heading(first)
            text = plain_text(inlines)
            anchors += (self.anchors.unique(unicode_slug(text)), *own)
            title = dialects.without_own_name(text, div.name, div.kind)
        elif not title:
            title = div.default_title
        return (self.callout(div.kind, title, children, self.location(node), closed, anchors, attributes=div.attributes),)

    def callout(
        self,
        kind: str,
        title: str,
        children: Sequence[Item],
        location: Location,
        closed: bool = True,
        anchors: tuple[str, ...] = (),
        inner: tuple[Block, ...] = (),
        attributes: Mapping[str, str] | None = None,
    ) -> Callout:
        number, anchor = 0, ""
        if kind == "exercise":
            self.exercise_count += 1
            number = self.exercise_count
            anchor = f"ejercicio-{self.chapter_number}-{number}"
        blocks = inner + self.blocks(children)
        # A solution written inside its exercise is attached the same way as one right after it.
        solution = next((b for b in blocks if isinstance(b, Callout) and b.kind == "solution"), None)
        if kind == "exercise" and solution is not None:
            blocks = tuple(b for b in blocks if b is not solution)
        else:
            solution = None
        return Callout(kind, blocks, location, title.strip(), number, anchor, solution, closed, anchors, dict(attributes or {}))

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
            closed=_fence_closed(node),
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

    # --- inline runs ----------------------------------------------------

    def inline_children(self, node: SyntaxTreeNode) -> tuple[Inline, ...]:
        """Return the inline runs of a paragraph, heading or table cell."""
        inline = next((child for child in node.children if child.type == "inline"), None)
        return self.inlines(inline.children) if inline else ()

    def inlines(self, nodes: Iterable[SyntaxTreeNode]) -> tuple[Inline, ...]:
        runs: list[Inline] = []
        open_anchors = 0  # `<a name="x">` tags whose `</a>` is still to come
        dropped = False  # a tag or comment was left out right before this node
        for node in nodes:
            if node.type == "html_inline":
                html = node.content
                name = dialects.anchor_tag(html)
                if name is not None:
                    self.loose_anchors.append(name)  # a heading takes its own back (`heading`)
                    open_anchors += 1
                    dropped = True
                    continue
                if dialects.is_comment(html):
                    dropped = True  # hidden, as comment blocks are
                    continue
                if open_anchors and dialects.is_closing_a(html):
                    open_anchors -= 1
                    dropped = True
                    continue
            if node.type == "remark_class":  # `.small[text]`: the text, without the wrapper
                found: tuple[Inline, ...] = self.inlines(node.children)
            else:
                run = self.inline(node)
                found = (run,) if run is not None else ()
            for run in found:
                if isinstance(run, Text) and runs and isinstance(runs[-1], Text):
                    text = run.text
                    if dropped and runs[-1].text.endswith(" ") and text.startswith(" "):
                        text = text[1:]  # "a <!-- x --> b" reads "a b"
                    runs[-1] = Text(runs[-1].text + text)  # keep adjacent text in one run
                else:
                    runs.append(run)
            dropped = False
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
            decorative = "decorative" in str(node.attrs.get("class", "")).split()
            return InlineImage(unquote(str(node.attrs.get("src", ""))), alt, str(node.attrs.get("title", "") or ""), decorative)
        if kind == "footnote_ref":
            return FootnoteRef(str(node.meta.get("label", "")), int(node.meta.get("id", 0)) + 1)
        return Text(node.content) if node.content else None


def _strip_runs(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Return inline runs without the spaces at their two ends."""
    runs = list(inlines)
    if runs and isinstance(runs[0], Text):
        runs[0] = Text(runs[0].text.lstrip())
    if runs and isinstance(runs[-1], Text):
        runs[-1] = Text(runs[-1].text.rstrip())
    return tuple(run for run in runs if not (isinstance(run, Text) and not run.text))


def _fence_closed(node: SyntaxTreeNode) -> bool:
    """Return whether a fence has its closing line: its lines are the opening, the content and the closing."""
    if not node.map:
        return True
    content = node.content
    lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
    return node.map[1] - node.map[0] == lines + 2


def _cell_align(cell: SyntaxTreeNode) -> str:
    match = _ALIGN.search(str(cell.attrs.get("style", "")))
    return match.group(1) if match else ""

