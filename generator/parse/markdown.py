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
