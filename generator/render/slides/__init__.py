"""The slide decks of a course: one plan, drawn as editable .pptx decks and as a PDF deck.

`SlideDecks` is the only module that brings the planner and the writers together:
the plan (`planner.py` → `deck.py`) knows nothing of python-pptx or WeasyPrint,
and each writer (`pptx_writer.py`, `pdf_deck.py`) only reads a plan.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model import Chapter, Course, Edition
from generator.render.core.parts import Document, InParts, Layouts
from generator.render.slides.fit import fonts_in
from generator.render.slides.planner import SlidePlanner
from generator.render.slides.template import template_metrics, template_path
from generator.themes import Theme

if TYPE_CHECKING:
    from generator.render.slides.pdf_deck import DeckDrawing


class SlideDecks:
    """The decks of one course, planned once: the whole course and each chapter as .pptx, the course as PDF."""

    def __init__(self, course: Course, theme: Theme, created: str = "", cache_dir: Path | None = None):
        self.course = course
        self.theme = theme
        self.created = created
        self.cache_dir = cache_dir  # keeps the .pptx pictures between builds
        self._planner: SlidePlanner | None = None

    @property
    def planner(self) -> SlidePlanner:
        if self._planner is None:
            fonts = fonts_in(self.theme.find("fonts/DejaVuSans.ttf").parent)
            labels = self.theme.messages(self.course.info.language)
            self._planner = SlidePlanner(self.course, template_metrics(self.theme), labels, fonts)
        return self._planner

    def course_pptx(self) -> Document:
        """Return how the course's .pptx is made: written by whichever process is free, from the plan made here."""
        return InParts(self._course_pptx)

    def _course_pptx(self) -> Layouts:
        from generator.render.core.parts import bind
        from generator.render.slides.pptx_writer import PptxWriting, keep_only_pictures_of

        deck = self.planner.deck()
        pptx = yield from bind(PptxWriting(deck, template_path(self.theme), self.created, pictures=self.pictures).bind, (), ())
        if self.pictures is not None:
            keep_only_pictures_of(deck, self.pictures)  # the course's deck shows every picture: the others are gone
        return pptx

    def chapter_pptx(self, chapter: Chapter) -> Document:
        """Return how one chapter's .pptx is made: as the course's, from its slides of the course's plan."""
        from generator.render.core.parts import bind
        from generator.render.slides.pptx_writer import PptxWriting

        def layouts() -> Layouts:
            title = f"{self.course.info.title} — {chapter.title_text}"
            writing = PptxWriting(self.planner.deck([chapter], cover=False), template_path(self.theme), self.created, title, self.pictures)
            return (yield from bind(writing.bind, (), ()))

        return InParts(layouts)

    @property
    def pictures(self) -> Path | None:
        """Where the decks' SVG pictures, rasterised for the .pptx, are kept between builds."""
        return self.cache_dir / "pictures" if self.cache_dir is not None else None

    def handout(self, edition: Edition, paper: str, per_page: int) -> Document:
        """Return how the slide handout is made: the PDF deck's pages, `per_page` to a sheet."""
        from generator.render.slides.handout import slides_handout_layouts

        return InParts(
            lambda: slides_handout_layouts(self.planner.deck(), self.course, self.theme, self.pdf(), edition, paper, per_page, self.created)
        )

    def course_pdf(self) -> Document:
        """Return how the PDF deck is made: drawn from the plan, by whichever process is free."""
        return InParts(self.pdf)

    def pdf(self) -> Layouts:
        """Make the PDF deck: drawn as a task (`Binding`), by whichever process is free.

        The deck and both slide handouts ask for the same task, of one `DeckDrawing`: the
        build's scheduler draws it once for all three, in a worker while this process hands out the rest.
        """
        from generator.render.core.parts import bind

        if self.cache_dir is not None:
            _clear_laid_out_slides(self.cache_dir)
        return (yield from bind(self.drawing.bind, (), ()))

    @cached_property
    def drawing(self) -> DeckDrawing:
        from generator.render.slides.pdf_deck import DeckDrawing

        return DeckDrawing.of(self.planner.deck(), self.course, self.theme, self.created)


def _clear_laid_out_slides(folder: Path) -> None:
    """Delete the chapters of slides WeasyPrint laid out for builds before the deck was drawn (some 3 MB a course)."""
    try:
        for leftover in [*folder.glob("*.pdf"), *folder.glob("*.json")]:
            leftover.unlink(missing_ok=True)
    except OSError:
        pass  # left for a later build
