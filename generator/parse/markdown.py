"""The Markdown dialect: one markdown-it-py parser and the code-fence info strings.

CommonMark plus tables, strikethrough, footnotes, YAML front matter and fenced
divs (`::: kind Title`). Raw HTML is tokenised (so `<!-- aula: … -->` comments
can steer the linter) but never rendered as markup.

Other tools' syntax is read too, so their Markdown comes in cleanly (see
`dialects.py` for what each becomes): mkdocs admonitions (`!!! note`, `??? tip`),
pandoc/Quarto divs (`::: {.callout-note}`, nested with equal colons),
`{height=…}` after an image, remark's `.name[…]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from generator.model import CodeKind
from generator.parse.extensions import fenced_div_plugin, remark_class_plugin

# Deeper blocks are left out by markdown-it (the parser warns), deeper inline runs kept as text:
# either way, our own recursion over the tree is bounded too.
MAX_NESTING = 40


@cache
def markdown_parser(max_nesting: int = MAX_NESTING) -> MarkdownIt:
    """Return the shared parser (building it once per process)."""
    md = MarkdownIt("commonmark", {"maxNesting": max_nesting})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    # One div rule for every div name: the name is read from the params,
    # so an unknown name still parses and the linter can point at it.
    md.use(fenced_div_plugin)
    md.use(admon_plugin)
    # Pandoc's `{width=50%}` after an image sizes it for a web page: read and dropped, not printed.
    md.use(attrs_plugin, after=("image",))
    md.use(remark_class_plugin)
    return md


@dataclass(frozen=True, slots=True)
class InfoString:
    """A fence's info string split into language, `{.classes}` and `key="value"` pairs."""

    language: str = ""
    classes: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)


_ATTRIBUTE = re.compile(
    r"""\s*(?:
        \.(?P<cls>[\w-]+)                                    # .class
      | \#(?P<id>[\w-]+)                                     # #id
      | (?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s{}"']+))
      | (?P<brace>[{}])
      | (?P<word>\S+)
    )""",
    re.VERBOSE,
)


def parse_info_string(info: str) -> InfoString:
    """Split a fence info string such as `yaml title="compose.yaml" {.bad-example}`."""
    info = info.strip()
    language = ""
    if info and not info.startswith("{"):
        language, _, info = info.partition(" ")
        if "{" in language:  # `console{.synopsis}` written without a space
            language, brace, rest = language.partition("{")
            info = brace + rest + " " + info
    classes: list[str] = []
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(info):
        if match["cls"]:
            classes.append(match["cls"])
        elif match["id"]:
            attributes["id"] = match["id"]
        elif match["key"]:
            value = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
            attributes[match["key"]] = value
    return InfoString(language.lower(), tuple(classes), attributes)


_LANGUAGE_KINDS = {
    "dockerfile": CodeKind.DOCKERFILE,
    "docker": CodeKind.DOCKERFILE,
    "containerfile": CodeKind.DOCKERFILE,
    "console": CodeKind.CONSOLE,
    "shell-session": CodeKind.CONSOLE,
    "shellsession": CodeKind.CONSOLE,
    "terminal": CodeKind.CONSOLE,
    "sh": CodeKind.SCRIPT,
    "bash": CodeKind.SCRIPT,
    "shell": CodeKind.SCRIPT,
    "zsh": CodeKind.SCRIPT,
    "yaml": CodeKind.YAML,
    "yml": CodeKind.YAML,
    "text": CodeKind.TEXT,
    "txt": CodeKind.TEXT,
    "plain": CodeKind.TEXT,
    "plaintext": CodeKind.TEXT,
    "output": CodeKind.TEXT,
}

_COMPOSE_TITLE = re.compile(r"(?:^|/)(?:docker-)?compose[\w.-]*\.ya?ml$", re.IGNORECASE)
_TOP_LEVEL_SERVICES = re.compile(r"^services:\s*(?:#.*)?$", re.MULTILINE)
_DOCKERFILE_START = re.compile(r"^(?:FROM|ARG)\s+\S", re.IGNORECASE)
_SHELL_SHEBANG = re.compile(r"^#!\s*/\S*/(?:env\s+)?(?:ba|da|z|k)?sh\b")
_COMMAND_LINE = re.compile(r"^(?:\$ |docker\s|sudo docker\s)")


def code_kind(language: str, title: str, text: str) -> CodeKind:
    """Return what a code block holds, from its language or, when none, its text."""
    kind = _LANGUAGE_KINDS.get(language)
    if kind is CodeKind.YAML and (_COMPOSE_TITLE.search(title) or _TOP_LEVEL_SERVICES.search(text)):
        return CodeKind.COMPOSE
    if kind is not None:
        return kind
    if language:
        return CodeKind.OTHER
    return sniff_code_kind(text)


def sniff_code_kind(text: str) -> CodeKind:
    """Guess the kind of an untagged block: Dockerfile, compose file, shell session or text."""
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and _SHELL_SHEBANG.match(lines[0]):
        return CodeKind.SCRIPT
    first_instruction = next((line for line in lines if not line.lstrip().startswith("#")), "")
    if _DOCKERFILE_START.match(first_instruction.strip()) and first_instruction.split()[0].isupper():
        return CodeKind.DOCKERFILE
    if _TOP_LEVEL_SERVICES.search(text):
        return CodeKind.COMPOSE
    if lines and any(_COMMAND_LINE.match(line.lstrip()) for line in lines):
        return CodeKind.CONSOLE
    return CodeKind.TEXT
