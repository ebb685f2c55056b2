"""Write `generator/docker/data/docker-cli.json` from the installed docker client's help.

Run it with a docker client on the PATH (no engine needed):

    python scripts/docker_cli_data.py            # rewrite the data file
    python scripts/docker_cli_data.py --check    # exit 1 if the file is out of date

It walks `docker --help` and every `docker <command> --help`, and records for
each command its flags (and whether each takes a value) and how many
positional arguments its `Usage:` line allows, and, when docker calls the
command by another name first (`docker run` is `docker container run`), that
canonical name. Three things the help does not
show are added by hand below, each from Docker's CLI reference: flags that are
accepted but hidden, the BuildKit (`docker buildx build`) flags that `docker
build` takes when buildx is installed, and the Compose v2 `docker compose`
commands. The client version is recorded in the file.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "generator" / "docker" / "data" / "docker-cli.json"

# Commands whose flags end at the first positional argument (pflag's
# SetInterspersed(false)): what follows the image or container is its command.
STOP_AT_FIRST_ARG = {"container run", "container create", "container exec", "service create"}

# Flags the client accepts but hides from --help (deprecated spellings that old
# notes still use). From the docker CLI reference.
HIDDEN_FLAGS: dict[str, dict[str, str]] = {
    "container run": {"--net": "network", "--net-alias": "list"},
    "container create": {"--net": "network", "--net-alias": "list"},
    "network connect": {"--link": "list"},
}

# `docker build` is `docker buildx build` when buildx is installed (the default
# with Docker Desktop and the docker-ce packages). Flags from the buildx build reference.
BUILDX_BUILD_FLAGS = {
    "--allow": "list",
    "--annotation": "stringArray",
    "--attest": "stringArray",
    "--build-context": "stringArray",
    "--builder": "string",
    "--cache-to": "stringArray",
    "--call": "string",
    "--check": "",
    "--load": "",
    "--metadata-file": "string",
    "--no-cache-filter": "stringArray",
    "-o": "stringArray",
    "--output": "stringArray",
    "--progress": "string",
    "--provenance": "string",
    "--push": "",
    "--sbom": "string",
    "--secret": "stringArray",
    "--shm-size": "bytes",
    "--ssh": "stringArray",
    "--debug": "",
}

BUILDX_COMMANDS: dict[str, dict] = {
    "buildx": {"group": True},
    "buildx build": {"args": [1, 1], "flags": "build"},  # same flags as `docker build`
    "buildx bake": {"args": [0, None], "flags": {"-f": "stringArray", "--file": "stringArray", "--load": "", "--push": "",
                                                 "--no-cache": "", "--pull": "", "--print": "", "--progress": "string",
                                                 "--set": "stringArray", "--builder": "string", "--call": "string",
                                                 "--check": "", "--list": "string", "--metadata-file": "string",
                                                 "--provenance": "string", "--sbom": "string", "--allow": "stringArray"}},
    "buildx create": {"args": [0, 1], "flags": {"--name": "string", "--driver": "string", "--driver-opt": "stringArray",
                                                "--use": "", "--bootstrap": "", "--platform": "stringArray",
                                                "--append": "", "--leave": "", "--node": "string",
                                                "--buildkitd-flags": "string", "--buildkitd-config": "string",
                                                "--config": "string"}},
    "buildx use": {"args": [1, 1], "flags": {"--default": "", "--global": ""}},
    "buildx ls": {"args": [0, 0], "flags": {"--format": "string", "--no-trunc": ""}},
    "buildx inspect": {"args": [0, 1], "flags": {"--bootstrap": ""}},
    "buildx rm": {"args": [0, None], "flags": {"--all-inactive": "", "-f": "", "--force": "", "--keep-daemon": "",
                                               "--keep-state": ""}},
    "buildx stop": {"args": [0, 1], "flags": {}},
    "buildx prune": {"args": [0, 0], "flags": {"-a": "", "--all": "", "-f": "", "--force": "", "--filter": "filter",
                                               "--verbose": ""}},
    "buildx du": {"args": [0, 0], "flags": {"--filter": "filter", "--verbose": ""}},
    "buildx version": {"args": [0, 0], "flags": {}},
    "buildx imagetools": {"group": True},
    "buildx imagetools create": {"args": [0, None], "flags": {"-t": "stringArray", "--tag": "stringArray",
                                                              "-f": "stringArray", "--file": "stringArray",
                                                              "--append": "", "--dry-run": "",
                                                              "--annotation": "stringArray"}},
    "buildx imagetools inspect": {"args": [1, 1], "flags": {"--format": "string", "--raw": ""}},
}

# Docker Compose v2 (`docker compose …`), from the Compose CLI reference.
COMPOSE_GLOBAL_FLAGS = {
    "--all-resources": "",
    "--ansi": "string",
    "--compatibility": "",
    "--dry-run": "",
    "--env-file": "stringArray",
    "-f": "stringArray",
    "--file": "stringArray",
    "--parallel": "int",
    "--profile": "stringArray",
    "--progress": "string",
    "--project-directory": "string",
    "-p": "string",
    "--project-name": "string",
}

_SERVICES = [0, None]
COMPOSE_COMMANDS: dict[str, dict] = {
    "attach": {"args": [1, 1], "flags": {"--detach-keys": "string", "--index": "int", "--no-stdin": "", "--sig-proxy": ""}},
    "build": {"args": _SERVICES, "flags": {"--build-arg": "stringArray", "--builder": "string", "--check": "",
                                           "-m": "bytes", "--memory": "bytes", "--no-cache": "", "--pull": "",
                                           "--push": "", "-q": "", "--quiet": "", "--ssh": "string",
                                           "--with-dependencies": "", "--print": "", "--provenance": "string",
                                           "--sbom": "string"}},
    "commit": {"args": [1, 2], "flags": {"-a": "string", "--author": "string", "-c": "list", "--change": "list",
                                         "--index": "int", "-m": "string", "--message": "string", "-p": "",
                                         "--pause": ""}},
    "config": {"args": _SERVICES, "flags": {"--environment": "", "--format": "string", "--hash": "string",
                                            "--images": "", "--no-consistency": "", "--no-interpolate": "",
                                            "--no-normalize": "", "--no-path-resolution": "", "-o": "string",
                                            "--output": "string", "--profiles": "", "-q": "", "--quiet": "",
                                            "--resolve-image-digests": "", "--services": "", "--variables": "",
                                            "--volumes": "", "--networks": "", "--models": ""}},
    "cp": {"args": [2, 2], "flags": {"-a": "", "--archive": "", "--all": "", "-L": "", "--follow-link": "",
                                     "--index": "int"}},
    "create": {"args": _SERVICES, "flags": {"--build": "", "--force-recreate": "", "--no-build": "",
                                            "--no-recreate": "", "--pull": "string", "--quiet-pull": "",
                                            "--remove-orphans": "", "--scale": "stringArray", "-y": "", "--yes": ""}},
    "down": {"args": _SERVICES, "flags": {"--remove-orphans": "", "--rmi": "string", "-t": "int", "--timeout": "int",
                                          "-v": "", "--volumes": ""}},
    "events": {"args": _SERVICES, "flags": {"--json": "", "--since": "string", "--until": "string"}},
    "exec": {"args": [2, None], "stop_at_first_arg": True,
             "flags": {"-d": "", "--detach": "", "-e": "stringArray", "--env": "stringArray", "--index": "int",
                       "-T": "", "--no-TTY": "", "--privileged": "", "-u": "string", "--user": "string",
                       "-w": "string", "--workdir": "string", "-i": "", "--interactive": "", "-t": "", "--tty": ""}},
    "export": {"args": [1, 1], "flags": {"--index": "int", "-o": "string", "--output": "string"}},
    "images": {"args": _SERVICES, "flags": {"--format": "string", "-q": "", "--quiet": ""}},
    "kill": {"args": _SERVICES, "flags": {"--remove-orphans": "", "-s": "string", "--signal": "string"}},
    "logs": {"args": _SERVICES, "flags": {"-f": "", "--follow": "", "--index": "int", "--no-color": "",
                                          "--no-log-prefix": "", "--since": "string", "-n": "string",
                                          "--tail": "string", "-t": "", "--timestamps": "", "--until": "string"}},
    "ls": {"args": [0, 0], "flags": {"-a": "", "--all": "", "--filter": "filter", "--format": "string", "-q": "",
                                     "--quiet": ""}},
    "pause": {"args": _SERVICES, "flags": {}},
    "port": {"args": [2, 2], "flags": {"--index": "int", "--protocol": "string"}},
    "ps": {"args": _SERVICES, "flags": {"-a": "", "--all": "", "--filter": "string", "--format": "string",
                                        "--no-trunc": "", "--orphans": "", "-q": "", "--quiet": "", "--services": "",
                                        "--status": "stringArray"}},
    "publish": {"args": [1, 1], "flags": {"--oci-version": "string", "--resolve-image-digests": "",
                                          "--with-env": "", "-y": "", "--yes": ""}},
    "pull": {"args": _SERVICES, "flags": {"--ignore-buildable": "", "--ignore-pull-failures": "",
                                          "--include-deps": "", "--policy": "string", "-q": "", "--quiet": ""}},
    "push": {"args": _SERVICES, "flags": {"--ignore-push-failures": "", "--include-deps": "", "-q": "",
                                          "--quiet": ""}},
    "restart": {"args": _SERVICES, "flags": {"--no-deps": "", "-t": "int", "--timeout": "int"}},
    "rm": {"args": _SERVICES, "flags": {"-f": "", "--force": "", "-s": "", "--stop": "", "-v": "", "--volumes": ""}},
    "run": {"args": [1, None], "stop_at_first_arg": True,
            "flags": {"--build": "", "--cap-add": "list", "--cap-drop": "list", "-d": "", "--detach": "",
                      "--entrypoint": "string", "-e": "stringArray", "--env": "stringArray",
                      "--env-from-file": "stringArray", "-i": "", "--interactive": "", "-l": "stringArray",
                      "--label": "stringArray", "--name": "string", "-T": "", "--no-TTY": "", "--no-deps": "",
                      "-p": "stringArray", "--publish": "stringArray", "--pull": "string", "--quiet": "",
                      "--quiet-build": "", "--quiet-pull": "", "--remove-orphans": "", "--rm": "", "-P": "",
                      "--service-ports": "", "--use-aliases": "", "-u": "string", "--user": "string",
                      "-v": "stringArray", "--volume": "stringArray", "-w": "string", "--workdir": "string",
                      "-t": "", "--tty": ""}},
    "scale": {"args": [1, None], "flags": {"--no-deps": ""}},
    "start": {"args": _SERVICES, "flags": {"--wait": "", "--wait-timeout": "int"}},
    "stats": {"args": [0, 1], "flags": {"-a": "", "--all": "", "--format": "string", "--no-stream": "",
                                        "--no-trunc": ""}},
    "stop": {"args": _SERVICES, "flags": {"-t": "int", "--timeout": "int"}},
    "top": {"args": _SERVICES, "flags": {}},
    "unpause": {"args": _SERVICES, "flags": {}},
    "up": {"args": _SERVICES, "flags": {"--abort-on-container-exit": "", "--abort-on-container-failure": "",
                                        "--always-recreate-deps": "", "--attach": "stringArray",
                                        "--attach-dependencies": "", "--build": "", "-d": "", "--detach": "",
                                        "--exit-code-from": "string", "--force-recreate": "", "--menu": "",
                                        "--no-attach": "stringArray", "--no-build": "", "--no-color": "",
                                        "--no-deps": "", "--no-log-prefix": "", "--no-recreate": "",
                                        "--no-start": "", "--pull": "string", "--quiet-build": "",
                                        "--quiet-pull": "", "--remove-orphans": "", "-V": "",
                                        "--renew-anon-volumes": "", "--scale": "stringArray", "-t": "int",
                                        "--timeout": "int", "--timestamps": "", "--wait": "",
                                        "--wait-timeout": "int", "-w": "", "--watch": "", "-y": "", "--yes": ""}},
    "version": {"args": [0, 0], "flags": {"-f": "string", "--format": "string", "--short": ""}},
    "volumes": {"args": _SERVICES, "flags": {"--format": "string", "-q": "", "--quiet": ""}},
    "wait": {"args": [1, None], "flags": {"--down-project": ""}},
    "watch": {"args": _SERVICES, "flags": {"--no-up": "", "--prune": "", "--quiet": ""}},
}
COMPOSE_ALIASES = {"convert": "config"}

_FLAG_LINE = re.compile(r"^\s{2,}(?:(-[A-Za-z0-9]), )?(--[\w-]+)(?: ([a-zA-Z][\w.-]*))?(?:\s{2,}|$)")
_COMMAND_LINE = re.compile(r"^\s{2}([a-z][\w-]*)\s{2,}\S")


def docker_help(path: tuple[str, ...]) -> str:
    result = subprocess.run(["docker", *path, "--help"], capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def parse_flags(text: str, heading: str = "Options:") -> dict[str, str]:
    """Return `{flag: type}` for the flags listed under `heading` ("" for a boolean)."""
    flags: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        if line.strip() == heading:
            inside = True
            continue
        if inside and line and not line.startswith(" "):
            break
        match = _FLAG_LINE.match(line) if inside else None
        if match:
            short, long, kind = match.groups()
            kind = "" if kind in (None, "bool") else kind
            flags[long] = kind
            if short:
                flags[short] = kind
    return flags


def parse_subcommands(text: str) -> list[str]:
    names: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.endswith("Commands:"):
            inside = True
            continue
        if inside and not line.strip():
            inside = False
            continue
        match = _COMMAND_LINE.match(line) if inside else None
        if match:
            names.append(match.group(1))
    return names


def usage_lines(text: str) -> list[str]:
    """Return the `Usage:` line and any alternative usages indented below it."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("Usage:"):
            lines.append(line[len("Usage:") :].strip())
        elif lines and line.strip().startswith("docker "):
            lines.append(line.strip())
        elif lines:
            break
    return lines


