"""The `docker` commands a course teaches, gathered from the content model.

The cheat sheet PDF and `aula cheatsheet --format md|json` share this
collection, so what a student reads on paper and as text is the same list.
Commands come from shell sessions, scripts and list items that start with a
command, found and read by `generator.docker` as the linter reads them; each gets the sentence that introduces it, trimmed to a short
description. One entry is kept per command form (the subcommand and the
options it uses); where the course gives a `{.synopsis}`, the synopsis and at
most one example are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.docker.commands import CommandLine, read_shell
from generator.errors import ConfigError
from generator.model import (
    Block,
    Callout,
    CodeBlock,
    CodeKind,
    Course,
    InlineCode,
    ListBlock,
    ListItem,
    Location,
    Paragraph,
    Quote,
    plain_text,
)
from generator.render.cheatsheet.descriptions import clauses, introduction, mention, shorten

GROUPS = ("containers", "images", "building", "volumes", "networks", "registry", "compose", "swarm", "system")

# The `docker run` options worth explaining once, in a box of their own, when the course uses them.
COMMON_FLAGS = ("-d", "-it", "-p", "-v", "--rm", "--name", "-e", "--network")

_GROUP_OF = {
    **dict.fromkeys(
        ("run", "create", "start", "stop", "restart", "kill", "rm", "ps", "exec", "attach", "logs", "cp", "top",
         "rename", "inspect", "pause", "unpause", "wait", "port", "stats", "diff", "update", "export", "container"),
        "containers",
    ),
    **dict.fromkeys(("images", "rmi", "history", "save", "load", "import", "image"), "images"),
    **dict.fromkeys(("build", "buildx", "builder", "commit"), "building"),
    "volume": "volumes",
    "network": "networks",
    **dict.fromkeys(("login", "logout", "push", "pull", "search", "tag", "manifest", "trust"), "registry"),
    "compose": "compose",
    **dict.fromkeys(("swarm", "node", "service", "stack", "secret", "config"), "swarm"),
}

@dataclass(frozen=True, slots=True)
class Command:
    """One `docker` command line as the course writes it, prompt, `sudo` and line breaks removed."""

    text: str
    path: tuple[str, ...]  # the subcommand words: ("volume", "create")
    flags: tuple[str, ...] = ()  # the options given to the subcommand, as written ("-it", "--name")
    synopsis: bool = False
    global_flags: tuple[str, ...] = ()  # options to `docker` itself (`-H ssh://…`)

    @property
    def name(self) -> str:
        return " ".join(("docker", *self.path))

    @property
    def group(self) -> str:
        """Return the topic the command belongs to (one of GROUPS)."""
        if self.global_flags:
            return "system"  # `docker -H host ps` is about reaching an engine, not about `ps`
        if self.path[-1] in ("run", "create"):
            # `docker run -v …` is taught with storage, `docker run --network …` with networks
            for flag in self.flags:
                if flag in ("-v", "--volume", "--mount", "--tmpfs"):
                    return "volumes"
                if flag in ("--network", "--net"):
                    return "networks"
        return _GROUP_OF.get(self.path[0], "system")

    @property
    def form(self) -> tuple:
        """What makes two commands one entry: subcommand, options and whether an argument is `$(…)`."""
        if self.synopsis:
            return ("synopsis", self.text)
        return (self.path, frozenset(self.global_flags + self.flags), "$(" in self.text)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the sheet: commands taught together and what they do."""

    commands: tuple[str, ...]
    description: str
    location: Location


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # one of GROUPS; its title is the theme label `group_<key>`
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class CommandSheet:
    """Everything the cheat sheet shows, in order."""

    groups: tuple[Group, ...]
    flags: tuple[str, ...]  # the COMMON_FLAGS the course uses

    @property
    def entry_count(self) -> int:
        return sum(len(group.entries) for group in self.groups)


_EXPLICIT, _TEACHING, _EXERCISE, _MENTION = range(4)  # which source wins when two show one form


@dataclass(frozen=True, slots=True)
class _Snippet:
    """Docker commands shown together (one code block or list item) and the text introducing them."""

    commands: tuple[Command, ...]
    steps: tuple[int, ...]  # each command's position among all the block's command lines
    step_count: int
    description: str
    location: Location
    rank: int
    order: int = 0  # reading order in the course


def collect_commands(course: Course, group_order: Sequence[str] = (), config_path: Path | None = None) -> CommandSheet:
    """Return the course's docker commands, de-duplicated and grouped by topic.

    `group_order` (from `cheatsheet.groups` in course.yml) puts those groups
    first; the others follow in the default order.
    """
    order = _group_order(group_order, config_path)
    language = course.info.language.split("-")[0].lower()
    found = (
        snippet
        for chapter in course.chapters
        for section in chapter.sections
        for snippet in _snippets(section.blocks, _TEACHING, language)
    )
    snippets = [replace(snippet, order=index) for index, snippet in enumerate(found)]
    used = {flag for s in snippets for command in s.commands if command.path[-1] in ("run", "create") for flag in command.flags}
    entries = _select(snippets, language)
    groups = tuple(
        Group(key, tuple(entry for group, entry in entries if group == key))
        for key in order
        if any(group == key for group, _ in entries)
    )
    return CommandSheet(groups, tuple(flag for flag in COMMON_FLAGS if flag in used))


