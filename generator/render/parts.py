"""Documents laid out one at a time: in worker processes, and kept on disk between builds.

A part (one chapter of the handout, its contents, its frame) is an HTML
document whose PDF and page layout depend only on its own inputs: its HTML, the
files it loads, and the versions of Aula and WeasyPrint. Those are hashed into
the part's key, so a build lays out again only the parts whose key is not in
the cache folder.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import __version__
from generator.errors import LOGGER
from generator.outputs import write_atomic
from generator.render.pdf import PageLayout, html_to_pdf_pages

# Bump when the cached files' shape or meaning changes.
CACHE_FORMAT = "1"
# The code that lays a part out is part of its key too: a version number does not change on every edit.
_LAYOUT_CODE = (Path(__file__), Path(html_to_pdf_pages.__code__.co_filename))


@dataclass(frozen=True, slots=True)
class PartSource:
    """What a worker needs to lay out one part."""

    html: str
    stylesheets: tuple[Path, ...]
    base_url: Path
    allowed: tuple[Path, ...]
    identifier: str
    max_pixels: int
    inputs: tuple[Path, ...] = ()  # files it may load that its HTML does not name (theme, fonts)


@dataclass(frozen=True, slots=True)
class Part:
    """A laid-out part: its PDF, where its links and anchors are, and the warnings its layout gave."""

    pdf: bytes
    pages: tuple[PageLayout, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class PartCache:
    """Lays out parts, taking from `folder` (None: no cache) those laid out before."""

    folder: Path | None
    jobs: int = 0  # processes laying out parts at once; 0: one per CPU
    _used: set[str] = field(default_factory=set)
    _digests: dict[Path, str] = field(default_factory=dict)

    def lay_out(self, sources: Sequence[PartSource]) -> list[Part]:
        """Return every part, laying out in parallel those not in the cache.

        Warnings are reported again for a part taken from the cache, as its layout would.
        """
        keys = [self.key(source) for source in sources]
        self._used.update(keys)
        parts = {index: self.cached(key) for index, key in enumerate(keys)}
        stale = [index for index, part in parts.items() if part is None]
        reported = set()
        for index, (part, live) in zip(stale, _lay_out_all([sources[i] for i in stale], self.jobs)):
            parts[index] = part
            self._store(keys[index], part)
            if live:
                reported.add(index)
        for index, part in parts.items():
            if index not in reported:
                for message in part.warnings:
                    LOGGER.warning("%s", message)
        return [parts[index] for index in range(len(sources))]

    def key(self, source: PartSource) -> str:
        """Return a part's key: a hash of everything its PDF and layout depend on."""
        hasher = hashlib.sha256()
        for item in (CACHE_FORMAT, __version__, version("weasyprint"), source.identifier, str(source.max_pixels)):
            hasher.update(item.encode() + b"\0")
        hasher.update(source.html.encode() + b"\0")
        for path in (*_LAYOUT_CODE, *sorted({*source.stylesheets, *source.inputs, *_files_named(source.html)})):
            hasher.update(f"{path}\0{self._digest(path)}\0".encode())
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
                    links=tuple((href, tuple(rect)) for href, rect in page["links"]),
                    bookmarks=tuple(tuple(mark) for mark in page["bookmarks"]),
                )
                for page in stored["pages"]
            )
            return Part((self.folder / f"{key}.pdf").read_bytes(), pages, tuple(stored["warnings"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: lay it out again

    def prune(self) -> None:
        """Delete the cached parts this build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".pdf", ".json") and path.stem not in self._used:
                path.unlink(missing_ok=True)

    def _store(self, key: str, part: Part) -> None:
        if self.folder is None:
            return
        pages = [
            {"area": page.area, "anchors": page.anchors, "links": page.links, "bookmarks": page.bookmarks}
            for page in part.pages
        ]
        try:
            # The PDF first: a layout file is only ever next to a complete PDF.
            write_atomic(self.folder / f"{key}.pdf", part.pdf)
            write_atomic(self.folder / f"{key}.json", json.dumps({"pages": pages, "warnings": part.warnings}).encode())
        except OSError as error:
            LOGGER.debug("cannot cache a laid-out part in %s: %s", self.folder, error)  # the build goes on

    def _digest(self, path: Path) -> str:
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._digests[path] = "unreadable"
        return self._digests[path]


def _files_named(html: str) -> Iterable[Path]:
    """Return the local files an HTML document loads (its images)."""
    for url in re.findall(r'\bsrc="(file:[^"]+)"', html):
        yield Path(unquote(urlsplit(url).path))


def _lay_out_all(sources: list[PartSource], jobs: int) -> list[tuple[Part, bool]]:
    """Return each part laid out, and whether it was in this process (its warnings reported already).

    With `jobs` above one, worker processes take the largest parts while this
    process lays out the smallest. Starting a worker costs about as much as
    laying out a chapter (importing WeasyPrint), so each process gets two parts
    or more: a couple of stale parts are laid out here, with no worker at all.
    """
    workers = min(jobs or os.cpu_count() or 1, len(sources) // 2) - 1
    # A daemonic process (a multiprocessing.Pool worker) may not start processes of its own.
    if workers < 1 or multiprocessing.current_process().daemon:
        return [(lay_out_part(source), True) for source in sources]
    waiting = collections.deque(sorted(range(len(sources)), key=lambda index: -len(sources[index].html)))
    done: dict[int, tuple[Part, bool]] = {}
    running: dict[Future, int] = {}
    # "spawn": a forked copy of a process that runs threads (a progress display) can deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_silence_worker) as pool:
        while waiting or running:
            while waiting and len(running) < workers:
                index = waiting.popleft()
                running[pool.submit(lay_out_part, sources[index])] = index
            if waiting:  # the smallest part left, here, while the workers are busy
                index = waiting.pop()
                done[index] = (lay_out_part(sources[index]), True)
                finished = {future for future in running if future.done()}
            else:
                finished = wait(running, return_when=FIRST_COMPLETED).done
            for future in finished:
                done[running.pop(future)] = (future.result(), False)
    return [done[index] for index in range(len(sources))]


def _silence_worker() -> None:
    # A worker's warnings travel back with its parts; the parent reports them.
    LOGGER.propagate = False


class _Collect(logging.Handler):
    """Keeps the warnings logged by this thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def lay_out_part(source: PartSource) -> Part:
    """Lay out one part, keeping the warnings it gave with it, for the cache and from worker processes."""
    collect = _Collect()
    LOGGER.addHandler(collect)
    try:
        pdf, pages = html_to_pdf_pages(
            source.html,
            list(source.stylesheets),
            source.base_url,
            source.allowed,
            source.identifier,
            source.max_pixels,
        )
    finally:
        LOGGER.removeHandler(collect)
    return Part(pdf, pages, tuple(collect.messages))
