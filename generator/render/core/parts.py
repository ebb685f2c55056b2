"""Documents laid out in parts, each part kept on disk between builds.

A part (a chapter of the handout, its contents, its frame; a chapter of the
slide deck) is an HTML document whose PDF and page layout depend only on its
own inputs: its HTML, the files it loads, and the versions of Aula and
WeasyPrint. Those are hashed into the part's key, so a build lays out again
only the parts whose key is not in the cache folder.

A document made of parts is written as a generator (`Layouts`): it yields the
parts it needs laid out next, is sent them back laid out, and returns its
bytes; a book asks last for its binding (`Binding`: its parts put together).
Who lays them out, or binds it, is not its business: `finish` does it here,
one by one; the build shares the parts of all its documents among its processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import __version__
from generator.cache import cache_unwritable, package_version, portable_name
from generator.errors import LOGGER
from generator.outputs import write_atomic
from generator.render.core import pdf
from generator.render.core.pdf import PageLayout, PdfTarget
from generator.reporting import captured
from generator.themes import Theme

# Bump when the cached files' shape or meaning changes.
CACHE_FORMAT = "1"
# The code that lays a part out is part of its key too: a version number does not change on every edit.
_LAYOUT_CODE = (Path(__file__), Path(pdf.__file__))
# The code that puts a book together from its parts (`book.py` and what it calls), for a kept book's key.
_BOOK_CODE = tuple(Path(__file__).with_name(name) for name in ("book.py", "structure.py", "fonts.py"))
_PACKAGE = Path(__file__).parent.parent.parent  # generator/: where Aula is installed is not part of a key either


@dataclass(frozen=True, slots=True)
class PartSource:
    """What a worker needs to lay out one part: its HTML, its name, and how the course's PDFs are made."""

    html: str
    identifier: str
    target: PdfTarget


