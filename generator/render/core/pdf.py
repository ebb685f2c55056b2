"""HTML to PDF with WeasyPrint, confined to the course and theme folders.

Only this module imports WeasyPrint, and only when a PDF is made, so commands
that write no PDF start fast.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import io
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.errors import warn
from generator.model import Course
from generator.render.core.images import DEFAULT_IMAGE_PIXELS, ImageRefused, check_raster, is_inside
from generator.render.core.structure import LINK_STAND_IN, unreached_as_artifacts
from generator.themes import Theme


def confined_fetcher(allowed: tuple[Path, ...], max_pixels: int = DEFAULT_IMAGE_PIXELS):
    """Return a WeasyPrint URL fetcher serving `data:` URIs and files inside `allowed`, and nothing else.

    A raster image of more than `max_pixels` is refused too, wherever it comes
    from (an SVG's `<image>`, a stylesheet), before WeasyPrint decodes it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    folders = tuple(folder.resolve() for folder in allowed)

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            # `file://host/…` would make urllib look the host up: only local file URLs are read.
            local = scheme == "file" and parts.netloc in ("", "localhost")
            path = Path(unquote(parts.path))
            inside = local and is_inside(path, folders)
            # A regular file (a pipe would block the build); os.path.isfile is False for a name too long.
            if scheme == "data" or inside and os.path.isfile(path):
                response = super().fetch(url, headers)
                data = response.read()
                response.close()
                try:
                    check_raster(io.BytesIO(data), max_pixels)
                except ImageRefused as refusal:
                    if refusal.problem == "too-large":
                        warn(None, "W-image-too-large", f"refused to load {url[:200]}: {refusal}")
                        raise ValueError(f"refused: {url[:200]}") from None
                return URLFetcherResponse(response.url, data, response.headers, response.status)
            why = "not a file" if inside else "only files inside the course and theme are read"
            warn(None, "W-fetch-refused", f"refused to load {url[:200]} ({why})")
            raise ValueError(f"refused: {url[:200]}")

    return ConfinedFetcher(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)


# What WeasyPrint says for every font of every PDF it writes, where HarfBuzz's subsetting library is missing.
_NO_HARFBUZZ_SUBSET = "instead of HarfBuzz-Subset"
# What the build says instead: one message for every font and part (the build says each message once).
SLOW_SUBSETTING = ("fonts are subset with fontTools, which is slower: install HarfBuzz-Subset 4.1 or newer "
                   "(Debian: libharfbuzz-subset0) to build faster")


def about_this_machine(report: str) -> bool:
    """Whether a warning is about the machine the build runs on, not the course: not one to keep with a part."""
    return report.endswith(SLOW_SUBSETTING)


class _WeasyPrintWarnings(logging.Handler):
    """Pass WeasyPrint's own warnings on as ours, minus the fetch failures we already reported."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno < logging.WARNING or "refused:" in message:
            return
        warn(None, "W-render", SLOW_SUBSETTING if _NO_HARFBUZZ_SUBSET in message else message.splitlines()[0])


def _pdf_identifier(identifier: str) -> bytes:
    # A fixed identifier (instead of a random one) keeps two builds of the same input identical.
    return hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()


@dataclass(frozen=True, slots=True)
class PdfTarget:
    """How one course's PDFs are laid out: their stylesheets, and the only files they may load.

    `base_url` resolves relative URLs; `allowed` are the folders the fetcher may
    read (the course and the theme); `max_pixels` caps any raster image it
    loads; `inputs` are the theme's files, which a part's cache key includes.
    """

    stylesheets: tuple[Path, ...]
    base_url: Path
    allowed: tuple[Path, ...]
    max_pixels: int = DEFAULT_IMAGE_PIXELS
    inputs: tuple[Path, ...] = ()

    @classmethod
    def for_course(cls, course: Course, theme: Theme, stylesheets: Sequence[Path]) -> PdfTarget:
        """Return the target for `course` in `theme`: reading only from the course folder and the theme's."""
        return cls(
            stylesheets=tuple(stylesheets),
            base_url=course.root.resolve(),
            allowed=(course.root, *theme.folders),
            max_pixels=course.limits.image_pixels,
            inputs=tuple(theme.files()),
        )

    def pdf(self, html: str, identifier: str, page_limit: int = 0) -> bytes:
        """Return the PDF of `html`; `identifier` names it (in warnings) and fixes its PDF id.

        With a `page_limit`, a document laid out on more pages is still written, with a warning.
        WeasyPrint's file then goes through pikepdf once: its running header and footer become
        artifacts, and it gets XMP metadata (see `describe`).
        """
        import pikepdf

        with self._laid_out(html) as laid_out:
            if page_limit and len(laid_out.pages) > page_limit:
                warn(None, "W-page-limit", f"{identifier} takes {len(laid_out.pages)} pages, more than {page_limit}")
            data = laid_out.write_pdf(pdf_identifier=_pdf_identifier(identifier), pdf_tags=True)
        with pikepdf.open(io.BytesIO(data)) as document:
            unreached_as_artifacts(document)  # a running footer, tagged by WeasyPrint outside the tree
            describe(document)
            return saved(document)

    def pages(self, html: str, identifier: str) -> tuple[bytes, tuple[PageLayout, ...]]:
        """Return the PDF of `html` without links, anchors or bookmarks, and where each page had them.

        For a page put into another document, which makes them (a chapter into its book). Each
        link is left as a stand-in annotation (`LINK_STAND_IN`) tied to the link's tag, for the
        book to find which tag its real link belongs to.
        """
        with self._laid_out(html) as laid_out:
            for page in laid_out.pages:
                page.links[:] = [link for link in page.links if link[0] in ("internal", "external")]  # not attachments
            layouts = tuple(_page_layout(page) for page in laid_out.pages)
            for page in laid_out.pages:
                # Each link stays as a stand-in naming its place in the page's layout: WeasyPrint ties the
                # stand-in's annotation to the link's own tag, where the book's real link will be tied.
                page.links[:] = [("external", f"{LINK_STAND_IN}{index}", rect, box) for index, (_, _, rect, box) in enumerate(page.links)]
                page.anchors.clear()
                page.bookmarks.clear()
            return laid_out.write_pdf(pdf_identifier=_pdf_identifier(identifier), pdf_tags=True), layouts

    @contextmanager
    def _laid_out(self, html: str) -> Iterator:
        """Yield the WeasyPrint document for `html`, laid out, passing its warnings on as ours."""
        import weasyprint

        fetcher = confined_fetcher(self.allowed, self.max_pixels)
        logger = logging.getLogger("weasyprint")
        handler = _WeasyPrintWarnings()
        logger.addHandler(handler)
        logger.propagate = False
        try:
            fonts, css = self._styles(fetcher)
            document = weasyprint.HTML(string=html, base_url=str(self.base_url) + "/", url_fetcher=fetcher)
            yield document.render(stylesheets=css, font_config=fonts)
        finally:
            logger.removeHandler(handler)

    def _styles(self, fetcher) -> tuple[Any, list]:
        """Return the font configuration and the parsed stylesheets, made once per process for the same files.

        A build lays out dozens of parts with the same stylesheets: parsing them and loading the
        fonts again for each cost a tenth of the build. The files' sizes and times are part of the
        key, so `aula watch` sees a stylesheet edited between two builds.
        """
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        key = (
            tuple((path, *_stamp(path)) for path in self.stylesheets),
            self.allowed,
            self.max_pixels,
        )
        if key not in _STYLES:
            # Without a font configuration WeasyPrint ignores @font-face: the theme's fonts would not be used.
            fonts = FontConfiguration()
            css = [weasyprint.CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts) for path in self.stylesheets]
            if len(_STYLES) >= 8:
                _STYLES.pop(next(iter(_STYLES)))
            _STYLES[key] = (fonts, css)
            if gc.get_freeze_count():
                # A build froze what lives through it, out of the cycle collector's reach (see
                # `scheduler._collector_for_layout`): these live on too, and its full passes went
                # through them 70 times (1.2 s of a full build's CPU).
                gc.collect()
                gc.freeze()
        return _STYLES[key]


