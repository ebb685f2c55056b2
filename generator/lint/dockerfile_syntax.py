"""Parse a Dockerfile the way BuildKit's parser does, keeping every line and column.

Handles parser directives (`# syntax=`, `# escape=`, `# check=`), comments,
line continuations (with the escape character), empty continuation lines,
here-documents on RUN/COPY/ADD, `--flags`, JSON (exec) versus shell form and
ONBUILD's wrapped instruction. It does not judge: unknown instructions and bad
arguments are kept for the rules in `dockerfile.py` to report.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

INSTRUCTIONS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER "
    "VOLUME WORKDIR".split()
)
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_JSON_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9_]*)\s*=\s*(.*?)\s*$")
_KNOWN_DIRECTIVES = ("syntax", "escape", "check")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][\w.-]*)\2")
_KEYWORD = re.compile(r"\s*(\S+)")
_FLAG = re.compile(r"\s+--([A-Za-z][\w-]*)(?:=(\S*))?(?=\s|$)")
_SPACES = re.compile(r"\s*")
_HADOLINT_IGNORE = re.compile(r"^#\s*hadolint\s+ignore\s*=\s*([\w, ]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Flag:
    """An instruction flag such as `--from=build`; `value` is None for a bare `--link`."""

    name: str
    value: str | None
    offset: int


@dataclass(frozen=True, slots=True)
class Heredoc:
    name: str
    body: str
    line: int  # the line of the body's first line
    strip_tabs: bool = False


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction: `text` is its logical line (continuations joined), offsets index into it."""

    keyword: str
    line: int
    end_line: int
    text: str
    keyword_offset: int
    flags: tuple[Flag, ...]
    args: str
    args_offset: int
    json: tuple[str, ...] | None
    heredocs: tuple[Heredoc, ...] = ()
    empty_continuations: tuple[int, ...] = ()
    wrapped: Instruction | None = None  # ONBUILD's instruction
    segments: tuple[tuple[int, int, int], ...] = ((0, 1, 0),)  # (offset in text, line, column - 1)

    @property
    def name(self) -> str:
        return self.keyword.upper()

    @property
    def column(self) -> int:
        return self.position(self.keyword_offset)[1]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the (line, column) of a character of `text`."""
        starts = [segment[0] for segment in self.segments]
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        start, line, column = self.segments[index]
        return line, column + offset - start + 1

    def flag(self, name: str) -> Flag | None:
        return next((f for f in self.flags if f.name == name), None)


@dataclass(frozen=True, slots=True)
class Dockerfile:
    instructions: tuple[Instruction, ...]
    directives: Mapping[str, str] = field(default_factory=dict)
    ignored: Mapping[int, frozenset[str]] = field(default_factory=dict)  # instruction line -> `# hadolint ignore=`
    unclosed_heredocs: tuple[tuple[int, int, str], ...] = ()  # (line, column, name)


def parse_dockerfile(text: str) -> Dockerfile:
    """Return the instructions of a Dockerfile with their positions."""
    lines = text.replace("\r\n", "\n").split("\n")
    directives: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index].strip())
        if not match or match.group(1).lower() not in _KNOWN_DIRECTIVES or match.group(1).lower() in directives:
            break
        directives[match.group(1).lower()] = match.group(2)
        index += 1
    escape = directives.get("escape", "\\")
    escape = escape if escape in ("\\", "`") else "\\"
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")

    instructions: list[Instruction] = []
    ignored: dict[int, frozenset[str]] = {}
    pending_ignore: frozenset[str] = frozenset()
    unclosed: list[tuple[int, int, str]] = []
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        if stripped.startswith("#"):
            match = _HADOLINT_IGNORE.match(stripped)
            if match:
                pending_ignore = frozenset(code.strip() for code in match.group(1).split(",") if code.strip())
            index += 1
            continue
        first = index
        parts: list[str] = []
        segments: list[tuple[int, int, int]] = []
        empty: list[int] = []
        length = 0
        while index < len(lines):
            current = lines[index]
            if index > first and not current.strip():
                empty.append(index + 1)
                index += 1
                continue
            if index > first and current.lstrip().startswith("#"):
                index += 1
                continue
            match = continuation.search(current)
            content = current[: match.start()] if match else current
            segments.append((length, index + 1, 0))
            parts.append(content)
            length += len(content)
            index += 1
            if not match:
                break
        # Empty lines at the very end belong to no continuation.
        empty = [n for n in empty if n < index]
        logical = "".join(parts)
        instruction = _instruction(logical, 0, first + 1, index, tuple(segments))
        if instruction is None:
            continue
        heredocs: list[Heredoc] = []
        if _heredoc_capable(instruction):
            for match in _HEREDOC.finditer(instruction.text, instruction.args_offset):
                strip_tabs, name = bool(match.group(1)), match.group(3)
                body_start = index
                while index < len(lines) and (lines[index].lstrip("\t") if strip_tabs else lines[index]) != name:
                    index += 1
                if index >= len(lines):
                    line_number, column = instruction.position(match.start())
                    unclosed.append((line_number, column, name))
                body = "\n".join(lines[body_start:index])
                heredocs.append(Heredoc(name, body + "\n" if body_start < index else "", body_start + 1, strip_tabs))
                index += 1
        instruction = _replace(instruction, heredocs=tuple(heredocs), empty_continuations=tuple(empty),
                               end_line=max(instruction.end_line, min(index, len(lines))))
        if pending_ignore:
            ignored[instruction.line] = pending_ignore
            pending_ignore = frozenset()
        instructions.append(instruction)
    return Dockerfile(tuple(instructions), directives, ignored, tuple(unclosed))


def _heredoc_capable(instruction: Instruction) -> bool:
    target = instruction.wrapped or instruction
    return target.name in _HEREDOC_INSTRUCTIONS


def _instruction(text: str, start: int, line: int, end_line: int, segments: tuple) -> Instruction | None:
    match = _KEYWORD.match(text, start)
    if not match:
        return None
    keyword = match.group(1)
    offset = match.end()
    flags: list[Flag] = []
    while True:
        flag = _FLAG.match(text, offset)
        if not flag or keyword.upper() == "ONBUILD":
            break
        flags.append(Flag(flag.group(1), flag.group(2), flag.start() + flag.group(0).index("-")))
        offset = flag.end()
    spaces = _SPACES.match(text, offset)
    args_offset = spaces.end() if spaces else offset
    args = text[args_offset:].rstrip()
    parsed_json = None
    if keyword.upper() in _JSON_INSTRUCTIONS and args.startswith("["):
        parsed_json = _json_array(args)
    wrapped = None
    if keyword.upper() == "ONBUILD" and args:
        wrapped = _instruction(text, args_offset, line, end_line, segments)
    return Instruction(
        keyword=keyword,
        line=line,
        end_line=end_line,
        text=text,
        keyword_offset=match.start(1),
        flags=tuple(flags),
        args=args,
        args_offset=args_offset,
        json=parsed_json,
        wrapped=wrapped,
        segments=segments,
    )


def _json_array(args: str) -> tuple[str, ...] | None:
    try:
        value = json.loads(args)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _replace(instruction: Instruction, **changes) -> Instruction:
    values = {name: getattr(instruction, name) for name in Instruction.__dataclass_fields__}
    values.update(changes)
    return Instruction(**values)
