"""Errors and warnings that reach the user.

A user's mistake raises an `AulaError` (or a subclass) carrying the place it
was found; `cli.py` turns it into one line and a non-zero exit. Anything else
escaping is a bug in Aula and shows a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from generator.model import Location

LOGGER = logging.getLogger("aula")


class AulaError(Exception):
    """A problem with the user's course, theme or options."""

    def __init__(self, message: str, location: Location | Path | None = None):
        super().__init__(message, location)  # both in args, so the error survives pickling
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ConfigError(AulaError):
    """`course.yml`, front matter or a command-line option is wrong."""


class ContentError(AulaError):
    """A chapter cannot be read or parsed."""


class LintError(AulaError):
    """The course's code examples or Markdown have lint errors."""


class ThemeError(AulaError):
    """A theme is missing, broken, or lacks a template it needs."""


def warn(location: Location | Path | None, code: str, message: str) -> None:
    """Report a warning about the course, saying where."""
    where = f"{location}: " if location else ""
    LOGGER.warning("%swarning %s %s", where, code, message)
