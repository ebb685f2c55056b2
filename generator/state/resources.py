"""What image, network, volume, system, swarm and service commands do to the machine."""

from __future__ import annotations

from collections.abc import Callable

from generator.docker.shell import Word
from generator.state import containers
from generator.state.machine import HostPort, Thing, normalize_image
from generator.state.session import Published, Session, literal, option_words
from generator.state.walk import Command

Handler = Callable[[Session, Command], None]

# --- images -------------------------------------------------------------------------------


def _image_words(step: Command) -> list[Word]:
    return [word for word in step.command.arguments if literal(word.text)]


def need_image(session: Session, step: Command, word: Word) -> bool:
    """Report an image the course surely removed; return whether it may be there."""
    machine = session.machine
    tag = normalize_image(word.text)
    gone = machine.images_removed.get(tag)
    if gone is None:
        return True
    session.report("AU610", step, word, f"image `{word.text}` is not there any more: it was removed at {gone}", gone)
    machine.images_removed.pop(tag)  # reported once
    return False


def pull(session: Session, step: Command) -> None:
    for word in _image_words(step)[:1]:
        session.machine.image_there(normalize_image(word.text), step.place(word))


def build(session: Session, step: Command) -> None:
    """`docker build -t name`: the image is there; the images it is built from may be too."""
    machine = session.machine
    for value, word in option_words(step.command, "-t", "--tag"):
        if literal(value):
            machine.image_there(normalize_image(value), step.place(word))
    machine.forget_images()  # the classic builder keeps the base images, BuildKit does not


def tag(session: Session, step: Command) -> None:
    words = _image_words(step)
    if len(words) == 2 and need_image(session, step, words[0]):
        session.machine.tag(normalize_image(words[0].text), normalize_image(words[1].text), step.place(words[1]))


def use_image(session: Session, step: Command) -> None:
    """`push`, `history`, `image inspect`: the image must be there."""
    for word in _image_words(step)[:1] if step.command.canonical[-1] != "inspect" else _image_words(step):
        need_image(session, step, word)


def save(session: Session, step: Command) -> None:
    words = _image_words(step)
    present = [word for word in words if need_image(session, step, word)]
    outputs = step.command.option_values("-o", "--output")
    if outputs and len(present) == len(words):
        session.machine.archives[outputs[-1]] = tuple(normalize_image(word.text) for word in words)


def load(session: Session, step: Command) -> None:
    machine = session.machine
    inputs = step.command.option_values("-i", "--input")
    tags = machine.archives.get(inputs[-1]) if inputs else None
    if tags is None:
        machine.forget_images()  # an archive the course did not make: it may hold anything
        return
    for name in tags:
        machine.image_there(name, step.place())


def remove_image(session: Session, step: Command) -> None:
    """`docker rmi`: untagged, unless a container still uses it (and it has no other tag)."""
    machine = session.machine
    force = step.command.has_option("-f", "--force")
    for word in _image_words(step):
        if not need_image(session, step, word):
            continue
        name = normalize_image(word.text)
        users = machine.image_users(name)
        if users and not machine.other_tags(name) and not force:
            user = users[0]
            session.report("AU605", step, word, f"image `{word.text}` is still used by {user.describe()}: "
                           f"remove the container first (`docker rm {user.name or '…'}`)", user.origin)
            continue
        machine.untag(name, step.place(word))


def prune_images(session: Session, step: Command, every: bool | None = None) -> None:
    """`docker image prune -a`: every image no container uses (without `-a`, only untagged ones).

    A course often shows this one without having it run in class (it asks
    for confirmation, and it deletes the images pulled for later chapters):
    the images it would delete are forgotten, not recorded as deleted.
    """
    machine = session.machine
    if not (every if every is not None else step.command.has_option("-a", "--all")):
        return
    used = {c.image for c in machine.containers}
    for name in list(machine.images):
        if name not in used:
            del machine.images[name]


# --- networks and volumes -------------------------------------------------------------------


def network_create(session: Session, step: Command) -> None:
    command, machine = step.command, session.machine
    if not command.arguments or not literal(command.arguments[-1].text):
        return
    word = command.arguments[-1]
    drivers = command.option_values("-d", "--driver")
    if drivers and drivers[-1] == "overlay" and not session.need_swarm(step):
        return
    existing = machine.networks.get(word.text)
    if existing is not None and existing.certain:
        session.report("AU601", step, word, f"network `{word.text}` already exists: it was created at {existing.origin}",
                       existing.origin)
        return
    machine.make("network", word.text, step.place(word))


