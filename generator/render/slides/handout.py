"""Slide handouts: the PDF deck's pages, N to a portrait sheet, with ruled lines or the speaker notes beside each.

The slides are not laid out again: each page of the PDF deck becomes a form XObject,
drawn into its box on a sheet. Nor are the sheets laid out: every box on them is
decided here, in millimetres from the sheet's top-left corner, so they are drawn
directly (`core.drawing`): the running header, the page number, the student's ruled
lines, the presenter's notes. Laid out by WeasyPrint, the sheets cost 5 to 10 ms each;
drawn, the whole handout of the bundled course (158 sheets, 474 slides placed, the file
written) costs about half a second (benchmarks/slides_handout.py).

As drawing replaces layout, the sheet's look is set here rather than in a stylesheet,
in the theme's own fonts: grey headers and black text, for printing in black and white.
The tags are ours too: the course's title on the first sheet is the `H1`; each chapter's
title an `H2`, read just before its first slide; each slide a `Figure` described by its
title, and each paragraph of its notes a `P`; the running header, the page number, the
frames and the lines are artifacts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ThemeError, warn
from generator.model import Course, CourseInfo, Edition
from generator.render.core.book import save_book
from generator.render.core.drawing import Font, fitted, lines, new_document, text, warn_missing
from generator.render.core.parts import Layouts, Part, bind
from generator.render.core.structure import BookStructure, untied_form
from generator.render.slides.deck import Deck
from generator.themes import Theme

PER_PAGE = (1, 2, 3, 4, 6)
SHEETS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # millimetres
MARGIN, TOP, BOTTOM, GAP = 15.0, 20.0, 15.0, 6.0  # the header sits above TOP, the page number below the bottom margin
LINE = 8.0  # between ruled lines
PT_PER_MM = 72 / 25.4
SLIDE_SHARE = 0.55  # a slide takes at most this share of the width when the notes are beside it

# The look of what is drawn around the slides (sizes in points, distances in millimetres, grey 0 is black).
SANS, SERIF = "DejaVuSans.ttf", "DejaVuSerif.ttf"  # in the theme's fonts/ folder
HEADER_SIZE, HEADER_GREY, HEADER_TOP = 7.5, 0.27, 9.0  # the running header's line starts HEADER_TOP from the top edge
COURSE_WIDTH, CHAPTER_WIDTH = 85.0, 95.0  # a title longer than its room ends in "…"
NUMBER_SIZE, NUMBER_BOTTOM = 8.0, 7.0
NOTES_SIZES = (8.0, 7.2, 6.5, 6.0)  # the notes' sizes, largest first: the first at which they fit their box
NOTES_LEADING, NOTES_GAP = 1.3, 1.2  # line height (in em), and space after a paragraph

Box = tuple[float, float, float, float]  # left, top, width, height, in mm from the sheet's top-left corner


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one slide and its notes go on a sheet."""

    slide: Box
    notes: Box
    lines: int  # ruled lines that fit the notes box


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of the handout: its header, its number, and the slides on it with their notes."""

    titles: tuple[str, ...]  # the chapters its slides belong to (the course's, for the cover), in order
    number: int
    slides: tuple[tuple[int, Slot, tuple[str, ...]], ...]  # (page of the deck, where, its speaker notes)
    starts: tuple[tuple[int, str], ...] = ()  # (place on the sheet, title) of each chapter whose first slide is here

    @property
    def header(self) -> str:
        return " · ".join(self.titles)


def slots(paper: str, per_page: int) -> list[Slot]:
    """Return the boxes of `per_page` slides on a portrait sheet: one big slide with lines below, or a column beside lines."""
    width, height = SHEETS[paper]
    inner_width, inner_height = width - 2 * MARGIN, height - TOP - BOTTOM
    if per_page == 1:
        slide = (MARGIN, TOP, inner_width, inner_width * 9 / 16)
        below = TOP + slide[3] + GAP
        notes = (MARGIN, below, inner_width, TOP + inner_height - below)
        return [Slot(slide, notes, int(notes[3] // LINE))]
    row = (inner_height - (per_page - 1) * GAP) / per_page
    slide_width = min(row * 16 / 9, inner_width * SLIDE_SHARE)
    result = []
    for index in range(per_page):
        top = TOP + index * (row + GAP)
        slide = (MARGIN, top, slide_width, slide_width * 9 / 16)
        notes = (MARGIN + slide_width + GAP, top, inner_width - slide_width - GAP, row)
        result.append(Slot(slide, notes, int(notes[3] // LINE)))
    return result


def sheets(deck: Deck, paper: str, per_page: int) -> list[Sheet]:
    """Return the sheets of the handout: the deck's slides in order, `per_page` to a sheet."""
    boxes = slots(paper, per_page)
    made: list[Sheet] = []
    seen: set[int] = set()  # the chapters (by number) whose first slide is on a sheet made already
    for number, first in enumerate(range(0, len(deck.slides), per_page), start=1):
        chosen = deck.slides[first : first + per_page]
        titles = dict.fromkeys(slide.chapter.title_text if slide.chapter else deck.info.title for slide in chosen)
        placed = tuple((first + i, boxes[i], slide.notes) for i, slide in enumerate(chosen))
        starts = []
        for place, slide in enumerate(chosen):
            if slide.chapter is not None and slide.chapter.number not in seen:
                seen.add(slide.chapter.number)
                starts.append((place, slide.chapter.title_text))
        made.append(Sheet(tuple(titles), number, placed, tuple(starts)))
    return made


