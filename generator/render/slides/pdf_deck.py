"""The slide plan as a PDF deck: one 16:9 page per slide, through the theme's `slides.html`.

Frames are placed at the boxes of the plan, in the same fonts and sizes as the
.pptx, so both decks break and fit alike.

Like the handout, the deck is laid out in parts, a chapter's slides each, kept
between builds (`generator.render.core.parts`): editing a chapter lays out its
slides again, not the other 300. A slide's number and footer are in the frame,
one bare page per slide, drawn by Aula (`draw_frame`) and put over the parts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from generator import __version__
from generator.errors import warn
from generator.model import Course
from generator.render.core.book import draw_book
from generator.render.core.drawing import Font, new_document, text
from generator.render.core.parts import Layouts, Part, PartCache, PartSource
from generator.render.core.pdf import PageLayout, PdfTarget, saved
from generator.render.html import HtmlFragments
from generator.render.slides.deck import Box, CodeFrame, Deck, ImageFrame, Insets, Slide, TableFrame, TextFrame
from generator.themes import Theme

BORDER = 1.0  # points; drawn inside a box, so the padding gives it back


def frame_kind(frame) -> str:
    return {TextFrame: "text", CodeFrame: "code", TableFrame: "table", ImageFrame: "image"}[type(frame)]


def box_style(box: Box, insets: Insets | None = None, border: float = 0.0) -> Markup:
    """Return CSS placing an element at `box`, its text inside `insets` as in the .pptx."""
    style = f"left: {box.x:.2f}pt; top: {box.y:.2f}pt; width: {box.w:.2f}pt; height: {box.h:.2f}pt;"
    if insets is not None:
        style += (
            f" padding: {insets.top - border:.2f}pt {insets.right - border:.2f}pt"
            f" {insets.bottom - border:.2f}pt {insets.left - border:.2f}pt;"
        )
    return Markup(style)


def foot_box(box: Box, page_height: float) -> Markup:
    """Return CSS setting an element on the foot of `box`, growing upwards (a title anchored to the bottom)."""
    return Markup(f"left: {box.x:.2f}pt; bottom: {page_height - box.bottom:.2f}pt; width: {box.w:.2f}pt;")


def slides_html(
    deck: Deck,
    course: Course,
    theme: Theme,
    created: str = "",
    document: str = "deck",
    slides: Sequence[Slide] | None = None,
    first: int = 1,
    html: HtmlFragments | None = None,
) -> str:
    """Return the deck as one HTML document, a `<section>` per slide; or one piece of it (see slides.html)."""
    html = html or HtmlFragments(course, dict(theme.messages(course.info.language)))
    return theme.render(
        "slides.html",
        document=document,
        deck=deck,
        slides=deck.slides if slides is None else slides,
        first_number=first,
        m=deck.metrics,
        html=html,
        labels=html.labels,
        created=created,
        version=__version__,
        kind=frame_kind,
        box=box_style,
        foot=foot_box,
        border=BORDER,
    )


def slides_stylesheets(theme: Theme) -> list[Path]:
    return [theme.find("fonts.css"), theme.find("slides.css")]


@dataclass(frozen=True, slots=True)
class DeckPieces:
    """The PDF deck's pieces: a part per chapter's run of slides (the cover's a part of its own), and the frame.

    Made once a build: the PDF deck and each slide handout (which places its pages) ask for them.
    """

    runs: tuple[tuple[Slide, ...], ...]
    sources: tuple[PartSource, ...]
    frame: Part


def deck_pieces(deck: Deck, course: Course, theme: Theme, created: str = "") -> DeckPieces:
    """Return the deck's parts, to be laid out, and its frame, drawn."""
    # Read once for all the parts: the course's link targets, the labels, the theme's files.
    html = HtmlFragments(course, dict(theme.messages(course.info.language)))
    target = PdfTarget.for_course(course, theme, slides_stylesheets(theme))
    # Consecutive slides of one chapter make a part, the cover's (no chapter) one of their own.
    runs = tuple(tuple(slides) for _, slides in itertools.groupby(deck.slides, key=lambda slide: slide.chapter))
    sources = tuple(
        PartSource(
            slides_html(deck, course, theme, created, "part", run, html=html),
            f"{course.info.slug}-slides-{run[0].chapter.stem if run[0].chapter else 'cover'}",
            target,
        )
        for run in runs
    )
    return DeckPieces(runs, sources, draw_frame(deck, course, theme, created))


def slides_pdf_layouts(
    pieces: DeckPieces, deck: Deck, course: Course, theme: Theme, created: str = "", cache_dir: Path | None = None
) -> Layouts:
    """Make the PDF deck from its pieces, laid out by whoever drives this (see `generator.render.core.parts`)."""
    cache = PartCache(cache_dir)
    laid_out = yield from cache.parts(list(pieces.sources))
    if any(len(part.pages) != len(run) for part, run in zip(laid_out, pieces.runs, strict=True)):  # a theme let a slide run over
        cache.prune()
        warn(None, "W-slides-pieces", "a slide takes more than one page: the PDF deck is laid out as one document")
        return render_slides_pdf(deck, course, theme, created)
    # The PDF deck and the slide handouts (which place its pages) ask for it in one build: put together once.
    book = yield from cache.book(draw_book, [pieces.frame], laid_out)
    cache.prune()
    return book


# The footer and the slide number, as `slides.css` sets `.footer` and `.number` for a deck laid out whole:
# a line 18 pt high, 3.6 pt below the top of the footer's box and 7.2 pt inside its side, in a slate grey.
FOOT_LINE, FOOT_PAD_TOP, FOOT_PAD_SIDE, NUMBER_SIZE, FOOT_COLOUR = 18.0, 3.6, 7.2, 12.0, "0.290 0.333 0.408 rg"


def draw_frame(deck: Deck, course: Course, theme: Theme, created: str = "") -> Part:
    """Return the deck's frame: a page per slide, with the footer and the slide's number (none on the cover).

    Every box of it is known from the plan, so it is drawn (`core.drawing`), not laid out: 474 light
    pages of the bundled course cost WeasyPrint some three seconds. Its ink is all artifact on the
    deck's pages (`core.book`), as pagination is.
    """
    import pikepdf

    labels = dict(theme.messages(course.info.language))
    info, m = course.info, deck.metrics
    document = new_document(info.title, info.language, info.author, labels.get("slides", "Slides"), created)
    document.Root.StructTreeRoot = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    font = Font.load(theme.find("fonts/DejaVuSans.ttf"))
    fonts = document.make_indirect(pikepdf.Dictionary())

    def line(words: str, size: float, x: float) -> str:
        """The operators of one line of the foot: its baseline placed as CSS's half-leading places it."""
        baseline = m.footer.y + FOOT_PAD_TOP + (FOOT_LINE - font.line_height * size) / 2 + font.ascent * size
        return text(font, size, x, m.height - baseline, [words], fill=FOOT_COLOUR)

    right = m.body.x + m.body.w - FOOT_PAD_SIDE
    for number, slide in enumerate(deck.slides, start=1):
        page = document.add_blank_page(page_size=(m.width, m.height))
        if slide.layout == "cover":
            continue
        label = str(number)
        ink = [
            line(deck.footer, deck.footer_size, m.footer.x + FOOT_PAD_SIDE),
            line(label, NUMBER_SIZE, right - font.width(label, NUMBER_SIZE)),
        ]
        page.obj.Resources = pikepdf.Dictionary(Font=fonts)
        page.obj.Contents = document.make_stream("\n".join(ink).encode())
    fonts[font.resource] = font.embedded(document)
    return Part(saved(document), tuple(PageLayout(area=(0.0, 0.0)) for _ in deck.slides))


def render_slides_pdf(deck: Deck, course: Course, theme: Theme, created: str = "") -> bytes:
    """Return the PDF deck laid out as one document: no cache, every slide each time."""
    target = PdfTarget.for_course(course, theme, slides_stylesheets(theme))
    return target.pdf(slides_html(deck, course, theme, created), f"{course.info.slug}-slides")