def _group_order(requested: Sequence[str], config_path: Path | None) -> tuple[str, ...]:
    unknown = [name for name in requested if name not in GROUPS]
    if unknown:
        raise ConfigError(
            f"unknown cheat sheet group `{unknown[0]}` in `cheatsheet.groups` (known: {', '.join(GROUPS)})", config_path
        )
    return (*dict.fromkeys(requested), *(name for name in GROUPS if name not in requested))


@dataclass(frozen=True, slots=True)
class _Piece:
    """An entry in the making: where it comes from, its commands and description."""

    position: tuple[int, int]  # (snippet order, step): reading order
    commands: tuple[Command, ...]
    description: str
    location: Location


def _select(snippets: list[_Snippet], language: str) -> list[tuple[str, Entry]]:
    """Keep one command per form (a synopsis and one example per subcommand); return (group, entry) in order."""
    examples = _chosen_examples(snippets)
    pieces = _merge_undescribed_synopses(_kept_pieces(snippets, examples, language), examples)
    # Entries follow the course: a subcommand's entries together, from where it is first shown.
    first_shown: dict[tuple[str, ...], tuple[int, int]] = {}
    for piece in sorted(pieces, key=lambda piece: piece.position):
        for command in piece.commands:
            first_shown.setdefault(command.path, piece.position)
    pieces.sort(key=lambda p: (min(first_shown[c.path] for c in p.commands), not p.commands[0].synopsis, p.position))
    return [
        (piece.commands[0].group, Entry(tuple(c.text for c in piece.commands), shorten(piece.description), piece.location))
        for piece in pieces
    ]


def _kept_pieces(snippets: list[_Snippet], examples: set[tuple[int, int]], language: str) -> list[_Piece]:
    """Return the commands kept, best sources first: one per form, and for a synopsis only its example."""
    home = _home_chapters(snippets)
    synopsis_paths = {c.path for s in snippets for c in s.commands if c.synopsis}

    def priority(snippet: _Snippet) -> tuple:
        taught_here = snippet.location.path == home[snippet.commands[0].path]
        return (snippet.rank, not taught_here, not snippet.description, snippet.order)

    taken: set = set()
    pieces: list[_Piece] = []
    for snippet in sorted(snippets, key=priority):
        kept = []
        for command, step in zip(snippet.commands, snippet.steps, strict=True):
            is_extra_example = (
                command.path in synopsis_paths
                and not command.synopsis
                and not (command.text == command.name and snippet.rank < _MENTION)  # a bare `docker images` is no example
                and snippet.rank != _EXPLICIT
                and (snippet.order, step) not in examples
            )
            if command.form not in taken and not is_extra_example:
                taken.add(command.form)
                kept.append((command, step))
        for commands, step, description in _split(snippet, kept, language):
            pieces.append(_Piece((snippet.order, step), tuple(commands), description, snippet.location))
    return pieces


def _merge_undescribed_synopses(pieces: list[_Piece], examples: set[tuple[int, int]]) -> list[_Piece]:
    """Put an example under its synopsis, with its description, when the synopsis has none."""
    by_example = {p.position: p for p in pieces if len(p.commands) == 1 and p.position in examples}
    merged: list[_Piece] = []
    used: set[tuple[int, int]] = set()
    for piece in pieces:
        paths = {c.path for c in piece.commands}
        if not piece.description and len(paths) == 1 and all(c.synopsis for c in piece.commands):
            example = next((e for e in by_example.values() if e.commands[0].path in paths and e.position not in used), None)
            if example:
                used.add(example.position)
                piece = _Piece(piece.position, piece.commands + example.commands, example.description, piece.location)
        merged.append(piece)
    return [piece for piece in merged if piece.position not in used or piece.commands[0].synopsis]


def _split(snippet: _Snippet, kept: list[tuple[Command, int]], language: str):
    """Yield (commands, step, description) for the commands kept from one snippet.

    A block kept whole stays one entry. When only some of its commands are kept,
    or they belong to different groups, each step gets its own part of a
    description listing the steps ("Crear el reloj, leer sus líneas y borrarlo"),
    or, when the parts cannot be told apart, the description stays with the
    block's first command only.
    """
    if not kept:
        return
    groups = list(dict.fromkeys(command.group for command, _ in kept))
    if len(kept) == len(snippet.commands) and len(groups) == 1:
        yield [command for command, _ in kept], kept[0][1], snippet.description
        return
    steps = clauses(snippet.description, language) if snippet.step_count > 1 else []
    if len(steps) == snippet.step_count:
        for command, step in kept:
            yield [command], step, steps[step]
        return
    for group in groups:
        together = [(command, step) for command, step in kept if command.group == group]
        first_step = together[0][1]
        yield [command for command, _ in together], first_step, snippet.description if first_step == 0 else ""


