"""The command cheat sheet: every docker command the course teaches, on one or two landscape pages.

The PDF and the text forms (`aula cheatsheet --format md|json`) show the same
`CommandSheet`, collected by `generator.render.cheatsheet.commands`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from generator import __version__
from generator.config import CONFIG_NAME, Config
from generator.model import Course
from generator.render.cheatsheet.commands import CommandSheet, collect_commands
from generator.render.core.pdf import PdfTarget
from generator.themes import Theme

PAGE_SIZES = {"a4": "A4 landscape", "letter": "letter landscape"}
MAX_PAGES = 2  # what a student pins next to the screen; a bigger course flows on, with a warning
TEXT_FORMATS = ("md", "json")

# `<contenedor>` is a placeholder; so is a lone word in brackets (`[opciones]`).
_PLACEHOLDER = re.compile(r"<[^<>\s]+>|(?<=\[)[^\W\d_]+(?=\])")


@dataclass(frozen=True, slots=True)
class CheatsheetOptions:
    paper: str = "a4"
    created: str = ""  # ISO date for the PDF metadata; empty leaves it out
    groups: tuple[str, ...] = ()  # `cheatsheet.groups` from course.yml: these groups first
    config_path: Path | None = None  # where `groups` was written, for error messages

    @classmethod
    def from_config(cls, config: Config, created: str = "") -> CheatsheetOptions:
        return cls(config.paper, created, config.cheatsheet_groups, config.root / CONFIG_NAME)


def command_sheet(course: Course, options: CheatsheetOptions) -> CommandSheet:
    """Return the commands the sheet shows, in the order the options ask for."""
    return collect_commands(course, options.groups, options.config_path)


def command_html(command: str) -> Markup:
    """Return a command as HTML, its placeholders in `<var>` (set in italics)."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(command):
        parts += [escape(command[last : match.start()]), Markup("<var>{}</var>").format(match.group())]
        last = match.end()
    parts.append(escape(command[last:]))
    return Markup("").join(parts)


def cheatsheet_html(course: Course, theme: Theme, options: CheatsheetOptions) -> str:
    """Return the cheat sheet as one HTML document."""
    return theme.render(
        "cheatsheet.html",
        info=course.info,
        sheet=command_sheet(course, options),
        labels=dict(theme.messages(course.info.language)),
        page_size=PAGE_SIZES[options.paper],
        created=options.created,
        version=__version__,
        command=command_html,
    )


def render_cheatsheet(course: Course, theme: Theme, options: CheatsheetOptions) -> bytes:
    """Return the cheat sheet PDF."""
    target = PdfTarget.for_course(course, theme, theme.stylesheets("cheatsheet.css"))
    return target.pdf(cheatsheet_html(course, theme, options), f"{course.info.slug}-cheatsheet", page_limit=MAX_PAGES)


def cheatsheet_text(course: Course, theme: Theme, options: CheatsheetOptions, text_format: str) -> str:
    """Return the cheat sheet as Markdown (`md`) or JSON (`json`)."""
    sheet = command_sheet(course, options)
    labels = theme.messages(course.info.language)
    if text_format == "json":
        return json.dumps(_as_data(course, sheet, labels), ensure_ascii=False, indent=2) + "\n"
    return _as_markdown(course, sheet, labels)


def _flag_form(flag: str, labels: Mapping[str, str]) -> str:
    return labels.get(f"flag_{flag.lstrip('-')}_form", flag)


def _flag_description(flag: str, labels: Mapping[str, str]) -> str:
    return labels.get(f"flag_{flag.lstrip('-')}", "")


def _as_data(course: Course, sheet: CommandSheet, labels: Mapping[str, str]) -> dict:
    return {
        "title": labels.get("cheatsheet", "Command cheat sheet"),
        "course": course.info.title,
        "version": course.info.version,
        "language": course.info.language,
        "flags": [
            {"flag": flag, "form": _flag_form(flag, labels), "description": _flag_description(flag, labels)}
            for flag in sheet.flags
        ],
        "groups": [
            {
                "key": group.key,
                "title": labels.get(f"group_{group.key}", group.key),
                "entries": [
                    {"commands": list(entry.commands), "description": entry.description, "source": str(entry.location)}
                    for entry in group.entries
                ],
            }
            for group in sheet.groups
        ],
    }


def _as_markdown(course: Course, sheet: CommandSheet, labels: Mapping[str, str]) -> str:
    version = f" ({labels.get('version', 'Version')} {course.info.version})" if course.info.version else ""
    lines = [f"# {labels.get('cheatsheet', 'Command cheat sheet')}: {course.info.title}{version}", ""]
    if sheet.flags:
        lines += [f"## {labels.get('cheatsheet_flags', 'Common options')}", ""]
        lines += [f"- {_code(_flag_form(flag, labels))}: {_flag_description(flag, labels)}" for flag in sheet.flags]
        lines.append("")
    for group in sheet.groups:
        lines += [f"## {labels.get(f'group_{group.key}', group.key)}", ""]
        for entry in group.entries:
            commands = ", ".join(_code(command) for command in entry.commands)
            lines.append(f"- {commands}: {entry.description}" if entry.description else f"- {commands}")
        lines.append("")
    return "\n".join(lines)


def _code(text: str) -> str:
    """Return `text` as a Markdown code span, with a fence longer than any backtick run inside."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
