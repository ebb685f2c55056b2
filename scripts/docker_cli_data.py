"""Write `generator/docker/data/docker-cli.json` from the installed docker client's help.

Run it with a docker client on the PATH (no engine needed):

    python scripts/docker_cli_data.py            # rewrite the data file
    python scripts/docker_cli_data.py --check    # exit 1 if the file is out of date

It walks `docker --help` and every `docker <command> --help`, and records for
each command its flags (and whether each takes a value) and how many
positional arguments its `Usage:` line allows, and, when docker calls the
command by another name first (`docker run` is `docker container run`), that
canonical name. What the help of a bare client does not show is added by
hand, each from its vendor's CLI reference: flags that are accepted but hidden
(below), and, from `docker_cli_plugins.py`, the CLI plugins (Compose, Buildx,
whose build flags `docker build` takes too, Scout, `init`, `debug`) and the
retired commands (`docker scan`…). The client version and every source are
recorded in the file.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from docker_cli_plugins import SOURCES as PLUGIN_SOURCES
from docker_cli_plugins import plugin_commands

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

# `docker build` is `docker buildx build` when buildx is installed (the default with Docker
# Desktop and the docker-ce packages): it takes buildx's flags as well as its own.
BUILDX_BUILD_FLAGS = plugin_commands()["buildx build"]["flags"]


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
    canonical("build")["flags"].update(BUILDX_BUILD_FLAGS)
    for name, entry in plugin_commands().items():
        if "usage" in entry and "args" not in entry and not entry.get("group"):
            entry["args"] = arg_range(f"Usage: {entry['usage']}", tuple(name.split()))
        elif entry.get("runnable") and "args" not in entry:
            entry["args"] = arg_range(f"Usage: {entry['usage']}", tuple(name.split()))
        commands[name] = entry
    return {
        "comment": "Generated by scripts/docker_cli_data.py from `docker <command> --help`; do not edit by hand.",
        "client": version,
        "sources": [f"{version}: `docker --help` and `docker <command> --help`", *PLUGIN_SOURCES],
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