def _home_chapters(snippets: list[_Snippet]) -> dict[tuple[str, ...], Path]:
    """Return, for each subcommand, the chapter that shows it most: where it is taught."""
    counts: Counter = Counter((c.path, s.location.path) for s in snippets for c in s.commands)
    home: dict[tuple[str, ...], Path] = {}
    for (path, chapter), _ in counts.most_common():
        home.setdefault(path, chapter)
    return home


def _chosen_examples(snippets: list[_Snippet]) -> set[tuple[int, int]]:
    """Return (snippet order, step) of the one example kept for each synopsis, preferably the next in its chapter."""
    chosen: set[tuple[int, int]] = set()
    for synopsis in snippets:
        for path in dict.fromkeys(c.path for c in synopsis.commands if c.synopsis):
            candidates = [
                ((s.rank, not (s.location.path == synopsis.location.path and s.order > synopsis.order), s.order), (s.order, step))
                for s in snippets
                for c, step in zip(s.commands, s.steps, strict=True)
                if c.path == path and not c.synopsis and (s.order, step) not in chosen
            ]
            if candidates:
                chosen.add(min(candidates)[1])
    return chosen


# --- Finding commands in the model ---------------------------------------------------


def _snippets(blocks: Sequence[Block], rank: int, language: str) -> Iterator[_Snippet]:
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, CodeBlock):
            snippet = _code_snippet(block, previous, rank, language)
            if snippet:
                yield snippet
        elif isinstance(block, ListBlock):
            for item in block.items:
                mention = _list_item_snippet(item, language)
                if mention:
                    yield mention
                yield from _snippets(item.blocks, rank, language)
        elif isinstance(block, Callout):
            # The sheet is for students; key points only repeat, in summary, what was taught.
            if block.kind not in ("teacher", "notes", "keypoints", "objectives"):
                inner = _EXERCISE if block.kind in ("exercise", "solution", "hint") else rank
                yield from _snippets(block.blocks, inner, language)
                if block.solution:
                    yield from _snippets((block.solution,), inner, language)
        elif isinstance(block, Quote):
            yield from _snippets(block.blocks, rank, language)
        previous = block


def _code_snippet(block: CodeBlock, previous: Block | None, rank: int, language: str) -> _Snippet | None:
    if block.has_class("bad-example") or block.has_class("no-cheatsheet"):
        return None
    if block.kind not in (CodeKind.CONSOLE, CodeKind.SCRIPT):
        return None
    synopsis = block.has_class("synopsis")
    lines = read_shell(block.text, console=block.kind is CodeKind.CONSOLE, synopsis=synopsis).lines
    parsed = [(_line_command(line, synopsis), step) for step, line in enumerate(lines)]
    commands = tuple(command for command, _ in parsed if command)
    if not commands:
        return None
    steps = tuple(step for command, step in parsed if command)
    explicit = " ".join(block.attributes.get("cheatsheet", "").split())
    if explicit:
        return _Snippet(commands, steps, len(lines), explicit, block.location, _EXPLICIT)
    description = ""
    if isinstance(previous, Paragraph):
        first = commands[0]
        description = introduction(plain_text(previous.inlines), language, first.name, synopsis, bool(first.flags))
    return _Snippet(commands, steps, len(lines), description, block.location, rank)


def _list_item_snippet(item: ListItem, language: str) -> _Snippet | None:
    """Return the command a list item starts with (`- `docker ps -a`: …`), described by the rest of the item."""
    if not item.blocks or not isinstance(item.blocks[0], Paragraph):
        return None
    inlines = item.blocks[0].inlines
    if not inlines or not isinstance(inlines[0], InlineCode):
        return None
    command = inline_command(inlines[0].text)
    if command is None:
        return None
    return _Snippet((command,), (0,), 1, mention(plain_text(inlines[1:]), language), item.location, _MENTION)


def inline_command(text: str) -> Command | None:
    """Return the docker command an inline `code` span shows, or None if it runs no docker."""
    lines = read_shell(text, console=False).lines
    return _line_command(lines[0], False) if lines else None


def _line_command(line: CommandLine, synopsis: bool) -> Command | None:
    """Return the sheet's command for one command line: its first `docker` command, or None.

    The entry shows the whole line (`cat token | docker login …`), on one line
    and without `sudo`. A command inside a `$(…)` fills in a word of its line
    (`ID=$(docker run …)`, `docker rm $(docker ps -q)`) and is not the line's;
    one the CLI does not know (`docker contaner ls`) is none.
    """
    command = next(
        (c for c in line.commands if not c.nested and c.program == "docker" and c.path and c.unknown is None), None
    )
    if command is None:
        return None
    text = line.text
    if command.wrappers:
        text = text[: command.wrappers[0].start - line.offset] + text[command.words[0].start - line.offset :]
    flags = {option.word.start: option.flag for option in command.options}  # one per flag word: `-it`, `--name`
    global_flags = {option.word.start: option.flag for option in command.global_options}
    return Command(
        " ".join(text.replace("\\\n", " ").split()),
        command.path,
        tuple(flags.values()),
        synopsis,
        tuple(global_flags.values()),
    )
