"""The content model: a course as plain, frozen data.

The parser builds it, the linters and renderers read it. It knows nothing of
Markdown tokens, HTML, PDF or PowerPoint, and imports nothing of ours, so a
renderer or a lint rule can be tested with objects built by hand.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# Who a document is for: students get solutions at the end of each chapter and no teacher notes.
Edition = Literal["student", "teacher"]
EDITIONS: tuple[Edition, ...] = ("student", "teacher")


@dataclass(frozen=True, slots=True)
class Location:
    """Where something sits in the sources: a file and a 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


# --- Inline runs -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strikethrough:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class InlineCode:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `href` is as written (`https://…`, `#anchor`, `02-x.md#y`)."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""

    @property
    def is_external(self) -> bool:
        return is_external_href(self.href)


def is_external_href(href: str) -> bool:
    """Return whether a link leaves the course: a URL (`https://…`, `//host/…`), `mailto:` or `tel:`."""
    return "://" in href or href.startswith(("mailto:", "tel:", "//"))


@dataclass(frozen=True, slots=True)
class InlineImage:
    src: str
    alt: str
    title: str = ""
    decorative: bool = False  # `![](x.svg){.decorative}`: says nothing a reader would miss


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    label: str
    number: int


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Emphasis | Strong | Strikethrough | InlineCode | Link | InlineImage | FootnoteRef | LineBreak


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """Return the text of inline runs with all formatting dropped."""
    parts: list[str] = []
    for run in inlines:
        if isinstance(run, (Text, InlineCode)):
            parts.append(run.text)
        elif isinstance(run, (Emphasis, Strong, Strikethrough, Link)):
            parts.append(plain_text(run.children))
        elif isinstance(run, InlineImage):
            parts.append(run.alt)
        elif isinstance(run, LineBreak):
            parts.append("\n")
    return "".join(parts)


# --- Blocks ------------------------------------------------------------------


class CodeKind(enum.Enum):
    """What a code block holds, from its info string or sniffed from its text."""

    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    CONSOLE = "console"  # a shell session: `$ ` prompts, output without prompt
    SCRIPT = "script"  # sh / bash
    YAML = "yaml"
    TEXT = "text"
    OTHER = "other"