def slides_handout_layouts(
    deck: Deck,
    course: Course,
    theme: Theme,
    deck_pdf: Layouts,
    edition: Edition = "student",
    paper: str = "a4",
    per_page: int = 3,
    created: str = "",
) -> Layouts:
    """Make the slide handout: the PDF deck (`deck_pdf`, drawn once for the deck and both handouts), then the sheets drawn around its pages.

    The drawing is a task (`Binding`), for whichever process is free: the two editions are drawn at once.
    """
    pdf = yield from deck_pdf
    drawing = HandoutDrawing.of(sheets(deck, paper, per_page), deck, course, theme, edition, paper, created)
    return (yield from bind(drawing.bind, (), [Part(pdf, ())]))


def draw_handout(
    made: Sequence[Sheet], deck: Deck, deck_pdf: bytes, course: Course, theme: Theme, edition: Edition, paper: str, created: str
) -> bytes:
    """Return the handout's PDF: each sheet of `made` drawn, tagged, with its slides from `deck_pdf` placed on it."""
    return HandoutDrawing.of(made, deck, course, theme, edition, paper, created).draw(deck_pdf)


@dataclass(frozen=True, eq=False)
class HandoutDrawing:
    """All a slide handout is drawn from but the deck's pages, read in the build's process: it crosses to a worker whole."""

    made: tuple[Sheet, ...]
    descriptions: tuple[str, ...]  # each slide's, as its figure's alt text
    info: CourseInfo
    labels: dict[str, str]
    fonts: dict[str, Path | None]  # the theme's, by file; None: the theme has none
    theme_folders: str  # where the fonts were looked for, to say so
    edition: Edition
    paper: str
    created: str

    @classmethod
    def of(
        cls, made: Sequence[Sheet], deck: Deck, course: Course, theme: Theme, edition: Edition, paper: str, created: str
    ) -> HandoutDrawing:
        labels = dict(theme.messages(course.info.language))
        label = labels.get("slide", "Slide")
        descriptions = tuple(f"{label} {number}: {slide.title_text}" for number, slide in enumerate(deck.slides, start=1))
        fonts = {file: theme.optional(f"fonts/{file}") for file in (SANS, SERIF)}
        folders = ", ".join(map(str, theme.folders))
        return cls(tuple(made), descriptions, course.info, labels, fonts, folders, edition, paper, created)

    def bind(self, frames: Sequence[Part], parts: Sequence[Part]) -> bytes:
        """Draw the handout as a `Binding` does: of one part, the PDF deck."""
        [deck] = parts
        return self.draw(deck.pdf)

    def draw(self, deck_pdf: bytes) -> bytes:
        """Return the handout's PDF: each sheet drawn, tagged, with its slides from `deck_pdf` placed on it."""
        import pikepdf

        labels, info = self.labels, self.info
        kind = labels.get("slides_handout", "Slide handout")
        book = new_document(f"{info.title} · {kind}", info.language, info.author, kind, self.created)
        structure = BookStructure(book)
        typefaces = _Typefaces(self.fonts, self.theme_folders)
        fonts = book.make_indirect(pikepdf.Dictionary())  # filled once every sheet is drawn: the subsets hold what was drawn
        width, height = SHEETS[self.paper]
        label = labels.get("slide", "Slide")
        with pikepdf.open(io.BytesIO(deck_pdf)) as slides:
            forms = _SlideForms(book, slides)
            for sheet in self.made:
                page = book.add_blank_page(page_size=(width * PT_PER_MM, height * PT_PER_MM))
                page.obj.Tabs = pikepdf.Name.S  # annotations, if a reader adds any, in the order of the tags
                drawing = _SheetDrawing(page, structure, (width, height), typefaces, labels.get("notes_cut", "[…]"))
                drawing.course_title(info.title, heading=sheet.number == 1)
                # The running header is the heading of the first chapter that starts here, read where its slides start.
                opening = sheet.starts[0] if sheet.starts else None
                if opening is None:
                    drawing.chapter_header(sheet.header)
                for place, (index, slot, notes) in enumerate(sheet.slides):
                    if opening is not None and place == opening[0]:
                        drawing.chapter_header(sheet.header, heading=opening[1])
                    drawing.slide(forms.form(index), slot, self.descriptions[index])
                    if self.edition == "teacher":
                        drawing.notes(notes, slot.notes, f"{label} {index + 1}")
                    else:
                        drawing.rules(slot)
                drawing.number(f"{sheet.number} / {len(self.made)}")
                page.obj.Resources = pikepdf.Dictionary(Font=fonts, XObject=pikepdf.Dictionary(drawing.forms))
                page.obj.Contents = book.make_stream(drawing.content())
            for font in typefaces.used.values():
                fonts[font.resource] = font.embedded(book)
            warn_missing(typefaces.used.values(), "the slide handout prints")
            _add_outline(book, self.made)
            structure.finish()
            return save_book(book)  # the slides' fonts too: one copy each, not one per chapter of the deck


