"""The classroom kit: what a class needs before the course starts, read from the course's own commands.

Every image the course pulls, runs or builds from (`docker run`, `pull`,
`create`, `service create`, a Dockerfile's `FROM`, a compose file's `image:`),
with the place that first needs it, except those the course makes itself
(`docker build -t`, `tag`, `commit`); the host ports it publishes; what each
chapter needs from the network (package installs, downloads, a Docker Hub
account, a second machine); the tools it uses besides docker; and roughly how
much disk the images take, where their size is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.docker.commands import parse_command
from generator.docker.shell import parse_shell
from generator.model import (
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    Emphasis,
    Heading,
    Inline,
    InlineCode,
    Link,
    Location,
    Paragraph,
    Strikethrough,
    Strong,
    Table,
)
from generator.state.machine import HostPort, normalize_image
from generator.state.simulate import simulate
from generator.state.walk import SHELL_KINDS, Command, File, shell_block, walk_course

# Rough sizes on disk (MB, linux/amd64, unpacked) of common images, for planning only:
# a repository, or a repository and its variant (`slim`, `alpine`). Others are "unknown".
SIZES_MB = {
    "hello-world": 1, "alpine": 8, "busybox": 5, "debian": 120, "debian:slim": 80, "ubuntu": 80,
    "nginx": 190, "nginx:alpine": 50, "nginxinc/nginx-unprivileged": 190, "nginxinc/nginx-unprivileged:alpine": 50,
    "httpd": 150, "httpd:alpine": 60, "php": 500, "mariadb": 400, "mysql": 600, "postgres": 430,
    "postgres:alpine": 250, "wordpress": 700, "python": 1000, "python:slim": 130, "python:alpine": 50,
    "redis": 120, "redis:alpine": 40, "node": 1100, "node:slim": 250, "node:alpine": 130, "golang": 800,
    "golang:alpine": 250, "traefik/whoami": 7, "portainer/portainer-ce": 300, "registry": 25,
    "docker/getting-started": 50, "mcr.microsoft.com/dotnet/runtime": 200,
}
TOOLS = {  # the programs a course may ask for besides docker, by the name typed
    "kubectl": "kubectl", "minikube": "minikube", "k3s": "k3s", "kind": "kind", "helm": "helm", "git": "git",
    "trivy": "Trivy", "curl": "curl", "wget": "wget", "jq": "jq", "openssl": "openssl", "xhost": "X11 (xhost)",
    "ssh": "ssh", "make": "make", "docker-compose": "docker-compose (Compose v1)", "hadolint": "hadolint",
    "dive": "dive", "code": "Visual Studio Code",
}
PLUGINS = {"compose": "Docker Compose (plugin)", "buildx": "Docker Buildx (plugin)", "scout": "Docker Scout (plugin)"}
_INSTALLERS = (("apt-get", "install"), ("apt", "install"), ("apk", "add"), ("dnf", "install"), ("yum", "install"),
               ("pip", "install"), ("pip3", "install"), ("npm", "install"), ("npm", "ci"), ("snap", "install"),
               ("brew", "install"), ("gem", "install"))
_LOCAL_URL = re.compile(r"https?://(localhost|127\.|0\.0\.0\.0|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|[\w-]+:\d)")
_URL = re.compile(r"https?://\S+")
_IMAGE_SOURCES: dict[tuple[str, ...], str] = {("container", "run"): "run", ("container", "create"): "create", ("image", "pull"): "pull",
                  ("service", "create"): "service"}
NEEDS = ("packages", "downloads", "hub", "hub_login", "second_machine")  # what a chapter may need from the network


@dataclass(frozen=True, slots=True)
class KitImage:
    """An image the course pulls: as first written, where it is first needed and how."""

    name: str
    location: Location
    chapter: int
    how: str  # run, pull, create, service, FROM, compose

    @property
    def tagged(self) -> bool:
        last = self.name.rsplit("/", 1)[-1]
        return ":" in last or "@" in last

    @property
    def size_mb(self) -> int | None:
        return image_size(self.name)


@dataclass(frozen=True, slots=True)
class KitPort:
    port: HostPort
    chapters: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ChapterNeeds:
    """What one chapter needs beyond a local docker: network access (`NEEDS`) and tools."""

    chapter: int
    title: str
    needs: tuple[str, ...]
    tools: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Kit:
    images: tuple[KitImage, ...]
    ports: tuple[KitPort, ...]
    chapters: tuple[ChapterNeeds, ...]
    tools: tuple[str, ...] = ()

    @property
    def disk_mb(self) -> int:
        """Return the rough disk space of the images whose size is known."""
        return sum(image.size_mb or 0 for image in self.images)

    @property
    def unknown_sizes(self) -> int:
        return sum(image.size_mb is None for image in self.images)

    def as_json(self) -> dict:
        return {
            "images": [{"image": i.name, "tagged": i.tagged, "path": str(i.location.path), "line": i.location.line,
                        "chapter": i.chapter, "how": i.how, "size_mb": i.size_mb} for i in self.images],
            "ports": [{"port": p.port.port, "protocol": p.port.protocol, "address": p.port.ip, "chapters": list(p.chapters)}
                      for p in self.ports],
            "chapters": [{"chapter": c.chapter, "title": c.title, "network": list(c.needs), "tools": list(c.tools)}
                         for c in self.chapters],
            "tools": list(self.tools),
            "disk_mb": self.disk_mb,
            "unknown_sizes": self.unknown_sizes,
        }


NEED_WORDS = {"packages": "package installs", "downloads": "downloads", "hub": "Docker Hub search",
              "hub_login": "a Docker Hub login", "second_machine": "a second machine"}


def kit_text(kit: Kit) -> str:
    """Return the kit as text: images with where each is first needed, ports, network access, tools."""
    width = max((len(image.name) for image in kit.images), default=0) + 2
    known = len(kit.images) - kit.unknown_sizes
    lines = [f"Images to pull before class ({len(kit.images)}; about {_size(kit.disk_mb)} for the {known} of known size):"]
    for image in kit.images:
        flag = "  untagged: means `latest`, which changes" if not image.tagged else ""
        lines.append(f"  {image.name:<{width}}{image.location.path}:{image.location.line} ({image.how}){flag}")
    lines.append("Host ports the course publishes:")
    lines += [f"  {str(port.port):<16}chapter{'s' if len(port.chapters) > 1 else ''} {', '.join(map(str, port.chapters))}"
              for port in kit.ports] or ["  none"]
    lines.append("Network access beyond the images, by chapter:")
    lines += [f"  {c.chapter:>2} {c.title}: {', '.join(NEED_WORDS[need] for need in c.needs)}"
              for c in kit.chapters if c.needs] or ["  none"]
    lines.append(f"Tools besides docker: {', '.join(kit.tools) or 'none'}")
    return "\n".join(lines) + "\n"


def kit_script(kit: Kit, title: str, archive: str = "") -> str:
    """Return a POSIX shell script that pulls every image of the kit (and `docker save`s them into `archive`)."""
    lines = ["#!/bin/sh", f"# The images of \"{title}\", pulled before class (made by `aula kit --format sh`).", "set -e"]
    lines += [f"docker pull {_quote(image.name)}" for image in kit.images]
    if archive and kit.images:
        lines.append(f"# One archive for a USB stick; on each machine: docker load -i {_quote(archive)}")
        lines.append(f"docker save -o {_quote(archive)} {' '.join(_quote(image.name) for image in kit.images)}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[\w./:@+-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _size(megabytes: int) -> str:
    return f"{megabytes / 1000:.1f} GB" if megabytes >= 1000 else f"{megabytes} MB"


def image_size(name: str) -> int | None:
    """Return the rough size of an image in MB, if its repository (and variant) is one of `SIZES_MB`."""
    reference = normalize_image(name)
    repository, _, tag = reference.rpartition(":") if "@" not in reference else (reference.split("@")[0], "", "")
    for variant in ("alpine", "slim"):
        if tag == variant or tag.endswith(f"-{variant}") or f"-{variant}-" in tag:
            return SIZES_MB.get(f"{repository}:{variant}")
    return SIZES_MB.get(repository)


def classroom_kit(course: Course) -> Kit:
    """Return what a classroom needs for the course: images, host ports, network access and tools."""
    steps = list(walk_course(course))
    simulation = simulate(course, steps=steps)
    used = {index: file for index, file in simulation.compose_used}
    made = set(_made_in_prose(course))  # `docker build -t x .` in a sentence: the course's own image too
    images: dict[str, KitImage] = {}
    for index, step in enumerate(steps):
        if isinstance(step, Command):
            made.update(_made_by(step))
            found = _command_images(step)
            if index in used:
                found += _file_images(File(step.chapter, used[index].block))
        elif isinstance(step, File) and step.block.kind is CodeKind.DOCKERFILE:
            found = _file_images(step)
        else:
            continue
        for name, location, how in found:
            key = normalize_image(name)
            if key not in made and key not in images:
                images[key] = KitImage(name, location, _chapter_of(course, location), how)
    needs: dict[int, set[str]] = {}
    tools: dict[int, set[str]] = {}
    for step in steps:
        if isinstance(step, File):
            needs.setdefault(step.chapter.number, set()).update(_file_needs(step))
    for chapter, block in _shell_blocks(course):
        for words in _simple_commands(block):
            program, rest = words[0], words[1:]
            needs.setdefault(chapter.number, set()).update(_program_needs(program, rest))
            tool = TOOLS.get(program) or (PLUGINS.get(rest[0]) if program == "docker" and rest else None)
            if tool:
                tools.setdefault(chapter.number, set()).add(tool)
    ports: dict[HostPort, list[int]] = {}
    for published in simulation.published:
        numbers = ports.setdefault(published.port, [])
        number = _chapter_of(course, published.place.location)
        if number not in numbers:
            numbers.append(number)
    chapters = tuple(
        ChapterNeeds(chapter.number, chapter.title_text, tuple(need for need in NEEDS if need in needs.get(chapter.number, ())),
                     tuple(sorted(tools.get(chapter.number, ()))))
        for chapter in course.chapters
    )
    every_tool = tuple(sorted({tool for found in tools.values() for tool in found}))
    return Kit(tuple(images.values()), tuple(KitPort(port, tuple(found)) for port, found in sorted(ports.items(), key=_port_order)),
               chapters, every_tool)


def _port_order(item: tuple[HostPort, list[int]]) -> tuple[int, str, str]:
    return item[0].port, item[0].protocol, item[0].ip


def _chapter_of(course: Course, location: Location) -> int:
    return next((chapter.number for chapter in course.chapters if chapter.path == location.path), 0)


def _made_by(step: Command) -> Iterator[str]:
    """Yield the images a command makes: built, tagged, committed, imported."""
    command = step.command
    if command.canonical in (("image", "build"), ("buildx", "build")):
        yield from (normalize_image(value) for value in command.option_values("-t", "--tag"))
    elif command.canonical in (("image", "tag"), ("container", "commit"), ("image", "import")) and len(command.arguments) >= 2:
        yield normalize_image(command.arguments[-1].text)


def _made_in_prose(course: Course) -> Iterator[str]:
    """Yield the images a sentence's `docker build -t …`, `docker tag …` or `docker commit …` makes."""
    for text in _inline_code(course):
        command = parse_command(text) if "docker" in text else None
        if command is not None and command.is_command and not command.synopsis:
            if command.canonical in (("image", "build"), ("buildx", "build")):
                yield from (normalize_image(value) for value in command.option_values("-t", "--tag"))
            elif command.canonical in (("image", "tag"), ("container", "commit")) and len(command.arguments) >= 2:
                yield normalize_image(command.arguments[-1].text)


