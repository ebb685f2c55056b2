"""The slide plan: which slides a course makes, what each holds and where it sits.

Both decks are drawn from this plan: the editable `.pptx` (`render/pptx.py`) and
the PDF (`render/slides_pdf.py`), so they have the same slides in the same order
with the same breaks. Every frame gets a box measured with the deck's fonts
(`render/fit.py`); whatever does not fit moves on to a continuation slide titled
"… (2/3)", and prose too long for a slide moves to the speaker notes.
Positions and sizes are in points on a 960 × 540 pt (16:9) slide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Union

from generator.errors import warn
from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    CourseInfo,
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
    Paragraph,
    Quote,
    Section,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
    walk_blocks,
)
from generator.render.core.images import locate_image
from generator.render.core.highlight import Run, highlight_lines
from generator.render.html import HtmlFragments, anchor_id, chapter_id
from generator.render.slides.fit import MONO, SANS, Fonts, Para, Span

LAYOUTS = ("cover", "chapter", "content", "exercise", "solution", "keypoints")

# Code is set no smaller than this when a line is too wide; longer lines then wrap. The
# issue allows 12 pt; 14 pt stays readable from the back of a classroom.
CODE_FLOOR = 14.0
# A code block that does not fit one slide is set smaller, but not below this, before it is split.
CODE_HEIGHT_FLOOR = 16.0
CODE_MIN_LINES = 3  # never start a code block at the foot of a slide with fewer lines than this
TABLE_FLOOR = 12.0  # for a table too wide; it is split by rows before it goes below TABLE_HEIGHT_FLOOR
TABLE_HEIGHT_FLOOR = 14.0
IMAGE_MIN = 0.55  # an image gets at least this share of the body height, or a slide of its own
GAP = 10.0  # between frames stacked on a slide
TAB = "    "


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
    href: str = ""


@dataclass(frozen=True, slots=True)
class TextPara:
    """A paragraph of a text frame.

    `style` is one of: plain, bullet, number, heading, label, quote, caption, url.
    `left` is where its lines start, `first` the shift of the first line (a hanging
    bullet sits at `left + first`), all in points.
    """

    inlines: tuple[Inline, ...]
    size: float
    style: str = "plain"
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
    style: str = "text"

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
    style: str = "code"
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


Frame = Union[TextFrame, CodeFrame, TableFrame, ImageFrame]


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: its layout (one of `LAYOUTS`), title, frames and speaker notes."""

    layout: str
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


# --- Inline text -------------------------------------------------------------


def text_runs(inlines: Iterable[Inline], bold=False, italic=False, strike=False, href="") -> list[TextRun]:
    """Return inline runs flattened into formatted text runs (footnote calls left out: they go to the notes)."""
    runs: list[TextRun] = []
    for run in inlines:
        if isinstance(run, Text):
            runs.append(TextRun(run.text, bold, italic, False, strike, href))
        elif isinstance(run, InlineCode):
            runs.append(TextRun(run.text, bold, italic, True, strike, href))
        elif isinstance(run, Strong):
            runs += text_runs(run.children, True, italic, strike, href)
        elif isinstance(run, Emphasis):
            runs += text_runs(run.children, bold, not italic, strike, href)
        elif isinstance(run, Strikethrough):
            runs += text_runs(run.children, bold, italic, True, href)
        elif isinstance(run, Link):
            runs += text_runs(run.children, bold, italic, strike, run.href if run.is_external else href)
        elif isinstance(run, InlineImage):
            runs.append(TextRun(f"[{run.alt or run.src}]", bold, italic, False, strike, href))
        elif isinstance(run, LineBreak):
            runs.append(TextRun("\n", bold, italic, False, strike, href))
    return runs


def para_spans(para: TextPara) -> tuple[Span, ...]:
    # LibreOffice shows a hyperlink as one field it never breaks inside: measure its words as one.
    return tuple(
        Span(
            run.text.replace(" ", "\u00a0") if run.href else run.text,
            para.size, MONO if run.code else SANS, run.bold or para.bold, run.italic or para.italic,
        )
        for run in text_runs(para.inlines)
    )


def fit_para(para: TextPara, first_in_frame: bool = False) -> Para:
    """Return the paragraph as the fit estimator sees it."""
    return Para(
        para_spans(para),
        para.size,
        left=para.left,
        first=para.first,
        space_before=0.0 if first_in_frame else para.space_before,
        bulleted=para.bulleted,
    )


def code_para(runs: tuple[Run, ...], size: float, hang: float) -> Para:
    return Para(tuple(Span(text, size, MONO) for _, text in runs), size, left=hang, first=-hang)


def cut_runs(line: tuple[Run, ...], most: int) -> list[tuple[Run, ...]]:
    """Return a line of runs cut into pieces of at most `most` characters."""
    if sum(len(text) for _, text in line) <= most:
        return [line]
    pieces: list[list[Run]] = [[]]
    room = most
    for css, text in line:
        while text:
            if room == 0:
                pieces.append([])
                room = most
            pieces[-1].append((css, text[:room]))
            room -= len(text[:room])
            text = text[len(pieces[-1][-1][1]):]
    return [tuple(piece) for piece in pieces]


def leads_on(para: TextPara) -> bool:
    """Return whether a paragraph introduces what follows it (and should not end a slide)."""
    return para.style in ("heading", "label") or plain_text(para.inlines).rstrip().endswith(":")


def merge_runs(line: Iterable[Run]) -> tuple[Run, ...]:
    """Return a line's runs with tabs expanded, blanks joined to the run before, and neighbours of one class joined."""
    merged: list[Run] = []
    for css, text in line:
        text = text.replace("\t", TAB)
        if merged and (text.isspace() or merged[-1][0] == css):
            merged[-1] = (merged[-1][0], merged[-1][1] + text)
        else:
            merged.append((css, text))
    return tuple(merged)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[¿¡«\"(\[A-ZÁÉÍÓÚÑÜ0-9])")


