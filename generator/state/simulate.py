"""Run the course's docker commands, in reading order, on a simulated machine.

`simulate` walks the course (`walk.py`), hands each docker command to the
handler of its command (`containers.py`, `resources.py`, `compose.py`) and
returns the problems found, the host ports published on the way (for the
classroom kit) and what is still running at the end of the course.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model import Course
from generator.state import compose, containers, resources
from generator.state.machine import Machine, Problem
from generator.state.session import Published, Session
from generator.state.walk import Command, File, Reset, Step, walk_course

HANDLERS = {**containers.HANDLERS, **resources.HANDLERS, **compose.HANDLERS}
_ELSEWHERE = ("-H", "--host", "-c", "--context")  # the command talks to another engine
_ELSEWHERE_VARIABLES = ("DOCKER_HOST=", "DOCKER_CONTEXT=")


@dataclass(frozen=True, slots=True)
class Simulation:
    """What the simulation found: failing commands, what is left at the end, and the ports the course publishes."""

    problems: tuple[Problem, ...]
    leftovers: tuple[Problem, ...]
    published: tuple[Published, ...]
    compose_used: tuple[tuple[int, File], ...] = ()  # (step index, compose file) of each `compose up` and `stack deploy`


def simulate(course: Course, per_chapter: bool = False, steps: Sequence[Step] | None = None) -> Simulation:
    """Return the simulation of the course; `per_chapter` starts each chapter on a clean machine.

    `steps` are the course's steps in reading order, if the caller has them already.
    """
    steps = steps if steps is not None else list(walk_course(course, per_chapter))
    session = Session(steps)
    for index, step in enumerate(steps):
        session.index = index
        if isinstance(step, Reset):
            session.reset()
        elif isinstance(step, File):
            session.files.append(step)
        elif isinstance(step, Command):
            run(session, step)
    leftovers = [problem for machine in session.machines.values() for problem in left_running(machine)]
    return Simulation(tuple(session.problems), tuple(leftovers), tuple(session.published), tuple(session.compose_used))


def run(session: Session, step: Command) -> None:
    """Run one docker command on the session's machine."""
    command = step.command
    if any(option.name in _ELSEWHERE for option in command.global_options):
        return
    if any(word.text.startswith(_ELSEWHERE_VARIABLES) for word in command.assignments):
        return
    handler = HANDLERS.get(command.canonical)
    if handler is not None:
        handler(session, step)


def left_running(machine: Machine) -> list[Problem]:
    """Return what is still running on a machine: containers, compose projects, services, stacks, swarm mode."""
    found: list[Problem] = []
    projects: set[str] = set()
    for container in machine.containers:
        if not container.certain or container.state != "running":
            continue
        if container.project:
            if container.project not in projects:
                projects.add(container.project)
                found.append(Problem("AU611", container.origin, f"the compose project brought up at {container.origin} is still up "
                                     "at the end of the course: end with `docker compose down`"))
            continue
        what = f"`{container.name}`" if container.name else f"a container of `{container.image}`"
        plural = "s" if len(container.ports) > 1 else ""
        ports = f", publishing port{plural} {', '.join(map(str, container.ports))}" if container.ports else ""
        fix = f"`docker rm -f {container.name}`" if container.name else "`docker rm -f $(docker ps -aq)`"
        found.append(Problem("AU611", container.origin, f"{what} is still running at the end of the course{ports}: end with {fix}"))
    stacks = set()
    for name, service in machine.services.items():
        if service.stack:
            if service.stack not in stacks and service.stack in machine.stacks:
                stacks.add(service.stack)
                found.append(Problem("AU611", machine.stacks[service.stack].origin, f"stack `{service.stack}` is still deployed "
                                     f"at the end of the course: end with `docker stack rm {service.stack}`"))
        elif service.certain:
            found.append(Problem("AU611", service.origin, f"service `{name}` is still running at the end of the course: "
                                 f"end with `docker service rm {name}`"))
    if machine.swarm is True and machine.swarm_origin is not None:
        found.append(Problem("AU611", machine.swarm_origin, "this machine is still in swarm mode at the end of the course: "
                             "end with `docker swarm leave --force`"))
    return found
