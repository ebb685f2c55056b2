"""The slide plan as a PDF deck: one 16:9 page per slide, through the theme's `slides.html`.

Frames are placed at the boxes of the plan, in the same fonts and sizes as the
.pptx, so both decks break and fit alike.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from generator import __version__
from generator.model import Course
from generator.render.html import HtmlFragments
from generator.render.pdf import html_to_pdf
from generator.render.slides import Box, CodeFrame, Deck, ImageFrame, Insets, TableFrame, TextFrame
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


def slides_html(deck: Deck, course: Course, theme: Theme, created: str = "") -> str:
    """Return the deck as one HTML document, a `<section>` per slide."""
    labels = dict(theme.messages(course.info.language))
    return theme.render(
        "slides.html",
        deck=deck,
        m=deck.metrics,
        html=HtmlFragments(course, labels),
        labels=labels,
        created=created,
        version=__version__,
        kind=frame_kind,
        box=box_style,
        foot=foot_box,
        border=BORDER,
    )


def slides_stylesheets(theme: Theme) -> list[Path]:
    return [theme.find("fonts.css"), theme.find("slides.css")]


def render_slides_pdf(deck: Deck, course: Course, theme: Theme, created: str = "") -> bytes:
    """Return the PDF deck."""
    return html_to_pdf(
        slides_html(deck, course, theme, created),
        slides_stylesheets(theme),
        base_url=course.root.resolve(),
        allowed=(course.root, *theme.folders),
        identifier=f"{course.info.slug}-slides",
        max_pixels=course.limits.image_pixels,
    )
