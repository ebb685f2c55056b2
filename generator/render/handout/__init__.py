"""The printed books: the handout (student and teacher editions), the exercise worksheet and the answer key.

All three are one machine with three templates (`Book`): `handout.html`,
`worksheet.html` (the exercises with room to answer) and `answers.html` (the
solutions only).

Each chapter is laid out on its own, in parallel and cached between builds
(`generator.render.core.parts`), so editing one chapter lays out that chapter again,
not the whole book. What depends on page numbers is laid out after the chapters:
the contents, with its page numbers written in, and the book's frame, a light
document with the cover and one empty page per page of the book carrying the
running header, the page number and the "see page N" lines. The pages are
put into the frame, which is drawn over them, and links, anchors and bookmarks
made across the book, by `generator.render.core.book`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from generator import __version__
from generator.errors import warn
from generator.links import anchor_id, chapter_id
from generator.model import Callout, Chapter, Course, Edition
from generator.render.core.book import draw_book
from generator.render.core.parts import Document, Layouts, Part, PartCache, PartSource, choose_document
from generator.render.core.pdf import PageLayout, PdfTarget, Rect
from generator.render.html import HtmlFragments, exercises_with_solutions
from generator.state.kit import Kit
from generator.themes import Theme

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
# Which book: the course handout, the exercise worksheet, the answer key.
Book = Literal["handout", "worksheet", "answers"]


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    edition: Edition = "student"
    paper: str = "a4"
    created: str = ""  # ISO date for the PDF metadata; empty leaves it out
    cache_dir: Path | None = None  # keeps laid-out chapters between builds; None: no cache
    book: Book = "handout"
    chapters: tuple[int, ...] = ()  # the numbers of the chapters to print; () for all
    cover: bool = True  # a cover and a contents: a book; without, a few pages for one lesson

    @property
    def template(self) -> str:
        return f"{self.book}.html"

    @property
    def name(self) -> str:
        """Return the book's name in identifiers and cache folders: `handout-student`, `worksheet`, …"""
        return f"handout-{self.edition}" if self.book == "handout" else self.book

    def printed(self, course: Course) -> tuple[Chapter, ...]:
        return tuple(c for c in course.chapters if not self.chapters or c.number in self.chapters)


@dataclass(frozen=True, slots=True)
class Frame:
    """One page of the book's frame: the kind of page drawn into it, the chapter it opens, its stamps."""

    kind: str = ""  # "toc" under a page of contents
    chapter: str = ""
    stamps: Markup = Markup("")


def handout_html(
    course: Course,
    theme: Theme,
    options: HandoutOptions,
    document: str = "book",
    html: HtmlFragments | None = None,
    articles: Sequence[Chapter] | None = None,
    pages: Mapping[str, int] | None = None,
    frames: Sequence[Frame] = (),
    kit: Kit | None = None,
    apart: bool = False,
) -> str:
    """Return the book as one HTML document, or one piece of it (see handout.html).

    `kit` is what the classroom needs, for the teacher edition's preparation page; `apart`, whether
    a chapter's solutions are a piece of their own (`solutions_apart`).
    """
    html = html or HtmlFragments(course, dict(theme.messages(course.info.language)), options.edition)
    printed = options.printed(course)

    def page_of(target: str) -> Markup | str:
        return Markup(' data-page="{}"').format(pages.get(target, "")) if pages is not None else ""

    cover_label = html.labels[f"{options.edition}_edition"] if options.book == "handout" else html.labels[options.book]
    return theme.render(
        options.template,
        document=document,
        book=options.book,
        cover=options.cover,
        cover_label=cover_label,
        info=course.info,
        chapters=printed,
        articles=printed if articles is None and document == "book" else articles or (),
        frames=frames,
        page_of=page_of,
        edition=options.edition,
        labels=html.labels,
        html=html,
        page_size=PAGE_SIZES[options.paper],
        created=options.created,
        version=__version__,
        chapter_id=chapter_id,
        anchor_id=anchor_id,
        solutions=exercises_with_solutions,
        solutions_apart=apart,
        exercises=exercises,
        kit=kit,
        kit_size=partial(_size, course.info.language),
    )


def solutions_apart(theme: Theme) -> bool:
    """Whether a chapter's solutions are a piece of their own, laid out in pieces (see `_Pieces.bodies`).

    Only when both templates know it: a user theme's copy from before reads no `solutions_apart`.
    """
    return all(theme.template_uses(name, "solutions_apart") for name in ("handout.html", "worksheet.html"))


def _size(language: str, megabytes: int | None) -> str:
    """Return a rough size for the preparation page: `190 MB`, `4,3 GB` (a decimal comma but in English)."""
    if megabytes is None:
        return "—"
    if megabytes < 1000:
        return f"{megabytes} MB"
    text = f"{megabytes / 1000:.1f} GB"
    return text if language.split("-")[0].lower() == "en" else text.replace(".", ",")


