"""What container commands do to the machine: run, create, start, stop, rm, rename, exec, prune …

`docker rm -f $(docker ps -aq)` and `docker stop $(docker ps -q)` act on
every container (or every running one); another `$(…)` acts on containers
the simulation cannot tell, so it forgets what it knew about them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

from generator.docker.commands import DockerCommand
from generator.docker.shell import Word
from generator.state.machine import Container, State, normalize_image, parse_port
from generator.state.session import Published, Session, literal, option_words
from generator.state.walk import Command

Scope = Literal["all", "running"]
Handler = Callable[[Session, Command], None]


def run(session: Session, step: Command) -> None:
    """`docker run` / `docker create`: a container, unless its name is taken."""
    command, machine = step.command, session.machine
    create = command.canonical == ("container", "create")
    names = option_words(command, "--name")
    name, name_word = names[-1] if names else (None, None)
    made = not (name and literal(name) and not session.check_name(step, name, name_word))
    ok = made
    networks = [value for value, _ in option_words(command, "--network", "--net")]
    for value, word in option_words(command, "--network", "--net"):
        if value.startswith("container:"):
            session.target(step, Word(value.removeprefix("container:"), word.start, word.end))
        else:
            ok = session.need_network(step, value, word) and ok
    for value, word in option_words(command, "--volumes-from"):
        session.target(step, Word(value.split(":")[0], word.start, word.end))
    volumes = frozenset(_named_volumes(command))
    for volume in volumes:
        machine.make("volume", volume, step.place(), certain=True)  # `-v name:/path` creates it
    ports = [(port, word) for value, word in option_words(command, "-p", "--publish") if (port := parse_port(value))]
    image = command.image if literal(command.image) else None
    owner = f"`{name}`" if name else f"a container of `{image or '?'}`"
    session.published.extend(Published(port, step.place(word), owner) for port, word in ports)
    if not create:
        ok = session.check_ports(step, ports, name or str(step.place())) and ok
    if image:
        machine.image_there(normalize_image(image), step.place())
    if not made:
        return
    detached = command.has_option("-d", "--detach")
    interactive = command.has_option("-i", "-t", "--interactive", "--tty")
    auto_remove = command.has_option("--rm")
    if not create and not detached and auto_remove:
        return  # a foreground `--rm` run ends with its command, and takes its container with it
    state: State = "stopped" if create or not (detached or interactive) else "running" if detached else "unknown"
    container = Container(
        name=name if literal(name) else None,
        image=normalize_image(image) if image else None,
        origin=step.place(name_word),
        ports=tuple(port for port, _ in ports),
        state=state,
        auto_remove=auto_remove,
        networks=frozenset(networks),
        volumes=volumes,
        since=step.place() if state == "stopped" else None,
    )
    if name and not literal(name):
        container.pattern = shell_pattern(name)
        machine.forget_names()  # `--name "web$n"`: any name may now be taken
    if not ok:
        container.forget()  # it failed: the student had to do something the course does not say
    machine.add(container)


def shell_pattern(text: str) -> str:
    """Return a regular expression for the values of a word the shell expands (`web$n` → `web.*`)."""
    parts = re.split(r"\$\{[^}]*\}|\$\([^)]*\)|\$\w+|`[^`]*`", text)
    return ".*".join(re.escape(part) for part in parts)


def _named_volumes(command: DockerCommand) -> Iterator[str]:
    """Yield the named volumes of `-v name:/path` and `--mount type=volume,source=name`."""
    for value in command.option_values("-v", "--volume"):
        source, colon, _ = value.partition(":")
        if colon and source and literal(source) and not source.startswith((".", "/", "~")) and "/" not in source:
            yield source
    for value in command.option_values("--mount"):
        fields = dict(part.partition("=")[::2] for part in value.split(","))
        source = fields.get("source") or fields.get("src") or ""
        if fields.get("type", "volume") == "volume" and literal(source):
            yield source


def start(session: Session, step: Command) -> None:
    """`docker start` / `restart`: running again, if its ports are still free."""
    command = step.command
    attached = command.has_option("-a", "-i", "--attach", "--interactive")
    for container in _acted_on(session, step, forget=True):
        if container.state == "stopped" and container.certain:
            free = session.check_ports(step, [(port, None) for port in container.ports], container.name or "", (container,))
            container.state = "running" if free else "unknown"
        if attached:
            container.state = "unknown"


def stop(session: Session, step: Command) -> None:
    """`docker stop` / `kill`: stopped, and gone if it was started with `--rm`."""
    running = step.command.canonical == ("container", "kill")
    for container in _acted_on(session, step, running=running, forget=True):
        _stopped(session, container, step)


def _stopped(session: Session, container: Container, step: Command) -> None:
    if container.auto_remove:
        session.machine.remove(container, step.place())
    else:
        container.state, container.since = "stopped", step.place()


def remove(session: Session, step: Command) -> None:
    """`docker rm`: gone (a running container only with `-f`)."""
    command, machine = step.command, session.machine
    force = command.has_option("-f", "--force")
    for word in command.arguments:
        scope = substitution_scope(command, word)
        if scope is not None:
            for container in list(machine.containers):
                if scope == "all" or container.state == "running":
                    _remove_one(session, container, step, force)
                elif container.state == "unknown" and force:
                    container.forget()  # removed if it was running
            continue
        named = machine.named(word.text)
        if force and named is not None:
            machine.remove(named, step.place())  # whatever we knew of it, it is gone now
            continue
        if force:  # `rm -f` of a container that is not there only warns (docker 20.10 and later)
            found, maybe = None, machine.lookup(word.text).maybe
        else:
            found, maybe = session.target(step, word)
        if found is not None:
            _remove_one(session, found, step, force)
        for container in _narrowed(command, word, maybe):
            container.forget()


def _remove_one(session: Session, container: Container, step: Command, force: bool) -> None:
    if force or container.state == "stopped":
        session.machine.remove(container, step.place())
    else:
        container.forget()  # not surely stopped: docker refuses a running one, removes a stopped one


def rename(session: Session, step: Command) -> None:
    """`docker rename OLD NEW`."""
    command, machine = step.command, session.machine
    if len(command.arguments) != 2:
        return
    old, new = command.arguments
    found, maybe = session.target(step, old)
    if not literal(new.text) or not session.check_name(step, new.text, new):
        return
    for container in maybe:
        container.forget()
    machine.removed.pop(new.text, None)
    if found is not None:
        found.name = new.text
        machine.removed[old.text] = step.place(old)


def use(session: Session, step: Command) -> None:
    """Commands that need the container to exist (`logs`, `cp`, `diff`, `commit` …), or to run (`exec`, `top` …)."""
    command = step.command
    running = command.canonical[-1] in ("exec", "attach", "top", "pause")
    words = command.arguments if command.canonical[-1] in _EVERY_ARGUMENT else command.arguments[:1]
    if command.canonical[-1] == "cp":
        words = tuple(Word(w.text.split(":", 1)[0], w.start, w.end, w.quoted, w.expands) for w in command.arguments
                      if ":" in w.text and not w.text.startswith((".", "/", "~")))
    elif command.canonical[-1] == "commit" and len(command.arguments) == 2 and literal(command.arguments[1].text):
        session.machine.image_there(normalize_image(command.arguments[1].text), step.place())
    for word in words:
        if substitution_scope(command, word) is None and "$(" not in word.text:
            session.target(step, word, running=running)


_EVERY_ARGUMENT = frozenset(("stats", "wait", "pause", "unpause", "update"))


def prune(session: Session, step: Command) -> None:
    """`docker container prune` (and the containers of `docker system prune`): every stopped container."""
    machine = session.machine
    for container in list(machine.containers):
        if container.state == "stopped" and container.certain:
            machine.remove(container, step.place())
        elif container.state != "running":
            container.forget()


def _acted_on(session: Session, step: Command, running: bool = False, forget: bool = False) -> Iterator[Container]:
    """Yield the containers a command's arguments surely name; forget those they may name."""
    command, machine = step.command, session.machine
    for word in command.arguments:
        scope = substitution_scope(command, word)
        if scope is not None:
            yield from [c for c in machine.containers if scope == "all" or c.state != "stopped"]
            continue
        found, maybe = session.target(step, word, running=running)
        if found is not None:
            yield found
        if forget:
            for container in _narrowed(command, word, maybe):
                container.forget()


