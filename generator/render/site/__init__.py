"""The course's website (`output/site/`): a home page, a page per chapter and a search page, read offline.

Planned first (`SitePlan`: the files of the site and where each comes from,
data only), then made one file at a time by `Site`, so each is a job of the
build, cached like every output. The chapter pages come from the same content
model and highlighting as the handout (`SiteFragments`). The home page lists
the build's other outputs with their sizes and lengths, so the build makes it
after them, from their bytes (`Site.home_page`).

Nothing on the site loads anything from elsewhere: no CDN, no web font, no
fetch (a page opened from `file://` may not fetch, so the search index is a
script); styles, script and the course's images are files of the site. The
templates and the other files of the theme's `site/` folder are overridden
one by one by a user theme, as for the handout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from generator import __version__
from generator.model import Chapter, Course, Image
from generator.render.core.images import is_inside, locate_image
from generator.render.site.downloads import Download, Offer, describe
from generator.render.site.fragments import SiteFragments
from generator.render.site.search import search_entries, search_index_script
from generator.themes import Theme

FOLDER = "site"  # the site's folder, in the output folder and in a theme (its templates: site/index.html …)
HOME, SEARCH, SEARCH_INDEX = "index.html", "search.html", "search-index.js"


@dataclass(frozen=True, slots=True)
class SitePlan:
    """The files of the site, by their path in it, and where each comes from."""

    pages: Mapping[int, str]  # chapter number → its page ("01-contenedores.html")
    images: Mapping[Path, str]  # a course image (resolved) → its copy ("media/images/red.svg")
    assets: Mapping[str, Path]  # a file of the theme's `site/` folder, templates aside → the theme's file


def plan_site(course: Course, theme: Theme) -> SitePlan:
    """Return the site's files: a page per chapter, the course's images it shows, the theme's styles and script."""
    pages: dict[int, str] = {}
    taken = {HOME, SEARCH}
    for chapter in course.chapters:
        name = f"{chapter.stem}.html"
        if name.lower() in taken:  # `index.md`, or two chapters of one name in different folders
            name = f"c{chapter.number}-{name}"
        taken.add(name.lower())
        pages[chapter.number] = name
    return SitePlan(pages, course_images(course), theme_assets(theme))


def course_images(course: Course) -> dict[Path, str]:
    """Return the local images the chapters show that the build may read, each with its path in the site."""
    root = course.root.resolve()
    images: dict[Path, str] = {}
    for chapter in course.chapters:
        for block in chapter.blocks():
            if isinstance(block, Image):
                located = locate_image(block.src, chapter.path, course.root, course.limits.image_pixels)
                if located.path is not None:
                    images[located.path] = f"media/{located.path.relative_to(root).as_posix()}"
    return dict(sorted(images.items(), key=lambda item: item[1]))


def theme_assets(theme: Theme) -> dict[str, Path]:
    """Return the files of the theme's `site/` folders that are not templates, a user theme's first."""
    assets: dict[str, Path] = {}
    for folder in theme.folders:
        site = folder / FOLDER
        if not site.is_dir():
            continue
        for path in sorted(site.rglob("*")):
            name = path.relative_to(site).as_posix()
            # A symlink out of the theme is not read: the build reads its theme's files only.
            if path.suffix != ".html" and path.is_file() and name not in assets and is_inside(path, (folder.resolve(),)):
                assets[name] = path
    return dict(sorted(assets.items()))


class Site:
    """Makes the site's files one at a time: each method returns one file's bytes."""

    def __init__(self, course: Course, theme: Theme):
        self.course = course
        self.theme = theme
        self.plan = plan_site(course, theme)
        self.labels = dict(theme.messages(course.info.language))

    @cached_property
    def html(self) -> SiteFragments:
        return SiteFragments(self.course, self.labels, "student", pages=self.plan.pages, images=self.plan.images)

    def chapter_page(self, chapter: Chapter) -> bytes:
        chapters = self.course.chapters
        index = chapters.index(chapter)
        return self._page(
            f"{FOLDER}/chapter.html",
            chapter=chapter,
            previous=chapters[index - 1] if index > 0 else None,
            next=chapters[index + 1] if index + 1 < len(chapters) else None,
        )

    def search_page(self) -> bytes:
        return self._page(f"{FOLDER}/{SEARCH}")

    def search_index(self) -> bytes:
        return search_index_script(search_entries(self.course, self.html.href))

    def home_page(self, offered: Sequence[tuple[Offer, bytes]]) -> bytes:
        """Return the home page, listing each offered file (with its bytes, for its size and length)."""
        downloads: list[Download] = [describe(offer, data, self.labels) for offer, data in offered]
        return self._page(f"{FOLDER}/{HOME}", downloads=downloads)

    def copy(self, source: Path) -> bytes:
        """Return the bytes of a file the site copies: a course image, a style sheet, the script."""
        return source.read_bytes()

    def _page(self, template: str, **context: object) -> bytes:
        html = self.theme.render(
            template,
            info=self.course.info,
            chapters=self.course.chapters,
            labels=self.labels,
            html=self.html,
            page=lambda chapter: quote(self.plan.pages[chapter.number]),
            assets=self.plan.assets,
            version=__version__,
            **context,
        )
        return html.encode()