def classroom_kit_for(course: Course, theme: Theme, options: HandoutOptions) -> Kit | None:
    """Return the kit of the teacher handout's preparation page; None for other books, or a theme without the page."""
    if options.book != "handout" or options.edition != "teacher" or not theme.template_uses("handout.html", "kit"):
        return None
    from generator.state.kit import classroom_kit

    return classroom_kit(course)


def exercises(chapter: Chapter) -> list[Callout]:
    """Return the chapter's exercises, in reading order."""
    return [block for block in chapter.blocks() if isinstance(block, Callout) and block.kind == "exercise"]


def handout_stylesheets(theme: Theme, book: Book = "handout") -> list[Path]:
    sheets = theme.stylesheets("handout.css")
    # The worksheet and the answer key look like the handout, with a few rules of their own.
    return sheets if book == "handout" else [*sheets[:2], theme.find("worksheet.css"), *sheets[2:]]


def handout_document(course: Course, theme: Theme, options: HandoutOptions) -> Document:
    """Return how the handout is made: chapter by chapter, or whole for a theme whose template predates parts."""
    return choose_document(
        theme,
        options.template,
        lambda: handout_layouts(course, theme, options),
        lambda: render_handout_as_one_document(course, theme, options),
    )


def render_handout(course: Course, theme: Theme, options: HandoutOptions) -> bytes:
    """Return the handout PDF, made in this process."""
    return handout_document(course, theme, options).make()


def handout_layouts(course: Course, theme: Theme, options: HandoutOptions) -> Layouts:
    """Make the handout PDF from its chapters, laid out by whoever drives this (see `generator.render.core.parts`)."""
    pieces = _Pieces(course, theme, options)
    cache = PartCache(_cache_folder(options))
    front_sources = [pieces.preparation()] if pieces.kit is not None else []
    bodies = pieces.bodies()
    built_before = cache.holds_parts()
    laid_out = yield from cache.parts([*front_sources, *(source for _, source in bodies)])
    front, chapters = laid_out[: len(front_sources)], laid_out[len(front_sources) :]
    front_pages = sum(len(part.pages) for part in front)
    body = sum(len(part.pages) for part in chapters)
    # The page numbers depend on how many pages the cover and the contents take; guess, then check.
    cover = int(options.cover)
    contents_pages = _contents_pages_guess(pieces, cache, chapters, front_pages, built_before) if options.cover else 0
    body_parts = [(chapter, part) for (chapter, _), part in zip(bodies, chapters, strict=True)]
    for _attempt in range(4):
        pages = anchor_pages(chapters, first=cover + front_pages + contents_pages + 1)
        # The contents and the frame are laid out side by side, the frame numbered for the contents' guessed
        # length, checked once both are back (a wrong guess lays both out again): one after the other, nothing
        # else runs beside them at the end of a one-edition build.
        contents_source = [pieces.contents(pages)] if options.cover else []
        *contents, frame = yield from cache.parts([*contents_source, pieces.frame(front, body_parts, contents_pages, pages)])
        if sum(len(part.pages) for part in contents) != contents_pages:
            contents_pages = sum(len(part.pages) for part in contents)
            continue
        if len(frame.pages) != cover + front_pages + contents_pages + body:
            cover = len(frame.pages) - front_pages - contents_pages - body
            continue
        book = yield from cache.book(draw_book, [frame], [*front, *contents, *chapters])
        cache.prune()
        return book
    warn(None, "W-handout-pieces", "the cover or the contents change length with the page numbers: laid out as one document")
    return render_handout_as_one_document(course, theme, options)


def render_handout_as_one_document(course: Course, theme: Theme, options: HandoutOptions) -> bytes:
    """Return the handout PDF laid out as one document: no cache, the whole book each time."""
    target = PdfTarget.for_course(course, theme, handout_stylesheets(theme, options.book))
    kit = classroom_kit_for(course, theme, options)
    return target.pdf(handout_html(course, theme, options, kit=kit), f"{course.info.slug}-{options.name}")


def _cache_folder(options: HandoutOptions) -> Path | None:
    """Return where a book keeps its laid-out pieces: each book its own folder, as each prunes what it did not use."""
    if options.cache_dir is None:
        return None
    folder = options.cache_dir / (options.edition if options.book == "handout" else options.book)
    return folder / "-".join(map(str, options.chapters)) if options.chapters else folder


def anchor_pages(chapters: Sequence[Part], first: int) -> dict[str, int]:
    """Return the page number of every anchor in `chapters`, the first of them starting on page `first`."""
    pages: dict[str, int] = {}
    for number, layout in enumerate((layout for part in chapters for layout in part.pages), start=first):
        for name, _ in layout.anchors:
            pages.setdefault(name, number)
    return pages