def _add_outline(book, made: Sequence[Sheet]) -> None:
    """Bookmark the sheet where each chapter's slides start, under the chapter's title; the course's title on the first."""
    from pikepdf import OutlineItem

    with book.open_outline() as outline:
        if made and made[0].titles:
            outline.root.append(OutlineItem(made[0].titles[0], 0))
        outline.root.extend(OutlineItem(title, index) for index, sheet in enumerate(made) for _, title in sheet.starts)


class _Typefaces:
    """The theme's fonts the sheets are drawn in, each read when first asked for (the student's sheets have no notes)."""

    def __init__(self, files: dict[str, Path | None], folders: str):
        self.files, self.folders = files, folders
        self.used: dict[str, Font] = {}  # by file

    @property
    def sans(self) -> Font:
        return self._font(SANS)

    @property
    def serif(self) -> Font:
        serif = self._font(SERIF)
        serif.fallback = self.sans  # DejaVu Sans has more symbols (✓, ☐) than DejaVu Serif
        return serif

    def _font(self, file: str) -> Font:
        if file not in self.used:
            path = self.files.get(file)
            if path is None:
                raise ThemeError(f"the theme has no `fonts/{file}` (looked in {self.folders})")
            font = Font.load(path)
            font.resource = f"/Aula{len(self.used) + 1}"
            self.used[file] = font
        return self.used[file]


class _SlideForms:
    """The deck's pages as form XObjects of the handout, each copied once however often it is drawn."""

    def __init__(self, book, slides):
        self.book, self.pages, self.made = book, list(slides.pages), {}  # listed once, as `draw_book` does

    def form(self, index: int) -> tuple[str, Any, tuple[float, float]]:
        """Return the form of deck page `index`: its resource name, the form, and the page's width and height in points."""
        if index not in self.made:
            page = self.pages[index]
            box = [float(n) for n in page.mediabox]
            self.made[index] = (f"/AulaSlide{index}", untied_form(self.book.copy_foreign(page.as_form_xobject())),
                                (box[2] - box[0], box[3] - box[1]))
        return self.made[index]


