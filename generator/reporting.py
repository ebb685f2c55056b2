"""Capturing the warnings and errors Aula logs, to report them later or elsewhere.

Every problem reaches the user as a record of the `aula` logger (see
`generator.errors`). Some must be held back and reported again: the findings of
the last build (repeated by a build with nothing to do), the warnings of a
worker process (handed back to the build's own process), those of a laid-out
part (kept in the cache with it). All of them use `captured`: one rule for
what counts (warnings and errors, from this thread) in one place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from generator.errors import LOGGER

# (level, message): what is kept of a record, small enough to pickle and store.
Report = tuple[int, str]


class _Captures(logging.Filter):
    """Hands each record at WARNING and above to the captures open in its thread, innermost first.

    A capture that holds its records ends the walk: outer captures, and the log, never see them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def stack(self) -> list[tuple[bool, list[Report]]]:
        if not hasattr(self.local, "stack"):
            self.local.stack = []
        return self.local.stack

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        for hold, reports in reversed(self.stack()):
            reports.append((record.levelno, record.getMessage()))
            if hold:
                return False
        return True


_CAPTURES = _Captures()
LOGGER.addFilter(_CAPTURES)


@contextmanager
def captured(hold: bool = False) -> Iterator[list[Report]]:
    """Collect the warnings and errors logged in this thread inside the block.

    With `hold`, they are not reported now: the caller reports them (`report`) where and when it should.
    """
    reports: list[Report] = []
    stack = _CAPTURES.stack()
    stack.append((hold, reports))
    try:
        yield reports
    finally:
        stack.pop()  # blocks nest: the last one opened closes first


def report(reports: Iterable[Report]) -> None:
    """Log captured warnings and errors again, each at its level."""
    for level, message in reports:
        LOGGER.log(level, "%s", message)
