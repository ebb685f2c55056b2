"""The build, top to bottom: config, parse, lint, theme, render, write.

Everything is read, checked and rendered in memory before the first file is
written, so a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from generator import __version__
from generator.cache import CACHE_DIR, BuildCache, FileHashes, folder_files, sha256_bytes
from generator.config import Config, load_config
from generator.errors import LOGGER, ConfigError, LintError, ThemeError
from generator.model import Chapter, Course, Image
from generator.outputs import check_writable, write_outputs
from generator.parse import parse_course
from generator.render.core.images import locate_image
from generator.render.core.parts import Layouts, Part, PartSource, finish, lay_out_part
from generator.themes import Theme, resolve_theme_dir

FORMATS = ("handout", "cheatsheet", "slides")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    course_dir: Path = Path("content")
    output_dir: Path = Path("output")
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ("student", "teacher")
    paper: str = ""  # overrides `paper:` in course.yml
    theme: str = ""  # overrides `theme:` in course.yml; relative to the working folder
    stop_on_lint_errors: bool = True
    jobs: int = 0  # processes rendering at once, the build's own included; 0 means one per CPU
    force: bool = False  # render every output, cached or not


@dataclass(frozen=True, slots=True)
class Job:
    """One output file: where it goes, how to make its bytes, and what they depend on.

    An output is made whole by `render`, one task; or, if it is laid out in
    parts (`generator.render.core.parts`), by `parts`, a generator driven in the
    build's process, each part a task. Tasks run in worker processes and in
    the build's own (see `render_jobs`).

    `inputs` are the files the output is made from; `key` is anything else it
    depends on (options, data extracted from the course). Together with the
    theme, `course.yml` and Aula's version they decide whether the cached
    output is still good.
    """

    relative_path: str
    render: Callable[[], bytes] | None = None
    parts: Callable[[], Layouts] | None = None
    inputs: tuple[Path, ...] = ()
    key: str = ""

    def __post_init__(self) -> None:
        assert (self.render is None) != (self.parts is None), "a job is made whole or in parts"

    def make(self) -> bytes:
        """Return the output's bytes, made in this process."""
        return self.render() if self.render else finish(self.parts())


def load_settings(options: BuildOptions) -> tuple[Config, Theme]:
    """Return the configuration (command-line options applied) and the theme."""
    config = load_config(options.course_dir)
    if options.paper:
        config = replace(config, paper=options.paper)
    if options.theme:
        theme_dir = resolve_theme_dir(options.theme, Path.cwd())
    else:
        theme_dir = resolve_theme_dir(config.theme, config.root)
    course_dir = config.root.resolve()
    if theme_dir is not None and (theme_dir == course_dir or theme_dir in course_dir.parents):
        # The build may read any file of its theme: a theme around the course (`..`, `~`, `/`) would open them all.
        raise ThemeError(f"the theme folder {theme_dir} holds the course: a theme is a folder of its own")
    return config, Theme.load(theme_dir)


def load(options: BuildOptions) -> tuple[Config, Course, Theme]:
    """Return the configuration, the parsed course and the theme for a build."""
    config, theme = load_settings(options)
    return config, parse_course(config), theme


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


