"""Compose projects and swarm stacks: which compose file a command means, and what `up`, `down`, `deploy` do.

`docker compose up` reads the compose file of the folder it runs in. The course
shows that file as a fenced block titled `compose.yaml` (or the name after
`-f`): the last one shown before the command in the same chapter, else the
chapter's only one. Without a project name (`-p`, top-level `name:`) the
project is named after a folder the simulation cannot see, so two projects
from files of the same name may be one and the same: what one does to the
other's services is forgotten, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from generator.model import CodeKind
from generator.state.machine import GENERATED, Container, HostPort, Thing, normalize_image, parse_port
from generator.state.resources import check_ingress
from generator.state.session import Published, Session, literal
from generator.state.walk import Command, File

Handler = Callable[[Session, Command], None]
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml's, when PyYAML has it: ten times faster
DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


@dataclass(frozen=True, slots=True)
class Service:
    """One service of a compose file, as far as the simulation needs it."""

    name: str
    ports: tuple[HostPort, ...] = ()  # fixed host ports (not ranges, not interpolated)
    ingress: tuple[HostPort, ...] = ()  # the same, published on a swarm's routing mesh (not `mode: host`)
    container_name: str = ""
    image: str = ""
    build: bool = False
    depends_on: tuple[str, ...] = ()
    profiles: bool = False
    replicas: int = 1


@dataclass(frozen=True, slots=True)
class ComposeFile:
    file: File
    name: str  # top-level `name:`, the project name
    services: Mapping[str, Service]


@cache
def read_compose(text: str) -> tuple[str, tuple[Service, ...]] | None:
    """Return the project name and services of a compose file, or None if it is not one."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # every scalar a string: `80:80` is not sexagesimal 4880
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        return None
    services = []
    for name, body in data["services"].items():
        body = body if isinstance(body, dict) else {}
        ports, ingress = _ports(body.get("ports"))
        depends = body.get("depends_on") or ()
        deploy = body["deploy"] if isinstance(body.get("deploy"), dict) else {}
        replicas = str(body.get("scale") or deploy.get("replicas") or "1")
        services.append(Service(
            name=str(name),
            ports=ports,
            ingress=ingress,
            container_name=str(body.get("container_name") or ""),
            image=str(body.get("image") or ""),
            build="build" in body,
            depends_on=tuple(str(d) for d in (depends if isinstance(depends, (list, dict)) else ())),
            profiles=bool(body.get("profiles")),
            replicas=int(replicas) if replicas.isdigit() else 2,
        ))
    name = data.get("name")
    return (name if isinstance(name, str) and literal(name) else ""), tuple(services)


_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?-)([^}]*))?\}|\$(\w+)")


def interpolate(text: str, env: str) -> str:
    """Return a compose file with `${VAR:-default}` filled in from the `.env` file shown, else its default.

    A variable with neither stays as written (and a port holding it is not followed).
    """
    values = {}
    for line in env.splitlines():
        key, equals, value = line.strip().partition("=")
        if equals and not key.startswith("#"):
            values[key.strip()] = value.strip().strip("'\"")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        value = values.get(name)
        if value is not None and (value or match.group(2) != ":-"):
            return value
        return match.group(3) if match.group(2) else match.group(0)

    return _VARIABLE.sub(fill, text.replace("$$", "\0")).replace("\0", "$")


def _ports(entries: object) -> tuple[tuple[HostPort, ...], tuple[HostPort, ...]]:
    ports: list[HostPort] = []
    ingress: list[HostPort] = []
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict):
            published = str(entry.get("published", ""))
            if not published.isdigit():
                continue
            ip = str(entry.get("host_ip", ""))
            port = HostPort(int(published), str(entry.get("protocol", "tcp")), "" if ip in ("0.0.0.0", "::") else ip)
            host_mode = entry.get("mode") == "host"
        else:
            found = parse_port(str(entry))
            if found is None:
                continue
            port, host_mode = found, False
        ports.append(port)
        if not host_mode:
            ingress.append(HostPort(port.port, port.protocol))
    return tuple(ports), tuple(ingress)


