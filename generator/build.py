"""The build, top to bottom: config, parse, lint, theme, render, write.

Everything is read, checked and rendered in memory before the first file is
written, so a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from generator.config import Config, load_config
from generator.errors import LOGGER, ConfigError, LintError
from generator.model import Course
from generator.outputs import write_outputs
from generator.parse import parse_course
from generator.themes import Theme, resolve_theme_dir

FORMATS = ("handout", "cheatsheet")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    course_dir: Path = Path("content")
    output_dir: Path = Path("output")
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ("student", "teacher")
    paper: str = ""  # overrides `paper:` in course.yml
    theme: str = ""  # overrides `theme:` in course.yml; relative to the working folder
    stop_on_lint_errors: bool = True


@dataclass(frozen=True, slots=True)
class Job:
    """One output file: where it goes and how to make its bytes."""

    relative_path: str
    render: Callable[[], bytes]


def load(options: BuildOptions) -> tuple[Config, Course, Theme]:
    """Return the configuration, the parsed course and the theme for a build."""
    config = load_config(options.course_dir)
    if options.paper:
        config = replace(config, paper=options.paper)
    course = parse_course(config)
    if options.theme:
        theme_dir = resolve_theme_dir(options.theme, Path.cwd())
    else:
        theme_dir = resolve_theme_dir(config.theme, config.root)
    return config, course, Theme.load(theme_dir)


def document_date(config: Config) -> str:
    """Return the date stamped into documents: `SOURCE_DATE_EPOCH`, else the course `date`, else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", config.date):
        return config.date
    return ""


def handout_jobs(config: Config, course: Course, theme: Theme, options: BuildOptions) -> list[Job]:
    from generator.render.handout import HandoutOptions, render_handout

    jobs = []
    for edition in options.editions:
        suffix = "" if edition == "student" else f"-{edition}"
        handout = HandoutOptions(edition=edition, paper=config.paper, created=document_date(config))
        jobs.append(
            Job(f"{course.info.slug}-handout{suffix}.pdf", lambda handout=handout: render_handout(course, theme, handout))
        )
    return jobs


def cheatsheet_jobs(config: Config, course: Course, theme: Theme, options: BuildOptions) -> list[Job]:
    from generator.render.cheatsheet import CheatsheetOptions, render_cheatsheet

    sheet = CheatsheetOptions.from_config(config, created=document_date(config))
    return [Job(f"{course.info.slug}-cheatsheet.pdf", lambda: render_cheatsheet(course, theme, sheet))]


RENDERERS = {"handout": handout_jobs, "cheatsheet": cheatsheet_jobs}


def lint(config: Config, course: Course, stop_on_errors: bool) -> None:
    """Report the lint findings of the course; raise when any is an error, if asked to."""
    from generator.lint import lint_course

    findings = lint_course(course, config.lint_ignore)
    for finding in findings:
        if finding.severity != "info":
            LOGGER.log(logging.ERROR if finding.severity == "error" else logging.WARNING, "%s", finding)
    errors = sum(finding.severity == "error" for finding in findings)
    if errors and stop_on_errors:
        raise LintError(f"{errors} lint error{'s' if errors != 1 else ''}: fix them, or build anyway with --no-lint")


def build(options: BuildOptions) -> list[Path]:
    """Build the course; return the files written."""
    unknown = [name for name in options.formats if name not in RENDERERS]
    if unknown:
        raise ConfigError(f"unknown output format `{unknown[0]}` (known: {', '.join(RENDERERS)})")
    config, course, theme = load(options)
    lint(config, course, options.stop_on_lint_errors)
    jobs = [job for name in options.formats for job in RENDERERS[name](config, course, theme, options)]
    rendered = {job.relative_path: job.render() for job in jobs}
    return write_outputs(options.output_dir, rendered)
