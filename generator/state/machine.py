"""What a student's machine holds after the commands so far: containers, ports, networks, volumes, images, swarm.

Everything the simulation records comes with the place that made it, so a
problem names both the line that fails and the line that caused it. What the
simulation cannot know it forgets rather than guesses: a container touched by
a command whose target it cannot tell (an ID from sample output, a `$(…)` it
cannot read) is no longer `certain`, and nothing is reported about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from generator.state.walk import Place

State = Literal["running", "stopped", "unknown"]
PREDEFINED_NETWORKS = frozenset(("bridge", "host", "none", "default", "ingress", "docker_gwbridge"))
_HEX = re.compile(r"[0-9a-f]{4,64}")
GENERATED = r"[a-z]+_[a-z]+[0-9]*"  # the names docker makes up: `stupefied_colden`


@dataclass(frozen=True, slots=True)
class Problem:
    """A command that fails on the simulated machine: where, why, and the line that caused it."""

    code: str
    place: Place
    message: str
    cause: Place | None = None


@dataclass(frozen=True, slots=True)
class HostPort:
    """A port published on the host: `ip` is "" for every interface."""

    port: int
    protocol: str = "tcp"
    ip: str = ""

    def clashes(self, other: HostPort) -> bool:
        return self.port == other.port and self.protocol == other.protocol and (not self.ip or not other.ip or self.ip == other.ip)

    def __str__(self) -> str:
        text = f"{self.ip}:{self.port}" if self.ip else str(self.port)
        return text if self.protocol == "tcp" else f"{text}/{self.protocol}"


def parse_port(spec: str) -> HostPort | None:
    """Return the host side of `-p [IP:]HOST:CONTAINER[/PROTO]`; None when it has none, is a range, or is not literal."""
    if "$" in spec or "{" in spec:
        return None
    spec, _, protocol = spec.partition("/")
    ip = ""
    if spec.startswith("["):  # [::1]:8080:80
        ip, _, spec = spec[1:].partition("]")
        spec = spec.lstrip(":")
    parts = spec.split(":")
    if len(parts) == 3:
        ip, host = ip or parts[0], parts[1]
    elif len(parts) == 2:
        host = parts[0]
    else:
        return None
    if not host.isdigit():
        return None
    return HostPort(int(host), protocol.lower() or "tcp", "" if ip in ("0.0.0.0", "::") else ip)


def normalize_image(reference: str) -> str:
    """Return an image reference as docker stores it: `nginx` → `nginx:latest`, `docker.io/library/x:1` → `x:1`."""
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        reference = reference.removeprefix(prefix)
    reference = reference.removeprefix("library/")
    last = reference.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        reference += ":latest"
    return reference


@dataclass(eq=False, slots=True)
class Container:
    """A container: `name` None when docker generated it (or it could not be read)."""

    name: str | None
    image: str | None
    origin: Place
    ports: tuple[HostPort, ...] = ()
    state: State = "running"
    certain: bool = True  # known to exist; False once a command may have removed it
    auto_remove: bool = False  # `--rm`
    networks: frozenset[str] = frozenset()
    volumes: frozenset[str] = frozenset()
    project: str = ""  # the compose project it belongs to
    service: str = ""
    since: Place | None = None  # where it last stopped
    pattern: str = GENERATED  # for a container without a name: the names it may have (a regular expression)

    def holds(self, port: HostPort) -> bool:
        return self.certain and self.state == "running" and any(own.clashes(port) for own in self.ports)

    def describe(self) -> str:
        if self.service:
            return f"`{self.name or self.service}` (service `{self.service}` of the compose project started at {self.origin})"
        if self.name:
            return f"`{self.name}` ({self.origin})"
        return f"a container of `{self.image}` without a name ({self.origin})"

    def forget(self) -> None:
        """Make the container uncertain: a command may have removed, stopped or started it."""
        self.certain = False
        self.state = "unknown"


@dataclass(slots=True)
class Thing:
    """A network, volume, service or stack: where it was made, and whether it surely exists."""

    origin: Place
    certain: bool = True
    ports: tuple[HostPort, ...] = ()  # a service's published ports (swarm ingress)
    stack: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a container reference names: the container, those it might be, or where it was removed."""

    found: Container | None = None
    maybe: tuple[Container, ...] = ()
    gone: Place | None = None