def positional_range(usage: str, path: tuple[str, ...]) -> tuple[int, int | None]:
    """Return (minimum, maximum or None) positional arguments for one `Usage:` line."""
    words = usage.split()
    rest = re.sub(r"\s*\|\s*", "|", " ".join(words[1 + len(path) :]))
    tokens: list[str] = []
    for word in rest.split():  # keep a bracketed group such as `[ps OPTIONS]` in one token
        if tokens and tokens[-1].count("[") > tokens[-1].count("]"):
            tokens[-1] += " " + word
        else:
            tokens.append(word)
    low, high = 0, 0
    for token in tokens:
        if token.upper() in ("[OPTIONS]", "OPTIONS"):
            continue
        repeated = "..." in token or (token.startswith("[") and "OPTIONS" in token)
        if not token.startswith("["):
            low += 1
        high = None if repeated or high is None else high + 1
    return low, high


def arg_range(text: str, path: tuple[str, ...]) -> list:
    ranges = [positional_range(line, path) for line in usage_lines(text)]
    low = min(r[0] for r in ranges)
    high = None if any(r[1] is None for r in ranges) else max(r[1] for r in ranges)
    return [low, high]


def aliases(text: str) -> list[tuple[str, ...]]:
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "Aliases:":
            names = lines[index + 1].split(",")
            return [tuple(name.split()[1:]) for name in names if name.strip()]
    return []