def document_date(config: Config) -> str:
    """Return the date stamped into documents: `SOURCE_DATE_EPOCH`, else the course `date`, else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", config.date):
        return config.date
    return ""


def handout_jobs(config: Config, course: Course, theme: Theme, options: BuildOptions) -> list[Job]:
    from generator.render.handout import HandoutOptions, handout_layouts, render_handout

    # A user theme's older handout.html makes only the whole book: one task, not parts.
    in_parts = theme.template_uses("handout.html", "document")
    files = chapter_files(course, course.chapters)
    jobs = []
    for edition in options.editions:
        suffix = "" if edition == "student" else f"-{edition}"
        handout = HandoutOptions(edition=edition, paper=config.paper, created=document_date(config))
        # Chapters laid out once are kept in the cache folder, so an edit lays out one chapter again.
        how = replace(handout, cache_dir=options.output_dir / CACHE_DIR / "handout")
        if in_parts:
            make = {"parts": lambda how=how: handout_layouts(course, theme, how)}
        else:
            make = {"render": lambda how=how: render_handout(course, theme, how)}
        jobs.append(Job(f"{course.info.slug}-handout{suffix}.pdf", **make, inputs=files, key=repr(handout)))
    return jobs


def cheatsheet_jobs(config: Config, course: Course, theme: Theme, options: BuildOptions) -> list[Job]:
    from generator.render.cheatsheet import CheatsheetOptions, command_sheet, render_cheatsheet

    sheet = CheatsheetOptions.from_config(config, created=document_date(config))
    # The sheet depends on the commands the course teaches, not on every word of it.
    commands = repr(command_sheet(course, sheet))
    return [Job(f"{course.info.slug}-cheatsheet.pdf", lambda: render_cheatsheet(course, theme, sheet), key=commands + repr(sheet))]


def slides_jobs(config: Config, course: Course, theme: Theme, options: BuildOptions) -> list[Job]:
    from functools import partial

    from generator.render.slides import SlideDecks

    decks = SlideDecks(course, theme, created=document_date(config), cache_dir=options.output_dir / CACHE_DIR / "slides")
    slug, everything, key = course.info.slug, chapter_files(course, course.chapters), repr(course.info)
    # A user theme's older slides.html makes only the whole deck: one task, not parts.
    if theme.template_uses("slides.html", "document"):
        pdf_deck = {"parts": decks.course_pdf}
    else:
        pdf_deck = {"render": lambda: finish(decks.course_pdf())}
    jobs = [
        Job(f"{slug}-slides.pptx", decks.course_pptx, inputs=everything, key=key),
        Job(f"{slug}-slides.pdf", inputs=everything, key=key, **pdf_deck),
    ]
    for chapter in course.chapters:
        files = chapter_files(course, [chapter])
        jobs.append(Job(f"slides/{chapter.stem}.pptx", partial(decks.chapter_pptx, chapter), inputs=files, key=f"{key}{chapter.number}"))
    return jobs


RENDERERS = {"handout": handout_jobs, "cheatsheet": cheatsheet_jobs, "slides": slides_jobs}


def lint(config: Config, course: Course, stop_on_errors: bool) -> dict[str, int]:
    """Report the lint findings of the course and return their counts by severity.

    Raise when any is an error, if asked to.
    """
    from generator.lint import lint_course

    findings = lint_course(course, config.lint_ignore)
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    for finding in findings:
        counts[finding.severity] += 1
        if finding.severity != "info":
            LOGGER.log(logging.ERROR if finding.severity == "error" else logging.WARNING, "%s", finding)
    if counts["error"] and stop_on_errors:
        errors = counts["error"]
        raise LintError(f"{errors} lint error{'s' if errors != 1 else ''}: fix them, or build anyway with --no-lint")
    return counts


@dataclass(frozen=True, slots=True)
class BuildResult:
    written: list[Path]
    up_to_date: list[Path]


def build(options: BuildOptions, progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build the course: render what changed since the last build, write it, record it.

    `progress(relative_path, done, total)` is called as each output is rendered.
    """
    unknown = [name for name in options.formats if name not in RENDERERS]
    if unknown:
        raise ConfigError(f"unknown output format `{unknown[0]}` (known: {', '.join(RENDERERS)})")
    config, theme = load_settings(options)
    hashes = FileHashes()
    # SOURCE_DATE_EPOCH changes the documents without changing a file: it is part of the settings.
    settings = hashes.of_all(theme.files()) + repr((__version__, options.formats, options.editions, config, document_date(config)))
    fingerprint = hashes.of_all(folder_files(config.root, skip=options.output_dir.resolve())) + settings
    cache = BuildCache.load(options.output_dir)
    if not options.force and cache.all_fresh(fingerprint, cache.outputs):
        for message in cache.warnings:  # the last build's findings still stand
            LOGGER.warning("%s", message)
        return BuildResult([], [options.output_dir / relative for relative in cache.outputs])

    course = parse_course(config)
    with _recording_warnings() as warnings:
        lint_counts = lint(config, course, options.stop_on_lint_errors)
    jobs = [job for name in options.formats for job in RENDERERS[name](config, course, theme, options)]
    keys = {job.relative_path: hashes.of_all(job.inputs) + job.key + settings for job in jobs}
    keys = {relative: sha256_bytes(key.encode()) for relative, key in keys.items()}
    stale = [job for job in jobs if options.force or not cache.is_fresh(job.relative_path, keys[job.relative_path])]
    if stale:
        check_writable(options.output_dir)  # now, not after minutes of layout
    rendered = render_jobs(stale, options.jobs or os.cpu_count() or 1, progress)

    cache.outputs = {relative: entry for relative, entry in cache.outputs.items() if relative in keys}
    sha256s = {relative: entry["sha256"] for relative, entry in cache.outputs.items()}
    sha256s.update({relative: sha256_bytes(data) for relative, data in rendered.items()})
    files = dict(rendered)
    manifest = manifest_bytes(fingerprint, lint_counts, sha256s, keys)
    if _read_or_none(options.output_dir / MANIFEST) != manifest:
        files[MANIFEST] = manifest
    written = [path for path in write_outputs(options.output_dir, files) if path != options.output_dir / MANIFEST]

    for relative, data in rendered.items():
        cache.record(relative, keys[relative], sha256s[relative])
    cache.warnings = warnings
    cache.save(fingerprint)
    fresh = [options.output_dir / job.relative_path for job in jobs if job.relative_path not in rendered]
    return BuildResult(written, fresh)