def network_remove(session: Session, step: Command) -> None:
    command, machine = step.command, session.machine
    force = command.has_option("-f", "--force")
    for word in command.arguments:
        if not literal(word.text) or not force and not session.need_network(step, word.text, word):
            continue
        if any(c.state != "stopped" for c in machine.users_of("network", word.text)):
            thing = machine.networks.get(word.text)
            if thing is not None:
                thing.certain = False  # docker refuses while a running container is attached
            continue
        machine.drop("network", word.text, step.place(word))


def network_use(session: Session, step: Command) -> None:
    """`network connect|disconnect NETWORK CONTAINER`, `network inspect NETWORK…`."""
    command = step.command
    words = command.arguments
    if command.canonical[-1] == "inspect":
        for word in words:
            session.need_network(step, word.text, word)
        return
    if len(words) != 2:
        return
    session.need_network(step, words[0].text, words[0])
    found, _ = session.target(step, words[1])
    if found is not None and literal(words[0].text):
        if command.canonical[-1] == "connect":
            found.networks = found.networks | {words[0].text}
        else:
            found.networks = found.networks - {words[0].text}


def prune_networks(session: Session, step: Command) -> None:
    machine = session.machine
    for name in list(machine.networks):
        if not machine.users_of("network", name):
            machine.drop("network", name, step.place())


def volume_create(session: Session, step: Command) -> None:
    command = step.command
    if command.arguments and literal(command.arguments[-1].text):
        session.machine.make("volume", command.arguments[-1].text, step.place(command.arguments[-1]))


def volume_remove(session: Session, step: Command) -> None:
    command, machine = step.command, session.machine
    force = command.has_option("-f", "--force")
    for word in command.arguments:
        if not literal(word.text) or not force and not session.need_volume(step, word.text, word):
            continue
        users = [c for c in machine.users_of("volume", word.text) if c.certain]
        if users:
            session.report("AU608", step, word, f"volume `{word.text}` is still used by {users[0].describe()}: "
                           "remove the container first", users[0].origin)
            continue
        machine.drop("volume", word.text, step.place(word))


def volume_inspect(session: Session, step: Command) -> None:
    for word in step.command.arguments:
        session.need_volume(step, word.text, word)


def prune_volumes(session: Session, step: Command, every: bool = False) -> None:
    """`docker volume prune`: unused anonymous volumes; named ones with `-a` (and before docker 23, always)."""
    machine = session.machine
    every = every or step.command.has_option("-a", "--all")
    for name in list(machine.volumes):
        if not machine.users_of("volume", name):
            if every:
                machine.drop("volume", name, step.place())
            else:
                machine.volumes[name].certain = False


def system_prune(session: Session, step: Command) -> None:
    """`docker system prune`: stopped containers, unused networks, dangling (`-a`: unused) images, (`--volumes`) volumes."""
    containers.prune(session, step)
    prune_networks(session, step)
    prune_images(session, step, every=step.command.has_option("-a", "--all"))
    if step.command.has_option("--volumes"):
        prune_volumes(session, step)


# --- swarm ------------------------------------------------------------------------------------


def swarm_init(session: Session, step: Command) -> None:
    machine = session.machine
    if machine.swarm is True:
        session.report("AU609", step, None, f"this machine is already in a swarm (`docker swarm init` at {machine.swarm_origin}): "
                       "`docker swarm leave --force` first", machine.swarm_origin)
        return
    machine.swarm, machine.swarm_origin = True, step.place()


def swarm_join(session: Session, step: Command) -> None:
    machine = session.machine
    if machine.swarm is False:  # this machine joins someone's swarm, as a worker or a manager: cannot tell
        machine.swarm = None
    # Otherwise another machine joins this one's swarm: nothing changes here.


def swarm_leave(session: Session, step: Command) -> None:
    machine = session.machine
    if machine.swarm is False:
        session.need_swarm(step)
    elif step.command.has_option("-f", "--force") or machine.swarm is None:
        machine.leave_swarm()
        machine.swarm_origin = step.place()
    # A manager leaves only with `--force`: without it, the course means a worker, another machine.


def swarm_only(session: Session, step: Command) -> None:
    session.need_swarm(step)


def service_ports(step: Command) -> list[tuple[HostPort, Word]]:
    """Return the ports a service publishes on the routing mesh (`-p 8080:80`, `-p published=8080,target=80`)."""
    found = []
    for value, word in option_words(step.command, "-p", "--publish"):
        if "=" in value:
            fields = dict(part.partition("=")[::2] for part in value.split(","))
            published = fields.get("published", "")
            if fields.get("mode", "ingress") == "ingress" and published.isdigit():
                found.append((HostPort(int(published), fields.get("protocol", "tcp")), word))
        else:
            host, colon, rest = value.partition(":")
            if colon and host.isdigit():
                found.append((HostPort(int(host), rest.partition("/")[2] or "tcp"), word))
    return found