def substitution_scope(command: DockerCommand, word: Word) -> Scope | None:
    """Return which containers a `$(docker ps -q)` word stands for: all of them (`-a`), the running ones, or None."""
    text = word.text.strip()
    if not (text.startswith("$(") and text.endswith(")")) and not (text.startswith("`") and text.endswith("`")):
        return None
    inside = [s for s in command.substitutions if word.start <= s.words[0].start < word.end]
    if len(inside) != 1 or inside[0].canonical != ("container", "ls") or inside[0].in_pipeline or inside[0].arguments:
        return None
    names = {option.name for option in inside[0].all_options}
    if not names <= {"-a", "--all", "-q", "--quiet"}:
        return None
    return "all" if names & {"-a", "--all"} else "running"


def _narrowed(command: DockerCommand, word: Word, maybe: tuple[Container, ...]) -> tuple[Container, ...]:
    """Return the containers a word may name: a `$(docker ps -q --filter name=x)` only those whose name has `x`."""
    if "$(" not in word.text and "`" not in word.text:
        return maybe
    for inner in command.substitutions:
        if word.start <= inner.words[0].start < word.end and inner.canonical == ("container", "ls"):
            wanted = [value.removeprefix("name=") for value in inner.option_values("--filter", "-f") if value.startswith("name=")]
            if wanted:
                return tuple(c for c in maybe if c.name is None or any(w in c.name for w in wanted))
    return maybe


HANDLERS: dict[tuple[str, ...], Handler] = {
    ("container", "run"): run,
    ("container", "create"): run,
    ("container", "start"): start,
    ("container", "restart"): start,
    ("container", "stop"): stop,
    ("container", "kill"): stop,
    ("container", "rm"): remove,
    ("container", "rename"): rename,
    ("container", "prune"): prune,
    **{("container", name): use for name in ("exec", "attach", "top", "pause", "unpause", "logs", "port", "cp", "diff",
                                             "commit", "stats", "wait", "update", "export")},
}
