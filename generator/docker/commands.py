"""Find the command lines of a shell block and read each `docker …` on them as the docker CLI would.

The prompt rule: a shell session (`console`) marks its commands with a prompt
(`$ `, `# `, `% `, `user@host:~$ `, `(venv) $ `); a line ending in `\\`
continues onto the next, and every other line is output. A session with no
prompt at all has a command on each line that starts with `docker` (or
`sudo docker`, `VAR=x docker`). A script is commands throughout.

Each command line is split by the shell lexer (`shell.py`), and every `docker`
and `docker-compose` command on it, wrappers (`sudo -u ana`, `env`, `nohup`…)
stripped, is read with the CLI data (`cli.py`) into a `DockerCommand`. Nothing
is run or expanded.

A command with placeholders (`<nombre>`, `[opciones]`, `...`, docker's own
`IMAGE`) or in a `{.synopsis}` block is a synopsis: its bracketed words and
`...` stand for words that are not there, and are not read. So is an option
form, a command given options but none of the arguments it needs
(`docker run -u 1000:1000`): it shows how to write an option.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from generator.docker.cli import CommandSpec, DockerCLI, docker_cli
from generator.docker.shell import ShellParse, SimpleCommand, Word, parse_shell

PROGRAMS = ("docker", "docker-compose")

PROMPT = re.compile(r"^(\s*(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?)?[$#%]\s)")
_COMMAND_START = re.compile(r"^\s*(?:sudo\s+(?:-\S+\s+)*)?(?:[A-Za-z_]\w*=\S*\s+)*(?:docker|docker-compose)(?:\s|$)")
# `<nombre>`, `<CONTAINER ID>`; not `<<EOF`, `2>` or `< in.txt > out.txt`
ANGLE_PLACEHOLDER = re.compile(r"(?<![<\w])<[^\s<>|&;=]+(?: [^\s<>|&;=]+)*>")
_PLACEHOLDER = re.compile(r"\[[^\]\s][^\]]*\]|\.\.\.|…|" + ANGLE_PLACEHOLDER.pattern)
_BRACKETED = re.compile(r"^\[[^\]]*\](?:\.\.\.)?$")
_WRAPPERS = frozenset(("sudo", "time", "nohup", "exec", "command", "env", "winpty"))
_WRAPPER_OPTIONS_WITH_VALUE = frozenset(("-u", "-g", "-C", "-h", "-p", "-U"))
# Whose `stops_at_first_argument` target is an image (for `exec` it is a container, for `compose run` a service).
_IMAGE_TARGETS = frozenset((("container", "run"), ("container", "create"), ("service", "create")))


@dataclass(frozen=True, slots=True)
class ShellUnit:
    """Shell text cut from a block, prompt removed, and where each of its lines sits in the block."""

    text: str
    first_line: int  # 1-based, in the block
    prefixes: tuple[int, ...]  # columns cut from each line (the prompt), 0-based

    def position(self, offset: int) -> tuple[int, int]:
        """Return the block's (line, column), both 1-based, of an offset in `text`."""
        line_index = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.first_line + line_index, offset - line_start + self.prefixes[line_index] + 1


@dataclass(frozen=True, slots=True)
class Option:
    """One flag given to docker, to a command group (`compose -f x`) or to a command, with its value.

    `-dit` gives three options sharing one `word`; `flag` is that word as
    written without its value (`-dit`; `-p` for `-p8080:80`; `--name` for
    `--name=web`). `value` is None for a switch and for a missing value;
    `value_word` is the separate word holding the value (`-p 8080:80`).
    """

    name: str
    value: str | None
    word: Word
    flag: str
    value_word: Word | None = None
    takes_value: bool = False
    known: bool = True  # the CLI accepts it here; `--help` and `-h` are accepted everywhere
    scope: tuple[str, ...] = ()  # whose flag: `docker <scope>` names it; () is docker's own

    @property
    def missing_value(self) -> bool:
        return self.takes_value and self.value is None


@dataclass(frozen=True, slots=True)
class UnknownCommand:
    """A word where the CLI expects a command and finds none (`docker contaner ls`)."""

    word: Word
    parent: tuple[str, ...]  # the group it was looked up in (`docker <parent> …`); () for docker's own commands
    names: tuple[str, ...]  # the names that are no command: the word, or the unknown ones of `stop/strat`


