"""Check the `docker` command lines of shell sessions and scripts against the docker CLI.

`generator.docker` finds the commands and reads them with the CLI data
(commands, flags, positional arguments); this module reports what the CLI
would refuse, and the legacy and insecure uses it would accept. A synopsis
(`{.synopsis}`, or a line with placeholders such as `[opciones]`, `<nombre>`,
`...` or `stop/start` alternatives) is checked loosely: known command and known
flags only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

from generator.docker.cli import docker_cli
from generator.docker.commands import DockerCommand, Option, read_shell
from generator.docker.ports import PortError, parse_publish
from generator.docker.shell import Word
from generator.lint.findings import Hit

_SECRET_ENV = re.compile(r"^[\w.-]*(?:PASS(?:WORD|WD)?|PWD|SECRET|TOKEN|API_?KEY)[\w.-]*=(?P<value>.*)$", re.IGNORECASE)
_DOCKERFILE_NAME = re.compile(r"^(?:.*/)?(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.[Dd]ockerfile$")
_GENERIC_PROGRAM_FLAGS = {"--help", "-h", "--version", "-v", "-V"}
_PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9-]*$")  # `docker model`, `docker mcp`: how CLI plugins are named
_PUBLISHING = frozenset((("container", "run"), ("container", "create")))
# Programs that wait for input: `-dit` keeps them running in the background, to attach to later.
_WAITING_PROGRAMS = frozenset("sh bash ash dash zsh ksh fish busybox python python3 node irb php".split())
# Official images whose default command is one of those.
_WAITING_IMAGES = frozenset(
    "ubuntu debian alpine busybox fedora centos rockylinux almalinux oraclelinux amazonlinux archlinux "
    "opensuse/leap opensuse/tumbleweed photon clearlinux python node ruby php bash pypy".split()
)
_DOCKER_WORD = re.compile(r"(?:^|[\s;&|(`])docker(?:-compose)?(?=\s|$)")

_HitAt = Callable[[Word, str, str], Hit]


def check_commands(text: str, console: bool, synopsis: bool = False) -> list[Hit]:
    """Return the problems of the docker commands in a shell session (`console`) or a script.

    A line the shell could not read is reported when a docker command is on it: the
    rest (output shown in a script block, a quote in prose) is not Aula's to judge.
    """
    block = read_shell(text, console, synopsis)
    lines = text.split("\n")
    hits = [
        Hit(error.line, error.column, "AU300", f"cannot parse the shell line: {error.message}")
        for error in block.errors
        if _DOCKER_WORD.search(_logical_line(lines, error.line))
    ]
    for command in block.commands:
        hits.extend(_check_command(command))
    return hits


def _logical_line(lines: list[str], number: int) -> str:
    """Return the 1-based line `number` with the lines it continues and is continued onto (`\\`)."""
    first = last = number - 1
    while first > 0 and lines[first - 1].rstrip().endswith("\\"):
        first -= 1
    while last + 1 < len(lines) and lines[last].rstrip().endswith("\\"):
        last += 1
    return "\n".join(lines[first : last + 1])


def _check_command(command: DockerCommand) -> list[Hit]:
    """Return the hits of one command, in the order the CLI meets them; the first refusal ends the check."""

    def hit(word: Word, code: str, message: str) -> Hit:
        line, column = command.position(word)
        return Hit(line, column, code, message)

    if command.program == "docker-compose":
        example = " ".join(["docker", "compose", *(w.text for w in command.words[1:2])])
        return [hit(command.words[0], "AU306", f"`docker-compose` is Compose v1, retired in 2023: write `{example}`")]
    hits: list[Hit] = []
    for option in command.all_options:
        if not option.known:
            hits.append(hit(option.word, "AU302", f"unknown flag `{option.name}` for `{_name(option.scope)}`"
                                                  f"{_suggest(option.name, list(_flags_of(option.scope)))}"))
            return hits
        if option.missing_value:
            if not command.synopsis:
                hits.append(hit(option.word, "AU303", f"`{option.name}` needs a value"))
        elif option.value is not None or option.name.startswith("--"):
            hits.extend(_check_option(option, hit))
    if command.unknown is not None:
        unknown = command.unknown
        siblings = docker_cli().names_under(unknown.parent)
        where = f"{_name(unknown.parent)} "
        for name in unknown.names:
            suggestion = _suggest(name, siblings)
            # a misspelt command is an error; a name too short to tell (`mcp`, `cp`) is taken for a plugin's
            if not unknown.parent and _PLUGIN_NAME.match(name) and (not suggestion or len(name) <= 3):
                also = f" (unless it is a typo: {suggestion.removeprefix(' (')}" if suggestion else ""
                hits.append(hit(unknown.word, "AU309", f"`docker {name}` is no docker command, nor one of the plugins "
                                                       "Aula knows (compose, buildx, scout, init, debug): a CLI plugin, "
                                                       f"not checked{also}"))
            else:
                hits.append(hit(unknown.word, "AU301", f"unknown command `{where}{name}`{suggestion}"))
        return hits
    spec = command.spec
    if spec is not None and spec.retired:
        word = next(w for w in command.words[1:] if w.text == command.path[-1])
        return hits + [hit(word, "AU310", f"`{command.name}` was retired in {spec.retired_since}: use "
                                          f"`{spec.retired}`")]
    if not command.is_command or command.synopsis:
        return hits
    hits.extend(_check_after_target(command, hit))
    hits.extend(_check_count(command, hit))
    if command.canonical in _PUBLISHING:
        hits.extend(_check_publish(command, hit))
    if command.canonical == ("container", "run"):
        hits.extend(_check_detached_terminal(command, hit))
    return hits


def _name(path: tuple[str, ...]) -> str:
    return " ".join(("docker", *path))


def _flags_of(scope: tuple[str, ...]) -> Mapping[str, str]:
    """Return the flags of `docker <scope>`: docker's own for ()."""
    cli = docker_cli()
    spec = cli.command(scope) if scope else None
    return spec.flags if spec is not None else cli.global_flags


