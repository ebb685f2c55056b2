"""What a code block holds, decided once from its fence label and its lines.

A label names a family, not a kind: authors write ```` ```docker ```` over a
terminal session, ```` ```bash ```` over `$ ` prompts and their output, or
```` ```bash ```` over a Dockerfile. So the label says which kinds are possible
and the lines say which one it is (docs/authoring.md, "What a code block is",
states the rules):

- Dockerfile labels (`dockerfile`, `containerfile`): a Dockerfile, unless the
  block is a script (`#!/bin/sh` first) or a terminal session (prompts or
  `docker …` lines, no instruction first).
- `docker`: a Dockerfile when its first line is an instruction, else a
  session when it has prompts or `docker …` lines, else text (output).
- shell labels (`sh`, `bash`, `shell`, `zsh`): a script; a session when a
  line has a `$ ` prompt; a Dockerfile or Compose file when the lines are one.
- session labels (`console`, `terminal`, …): a session.
- YAML labels: a Compose file when its title names one or its top level is
  Compose's (`services:` as a mapping, nothing from Kubernetes, CI or Ansible),
  else plain YAML, which is not checked.
- text labels (`text`, `output`, …): text. Other labels (`powershell`, `cmd`,
  `python`, …): other, never checked.
- no label: guessed from the lines alone, in the order script, Dockerfile,
  Compose, session, text.

The renderers and the linter read `CodeBlock.kind`; nothing else looks at labels.
"""

from __future__ import annotations

import re

from generator.docker.commands import PROMPT
from generator.model import CodeKind

# The same set as `generator.lint.dockerfile_syntax.INSTRUCTIONS` (a test keeps them equal):
# the parser does not import the linter.
DOCKERFILE_INSTRUCTIONS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER "
    "VOLUME WORKDIR".split()
)

_DOCKERFILE_LABELS = frozenset({"dockerfile", "containerfile"})
_SHELL_LABELS = frozenset({"sh", "bash", "shell", "zsh"})
_SESSION_LABELS = frozenset({"console", "shell-session", "shellsession", "terminal"})
_YAML_LABELS = frozenset({"yaml", "yml"})
_TEXT_LABELS = frozenset({"text", "txt", "plain", "plaintext", "output"})

_COMPOSE_TITLE = re.compile(r"(?:^|/)(?:docker-)?compose[\w.-]*\.ya?ml$", re.IGNORECASE)
_SHEBANG = re.compile(r"^#!\s*/\S*/(?:env\s+)?(?:ba|da|z|k)?sh\b")
_DOCKER_LINE = re.compile(r"^\s*(?:sudo\s+)?docker(?:-compose)?(?:\s|$)")
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w.-]*)\s*:(?:\s|$)")
# Top-level keys that say the YAML is something else than a Compose file.
_FOREIGN_KEYS = frozenset({
    "apiVersion", "kind", "metadata", "spec", "data",  # Kubernetes
    "on", "jobs", "runs-on", "steps",  # GitHub Actions
    "stages", "image", "script", "before_script", "after_script", "variables", "default", "workflow",  # GitLab CI
    "hosts", "tasks", "roles", "handlers",  # Ansible
    "pipeline", "workflows", "orbs",  # other CI
})


def code_kind(language: str, title: str, text: str) -> CodeKind:
    """Return what a code block holds, from its fence label (`language`), its title and its text."""
    lines = [line for line in text.splitlines() if line.strip()]
    if language in _SESSION_LABELS:
        return CodeKind.CONSOLE
    if language in _TEXT_LABELS:
        return CodeKind.TEXT
    if language in _YAML_LABELS:
        return CodeKind.COMPOSE if _COMPOSE_TITLE.search(title) or is_compose(lines) else CodeKind.YAML
    if language in _DOCKERFILE_LABELS:
        if _is_script(lines):
            return CodeKind.SCRIPT
        if not _starts_with_instruction(lines, strict=False) and _is_session(lines, root_prompts=False):
            return CodeKind.CONSOLE
        return CodeKind.DOCKERFILE
    if language == "docker":
        if _starts_with_instruction(lines, strict=True):
            return CodeKind.DOCKERFILE
        if _is_script(lines):
            return CodeKind.SCRIPT
        return CodeKind.CONSOLE if _is_session(lines, root_prompts=True) else CodeKind.TEXT
    if language in _SHELL_LABELS:
        if _is_script(lines):
            return CodeKind.SCRIPT
        if is_dockerfile(lines):
            return CodeKind.DOCKERFILE
        if is_compose(lines):
            return CodeKind.COMPOSE
        return CodeKind.CONSOLE if any(_dollar_prompt(line) for line in lines) else CodeKind.SCRIPT
    if language:
        return CodeKind.OTHER
    return sniff_code_kind(text)