@dataclass(frozen=True, slots=True)
class DockerCommand:
    """One `docker …` or `docker-compose …` command, read the way the docker CLI reads it.

    Words keep their offsets in `unit.text`; `position(word)` gives the block's
    line and column. `path` is the subcommand as written after the program;
    `canonical` is docker's own name for it (`docker ps` → ("container", "ls"),
    `docker-compose up` → ("compose", "up")). Reading stops where the data
    cannot tell what words mean (an unknown command, a group without its
    subcommand, `docker $CMD`): those words are `unparsed`.
    """

    program: str  # "docker" or "docker-compose"
    words: tuple[Word, ...]  # from the program on, a synopsis's `[…]` and `...` included
    unit: ShellUnit
    path: tuple[str, ...] = ()
    spec: CommandSpec | None = None  # of the path's command or group; None without a path
    global_options: tuple[Option, ...] = ()  # docker's own, before the command
    options: tuple[Option, ...] = ()  # the group's (`compose -f x`) and the command's, in order
    arguments: tuple[Word, ...] = ()  # positional; for `run`, the image and then the command run inside
    separator: Word | None = None  # the `--` that ended the options, if one did
    unknown: UnknownCommand | None = None
    unparsed: tuple[Word, ...] = ()
    synopsis: bool = False  # a usage line, not a command to run: it has placeholders, or its block says so
    wrappers: tuple[Word, ...] = ()  # `sudo -u ana`, `env`, `nohup`: stripped before the program
    assignments: tuple[Word, ...] = ()  # `DOCKER_HOST=ssh://h docker ps`
    in_pipeline: bool = False
    nested: bool = False  # inside a `$(…)` or backquotes of another command
    substitutions: tuple[DockerCommand, ...] = field(default=(), repr=False)  # docker commands inside its words

    @property
    def canonical(self) -> tuple[str, ...]:
        return self.spec.canonical if self.spec is not None else ()

    @property
    def name(self) -> str:
        """Return the command as written, without options: `docker container run`, `docker-compose up`."""
        return " ".join((self.program, *self.path))

    @property
    def is_command(self) -> bool:
        """Return whether the path names a command (not a group, unless it runs by itself; not nothing)."""
        return self.spec is not None and self.spec.runs and self.unknown is None

    @property
    def target(self) -> Word | None:
        """Return the image or container of `run`, `create`, `exec` (the first argument, where options stop)."""
        if self.spec is None or not self.spec.stops_at_first_argument or not self.arguments:
            return None
        return self.arguments[0]

    @property
    def image(self) -> str | None:
        """Return the image of `run`, `create` and `service create`."""
        target = self.target
        return target.text if target is not None and self.canonical in _IMAGE_TARGETS else None

    @property
    def inner(self) -> tuple[Word, ...]:
        """Return the command run inside the container (`run`, `exec`): the words after the target."""
        return self.arguments[1:] if self.target is not None else ()

    @property
    def substitutes(self) -> bool:
        """Return whether a word is filled in by a `$(…)` or backquoted command."""
        return any("$(" in word.text or "`" in word.text for word in self.words)

    @property
    def all_options(self) -> tuple[Option, ...]:
        return self.global_options + self.options

    def options_named(self, *names: str) -> tuple[Option, ...]:
        """Return the options given under any of `names` (`"-p", "--publish"`), in order."""
        return tuple(option for option in self.all_options if option.name in names)

    def option_values(self, *names: str) -> tuple[str, ...]:
        """Return the values given to any of `names`, in order (`-p 80:80 -p 443:443` → both)."""
        return tuple(option.value for option in self.options_named(*names) if option.value is not None)

    def has_option(self, *names: str) -> bool:
        """Return whether any of `names` is given (`-d` is given by `-dit`)."""
        return bool(self.options_named(*names))

    @property
    def text(self) -> str:
        """Return the command's source text, from the program to its last word."""
        return self.unit.text[self.words[0].start : self.words[-1].end]

    def position(self, word: Word) -> tuple[int, int]:
        """Return the block's (line, column) of one of the command's words."""
        return self.unit.position(word.start)

    @property
    def first_line(self) -> int:
        return self.unit.position(self.words[0].start)[0]

    @property
    def last_line(self) -> int:
        last = self.words[-1]
        return self.unit.position(max(last.end - 1, last.start))[0]


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A command line as a reader sees it: a prompted line of a session, or a line of a script.

    Either runs with its continuation lines. `commands` are its docker
    commands in order, those inside a `$(…)` included.
    """

    text: str  # prompt removed, continuations as written
    first_line: int
    last_line: int
    offset: int  # where `text` starts in the `unit.text` of its commands
    commands: tuple[DockerCommand, ...] = ()

    @property
    def flat(self) -> str:
        """Return the line on one line, blanks collapsed: `docker run -d \\<newline> nginx` → `docker run -d nginx`."""
        return " ".join(self.text.replace("\\\n", " ").split())


@dataclass(frozen=True, slots=True)
class ShellError:
    """Shell syntax the lexer cannot read (an unterminated quote), at a block's line and column."""

    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class ShellBlock:
    """What a shell block runs: its command lines, all its docker commands, and its syntax errors."""

    lines: tuple[CommandLine, ...]
    commands: tuple[DockerCommand, ...]  # every docker command, nested ones included, in order
    errors: tuple[ShellError, ...] = ()