class _SheetDrawing:
    """The content of one sheet being drawn: PDF operators, each tagged (in reading order) or an artifact."""

    def __init__(self, page, structure: BookStructure, size: tuple[float, float], typefaces: _Typefaces, cut_label: str = "[…]"):
        self.page, self.structure, self.typefaces, self.cut_label = page, structure, typefaces, cut_label
        self.width, self.height = size  # in mm
        self.ops: list[str] = []
        self.forms: dict[str, Any] = {}

    def content(self) -> bytes:
        return "\n".join(self.ops).encode()

    def course_title(self, title: str, heading: bool) -> None:
        """The running header's left side: the course's title, the `H1` on the first sheet and an artifact on the others."""
        font = self.typefaces.sans
        shown = fitted(title, font, HEADER_SIZE, COURSE_WIDTH * PT_PER_MM)
        self._lines([shown], font, HEADER_SIZE, MARGIN * PT_PER_MM, self._header_baseline(), "/H1" if heading else "",
                    HEADER_GREY, actual=title if shown != title else "")

    def chapter_header(self, header: str, heading: str = "") -> None:
        """The running header's right side: the chapters of the sheet's slides, an artifact; or, where the chapter
        `heading` starts, its `H2`, read as the chapter's whole title however the header shows it."""
        font = self.typefaces.sans
        shown = fitted(header, font, HEADER_SIZE, CHAPTER_WIDTH * PT_PER_MM)
        right = (self.width - MARGIN) * PT_PER_MM - font.width(shown, HEADER_SIZE)
        actual = heading if heading and heading != shown else ""
        self._lines([shown], font, HEADER_SIZE, right, self._header_baseline(), "/H2" if heading else "", HEADER_GREY, actual=actual)

    def _header_baseline(self) -> float:
        return HEADER_TOP * PT_PER_MM + self.typefaces.sans.ascent * HEADER_SIZE

    def slide(self, form: tuple[str, Any, tuple[float, float]], slot: Slot, description: str) -> None:
        """Draw a deck page into the slot's slide box, as a figure described by `description`, framed by a thin rule."""
        name, xobject, (page_width, page_height) = form
        self.forms[name] = xobject
        left, top, width, height = (n * PT_PER_MM for n in slot.slide)
        bottom = self.height * PT_PER_MM - top - height
        show = f"q {width / page_width:.5f} 0 0 {height / page_height:.5f} {left:.3f} {bottom:.3f} cm {name} Do Q"
        self.ops.append(self.structure.mark(self.page, "/Figure", description) + show + "\nEMC")
        self.ops.append(f"/Artifact BMC q 0.45 G 0.5 w {left:.3f} {bottom:.3f} {width:.3f} {height:.3f} re S Q EMC")

    def rules(self, slot: Slot) -> None:
        """Grey lines to write notes on, one every `LINE` down the notes box, drawn as plain strokes."""
        left, top, width, _ = slot.notes
        strokes = []
        for number in range(1, slot.lines + 1):
            y = (self.height - top - number * LINE) * PT_PER_MM + 0.25  # a 0.5 pt line sitting on the line's foot
            strokes.append(f"{left * PT_PER_MM:.3f} {y:.3f} m {(left + width) * PT_PER_MM:.3f} {y:.3f} l")
        if strokes:
            self.ops.append(f"/Artifact BMC q 0.6 G 0.5 w {' '.join(strokes)} S Q EMC")

    def notes(self, notes: Sequence[str], box: Box, slide: str) -> None:
        """The speaker notes in the notes box, a paragraph each, at the largest of `NOTES_SIZES` at which they fit.

        Notes too long even at the smallest lose the lines that do not fit, and the build says so.
        """
        font = self.typefaces.serif
        left, top, width, height = (n * PT_PER_MM for n in box)
        for size in NOTES_SIZES:
            broken = [lines(paragraph, font, size, width) for paragraph in notes]
            leading, gap = NOTES_LEADING * size, NOTES_GAP * PT_PER_MM
            if sum(len(paragraph) * leading + gap for paragraph in broken) - gap <= height + 0.01:
                break
        # CSS's half-leading: the room a line has beyond its font's own height is shared above and below it.
        baseline = (leading - font.line_height * size) / 2 + font.ascent * size
        room = int((height + 0.01) // leading)  # lines, were there no space between paragraphs
        cursor, foot, left_out = top, top + height, 0  # the top of the next line's box
        for number, paragraph in enumerate(broken):
            fitting = paragraph[: max(0, int((foot - cursor + 0.01) // leading))]
            cut = len(fitting) < len(paragraph) or (number + 1 < len(broken) and cursor + len(paragraph) * leading + gap >= foot)
            if cut and fitting:  # the last line that fits says where the rest is
                fitting = [*fitting[:-1], fitted(self.cut_label, font, size, width)]
            if fitting:
                self._lines(fitting, font, size, left, cursor + baseline, "/P", leading=leading)
            if cut:
                left_out = sum(len(rest) for rest in broken[number:]) - len(fitting) + 1
                break
            cursor += len(paragraph) * leading + gap
        if left_out:
            total = sum(len(paragraph) for paragraph in broken)
            warn(None, "W-notes-cut", f"{slide}: its speaker notes take {total} lines at {size:g} pt, beside it on the presenter's"
                                      f" slide handout there is room for {room}: {left_out} left out")

    def number(self, label: str) -> None:
        """The sheet's number, centred at the foot: an artifact, as pagination is."""
        font = self.typefaces.sans
        baseline = (self.height - NUMBER_BOTTOM) * PT_PER_MM - font.descent * NUMBER_SIZE
        left = (self.width * PT_PER_MM - font.width(label, NUMBER_SIZE)) / 2
        self._lines([label], font, NUMBER_SIZE, left, baseline, "", artifact="/Footer")

    def _lines(self, texts: Sequence[str], font: Font, size: float, x: float, top: float, tag: str, grey: float = 0.0,
               leading: float = 0.0, artifact: str = "/Header", actual: str = "") -> None:
        """Lines of text, the first with its baseline `top` points below the sheet's top edge, tagged `tag`.

        Untagged, they are an artifact: pagination, a running `artifact` ("/Header" or "/Footer").
        A tagged line that shows less than it stands for (cut short) is read as `actual`.
        """
        body = text(font, size, x, self.height * PT_PER_MM - top, texts, leading, f"{grey:g} g")
        if tag:
            opening = self.structure.mark(self.page, tag, actual=actual)
        else:
            opening = f"/Artifact <</Type /Pagination /Subtype {artifact}>> BDC "
        self.ops.append(f"{opening}{body}\nEMC")
