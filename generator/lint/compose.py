"""Check one Compose file: YAML, the Compose Specification schema, and what the schema cannot see.

The YAML is read node by node (PyYAML's composer), which keeps the line and
column of every key and shows duplicate keys that a loader would silently
overwrite. Scalars are typed by YAML 1.2's core schema, as Docker Compose
does (so `80:80` stays a string), anchors and `<<` merge keys are resolved,
and `x-` extensions and `${VAR:-default}` interpolation are valid, never
flagged. The schema is the Compose Specification's own, vendored in
`data/compose-spec.json` (see `data/README.md`).

A fragment (part of a file, as courses show them) is checked for what it
shows, not for what it leaves out: a wrong key is still wrong, a missing
`image` or an undefined volume is not reported. A block is a fragment when it
has elided text (a `...`/`…` line, a `# ...` comment, a service or `services:`
left empty), when its caller says so (an earlier version of a file shown again
later), or when it names no file and no service in it has `image`, `build` or
`extends` (it shows some keys of a service, such as `volumes:`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from generator.docker.ports import PortError, clash, parse_port
from generator.lint.conventions import ELISION_LINE
from generator.lint.findings import Hit

SCHEMA = Path(__file__).parent / "data" / "compose-spec.json"

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_SECRET_KEY = re.compile(r"(?i)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY)")
_HARMLESS_VALUE = re.compile(r"^(?:yes|no|true|false|1|0|on|off|)$", re.IGNORECASE)
_RESOURCES = {"networks": "AU205", "volumes": "AU206", "secrets": "AU207", "configs": "AU208"}
# What a fragment may leave out: a service's image, the definitions it refers to, the services it depends on.
_OMISSIONS = frozenset({"AU204", "AU205", "AU206", "AU207", "AU208", "AU209"})

KeyPath = tuple  # a path into the document: mapping keys and list indexes


class _TooLarge(Exception):
    pass


class _Document:
    """The document as plain data, with the (line, column) of every key and list item."""

    def __init__(self, budget: int = 20_000) -> None:
        self.where: dict[KeyPath, tuple[int, int]] = {}
        self.hits: list[Hit] = []
        self.budget = budget  # nodes to build: aliases could otherwise expand exponentially

    def at(self, path: KeyPath) -> tuple[int, int]:
        while path and path not in self.where:
            path = path[:-1]
        return self.where.get(path, (1, 1))

    def build(self, node, path: KeyPath = (), depth: int = 0):
        from yaml import MappingNode, ScalarNode, SequenceNode

        self.budget -= 1
        if depth > 100 or self.budget < 0:
            raise _TooLarge
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.where.setdefault((*path, index), _mark(child))
                items.append(self.build(child, (*path, index), depth + 1))
            return items
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        return None

    def mapping(self, node, path: KeyPath, depth: int) -> dict:
        from yaml import MappingNode, SequenceNode

        result: dict = {}
        merged: dict = {}
        reset: set = set()
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, MappingNode):
                        for key, value in self.mapping(source, path, depth + 1).items():
                            merged.setdefault(key, value)
                continue
            key = _scalar(key_node) if not isinstance(key_node, (MappingNode, SequenceNode)) else str(key_node.value)
            key = key if isinstance(key, str) else str(key).lower() if isinstance(key, bool) else str(key)
            line, column = _mark(key_node)
            if key in first_line:
                self.hits.append(Hit(line, column, "AU202", f"duplicate key `{key}` (first on line {first_line[key]}): "
                                                            "YAML keeps only one of them"))
            first_line.setdefault(key, line)
            self.where[(*path, key)] = (line, column)
            if value_node.tag == "!reset":  # Compose's tag to drop an inherited value
                reset.add(key)
                continue
            result[key] = self.build(value_node, (*path, key), depth + 1)
        for key, value in merged.items():
            if key not in reset:
                result.setdefault(key, value)
        return result


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node):
    """Type a scalar by YAML 1.2's core schema, as Compose does (PyYAML alone would use YAML 1.1)."""
    value = node.value
    if node.style is not None or node.tag.startswith("!"):  # quoted, block, or a tag such as `!override`
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
    if _FLOAT.match(value):
        special = value.lower().lstrip("+")
        if special in (".inf", "-.inf", ".nan"):
            return float(special.replace(".", ""))
        return float(value)
    return value


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema())