def read_shell(text: str, console: bool, synopsis: bool = False) -> ShellBlock:
    """Return the command lines and docker commands of a shell session (`console`) or a script.

    `synopsis` (a `{.synopsis}` block) makes every command a synopsis. A script
    the lexer cannot read whole (output or prose shown in a ```` ```sh ```` block,
    an unterminated quote) is read again line by line, so that one bad line
    hides none of the commands after it. A block
    is read once: lint, the state simulation and the cheat sheet all ask.
    """
    return _read_shell(text, bool(console), bool(synopsis))


@lru_cache(maxsize=2048)
def _read_shell(text: str, console: bool, synopsis: bool) -> ShellBlock:
    lines: list[CommandLine] = []
    commands: list[DockerCommand] = []
    errors: list[ShellError] = []
    pending = list(_units(text, console))
    while pending:
        unit = pending.pop(0)
        blanked, placeholders = _blank_placeholders(unit.text)
        parsed = parse_shell(blanked)
        if parsed.error and not console:
            split = list(_line_units(unit))
            if len(split) > 1:
                pending[:0] = split
                continue
        if parsed.error:
            errors.append(ShellError(*unit.position(parsed.error_offset), parsed.error))
        found = _docker_commands(unit, parsed, blanked, placeholders, synopsis)
        commands.extend(found)
        if console:
            last = unit.first_line + len(unit.prefixes) - 1
            lines.append(CommandLine(unit.text, unit.first_line, last, 0, found))
        else:
            lines.extend(_script_lines(unit, parsed, found))
    return ShellBlock(tuple(lines), tuple(commands), tuple(errors))


def parse_command(text: str, synopsis: bool = False) -> DockerCommand | None:
    """Return the first docker command of one line of shell (an inline `code` span), or None."""
    block = read_shell(text, console=False, synopsis=synopsis)
    return block.commands[0] if block.commands else None


# --- the prompt rule ----------------------------------------------------------------------


def command_prompts(text: str) -> dict[int, int]:
    """Return, for each line of a shell session that is part of a command (0-based), the width of its prompt.

    Output lines are left out; a continuation line has a prompt of 0. What a
    reader would copy to run the session is each of these lines with its prompt cut.
    """
    return {unit.first_line - 1 + index: prefix for unit in _units(text, console=True) for index, prefix in enumerate(unit.prefixes)}



def _units(text: str, console: bool) -> Iterator[ShellUnit]:
    """Yield the shell text of a block: a session's prompted lines one by one, or a whole script."""
    lines = text.split("\n")
    if not console:
        yield ShellUnit(text, 1, tuple(0 for _ in lines))
        return
    prompted = [PROMPT.match(line) for line in lines]
    has_prompts = any(prompted)
    index = 0
    while index < len(lines):
        match = prompted[index]
        line = lines[index]
        if has_prompts and match:
            prefix = len(match.group(1))
        elif not has_prompts and _COMMAND_START.match(line):
            prefix = len(line) - len(line.lstrip())
        else:
            index += 1
            continue
        start = index
        parts = [line[prefix:]]
        prefixes = [prefix]
        while _continues(lines[index]) and index + 1 < len(lines):
            index += 1
            parts.append(lines[index])
            prefixes.append(0)
        index += 1
        yield ShellUnit("\n".join(parts), start + 1, tuple(prefixes))