def _check_option(option: Option, hit: _HitAt) -> list[Hit]:
    """Return the legacy and insecure uses of one flag and its value."""
    name, value, word = option.name, option.value or "", option.word
    if name == "--link":
        return [hit(word, "AU307", "`--link` is legacy: put both containers on a user-defined network "
                                   "(`docker network create`) and use the container name")]
    if name in ("-e", "--env", "--build-arg"):
        match = _SECRET_ENV.match(value)
        if match and match["value"] and not match["value"].startswith("$"):
            variable = value.split("=", 1)[0]
            return [hit(word, "AU308", f"`{variable}` is given in clear on the command line: use "
                                       "`--env-file`, a secret, or `-e "
                                       f"{variable}` to pass it from the environment")]
    elif name in ("-p", "--password") and option.scope[-1:] == ("login",):
        return [hit(word, "AU308", "`docker login --password` leaves the password in the shell "
                                   "history: use `--password-stdin`")]
    return []


def _check_after_target(command: DockerCommand, hit: _HitAt) -> list[Hit]:
    """Return a flag of the command written after its image or container, where it goes to the container."""
    target = command.target
    if target is None or len(command.arguments) < 2 or command.separator is not None or command.spec is None:
        return []
    word = command.arguments[1]
    name = word.text.partition("=")[0]
    if not name.startswith("-") or name in _GENERIC_PROGRAM_FLAGS:
        return []
    flags = command.spec.flags
    known = name in flags or (not name.startswith("--") and len(name) > 2 and all("-" + c in flags for c in name[1:]))
    if not known:
        return []
    what = "container" if command.path[-1] == "exec" else "image"
    return [hit(word, "AU305", f"`{word.text}` comes after the {what} `{target.text}`, so it is passed to the "
                               f"container's command, not to `{command.name}`: move it before `{target.text}`")]


def _check_publish(command: DockerCommand, hit: _HitAt) -> list[Hit]:
    """Return a hit for each `-p` value Docker refuses."""
    hits = []
    for option in command.options_named("-p", "--publish"):
        if option.value is None or "$" in option.value:
            continue
        try:
            parse_publish(option.value)
        except PortError as error:
            hits.append(hit(option.value_word or option.word, "AU311", f"`-p {option.value}` is not a port mapping "
                                                                       f"such as `8080:80` or `127.0.0.1:8080:80`: {error}"))
    return hits


def _check_detached_terminal(command: DockerCommand, hit: _HitAt) -> list[Hit]:
    """Return a hit when `-d` comes with `-t` or `-i` and the container runs no shell or interpreter to wait in."""
    detach = command.options_named("-d", "--detach")
    terminal = command.options_named("-t", "--tty", "-i", "--interactive")
    if not detach or not terminal or command.image is None:
        return []
    program = command.inner[0].text.rsplit("/", 1)[-1] if command.inner else ""
    image = re.sub(r"^(?:docker\.io/)?(?:library/)?", "", command.image.split("@")[0])
    image = re.sub(r":[\w.-]+$", "", image)  # the tag, not a registry's port
    if program in _WAITING_PROGRAMS or (not program and image in _WAITING_IMAGES):
        return []
    flags = " ".join(dict.fromkeys(option.flag for option in (*detach, *terminal)))
    return [hit(terminal[0].word, "AU312", f"`{flags}`: a terminal for a container in the background, which no one "
                                          "types into; `-it` is for a shell or program you attach to, otherwise drop it")]


def _check_count(command: DockerCommand, hit: _HitAt) -> list[Hit]:
    """Return a hit when the command has too few or too many positional arguments."""
    spec = command.spec
    if spec is None or spec.open_flags:  # unknown flags may take values: the arguments cannot be told apart
        return []
    low, high = spec.arguments
    positionals = command.arguments
    got = len(positionals)
    if low <= got and (high is None or got <= high):
        return []
    name = command.name
    usage = spec.usage or name
    expected = _expected(low, high)
    if high is not None and got > high:
        extra = positionals[high]
        listed = ", ".join(f"`{w.text}`" for w in positionals)
        hint = ""
        dockerfile = next((w for w in positionals if _DOCKERFILE_NAME.match(w.text)), None)
        if command.path[-1] == "build" and dockerfile is not None:
            extra, hint = dockerfile, f" (name the Dockerfile with `-f {dockerfile.text}`)"
        return [hit(extra, "AU304", f"`{name}` takes {expected}, got {got} ({listed}){hint}; usage: {usage}")]
    return [hit(command.words[0], "AU304", f"`{name}` takes {expected}, got {got}; usage: {usage}")]


def _expected(low: int, high: int | None) -> str:
    def plural(n: int) -> str:
        return f"{n} argument" + ("" if n == 1 else "s")

    if high is None:
        return f"at least {plural(low)}"
    if low == high:
        return f"exactly {plural(low)}" if low else "no arguments"
    return f"{low} to {high} arguments"


def _suggest(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return f" (did you mean `{close[0]}`?)" if close else ""
