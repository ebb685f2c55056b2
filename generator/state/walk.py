"""The course in the order a student types it: docker commands, compose files and Dockerfiles.

Chapters in order, blocks in order, a solution right after its exercise,
teacher-only blocks included (the teacher types them too). Left out: blocks
marked `{.bad-example}` (wrong on purpose) or `{.synopsis}` (forms, not
commands), command lines with placeholders, and the commands inside a
`$(…)` (they belong to the command around them). An HTML comment
`<!-- aula: state reset -->` is a point where every machine is reset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.docker.commands import DockerCommand, ShellBlock, read_shell
from generator.docker.shell import Word
from generator.model import Block, Callout, Chapter, CodeBlock, CodeKind, Course, HtmlBlock, Location, child_blocks

_RESET = re.compile(r"<!--\s*aula:\s*state\s+reset\s*-->", re.IGNORECASE)
SHELL_KINDS = (CodeKind.CONSOLE, CodeKind.SCRIPT)


@dataclass(frozen=True, slots=True)
class Place:
    """A spot in a code block: its line and column (1-based, in the block's text; column 0 if unknown)."""

    block: CodeBlock
    line: int
    column: int = 0

    @property
    def location(self) -> Location:
        return Location(self.block.location.path, self.block.location.line + self.line - 1)

    def __str__(self) -> str:
        """Return `05-almacenamiento.md:113`, as messages name a place."""
        return f"{self.block.location.path.name}:{self.location.line}"


@dataclass(frozen=True, slots=True)
class Command:
    """A docker command as the student types it, in its chapter and block."""

    chapter: Chapter
    block: CodeBlock
    command: DockerCommand
    in_exercise: bool  # inside an exercise or its solution, where the prose may ask for things no block shows

    def place(self, word: Word | None = None) -> Place:
        """Return where the command (or one of its words) is."""
        line, column = self.command.position(word or self.command.words[0])
        return Place(self.block, line, column)


@dataclass(frozen=True, slots=True)
class File:
    """A Dockerfile, compose file or `.env` file the course shows: from here on, the student has it."""

    chapter: Chapter
    block: CodeBlock

    @property
    def name(self) -> str:
        """Return the file's name as its title gives it (`compose.yaml`), without folders."""
        return self.block.title.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Reset:
    """A clean machine from here on: a new chapter (with `lint: {state: chapter}`) or a reset comment."""

    chapter: Chapter
    place: Location


@dataclass(frozen=True, slots=True)
class ChapterStart:
    chapter: Chapter


Step = Command | File | Reset | ChapterStart


def walk_course(course: Course, per_chapter: bool = False) -> Iterator[Step]:
    """Yield the steps of the course in reading order; `per_chapter` resets the machine at each chapter."""
    for chapter in course.chapters:
        yield ChapterStart(chapter)
        if per_chapter:
            yield Reset(chapter, chapter.location)
        for section in chapter.sections:
            yield from _blocks(chapter, section.blocks, False)


def shell_block(block: CodeBlock) -> ShellBlock:
    """Return what a shell block runs."""
    return read_shell(block.text, block.kind is CodeKind.CONSOLE)


def _blocks(chapter: Chapter, blocks: tuple[Block, ...], in_exercise: bool) -> Iterator[Step]:
    for block in blocks:
        if isinstance(block, HtmlBlock) and _RESET.search(block.text):
            yield Reset(chapter, block.location)
        elif isinstance(block, CodeBlock):
            yield from _code(chapter, block, in_exercise)
        inside = in_exercise or (isinstance(block, Callout) and block.kind in ("exercise", "solution"))
        yield from _blocks(chapter, child_blocks(block), inside)


def _code(chapter: Chapter, block: CodeBlock, in_exercise: bool) -> Iterator[Step]:
    if block.has_class("bad-example") or block.has_class("synopsis"):
        return
    if block.kind in (CodeKind.COMPOSE, CodeKind.DOCKERFILE) or block.title.rsplit("/", 1)[-1] == ".env":
        yield File(chapter, block)
    elif block.kind in SHELL_KINDS and not block.text.startswith("#!"):
        # A block that opens with `#!` shows a script file, to be saved and run later, maybe elsewhere: not typed here.
        for command in shell_block(block).commands:
            if not command.nested and not command.synopsis and command.is_command:
                yield Command(chapter, block, command, in_exercise)