def describe(document: Any) -> None:
    """Give a PDF (pikepdf) an XMP metadata stream saying what its document information says: title, author, subject.

    WeasyPrint writes XMP only for the PDF/A and PDF/UA variants; PDF/UA readers take the title from there.
    """
    with document.open_metadata(set_pikepdf_as_editor=False) as metadata:  # no date of now: a build is reproducible
        metadata.load_from_docinfo(document.docinfo)


def saved(document: Any) -> bytes:
    """Return a PDF (pikepdf) written out: the same bytes for the same document, streams compressed."""
    import pikepdf

    output = io.BytesIO()
    # No random ID, objects in a stable order.
    document.save(output, static_id=True, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                  compress_streams=True, recompress_flate=False)
    return output.getvalue()


# The parsed stylesheets and loaded fonts of this process, by the files they come from (see `PdfTarget._styles`).
_STYLES: dict[tuple, tuple[Any, list]] = {}
# Let go of them before the interpreter tears its modules down: a FontConfiguration's
# finaliser removes its font folder and fails noisily once `shutil` is gone.
atexit.register(_STYLES.clear)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_size, stat.st_mtime_ns)


Rect = tuple[float, float, float, float]  # left, top, right, bottom


def inside(rect: Rect, outer: Rect, slack: float = 1.0) -> bool:
    """Whether `rect` lies within `outer`, give or take `slack` on each side."""
    return (
        outer[0] - slack <= rect[0] and outer[1] - slack <= rect[1] and rect[2] <= outer[2] + slack and rect[3] <= outer[3] + slack
    )


