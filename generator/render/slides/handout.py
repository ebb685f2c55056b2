"""Slide handouts: the PDF deck's pages, N to a portrait sheet, with ruled lines or the speaker notes beside each.

The slides are not laid out again. The sheets are a light document of their own
(`slides-handout.html`: running header, page numbers, the teacher's notes), laid
out by WeasyPrint in parts of `SHEETS_PER_PART` sheets, cached like any part;
then each page of the PDF deck is drawn into its box on its sheet as a form
XObject, and the student's ruled lines beside it as plain strokes
(`core.book.place_pages`).
Boxes are computed here, in millimetres from the sheet's top-left corner, and
given both to the template and to the drawing, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from generator import __version__
from generator.model import Course, Edition
from generator.render.core.book import Rule, place_pages
from generator.render.core.parts import Layouts, PartCache, PartSource
from generator.render.core.pdf import PdfTarget
from generator.render.slides.deck import Deck
from generator.themes import Theme

PER_PAGE = (1, 2, 3, 4, 6)
SHEETS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # millimetres
MARGIN, TOP, BOTTOM, GAP = 15.0, 20.0, 15.0, 6.0  # the header sits above TOP, the page number below the bottom margin
LINE = 8.0  # between ruled lines
PT_PER_MM = 72 / 25.4
SLIDE_SHARE = 0.55  # a slide takes at most this share of the width when the notes are beside it
SHEETS_PER_PART = 24

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

    header: str
    number: int
    slides: tuple[tuple[int, Slot, tuple[str, ...]], ...]  # (page of the deck, where, its speaker notes)
    opens: bool = False  # its header differs from the sheet before's: a chapter starts here


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
    for number, first in enumerate(range(0, len(deck.slides), per_page), start=1):
        chosen = deck.slides[first : first + per_page]
        titles = dict.fromkeys(slide.chapter.title_text if slide.chapter else deck.info.title for slide in chosen)
        placed = tuple((first + i, boxes[i], slide.notes) for i, slide in enumerate(chosen))
        header = " · ".join(titles)
        made.append(Sheet(header, number, placed, opens=not made or made[-1].header != header))
    return made


def handout_html(made: Sequence[Sheet], part: slice, course: Course, theme: Theme, edition: Edition, paper: str, created: str) -> str:
    """Return the sheets in `part` of all the handout's sheets `made` as one HTML document: headers, page numbers, notes."""
    labels = dict(theme.messages(course.info.language))
    return theme.render(
        "slides-handout.html",
        info=course.info,
        sheets=made[part],
        total=len(made),
        edition=edition,
        labels=labels,
        sheet_size=SHEETS[paper],
        created=created,
        version=__version__,
        box=_box_style,
    )


def _box_style(box: Box) -> Markup:
    left, top, width, height = box
    return Markup(f"left: {left:.2f}mm; top: {top:.2f}mm; width: {width:.2f}mm; height: {height:.2f}mm;")


def slides_handout_layouts(
    deck: Deck,
    course: Course,
    theme: Theme,
    deck_pdf: Layouts,
    edition: Edition = "student",
    paper: str = "a4",
    per_page: int = 3,
    created: str = "",
    cache_dir: Path | None = None,
) -> Layouts:
    """Make the slide handout: the deck's own parts (`deck_pdf`, shared with the PDF deck), then the sheets, then both joined."""
    pdf = yield from deck_pdf
    target = PdfTarget.for_course(course, theme, [theme.find("fonts.css"), theme.find("slides-handout.css")])
    made, height = sheets(deck, paper, per_page), SHEETS[paper][1]
    # The sheets in parts of SHEETS_PER_PART: laid out side by side, and one part again when the notes
    # of its slides change, not all 158 sheets.
    parts = [slice(first, first + SHEETS_PER_PART) for first in range(0, max(len(made), 1), SHEETS_PER_PART)]
    cache = PartCache(cache_dir)
    frames = yield from cache.parts(
        [
            PartSource(
                handout_html(made, part, course, theme, edition, paper, created),
                f"{course.info.slug}-slides-handout-{edition}-{per_page}-{number}",
                target,
            )
            for number, part in enumerate(parts, start=1)
        ]
    )
    cache.prune()
    label = dict(theme.messages(course.info.language)).get("slide", "Slide")
    descriptions = [f"{label} {number}: {slide.title_text}" for number, slide in enumerate(deck.slides, start=1)]
    rules = _rules(made, height) if edition == "student" else []
    return place_pages(frames, pdf, _placements(made, height), descriptions, rules)


def _placements(made: Sequence[Sheet], sheet_height: float) -> list[list[tuple[int, tuple[float, float, float, float]]]]:
    """Return, per sheet, each deck page and its box in PDF points from the bottom-left corner."""
    return [
        [
            (page, (left * PT_PER_MM, (sheet_height - top - height) * PT_PER_MM, width * PT_PER_MM, height * PT_PER_MM))
            for page, slot, _ in sheet.slides
            for left, top, width, height in [slot.slide]
        ]
        for sheet in made
    ]



def _rules(made: Sequence[Sheet], sheet_height: float) -> list[list[Rule]]:
    """Return, per sheet, the ruled lines beside its slides: one every `LINE` down each notes box, in PDF points."""
    rules = []
    for sheet in made:
        lines = []
        for _, slot, _ in sheet.slides:
            left, top, width, _ = slot.notes
            for number in range(1, slot.lines + 1):
                y = (sheet_height - top - number * LINE) * PT_PER_MM + 0.25  # a 0.5 pt line sitting on the line's foot
                lines.append((left * PT_PER_MM, y, (left + width) * PT_PER_MM))
        rules.append(lines)
    return rules
