"""The simulation's running state: the machines, the problems found, and what every command handler needs.

A `Session` holds one `Machine` per docker context (the default engine and,
after `docker context use rootless`, another one that starts empty), the
files the student has been shown so far, and the problems. Its helpers answer
the questions every handler asks: which container a reference names, whether
a network, volume or service exists, whether the machine is in swarm mode,
and report a problem when the answer is surely "no".
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.docker.commands import DockerCommand, Option
from generator.docker.shell import Word
from generator.model import Chapter
from generator.state.machine import PREDEFINED_NETWORKS, Container, HostPort, Machine, Problem
from generator.state.walk import Command, File, Place, Step


@dataclass(frozen=True, slots=True)
class Published:
    """A host port a command publishes (for the classroom kit), with who publishes it."""

    port: HostPort
    place: Place
    owner: str


def literal(text: str | None) -> bool:
    """Return whether a word is the same when the shell runs it (no `$`, no backquote, no glob)."""
    return bool(text) and not any(char in text for char in "$`*?")  # type: ignore[operator]


@dataclass
class Session:
    """What the simulation knows so far, and the problems it found."""

    steps: Sequence[Step]
    machines: dict[str, Machine] = field(default_factory=lambda: {"default": Machine()})
    context: str = "default"
    problems: list[Problem] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    files: list[File] = field(default_factory=list)  # shown so far, in order
    compose_used: list[tuple[int, File]] = field(default_factory=list)  # (step index, file) of each `up` and `stack deploy`
    index: int = 0  # of the step being run
    _made: dict[tuple[str, str], list[tuple[int, Place, Chapter]]] = field(default_factory=dict)
    _reported: set[tuple[int, str, str]] = field(default_factory=set)  # (holder, what, who): one report each
    _told_later: set[tuple[str, str]] = field(default_factory=set)  # (kind, name) reported as used before it is made
    _chapter_files: dict[int, list[File]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, step in enumerate(self.steps):
            if isinstance(step, File):
                self._chapter_files.setdefault(id(step.chapter), []).append(step)
            elif isinstance(step, Command):
                for kind, name in _what_it_makes(step.command):
                    self._made.setdefault((kind, name), []).append((index, step.place(), step.chapter))

    @property
    def machine(self) -> Machine:
        return self.machines.setdefault(self.context, Machine(swarm=None))

    def reset(self) -> None:
        self.machines = {"default": Machine()}
        self.context = "default"

    def report(self, code: str, step: Command, word: Word | None, message: str, cause: Place | None = None) -> None:
        self.problems.append(Problem(code, step.place(word), message, cause))

    def chapter_files(self, chapter: Chapter) -> list[File]:
        return self._chapter_files.get(id(chapter), [])

    def made_later(self, kind: str, name: str, step: Command) -> Place | None:
        """Return where a later command of the same chapter makes `name`, if `step` surely uses it too early.

        Not inside an exercise (the prose may ask the student to make it
        first), not for a command that removes or stops it (`docker rm -f web`
        before `docker run --name web` replaces what an earlier chapter or the
        prose made), not in another chapter (the same name often means another
        thing there), and once per name.
        """
        if step.in_exercise or step.command.canonical[-1] in _REPLACING or (kind, name) in self._told_later:
            return None
        made = self._made.get((kind, name), [])
        position = bisect.bisect_right([index for index, _, _ in made], self.index)
        if position == len(made) or made[position][2] is not step.chapter:
            return None
        self._told_later.add((kind, name))
        return made[position][1]

    # --- containers ---------------------------------------------------------------------

    def target(self, step: Command, word: Word, running: bool = False) -> tuple[Container | None, tuple[Container, ...]]:
        """Return the container `word` surely names, else those it may name; report it gone, or stopped if `running`."""
        machine = self.machine
        lookup = machine.lookup(word.text)
        if lookup.found is not None:
            container = lookup.found
            if running and container.state == "stopped":
                self.report("AU604", step, word, f"container `{word.text}` is not running: {_stopped(container)}", container.origin)
            return container, ()
        if lookup.gone is not None:
            self.report("AU603", step, word, f"container `{word.text}` does not exist: it was removed at {lookup.gone}", lookup.gone)
            machine.removed.pop(word.text, None)  # reported once: the student had to do something about it
        elif literal(word.text) and machine.named(word.text) is None:
            later = self.made_later("container", word.text, step)
            if later is not None:
                self.report("AU603", step, word, f"container `{word.text}` does not exist yet: it is created at {later}", later)
        return None, lookup.maybe

    def check_ports(self, step: Command, ports: Sequence[tuple[HostPort, Word | None]], who: str,
                    besides: tuple[Container, ...] = ()) -> bool:
        """Report each port a running container already publishes; return whether all are free.

        `who` names what wants the port (a container name, a compose service):
        the same holder is reported once to the same `who`, and not at all to
        a command already told that the holder has its name.
        """
        free = True
        for port, word in ports:
            holder = self.machine.port_holder(port, besides)
            if holder is not None:
                free = False
                if self._first(holder, str(port), who) and (id(holder), "name", who) not in self._reported:
                    self.report("AU602", step, word, f"port {port} is still published by {holder.describe()}", holder.origin)
        return free

    def check_name(self, step: Command, name: str, word: Word | None, besides: tuple[Container, ...] = ()) -> bool:
        """Report a container name already in use; return whether it is free."""
        holder = self.machine.name_holder(name)
        if holder is not None and holder not in besides:
            if self._first(holder, "name", name):
                self.report("AU601", step, word, f"the name `{name}` is already in use by the container created at {holder.origin}",
                            holder.origin)
            return False
        return True

    def _first(self, holder: Container, what: str, who: str) -> bool:
        key = (id(holder), what, who)
        first = key not in self._reported
        self._reported.add(key)
        return first

    # --- networks, volumes, swarm -------------------------------------------------------

    def need_network(self, step: Command, name: str, word: Word | None) -> bool:
        """Report a network that surely does not exist; return whether it may."""
        machine = self.machine
        if name in PREDEFINED_NETWORKS or name in machine.networks or not literal(name):
            return True
        if name.startswith("container:"):
            return True
        gone = machine.networks_removed.get(name)
        if gone is not None:
            self.report("AU606", step, word, f"network `{name}` does not exist: it was removed at {gone}", gone)
        else:
            later = self.made_later("network", name, step)
            if later is None:
                return True
            self.report("AU606", step, word, f"network `{name}` does not exist yet: it is created at {later}", later)
        machine.make("network", name, step.place(word), certain=False)  # reported once
        return False

    def need_volume(self, step: Command, name: str, word: Word | None) -> bool:
        """Report a volume that surely does not exist; return whether it may."""
        machine = self.machine
        if name in machine.volumes or not literal(name):
            return True
        gone = machine.volumes_removed.get(name)
        if gone is not None:
            self.report("AU607", step, word, f"volume `{name}` does not exist: it was removed at {gone}", gone)
        else:
            later = self.made_later("volume", name, step)
            if later is None:
                return True
            self.report("AU607", step, word, f"volume `{name}` does not exist yet: it is created at {later}", later)
        machine.make("volume", name, step.place(word), certain=False)
        return False

    def need_swarm(self, step: Command) -> bool:
        """Report a swarm command on a machine surely not in swarm mode; return whether it may be."""
        machine = self.machine
        if machine.swarm is not False:
            return True
        where = f" (it left the swarm at {machine.swarm_origin})" if machine.swarm_origin else ""
        self.report("AU609", step, None,
                    f"`{step.command.name}` needs swarm mode, and this machine is not in a swarm{where}: run `docker swarm init` first",
                    machine.swarm_origin)
        machine.swarm = None  # reported once
        return False


_REPLACING = frozenset(("rm", "stop", "kill", "prune"))


def option_words(command: DockerCommand, *names: str) -> list[tuple[str, Word]]:
    """Return each value given to `names` with the word to point at."""
    return [(option.value, _value_word(option)) for option in command.options_named(*names) if option.value is not None]


def _value_word(option: Option) -> Word:
    return option.value_word or option.word


def _stopped(container: Container) -> str:
    return f"it stopped at {container.since}" if container.since is not None else "it is stopped"


def _what_it_makes(command: DockerCommand) -> list[tuple[str, str]]:
    """Return the (kind, name) pairs a command creates: containers by name, networks, volumes."""
    canonical = command.canonical
    if canonical in (("container", "run"), ("container", "create")):
        return [("container", value) for value in command.option_values("--name") if literal(value)]
    if canonical in (("network", "create"), ("volume", "create")) and command.arguments:
        name = command.arguments[-1].text
        return [(canonical[0], name)] if literal(name) else []
    return []
