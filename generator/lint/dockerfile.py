"""Check one Dockerfile: Docker's build checks, hadolint's DL rules and Aula's own.

A block with fewer than two instructions or without FROM is a fragment (an
illustration such as `FROM imagen:etiqueta`): it gets the rules that look at
one instruction, not those about the whole file (stages, tags, the last USER);
so is a block with elided text, or one its caller says is part of a file. A
`{.synopsis}` block only has its instruction names checked. Elided lines and
`<placeholder>` arguments are teaching conventions (`conventions.py`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.docker.shell import Word, parse_shell
from generator.lint.conventions import ELISION, elided_lines, has_placeholder
from generator.lint.dockerfile_syntax import INSTRUCTIONS, Dockerfile, Instruction, parse_dockerfile
from generator.lint.findings import Hit
from generator.lint.run_commands import is_apt, packages_of, run_commands, subcommand

_FLAGS = {
    "FROM": {"platform"},
    "COPY": {"from", "chown", "chmod", "link", "parents", "exclude"},
    "ADD": {"chown", "chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"},
    "RUN": {"mount", "network", "security", "device"},
    "HEALTHCHECK": {"interval", "timeout", "start-period", "start-interval", "retries"},
}
_PREDEFINED_ARGS = frozenset(
    "TARGETPLATFORM TARGETOS TARGETARCH TARGETVARIANT BUILDPLATFORM BUILDOS BUILDARCH BUILDVARIANT TARGETSTAGE "
    "HTTP_PROXY http_proxy HTTPS_PROXY https_proxy FTP_PROXY ftp_proxy NO_PROXY no_proxy ALL_PROXY all_proxy "
    "BUILDKIT_INLINE_CACHE BUILDKIT_MULTI_PLATFORM BUILDKIT_SANDBOX_HOSTNAME BUILDKIT_CONTEXT_KEEP_GIT_DIR "
    "SOURCE_DATE_EPOCH".split()
)
_COMMON_ENV = frozenset("PATH HOME HOSTNAME TERM LANG PWD USER SHELL".split())
_EXPANDING = frozenset({"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"})
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)|([A-Za-z_]\w*))")
_SECRET_NAME = re.compile(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
_PUBLIC_NAME = re.compile(r"(?i)(?:_|^)public(?:_|$)")
_ARCHIVE = re.compile(r"\.(?:tar|tar\.\w+|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst)$", re.IGNORECASE)
_APT_YES = {"-y", "--yes", "--assume-yes", "-qq", "-q=2", "--quiet=2"}
_PLATFORM_VARIABLES = {"$TARGETPLATFORM", "${TARGETPLATFORM}"}


def check_dockerfile(text: str, synopsis: bool = False, fragment: bool = False) -> list[Hit]:
    """Return the problems of a Dockerfile (or of a fragment of one: `fragment` says it shows part of a file)."""
    dockerfile = parse_dockerfile(text)
    checker = _Checker(dockerfile, synopsis, fragment)
    checker.run()
    skipped = _skipped_checks(dockerfile.directives.get("check", ""))
    hits = []
    for hit in checker.hits:
        if "all" in skipped or hit.code in skipped:
            continue
        if any(hit.code in codes for line, codes in _ignore_ranges(dockerfile) if line[0] <= hit.line <= line[1]):
            continue
        hits.append(hit)
    return hits


def is_fragment(dockerfile: Dockerfile) -> bool:
    """Return whether the block illustrates instructions rather than being a whole Dockerfile."""
    names = [i.name for i in dockerfile.instructions]
    return len(names) < 2 or "FROM" not in names


def _skipped_checks(directive: str) -> frozenset[str]:
    # `# check=skip=JSONArgsRecommended,StageNameCasing;error=true`
    for part in directive.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "skip":
            return frozenset(v.strip() for v in value.split(",") if v.strip())
    return frozenset()


def _ignore_ranges(dockerfile: Dockerfile) -> Iterator[tuple[tuple[int, int], frozenset[str]]]:
    for instruction in dockerfile.instructions:
        codes = dockerfile.ignored.get(instruction.line)
        if codes:
            yield (instruction.line, instruction.end_line), codes


@dataclass
class _Stage:
    """What the rules track within one build stage."""

    name: str  # lower case, "" when unnamed
    index: int
    line: int
    base: str  # the base image, lower case
    defined: set[str]  # names set by ARG and ENV
    workdir_absolute: bool
    pipefail: bool = False
    counts: dict[str, list[Instruction]] = field(default_factory=dict)
    previous: Instruction | None = None
    last_user: Instruction | None = None


class _Checker:
    def __init__(self, dockerfile: Dockerfile, synopsis: bool, fragment: bool = False):
        self.dockerfile = dockerfile
        self.synopsis = synopsis
        instructions = dockerfile.instructions
        self.elided = elided_lines(instructions)
        self.placeholders = {id(i) for i in instructions if has_placeholder(i.text[i.args_offset :])}
        self.fragment = fragment or is_fragment(dockerfile) or any(ELISION.search(i.text) for i in instructions)
        self.hits: list[Hit] = []

    def add(self, instruction: Instruction, offset: int | tuple[int, int] | None, code: str, message: str) -> None:
        """Report at a character of the instruction's text, or at a (line, column) already known."""
        if isinstance(offset, tuple):
            line, column = offset
        else:
            line, column = instruction.position(instruction.keyword_offset if offset is None else offset)
        self.hits.append(Hit(line, column, code, message))

    def run(self) -> None:
        for line, column, name in self.dockerfile.unclosed_heredocs:
            self.hits.append(Hit(line, column, "AU105", f"here-document `<<{name}` is never closed by a line `{name}`"))
        for instruction in self.dockerfile.instructions:
            self.known(instruction)
        if self.synopsis:
            return
        for instruction in self.dockerfile.instructions:
            target = instruction.wrapped or instruction
            if target.name in INSTRUCTIONS and id(instruction) not in self.placeholders:
                self.instruction(target)
            if instruction.name == "ONBUILD":
                self.onbuild(instruction)
        self.casing()
        if not self.fragment:
            self.whole_file()

    # --- one instruction -------------------------------------------------------

    def known(self, instruction: Instruction) -> None:
        if id(instruction) in self.elided:
            return
        for target in filter(None, (instruction, instruction.wrapped)):
            if target.name not in INSTRUCTIONS:
                close = difflib.get_close_matches(target.name, sorted(INSTRUCTIONS), n=1, cutoff=0.6)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                self.add(target, None, "AU101", f"unknown instruction `{target.keyword}`{hint}")

    def instruction(self, ins: Instruction) -> None:
        name = ins.name
        allowed = _FLAGS.get(name, set())
        for flag in ins.flags:
            if flag.name not in allowed:
                choices = f" (known: {', '.join('--' + f for f in sorted(allowed))})" if allowed else ""
                self.add(ins, flag.offset, "AU103", f"unknown flag `--{flag.name}` for {name}{choices}")
        for line in ins.empty_continuations:
            self.hits.append(Hit(line, 1, "NoEmptyContinuation", "empty continuation line: remove it or end the "
                                                                  "instruction before it"))
        if name in ("CMD", "ENTRYPOINT", "RUN", "SHELL", "COPY", "ADD", "VOLUME") and _looks_like_json(ins.args):
            if ins.json is None:
                quotes = " (JSON needs double quotes)" if "'" in ins.args else ""
                self.add(ins, ins.args_offset, "AU104", f"{name} exec form is not a valid JSON array of strings"
                                                        f"{quotes}; Docker would run it as a shell command")
        method = getattr(self, "i_" + name.lower(), None)
        if method:
            method(ins)

    def i_from(self, ins: Instruction) -> None:
        words = ins.args.split()
        if len(words) not in (1, 3) or len(words) == 3 and words[1].lower() != "as":
            self.add(ins, ins.args_offset, "AU102", "FROM takes an image, optionally followed by `AS name`")
            return
        if len(words) == 3:
            if ins.keyword.isupper() != words[1].isupper() or ins.keyword.islower() != words[1].islower():
                self.add(ins, _find(ins, words[1]), "FromAsCasing", f"`{words[1]}` and `{ins.keyword}` keywords' "
                                                                    "casing do not match")
            stage = words[2]
            if stage.lower() in ("scratch", "context"):
                self.add(ins, _find(ins, stage), "ReservedStageName", f"`{stage}` is reserved and cannot name a stage")
            elif stage != stage.lower():
                self.add(ins, _find(ins, stage), "StageNameCasing", f"stage name `{stage}` should be lower case")
        platform = ins.flag("platform")
        if platform and platform.value:
            if platform.value in _PLATFORM_VARIABLES:
                self.add(ins, platform.offset, "RedundantTargetPlatform", "`--platform=$TARGETPLATFORM` is the "
                                                                          "default: remove it")
            elif "$" not in platform.value:
                self.add(ins, platform.offset, "FromPlatformFlagConstDisallowed", f"FROM --platform uses the "
                         f"constant `{platform.value}`: pass it with `docker build --platform` instead")

    def i_maintainer(self, ins: Instruction) -> None:
        self.add(ins, None, "MaintainerDeprecated", "MAINTAINER is deprecated: use "
                                                    f"`LABEL org.opencontainers.image.authors=\"{ins.args}\"`")

    def i_env(self, ins: Instruction) -> None:
        self.key_value(ins)
        for key in _keys(ins):
            self.secret(ins, key, "ENV")

    def i_label(self, ins: Instruction) -> None:
        self.key_value(ins)

    def key_value(self, ins: Instruction) -> None:
        if not ins.args:
            self.add(ins, None, "AU102", f"{ins.name} needs at least one `key=value`")
            return
        first = ins.args.split(None, 1)
        if "=" not in first[0]:
            value = first[1] if len(first) > 1 else ""
            if not value:
                self.add(ins, ins.args_offset, "AU102", f"{ins.name} `{first[0]}` has no value: write "
                                                        f"`{first[0]}=value`")
                return
            self.add(ins, None, "LegacyKeyValueFormat", f"`{ins.name} {first[0]} {value}` is the legacy form: write "
                                                        f"`{ins.name} {first[0]}={_quote(value)}`")

    def i_arg(self, ins: Instruction) -> None:
        if not ins.args:
            self.add(ins, None, "AU102", "ARG needs a name")
            return
        for key in _keys(ins):
            self.secret(ins, key, "ARG")

    def secret(self, ins: Instruction, key: str, kind: str) -> None:
        if _SECRET_NAME.search(key) and not _PUBLIC_NAME.search(key):
            self.add(ins, _find(ins, key), "SecretsUsedInArgOrEnv", f"{kind} `{key}` looks like a secret: build "
                     "arguments and environment stay in the image; use `RUN --mount=type=secret`")

    def i_cmd(self, ins: Instruction) -> None:
        self.command_form(ins)

    def i_entrypoint(self, ins: Instruction) -> None:
        self.command_form(ins)

    def command_form(self, ins: Instruction) -> None:
        if not ins.args:
            self.add(ins, None, "AU102", f"{ins.name} needs a command")
        elif ins.json is None and not _looks_like_json(ins.args):
            commands = parse_shell(ins.args).commands
            words = [w.text for w in commands[0].words] if len(commands) == 1 else ins.args.split()
            example = ", ".join(f'"{w}"' for w in words[:4]) + (", …" if len(words) > 4 else "")
            self.add(ins, ins.args_offset, "JSONArgsRecommended", f"{ins.name} in shell form runs under `/bin/sh -c`, "
                     f"which does not pass on signals: write `{ins.name} [{example}]`")

    def i_shell(self, ins: Instruction) -> None:
        if ins.json is None and not _looks_like_json(ins.args):
            self.add(ins, ins.args_offset, "AU102", "SHELL needs the JSON form, such as "
                                                    "`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`")

    def i_run(self, ins: Instruction) -> None:
        if not ins.args and not ins.heredocs:
            self.add(ins, None, "AU102", "RUN needs a command")
            return
        self.shell_rules(ins)

    def i_copy(self, ins: Instruction) -> None:
        self.copy_arguments(ins)

    def i_add(self, ins: Instruction) -> None:
        sources = self.copy_arguments(ins)
        for source, offset in sources:
            if "://" in source or source.startswith("git@") or _ARCHIVE.search(source) or source.startswith("<<"):
                continue
            self.add(ins, offset, "DL3020", f"ADD `{source}`: use COPY for local files and folders "
                                            "(ADD is for URLs and archives to unpack)")
            break

    def copy_arguments(self, ins: Instruction) -> list[tuple[str, int]]:
        if ins.json is not None:
            paths = [(p, ins.args_offset) for p in ins.json]
        else:
            paths = [(m.group(), m.start()) for m in re.finditer(r"\S+", ins.text[ins.args_offset :])]
            paths = [(p, ins.args_offset + offset) for p, offset in paths]
        if len(paths) < 2 and not (ins.heredocs and paths):
            self.add(ins, None, "AU102", f"{ins.name} needs a source and a destination")
            return []
        sources = paths[:-1] if len(paths) > 1 else []
        destination = paths[-1][0]
        if len(sources) > 1 and not destination.endswith("/") and "$" not in destination:
            self.add(ins, paths[-1][1], "DL3021", f"{ins.name} with several sources needs a folder destination "
                                                  f"ending in `/`: `{destination}/`")
        return sources

    def i_expose(self, ins: Instruction) -> None:
        if not ins.args:
            self.add(ins, None, "AU102", "EXPOSE needs a port")
        for match in re.finditer(r"\S+", ins.text[ins.args_offset :]):
            port, offset = match.group(), ins.args_offset + match.start()
            if "$" in port:
                continue
            number, _, protocol = port.partition("/")
            if ":" in number:
                self.add(ins, offset, "ExposeInvalidFormat", f"EXPOSE `{port}`: publish host ports with `docker run "
                                                              f"-p`; EXPOSE takes the container port `{number.split(':')[-1]}`")
                continue
            if protocol and protocol != protocol.lower():
                self.add(ins, offset, "ExposeProtoCasing", f"EXPOSE `{port}`: write the protocol in lower case")
            if not re.fullmatch(r"\d+(?:-\d+)?", number) or protocol.lower() not in ("", "tcp", "udp", "sctp"):
                self.add(ins, offset, "AU102", f"EXPOSE `{port}` is not a port such as `80` or `53/udp`")
            elif any(int(p) > 65535 for p in number.split("-")):
                self.add(ins, offset, "DL3011", f"EXPOSE `{port}`: ports go from 0 to 65535")

    def i_healthcheck(self, ins: Instruction) -> None:
        first = ins.args.split(None, 1)
        if not first or first[0].upper() not in ("NONE", "CMD") or first[0].upper() == "CMD" and len(first) < 2:
            self.add(ins, ins.args_offset, "AU102", "HEALTHCHECK takes `NONE` or `CMD` followed by a command")

    def i_workdir(self, ins: Instruction) -> None:
        self.single(ins)

    def i_user(self, ins: Instruction) -> None:
        self.single(ins)

    def i_stopsignal(self, ins: Instruction) -> None:
        self.single(ins)

    def i_volume(self, ins: Instruction) -> None:
        if not ins.args:
            self.add(ins, None, "AU102", "VOLUME needs a path")

    def single(self, ins: Instruction) -> None:
        if len(ins.args.split()) != 1:
            self.add(ins, None, "AU102", f"{ins.name} takes exactly one argument")

    def onbuild(self, ins: Instruction) -> None:
        wrapped = ins.wrapped
        if wrapped is None:
            self.add(ins, None, "AU102", "ONBUILD needs an instruction")
        elif wrapped.name in ("ONBUILD", "FROM", "MAINTAINER"):
            self.add(ins, wrapped.keyword_offset, "AU102", f"ONBUILD cannot wrap {wrapped.name}")

    # --- RUN commands ------------------------------------------------------------

    def shell_rules(self, ins: Instruction) -> None:
        apt_reported = False
        self.apt_lists(ins)
        for command, offset in run_commands(ins):
            words = list(command.words)
            if words and words[0].text == "sudo":
                self.add(ins, offset(words[0]), "DL3004", "do not use sudo: RUN already runs as root (switch users "
                                                          "with USER), and most images have no sudo")
                words = [w for w in words[1:] if not w.text.startswith("-")]
            if not words:
                continue
            program = words[0].text.rsplit("/", 1)[-1]
            if program == "cd":
                self.add(ins, offset(words[0]), "DL3003", "use WORKDIR to change directory: `cd` only lasts for "
                                                          "this RUN")
            elif program == "apt" and not apt_reported:  # once per RUN, as hadolint does
                apt_reported = True
                self.add(ins, offset(words[0]), "DL3027", "use `apt-get` (stable interface for scripts) instead of "
                                                          "`apt` (meant for people)")
            elif program == "apt-get":
                self.apt_get(ins, words, offset)
            elif program == "apk" and subcommand(words) == "add":
                self.apk_add(ins, words, offset)
            elif program in ("pip", "pip3") and subcommand(words) == "install":
                if not any(w.text == "--no-cache-dir" for w in words):
                    self.add(ins, offset(words[0]), "DL3042", "`pip install` keeps its download cache in the image: "
                                                              "add `--no-cache-dir`")

    def apt_lists(self, ins: Instruction) -> None:
        """DL3009: a RUN that fetches apt lists should delete them (unless they live in a cache mount)."""
        commands = list(run_commands(ins))
        fetching = next(((c, offset) for c, offset in commands if is_apt(c, ("update",))), None)
        if fetching is None:
            return
        cached = any("/var/lib/apt" in (flag.value or "") for flag in ins.flags if flag.name == "mount")
        cleaned = any(
            c.words and c.words[0].text == "rm" and any(w.text.startswith("/var/lib/apt/lists") for w in c.words)
            for c, _ in commands
        )
        if not cached and not cleaned:
            command, offset = fetching
            self.add(ins, offset(command.words[0]), "DL3009", "delete the apt lists in the same RUN: "
                                                              "`&& rm -rf /var/lib/apt/lists/*`")

    def apt_get(self, ins: Instruction, words: list[Word], offset) -> None:
        if subcommand(words) != "install":
            return
        texts = {w.text for w in words}
        if not texts & _APT_YES and not any(re.fullmatch(r"-[a-zA-Z]*y[a-zA-Z]*", t) for t in texts):  # `-yq`, `-qy`
            self.add(ins, offset(words[0]), "DL3014", "`apt-get install` without `-y` stops to ask for confirmation "
                                                      "and the build fails")
        if "--no-install-recommends" not in texts and not any("Install-Recommends=false" in t for t in texts):
            self.add(ins, offset(words[0]), "DL3015", "add `--no-install-recommends` to avoid unneeded packages")
        for word in packages_of(words):
            if "=" not in word.text and "$" not in word.text and not word.text.endswith(".deb"):
                self.add(ins, offset(word), "DL3008", f"pin the version of `{word.text}`: "
                                                      f"`apt-get install {word.text}=<version>`")

    def apk_add(self, ins: Instruction, words: list[Word], offset) -> None:
        if not any(w.text == "--no-cache" for w in words):
            self.add(ins, offset(words[0]), "DL3019", "use `apk add --no-cache` so no package index stays in the image")
        for word in packages_of(words, with_value={"--virtual", "-t", "--repository", "-X"}):
            if "=" not in word.text and "$" not in word.text:
                self.add(ins, offset(word), "DL3018", f"pin the version of `{word.text}`: `apk add {word.text}=<version>`")

    # --- the whole file ------------------------------------------------------------

    def casing(self) -> None:
        keywords = [i for i in self.dockerfile.instructions if i.name in INSTRUCTIONS]
        upper = sum(1 for i in keywords if i.keyword.isupper())
        lower = sum(1 for i in keywords if i.keyword.islower())
        majority_upper = upper >= lower
        for ins in keywords:
            if ins.keyword.isupper() if majority_upper else ins.keyword.islower():
                continue
            case = "upper" if majority_upper else "lower"
            self.add(ins, None, "ConsistentInstructionCasing", f"`{ins.keyword}` should be {case} case like the "
                                                               "other instructions")

    def whole_file(self) -> None:
        instructions = self.dockerfile.instructions
        first_from = next(i for i, ins in enumerate(instructions) if ins.name == "FROM")
        global_args: set[str] = set()
        for ins in instructions[:first_from]:
            if ins.name == "ARG":
                global_args.update(_keys(ins))
            else:
                self.add(ins, None, "DL3061", f"{ins.name} before the first FROM: only ARG may come before FROM")
        stages: list[_Stage] = []
        for ins in instructions[first_from:]:
            if ins.name == "FROM":
                if stages:
                    self.close_stage(stages[-1])
                stages.append(self.open_stage(ins, stages, global_args))
            else:
                self.stage_instruction(ins, stages[-1], stages, global_args)
        self.close_stage(stages[-1])
        last_user = stages[-1].last_user
        if last_user is not None and last_user.args.split(":")[0] in ("root", "0"):
            self.add(last_user, last_user.args_offset, "DL3002", "the last USER is root: switch to an unprivileged "
                                                                 "user for the running container")

    def open_stage(self, ins: Instruction, stages: list[_Stage], global_args: set[str]) -> _Stage:
        words = ins.args.split()
        image = words[0] if words else ""
        name = words[2].lower() if len(words) == 3 else ""
        names = [stage.name for stage in stages]
        self.from_image(ins, image, names, global_args)
        if name and name in names:
            first = next(stage for stage in stages if stage.name == name)
            self.add(ins, _find(ins, words[2]), "DuplicateStageName", f"stage name `{words[2]}` is already used on "
                                                                      f"line {first.line}")
        parent = next((stage for stage in reversed(stages) if stage.name and stage.name == image.lower()), None)
        if parent is not None:  # a stage built on an earlier one keeps its environment and folder
            return _Stage(name, len(stages), ins.line, parent.base, set(parent.defined), parent.workdir_absolute)
        return _Stage(name, len(stages), ins.line, image.lower(), set(), False)

    def stage_instruction(self, ins: Instruction, stage: _Stage, stages: list[_Stage], global_args: set[str]) -> None:
        stage.counts.setdefault(ins.name, []).append(ins)
        if ins.name in _EXPANDING:
            self.variables(ins, stage.defined, global_args, stage.base)
        if ins.name in ("ARG", "ENV"):
            stage.defined.update(_keys(ins))
        elif ins.name == "SHELL" and ins.json and "pipefail" in " ".join(ins.json):
            stage.pipefail = True
        elif ins.name == "RUN":
            if not stage.pipefail and ins.json is None:
                self.pipefail(ins)
            if stage.previous is not None and stage.previous.name == "RUN":
                self.add(ins, None, "DL3059", "several RUN in a row make several layers: join them with `&&`")
        elif ins.name == "WORKDIR" and ins.args:
            path = ins.args.split()[0]
            if path.startswith(("/", "$")) or re.match(r"^[A-Za-z]:[\\/]", path):
                stage.workdir_absolute = True
            elif not stage.workdir_absolute:
                self.add(ins, ins.args_offset, "WorkdirRelativePath", f"WORKDIR `{path}` is relative to a folder set "
                                                                      "elsewhere: use an absolute path")
        elif ins.name == "COPY":
            self.copy_from(ins, stage.index)
        elif ins.name == "USER":
            stage.last_user = ins
        stage.previous = ins

    def close_stage(self, stage: _Stage) -> None:
        for name, code in (("CMD", "DL4003"), ("ENTRYPOINT", "DL4004"), ("HEALTHCHECK", "MultipleInstructionsDisallowed")):
            for ins in stage.counts.get(name, [])[:-1]:
                self.add(ins, None, code, f"several {name} instructions in one stage: only the last one takes effect")

    def from_image(self, ins: Instruction, image: str, stages: list[str], global_args: set[str]) -> None:
        for match in _VARIABLE.finditer(ins.text):
            variable = match.group(1) or match.group(2)
            if variable not in global_args and variable not in _PREDEFINED_ARGS:
                self.add(ins, match.start(), "UndefinedArgInFrom", f"FROM uses `${variable}`, but no `ARG {variable}` "
                                                                   "comes before the first FROM")
        if not image or "$" in image or image.lower() in ("scratch", *stages) or "@" in image or id(ins) in self.placeholders:
            return
        name_part = image.rsplit("/", 1)[-1]
        if ":" not in name_part:
            self.add(ins, _find(ins, image), "DL3006", f"`{image}` has no tag, so it means `{image}:latest`, which "
                     f"changes over time: pin a version such as `{image}:<version>`")
        elif name_part.rsplit(":", 1)[1] == "latest":
            self.add(ins, _find(ins, image), "DL3007", f"`{image}` changes over time: pin a version instead of "
                                                       "`latest`")

    def variables(self, ins: Instruction, defined: set[str], global_args: set[str], base: str) -> None:
        seen: set[str] = set()
        for match in _VARIABLE.finditer(ins.text, ins.args_offset):
            if match.start() > 0 and ins.text[match.start() - 1] in "\\`":
                continue
            variable = match.group(1) or match.group(2)
            if variable in defined or variable in seen or variable in _PREDEFINED_ARGS or variable in _COMMON_ENV:
                continue
            seen.add(variable)
            close = difflib.get_close_matches(variable, sorted(defined), n=1, cutoff=0.8)
            if variable in global_args:
                message = (f"`${variable}` is declared before FROM, which makes it visible to FROM only: "
                           f"add `ARG {variable}` inside this stage")
            elif close:
                message = f"`${variable}` is not defined (did you mean `${close[0]}`?)"
            elif base == "scratch":
                message = f"`${variable}` is not defined by an ARG or ENV of this stage"
            else:
                continue  # the base image may define it
            self.add(ins, match.start(), "UndefinedVar", message)

    def pipefail(self, ins: Instruction) -> None:
        for command, locate in run_commands(ins):
            if command.in_pipeline and command.words:
                if "pipefail" in ins.args:
                    return
                self.add(ins, locate(command.words[0]), "DL4006", "a pipe hides the failure of its first "
                         "commands: set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN")
                return

    def copy_from(self, ins: Instruction, index: int) -> None:
        flag = ins.flag("from")
        if flag is None or not flag.value or "$" in flag.value:
            return
        value = flag.value
        names = [(i.args.split()[2].lower() if len(i.args.split()) == 3 else "", i.line)
                 for i in self.dockerfile.instructions if i.name == "FROM"]
        number = int(value) if value.isdigit() else next((n for n, (name, _) in enumerate(names) if name == value.lower()), None)
        if number == index:
            self.add(ins, flag.offset, "DL3023", f"COPY --from={value} refers to the stage it is in")
        elif number is not None and number > index:  # BuildKit: "it needs to be defined before current stage"
            where = (f"that stage comes after this one (line {names[number][1]}), and COPY takes files only from an "
                     f"earlier stage" if number < len(names) else f"the stages are numbered 0 to {len(names) - 1}")
            self.add(ins, flag.offset, "AU106", f"COPY --from={value}: {where}")
        elif number is None and not re.search(r"[/:@]", value):
            earlier = [name for name, _ in names[:index] if name]
            typo = difflib.get_close_matches(value.lower(), earlier, n=1, cutoff=0.8)
            close = typo or difflib.get_close_matches(value.lower(), earlier, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            if typo:
                self.add(ins, flag.offset, "AU106", f"COPY --from={value}: no stage is named `{value}`{hint}, so "
                                                    f"BuildKit would pull an image `{value}` and fail")
            else:
                self.add(ins, flag.offset, "DL3022", f"COPY --from={value}: no earlier stage is named `{value}`, so "
                                                     f"Docker will pull an image of that name{hint}")


# --- helpers -------------------------------------------------------------------------


def _looks_like_json(args: str) -> bool:
    """Return whether the arguments are meant as an exec-form array (a shell `[ test ]` is not)."""
    text = args.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return False
    return bool(re.match(r"^\[\s*[\"']", text)) and ("," in text or bool(re.fullmatch(r"\[\s*([\"'])[^\"']*\1\s*\]", text))) or text == "[]"


def _keys(ins: Instruction) -> list[str]:
    """Return the names an ARG, ENV or LABEL defines (both `k=v` and the legacy `k v` form)."""
    args = ins.args
    if not args:
        return []
    first = args.split(None, 1)[0]
    if "=" not in first:
        return [first]
    return [m.group(1) for m in re.finditer(r"(?:^|\s)([^\s=\"']+)=", args)]


def _find(ins: Instruction, word: str) -> int:
    index = ins.text.find(word, ins.args_offset)
    return index if index >= 0 else ins.keyword_offset


def _quote(value: str) -> str:
    value = value.strip()
    if " " in value and not (value.startswith('"') and value.endswith('"')):
        return f'"{value}"'
    return value