def check_ingress(session: Session, step: Command, ports: list[tuple[HostPort, Word | None]], besides: set[str]) -> bool:
    free = True
    for port, word in ports:
        holder = session.machine.ingress_holder(port, besides)
        if holder is not None:
            name, service = holder
            session.report("AU602", step, word, f"port {port} is still published by service `{name}` ({service.origin})",
                           service.origin)
            free = False
    return free


def service_create(session: Session, step: Command) -> None:
    if not session.need_swarm(step):
        return
    machine = session.machine
    names = option_words(step.command, "--name")
    ports = service_ports(step)
    session.published.extend(Published(port, step.place(word), "service") for port, word in ports)
    free = check_ingress(session, step, list(ports), set())
    if step.command.image and literal(step.command.image):
        machine.images_removed.pop(normalize_image(step.command.image), None)
    if not names or not literal(names[-1][0]):
        return
    name, word = names[-1]
    existing = machine.services.get(name)
    if existing is not None and existing.certain:
        session.report("AU601", step, word, f"service `{name}` already exists: it was created at {existing.origin}", existing.origin)
        return
    machine.services[name] = Thing(step.place(word), certain=free, ports=tuple(port for port, _ in ports))
    machine.services_removed.pop(name, None)


def service_use(session: Session, step: Command) -> None:
    """`service rm|scale|update|rollback|ps|inspect|logs`: the service must exist."""
    if not session.need_swarm(step):
        return
    command, machine = step.command, session.machine
    words = command.arguments if command.canonical[-1] in ("rm", "scale", "ps", "inspect") else command.arguments[-1:]
    for word in words:
        name = word.text.split("=")[0]
        gone = machine.services_removed.get(name)
        if gone is not None and name not in machine.services:
            session.report("AU603", step, word, f"service `{name}` does not exist: it was removed at {gone}", gone)
            machine.services_removed.pop(name)
        elif command.canonical[-1] == "rm" and literal(name):
            if machine.services.pop(name, None) is not None:
                machine.services_removed[name] = step.place(word)


def stack_remove(session: Session, step: Command) -> None:
    if not session.need_swarm(step):
        return
    machine = session.machine
    for word in step.command.arguments:
        machine.stacks.pop(word.text, None)
        for name in [name for name, service in machine.services.items() if service.stack == word.text]:
            del machine.services[name]
            machine.services_removed[name] = step.place(word)


def context_use(session: Session, step: Command) -> None:
    """`docker context use NAME`: the next commands go to another engine, with its own containers."""
    if step.command.arguments and literal(step.command.arguments[0].text):
        session.context = step.command.arguments[0].text


HANDLERS: dict[tuple[str, ...], Handler] = {
    ("image", "pull"): pull,
    ("image", "build"): build,
    ("buildx", "build"): build,
    ("image", "tag"): tag,
    ("image", "push"): use_image,
    ("image", "history"): use_image,
    ("image", "inspect"): use_image,
    ("image", "save"): save,
    ("image", "load"): load,
    ("image", "rm"): remove_image,
    ("image", "prune"): prune_images,
    ("network", "create"): network_create,
    ("network", "rm"): network_remove,
    ("network", "connect"): network_use,
    ("network", "disconnect"): network_use,
    ("network", "inspect"): network_use,
    ("network", "prune"): prune_networks,
    ("volume", "create"): volume_create,
    ("volume", "rm"): volume_remove,
    ("volume", "inspect"): volume_inspect,
    ("volume", "prune"): prune_volumes,
    ("system", "prune"): system_prune,
    ("swarm", "init"): swarm_init,
    ("swarm", "join"): swarm_join,
    ("swarm", "leave"): swarm_leave,
    ("service", "create"): service_create,
    ("stack", "rm"): stack_remove,
    ("context", "use"): context_use,
    **{("swarm", name): swarm_only for name in ("join-token", "update", "unlock", "unlock-key", "ca")},
    **{("service", name): service_use for name in ("rm", "scale", "update", "rollback", "ps", "inspect", "logs")},
    **{("stack", name): swarm_only for name in ("ls", "ps", "services", "config")},
    **{(group, name): swarm_only for group in ("secret", "config") for name in ("create", "rm", "ls", "inspect")},
    **{("node", name): swarm_only for name in ("ls", "inspect", "update", "promote", "demote", "rm", "ps")},
}
