"""The output formats: which files each makes, how, and from what.

`FORMATS` maps a name of `aula build --format` to a function returning the
format's jobs (`generator.scheduler.Job`). A job says how its file is made
(whole, or laid out in parts), which files of the course it is made from and
what else it depends on, so the build can tell which outputs are stale.

`AFTERWARDS` maps a format to the jobs it makes from the other outputs of the
build (the site's home page lists the files to download, with their sizes and
page counts): the build makes those after the others, from what they `Made`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config
from generator.errors import warn
from generator.model import Chapter, Course, Edition, Image
from generator.render.core.images import locate_image
from generator.scheduler import Job
from generator.themes import Theme

if TYPE_CHECKING:
    from generator.render.slides import SlideDecks


@dataclass(frozen=True)
class Request:
    """What the formats are asked to make, and from what."""

    config: Config
    course: Course
    theme: Theme
    editions: tuple[Edition, ...]
    created: str  # the date stamped into documents (`config.document_date`)
    cache_dir: Path  # where laid-out parts are kept between builds
    slides_per_page: int = 3  # on a slide handout

    @cached_property
    def slide_decks(self) -> SlideDecks:
        """The build's one slide planner: the decks and the slide handouts plan the same slides (a second)."""
        from generator.render.slides import SlideDecks

        return SlideDecks(self.course, self.theme, created=self.created, cache_dir=self.cache_dir / "slides")


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
    # The sheet shows the commands the course teaches and what they do: not where they are taught,
    # so neither an edit elsewhere in a chapter nor a moved course folder makes it again.
    shown = command_sheet(course, sheet)
    entries = [(group.key, [(entry.commands, entry.description) for entry in group.entries]) for group in shown.groups]
    key = repr((entries, shown.flags, replace(sheet, config_path=None)))
    return [Job(f"{course.info.slug}-cheatsheet.pdf", Whole(lambda: render_cheatsheet(course, theme, sheet)), key=key)]


def slides_jobs(request: Request) -> list[Job]:
    """The decks: the course as `.pptx` and PDF, and one `.pptx` per chapter under `slides/`."""
    course = request.course
    decks = request.slide_decks
    slug, everything, key = course.info.slug, chapter_files(course, course.chapters), repr(course.info)
    jobs = [  # the PDF deck first: both slide handouts wait for it
        Job(f"{slug}-slides.pdf", decks.course_pdf(), inputs=everything, key=key),
        Job(f"{slug}-slides.pptx", decks.course_pptx(), inputs=everything, key=key),
    ]
    for chapter in course.chapters:
        files = chapter_files(course, [chapter])
        jobs.append(Job(f"slides/{chapter.stem}.pptx", decks.chapter_pptx(chapter), inputs=files, key=f"{key}{chapter.number}"))
    return jobs


def slides_handout_jobs(request: Request) -> list[Job]:
    """The slide handout: the PDF deck's slides, N to a sheet, beside lines for notes or (teacher) the speaker notes."""
    course = request.course
    decks = request.slide_decks
    files, per_page = chapter_files(course, course.chapters), request.slides_per_page
    jobs = []
    for edition in request.editions:
        suffix = "" if edition == "student" else f"-{edition}"
        document = decks.handout(edition, request.config.paper, per_page)
        key = repr((course.info, edition, request.config.paper, per_page))
        jobs.append(Job(f"{course.info.slug}-slides-handout{suffix}.pdf", document, inputs=files, key=key))
    return jobs


@dataclass(frozen=True, slots=True)
class Made:
    """An output of this build, made now or kept from the last build: its sha256, and how to read its bytes."""

    sha256: str
    read: Callable[[], bytes]


def site_jobs(request: Request) -> list[Job]:
    """The website under `site/`: a page per chapter, the search page and its index, styles, script, images.

    Every page shows every chapter's title and may link into any chapter: each
    is made from all of them (a page costs milliseconds, not a layout).
    """
    from generator.render.core.parts import Whole
    from generator.render.site import FOLDER, SEARCH, SEARCH_INDEX, Site

    course = request.course
    site = Site(course, request.theme)
    everything, key = chapter_files(course, course.chapters), repr(course.info)
    jobs = [Job(f"{FOLDER}/{site.plan.pages[chapter.number]}", Whole(partial(site.chapter_page, chapter)), everything, key)
            for chapter in course.chapters]
    jobs.append(Job(f"{FOLDER}/{SEARCH}", Whole(site.search_page), everything, key))
    jobs.append(Job(f"{FOLDER}/{SEARCH_INDEX}", Whole(site.search_index), everything, key))
    for name, source in site.plan.assets.items():
        jobs.append(Job(f"{FOLDER}/{name}", Whole(partial(site.copy, source)), (source,)))
    for source, name in site.plan.images.items():
        jobs.append(Job(f"{FOLDER}/{name}", Whole(partial(site.copy, source)), (source,)))
    return jobs


def site_home_jobs(request: Request, made: Mapping[str, Made]) -> list[Job]:
    """The site's home page: the course, its chapters, and the student's files among the build's outputs.

    Made after the other outputs, from their bytes (sizes, page counts); its key
    holds their sha256s, so it is made again when one of them changes.
    """
    from generator.render.core.parts import Whole
    from generator.render.site import FOLDER, HOME, Site
    from generator.render.site.downloads import offers

    course = request.course
    site = Site(course, request.theme)
    offered = offers(course, made)
    if not offered:  # most likely `--format site` alone, to see a page: say why the downloads are gone
        warn(None, "W-site-no-downloads", f"{FOLDER}/{HOME} offers nothing to download: no student file was built with it "
             "(build them together, e.g. --format handout,slides,cheatsheet,site)")
    key = repr(course.info) + repr([(offer, made[offer.relative_path].sha256) for offer in offered])

    def home_page() -> bytes:
        return site.home_page([(offer, made[offer.relative_path].read()) for offer in offered])

    return [Job(f"{FOLDER}/{HOME}", Whole(home_page), chapter_files(course, course.chapters), key)]


# In the order the build queues their first parts (`generator.scheduler`): a book's chapters lead to
# its contents, frame and binding one after the other, so the books come first, the short ones
# (worksheet, answer key) before the deck, whose last steps (binding it, its slide handouts) the
# outputs made whole (the cheat sheet, the site) keep company at the end.
FORMATS: dict[str, Callable[[Request], list[Job]]] = {
    "handout": handout_jobs,
    "worksheet": worksheet_jobs,
    "answers": answers_jobs,
    "slides": slides_jobs,
    "slides-handout": slides_handout_jobs,
    "cheatsheet": cheatsheet_jobs,
    "site": site_jobs,
}

AFTERWARDS: dict[str, Callable[[Request, Mapping[str, Made]], list[Job]]] = {
    "site": site_home_jobs,
}