MANIFEST = "build.json"


def manifest_bytes(fingerprint: str, lint_counts: dict, sha256s: dict[str, str], keys: dict[str, str]) -> bytes:
    """Return `build.json`: every output with its sha256 and inputs' hash, and the lint counts."""
    manifest = {
        "aula": __version__,
        "inputs": sha256_bytes(fingerprint.encode()),
        "lint": lint_counts,
        "outputs": [
            {"path": relative, "sha256": sha256s[relative], "inputs": keys[relative]}
            for relative in sorted(keys)
            if relative in sha256s
        ],
    }
    return (json.dumps(manifest, indent=2) + "\n").encode()


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@contextlib.contextmanager
def _recording_warnings():
    """Collect the text of the warnings logged inside the block."""
    messages: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno == logging.WARNING:
                messages.append(record.getMessage())

    recorder = Recorder()
    LOGGER.addHandler(recorder)
    try:
        yield messages
    finally:
        LOGGER.removeHandler(recorder)


# --- Rendering in worker processes ------------------------------------------

# The jobs of the current build, read by forked workers: a job holds closures
# over the parsed course, which fork shares without pickling anything.
_PENDING: list[Job] = []


def render_jobs(jobs: list[Job], workers: int, progress: Callable[[str, int, int], None] | None) -> dict[str, bytes]:
    """Return every job's bytes, rendering in up to `workers` processes."""
    rendered: dict[str, bytes] = {}

    def done(job: Job, data: bytes) -> None:
        rendered[job.relative_path] = data
        if progress:
            progress(job.relative_path, len(rendered), len(jobs))

    if not jobs:
        return rendered
    if progress:
        progress("", 0, len(jobs))
    if not any(job.parts for job in jobs):
        # All the workers are forked at the first task: no more of them than there are tasks to share.
        workers = min(workers, len(jobs))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            done(job, job.make())
    else:
        global _PENDING
        _PENDING = jobs
        try:
            _render_in_workers(jobs, workers, done)
        finally:
            _PENDING = []
    # Keep the order of the plan, whatever order the workers finished in.
    return {job.relative_path: rendered[job.relative_path] for job in jobs}