CALLOUT_KINDS = (
    "exercise",
    "solution",
    "hint",
    "notes",
    "teacher",
    "tip",
    "warning",
    "objectives",
    "keypoints",
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading below section level (`###` and deeper).

    `anchor` is made from the text (GitHub style, unique in the chapter); `anchors`
    are the other link targets the author wrote for it (see `Chapter`).
    """

    level: int
    inlines: tuple[Inline, ...]
    anchor: str
    location: Location
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool
    location: Location
    start: int = 1


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced or indented code block.

    `language` is the first word of the info string ("" when none); `kind` is
    what the block holds. `classes` come from `{.name}` attributes (e.g.
    `synopsis`, `bad-example`, `no-cheatsheet`), `attributes` from `key="value"`
    pairs (e.g. `title`, `ignore`, `cheatsheet`). The location is the line of
    the first line of code. `closed` is False for a fence with no closing line,
    which ran to the end of its list item, quote or chapter.
    """

    text: str
    language: str
    kind: CodeKind
    location: Location
    title: str = ""
    classes: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    indented: bool = False
    closed: bool = True

    def has_class(self, name: str) -> bool:
        return name in self.classes


@dataclass(frozen=True, slots=True)
class Image:
    """An image standing alone in its paragraph (a figure).

    A `decorative` one (`![](x.svg){.decorative}`) says nothing a reader would miss: it
    needs no alt text, and a reader of the tagged PDF does not meet it.
    """

    src: str
    alt: str
    location: Location
    title: str = ""
    decorative: bool = False

    @property
    def is_remote(self) -> bool:
        return "://" in self.src or self.src.startswith("//")


@dataclass(frozen=True, slots=True)
class Table:
    """A table; cells are inline runs, `aligns` holds "left"/"center"/"right"/""."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Callout:
    """A teaching block from a fenced div (`::: exercise Title`).

    Exercises are numbered per chapter (`number`) and carry an `anchor`; a
    solution written right after an exercise is attached to it as `solution`.
    """

    kind: str
    blocks: tuple[Block, ...]
    location: Location
    title: str = ""
    number: int = 0
    anchor: str = ""
    solution: Callout | None = None
    closed: bool = True  # False when no closing `:::` line was found (the div ran to the end)
    anchors: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)  # `{key=value}` after the title: `{space=8}`


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """Raw HTML as written; shown as text, never interpreted."""

    text: str
    location: Location

    @property
    def is_comment(self) -> bool:
        stripped = self.text.strip()
        return stripped.startswith("<!--") and stripped.endswith("-->")


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    location: Location


Block = Paragraph | Heading | ListBlock | CodeBlock | Image | Table | Quote | Callout | HtmlBlock | ThematicBreak


def child_blocks(block: Block) -> tuple[Block, ...]:
    """Return the blocks directly nested in `block` (a solution counts)."""
    if isinstance(block, ListBlock):
        return tuple(b for item in block.items for b in item.blocks)
    if isinstance(block, Quote):
        return block.blocks
    if isinstance(block, Callout):
        return block.blocks + ((block.solution,) if block.solution else ())
    return ()


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Yield every block in `blocks`, depth first, parents before children."""
    for block in blocks:
        yield block
        yield from walk_blocks(child_blocks(block))


# --- Structure ---------------------------------------------------------------


def anchor_forms(anchor: str) -> tuple[str, str]:
    """Return the two spellings a hand-written link may use for a heading's anchor.

    Anchors keep accented letters (`imágenes`, as GitHub writes them); some tools
    turn each non-ASCII letter into `-` (`im-genes`). Links in either form must work.
    """
    return anchor, "".join(c if c.isascii() else "-" for c in anchor)


@dataclass(frozen=True, slots=True)
class Section:
    """A `##` section; the blocks before a chapter's first `##` form a section with no title.

    `anchors` are the author's link targets that lead here (see `Chapter`); a
    section with no title may have some too (they lead to the chapter's start).
    """

    title: tuple[Inline, ...]
    anchor: str
    blocks: tuple[Block, ...]
    location: Location
    level: int = 2  # 1 for a second `#` heading
    anchors: tuple[str, ...] = ()

    @property
    def title_text(self) -> str:
        return plain_text(self.title)


@dataclass(frozen=True, slots=True)
class Footnote:
    label: str
    number: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Chapter:
    """One Markdown file: its `#` title, front matter and sections.

    The title is the `#` heading; when the first heading is not a `#` one, it
    comes from front matter `title:`, else that first heading, else the file
    name (see docs/authoring.md), and `location` is where it was found.

    Link targets. `anchor` (and each section's, heading's and exercise's) is
    made by Aula from the text. Besides, an author may name a place explicitly;
    those names are kept exactly as written (not slugged) in `anchors` fields:

    - `Chapter.anchors`: names on the title heading or written alone right before it;
    - `Section.anchors`: names on a section heading or written alone right before
      it, and names written anywhere in the section's blocks (in a paragraph, a
      list, a box, a layout div's `{#id}`) that are not on or right before a
      heading (a section with no title: they lead to the chapter's start);
    - `Heading.anchors`: names on a `###`-and-deeper heading or alone right before it;
    - `Callout.anchors`: a div's `{#id}`, and the made anchor and names of a
      heading that became the box's title (Carpentries, Quarto).

    A name comes from an HTML anchor `<a name="x"></a>` / `<a id="x"></a>`
    (in a heading or alone; the tags are dropped from the text), a `{#x}`
    attribute at the end of a heading or on a div, or a remark slide's `name: x`.
    They do not replace the made anchor: both lead to the same place. Aula's own
    chapters have none unless they use that syntax.
    """

    path: Path
    number: int
    title: tuple[Inline, ...]
    anchor: str
    sections: tuple[Section, ...]
    location: Location
    objectives: tuple[str, ...] = ()
    duration: str = ""
    meta: Mapping[str, object] = field(default_factory=dict)
    footnotes: tuple[Footnote, ...] = ()
    anchors: tuple[str, ...] = ()

    @property
    def title_text(self) -> str:
        return plain_text(self.title)

    @property
    def stem(self) -> str:
        return self.path.stem

    def blocks(self) -> Iterator[Block]:
        """Yield every block of the chapter, depth first."""
        for section in self.sections:
            yield from walk_blocks(section.blocks)


@dataclass(frozen=True, slots=True)
class CourseInfo:
    """What a course says about itself (from `course.yml` or its first chapter)."""

    title: str
    slug: str
    subtitle: str = ""
    author: str = ""
    language: str = "es"
    license: str = ""
    version: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits (`limits:` in course.yml) that keep a hostile or broken input from exhausting the machine."""

    chapter_bytes: int = 5_000_000
    image_pixels: int = 40_000_000
    nesting: int = 40


@dataclass(frozen=True, slots=True)
class Course:
    info: CourseInfo
    root: Path
    chapters: tuple[Chapter, ...]
    limits: Limits = field(default_factory=Limits)

    def blocks(self) -> Iterator[tuple[Chapter, Block]]:
        """Yield every block of the course with its chapter."""
        for chapter in self.chapters:
            for block in chapter.blocks():
                yield chapter, block
