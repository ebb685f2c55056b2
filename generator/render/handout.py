"""The printed handout: the course as a book, in a student and a teacher edition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.model import Course
from generator.render.html import HtmlFragments, anchor_id, chapter_id, exercises_with_solutions
from generator.render.pdf import html_to_pdf
from generator.themes import Theme

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
EDITIONS = ("student", "teacher")


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    edition: str = "student"
    paper: str = "a4"
    created: str = ""  # ISO date for the PDF metadata; empty leaves it out


def handout_html(course: Course, theme: Theme, options: HandoutOptions) -> str:
    """Return the handout as one HTML document."""
    labels = dict(theme.messages(course.info.language))
    return theme.render(
        "handout.html",
        info=course.info,
        chapters=course.chapters,
        edition=options.edition,
        labels=labels,
        html=HtmlFragments(course, labels, options.edition),
        page_size=PAGE_SIZES[options.paper],
        created=options.created,
        version=__version__,
        chapter_id=chapter_id,
        anchor_id=anchor_id,
        solutions=exercises_with_solutions,
    )


def handout_stylesheets(theme: Theme) -> list[Path]:
    custom = theme.optional("custom.css")  # a user theme's small additions
    return [theme.find("fonts.css"), theme.find("handout.css"), *([custom] if custom else [])]


def render_handout(course: Course, theme: Theme, options: HandoutOptions) -> bytes:
    """Return the handout PDF."""
    html = handout_html(course, theme, options)
    return html_to_pdf(
        html,
        handout_stylesheets(theme),
        base_url=course.root.resolve(),
        allowed=(course.root, *theme.folders),
        identifier=f"{course.info.slug}-handout-{options.edition}",
        max_pixels=course.limits.image_pixels,
    )