def _known_keys(schema: dict, depth: int = 0) -> set[str]:
    """Return the property names a schema allows, following `allOf` and local `$ref`s."""
    keys = set(schema.get("properties", {}))
    if depth > 5:
        return keys
    reference = schema.get("$ref", "")
    if reference.startswith("#/$defs/"):
        keys |= _known_keys(_schema()["$defs"].get(reference.rsplit("/", 1)[1], {}), depth + 1)
    for part in schema.get("allOf", []):
        keys |= _known_keys(part, depth + 1)
    return keys


@cache
def _build_only_keys() -> frozenset[str]:
    """Return the keys of a service's `build:` mapping that a service itself does not have (`context`, `dockerfile`…)."""
    service = _schema()["$defs"]["service"]
    build = _schema()["$defs"].get("workload_spec", {}).get("properties", {}).get("build", {})
    mapping: dict = next((form for form in build.get("oneOf", []) if form.get("type") == "object"), {})
    return frozenset(set(mapping.get("properties", {})) - _known_keys(service))


def check_compose(text: str, fragment: bool = False, named: bool = True) -> list[Hit]:
    """Return the problems of a Compose file, or of a fragment of one.

    `fragment` says the block shows part of a file; `named` that it has a file
    name (a block with none may be an illustration of some keys).
    """
    import yaml

    shown = ELISION_LINE.sub("", text)  # `...` alone would end the YAML document
    fragment = fragment or shown != text
    try:
        node = yaml.compose(shown, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return [_syntax_hit(error, text)]
    if node is None:
        return []
    document = _Document()
    try:
        data = document.build(node)
    except _TooLarge:
        return [Hit(1, 1, "AU201", "the document is too large or too deep once its aliases are expanded")]
    hits = list(document.hits)
    if not isinstance(data, dict):
        return hits + [Hit(1, 1, "AU203", "a Compose file is a mapping with a `services:` key")]
    data, elided = _without_elided_services(data)
    fragment = fragment or elided or (not named and not _creates_a_container(data))
    hits.extend(_schema_hits(data, document))
    hits.extend(hit for hit in _semantic_hits(data, document) if not (fragment and hit.code in _OMISSIONS))
    return hits


def _syntax_hit(error, text: str) -> Hit:
    """Return AU201 where the mistake is: where YAML stopped, or where the quote or bracket it never closed opened."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None) or ""
    problem_mark, context_mark = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    hint = next((hint for key, hint in _SYNTAX_HINTS if key in context or key in problem), "")
    unclosed = any(key in context for key in ("quoted scalar", "flow sequence", "flow mapping", "simple key"))
    marks = [m for m in (context_mark if unclosed else None, problem_mark, context_mark) if m is not None]
    if not marks:
        return Hit(1, 1, "AU201", f"YAML syntax error: {problem}")
    mark = marks[0]
    line = min(mark.line + 1, max(text.count("\n"), 1))
    detail = problem
    if mark is context_mark and problem_mark is not None and problem_mark.line != context_mark.line:
        stopped = "at the end" if problem_mark.line >= text.count("\n") else f"on line {problem_mark.line + 1}"
        detail = f"{problem}, {stopped}"
    opened = _quote_left_open(text, mark.line) if not unclosed else None
    if opened is not None:
        hint = f"the quote opened on line {opened} runs on to here: close it on its line"
    message = f"{hint} ({detail})" if hint else detail
    return Hit(line, mark.column + 1 if line == mark.line + 1 else 1, "AU201", f"YAML syntax error: {message}")


def _quote_left_open(text: str, before: int) -> int | None:
    """Return the first line (1-based) before line index `before` whose quote runs on past its end, if any."""
    for number, line in enumerate(text.split("\n")[:before], 1):
        quote = ""
        for index, char in enumerate(line):
            if not quote and char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            if not quote and char in "\"'" and (index == 0 or line[index - 1] in " \t:-[{,"):
                quote = char
            elif quote == char and not (char == '"' and line[index - 1] == "\\"):
                quote = ""
        if quote:
            return number
    return None


_SYNTAX_HINTS = (
    ("quoted scalar", "the quote opened here is never closed"),
    ("flow sequence", "the `[` opened here is never closed"),
    ("flow mapping", "the `{` opened here is never closed"),
    ("simple key", "this line is neither `key: value` nor `- item` (a `-` needs a space after it)"),
    ("'\\t'", "a tab: YAML indents with spaces only"),
    ("expected <block end>", "the indentation of this line matches no level above it"),
    ("mapping values are not allowed here", "a `: ` inside a value: quote the value, or add the missing "
                                            "space after a `:` above"),
    ("undefined alias", "an alias `*name` needs an anchor `&name` before it"),
)


def _without_elided_services(data: dict) -> tuple[dict, bool]:
    """Return the document with an empty `services:` or service (`app:` over a comment) as `{}`, and whether there was one."""
    services = data.get("services", {})
    if services is None:
        return {**data, "services": {}}, True
    if isinstance(services, dict) and None in services.values():
        return {**data, "services": {name: {} if value is None else value for name, value in services.items()}}, True
    return data, False


def _creates_a_container(data: dict) -> bool:
    """Return whether some service says what to run (`image`, `build`, `extends`)."""
    services = data.get("services")
    return isinstance(services, dict) and any(
        isinstance(service, dict) and ("image" in service or "build" in service or "extends" in service)
        for service in services.values()
    )


# --- the schema ------------------------------------------------------------------------


def _schema_hits(data: dict, document: _Document) -> Iterator[Hit]:
    seen: set[tuple] = set()
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for path, message in _explain(error):
            if _interpolated(error):
                continue
            line, column = document.at(path)
            if (line, message) in seen:
                continue
            seen.add((line, message))
            yield Hit(line, column, "AU203", message)


def _explain(error) -> Iterator[tuple[KeyPath, str]]:
    path = tuple(error.absolute_path)
    where = _dotted(path)
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        known = sorted(_known_keys(error.schema))
        patterns = list(error.schema.get("patternProperties", {}))
        unexpected = [
            str(key) for key in error.instance
            # a known key that failed its own schema is reported by that error, not as unknown
            if key not in known and not any(re.search(pattern, str(key)) for pattern in patterns)
        ]
        for key in unexpected:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.85)  # `network` is rather `networks`
            if len(path) == 2 and path[0] == "services" and key in _build_only_keys() and not near:
                hint = f": it belongs under `build:` (`build: {{{key}: …}}`)"
            place = f" in `{where}`" if where else " at the top level"
            yield (*path, key), f"unknown key `{key}`{place}{hint}"
        return
    if error.validator in ("oneOf", "anyOf") and error.context:
        # The branch that got furthest into the value names the offending item, at its own line.
        best = max(_leaves(error), key=lambda e: (len(e.absolute_path), e.validator in ("type", "enum", "const")))
        if best.validator in ("additionalProperties", "unevaluatedProperties") or len(best.absolute_path) > len(path):
            yield from _explain(best)
            return
        kinds = sorted({_KINDS.get(kind, kind) for e in error.context if e.validator == "type"
                        and tuple(e.absolute_path) == path for kind in _listed(e.validator_value)})
        if kinds:
            yield path, f"`{where or 'document'}`: {_short(error.instance)} is none of the forms allowed here " \
                        f"({', '.join(kinds)})"
            return
    message = error.message
    if len(message) > 160:
        message = message[:157] + "…"
    yield path, f"`{where or 'document'}`: {message}"


_KINDS = {"string": "a string", "object": "a mapping", "array": "a list", "integer": "an integer",
          "number": "a number", "boolean": "true or false", "null": "nothing"}


def _leaves(error) -> Iterator:
    """Yield the errors of every branch of a `oneOf`/`anyOf`, nested ones included."""
    for child in error.context or ():
        if child.context:
            yield from _leaves(child)
        else:
            yield child


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return f"`{text}`" if len(text) <= 40 else f"`{text[:37]}…`"


def _interpolated(error) -> bool:
    """Return whether an error is about a `${…}` value, which Compose replaces before validating."""
    errors = [error, *(error.context or ())]
    return any(isinstance(e.instance, str) and "$" in e.instance for e in errors)


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- what the schema cannot check ---------------------------------------------------


def _semantic_hits(data: dict, document: _Document) -> Iterator[Hit]:
    def hit(path: KeyPath, code: str, message: str) -> Hit:
        line, column = document.at(path)
        return Hit(line, column, code, message)

    if "version" in data:
        yield hit(("version",), "AU212", "`version` is obsolete: Compose ignores it; remove the line")
    services = data.get("services")
    if not isinstance(services, dict):
        return
    published: dict[tuple[int, str], list[tuple[str, str, int]]] = {}  # (port, protocol): (address, service, line)
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        base = ("services", name)
        # a `context:` astray under the service is reported by the schema, with where it belongs
        if not {"image", "build", "extends"} & set(service) and not _build_only_keys() & set(service):
            yield hit(base, "AU204", f"service `{name}` has neither `image` nor `build`: Compose cannot create it")
        image = service.get("image")
        if isinstance(image, str) and "$" not in image:
            yield from _image_hits(image, (*base, "image"), hit)
        for key, code in _RESOURCES.items():
            declared = data.get(key)
            defined = declared if isinstance(declared, dict) else {}
            for reference, path in _references(service, key, base):
                if reference not in defined and not (key == "networks" and reference == "default"):
                    kind = key[:-1]
                    yield hit(path, code, f"service `{name}` uses the {kind} `{reference}`, which the top-level "
                                          f"`{key}:` does not define")
        for dependency, path in _names(service.get("depends_on"), (*base, "depends_on")):
            if dependency == name:
                yield hit(path, "AU209", f"service `{name}` depends on itself")
            elif dependency not in services:
                close = difflib.get_close_matches(dependency, list(services), n=1, cutoff=0.6)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                yield hit(path, "AU209", f"`depends_on` names `{dependency}`, which is not a service{hint}")
        yield from _port_hits(service.get("ports"), name, base, published, hit, document)
        restart = service.get("restart")
        if isinstance(restart, str) and "$" not in restart:
            yield from _restart_hits(restart, (*base, "restart"), hit)
        yield from _environment_hits(service.get("environment"), (*base, "environment"), hit)
        if "links" in service:
            yield hit((*base, "links"), "AU216", "`links` is legacy: services on the same network reach each other "
                                                 "by service name")


def _image_hits(image: str, path: KeyPath, hit) -> Iterator[Hit]:
    if "@" in image:
        return
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        yield hit(path, "AU214", f"image `{image}` has no tag, so it means `{image}:latest`: pin a version")
    elif last.rsplit(":", 1)[1] == "latest":
        yield hit(path, "AU215", f"image `{image}` changes over time: pin a version instead of `latest`")


def _names(value, path: KeyPath) -> Iterator[tuple[str, KeyPath]]:
    """Yield the names of a short (list) or long (mapping) reference list."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield item, (*path, index)
    elif isinstance(value, dict):
        for key in value:
            yield str(key), (*path, key)


def _references(service: dict, key: str, base: KeyPath) -> Iterator[tuple[str, KeyPath]]:
    value = service.get(key)
    path = (*base, key)
    if key == "volumes":
        if not isinstance(value, list):
            return
        for index, item in enumerate(value):
            source = None
            if isinstance(item, str):
                parts = item.split(":")
                source = parts[0] if len(parts) > 1 else None
            elif isinstance(item, dict) and item.get("type", "volume") == "volume":
                source = item.get("source")
            if isinstance(source, str) and source and not source.startswith(("/", ".", "~", "$")) and not re.match(
                r"^[A-Za-z]:[\\/]", source
            ):
                yield source, (*path, index)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield item, (*path, index)
            elif isinstance(item, dict) and isinstance(item.get("source"), str):
                yield item["source"], (*path, index)
    elif isinstance(value, dict):
        for name in value:
            yield str(name), (*path, name)


def _port_hits(ports, name: str, base: KeyPath, published: dict, hit, document: _Document) -> Iterator[Hit]:
    """AU211 for a mapping Docker refuses; AU210 for a host port another mapping of the file already takes."""
    if not isinstance(ports, list):
        return
    for index, item in enumerate(ports):
        path = (*base, "ports", index)
        if isinstance(item, dict):  # the long syntax: the schema checks its fields
            fields = ["" if item.get(key) is None else str(item[key]) for key in ("host_ip", "published", "target", "protocol")]
            if "$" in "".join(fields):
                continue
            host_ip, host, target, protocol = fields
            try:
                mapping = parse_port(f"{host}:{target}/{protocol}")
            except PortError:
                continue
            mapping = replace(mapping, host_ip=host_ip)
        elif isinstance(item, str) and "$" not in item:
            try:
                mapping = parse_port(item)
            except PortError as error:
                yield hit(path, "AU211", f"`{item}` is not a port mapping such as `8080:80`, `127.0.0.1:8080:80` "
                                         f"or `53:53/udp`: {error}")
                continue
        else:
            continue
        line = document.at(path)[0]
        for port in mapping.fixed_host_ports:
            takers = published.setdefault((port, mapping.protocol), [])
            other = next((taken for taken in takers if _clash(taken[0], mapping.host_ip)), None)
            if other is not None:
                where = f" on {other[0] or 'every address'}" if other[0] != mapping.host_ip else ""
                yield hit(path, "AU210", f"host port {port}/{mapping.protocol} is already published{where} by "
                                         f"service `{other[1]}` (line {other[2]}): two containers cannot listen on it")
                break
            takers.append((mapping.host_ip, name, line))


def _clash(ip_a: str, ip_b: str) -> bool:
    try:
        return clash(ip_a, ip_b)
    except ValueError:  # not an address: interpolated, or a name Docker would refuse anyway
        return ip_a == ip_b


def _restart_hits(restart: str, path: KeyPath, hit) -> Iterator[Hit]:
    """AU217: a restart policy Docker does not know, or a retry count that goes with another policy than on-failure."""
    policy, colon, count = restart.partition(":")
    # Compose also maps `none` and `any`, the names of `deploy.restart_policy`, to `no` and `always`.
    if policy not in ("no", "always", "on-failure", "unless-stopped", "none", "any"):
        close = difflib.get_close_matches(policy, ["no", "always", "on-failure", "unless-stopped"], n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        yield hit(path, "AU217", f"`restart: {restart}` is no restart policy{hint}: Docker knows `no`, `always`, "
                                 "`on-failure[:N]` and `unless-stopped`")
    elif colon and policy != "on-failure":
        yield hit(path, "AU217", f"`restart: {restart}`: a retry count only goes with `on-failure` (`on-failure:{count}`); "
                                 f"Docker refuses it with `{policy}`")
    elif colon and not count.isdigit():
        yield hit(path, "AU217", f"`restart: {restart}`: the retry count after `on-failure:` is a whole number "
                                 "such as `on-failure:3`")


def _environment_hits(environment, path: KeyPath, hit) -> Iterator[Hit]:
    entries: list[tuple[str, object, KeyPath]] = []
    if isinstance(environment, list):
        for index, item in enumerate(environment):
            if isinstance(item, str) and "=" in item:
                name, _, setting = item.partition("=")
                entries.append((name, setting, (*path, index)))
    elif isinstance(environment, dict):
        entries = [(str(key), value, (*path, key)) for key, value in environment.items()]
    for key, value, where in entries:
        if value is None or not _SECRET_KEY.search(key) or key.upper().endswith("_FILE"):
            continue
        text = str(value)
        if "$" in text or _HARMLESS_VALUE.match(text):
            continue
        yield hit(where, "AU213", f"`{key}` holds a password in plain text: use `secrets:` (with `{key}_FILE` when "
                                  f"the image supports it) or `{key}: ${{{key}}}` with an `.env` file")