@dataclass
class _InParts:
    """A job laid out in parts: its generator, and the parts it asked for last."""

    layouts: Layouts
    parts: list[Part | None]
    missing: int = 0


def _render_in_workers(jobs: list[Job], workers: int, done: Callable[[Job, bytes], None]) -> None:
    """Render `jobs` in this process and `workers - 1` forked workers, calling `done` as each is made.

    A task is a job made whole, or one part of a job laid out in parts: small
    tasks keep every process busy to the end, and a one-chapter edit lays out
    only that chapter's parts. Tasks are queued in the order of the jobs (the
    handouts first: their chapters lead to their contents and frame, one after
    the other), and the parts a job asks for after its first ones go to the
    front: the job waits for nothing else. The small independent tasks at the
    back keep every process busy while those chains end. This process takes
    tasks too, between handing them out and putting documents together: one
    worker fewer saves its memory (about 100 MB) and no time.
    """
    waiting: collections.deque[tuple[int, int, PartSource | None]] = collections.deque()
    in_parts: dict[int, _InParts] = {}
    running: dict[Future, tuple[int, int, PartSource | None]] = {}

    def advance(index: int, laid_out: list[Part] | None = None) -> None:
        """Send job `index` its parts and queue those it asks for next; or, when it asks for none, it is done."""
        job = in_parts[index]
        try:
            sources = next(job.layouts) if laid_out is None else job.layouts.send(laid_out)
            while not sources:
                sources = job.layouts.send([])
        except StopIteration as end:
            del in_parts[index]
            done(jobs[index], end.value)
            return
        job.parts, job.missing = [None] * len(sources), len(sources)
        tasks = [(index, slot, source) for slot, source in enumerate(sources)]
        if laid_out is None:
            waiting.extend(tasks)
        else:
            waiting.extendleft(reversed(tasks))

    def finished(task: tuple[int, int, PartSource | None], result) -> None:
        index, slot, source = task
        if source is None:
            done(jobs[index], result)
            return
        job = in_parts[index]
        job.parts[slot] = result
        job.missing -= 1
        if not job.missing:
            advance(index, job.parts)

    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:

        def submit() -> None:
            # Two tasks a worker: it starts its next one while this process is busy with its own.
            while waiting and len(running) < 2 * (workers - 1):
                task = waiting.popleft()
                running[pool.submit(_in_worker, task[0], task[2])] = task

        def collect(block: bool) -> None:
            for future in wait(running, timeout=None if block else 0, return_when=FIRST_COMPLETED).done:
                task = running.pop(future)
                result = future.result()
                if task[2] is None:  # a whole job, with the warnings it logged
                    result, records = result
                    for level, message in records:
                        LOGGER.log(level, "%s", message)
                finished(task, result)

        for index, job in enumerate(jobs):  # the workers start as soon as there is a task
            if job.parts:
                in_parts[index] = _InParts(job.parts(), [])
                advance(index)
            else:
                waiting.append((index, 0, None))
            submit()
        while waiting or running:
            if waiting:
                task = waiting.popleft()
                index, _, source = task
                finished(task, jobs[index].render() if source is None else lay_out_part(source))
                _give_back_memory()
            collect(block=not waiting)
            submit()


def _in_worker(index: int, source: PartSource | None):
    """Run a task in a worker: job `index` made whole, or the part `source` of it laid out."""
    try:
        return _render_pending(index) if source is None else lay_out_part(source)
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory a finished task freed back to the system, which glibc would keep for later.

    A worker may wait idle until the build ends, holding the peak of its
    largest task; on the bundled course this lowers the build's peak by about 40 MB.
    """
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _render_pending(index: int) -> tuple[bytes, list[tuple[int, str]]]:
    """Render one whole job in a worker; hand its warnings back to the parent to report."""
    records: list[tuple[int, str]] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.levelno, record.getMessage()))

    LOGGER.handlers = [Collector(logging.WARNING)]
    try:
        return _PENDING[index].render(), records
    finally:
        LOGGER.handlers = []
