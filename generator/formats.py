"""The output formats: which files each makes, how, and from what.

`FORMATS` maps a name of `aula build --format` to a function returning the
format's jobs (`generator.scheduler.Job`). A job says how its file is made
(whole, or laid out in parts), which files of the course it is made from and
what else it depends on, so the build can tell which outputs are stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator.config import Config
from generator.model import Chapter, Course, Edition, Image
from generator.render.core.images import locate_image
from generator.scheduler import Job
from generator.themes import Theme


@dataclass(frozen=True, slots=True)
class Request:
    """What the formats are asked to make, and from what."""

    config: Config
    course: Course
    theme: Theme
    editions: tuple[Edition, ...]
    created: str  # the date stamped into documents (`config.document_date`)
    cache_dir: Path  # where laid-out parts are kept between builds
    slides_per_page: int = 3  # on a slide handout


def chapter_files(course: Course, chapters: Iterable[Chapter]) -> tuple[Path, ...]:
    """Return the files `chapters` are made from: the Markdown and the local images they show."""
    files: list[Path] = []
    for chapter in chapters:
        files.append(chapter.path)
        for block in chapter.blocks():
            if isinstance(block, Image):
                located = locate_image(block.src, chapter.path, course.root)
                if located.path is not None:
                    files.append(located.path)
    return tuple(files)


def handout_jobs(request: Request) -> list[Job]:
    """The handout, one PDF per edition: `<slug>-handout.pdf`, `<slug>-handout-teacher.pdf`."""
    from generator.render.handout import HandoutOptions, handout_document

    course = request.course
    files = chapter_files(course, course.chapters)
    jobs = []
    for edition in request.editions:
        suffix = "" if edition == "student" else f"-{edition}"
        options = HandoutOptions(edition=edition, paper=request.config.paper, created=request.created)
        # Chapters laid out once are kept in the cache folder, so an edit lays out one chapter again.
        cached = replace(options, cache_dir=request.cache_dir / "handout")
        document = handout_document(course, request.theme, cached)
        jobs.append(Job(f"{course.info.slug}-handout{suffix}.pdf", document, inputs=files, key=repr(options)))
    return jobs


def worksheet_jobs(request: Request) -> list[Job]:
    """The exercise worksheet, `<slug>-worksheet.pdf`, and one per chapter with exercises, `worksheets/<chapter>.pdf`."""
    from generator.render.handout import HandoutOptions, exercises, handout_document

    course = request.course
    if not any(exercises(chapter) for chapter in course.chapters):
        return []  # nothing to practise: no worksheet
    options = HandoutOptions(paper=request.config.paper, created=request.created, book="worksheet")
    cached = replace(options, cache_dir=request.cache_dir / "handout")
    files = chapter_files(course, course.chapters)
    jobs = [Job(f"{course.info.slug}-worksheet.pdf", handout_document(course, request.theme, cached), inputs=files, key=repr(options))]
    for chapter in course.chapters:
        if exercises(chapter):
            one = replace(cached, chapters=(chapter.number,), cover=False)
            document = handout_document(course, request.theme, one)
            # The whole course's files: a link into another chapter shows as a link or as text.
            jobs.append(Job(f"worksheets/{chapter.stem}.pdf", document, inputs=files, key=repr(replace(one, cache_dir=None))))
    return jobs


def answers_jobs(request: Request) -> list[Job]:
    """The answer key, `<slug>-answers.pdf`: each exercise's solution under its number and title."""
    from generator.render.handout import HandoutOptions, exercises, handout_document

    course = request.course
    if not any(exercise.solution for chapter in course.chapters for exercise in exercises(chapter)):
        return []  # no solutions: no answer key
    options = HandoutOptions(edition="teacher", paper=request.config.paper, created=request.created, book="answers")
    document = handout_document(course, request.theme, replace(options, cache_dir=request.cache_dir / "handout"))
    return [Job(f"{course.info.slug}-answers.pdf", document, inputs=chapter_files(course, course.chapters), key=repr(options))]


def cheatsheet_jobs(request: Request) -> list[Job]:
    """The command cheat sheet: `<slug>-cheatsheet.pdf`."""
    from generator.render.cheatsheet import CheatsheetOptions, command_sheet, render_cheatsheet
    from generator.render.core.parts import Whole

    course, theme = request.course, request.theme
    sheet = CheatsheetOptions.from_config(request.config, created=request.created)
    # The sheet depends on the commands the course teaches, not on every word of it.
    commands = repr(command_sheet(course, sheet))
    return [Job(f"{course.info.slug}-cheatsheet.pdf", Whole(lambda: render_cheatsheet(course, theme, sheet)), key=commands + repr(sheet))]


def slides_jobs(request: Request) -> list[Job]:
    """The decks: the course as `.pptx` and PDF, and one `.pptx` per chapter under `slides/`."""
    from generator.render.core.parts import Whole
    from generator.render.slides import SlideDecks

    course = request.course
    decks = SlideDecks(course, request.theme, created=request.created, cache_dir=request.cache_dir / "slides")
    slug, everything, key = course.info.slug, chapter_files(course, course.chapters), repr(course.info)
    jobs = [
        Job(f"{slug}-slides.pptx", Whole(decks.course_pptx), inputs=everything, key=key),
        Job(f"{slug}-slides.pdf", decks.course_pdf(), inputs=everything, key=key),
    ]
    for chapter in course.chapters:
        files = chapter_files(course, [chapter])
        deck = Whole(partial(decks.chapter_pptx, chapter))
        jobs.append(Job(f"slides/{chapter.stem}.pptx", deck, inputs=files, key=f"{key}{chapter.number}"))
    return jobs


def slides_handout_jobs(request: Request) -> list[Job]:
    """The slide handout: the PDF deck's slides, N to a sheet, beside lines for notes or (teacher) the speaker notes."""
    from generator.render.slides import SlideDecks

    course = request.course
    decks = SlideDecks(course, request.theme, created=request.created, cache_dir=request.cache_dir / "slides")
    files, per_page = chapter_files(course, course.chapters), request.slides_per_page
    jobs = []
    for edition in request.editions:
        suffix = "" if edition == "student" else f"-{edition}"
        document = decks.handout(edition, request.config.paper, per_page)
        key = repr((course.info, edition, request.config.paper, per_page))
        jobs.append(Job(f"{course.info.slug}-slides-handout{suffix}.pdf", document, inputs=files, key=key))
    return jobs


FORMATS: dict[str, Callable[[Request], list[Job]]] = {
    "handout": handout_jobs,
    "cheatsheet": cheatsheet_jobs,
    "slides": slides_jobs,
    "worksheet": worksheet_jobs,
    "answers": answers_jobs,
    "slides-handout": slides_handout_jobs,
}