def _line_units(unit: ShellUnit) -> Iterator[ShellUnit]:
    """Yield each line of a script unit (with the lines it continues onto) as a unit of its own."""
    physical = unit.text.split("\n")
    index = 0
    while index < len(physical):
        start = index
        while _continues(physical[index]) and index + 1 < len(physical):
            index += 1
        index += 1
        if any(line.strip() for line in physical[start:index]):
            yield ShellUnit("\n".join(physical[start:index]), unit.first_line + start, unit.prefixes[start:index])


def _continues(line: str) -> bool:
    stripped = line.rstrip()
    return stripped.endswith("\\") and not stripped.endswith("\\\\")


def _script_lines(unit: ShellUnit, parsed: ShellParse, found: tuple[DockerCommand, ...]) -> Iterator[CommandLine]:
    """Yield a script's lines (continuations joined) where a command starts; comments and here-document bodies are none."""
    starts = [command.start for command in parsed.commands if not _nested_in(command.start, parsed.commands)]
    physical = unit.text.split("\n")
    pending: list[tuple[int, int, str]] = []  # (first line, offset, text) of each line with a command
    index = offset = 0
    while index < len(physical):
        first, first_offset = index, offset
        while _continues(physical[index]) and index + 1 < len(physical):
            offset += len(physical[index]) + 1
            index += 1
        offset += len(physical[index]) + 1
        index += 1
        if any(first_offset <= start < offset for start in starts):
            pending.append((first, first_offset, "\n".join(physical[first:index])))
    for number, (first, first_offset, text) in enumerate(pending):
        end = pending[number + 1][1] if number + 1 < len(pending) else len(unit.text) + 1
        mine = tuple(command for command in found if first_offset <= command.words[0].start < end)
        yield CommandLine(text, unit.first_line + first, unit.first_line + first + text.count("\n"), first_offset, mine)


# --- placeholders ------------------------------------------------------------------------