@dataclass
class Machine:
    """One docker engine: the default one, or another context's."""

    containers: list[Container] = field(default_factory=list)
    removed: dict[str, Place] = field(default_factory=dict)  # container names removed for certain
    networks: dict[str, Thing] = field(default_factory=dict)
    networks_removed: dict[str, Place] = field(default_factory=dict)
    volumes: dict[str, Thing] = field(default_factory=dict)
    volumes_removed: dict[str, Place] = field(default_factory=dict)
    images: dict[str, Place] = field(default_factory=dict)  # tags known to be there
    images_removed: dict[str, Place] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)  # tag → the tags of the same image
    archives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # `docker save -o` file → its tags
    swarm: bool | None = False  # None: cannot tell
    swarm_origin: Place | None = None
    services: dict[str, Thing] = field(default_factory=dict)
    services_removed: dict[str, Place] = field(default_factory=dict)
    stacks: dict[str, Thing] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)  # compose project → its file's name if named after its folder

    # --- containers ---------------------------------------------------------------------

    def named(self, name: str) -> Container | None:
        return next((c for c in self.containers if c.name == name), None)

    def lookup(self, reference: str) -> Lookup:
        """Return what a container reference (a name, an ID, a prefix of one) names."""
        container = self.named(reference)
        if container is not None:
            return Lookup(found=container) if container.certain else Lookup(maybe=(container,))
        if _HEX.fullmatch(reference) or "$" in reference or "`" in reference:
            return Lookup(maybe=tuple(self.containers))  # an ID, or a name only the shell knows
        unnamed = tuple(c for c in self.containers if c.name is None and re.fullmatch(c.pattern, reference))
        return Lookup(gone=self.removed.get(reference), maybe=unnamed)

    def add(self, container: Container) -> Container:
        if container.name:  # made under a name: whatever had it before is gone
            self.containers = [c for c in self.containers if c.name != container.name]
            self.removed.pop(container.name, None)
        self.containers.append(container)
        return container

    def remove(self, container: Container, place: Place) -> None:
        """Remove a container: its name is then surely free."""
        self.containers.remove(container)
        if container.name and self.named(container.name) is None:
            self.removed[container.name] = place

    def name_holder(self, name: str) -> Container | None:
        """Return the container that surely holds a name."""
        container = self.named(name)
        return container if container is not None and container.certain else None

    def port_holder(self, port: HostPort, besides: tuple[Container, ...] = ()) -> Container | None:
        """Return a running container that surely publishes `port` (other than those in `besides`)."""
        return next((c for c in self.containers if c not in besides and c.holds(port)), None)

    def forget_names(self) -> None:
        """Forget which names were removed: a container of unknown name was made."""
        self.removed.clear()

    # --- networks, volumes, images ------------------------------------------------------

    def make(self, kind: Literal["network", "volume"], name: str, place: Place, certain: bool = True) -> None:
        things, removed = self._of(kind)
        if name not in things or not things[name].certain:
            things[name] = Thing(place, certain)
        removed.pop(name, None)

    def drop(self, kind: Literal["network", "volume"], name: str, place: Place) -> None:
        things, removed = self._of(kind)
        thing = things.pop(name, None)
        if thing is None or thing.certain:
            removed[name] = place

    def _of(self, kind: Literal["network", "volume"]) -> tuple[dict[str, Thing], dict[str, Place]]:
        return (self.networks, self.networks_removed) if kind == "network" else (self.volumes, self.volumes_removed)

    def users_of(self, kind: Literal["network", "volume"], name: str) -> list[Container]:
        return [c for c in self.containers if name in (c.networks if kind == "network" else c.volumes)]

    def image_there(self, tag: str, place: Place) -> None:
        self.images[tag] = place
        self.images_removed.pop(tag, None)

    def tag(self, source: str, target: str, place: Place) -> None:
        group = self.aliases.setdefault(source, {source})
        group.add(target)
        old = self.aliases.get(target)
        if old is not None and old is not group:
            old.discard(target)
        self.aliases[target] = group
        self.image_there(target, place)

    def untag(self, tag: str, place: Place) -> None:
        group = self.aliases.pop(tag, None)
        if group is not None:
            group.discard(tag)
        self.images.pop(tag, None)
        self.images_removed[tag] = place

    def other_tags(self, tag: str) -> set[str]:
        """Return the other tags known to name the same image."""
        return {t for t in self.aliases.get(tag, {tag}) if t != tag and t in self.images}

    def image_users(self, tag: str) -> list[Container]:
        return [c for c in self.containers if c.certain and c.image is not None and c.image == tag]

    def forget_images(self) -> None:
        """Forget which images were removed: a command may have brought any back."""
        self.images_removed.clear()

    # --- swarm --------------------------------------------------------------------------

    def leave_swarm(self) -> None:
        self.swarm, self.swarm_origin = False, None
        self.services.clear()
        self.services_removed.clear()
        self.stacks.clear()

    def ingress_holder(self, port: HostPort, besides: Iterable[str] = ()) -> tuple[str, Thing] | None:
        """Return the service (other than those in `besides`) that surely publishes `port` on the swarm's routing mesh."""
        skip = set(besides)
        for name, service in self.services.items():
            if service.certain and name not in skip and any(own.clashes(port) for own in service.ports):
                return name, service
        return None
