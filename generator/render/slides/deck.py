"""The slide plan as data: what each slide holds and where, in points on the template's slide.

Both decks are drawn from it: the editable `.pptx` (`pptx_writer.py`) and the
PDF (`pdf_deck.py`), so they have the same slides in the same order with the
same breaks. The planner (`planner.py`) makes it; nothing here measures or writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, assert_never, get_args

from generator.model import (
    Chapter,
    CourseInfo,
    Emphasis,
    FootnoteRef,
    Inline,
    InlineCode,
    InlineImage,
    LineBreak,
    Link,
    Strikethrough,
    Strong,
    Text,
    plain_text,
)
from generator.render.core.highlight import Run

# What a slide is, and so which layout of the template it takes (`template.LAYOUT_NAMES`).
Layout = Literal["cover", "chapter", "content", "exercise", "solution", "keypoints"]
LAYOUTS: tuple[Layout, ...] = get_args(Layout)
# How a paragraph of a text frame is set.
ParaStyle = Literal["plain", "bullet", "number", "heading", "label", "quote", "caption", "url"]
# The box a text frame is drawn in: plain text, a caption, an image placeholder, or a callout's kind.
FrameStyle = Literal["text", "caption", "placeholder", "tip", "warning", "hint", "callout"]
# How a code frame is drawn: code, a synopsis, a bad example, raw HTML shown as text.
CodeStyle = Literal["code", "synopsis", "bad", "raw"]


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Insets:
    left: float
    top: float
    right: float
    bottom: float


TEXT_INSETS = Insets(7.2, 3.6, 7.2, 3.6)  # PowerPoint's own defaults


BOX_INSETS = Insets(14.0, 8.0, 14.0, 8.0)  # code and callout boxes


CELL_INSETS = Insets(6.0, 3.6, 6.0, 3.6)


@dataclass(frozen=True, slots=True)
class SlideMetrics:
    """The geometry and type sizes of a template deck (defaults: `themes/default/slides.pptx`)."""

    width: float = 960.0
    height: float = 540.0
    title: Box = Box(43.2, 18.0, 873.6, 79.2)
    body: Box = Box(43.2, 113.0, 873.6, 378.0)
    chapter_label: Box = Box(43.2, 72.0, 873.6, 36.0)
    chapter_title: Box = Box(43.2, 108.0, 873.6, 118.8)
    chapter_body: Box = Box(43.2, 248.4, 873.6, 241.2)
    cover_title: Box = Box(72.0, 100.8, 816.0, 180.0)
    cover_subtitle: Box = Box(72.0, 302.4, 816.0, 172.8)
    footer: Box = Box(43.2, 504.0, 640.0, 25.2)
    title_size: float = 32.0
    text_size: float = 22.0
    code_size: float = 20.0
    table_size: float = 20.0
    chapter_title_size: float = 40.0
    cover_title_size: float = 44.0
    subtitle_size: float = 22.0
    footer_size: float = 12.0
    text_slots: int = 4
    code_slots: int = 4


# --- The plan ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextRun:
    """A piece of inline text with the formatting a slide shows."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: Link | None = None  # the link it is in, if any

    @property
    def href(self) -> str:
        """Where it links to outside the course (a URL), or "": a link inside the course is the PDF deck's to place."""
        return self.link.href if self.link is not None and self.link.is_external else ""


@dataclass(frozen=True, slots=True)
class TextPara:
    """A paragraph of a text frame.

    `style` is one of: plain, bullet, number, heading, label, quote, caption, url.
    `left` is where its lines start, `first` the shift of the first line (a hanging
    bullet sits at `left + first`), all in points.
    """

    inlines: tuple[Inline, ...]
    size: float
    style: ParaStyle = "plain"
    level: int = 0
    number: int = 0
    left: float = 0.0
    first: float = 0.0
    space_before: float = 0.0

    @property
    def bulleted(self) -> bool:
        return self.style in ("bullet", "number")

    @property
    def bold(self) -> bool:
        return self.style in ("heading", "label")

    @property
    def italic(self) -> bool:
        return self.style in ("quote", "caption")


@dataclass(frozen=True, slots=True)
class TextFrame:
    """Text in a box; `style` is text, caption, placeholder or a callout kind (tip, warning, hint …)."""

    box: Box
    paras: tuple[TextPara, ...]
    style: FrameStyle = "text"

    @property
    def insets(self) -> Insets:
        return TEXT_INSETS if self.style in ("text", "caption") else BOX_INSETS


@dataclass(frozen=True, slots=True)
class CodeFrame:
    """Code on a light box: highlighted lines, one paragraph each; `style` is code, synopsis, bad or raw."""

    box: Box
    lines: tuple[tuple[Run, ...], ...]
    size: float
    title: str = ""
    style: CodeStyle = "code"
    hang: float = 0.0  # hanging indent of a wrapped line, in points

    insets = BOX_INSETS

    @property
    def title_size(self) -> float:
        return max(12.0, round(self.size * 0.7))


@dataclass(frozen=True, slots=True)
class TableFrame:
    """A native table: a header row and body rows of inline cells, with measured column widths and row heights."""

    box: Box
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str, ...]
    widths: tuple[float, ...]
    heights: tuple[float, ...]  # the header's first
    size: float

    insets = CELL_INSETS


@dataclass(frozen=True, slots=True)
class ImageFrame:
    box: Box
    path: Path
    alt: str
    decorative: bool = False  # no alt text needed: marked decorative in the .pptx, a background in the PDF


Frame = TextFrame | CodeFrame | TableFrame | ImageFrame


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: its layout (one of `LAYOUTS`), title, frames and speaker notes."""

    layout: Layout
    title: tuple[Inline, ...]
    title_size: float
    frames: tuple[Frame, ...] = ()
    notes: tuple[str, ...] = ()
    chapter: Chapter | None = None
    subtitle: tuple[str, ...] = ()  # the cover's lines, or a chapter's "Chapter 3 · 2 h"
    subtitle_size: float = 0.0
    anchors: tuple[str, ...] = ()  # link targets (HTML ids) that land on this slide

    @property
    def title_text(self) -> str:
        return plain_text(self.title)


@dataclass(frozen=True, slots=True)
class Deck:
    info: CourseInfo
    metrics: SlideMetrics
    slides: tuple[Slide, ...]
    footer: str  # the course title, cut short with "…" if it would not fit one line of the footer
    footer_size: float


def text_runs(inlines: Iterable[Inline], bold=False, italic=False, strike=False, link: Link | None = None) -> list[TextRun]:
    """Return inline runs flattened into formatted text runs (footnote calls left out: they go to the notes)."""
    runs: list[TextRun] = []
    for run in inlines:
        match run:
            case Text():
                runs.append(TextRun(run.text, bold, italic, False, strike, link))
            case InlineCode():
                runs.append(TextRun(run.text, bold, italic, True, strike, link))
            case Strong():
                runs += text_runs(run.children, True, italic, strike, link)
            case Emphasis():
                runs += text_runs(run.children, bold, not italic, strike, link)
            case Strikethrough():
                runs += text_runs(run.children, bold, italic, True, link)
            case Link():
                runs += text_runs(run.children, bold, italic, strike, run)
            case InlineImage():
                runs.append(TextRun(f"[{run.alt or run.src}]", bold, italic, False, strike, link))
            case LineBreak():
                runs.append(TextRun("\n", bold, italic, False, strike, link))
            case FootnoteRef():
                pass
            case _:
                assert_never(run)
    return runs