def compose_file(session: Session, step: Command, names: Sequence[str]) -> ComposeFile | None:
    """Return the compose file a command reads (`-f` names, else the default names), or None if it cannot tell."""
    if len(names) > 1:
        return None  # several files merged: not followed
    wanted = {names[0].rsplit("/", 1)[-1]} if names else set(DEFAULT_FILES)

    def matches(file: File) -> bool:
        return file.block.kind is CodeKind.COMPOSE and (file.name in wanted or not file.name and not names)

    shown = [file for file in session.files if file.chapter is step.chapter and matches(file)]
    if not shown:
        shown = [file for file in session.chapter_files(step.chapter) if matches(file)]
        if len(shown) != 1:
            return None
    env = [file for file in session.files if file.chapter is step.chapter and file.name == ".env"]
    read = read_compose(interpolate(shown[-1].block.text, env[-1].block.text if env else ""))
    if read is None:
        return None
    name, services = read
    return ComposeFile(shown[-1], name, {service.name: service for service in services})


def _project(step: Command, compose: ComposeFile) -> tuple[str, str]:
    """Return the project's key and, for a project named after its folder, its file's name ("" otherwise)."""
    names = [o.value for o in step.command.options if o.scope == ("compose",) and o.name in ("-p", "--project-name") and o.value]
    if names and literal(names[-1]):
        return f"name:{names[-1]}", ""
    if compose.name:
        return f"name:{compose.name}", ""
    return f"{compose.file.name or DEFAULT_FILES[0]}@{compose.file.block.location}", compose.file.name or DEFAULT_FILES[0]


def _files(step: Command) -> list[str]:
    return [o.value for o in step.command.options if o.scope == ("compose",) and o.name in ("-f", "--file") and o.value]


def _same_maybe(session: Session, key: str, file_name: str) -> set[str]:
    """Return the other projects that may be this one: named after their folder, from a file of the same name."""
    if not file_name:
        return set()
    return {other for other, name in session.machine.projects.items() if other != key and name == file_name}


def compose_up(session: Session, step: Command) -> None:
    """`docker compose up`: a container per service, publishing its ports (foreground: stopped by Ctrl+C)."""
    command, machine = step.command, session.machine
    compose = compose_file(session, step, _files(step))
    if compose is None:
        _forget_projects(session)
        return
    session.compose_used.append((session.index, compose.file))
    key, file_name = _project(step, compose)
    maybe = _same_maybe(session, key, file_name)
    for container in machine.containers:
        if container.project in maybe and container.service in compose.services:
            container.forget()  # the same project, recreated, or another one
    scale = dict(value.partition("=")[::2] for value in command.option_values("--scale"))
    running = command.has_option("-d", "--detach", "--wait") and not command.has_option("--no-start")
    wanted = [w.text for w in command.arguments if w.text in compose.services] or [
        name for name, service in compose.services.items() if not service.profiles]
    for name in _with_dependencies(wanted, compose.services):
        service = compose.services[name]
        _up_service(session, step, key, service, scale.get(name, ""), running)
    machine.projects[key] = file_name


def _up_service(session: Session, step: Command, key: str, service: Service, scale: str, running: bool) -> None:
    machine = session.machine
    mine = tuple(c for c in machine.containers if c.project == key)
    several = (scale.isdigit() and int(scale) > 1) or (not scale and service.replicas > 1)
    ports = () if several else service.ports  # replicas on one fixed port clash among themselves: the course changes it first
    session.published.extend(Published(port, step.place(), f"service `{service.name}`") for port in service.ports)
    if service.image and literal(service.image) and not service.build:
        machine.image_there(normalize_image(service.image), step.place())
    who = f"{key}/{service.name}"
    existing = next((c for c in mine if c.service == service.name), None)
    if existing is not None:
        if existing.certain and (existing.state == "stopped" or existing.ports != ports):
            if not session.check_ports(step, [(port, None) for port in ports], who, mine):
                existing.forget()
                return
        existing.state = "running" if running else "stopped"
        existing.ports = ports
        return
    if service.container_name and not session.check_name(step, service.container_name, None, mine):
        return  # docker creates no container under a name in use
    ok = session.check_ports(step, [(port, None) for port in ports], who, mine)
    container = Container(
        name=service.container_name or None,
        image=normalize_image(service.image) if service.image and not service.build else None,
        origin=step.place(),
        ports=ports,
        state="running" if running else "stopped",
        project=key,
        service=service.name,
        since=None if running else step.place(),
        pattern=rf".+[-_]{re.escape(service.name)}[-_][0-9]+" if not service.container_name else GENERATED,
    )
    if not ok:
        container.forget()
    machine.add(container)


