"""Themes: a search path of folders, user theme first, built-in `default` last.

A user theme overrides a template, a stylesheet, a font or the slide template
by holding a file of the same name; everything else comes from `default`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.errors import ThemeError

DEFAULT_THEME = "default"


def builtin_themes_dir() -> Path:
    """Return the folder of the themes that ship with Aula (installed or in the source tree)."""
    installed = Path(__file__).parent / "_themes"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "themes"


def resolve_theme_dir(spec: str, base: Path) -> Path | None:
    """Return the folder a `--theme`/`theme:` value names: a path (relative to `base`) or a built-in name."""
    if not spec:
        return None
    candidate = (base / spec).expanduser()
    if candidate.is_dir():
        return candidate.resolve()
    builtin = builtin_themes_dir() / spec
    if builtin.is_dir():
        return builtin.resolve()
    raise ThemeError(f"theme not found: `{spec}` (neither a folder nor a built-in theme)")


@dataclass(frozen=True)
class Theme:
    """The theme folders, searched in order, and what is read from them."""

    folders: tuple[Path, ...]

    @classmethod
    def load(cls, user_theme: Path | None = None) -> Theme:
        default = (builtin_themes_dir() / DEFAULT_THEME).resolve()
        if user_theme is None or user_theme == default:
            return cls((default,))
        return cls((user_theme, default))

    def optional(self, name: str) -> Path | None:
        """Return the first file called `name` along the search path, if any."""
        return next((folder / name for folder in self.folders if (folder / name).is_file()), None)

    def stylesheets(self, main: str) -> list[Path]:
        """Return the stylesheets of a PDF: the fonts, `main`, and a user theme's `custom.css` if any."""
        custom = self.optional("custom.css")  # a user theme's small additions
        return [self.find("fonts.css"), self.find(main), *([custom] if custom else [])]

    def find(self, name: str) -> Path:
        """Return the first file called `name` along the search path."""
        path = self.optional(name)
        if path is not None:
            return path
        raise ThemeError(f"the theme has no `{name}` (looked in {', '.join(map(str, self.folders))})")

    def files(self) -> list[Path]:
        """Return every file the theme is made of, for cache keys."""
        return sorted(p for folder in self.folders for p in folder.rglob("*") if p.is_file())

    @cached_property
    def environment(self) -> jinja2.Environment:
        loader = jinja2.FileSystemLoader([str(folder) for folder in self.folders])
        # Sandboxed: a theme can come with a course from anyone, and must not run code.
        return SandboxedEnvironment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template_name: str, **context: object) -> str:
        """Render a template, turning template mistakes into errors that name the file and line."""
        try:
            return self.environment.get_template(template_name).render(**context)
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.filename or error.name}:{error.lineno}"
            raise ThemeError(f"{where}: template syntax error: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            where = self._where(error, template_name)
            raise ThemeError(f"{where}: template `{error.name}` not found in the theme") from None
        except jinja2.UndefinedError as error:
            raise ThemeError(f"{self._where(error, template_name)}: {error.message}") from None
        except SecurityError as error:
            raise ThemeError(f"{self._where(error, template_name)}: not allowed in a theme: {error}") from None

    def template_uses(self, template_name: str, variable: str) -> bool:
        """Return whether a template reads `variable` (a user theme's older copy may not know a newer one)."""
        try:
            path = self.find(template_name)
            stat = path.stat()
            return variable in _variables_read(path, stat.st_size, stat.st_mtime_ns)
        except (OSError, UnicodeDecodeError, ThemeError, jinja2.TemplateSyntaxError):
            return False  # rendered the old way, which reports the problem

    def _where(self, error: Exception, template_name: str) -> str:
        """Return `file:line` of the template line that failed: Jinja puts template lines in the traceback."""
        where = template_name
        traceback = error.__traceback__
        while traceback is not None:
            filename = traceback.tb_frame.f_code.co_filename
            if any(filename.startswith(f"{folder}/") for folder in self.folders):
                where = f"{filename}:{traceback.tb_lineno}"
            traceback = traceback.tb_next
        return where

    def messages(self, language: str) -> Mapping[str, str]:
        """Return the theme's labels in `language` (falling back to English for missing ones)."""
        labels: dict[str, str] = {}
        for lang in ("en", language.split("-")[0].lower()):
            for folder in reversed(self.folders):
                path = folder / "messages" / f"{lang}.yml"
                if path.is_file():
                    labels.update(self._read_messages(path))
        return labels

    @staticmethod
    def _read_messages(path: Path) -> Mapping[str, str]:
        try:
            stat = path.stat()
            return _read_catalogue(path, stat.st_size, stat.st_mtime_ns)
        except OSError as error:
            raise ThemeError(f"cannot read message catalogue: {error}", path) from None


@lru_cache(maxsize=64)
def _read_catalogue(path: Path, size: int, mtime: int) -> Mapping[str, str]:
    """Return a message catalogue, read once a process (every handout, sheet and deck asks): an edited one is read again."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ThemeError(f"cannot read message catalogue: {error}", path) from None
    if not isinstance(data, Mapping):
        raise ThemeError("message catalogue must be a mapping of label: text", path)
    return MappingProxyType({str(key): str(value) for key, value in data.items()})


@lru_cache(maxsize=32)
def _variables_read(path: Path, size: int, modified: int) -> frozenset[str]:
    """Return the variables a template file reads, parsed once a process while the file stays the same (35 ms a parse)."""
    import jinja2.meta

    return frozenset(jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(path.read_text(encoding="utf-8"))))