def sniff_code_kind(text: str) -> CodeKind:
    """Guess the kind of an untagged block: script, Dockerfile, Compose file, shell session or text."""
    lines = [line for line in text.splitlines() if line.strip()]
    if _is_script(lines):
        return CodeKind.SCRIPT
    if is_dockerfile(lines):
        return CodeKind.DOCKERFILE
    if is_compose(lines):
        return CodeKind.COMPOSE
    if any(line.lstrip().startswith("$ ") or _DOCKER_LINE.match(line) or _user_prompt(line) for line in lines):
        return CodeKind.CONSOLE
    return CodeKind.TEXT


# --- what the lines are ---------------------------------------------------------------


def is_dockerfile(lines: list[str]) -> bool:
    """Return whether non-blank `lines` read as a Dockerfile whatever their label says.

    The first instruction (comments aside) is an upper-case `FROM` or `ARG`
    with an argument, which no shell command or prose starts with.
    """
    starts = _instruction_lines(lines)
    return bool(starts) and starts[0].split()[0] in ("FROM", "ARG") and len(starts[0].split()) > 1


def is_compose(lines: list[str]) -> bool:
    """Return whether non-blank YAML `lines` are a Compose file.

    A top-level `services:` that is a mapping (or has nothing under it yet),
    and no top-level key of Kubernetes, a CI pipeline or Ansible: GitLab CI's
    `services:` is a list, GitHub Actions' sits inside a job.
    """
    keys: list[str] = []
    services_at = -1
    for index, line in enumerate(lines):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            keys.append(match.group(1))
            if match.group(1) == "services":
                services_at = index
    if services_at < 0 or any(key in _FOREIGN_KEYS for key in keys):
        return False
    following = next((line for line in lines[services_at + 1 :] if not line.lstrip().startswith("#")), "")
    return not following[:1].isspace() or not following.lstrip().startswith("- ")


def _instruction_lines(lines: list[str]) -> list[str]:
    """Return the lines that start an instruction: not comments, not continuations of the line before."""
    found: list[str] = []
    continued = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if not continued:
            found.append(stripped)
        continued = stripped.endswith("\\")
    return found


def _starts_with_instruction(lines: list[str], strict: bool) -> bool:
    """Return whether the first instruction line starts with a Dockerfile instruction (upper case when `strict`)."""
    starts = _instruction_lines(lines)
    if not starts:
        return False
    word = starts[0].split()[0]
    return (word if strict else word.upper()) in DOCKERFILE_INSTRUCTIONS and (not strict or word.isupper())


def _is_script(lines: list[str]) -> bool:
    return bool(lines) and bool(_SHEBANG.match(lines[0].lstrip()))


def _is_session(lines: list[str], root_prompts: bool) -> bool:
    """Return whether some line is a prompted command or a `docker …` command line."""
    return any(
        _DOCKER_LINE.match(line) or _dollar_prompt(line) or (root_prompts and PROMPT.match(line)) for line in lines
    )


def _dollar_prompt(line: str) -> bool:
    """Return whether `line` starts with a prompt that no script line starts with: `$ `, `user@host:~# `.

    A bare `# ` is not one here: in a script or a Dockerfile it starts a comment.
    """
    match = PROMPT.match(line)
    return match is not None and (match.group(1).rstrip().endswith(("$", "%")) or "@" in match.group(1))


def _user_prompt(line: str) -> bool:
    match = PROMPT.match(line)
    return match is not None and "@" in match.group(1)