def sentences(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """Split a paragraph's inline runs into sentences (only plain text ends a sentence)."""
    result: list[list[Inline]] = [[]]
    for index, run in enumerate(inlines):
        if not isinstance(run, Text):
            result[-1].append(run)
            continue
        parts = _SENTENCE_END.split(run.text)
        # A sentence may also end at the end of this text, before a formatted run.
        ends_here = index + 1 < len(inlines) and re.search(r"[.!?…]\s+$", run.text)
        for number, part in enumerate(parts):
            if number:
                result.append([])
            if part:
                result[-1].append(Text(part))
        if ends_here:
            result[-1][-1] = Text(result[-1][-1].text.rstrip())
            result.append([])
    cleaned = []
    for sentence in result:
        if sentence and isinstance(sentence[0], Text):
            sentence[0] = Text(sentence[0].text.lstrip())
        if plain_text(tuple(sentence)).strip():
            cleaned.append(tuple(sentence))
    return cleaned


def footnote_notes(chapter: Chapter, inlines: Iterable[Inline]) -> list[str]:
    """Return "[n] text" for each footnote called in `inlines`."""
    notes = []
    for run in _walk_inlines(inlines):
        if isinstance(run, FootnoteRef):
            note = next((f for f in chapter.footnotes if f.number == run.number), None)
            if note is not None:
                text = " ".join(plain_text(b.inlines) for b in walk_blocks(note.blocks) if isinstance(b, Paragraph))
                notes.append(f"[{run.number}] {text}")
    return notes


def _walk_inlines(inlines: Iterable[Inline]):
    for run in inlines:
        yield run
        if isinstance(run, (Emphasis, Strong, Strikethrough, Link)):
            yield from _walk_inlines(run.children)


def notes_text(blocks: Iterable[Block]) -> list[str]:
    """Return blocks as plain-text paragraphs for the speaker notes."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            lines.append(plain_text(block.inlines))
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, block.start):
                marker = f"{number}." if block.ordered else "•"
                item_lines = notes_text(item.blocks) or [""]
                lines.append(f"{marker} {item_lines[0]}")
                lines += [f"  {line}" for line in item_lines[1:]]
        elif isinstance(block, CodeBlock):
            lines.append(block.text.rstrip("\n"))
        elif isinstance(block, (Quote, Callout)):
            lines += notes_text(block.blocks)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                lines.append(" | ".join(plain_text(cell) for cell in row))
        elif isinstance(block, Image):
            lines.append(f"[{block.alt or block.src}]")
    return lines


# --- Images ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImageSize:
    """An image's size in pixels (for SVG, in its own user units)."""

    width: float
    height: float


@cache
def _image_size(path: Path, stamp: tuple[int, int]) -> ImageSize | None:
    try:
        if path.suffix.lower() == ".svg":
            from cairosvg.parser import Tree

            # Bytes, not a URL, and unsafe=False: the SVG may not pull in any other file.
            root = Tree(bytestring=path.read_bytes(), unsafe=False)
            box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if v]
            if len(box) == 4 and box[2] > 0 and box[3] > 0:
                return ImageSize(box[2], box[3])
            width, height = (float(re.match(r"[\d.]+", root.get(k, "0")).group()) for k in ("width", "height"))
            return ImageSize(width, height) if width > 0 and height > 0 else None
        from PIL import Image as PILImage

        with PILImage.open(path) as image:
            return ImageSize(*image.size)
    except Exception:  # noqa: BLE001 — an unreadable image becomes a placeholder, not a failed build
        return None


def image_size(path: Path) -> ImageSize | None:
    """Return the size of the image at `path`, or None when it cannot be read."""
    stat = path.stat()
    return _image_size(path, (stat.st_size, stat.st_mtime_ns))


# --- Planning ------------------------------------------------------------------


@dataclass
class _Page:
    layout: str
    title: tuple[Inline, ...]
    run: int  # pages of one run share a title and are numbered (1/3), (2/3) …
    y: float
    frames: list[Frame] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    slots: dict[str, int] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)


@dataclass
class _Text:
    paras: list[TextPara]
    style: str = "text"
    notes: list[list[str]] = field(default_factory=list)  # per paragraph: notes for its slide

    def __post_init__(self) -> None:
        self.notes += [[] for _ in range(len(self.paras) - len(self.notes))]


@dataclass
class _Code:
    block: CodeBlock


@dataclass
class _Table:
    table: Table


@dataclass
class _Image:
    image: Image


@dataclass
class _Break:
    pass


@dataclass
class _CodeSetting:
    """A code block measured at one size: its lines' heights and the fixed part (title, insets)."""

    lines: list[tuple[Run, ...]]
    size: float
    hang: float
    title: str
    style: str
    fixed: float
    heights: list[float]

    @property
    def total(self) -> float:
        return self.fixed + sum(self.heights)


_Piece = Union[_Text, _Code, _Table, _Image, _Break]


