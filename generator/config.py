"""Read `course.yml` (optional) into a frozen `Config`.

Every key is checked for its type, and an unknown key is an error naming the
key and its line: a typo in `course.yml` should not be silently ignored.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ConfigError
from generator.model import Limits, Location

CONFIG_NAME = "course.yml"
PAPERS = ("a4", "letter")
LINT_STATES = ("course", "chapter")


@dataclass(frozen=True, slots=True)
class Config:
    """A course's settings; every field has a default, so `course.yml` is optional."""

    root: Path
    title: str = ""
    subtitle: str = ""
    author: str = ""
    language: str = "es"
    license: str = ""
    version: str = ""
    date: str = ""
    slug: str = ""
    theme: str = ""
    paper: str = "a4"
    chapters: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()
    lint_state: str = "course"  # the state simulation: one machine for the whole `course`, or a clean one per `chapter`
    cheatsheet_groups: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


_STRING_KEYS = ("title", "subtitle", "author", "language", "license", "version", "date", "slug", "theme", "paper")


def document_date(config: Config) -> str:
    """Return the date stamped into documents: `SOURCE_DATE_EPOCH`, else the course `date`, else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", config.date):
        return config.date
    return ""


def slugify_title(title: str) -> str:
    """Return a file-name-safe slug: ASCII letters and digits joined by hyphens."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "course"


def load_config(root: Path) -> Config:
    """Return the configuration of the course in `root`, reading `course.yml` if present."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 ({error.reason} at byte {error.start})", path) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", path) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = Location(path, mark.line + 1) if mark else path
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"YAML syntax error: {problem}", where) from None
    if data is None:
        return Config(root=root)
    if not isinstance(data, Mapping):
        raise ConfigError("must be a mapping of settings (key: value)", Location(path, 1))
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    return _config_from_mapping(root, path, data, lines)


def _config_from_mapping(root: Path, path: Path, data: Mapping, lines: Mapping[str, int]) -> Config:
    def where(key: str) -> Location:
        return Location(path, lines.get(key, 1))

    def string(key: str) -> str:
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool) or hasattr(value, "isoformat"):
            return str(value)  # `version: 1.0` and `date: 2026-09-01` are meant as text
        if not isinstance(value, str):
            raise ConfigError(f"`{key}` must be a text, not {_type_name(value)}", where(key))
        return value

    def string_list(key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"`{key}` must be a list of texts", where(key.split(".")[0]))
        return tuple(value)

    settings: dict[str, Any] = {}  # checked one by one below
    for key in data:
        if key in _STRING_KEYS:
            settings[key] = string(key)
        elif key == "chapters":
            settings["chapters"] = string_list("chapters", data[key])
        elif key == "lint":
            lint = _sub_mapping(data, key, ("ignore", "state"), where)
            settings["lint_ignore"] = string_list("lint.ignore", lint.get("ignore", []))
            state = lint.get("state", "course")
            if state not in LINT_STATES:
                raise ConfigError(f"`lint.state` must be one of {', '.join(LINT_STATES)}, not `{state}`", where(key))
            settings["lint_state"] = state
        elif key == "cheatsheet":
            groups = _sub_mapping(data, key, ("groups",), where).get("groups", [])
            settings["cheatsheet_groups"] = string_list("cheatsheet.groups", groups)
        elif key == "limits":
            limits = _sub_mapping(data, key, Limits.__dataclass_fields__, where)
            for name, value in limits.items():
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise ConfigError(f"`limits.{name}` must be a positive whole number", where(key))
            settings["limits"] = Limits(**limits)
        else:
            known = ", ".join(sorted((*_STRING_KEYS, "chapters", "lint", "cheatsheet", "limits")))
            raise ConfigError(f"unknown key `{key}` (known keys: {known})", where(str(key)))
    paper = str(settings.get("paper", "a4")).lower()
    if paper not in PAPERS:
        raise ConfigError(f"`paper` must be one of {', '.join(PAPERS)}, not `{paper}`", where("paper"))
    settings["paper"] = paper
    # The slug names the output files: it must not lead them out of the output folder.
    if not re.fullmatch(r"\w[\w.-]*", str(settings.get("slug") or "x")):
        raise ConfigError("`slug` must be a file name: letters, digits, `-`, `_` and `.`", where("slug"))
    chapters = settings.get("chapters", ())
    for name in chapters:
        if chapters.count(name) > 1:
            raise ConfigError(f"chapter `{name}` is listed twice in `chapters`", where("chapters"))
    return Config(root=root, **settings)


def _sub_mapping(data: Mapping, key: str, allowed, where) -> dict:
    value = data[key]
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"`{key}` must be a mapping", where(key))
    for sub in value:
        if sub not in allowed:
            raise ConfigError(f"unknown key `{key}.{sub}` (known: {', '.join(allowed)})", where(key))
    return dict(value)


def _type_name(value: object) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), type(value).__name__)