def _contents_pages_guess(pieces: _Pieces, cache: PartCache, chapters: Sequence[Part], front_pages: int, built_before: bool) -> int:
    """Return how many pages the contents took last time (its piece is cached, numbered for them), else a guess.

    Each try renders the contents again: not worth it when the cache held nothing before this build.
    """
    first = pieces.contents(anchor_pages(chapters, first=front_pages + 3))  # numbered as if it took one page
    for guess in range(1, 10) if built_before else ():
        source = first if guess == 1 else pieces.contents(anchor_pages(chapters, first=guess + front_pages + 2))
        cached = cache.cached(cache.key(source))
        if cached is not None and len(cached.pages) == guess:
            return guess
    # Its entries, counted in its own HTML: each chapter's, and under it its sections (the handout) or its
    # exercises (the worksheet). The default theme fits some 58 entries on a page; a chapter's takes 1.6 times
    # as much room (bold, and space around it), the heading four. Calibrated on the bundled course at ×1, ×4
    # and ×16: every book and edition guessed right. A wrong guess costs a second layout of the contents and
    # of the frame (about 2 s for a handout at ×1); the page count does not depend on the numbers printed.
    entries, chapter_entries = first.html.count("<li"), first.html.count('class="toc-chapter')
    return max(1, math.ceil((entries + 0.63 * chapter_entries + 4) / 58.5))


@dataclass
class _Pieces:
    """The sources of the pieces the handout is laid out in."""

    course: Course
    theme: Theme
    options: HandoutOptions
    html: HtmlFragments = field(init=False)
    target: PdfTarget = field(init=False)
    kit: Kit | None = field(init=False)
    apart: bool = field(init=False)

    def __post_init__(self) -> None:
        self.html = HtmlFragments(self.course, dict(self.theme.messages(self.course.info.language)), self.options.edition)
        self.target = PdfTarget.for_course(self.course, self.theme, handout_stylesheets(self.theme, self.options.book))
        self.kit = classroom_kit_for(self.course, self.theme, self.options)
        self.apart = solutions_apart(self.theme)

    def preparation(self) -> PartSource:
        return self._source("preparation", "preparation")

    def bodies(self) -> list[tuple[Chapter, PartSource]]:
        """Return the pieces of the book's body in order, each with its chapter.

        A chapter is a piece; in the student handout its solutions are another, which the
        answer key prints as its own chapters: laid out once for both books in a build. A
        user theme's `handout.html` or `worksheet.html` written before that (one that does not
        read `solutions_apart`) keeps the solutions in the chapter, and the answer key lays out its own.
        """
        apart = self.apart
        book, edition = self.options.book, self.options.edition
        made = []
        for chapter in self.options.printed(self.course):
            if book == "answers" and apart:
                if exercises_with_solutions(chapter):
                    made.append((chapter, self._student_handout.solutions(chapter)))
                continue
            made.append((chapter, self.chapter(chapter)))
            if book == "handout" and edition == "student" and apart and exercises_with_solutions(chapter):
                made.append((chapter, self.solutions(chapter)))
        return made

    @cached_property
    def _student_handout(self) -> _Pieces:
        """The student handout's pieces, as its own job makes them: the same sources, so the same parts."""
        return _Pieces(self.course, self.theme, replace(self.options, edition="student", book="handout", chapters=(), cover=True))

    def chapter(self, chapter: Chapter) -> PartSource:
        return self._source(chapter_id(chapter), "chapter", articles=[chapter])

    def solutions(self, chapter: Chapter) -> PartSource:
        return self._source(f"solutions-{chapter_id(chapter)}", "solutions", articles=[chapter])

    def contents(self, pages: Mapping[str, int]) -> PartSource:
        return self._source("contents", "contents", pages=pages)

    def frame(
        self, front: Sequence[Part], bodies: Sequence[tuple[Chapter, Part]], contents_pages: int, pages: Mapping[str, int]
    ) -> PartSource:
        """Return the frame's source: a page for each page of the book, the running header's chapter where one starts."""
        printed = self.options.printed(self.course)
        refs = {name: line for chapter in printed for name, line in self.html.page_refs(chapter, pages).items()}
        title = self.html.labels.get("preparation", "")
        frames = [Frame(chapter=title if number == 0 else "") for part in front for number, _ in enumerate(part.pages)]
        frames += [Frame(kind="toc") for _ in range(contents_pages)]
        previous = None
        for chapter, part in bodies:
            for number, layout in enumerate(part.pages):
                starts = number == 0 and chapter is not previous
                frames.append(Frame(chapter=chapter.title_text if starts else "", stamps=_stamps(layout, refs)))
            previous = chapter
        return self._source("frame", "frame", frames=frames)

    def _source(self, name: str, document: str, **pieces: object) -> PartSource:
        html = handout_html(self.course, self.theme, self.options, document, self.html, kit=self.kit, apart=self.apart, **pieces)  # type: ignore[arg-type]
        return PartSource(html, f"{self.course.info.slug}-{self.options.name}-{name}", self.target)


def _stamps(layout: PageLayout, refs: Mapping[str, Markup]) -> Markup:
    """Return the "see page N" lines of a chapter page, placed where the chapter left room for them."""
    return Markup("").join(
        Markup('<div class="stamp" style="{}">{}</div>').format(_place(layout, rect), refs[name])
        for name, rect in layout.anchors
        if name in refs
    )


def _place(layout: PageLayout, rect: Rect) -> str:
    left, top = layout.area
    return f"left: {round(rect[0] - left, 3)}px; top: {round(rect[1] - top, 3)}px; width: {round(rect[2] - rect[0], 3)}px"