def walk(path: tuple[str, ...], commands: dict[str, dict]) -> None:
    if " ".join(path) in commands:  # already recorded as an alias of another command
        return
    text = docker_help(path)
    subcommands = parse_subcommands(text)
    name = " ".join(path)
    if subcommands and "COMMAND" in (usage_lines(text) or [""])[0]:
        commands[name] = {"group": True, "subcommands": sorted(subcommands)}
        for sub in subcommands:
            walk((*path, sub), commands)
        return
    commands[name] = {"usage": usage_lines(text)[0], "args": arg_range(text, path), "flags": parse_flags(text)}
    names = aliases(text)
    if names and names[0] != path:  # docker lists its own name first: `docker container run, docker run`
        commands[name]["canonical"] = " ".join(names[0])
    for alias in names:
        alias_name = " ".join(alias)
        if alias_name != name and alias_name not in commands:
            commands[alias_name] = {"alias_of": name}


def build_data() -> dict:
    version = subprocess.run(["docker", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    top = docker_help(())
    commands: dict[str, dict] = {}
    for name in parse_subcommands(top):
        if name not in commands:
            walk((name,), commands)
    def canonical(name: str) -> dict:
        return commands[commands[name].get("alias_of", name)]

    for name in STOP_AT_FIRST_ARG:
        canonical(name)["stop_at_first_arg"] = True
    for name, flags in HIDDEN_FLAGS.items():
        canonical(name)["flags"].update(flags)
    canonical_build = canonical("build")
    canonical_build["flags"].update(BUILDX_BUILD_FLAGS)
    for name, entry in BUILDX_COMMANDS.items():
        entry = dict(entry)
        if entry.get("flags") == "build":
            entry["flags"] = canonical_build["flags"]
        commands[name] = entry
    commands["buildx"] = {"group": True, "subcommands": sorted(n.split()[1] for n in BUILDX_COMMANDS if n.count(" ") == 1)}
    commands["buildx imagetools"] = {"group": True, "subcommands": ["create", "inspect"]}
    commands["compose"] = {"group": True, "subcommands": sorted([*COMPOSE_COMMANDS, *COMPOSE_ALIASES]),
                           "flags": COMPOSE_GLOBAL_FLAGS}
    for name, entry in COMPOSE_COMMANDS.items():
        commands[f"compose {name}"] = entry
    for alias, target in COMPOSE_ALIASES.items():
        commands[f"compose {alias}"] = {"alias_of": f"compose {target}"}
    return {
        "comment": "Generated by scripts/docker_cli_data.py from `docker <command> --help`; do not edit by hand.",
        "client": version,
        "sources": [
            f"{version}: `docker --help` and `docker <command> --help`",
            "buildx build flags and `docker buildx` commands: Docker buildx CLI reference (by hand)",
            "`docker compose` commands: Docker Compose v2 CLI reference (by hand)",
        ],
        "global_flags": parse_flags(top, "Global Options:"),
        "commands": dict(sorted(commands.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the data file is out of date")
    options = parser.parse_args()
    text = json.dumps(build_data(), indent=1, sort_keys=False, ensure_ascii=False) + "\n"
    if options.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run python scripts/docker_cli_data.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(json.loads(text)['commands'])} commands)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