@dataclass(frozen=True, slots=True)
class Part:
    """A laid-out part: its PDF, where its links and anchors are, and the warnings its layout gave."""

    pdf: bytes
    pages: tuple[PageLayout, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Binding:
    """A book to put together from its laid-out frames and parts: a task, as a part is.

    Putting a handout together takes a second or more: as a task, a worker can do it
    while the build's own process hands out the rest. `assemble` crosses to a worker
    pickled: a module's function (by name), or the method of an object that pickles (a
    slide handout's `HandoutDrawing`). The book comes back as a `Part` holding its bytes.
    """

    assemble: Callable[[Sequence[Part], Sequence[Part]], bytes]
    frames: tuple[Part, ...]
    parts: tuple[Part, ...]


# Yields the parts to lay out (or the binding to make) next, is sent them made, returns the document.
Layouts = Generator[list["PartSource | Binding"], list["Part"], bytes]


@dataclass(frozen=True, slots=True)
class Whole:
    """A document laid out in one go: one task."""

    render: Callable[[], bytes]

    def make(self) -> bytes:
        return self.render()


@dataclass(frozen=True, slots=True)
class InParts:
    """A document laid out part by part: `layouts()` starts the generator that asks for its parts."""

    layouts: Callable[[], Layouts]

    def make(self) -> bytes:
        """Return the document, its parts laid out one by one in this process."""
        return finish(self.layouts())


Document = Whole | InParts


def choose_document(theme: Theme, template: str, in_parts: Callable[[], Layouts], whole: Callable[[], bytes]) -> Document:
    """Return how a document is made: in parts, unless the theme's template predates them.

    A template made for parts reads the `document` variable (which piece to
    make); a user theme's older copy does not, and makes only the whole document.
    """
    return InParts(in_parts) if theme.template_uses(template, "document") else Whole(whole)


@dataclass
class PartCache:
    """The parts laid out before, in `folder` (None: no cache)."""

    folder: Path | None
    _used: set[str] = field(default_factory=set)
    _digests: dict[Path, str] = field(default_factory=dict)
    _names: dict[tuple[Path, tuple[Path, ...]], str] = field(default_factory=dict)

    def parts(self, sources: Sequence[PartSource]) -> Generator[list[PartSource | Binding], list[Part], list[Part]]:
        """Return every part (`yield from` this), asking for those not in the cache to be laid out.

        Each part's warnings are reported here, whether it was laid out now or
        taken from the cache: the build's output is the same either way.
        """
        keys = [self.key(source) for source in sources]
        self._used.update(keys)
        found = [self.cached(key) for key in keys]
        stale = [index for index, part in enumerate(found) if part is None]
        laid_out = (yield [sources[index] for index in stale]) if stale else []
        for index, part in zip(stale, laid_out, strict=True):
            found[index] = part
            self._store(keys[index], part)
        parts = [part for part in found if part is not None]
        for part in parts:
            for message in part.warnings:
                LOGGER.warning("%s", message)
        return parts

    def holds_parts(self) -> bool:
        """Whether the cache folder holds any laid-out part: not in a cold build."""
        try:
            return self.folder is not None and any(path.suffix == ".json" for path in self.folder.iterdir())
        except OSError:
            return False

    def key(self, source: PartSource) -> str:
        """Return a part's key: a hash of everything its PDF and layout depend on."""
        hasher = hashlib.sha256()
        target = source.target
        for item in (CACHE_FORMAT, __version__, package_version("weasyprint"), source.identifier, str(target.max_pixels)):
            hasher.update(item.encode() + b"\0")
        hasher.update(source.html.encode() + b"\0")
        roots = tuple(folder.resolve() for folder in (target.base_url, *target.allowed, _PACKAGE))
        files = {*target.stylesheets, *target.inputs, *_files_named(source.html, target.base_url)}
        for path in (*_LAYOUT_CODE, *sorted(files)):
            hasher.update(f"{self._name(path, roots)}\0{self._digest(path)}\0".encode())
        return hasher.hexdigest()

    def cached(self, key: str) -> Part | None:
        """Return the part stored under `key`, if the cache holds it whole."""
        if self.folder is None:
            return None
        try:
            stored = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pages = tuple(
                PageLayout(
                    area=tuple(page["area"]),
                    anchors=tuple((name, tuple(rect)) for name, rect in page["anchors"]),
                    links=tuple((href, tuple(rect), words) for href, rect, words in page["links"]),
                    bookmarks=tuple(tuple(mark) for mark in page["bookmarks"]),
                )
                for page in stored["pages"]
            )
            return Part((self.folder / f"{key}.pdf").read_bytes(), pages, tuple(stored["warnings"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: lay it out again

    def book(
        self, assemble: Callable[[Sequence[Part], Sequence[Part]], bytes], frames: Sequence[Part], parts: Sequence[Part]
    ) -> Generator[list[PartSource | Binding], list[Part], bytes]:
        """Return the book `assemble(frames, parts)` puts together (`yield from` this), kept in the cache: the same parts, the same book.

        Unless the cache holds it, the book is asked for as a `Binding`, made by whoever
        drives this. A one-chapter worksheet is made again after an edit in any chapter (a
        link may lead there) from the very parts it had: reading the book it made then costs
        a millisecond, putting it together again half a second. Call it before `prune`, which keeps it.
        """
        tools = (CACHE_FORMAT, __version__, package_version("pikepdf"), package_version("fonttools"))  # pikepdf wheels carry their qpdf
        hasher = hashlib.sha256("\0".join(tools).encode())
        for path in _BOOK_CODE:
            hasher.update(self._digest(path).encode())
        for group in (frames, parts):
            hasher.update(b"\0group")
            for part in group:  # the layout too: a renamed anchor may leave the PDF's bytes as they were
                hasher.update(hashlib.sha256(part.pdf).digest() + repr(part.pages).encode())
        key = f"book-{hasher.hexdigest()}"
        self._used.add(key)
        if self.folder is not None:
            with contextlib.suppress(OSError):
                return (self.folder / f"{key}.pdf").read_bytes()
        data = yield from bind(assemble, frames, parts)
        self._write({f"{key}.pdf": data})
        return data

    def prune(self) -> None:
        """Delete the cached parts this build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            for path in self.folder.iterdir():
                if path.suffix in (".pdf", ".json") and path.stem not in self._used:
                    path.unlink(missing_ok=True)
        except OSError as error:
            cache_unwritable(self.folder, error)
            self.folder = None

    def _store(self, key: str, part: Part) -> None:
        pages = [
            {"area": page.area, "anchors": page.anchors, "links": page.links, "bookmarks": page.bookmarks}
            for page in part.pages
        ]
        # The PDF first: a layout file is only ever next to a complete PDF.
        self._write({f"{key}.pdf": part.pdf, f"{key}.json": json.dumps({"pages": pages, "warnings": part.warnings}).encode()})

    def _write(self, files: dict[str, bytes]) -> None:
        """Write `files` into the cache folder, in order; on failure, go on without the cache (one warning, not one a part)."""
        if self.folder is None:
            return
        try:
            for name, data in files.items():
                write_atomic(self.folder / name, data)
        except OSError as error:
            cache_unwritable(self.folder, error)
            self.folder = None

    def _name(self, path: Path, roots: tuple[Path, ...]) -> str:
        """Return `portable_name(path, roots)`, worked out once: every part's key names the theme's files."""
        if (path, roots) not in self._names:
            self._names[(path, roots)] = portable_name(path, roots)
        return self._names[(path, roots)]

    def _digest(self, path: Path) -> str:
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._digests[path] = "unreadable"
        return self._digests[path]


def _files_named(html: str, base: Path) -> Iterable[Path]:
    """Return the local files an HTML document loads: its images, as `<img src>` or CSS `url()` (a background)."""
    for attribute, css in re.findall(r'\bsrc="([^"]+)"|\burl\(\'([^\']+)\'\)', html):
        url = urlsplit(attribute or css)
        if url.scheme == "file":
            yield Path(unquote(url.path))
        elif not url.scheme:
            yield base / unquote(url.path)


def bind(
    assemble: Callable[[Sequence[Part], Sequence[Part]], bytes], frames: Sequence[Part], parts: Sequence[Part]
) -> Generator[list[PartSource | Binding], list[Part], bytes]:
    """Return what `assemble(frames, parts)` makes (`yield from` this), asked for as a `Binding`; report its warnings."""
    [bound] = yield [Binding(assemble, tuple(frames), tuple(parts))]
    for message in bound.warnings:
        LOGGER.warning("%s", message)
    return bound.pdf


def finish(layouts: Layouts) -> bytes:
    """Return the document `layouts` makes, laying its parts out (and binding it) in this process."""
    try:
        sources = next(layouts)
        while True:
            sources = layouts.send([lay_out_part(source) for source in sources])
    except StopIteration as done:
        return done.value


def lay_out_part(source: PartSource | Binding) -> Part:
    """Lay out one part (or bind a book), keeping the warnings it gave with it: for the cache, and from worker processes."""
    pages: tuple[PageLayout, ...] = ()
    with captured(hold=True) as reports:
        if isinstance(source, Binding):
            laid_out = source.assemble(source.frames, source.parts)
        else:
            laid_out, pages = source.target.pages(source.html, source.identifier)
    kept = []
    for level, message in reports:
        if pdf.about_this_machine(message):  # said now, not kept: the part comes from the cache on a machine mended since
            LOGGER.log(level, "%s", message)
        else:
            kept.append(message)
    return Part(laid_out, pages, tuple(kept))