def _inline_code(course: Course) -> Iterator[str]:
    def runs(inlines: Sequence[Inline]) -> Iterator[str]:
        for run in inlines:
            if isinstance(run, InlineCode):
                yield run.text
            elif isinstance(run, (Emphasis, Strong, Strikethrough, Link)):
                yield from runs(run.children)

    for _chapter, block in course.blocks():
        if isinstance(block, (Paragraph, Heading)):
            yield from runs(block.inlines)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield from runs(cell)


def _literal_image(name: str | None) -> bool:
    return bool(name) and not any(char in name for char in "$`<>[]{}") and name != "scratch"  # type: ignore[operator]


def _command_images(step: Command) -> list[tuple[str, Location, str]]:
    command = step.command
    how = _IMAGE_SOURCES.get(command.canonical)
    if how is None:
        return []
    if how == "pull":
        words = command.arguments[:1]
    else:
        words = (command.target,) if command.target is not None else ()
    return [(word.text, step.place(word).location, how) for word in words if _literal_image(word.text)]


def _file_images(step: File) -> list[tuple[str, Location, str]]:
    block = step.block
    if block.kind is CodeKind.DOCKERFILE:
        return [(name, Location(block.location.path, block.location.line + line - 1), "FROM")
                for name, line in dockerfile_bases(block.text)]
    if block.kind is CodeKind.COMPOSE:
        return [(name, Location(block.location.path, block.location.line + line - 1), "compose")
                for name, line in compose_images(block.text)]
    return []


