"""Teaching conventions in code blocks: placeholders and elided text, which stand for what is not written.

`<placeholder>` words stand for an argument to fill in (`COPY <code>`); `...`
or `…` as a word of its own stands for text not shown (`RUN ...`, a `...`
line). The checkers read them as such instead of reporting them (see
docs/lint-rules.md, "Teaching conventions"). A placeholder in a shell command
line is found by `generator.docker.commands`, which makes the command a synopsis.
"""

from __future__ import annotations

import re

from generator.docker.commands import ANGLE_PLACEHOLDER
from generator.lint.dockerfile_syntax import INSTRUCTIONS, Instruction

ELISION = re.compile(r"(?<!\S)(?:\.\.\.|…)(?!\S)")  # a word of its own: not `Loading...` or `http://.../`
ELISION_LINE = re.compile(r"^[ \t]*(?:#[ \t]*)?(?:\.\.\.|…)[ \t]*$", re.MULTILINE)  # `...`, `# ...` alone


def elided_lines(instructions: tuple[Instruction, ...]) -> set[int]:
    """Return the ids of the Dockerfile lines that are no instruction and stand for text not shown.

    A line with an elision mark (`...`, `CMD, EXPOSE ...`), and the lines more
    indented than an elision-marked line right after it (`RUN ...` then
    `    && curl …`: the elided part ended with a `\\`).
    """
    found: set[int] = set()
    indent: int | None = None  # of the last line with an elision mark, while lines continue it
    for ins in instructions:
        marked = ELISION.search(ins.text) is not None
        if ins.name not in INSTRUCTIONS and (marked or (indent is not None and ins.keyword_offset > indent)):
            found.add(id(ins))
            indent = ins.keyword_offset if marked else indent
        else:
            indent = ins.keyword_offset if marked else None
    return found


def has_placeholder(arguments: str) -> bool:
    """Return whether a Dockerfile instruction's arguments hold a `<placeholder>`.

    A quoted `"<html>"`, an address `<ana@example.org>` or `<https://…>` is none.
    """
    return any(
        (match.start() == 0 or arguments[match.start() - 1] not in "\"'") and not re.search(r"@|://", match.group())
        for match in ANGLE_PLACEHOLDER.finditer(arguments)
    )