def _blank_placeholders(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return `text` with each `<placeholder>` blanked out (it would read as redirections), offsets kept."""
    spans = [match.span() for match in ANGLE_PLACEHOLDER.finditer(text)]
    return ANGLE_PLACEHOLDER.sub(lambda match: "_" * len(match.group()), text), spans


def _restore(word: Word, source: str, blanked: str, spans: list[tuple[int, int]]) -> Word:
    """Return `word` with the placeholders blanked for the lexer written back."""
    inside = [(start, end) for start, end in spans if word.start <= start and end <= word.end]
    if not inside:
        return word
    if word.text == blanked[word.start : word.end]:  # no quotes or escapes: the source is the text
        return replace(word, text=source[word.start : word.end])
    text = word.text
    for start, end in inside:
        text = text.replace("_" * (end - start), source[start:end], 1)
    return replace(word, text=text)


def _is_usage_placeholder(text: str, cli: DockerCLI) -> bool:
    parts = re.findall(r"[A-Za-z][A-Za-z_-]*", text)
    return bool(parts) and text.upper() == text and all(part in cli.usage_words() for part in parts)


# --- docker commands ---------------------------------------------------------------------


def _docker_commands(
    unit: ShellUnit, parsed: ShellParse, blanked: str, spans: list[tuple[int, int]], synopsis: bool
) -> tuple[DockerCommand, ...]:
    """Return the docker commands among the simple commands of one unit, substitutions attached."""
    cli = docker_cli()
    placeholders = [match.span() for match in _PLACEHOLDER.finditer(unit.text)]
    found: list[DockerCommand] = []
    for simple in parsed.commands:
        wrappers, words = _strip_wrappers(simple.words)
        if not words or _program(words[0]) not in PROGRAMS:
            continue
        words = tuple(_restore(word, unit.text, blanked, spans) for word in words)
        start, end = words[0].start, words[-1].end
        loose = (
            synopsis
            or any(a < end and b > start for a, b in placeholders)
            or any(_is_usage_placeholder(word.text, cli) for word in words[1:])
        )
        # `[opciones]` and `...` stand for words that are not there
        read = tuple(w for w in words if not _BRACKETED.match(w.text) and w.text not in ("...", "…")) if loose else words
        reader = _Reader(read, cli, _program(words[0]))
        found.append(
            DockerCommand(
                program=_program(words[0]),
                words=words,
                unit=unit,
                path=tuple(reader.path),
                spec=reader.spec,
                global_options=tuple(reader.global_options),
                options=tuple(reader.options),
                arguments=tuple(reader.arguments),
                separator=reader.separator,
                unknown=reader.unknown,
                unparsed=reader.unparsed,
                synopsis=loose or _option_form(reader),
                wrappers=wrappers,
                assignments=simple.assignments,
                in_pipeline=simple.in_pipeline,
                nested=_nested_in(simple.start, parsed.commands),
            )
        )
    return _attach_substitutions(found)


def _option_form(reader: _Reader) -> bool:
    """Return whether a command shows how to write an option, not a command to run.

    `docker run -u "$(id -u):$(id -g)"` after "to keep your uid, use:": options,
    each with its value, and none of the arguments the command needs (`docker run`
    alone, or `docker run --rm --name`, is a mistake).
    """
    spec = reader.spec
    return (
        spec is not None and not spec.group and reader.unknown is None
        and bool(reader.options) and not reader.arguments and spec.arguments[0] > 0
        and not any(option.missing_value for option in reader.options)
    )


def _attach_substitutions(found: list[DockerCommand]) -> tuple[DockerCommand, ...]:
    """Give each command the docker commands inside its words, innermost commands finished first."""
    done: dict[int, DockerCommand] = {}
    for index in sorted(range(len(found)), key=lambda i: found[i].words[-1].end - found[i].words[0].start):
        command = found[index]
        inside = tuple(
            done[other]
            for other in sorted(done)
            if any(word.start <= found[other].words[0].start < word.end for word in command.words)
        )
        done[index] = replace(command, substitutions=inside) if inside else command
    return tuple(done[index] for index in range(len(found)))


def _nested_in(offset: int, commands: Sequence[SimpleCommand]) -> bool:
    """Return whether `offset` lies inside a word of a command (a `$(…)` or backquotes)."""
    return any(word.start < offset < word.end for command in commands for word in (*command.assignments, *command.words))


def _program(word: Word) -> str:
    return word.text.rsplit("/", 1)[-1]


def _strip_wrappers(words: tuple[Word, ...]) -> tuple[tuple[Word, ...], tuple[Word, ...]]:
    """Split `sudo -u ana env X=1 docker …` into the wrappers and the command they run."""
    index = 0
    while index < len(words) and words[index].text in _WRAPPERS:
        index += 1
        while index < len(words) and (words[index].text.startswith("-") or "=" in words[index].text):
            option = words[index].text
            index += 2 if option in _WRAPPER_OPTIONS_WITH_VALUE else 1
    return words[:index], words[index:]


def _is_flag(word: Word) -> bool:
    # `-` is stdin; `-$X` is whatever $X holds, but `--$X` is a long flag's name
    text = word.text
    return text.startswith("-") and text != "-" and not (word.expands and not text.startswith("--"))


class _Reader:
    """Reads one command's words the way the docker CLI does: flags, command path, then arguments.

    Unlike the CLI, it reads on past a flag it does not know (as a switch),
    so that everything after it still has a meaning; `Option.known` tells.
    """

    def __init__(self, words: Sequence[Word], cli: DockerCLI, program: str) -> None:
        self.words = words
        self.cli = cli
        self.index = 1
        self.path: list[str] = []
        self.spec: CommandSpec | None = None
        self.global_options: list[Option] = []
        self.options: list[Option] = []
        self.arguments: list[Word] = []
        self.separator: Word | None = None
        self.unknown: UnknownCommand | None = None
        self.unparsed: tuple[Word, ...] = ()
        prefix: tuple[str, ...] = ()
        if program == "docker":
            self.read_flags(cli.global_flags, (), self.global_options)
        else:  # Compose v1 reads Compose's own options, then a Compose command
            prefix = ("compose",)
            self.spec = cli.command(prefix)
            self.read_flags(self.spec.flags if self.spec else {}, prefix, self.options)
        if self.read_path(prefix) and self.spec is not None:
            self.read_arguments(self.spec, (*prefix, *self.path))
        else:
            self.unparsed = tuple(words[self.index :])

    def read_path(self, prefix: tuple[str, ...]) -> bool:
        """Read the command words (and a group's flags); return whether they name a command."""
        while self.index < len(self.words):
            word = self.words[self.index]
            parent = (*prefix, *self.path)
            if self.spec is not None and self.spec.runnable and self.path and not self.cli.is_command((*parent, word.text)):
                return True  # `docker buildx history inspect REF`: the group runs, with its arguments
            if word.expands or word.text.startswith("-"):
                return False
            if not self.cli.is_command((*parent, word.text)):
                names = [word.text]
                if "/" in word.text and not ANGLE_PLACEHOLDER.search(word.text):  # `stop/start`: alternatives
                    names = [name for name in word.text.split("/") if not self.cli.is_command((*parent, name))]
                if names:
                    self.unknown = UnknownCommand(word, parent, tuple(names))
                return False
            self.path.append(word.text)
            spec = self.spec = self.cli.command((*parent, word.text))
            self.index += 1
            if spec is None or not spec.group:
                return spec is not None
            if spec.flags:
                self.read_flags(spec.flags, (*prefix, *self.path), self.options)
        return self.spec is not None and self.spec.runnable and bool(self.path)

    def read_flags(self, flags: Mapping[str, str], scope: tuple[str, ...], into: list[Option]) -> None:
        """Read the flags before a command word; a `--` ends them."""
        while self.index < len(self.words) and _is_flag(self.words[self.index]):
            if self.words[self.index].text == "--":
                self.index += 1
                return
            into.extend(self.read_flag(flags, scope))

    def read_arguments(self, spec: CommandSpec, scope: tuple[str, ...]) -> None:
        """Read a command's flags and positional arguments, interspersed unless it stops at its first argument."""
        while self.index < len(self.words):
            word = self.words[self.index]
            if spec.stops_at_first_argument and self.arguments:
                self.arguments.extend(self.words[self.index :])
                return
            if word.text == "--":
                self.separator = word
                self.arguments.extend(self.words[self.index + 1 :])
                return
            if _is_flag(word):
                options = self.read_flag(spec.flags, scope)
                if spec.open_flags:  # flags the data does not know are taken on trust
                    options = [replace(option, known=True) for option in options]
                self.options.extend(options)
            else:
                self.arguments.append(word)
                self.index += 1

    def read_flag(self, flags: Mapping[str, str], scope: tuple[str, ...]) -> list[Option]:
        """Read the flag word at the index (and its value word); return its options."""
        word = self.words[self.index]
        following = self.words[self.index + 1] if self.index + 1 < len(self.words) else None
        self.index += 1
        text = word.text
        if text.startswith("--"):
            name, equals, inline = text.partition("=")
            known = name in flags or name == "--help"
            takes = known and name != "--help" and bool(flags[name])
            value: str | None = inline if equals else None
            value_word = None
            if takes and not equals and following is not None:
                value, value_word = following.text, following
                self.index += 1
            return [Option(name, value, word, name, value_word, takes, known, scope)]
        letters = text[1:]
        found: list[tuple[str, str | None, Word | None, bool, bool]] = []
        used = len(letters)  # letters that are flags, the rest being a value (`-p8080:80`)
        for position, letter in enumerate(letters):
            name = "-" + letter
            if name not in flags:
                found.append((name, None, None, False, name == "-h"))
                if name == "-h":  # help: the CLI reads no further
                    used = position + 1
                    break
                continue
            if not flags[name]:
                found.append((name, None, None, False, True))
                continue
            used = position + 1
            rest = letters[position + 1 :].removeprefix("=")
            if rest:
                found.append((name, rest, None, True, True))
            elif following is not None:
                found.append((name, following.text, following, True, True))
                self.index += 1
            else:
                found.append((name, None, None, True, True))
            break
        flag = "-" + letters[:used]
        return [Option(name, value, word, flag, value_word, takes, known, scope)
                for name, value, value_word, takes, known in found]