def _whole_words(box, fragments: list[str]) -> str:
    """Return the words of a link shown in `fragments` (one a line): as shown if on one line, else its element's text.

    The element's text is the link as written, where joining the lines would keep a hyphen
    the line break added (`reposito‐ rio`) or split a URL; one line keeps text the
    stylesheet generated (a page number).
    """
    if len(fragments) == 1 or not hasattr(getattr(box, "element", None), "itertext"):
        return " ".join(fragments)
    return " ".join("".join(box.element.itertext()).split())


def _link_key(box) -> tuple:
    return (id(getattr(box, "element", box)), getattr(box, "element_tag", None))


def _words(box) -> str:
    """Return the text a link's box shows (its `::after` included), spaces collapsed.

    A block, a line, an inline block or a positioned box inside is a word apart (a contents
    entry's number, its title, its page number).
    """
    texts: list[str] = []

    def walk(inner) -> None:
        if hasattr(inner, "text"):
            texts.append(inner.text)
            return
        apart = type(inner).__name__.endswith(("BlockBox", "LineBox", "Placeholder"))  # a placeholder: a box set apart
        texts.append(" " if apart else "")
        for child in getattr(inner, "children", ()):
            walk(child)
        texts.append(" " if apart else "")

    walk(box)
    return " ".join("".join(texts).split())


@dataclass(frozen=True, slots=True)
class PageLayout:
    """Where a page's anchors, links and bookmarks fell, in CSS px from the top-left corner of the page."""

    area: tuple[float, float]  # the top-left corner of the page area (inside the margins)
    anchors: tuple[tuple[str, Rect], ...] = ()  # (id, rectangle), in document order
    links: tuple[tuple[str, Rect, str], ...] = ()  # ("#id" or URL, rectangle, the words shown)
    bookmarks: tuple[tuple[int, str, bool, float, float], ...] = ()  # (level, label, open, x, y)


def _page_layout(page) -> PageLayout:
    """Return what `page` (a WeasyPrint page, its links internal or external only) holds besides ink."""

    def rect(x1: float, y1: float, x2: float, y2: float) -> Rect:
        return (round(x1, 3), round(y1, 3), round(x2, 3), round(y2, 3))

    # A link broken over lines is a box a line (the same element, the same tag: not its `::after`),
    # each with its own words: each is described by the whole link's (`_whole_words`).
    words: dict[tuple, list[str]] = {}
    fragments: dict[tuple, list[Rect]] = {}
    for _, _, rectangle, link_box in page.links:
        key, area = _link_key(link_box), rect(*rectangle)
        # A box inside another (or around it) shows the same words: counted once.
        if not any(inside(area, other) or inside(other, area) for other in fragments.get(key, [])):
            words.setdefault(key, []).append(_words(link_box))
            fragments.setdefault(key, []).append(area)
    box = page._page_box  # WeasyPrint's own (pinned major version): where the page area starts
    return PageLayout(
        area=(round(box.content_box_x(), 3), round(box.content_box_y(), 3)),
        anchors=tuple((name, rect(*rectangle)) for name, rectangle in page.anchors.items()),
        links=tuple(
            (f"#{target}" if kind == "internal" else target, rect(*rectangle), _whole_words(link_box, words[_link_key(link_box)]))
            for kind, target, rectangle, link_box in page.links
        ),
        bookmarks=tuple(
            (level, label, state != "closed", round(x, 3), round(y, 3)) for level, label, (x, y), state in page.bookmarks
        ),
    )