def dockerfile_bases(text: str) -> list[tuple[str, int]]:
    """Return the images a Dockerfile's `FROM` lines pull (stages and `scratch` left out), with their lines."""
    arguments: dict[str, str] = {}
    stages: set[str] = set()
    found: list[tuple[str, int]] = []
    seen_from = False
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.split()
        if not words:
            continue
        instruction = words[0].upper()
        if instruction == "ARG" and not seen_from and len(words) > 1:
            name, _, default = words[1].partition("=")
            arguments[name] = default.strip("\"'")
        elif instruction == "FROM":
            seen_from = True
            rest = [word for word in words[1:] if not word.startswith("--")]
            if not rest:
                continue
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: arguments.get(m.group(1)) or m.group(0), rest[0])
            if len(rest) >= 3 and rest[1].upper() == "AS":
                stages.add(rest[2].lower())
            if image.lower() not in stages and _literal_image(image):
                found.append((image, number))
    return found


def compose_images(text: str) -> list[tuple[str, int]]:
    """Return the `image:` of each compose service that is not built here, with its line."""
    found: list[tuple[str, int]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        match = re.match(r"^(\s+)image:\s*[\"']?([^\s\"'#]+)", line)
        if not match:
            continue
        indent = len(match.group(1))
        siblings = _siblings(lines, number - 1, indent)
        if not any(re.match(rf"^\s{{{indent}}}build:", sibling) for sibling in siblings) and _literal_image(match.group(2)):
            found.append((match.group(2), number))
    return found


def _siblings(lines: list[str], index: int, indent: int) -> list[str]:
    """Return the lines of the YAML mapping that holds line `index` (same indentation, no shallower line between)."""
    start = index
    while start > 0 and (not lines[start - 1].strip() or len(lines[start - 1]) - len(lines[start - 1].lstrip()) >= indent):
        start -= 1
    end = index
    while end + 1 < len(lines) and (not lines[end + 1].strip() or len(lines[end + 1]) - len(lines[end + 1].lstrip()) >= indent):
        end += 1
    return [line for line in lines[start:end + 1] if len(line) - len(line.lstrip()) == indent]


def _file_needs(step: File) -> set[str]:
    if step.block.kind is not CodeKind.DOCKERFILE:
        return set()
    found = set()
    for line in step.block.text.split("\n"):
        words = line.split()
        if any(a in words and b in words for a, b in _INSTALLERS):
            found.add("packages")
        if words and words[0].upper() in ("ADD", "RUN") and _remote_url(line):
            found.add("downloads")
    return found


def _program_needs(program: str, rest: list[str]) -> set[str]:
    found = set()
    if program == "docker" and (rest[:1] in (["login"], ["push"]) or rest[:2] == ["image", "push"]):
        found.add("hub_login")
    if program == "docker" and (rest[:1] == ["search"] or rest[:2] == ["image", "search"]):
        found.add("hub")
    if program == "docker" and (rest[:2] == ["swarm", "join"] or rest[:1] in (["-H"], ["--host"])):
        found.add("second_machine")
    if any(program == a and b in rest for a, b in _INSTALLERS):
        found.add("packages")
    if program in ("curl", "wget", "git") and any(_remote_url(word) for word in rest):
        found.add("downloads")
    if program == "minikube" and rest[:1] == ["start"] or program == "trivy":
        found.add("downloads")  # the cluster's node image the first time; Trivy's vulnerability database
    if program == "kubectl" and (rest[:1] == ["apply"] or any(word.startswith("--image") for word in rest)):
        found.add("downloads")  # the cluster pulls its images itself
    return found


def _remote_url(text: str) -> bool:
    return any(not _LOCAL_URL.match(url) for url in _URL.findall(text))


def _shell_blocks(course: Course) -> Iterator[tuple[Chapter, CodeBlock]]:
    for chapter, block in course.blocks():
        if isinstance(block, CodeBlock) and block.kind in SHELL_KINDS and not block.has_class("bad-example") \
                and not block.has_class("synopsis"):
            yield chapter, block


_WRAPPERS = frozenset(("sudo", "time", "nohup", "exec", "command", "env"))


def _simple_commands(block: CodeBlock) -> Iterator[list[str]]:
    """Yield the words of every simple command the block's command lines run (wrappers such as `sudo -E` dropped)."""
    for line in shell_block(block).lines:
        for simple in parse_shell(line.text).commands:
            words = [word.text for word in simple.words]
            start = 0
            while start < len(words) and words[start] in _WRAPPERS:
                start += 1
                while start < len(words) and words[start].startswith("-"):
                    start += 1
            if start < len(words):
                yield [words[start].rsplit("/", 1)[-1], *words[start + 1:]]