class SlidePlanner:
    """Plans the slides of one course for one template's metrics."""

    def __init__(self, course: Course, metrics: SlideMetrics, labels: Mapping[str, str], fonts: Fonts):
        self.course = course
        self.metrics = metrics
        self.labels = labels
        self.fonts = fonts
        self._chapters: dict[int, tuple[Slide, ...]] = {}
        self._warned: set = set()
        self.fragments = HtmlFragments(course, dict(labels))

    # --- decks ------------------------------------------------------------

    def deck(self, chapters: Iterable[Chapter] | None = None, cover: bool = True) -> Deck:
        """Return the deck of `chapters` (default: all), after a course title slide if `cover`."""
        chosen = self.course.chapters if chapters is None else tuple(chapters)
        slides = [self.cover()] if cover else []
        for chapter in chosen:
            slides += self.chapter_slides(chapter)
        footer, size = self.fit_footer(self.course.info.title)
        return Deck(self.course.info, self.metrics, tuple(slides), footer, size)

    def fit_footer(self, text: str) -> tuple[str, float]:
        """Return the footer text and size: one line, smaller down to 8 pt, then cut (it repeats the cover)."""
        box, size = self.metrics.footer, self.metrics.footer_size
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right

        def fits(text: str, size: float) -> bool:
            return self.fonts.lines(fit_para(TextPara((Text(text),), size)), width) == 1

        while size > 8 and not fits(text, size):
            size -= 1
        while len(text) > 1 and not fits(text, size):
            text = text[: max(1, len(text) * 9 // 10 - 1)].rstrip() + "…"
        return text, size

    def cover(self) -> Slide:
        info, m = self.course.info, self.metrics
        title = (Text(info.title),)
        lines = [info.subtitle, info.author]
        lines.append(" · ".join(x for x in (f"{self.labels['version']} {info.version}" if info.version else "", info.date) if x))
        lines.append(f"{self.labels['license']}: {info.license}" if info.license else "")
        lines = [line for line in lines if line]
        size = self.fit_lines([(Text(line),) for line in lines], m.cover_subtitle, m.subtitle_size, 14.0)
        title_size = self.fit_title(title, m.cover_title, m.cover_title_size, 24.0)
        return Slide("cover", title, title_size, subtitle=tuple(lines), subtitle_size=size)

    def chapter_slides(self, chapter: Chapter) -> tuple[Slide, ...]:
        """Return the slides of one chapter: its title slide, its sections, exercises and key points."""
        if chapter.number not in self._chapters:
            self._chapters[chapter.number] = _ChapterPlan(self, chapter).slides()
        return self._chapters[chapter.number]

    # --- measuring --------------------------------------------------------

    def text_height(self, paras: Iterable[TextPara], width: float) -> float:
        return sum(self.fonts.height(fit_para(p, i == 0), width) for i, p in enumerate(paras))

    def fit_title(self, title: tuple[Inline, ...], box: Box, size: float, floor: float) -> float:
        """Return the largest size (down to `floor`) at which `title` fits `box`.

        A title that does not fit even at the floor is set smaller still (to 10 pt) rather than cut.
        """
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right

        def fits(size: float) -> bool:
            para = TextPara(title, size, "heading")
            return self.text_height([para], width) + TEXT_INSETS.top + TEXT_INSETS.bottom <= box.h

        while size > floor and not fits(size):
            size = max(size - 2, floor)
        while size > 10 and not fits(size):
            size -= 1
        return size

    def fit_lines(self, lines: list[tuple[Inline, ...]], box: Box, size: float, floor: float) -> float:
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right
        while size > floor:
            paras = [TextPara(line, size, space_before=size * 0.3) for line in lines]
            if self.text_height(paras, width) + TEXT_INSETS.top + TEXT_INSETS.bottom <= box.h:
                break
            size -= 1
        return max(size, floor)

    def para(self, inlines: tuple[Inline, ...], style: str = "plain", level: int = 0, number: int = 0, size: float = 0) -> TextPara:
        """Return a paragraph in `style` with the indents and spacing of its kind and nesting level."""
        size = size or max(16.0, self.metrics.text_size - 2 * min(level, 2))
        left = first = 0.0
        if style in ("bullet", "number"):
            hang = size * (1.0 if style == "bullet" else 1.5)
            left, first = level * size * 1.2 + hang, -hang
        elif style == "quote":
            left = size
        elif level:
            left = level * size * 1.2 + size
        space = size * (0.25 if style in ("bullet", "number") else 0.4)
        return TextPara(inlines, size, style, level, number, left, first, space)

    def image(self, chapter: Chapter, image: Image) -> tuple[Path, ImageSize] | None:
        """Return a readable image inside the course and its pixels; warn (as the handout does) about any other."""
        located = locate_image(image.src, chapter.path, self.course.root, self.course.limits.image_pixels)
        if located.path is None:
            self.fragments.image_source(chapter, image.src, image.location)  # warns, once per image
            return None
        loaded = image_size(located.path)
        if loaded is None:
            if (image.location, image.src) not in self._warned:
                self._warned.add((image.location, image.src))
                warn(image.location, "W-image-unreadable", f"image {image.src} cannot be used: unreadable")
            return None
        return located.path, loaded


class _ChapterPlan:
    """Lays out one chapter: packs each section's blocks into slides, top to bottom."""

    def __init__(self, planner: SlidePlanner, chapter: Chapter):
        self.planner = planner
        self.chapter = chapter
        self.m = planner.metrics
        self.labels = planner.labels
        self.pages: list[_Page] = []
        self.runs = 0
        self.page: _Page | None = None  # the page content is being added to
        self.keypoints: list[Callout] = []
        self.notes: list[str] = []  # notes waiting for the page they belong to
        self.anchors: list[str] = []  # link targets waiting for the page they belong to
        self.after_exercise = False

    # --- result -----------------------------------------------------------

    def slides(self) -> tuple[Slide, ...]:
        chapter = self.chapter
        self.title_slide()
        for section in chapter.sections:
            self.section(section)
        if self.keypoints:
            self.keypoint_slides()
        return self.freeze()

    def freeze(self) -> tuple[Slide, ...]:
        counts: dict[int, int] = {}
        for page in self.pages:
            counts[page.run] = counts.get(page.run, 0) + 1
        seen: dict[int, int] = {}
        slides = []
        for page in self.pages:
            if page.layout == "chapter":
                slides.append(replace(self._chapter_slide, notes=tuple(page.notes), anchors=tuple(page.anchors)))
                continue
            seen[page.run] = seen.get(page.run, 0) + 1
            title = page.title
            if counts[page.run] > 1:
                title = (*title, Text(f" ({seen[page.run]}/{counts[page.run]})"))
            size = self.planner.fit_title(title, self.m.title, self.m.title_size, 22.0)
            slides.append(Slide(
                page.layout, title, size, tuple(page.frames), tuple(page.notes), self.chapter, anchors=tuple(page.anchors)
            ))
        return tuple(slides)

    # --- pages ------------------------------------------------------------

    def start_run(self, layout: str, title: tuple[Inline, ...]) -> None:
        """Begin a run of pages sharing `title`; its first page opens with its first content."""
        self.runs += 1
        self.run = (layout, title, self.runs)
        self.page = None
        self.after_exercise = False

    def current(self, slot: str = "") -> _Page:
        """Return the page to add to, opening one when there is none or its `slot` kind is used up."""
        limits = {"text": self.m.text_slots, "code": self.m.code_slots, "table": 1, "image": 1}
        if self.page is None or (slot and self.page.slots.get(slot, 0) >= limits[slot]):
            self.new_page()
        assert self.page is not None
        return self.page

    def new_page(self) -> _Page:
        layout, title, run = self.run
        self.page = _Page(layout, title, run, self.m.body.y)
        self.page.notes += self.notes
        self.page.anchors += self.anchors
        self.notes, self.anchors = [], []
        self.after_exercise = False
        self.pages.append(self.page)
        return self.page

    def remaining(self, page: _Page) -> float:
        return self.m.body.bottom - page.y

    def empty(self, page: _Page | None) -> bool:
        return page is None or not page.frames

    def place(self, page: _Page, frame_kind: str, height: float, make, width: float = 0.0) -> None:
        box = Box(self.m.body.x, page.y, width or self.m.body.w, height)
        page.frames.append(make(box))
        page.y += height + GAP
        page.slots[frame_kind] = page.slots.get(frame_kind, 0) + 1

    def add_notes(self, lines: list[str], to_last: bool = False) -> None:
        """Add speaker notes to the page being filled (or, with `to_last`, the last page made)."""
        if not lines:
            return
        if self.page is not None:
            self.page.notes += lines
        elif to_last and self.after_exercise:
            self.pages[-1].notes += lines
        else:
            self.notes += lines

    # --- slides -----------------------------------------------------------

    def title_slide(self) -> None:
        chapter, m, labels = self.chapter, self.m, self.labels
        label = f"{labels['chapter']} {chapter.number}"
        if chapter.duration:
            label += f" · {labels['duration']}: {chapter.duration}"
        frames: list[Frame] = []
        spilled: list[TextPara] = []
        if chapter.objectives:
            width = m.chapter_body.w - TEXT_INSETS.left - TEXT_INSETS.right
            for size in range(int(m.text_size), 13, -1):
                paras = [self.planner.para((Text(labels["objectives"]),), "label", size=float(size))]
                paras += [self.planner.para((Text(o),), "bullet", size=float(size)) for o in chapter.objectives]
                height = self.planner.text_height(paras, width) + TEXT_INSETS.top + TEXT_INSETS.bottom
                if height <= m.chapter_body.h:
                    frames.append(TextFrame(replace(m.chapter_body, h=height), tuple(paras)))
                    break
            else:  # too many to fit even small: they get slides of their own, after the title
                spilled = [self.planner.para((Text(o),), "bullet") for o in chapter.objectives]
        title_size = self.planner.fit_title(chapter.title, m.chapter_title, m.chapter_title_size, 24.0)
        self._chapter_slide = Slide(
            "chapter", chapter.title, title_size, tuple(frames), (), chapter,
            subtitle=(label,), subtitle_size=m.subtitle_size,
        )
        self.runs += 1
        page = _Page("chapter", chapter.title, self.runs, m.body.y, anchors=[chapter_id(chapter)])
        self.pages.append(page)
        self.page = page  # notes before the first section land on the title slide
        if spilled:
            self.start_run("content", (Text(labels["objectives"]),))
            self.lay_text(_Text(spilled), None)

    def section(self, section: Section) -> None:
        self.start_run("content", section.title or self.chapter.title)
        # Links into the section, its subheadings and exercises land on its first slide.
        anchors = [section.anchor] + [b.anchor for b in walk_blocks(section.blocks) if isinstance(b, Heading)]
        self.anchors += [anchor_id(self.chapter, a) for a in anchors if a]
        self.anchors += [b.anchor for b in walk_blocks(section.blocks) if isinstance(b, Callout) and b.anchor]
        blocks = section.blocks
        self.pieces(self.to_pieces(blocks, prose_to_notes=True))
        self.flush_notes()

    def flush_notes(self) -> None:
        """Give notes still waiting (a section with nothing else to show) to the last slide."""
        if self.notes or self.anchors:
            self.pages[-1].notes += self.notes
            self.pages[-1].anchors += self.anchors
            self.notes, self.anchors = [], []

    def exercise(self, callout: Callout) -> None:
        resume = self.run
        label = f"{self.labels['exercise']} {self.chapter.number}.{callout.number}" if callout.number else self.labels["exercise"]
        self.start_run("exercise", self.callout_title(label, callout))
        blocks = tuple(b for b in callout.blocks if not (isinstance(b, Callout) and b.kind == "solution"))
        self.pieces(self.to_pieces(blocks, prose_to_notes=False))
        self.current()  # an exercise always has its slide, even if empty
        solutions = [callout.solution] if callout.solution else []
        solutions += [b for b in callout.blocks if isinstance(b, Callout) and b.kind == "solution" and b is not callout.solution]
        for solution in solutions:
            label = self.labels["solution"]
            if callout.number:
                label += f" {self.chapter.number}.{callout.number}"
            self.solution(self.callout_title(label, callout), solution)
        self.run = resume
        self.page = None  # the section goes on on a new slide
        self.after_exercise = True

    def solution(self, title: tuple[Inline, ...], callout: Callout) -> None:
        self.start_run("solution", title)
        self.pieces(self.to_pieces(callout.blocks, prose_to_notes=False))
        self.current()

    def callout_title(self, label: str, callout: Callout) -> tuple[Inline, ...]:
        return (Text(f"{label}: {callout.title}" if callout.title else label),)

    def keypoint_slides(self) -> None:
        titled = next((c.title for c in self.keypoints if c.title), "")
        self.start_run("keypoints", (Text(titled or self.labels["keypoints"]),))
        blocks = tuple(b for c in self.keypoints for b in c.blocks)
        self.pieces(self.to_pieces(blocks, prose_to_notes=False))

    # --- blocks to pieces -------------------------------------------------

    def to_pieces(self, blocks: Iterable[Block], prose_to_notes: bool, level: int = 0) -> list:
        """Turn blocks into pieces (text, code, table, image, break); teaching blocks act at once.

        Exercises and key points are not pieces: they are handled when reached, so a
        section's pieces are laid out up to them first.
        """
        pieces: list = []

        def text(paras: list[TextPara], notes: list[str] | None = None, para_notes=None) -> None:
            para_notes = para_notes or [[] for _ in paras]
            if paras:
                para_notes[0] = [*(notes or []), *para_notes[0]]
            if pieces and isinstance(pieces[-1], _Text) and pieces[-1].style == "text":
                pieces[-1].paras += paras
                pieces[-1].notes += para_notes
                if not paras and notes:
                    pieces[-1].notes[-1] += notes
            elif paras:
                pieces.append(_Text(list(paras), "text", para_notes))
            elif notes:
                pieces.append(_Deferred(lambda: self.add_notes(notes)))

        for block in blocks:
            if isinstance(block, Paragraph):
                image = self.lone_image(block)
                if image is not None:
                    pieces.append(_Image(image))
                    continue
                text(*self.paragraph(block, prose_to_notes, level))
            elif isinstance(block, Heading):
                text([self.planner.para(block.inlines, "heading")])
            elif isinstance(block, ListBlock):
                for number, item in enumerate(block.items, block.start):
                    style = "number" if block.ordered else "bullet"
                    first, *rest = item.blocks or (Paragraph((), item.location),)
                    if isinstance(first, Paragraph):
                        text([self.planner.para(first.inlines, style, level, number)], footnote_notes(self.chapter, first.inlines))
                    else:
                        text([self.planner.para((), style, level, number)])
                        rest = [first, *rest]
                    for piece in self.to_pieces(rest, False, level + 1):
                        if isinstance(piece, _Text) and piece.style == "text":
                            text(piece.paras, para_notes=piece.notes)
                        else:
                            pieces.append(piece)
            elif isinstance(block, CodeBlock):
                pieces.append(_Code(block))
            elif isinstance(block, HtmlBlock):
                if not block.is_comment:
                    raw = CodeBlock(block.text, "html", CodeKind.TEXT, block.location, classes=("raw",))
                    pieces.append(_Code(raw))
            elif isinstance(block, Table):
                pieces.append(_Table(block))
            elif isinstance(block, Image):
                pieces.append(_Image(block))
            elif isinstance(block, Quote):
                for piece in self.to_pieces(block.blocks, prose_to_notes, level):
                    if isinstance(piece, _Text) and piece.style == "text":
                        quoted = [replace(p, style="quote", left=p.left + p.size) if p.style == "plain" else p for p in piece.paras]
                        text(quoted, para_notes=piece.notes)
                    else:
                        pieces.append(piece)
            elif isinstance(block, ThematicBreak):
                pieces.append(_Break())
            elif isinstance(block, Callout):
                pieces += self.callout_pieces(block)
        return pieces

    def callout_pieces(self, callout: Callout) -> list:
        kind = callout.kind
        if kind in ("notes", "teacher"):
            label = self.labels.get(kind, kind)
            return [_Deferred(lambda: self.add_notes([f"{label}:", *notes_text(callout.blocks)], to_last=True))]
        if kind == "exercise":
            return [_Deferred(lambda: self.exercise(callout))]
        if kind == "solution":  # a solution not attached to any exercise
            label = self.labels["solution"]
            return [_Deferred(lambda: self.solution(self.callout_title(label, callout), callout))]
        if kind == "keypoints":
            return [_Deferred(lambda: self.keypoints.append(callout))]
        label = self.labels.get(kind, kind.capitalize())
        if callout.title:
            label = f"{label}: {callout.title}"
        size = self.m.text_size - 2
        box = _Text([self.planner.para((Text(label),), "label", size=size)], kind if kind in ("tip", "warning", "hint") else "callout")
        inner: list = []
        for piece in self.to_pieces(callout.blocks, prose_to_notes=False):
            if isinstance(piece, _Text):
                box.paras += [replace(p, size=min(p.size, size)) for p in piece.paras]
                box.notes += piece.notes
            else:
                inner.append(piece)
        return [box, *inner]

    def lone_image(self, block: Paragraph) -> Image | None:
        if len(block.inlines) == 1 and isinstance(block.inlines[0], InlineImage):
            run = block.inlines[0]
            return Image(run.src, run.alt, block.location, run.title)
        return None

    def paragraph(self, block: Paragraph, prose_to_notes: bool, level: int) -> tuple[list[TextPara], list[str]]:
        """Return what a paragraph puts on the slide and in the notes.

        Long prose goes to the notes whole; its lead sentence stays on the slide when short.
        """
        planner = self.planner
        para = planner.para(block.inlines, "plain", level)
        notes = footnote_notes(self.chapter, block.inlines)
        if not prose_to_notes:
            return [para], notes
        width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
        parts = sentences(block.inlines)
        if len(parts) <= 2 and planner.fonts.lines(fit_para(para), width) <= 3:
            return [para], notes
        notes = [plain_text(block.inlines).replace("\n", " "), *notes]
        lead = planner.para(parts[0], "plain", level) if parts else None
        if lead is not None and planner.fonts.lines(fit_para(lead), width) <= 2:
            return [lead], notes
        return [], notes

    # --- laying out pieces ------------------------------------------------

    def pieces(self, pieces: list) -> None:
        for index, piece in enumerate(pieces):
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            if isinstance(piece, _Deferred):
                piece.action()
            elif isinstance(piece, _Text):
                self.lay_text(piece, following)
            elif isinstance(piece, _Code):
                self.lay_code(piece.block)
            elif isinstance(piece, _Table):
                self.lay_table(piece.table)
            elif isinstance(piece, _Image):
                self.lay_image(piece.image, following)
            elif isinstance(piece, _Break):
                if self.page is not None and self.page.frames and following is not None:
                    self.page = None

    def lay_text(self, piece: _Text, following) -> None:
        planner = self.planner
        insets = TEXT_INSETS if piece.style == "text" else BOX_INSETS
        width = self.m.body.w - insets.left - insets.right
        paras = list(piece.paras)
        notes = list(piece.notes)
        fixed = insets.top + insets.bottom
        # Text that leads into a code block, table or image stays on the same slide with its start.
        if self.page is not None and following is not None and not isinstance(following, (_Text, _Break, _Deferred)):
            if leads_on(paras[-1]):
                together = planner.text_height(paras, width) + fixed + GAP + self.min_height(following)
                if together > self.remaining(self.page) and together <= self.m.body.h and self.page.frames:
                    self.page = None
        i = 0
        while i < len(paras):
            page = self.current("text")
            available = self.remaining(page) - fixed
            take, used = 0, 0.0
            while i + take < len(paras):
                height = planner.fonts.height(fit_para(paras[i + take], take == 0), width)
                if used + height > available:
                    break
                used += height
                take += 1
            # A heading, a label or a line ending in a colon never ends a slide with what it leads into on the next.
            fitted = take
            while 0 < take < len(paras) - i and leads_on(paras[i + take - 1]):
                take -= 1
                used = planner.text_height(paras[i : i + take], width)
            if take == 0 and fitted and self.empty(page):  # only lead-ins fit even an empty slide: keep them
                take, used = fitted, planner.text_height(paras[i : i + fitted], width)
            if take == 0:
                if not self.empty(page):
                    self.new_page()
                    continue
                parts = self.split_para(paras[i], width, available)
                paras[i : i + 1] = parts
                notes[i : i + 1] = [notes[i]] + [[] for _ in parts[1:]]
                continue
            chunk = tuple(paras[i : i + take])
            chunk = (replace(chunk[0], space_before=0.0), *chunk[1:])
            self.place(page, "text", used + fixed, lambda box: TextFrame(box, chunk, piece.style))
            page.notes += [line for lines in notes[i : i + take] for line in lines]
            i += take
            if i < len(paras):
                self.new_page()

    def split_para(self, para: TextPara, width: float, available: float) -> list[TextPara]:
        """Split a paragraph taller than a whole slide into sentences, else set it smaller, else cut it
        between words (its formatting dropped: only a paragraph of a thousand words gets there)."""
        parts = sentences(para.inlines)
        if len(parts) > 1:
            follow = replace(para, style="plain" if para.bulleted else para.style, first=0.0)
            return [replace(para, inlines=parts[0]), *(replace(follow, inlines=p) for p in parts[1:])]
        fonts = self.planner.fonts
        size = para.size
        while size > 12 and fonts.height(fit_para(replace(para, size=size), True), width) > available:
            size -= 1
        para = replace(para, size=size)
        if fonts.height(fit_para(para, True), width) <= available:
            return [para]
        words, chunks = plain_text(para.inlines).split(" "), []
        while words:
            take = len(words)
            while take > 1 and fonts.height(fit_para(replace(para, inlines=(Text(" ".join(words[:take])),)), True), width) > available:
                take = max(1, take * 3 // 4)
            chunks.append(replace(para if not chunks else replace(para, style="plain", first=0.0), inlines=(Text(" ".join(words[:take])),)))
            words = words[take:]
        return chunks

    def min_height(self, piece) -> float:
        """Return the least height a piece needs at the foot of a slide."""
        if isinstance(piece, _Code):
            # A block that fits a slide is kept whole; a longer one may start with a few lines.
            settings = self.code_settings(piece.block)
            whole = next((c for c in settings if c.total <= self.m.body.h), None)
            if whole is not None:
                return whole.total
            return settings[0].fixed + sum(settings[0].heights[:CODE_MIN_LINES])
        if isinstance(piece, _Table):
            return self.m.table_size * 1.2 * 3 + 4 * (CELL_INSETS.top + CELL_INSETS.bottom)
        if isinstance(piece, _Image):
            return self.m.body.h * IMAGE_MIN
        return 0.0

    # --- code -------------------------------------------------------------

    def code_lines(self, block: CodeBlock) -> list[tuple[Run, ...]]:
        if block.has_class("raw"):
            return [(("", line.replace("\t", TAB)),) for line in block.text.rstrip("\n").split("\n")]
        return [merge_runs(line) for line in highlight_lines(block)]

    def code_size(self, lines: list[tuple[Run, ...]]) -> float:
        """Return the size that keeps the widest line on one line, between the floor and the template's size."""
        fonts = self.planner.fonts
        width = self.m.body.w - BOX_INSETS.left - BOX_INSETS.right
        size = self.m.code_size
        widest = max((fonts.width(Span("".join(t for _, t in line), size, MONO)) for line in lines), default=0.0)
        if widest > width:
            size = max(CODE_FLOOR, float(int(size * width / widest)))
        return size

    def code_setting(self, block: CodeBlock, size: float) -> _CodeSetting:
        """Return a code block measured at `size`."""
        fonts = self.planner.fonts
        lines = self.code_lines(block)
        width = self.m.body.w - BOX_INSETS.left - BOX_INSETS.right
        style = (
            "bad" if block.has_class("bad-example")
            else "synopsis" if block.has_class("synopsis")
            else "raw" if block.has_class("raw")
            else "code"
        )
        title = block.title
        if style == "bad":
            title = f"{title} {self.labels.get('bad_example', '✗')}".strip()
        hang = fonts.width(Span(TAB, size, MONO))
        title_height = 0.0
        if title:
            title_height = fonts.height(Para((Span(title, max(12.0, round(size * 0.7)), MONO, True),), size), width)
        fixed = title_height + BOX_INSETS.top + BOX_INSETS.bottom
        # A line so long that it would not fit a slide even wrapped is cut into lines that do.
        char = fonts.width(Span("x", size, MONO))
        most = int((width - hang) / char) * max(1, int((self.m.body.h - fixed) / (size * 1.2)) - 1)
        lines = [piece for line in lines for piece in cut_runs(line, most)]
        heights = [fonts.height(code_para(line, size, hang), width) for line in lines]
        return _CodeSetting(lines, size, hang, title, style, fixed, heights)

    def code_settings(self, block: CodeBlock) -> list[_CodeSetting]:
        """Return the block at its own size, then smaller, down to the floor for fitting by height."""
        size = self.code_size(self.code_lines(block))
        sizes = [size] + [float(s) for s in range(int(size) - 1, int(min(size, CODE_HEIGHT_FLOOR)) - 1, -1)]
        return [self.code_setting(block, s) for s in sizes]

    def lay_code(self, block: CodeBlock) -> None:
        """Place a code block: whole where it stands if it fits (smaller if need be), else whole on the next
        slide, else split into continuation slides."""
        settings = self.code_settings(block)
        page = self.current("code")
        here = next((c for c in settings if c.total <= self.remaining(page)), None)
        whole = next((c for c in settings if c.total <= self.m.body.h), None)
        if here is not None:
            chosen = here
        elif whole is not None:
            chosen = whole
            if not self.empty(page):
                self.new_page()
        else:
            chosen = settings[0]
        self.split_code(chosen)

    def split_code(self, code: _CodeSetting) -> None:
        lines, heights, i = code.lines, code.heights, 0
        while i < len(lines):
            page = self.current("code")
            available = self.remaining(page) - code.fixed
            take, used = 0, 0.0
            while i + take < len(lines) and used + heights[i + take] <= available:
                used += heights[i + take]
                take += 1
            if take < len(lines) - i and take < CODE_MIN_LINES and not self.empty(page):
                self.new_page()
                continue
            left = len(lines) - i - take
            if 0 < left < CODE_MIN_LINES and take > CODE_MIN_LINES:  # no widow lines on the next slide
                take -= min(CODE_MIN_LINES - left, take - CODE_MIN_LINES)
            take = max(take, 1)
            used = sum(heights[i : i + take])
            chunk = tuple(lines[i : i + take])
            self.place(page, "code", used + code.fixed,
                       lambda box: CodeFrame(box, chunk, code.size, code.title, code.style, code.hang))
            i += take
            if i < len(lines):
                self.new_page()

    # --- tables -----------------------------------------------------------

    def table_layout(self, table: Table, size: float) -> tuple[list[float], list[float]] | None:
        """Return column widths and row heights at `size`, or None when the columns cannot fit."""
        fonts = self.planner.fonts
        total = self.m.body.w
        pad = CELL_INSETS.left + CELL_INSETS.right
        columns = len(table.header)
        rows = (table.header, *table.rows)
        least, most = [pad] * columns, [pad] * columns
        for row_number, row in enumerate(rows):
            for col, cell in enumerate(row[:columns]):
                spans = fit_para(self.cell_para(cell, size, row_number == 0)).spans
                longest = max((fonts.width(replace(s, text=w)) for s in spans for w in s.text.split(" ")), default=0.0)
                least[col] = max(least[col], longest + pad)
                most[col] = max(most[col], sum(fonts.width(s) for s in spans) + pad)
        if sum(least) > total:
            return None
        if sum(most) <= total:  # a short table keeps about its natural width
            widths = [w * min(total / sum(most), 1.25) for w in most]
        else:
            spare = total - sum(least)
            flexible = sum(m - l for m, l in zip(most, least)) or 1.0
            widths = [l + (m - l) * spare / flexible for m, l in zip(most, least)]
        return widths, self.row_heights(table, size, widths)

    def cell_para(self, cell: tuple[Inline, ...], size: float, header: bool) -> TextPara:
        return TextPara(cell, size, "label" if header else "plain")

    def lay_table(self, table: Table) -> None:
        """Place a table: whole where it stands if it fits (smaller if need be), else whole on the next slide,
        else split by rows into continuation slides that repeat the header."""
        layouts = [
            (float(size), layout)
            for size in range(int(self.m.table_size), int(TABLE_FLOOR) - 1, -1)
            if (layout := self.table_layout(table, float(size))) is not None
        ]
        if not layouts:  # words too long for any column: equal columns, words break between characters
            widths = [self.m.body.w / len(table.header)] * len(table.header)
            layouts = [(TABLE_FLOOR, (widths, self.row_heights(table, TABLE_FLOOR, widths)))]
        page = self.current("table")
        # Every row, under the header, must fit a slide; a table that cannot is shown as text.
        layouts = [(s, l) for s, l in layouts if l[1][0] + max(l[1][1:], default=0.0) <= self.m.body.h]
        if not layouts:
            self.lay_text(_Text(self.table_as_text(table)), None)
            return
        readable = [(s, l) for s, l in layouts if s >= TABLE_HEIGHT_FLOOR] or layouts[:1]
        here = next(((s, l) for s, l in readable if sum(l[1]) <= self.remaining(page)), None)
        whole = next(((s, l) for s, l in readable if sum(l[1]) <= self.m.body.h), None)
        if here is not None:
            size, (widths, heights) = here
        elif whole is not None:
            size, (widths, heights) = whole
            if not self.empty(page):
                self.new_page()
        else:
            size, (widths, heights) = readable[0]
        header_height, row_heights = heights[0], heights[1:]
        i = 0
        rows = table.rows
        while True:
            page = self.current("table")
            available = self.remaining(page) - header_height
            take, used = 0, 0.0
            while i + take < len(rows) and used + row_heights[i + take] <= available:
                used += row_heights[i + take]
                take += 1
            if take < len(rows) - i and take < 2 and not self.empty(page):
                self.new_page()
                continue
            take = max(take, min(1, len(rows) - i))
            used = sum(row_heights[i : i + take])
            chunk = rows[i : i + take]
            chunk_heights = (header_height, *row_heights[i : i + take])
            self.place(page, "table", header_height + used,
                       lambda box: TableFrame(box, table.header, chunk, table.aligns, tuple(widths), chunk_heights, size),
                       sum(widths))
            i += take
            if i >= len(rows):
                break
            self.new_page()

    def table_as_text(self, table: Table) -> list[TextPara]:
        """Return each row of a table as a list item, "Header: value · Header: value"."""
        paras = []
        for row in table.rows:
            inlines: list[Inline] = []
            for index, cell in enumerate(row):
                if index:
                    inlines.append(Text(" · "))
                if index < len(table.header) and plain_text(table.header[index]).strip():
                    inlines.append(Strong((*table.header[index], Text(": "))))
                inlines += cell
            paras.append(self.planner.para(tuple(inlines), "bullet"))
        return paras

    def row_heights(self, table: Table, size: float, widths: list[float]) -> list[float]:
        fonts = self.planner.fonts
        pad = CELL_INSETS.left + CELL_INSETS.right
        heights = []
        for row_number, row in enumerate((table.header, *table.rows)):
            height = max((fonts.height(fit_para(self.cell_para(cell, size, row_number == 0), True), widths[c] - pad) for c, cell in enumerate(row[: len(widths)])), default=size * 1.2)
            heights.append(height + CELL_INSETS.top + CELL_INSETS.bottom)
        return heights

    # --- images -----------------------------------------------------------

    def lay_image(self, image: Image, following=None) -> None:
        found = self.planner.image(self.chapter, image)
        caption = [self.planner.para((Text(image.title),), "caption", size=self.m.text_size - 4)] if image.title else []
        caption_width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
        caption_height = (self.planner.text_height(caption, caption_width) + TEXT_INSETS.top + TEXT_INSETS.bottom + GAP) if caption else 0.0
        if found is None:
            self.lay_text(_Text(self.placeholder_paras(image), "placeholder"), None)
            if caption:
                self.lay_text(_Text(caption, "caption"), None)
            return
        path, loaded = found
        page = self.current("image")
        minimum = self.m.body.h * IMAGE_MIN
        if not self.empty(page) and self.remaining(page) - caption_height < minimum:
            page = self.new_page()
        height = self.remaining(page) - caption_height
        # A short text after the image keeps a place beside it, if the image stays large enough.
        if isinstance(following, _Text) and following.style == "text":
            text_width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
            after = self.planner.text_height(following.paras, text_width) + TEXT_INSETS.top + TEXT_INSETS.bottom + GAP
            if after <= self.m.body.h * 0.25 and height - after >= minimum:
                height -= after
        # Raster images are not blown up beyond twice their size at 96 dpi; SVG scales freely.
        limit_w = self.m.body.w if path.suffix.lower() == ".svg" else min(self.m.body.w, loaded.width * 1.5)
        height = max(height, 1.0)
        w = min(limit_w, height * loaded.width / loaded.height)
        h = w * loaded.height / loaded.width
        box = Box(self.m.body.x + (self.m.body.w - w) / 2, page.y, w, h)
        page.frames.append(ImageFrame(box, path, image.alt))
        page.y += h + GAP
        page.slots["image"] = page.slots.get("image", 0) + 1
        if caption:
            self.lay_text(_Text(caption, "caption"), None)

    def placeholder_paras(self, image: Image) -> list[TextPara]:
        remote = image.is_remote
        size = self.m.text_size - 4
        paras = [self.planner.para((Text(self.labels["remote_image" if remote else "missing_image"]),), "label", size=size)]
        if image.alt:
            paras.append(self.planner.para((Text(image.alt),), "plain", size=size))
        paras.append(self.planner.para((InlineCode(image.src),), "url", size=size - 2))
        return paras


@dataclass
class _Deferred:
    """A teaching block acted on when the layout reaches it (an exercise, notes, key points)."""

    action: object




class SlideDecks:
    """The decks of one course, planned once: the whole course and each chapter as .pptx, the course as PDF."""

    def __init__(self, course: Course, theme, created: str = "", cache_dir: Path | None = None):
        self.course = course
        self.theme = theme
        self.created = created
        self.cache_dir = cache_dir  # keeps the PDF deck's laid-out chapters between builds
        self._planner: SlidePlanner | None = None

    @property
    def planner(self) -> SlidePlanner:
        if self._planner is None:
            from generator.render.slides.fit import fonts_in
            from generator.render.slides.pptx_writer import template_metrics

            fonts = fonts_in(self.theme.find("fonts/DejaVuSans.ttf").parent)
            labels = self.theme.messages(self.course.info.language)
            self._planner = SlidePlanner(self.course, template_metrics(self.theme), labels, fonts)
        return self._planner

    def course_pptx(self) -> bytes:
        from generator.render.slides.pptx_writer import render_pptx

        return render_pptx(self.planner.deck(), self.theme, self.created)

    def chapter_pptx(self, chapter: Chapter) -> bytes:
        from generator.render.slides.pptx_writer import render_pptx

        title = f"{self.course.info.title} — {chapter.title_text}"
        return render_pptx(self.planner.deck([chapter], cover=False), self.theme, self.created, title)

    def course_pdf(self):
        """Make the PDF deck: a generator of parts to lay out (`generator.render.core.parts.Layouts`)."""
        from generator.render.slides.pdf_deck import slides_pdf_layouts

        return slides_pdf_layouts(self.planner.deck(), self.course, self.theme, self.created, self.cache_dir)
