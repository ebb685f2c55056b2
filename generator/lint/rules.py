"""The catalogue of lint rules: id, severity, family and a one-line summary.

Rules that exist elsewhere keep their established ids, so users can look them
up: Docker's build checks by name (`LegacyKeyValueFormat`) and hadolint's
`DLxxxx`. Where both tools name the same rule, the other id is an alias, and
ignoring either silences it. Aula's own rules are `AU` plus a number whose
first digit names the family. `docs/lint-rules.md` documents every rule with a
bad and a good example, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)



@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    family: str  # "dockerfile" | "compose" | "command" | "markdown" | "state" | "lint"
    summary: str
    aliases: tuple[str, ...] = ()


_R = Rule
_CATALOGUE = (
    # --- Dockerfile: Docker's build checks -------------------------------------
    _R("ConsistentInstructionCasing", "warning", "dockerfile", "All instructions should use the same casing"),
    _R("DuplicateStageName", "error", "dockerfile", "Stage names must be unique", ("DL3024",)),
    _R("ExposeInvalidFormat", "warning", "dockerfile", "EXPOSE takes container ports only, not IP addresses or host ports"),
    _R("ExposeProtoCasing", "warning", "dockerfile", "The protocol in EXPOSE should be lower case"),
    _R("FromAsCasing", "warning", "dockerfile", "The AS keyword should match the casing of FROM"),
    _R("FromPlatformFlagConstDisallowed", "warning", "dockerfile", "FROM --platform should not use a constant value", ("DL3029",)),
    _R("JSONArgsRecommended", "warning", "dockerfile", "Use the JSON (exec) form for CMD and ENTRYPOINT", ("DL3025",)),
    _R("LegacyKeyValueFormat", "warning", "dockerfile", "Use `key=value` in ENV and LABEL, not the legacy `key value` form"),
    _R("MaintainerDeprecated", "warning", "dockerfile", "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=…`",
       ("DL4000",)),
    _R("MultipleInstructionsDisallowed", "warning", "dockerfile", "Only the last HEALTHCHECK of a stage takes effect", ("DL3012",)),
    _R("NoEmptyContinuation", "warning", "dockerfile", "An empty line inside a continued instruction is deprecated"),
    _R("RedundantTargetPlatform", "warning", "dockerfile", "`--platform=$TARGETPLATFORM` is the default and can be removed"),
    _R("ReservedStageName", "warning", "dockerfile", "`scratch` and `context` are reserved and cannot name a stage"),
    _R("SecretsUsedInArgOrEnv", "warning", "dockerfile", "Secrets should not be passed in ARG or ENV: use `RUN --mount=type=secret`"),
    _R("StageNameCasing", "warning", "dockerfile", "Stage names should be lower case"),
    _R("UndefinedArgInFrom", "warning", "dockerfile", "FROM uses a variable that no ARG before it declares"),
    _R("UndefinedVar", "warning", "dockerfile", "A variable is used that is not defined in this stage"),
    _R("WorkdirRelativePath", "warning", "dockerfile", "Use an absolute path in WORKDIR", ("DL3000",)),
    # --- Dockerfile: hadolint ---------------------------------------------------
    _R("DL3002", "warning", "dockerfile", "Last USER should not be root"),
    _R("DL3003", "warning", "dockerfile", "Use WORKDIR to switch to a directory, not `cd`"),
    _R("DL3004", "error", "dockerfile", "Do not use sudo: RUN already runs as root, and most images have no sudo"),
    _R("DL3006", "warning", "dockerfile", "Always tag the version of an image explicitly"),
    _R("DL3007", "warning", "dockerfile", "Using `latest` is prone to errors: pin a version"),
    _R("DL3008", "warning", "dockerfile", "Pin versions in `apt-get install`"),
    _R("DL3009", "info", "dockerfile", "Delete the apt-get lists after installing something"),
    _R("DL3011", "error", "dockerfile", "Valid UNIX ports range from 0 to 65535"),
    _R("DL3014", "warning", "dockerfile", "Use the `-y` switch to avoid manual input: `apt-get -y install …`"),
    _R("DL3015", "info", "dockerfile", "Avoid additional packages by specifying `--no-install-recommends`"),
    _R("DL3018", "warning", "dockerfile", "Pin versions in `apk add`"),
    _R("DL3019", "info", "dockerfile", "Use `apk add --no-cache` instead of updating and cleaning the cache"),
    _R("DL3020", "warning", "dockerfile", "Use COPY instead of ADD for files and folders"),
    _R("DL3021", "error", "dockerfile", "COPY with more than 2 arguments requires the last argument to end with /"),
    _R("DL3022", "warning", "dockerfile", "COPY --from should reference a previously defined FROM alias"),
    _R("DL3023", "error", "dockerfile", "COPY --from cannot reference its own FROM alias"),
    _R("DL3027", "warning", "dockerfile", "Do not use apt in scripts: it is meant for people; use apt-get or apt-cache"),
    _R("DL3042", "warning", "dockerfile", "Avoid the pip cache in images: `pip install --no-cache-dir`"),
    _R("DL3059", "info", "dockerfile", "Multiple consecutive RUN instructions: consider consolidating them"),
    _R("DL3061", "error", "dockerfile", "A Dockerfile must begin with FROM, ARG or a comment"),
    _R("DL4003", "warning", "dockerfile", "Multiple CMD instructions: only the last one takes effect", ("MultipleInstructionsDisallowed",)),
    _R("DL4004", "warning", "dockerfile", "Multiple ENTRYPOINT instructions: only the last one takes effect",
       ("MultipleInstructionsDisallowed",)),
    _R("DL4006", "warning", "dockerfile", "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before a RUN with a pipe"),
    # --- Dockerfile: Aula -------------------------------------------------------
    _R("AU101", "error", "dockerfile", "Unknown instruction"),
    _R("AU102", "error", "dockerfile", "Wrong arguments for the instruction"),
    _R("AU103", "error", "dockerfile", "Unknown flag for the instruction"),
    _R("AU104", "error", "dockerfile", "Exec form is not a valid JSON array of strings (use double quotes)"),
    _R("AU105", "error", "dockerfile", "Here-document is never closed"),
    _R("AU106", "error", "dockerfile", "COPY --from names a later stage, no stage at all, or misspells an earlier one"),
    # --- Compose ----------------------------------------------------------------
    _R("AU201", "error", "compose", "YAML syntax error"),
    _R("AU202", "error", "compose", "Duplicate key"),
    _R("AU203", "error", "compose", "Not valid under the Compose Specification"),
    _R("AU204", "error", "compose", "Service has neither `image` nor `build`"),
    _R("AU205", "error", "compose", "Service uses a network that is not defined"),
    _R("AU206", "error", "compose", "Service uses a named volume that is not defined"),
    _R("AU207", "error", "compose", "Service uses a secret that is not defined"),
    _R("AU208", "error", "compose", "Service uses a config that is not defined"),
    _R("AU209", "error", "compose", "`depends_on` names a service that does not exist"),
    _R("AU210", "error", "compose", "The same host port is published twice"),
    _R("AU211", "error", "compose", "Malformed port mapping"),
    _R("AU212", "warning", "compose", "The top-level `version` is obsolete and ignored"),
    _R("AU213", "warning", "compose", "Plain-text password in `environment`: use `secrets` or an `.env` file"),
    _R("AU214", "warning", "compose", "Image without a tag (means `latest`)"),
    _R("AU215", "warning", "compose", "Image tagged `latest`"),
    _R("AU216", "warning", "compose", "`links` is a legacy feature: services on one network reach each other by name"),
    _R("AU217", "error", "compose", "Unknown restart policy, or a retry count with a policy other than on-failure"),
    # --- docker commands ----------------------------------------------------------
    _R("AU300", "error", "command", "Shell line cannot be parsed"),
    _R("AU301", "error", "command", "Unknown docker command"),
    _R("AU302", "error", "command", "Unknown flag for the docker command"),
    _R("AU303", "error", "command", "Flag needs a value"),
    _R("AU304", "error", "command", "Wrong number of arguments for the docker command"),
    _R("AU305", "error", "command", "Option after the image or container is passed to the container, not to docker"),
    _R("AU306", "warning", "command", "`docker-compose` (Compose v1) is retired: use `docker compose`"),
    _R("AU307", "warning", "command", "`--link` is a legacy feature: use a user-defined network"),
    _R("AU308", "warning", "command", "Password on the command line: it ends up in the shell history and `ps`"),
    _R("AU309", "info", "command", "Unknown command that looks like a CLI plugin: not checked"),
    _R("AU310", "warning", "command", "Retired command: use its replacement"),
    _R("AU311", "error", "command", "Port mapping that Docker refuses in `-p`"),
    _R("AU312", "info", "command", "`-d` with `-it`: a terminal for a container in the background"),
    # --- Markdown -------------------------------------------------------------------
    _R("AU401", "error", "markdown", "Local image not found"),
    _R("AU402", "warning", "markdown", "Remote image: not fetched in an offline build"),
    _R("AU403", "warning", "markdown", "Image without alt text"),
    _R("AU404", "error", "markdown", "Link to a file that does not exist"),
    _R("AU405", "error", "markdown", "Link to an anchor that does not exist"),
    _R("AU406", "error", "markdown", "Unknown fenced div kind"),
    _R("AU407", "error", "markdown", "Fenced div is never closed"),
    _R("AU408", "warning", "markdown", "Exercise without a solution"),
    _R("AU409", "warning", "markdown", "Heading level skipped"),
    _R("AU410", "error", "markdown", "Code fence is never closed"),
    # --- the state the course builds up (followed in reading order) ----------------
    _R("AU601", "warning", "state", "The name is already in use (a container, a network or a service)"),
    _R("AU602", "warning", "state", "The host port is already published"),
    _R("AU603", "warning", "state", "The container (or service) does not exist"),
    _R("AU604", "warning", "state", "The container is not running"),
    _R("AU605", "warning", "state", "The image is still used by a container"),
    _R("AU606", "warning", "state", "The network does not exist"),
    _R("AU607", "warning", "state", "The volume does not exist"),
    _R("AU608", "warning", "state", "The volume is still used by a container"),
    _R("AU609", "warning", "state", "A swarm command where the machine is not in swarm mode (or already is)"),
    _R("AU610", "warning", "state", "The image was removed earlier"),
    _R("AU611", "info", "state", "Still running at the end of the course"),
    # --- the linter itself -------------------------------------------------------
    _R("AU900", "error", "lint", "The linter failed on this block (a bug in Aula: please report it)"),
    _R("AU901", "warning", "lint", "A bad example that shows no finding"),
    _R("AU902", "warning", "lint", "Unknown rule id in an ignore list"),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _CATALOGUE}
ALIASES: dict[str, tuple[str, ...]] = {}
for _rule in _CATALOGUE:
    for _alias in _rule.aliases:
        ALIASES[_alias] = (*ALIASES.get(_alias, ()), _rule.code)


def is_known(code: str) -> bool:
    """Return whether `code` names a rule or an alias of one (hadolint's own ids pass too)."""
    return code in RULES or code in ALIASES or code.startswith(("DL", "SC"))


def silenced(code: str, ignore: frozenset[str]) -> bool:
    """Return whether `ignore` names the rule `code` or one of its aliases."""
    if code in ignore:
        return True
    rule = RULES.get(code)
    return bool(rule and any(alias in ignore for alias in rule.aliases))


def help_url(rule: Rule) -> str:
    """Return where the rule is explained: Docker's or hadolint's page, else ours."""
    if rule.code.startswith("DL"):
        return f"https://github.com/hadolint/hadolint/wiki/{rule.code}"
    if rule.family == "dockerfile" and not rule.code.startswith("AU"):
        return f"https://docs.docker.com/reference/build-checks/{_kebab(rule.code)}/"
    return f"docs/lint-rules.md#{rule.code.lower()}"


def _kebab(name: str) -> str:
    out = []
    for i, char in enumerate(name):
        if char.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("-")
        out.append(char.lower())
    return "".join(out)