def _with_dependencies(wanted: list[str], services: Mapping[str, Service]) -> list[str]:
    found: list[str] = []
    todo = list(wanted)
    while todo:
        name = todo.pop(0)
        if name in services and name not in found:
            found.append(name)
            todo.extend(services[name].depends_on)
    return found


def compose_down(session: Session, step: Command) -> None:
    """`docker compose down` (and `rm`, `stop`, `start` …) on the project of the folder."""
    command, machine = step.command, session.machine
    action = command.canonical[-1]
    compose = compose_file(session, step, _files(step))
    if compose is None:
        _forget_projects(session, only_state=action not in ("down", "rm"))
        return
    key, file_name = _project(step, compose)
    maybe = _same_maybe(session, key, file_name)
    wanted = {w.text for w in command.arguments} & set(compose.services) or set(compose.services)
    for container in list(machine.containers):
        if container.project in maybe:
            if action in ("down", "rm"):
                container.forget()
            else:
                container.state = "unknown"
        if container.project != key or (action != "down" and container.service not in wanted):
            continue
        if action == "down" or action == "rm" and container.state == "stopped":
            machine.remove(container, step.place())
        elif action in ("stop", "kill"):
            container.state, container.since = "stopped", step.place()
        elif action in ("start", "restart", "unpause") and container.state == "stopped" and container.certain:
            free = session.check_ports(step, [(port, None) for port in container.ports], f"{key}/{container.service}", (container,))
            container.state = "running" if free else "unknown"
    if action == "down":
        machine.projects.pop(key, None)


def _forget_projects(session: Session, only_state: bool = False) -> None:
    """A compose command on a file the simulation cannot tell: any project named after its folder may be it."""
    machine = session.machine
    machine.forget_names()
    for container in machine.containers:
        if container.project and not container.project.startswith("name:"):
            if only_state:
                container.state = "unknown"
            else:
                container.forget()


def stack_deploy(session: Session, step: Command) -> None:
    """`docker stack deploy -c compose.yaml NAME`: a service `NAME_svc` per service, on the routing mesh."""
    if not session.need_swarm(step):
        return
    command, machine = step.command, session.machine
    if not command.arguments or not literal(command.arguments[-1].text):
        return
    stack = command.arguments[-1].text
    compose = compose_file(session, step, command.option_values("-c", "--compose-file"))
    if compose is None:
        return
    session.compose_used.append((session.index, compose.file))
    ours = {name for name, service in machine.services.items() if service.stack == stack}
    for name, service in compose.services.items():
        ports = [(port, None) for port in service.ingress]
        session.published.extend(Published(port, step.place(), f"service `{stack}_{name}`") for port, _ in ports)
        free = check_ingress(session, step, list(ports), ours)
        machine.services[f"{stack}_{name}"] = Thing(step.place(), certain=free, ports=service.ingress, stack=stack)
        machine.services_removed.pop(f"{stack}_{name}", None)
    machine.stacks[stack] = Thing(step.place())


HANDLERS: dict[tuple[str, ...], Handler] = {
    ("compose", "up"): compose_up,
    ("stack", "deploy"): stack_deploy,
    **{("compose", name): compose_down for name in ("down", "rm", "stop", "kill", "start", "restart", "unpause")},
}
