"""The build, top to bottom: settings, parse, lint, jobs, render and write, record.

The course is read and checked before anything is rendered. Each output is
put in place as soon as it is made, the first ones first (the student
handout); a build that fails puts back every file it replaced, so the
previous outputs stay as they were.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator import __version__
from generator.cache import CACHE_DIR, BuildCache, FileHashes, folder_files, sha256_bytes
from generator.config import Config, document_date, load_config
from generator.errors import LOGGER, ConfigError, LintError, ThemeError
from generator.formats import AFTERWARDS, FORMATS, Made, Request
from generator.model import EDITIONS, Course, Edition
from generator.outputs import MANIFEST, OutputError, Placement, check_writable, manifest_bytes
from generator.parse import parse_course
from generator.reporting import captured, report
from generator.scheduler import Job, render_jobs
from generator.themes import Theme, resolve_theme_dir


@dataclass(frozen=True, slots=True)
class BuildOptions:
    course_dir: Path = Path("content")
    output_dir: Path = Path("output")
    formats: tuple[str, ...] = tuple(FORMATS)
    editions: tuple[Edition, ...] = EDITIONS
    paper: str = ""  # overrides `paper:` in course.yml
    theme: str = ""  # overrides `theme:` in course.yml; relative to the working folder
    stop_on_lint_errors: bool = True
    jobs: int = 0  # processes rendering at once, the build's own included; 0 means one per CPU
    slides_per_page: int = 3  # on a slide handout
    force: bool = False  # render every output, cached or not


# (relative path of the output just made, outputs made so far, outputs to make)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    written: list[Path]
    up_to_date: list[Path]


def build(options: BuildOptions, progress: Progress | None = None, wrote: Callable[[Path], None] | None = None) -> BuildResult:
    """Build the course: render what changed since the last build, write it, record it.

    `progress(relative_path, done, total)` is called as each output is rendered,
    and `wrote(path)` as each file is put in place.
    """
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown output format `{unknown[0]}` (known: {', '.join(FORMATS)})")
    config, theme = load_settings(options)
    hashes = FileHashes(roots=(config.root, *theme.folders))
    # SOURCE_DATE_EPOCH changes the documents without changing a file: it is part of the settings.
    # The course folder is not: where it lives changes no output.
    asked = (options.formats, options.editions, options.slides_per_page)
    settings = hashes.of_all(theme.files()) + repr((__version__, asked, replace(config, root=Path()), document_date(config)))
    fingerprint = hashes.of_all(folder_files(config.root, skip=options.output_dir.resolve())) + settings
    cache = BuildCache.load(options.output_dir)
    if not options.force and cache.all_fresh(fingerprint, cache.outputs):
        report(cache.reports)  # the last build's findings still stand
        return BuildResult([], [options.output_dir / relative for relative in cache.outputs])

    course = parse_course(config)
    with captured() as findings:
        lint_counts = lint(config, course, options.stop_on_lint_errors)
    request = Request(
        config, course, theme, options.editions, document_date(config), options.output_dir / CACHE_DIR, options.slides_per_page
    )
    jobs = [job for name, make in FORMATS.items() if name in options.formats for job in make(request)]  # queued in this order
    keys: dict[str, str] = {}
    sha256s: dict[str, str] = {}
    written: list[Path] = []
    with Placement(options.output_dir) as placement:

        def made(relative: str, data: bytes) -> None:
            sha256s[relative] = sha256_bytes(data)
            # Made again to the same bytes (a page that lists every chapter, after one chapter's edit): left as it is.
            if options.force or not cache.holds(relative, sha256s[relative]):
                written.append(placement.place(relative, data))
                if wrote:
                    wrote(written[-1])

        rendered = _render_stale(jobs, keys, hashes, settings, cache, options, progress, made)
        sha256s |= _cached_sha256s(keys, sha256s, cache)
        # What describes the other outputs (the site's home page: their sizes, their pages) is made after them, from them.
        described = {relative: Made(sha256s[relative], partial(_output_bytes, options.output_dir, relative, rendered)) for relative in keys}
        later = [job for name in options.formats if name in AFTERWARDS for job in AFTERWARDS[name](request, described)]
        rendered |= _render_stale(later, keys, hashes, settings, cache, options, progress, made, done=len(rendered))
        sha256s |= _cached_sha256s(keys, sha256s, cache)
        jobs += later
        manifest = manifest_bytes(fingerprint, lint_counts, sha256s, keys, kit_images(course))
        if _read_or_none(options.output_dir / MANIFEST) != manifest:
            placement.place(MANIFEST, manifest)  # last: it lists the outputs placed before it

    cache.outputs = {relative: entry for relative, entry in cache.outputs.items() if relative in keys}
    for relative in rendered:
        cache.record(relative, keys[relative], sha256s[relative])
    cache.reports = findings
    cache.save(fingerprint)
    placed = set(written)
    fresh = [options.output_dir / job.relative_path for job in jobs if options.output_dir / job.relative_path not in placed]
    return BuildResult(written, fresh)


def _render_stale(
    jobs: list[Job],
    keys: dict[str, str],
    hashes: FileHashes,
    settings: str,
    cache: BuildCache,
    options: BuildOptions,
    progress: Progress | None,
    made: Callable[[str, bytes], None],
    done: int = 0,
) -> dict[str, bytes]:
    """Record each job's key in `keys`; render the jobs whose output is stale, handing each to `made`, and return their bytes.

    `done` outputs were rendered before these: progress counts on from there.
    """
    keys.update({job.relative_path: sha256_bytes((hashes.of_all(job.inputs) + job.key + settings).encode()) for job in jobs})
    stale = [job for job in jobs if options.force or not cache.is_fresh(job.relative_path, keys[job.relative_path])]
    if stale:
        check_writable(options.output_dir)  # now, not after minutes of layout
    total = done + len(stale)
    if progress is not None and stale:
        progress("", done, total)
    counter = itertools.count(done + 1)

    def counted(relative: str, data: bytes) -> None:
        made(relative, data)
        if progress is not None:
            progress(relative, next(counter), total)

    return render_jobs(stale, options.jobs or os.cpu_count() or 1, counted)


def _cached_sha256s(relatives: Iterable[str], made: Mapping[str, str], cache: BuildCache) -> dict[str, str]:
    """Return the sha256 of each output not made now, as the cache recorded it."""
    return {relative: cache.outputs[relative]["sha256"] for relative in relatives if relative not in made}


def _output_bytes(output_dir: Path, relative: str, rendered: dict[str, bytes]) -> bytes:
    """Return an output's bytes: rendered by this build, or else the file the last build wrote (the cache vouches for it)."""
    if relative in rendered:
        return rendered[relative]
    try:
        return (output_dir / relative).read_bytes()
    except OSError as error:
        raise OutputError(f"cannot read {output_dir / relative}, made by the last build: {error.strerror or error}") from None


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


def lint(config: Config, course: Course, stop_on_errors: bool) -> dict[str, int]:
    """Report the lint findings of the course and return their counts by severity.

    Raise when any is an error, if asked to.
    """
    from generator.lint import lint_course
    from generator.lint.rules import SEVERITIES

    findings = lint_course(course, config.lint_ignore, state=config.lint_state)
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
        if finding.severity != "info":
            LOGGER.log(logging.ERROR if finding.severity == "error" else logging.WARNING, "%s", finding)
    if counts["error"] and stop_on_errors:
        errors = counts["error"]
        raise LintError(f"{errors} lint error{'s' if errors != 1 else ''}: fix them, or build anyway with --no-lint")
    return counts


def kit_images(course: Course) -> list[dict[str, object]]:
    """Return the images the course pulls, for `build.json` (`aula kit` tells more)."""
    from generator.state.kit import classroom_kit

    return [{"image": image.name, "tagged": image.tagged, "chapter": image.chapter} for image in classroom_kit(course).images]


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
