"""Markdown written for other tools, read into Aula's own kinds of block.

What each tool's box becomes (a kind of `model.CALLOUT_KINDS`, and the title it
shows when the author wrote none) is in the tables below; docs/authoring.md
("Markdown from other tools") says the same for authors. The rest of this module
finds, among sibling syntax-tree nodes, the constructs that span several nodes
(remark's speaker notes, HTML anchors standing alone before a heading) and what
a node's raw text says (an alert's `[!NOTE]`, a div's `{.callout-tip}`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeGuard

from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attributes

from generator.model import CALLOUT_KINDS
from generator.parse.markdown import parse_info_string

# --- what each name becomes: (Aula kind, title shown when the author gave none) --------------

# mkdocs / Material admonitions (`!!! note`, `??? tip`), also used for GitHub alerts
# (`> [!NOTE]`) and Obsidian callouts (`> [!info]`), which use the same names.
# Material's own aliases are listed with their type; `hint` is Material's alias of `tip`
# (Aula's `hint` lives inside an exercise, which an admonition cannot say).
ADMONITIONS: Mapping[str, tuple[str, str]] = {
    **{name: ("tip", name.capitalize()) for name in (
        "note", "info", "todo", "abstract", "summary", "tldr", "example", "question", "help", "faq",
        "quote", "cite", "hint", "important", "success", "check", "done",
    )},
    "tip": ("tip", ""),
    **{name: ("warning", name.capitalize()) for name in (
        "caution", "attention", "danger", "error", "bug", "failure", "fail", "missing",
    )},
    "warning": ("warning", ""),
    # Courses that define admonitions named after teaching blocks mean those blocks.
    **{kind: (kind, "") for kind in ("exercise", "solution", "notes", "teacher", "objectives", "keypoints")},
}
ADMONITION_DEFAULT = "tip"  # an unknown type: mkdocs draws it as a plain note

# Fenced-div names of other tools (`::: challenge`, `::: {.callout-note}`). Aula's own kinds
# keep their meaning; mkdocs names such as `note` are not taken here, where `::: note` is
# more likely a slip for `::: notes` (teacher-only) than a box for students.
DIVS: Mapping[str, tuple[str, str]] = {
    **{kind: (kind, "") for kind in CALLOUT_KINDS},
    # Carpentries Workbench
    "challenge": ("exercise", ""),
    "callout": ("tip", ""),
    "discussion": ("tip", "Discussion"),
    "testimonial": ("tip", "Testimonial"),
    "prereq": ("tip", "Prerequisite"),
    "checklist": ("tip", "Checklist"),
    "spoiler": ("tip", ""),
    "caution": ("warning", "Caution"),
    "instructor": ("teacher", ""),
    "questions": ("objectives", "Questions"),
    # Quarto callouts (`notes` is Quarto's and reveal.js's speaker notes, as in Aula)
    "callout-note": ("tip", "Note"),
    "callout-tip": ("tip", ""),
    "callout-important": ("tip", "Important"),
    "callout-warning": ("warning", ""),
    "callout-caution": ("warning", "Caution"),
}

# Divs that only lay out or reveal their content on a web page or a reveal.js slide:
# the content is kept where it stands and the div dropped.
LAYOUT_DIVS = frozenset((
    "incremental", "nonincremental", "fragment", "columns", "column", "r-stack", "r-hstack", "r-vstack",
    "panel-tabset", "panel-sidebar", "panel-fill", "panel-center", "panel-input", "content-visible",
    "content-hidden", "aside", "center", "smaller", "scrollable", "tab", "group-tab",
))

# remark's `.name[` wrappers that mean a teaching block; any other name (`.small[`,
# `.lab[`, `.footnote[`, `.left-column[` …) is layout: the content is kept, the wrapper dropped.
REMARK_CLASSES: Mapping[str, str] = {"exercise": "exercise", "warning": "warning"}

# remark slide properties, lines at the start of a slide (`class: title`, `name: intro`).
_SLIDE_PROPERTY = re.compile(r"^(name|class|layout|template|background-image|count|exclude)\s*:(.*)$")
_REMARK_NOTES = "???"
_REMARK_INCREMENT = "--"


@dataclass(frozen=True, slots=True)
class Div:
    """What a fenced div's opening line says: a box of some kind, or layout to drop."""

    kind: str  # "" for a layout div: its content is kept, the div dropped
    name: str  # the name as written, lower case
    title: str  # written on the opening line or as `title="…"`
    default_title: str  # shown when neither the line nor a first heading gives one
    anchors: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)  # `{key=value}` written after the title


def read_div(info: str) -> Div:
    """Return what a div's opening line (after the colons) asks for."""
    text = info.strip()
    bare = text.rstrip(":")
    if len(text) - len(bare) >= 3 and bare != bare.rstrip():  # pandoc allows `::: Warning :::`
        text = bare.rstrip()
    if not text.startswith("{"):
        name, _, title = text.partition(" ")
        name = name.lower()
        if name in LAYOUT_DIVS:
            return Div("", name, "", "")
        kind, default = DIVS.get(name, (name, ""))  # an unknown name stays: the linter names it
        title, written = _trailing_attributes(title.strip())
        anchors = (written.pop("id"),) if written.get("id") else ()
        return Div(kind, name, title, default, anchors, written)
    # Pandoc attributes: the first class Aula knows names the box; with none it is plain
    # layout (pandoc renders an unknown class as a bare <div>).
    attributes = parse_info_string(text)
    anchors = (attributes.attributes["id"],) if attributes.attributes.get("id") else ()
    name = next((c.lower() for c in attributes.classes if c.lower() in DIVS), "")
    if not name:
        return Div("", "", "", "", anchors)
    kind, default = DIVS[name]
    return Div(kind, name, attributes.attributes.get("title", "").strip(), default, anchors)


def _trailing_attributes(title: str) -> tuple[str, dict[str, str]]:
    """Split `Título {space=8 #id}` into the title and its attributes (none when the braces are not attributes)."""
    if not title.endswith("}") or "{" not in title:
        return title, {}
    start = title.rfind("{")
    parsed = parse_info_string(title[start:])
    if not parsed.attributes and not parsed.classes:
        return title, {}
    return title[:start].rstrip(), dict(parsed.attributes)


def without_own_name(title: str, *names: str) -> str:
    """Return a box's heading without a repeat of the box's name: "Solution" → "", "Exercise: Ports" → "Ports".

    The box's label already says it ("Exercise 1.2: Ports").
    """
    title = title.strip()
    for name in filter(None, names):
        if re.fullmatch(rf"{re.escape(name)}\s*[:.]?", title, re.IGNORECASE):
            return ""
        prefixed = re.fullmatch(rf"{re.escape(name)}\s*:\s*(.+)", title, re.IGNORECASE)
        if prefixed:
            return prefixed[1]
    return title


def admonition_kind(tag: str) -> tuple[str, str]:
    """Return the kind and default title of an mkdocs admonition type (`note`, `danger`, …)."""
    tag = tag.lower()
    return ADMONITIONS.get(tag, (ADMONITION_DEFAULT, tag.capitalize()))


# What Python-Markdown (mkdocs) takes as an admonition: words, then maybe a quoted title.
_ADMONITION_LINE = re.compile(r'[ \t]*[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"[^"]*")?[ \t]*')


def is_admonition_line(info: str) -> bool:
    """Tell whether what follows `!!!` reads as an admonition (`note "Title"`), not a sentence (`Don't!`)."""
    return _ADMONITION_LINE.fullmatch(info) is not None


def admonition_title_written(info: str) -> bool:
    """Tell whether `!!! type …` has anything after its type (a title, maybe `""` for none)."""
    return len(info.split(maxsplit=1)) > 1


_ALERT = re.compile(r"^\[!([A-Za-z]+)\]([+-]?)(?:[ \t]+(.*))?$")


def alert(first_line: str) -> tuple[str, str] | None:
    """Return (kind, title) when a quote's first line is an alert marker (`[!NOTE]`), else None.

    GitHub writes the marker alone (`[!NOTE]`); Obsidian lets a title follow it
    and a `+`/`-` fold sign precede the title (`[!tip]- Read more`), and knows the
    mkdocs names (`[!info]`, `[!danger]`). Any other `[!WORD]` stays a quote.
    """
    match = _ALERT.match(first_line.strip())
    if match is None or match[1].lower() not in ADMONITIONS:
        return None
    kind, default = ADMONITIONS[match[1].lower()]
    return kind, (match[3] or "").strip() or default


# --- anchors ------------------------------------------------------------------------------

# Each attribute after a space, so a long run of letters can be read one way only (no backtracking).
_ANCHOR_TAG = re.compile(
    r"""^<a(?P<attrs>(?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>$""", re.IGNORECASE
)
_TAG_ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_ANY_TAG = re.compile(r"<[^>]*>")


def anchor_tag(html: str) -> str | None:
    """Return the name of an HTML anchor `<a name="x">` / `<a id="x">` (no `href`), else None."""
    match = _ANCHOR_TAG.match(html.strip())
    if match is None:
        return None
    attributes = {m[1].lower(): next((v for v in m.groups()[1:] if v is not None), "")
                  for m in _TAG_ATTRIBUTE.finditer(match["attrs"])}
    if "href" in attributes:
        return None
    return attributes.get("id") or attributes.get("name") or None


def is_closing_a(html: str) -> bool:
    return html.strip().lower() == "</a>"


def is_comment(html: str) -> bool:
    stripped = html.strip()
    return stripped.startswith("<!--") and stripped.endswith("-->")


def html_anchors(html: str) -> tuple[str, ...] | None:
    """Return the anchors of raw HTML made only of anchor tags (`<a name="x"></a>`), else None."""
    tags = _ANY_TAG.findall(html)
    if not tags or _ANY_TAG.sub("", html).strip():
        return None
    names = []
    for tag in tags:
        name = anchor_tag(tag)
        if name:
            names.append(name)
        elif not is_closing_a(tag):
            return None
    return tuple(names) or None


def heading_attributes(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Split `Title {#id .class}` into the title and its `#id`, or None when there is no attribute block.

    Pandoc, kramdown and mkdocs (`attr_list`) spellings: `{#id}`, `{ #id .x }`,
    `{: #id}`, `{-}` (unnumbered). Braces holding anything else stay text.
    """
    text = text.rstrip()
    start = text.rfind("{")
    if start < 0 or not text.endswith("}") or text.count("}", start) != 1:
        return None
    inner = text[start + 1 : -1].strip().removeprefix(":")  # kramdown's `{: #id}`
    # pandoc's `-` is short for `.unnumbered`
    inner = " ".join(".unnumbered" if word == "-" else word for word in inner.split(" "))
    try:
        end, attributes = parse_attributes("{" + inner + "}")
    except ParseError:
        return None
    if end != len(inner) + 1:
        return None
    return text[:start].rstrip(), ((attributes["id"],) if attributes.get("id") else ())


# --- constructs over several sibling nodes ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """Sibling nodes a dialect's markers enclose, to become one box (remark's `???` notes)."""

    kind: str
    first: SyntaxTreeNode  # the marker node: where the box starts
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Anchors:
    """Link targets written apart from any heading: `<a name="x"></a>` alone, a remark `name: x`."""

    names: tuple[str, ...]
    node: SyntaxTreeNode


@dataclass(frozen=True, slots=True)
class Trimmed:
    """A paragraph with its first line taken off (an alert's `[!NOTE]`)."""

    node: SyntaxTreeNode
    inlines: tuple[SyntaxTreeNode, ...]
    line_offset: int = 1


Item = SyntaxTreeNode | Group | Anchors | Trimmed


def raw_text(node: SyntaxTreeNode) -> str | None:
    """Return a paragraph's text as written (markup included), or None for another node."""
    if node.type != "paragraph" or not node.children:
        return None
    return node.children[0].content


def is_break(item: Item | None) -> TypeGuard[SyntaxTreeNode]:
    return isinstance(item, SyntaxTreeNode) and item.type == "hr"


def is_heading(item: Item | None) -> TypeGuard[SyntaxTreeNode]:
    return isinstance(item, SyntaxTreeNode) and item.type == "heading"


def _slide_properties(node: SyntaxTreeNode) -> tuple[str, ...] | None:
    """Return the `name:` values of a paragraph made only of remark slide properties, else None."""
    text = raw_text(node)
    if text is None:
        return None
    names = []
    for line in text.splitlines():
        match = _SLIDE_PROPERTY.match(line.strip())
        if match is None:
            return None
        if match[1] == "name" and match[2].strip():
            names.append(match[2].strip())
    return tuple(names)


def is_slide_deck(nodes: Iterable[SyntaxTreeNode], meta: Mapping[str, object]) -> bool:
    """Tell whether a chapter is written as slides: remark markers, or Marp / reveal.js front matter."""
    if meta.get("marp") is True or "revealjs" in str(meta.get("format", "")):
        return True
    slide_start = True
    for node in nodes:
        if node.type == "remark_wrapper":
            return True
        text = raw_text(node)
        if text is not None:
            if text in (_REMARK_NOTES, _REMARK_INCREMENT):
                return True
            if slide_start and _slide_properties(node) is not None:
                return True
        if node.type != "front_matter":
            slide_start = node.type == "hr"
    return False


def slides(nodes: list[SyntaxTreeNode]) -> list[Item]:
    """Read a slide deck's top-level nodes: speaker notes grouped, slide properties and `--` dropped.

    remark's `???` starts the current slide's speaker notes, which run to the next
    slide (`---`); a heading ends them too, so no section is ever swallowed. A
    paragraph of `class: …` / `name: …` lines at the start of a slide is dropped (a
    `name:` is a link target, kept as `Anchors`); `--` (show the rest on a click) too.
    """
    items: list[Item] = []
    slide_start = True
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        text = raw_text(node)
        properties = _slide_properties(node) if slide_start else None
        if properties is not None:
            if properties:
                items.append(Anchors(properties, node))
            continue  # the slide still starts after its properties
        if node.type != "front_matter":
            slide_start = node.type == "hr"
        if text == _REMARK_INCREMENT:
            continue
        if text == _REMARK_NOTES:
            notes = []
            while index < len(nodes) and nodes[index].type not in ("hr", "heading"):
                notes.append(nodes[index])
                index += 1
            if notes:
                items.append(Group("notes", node, tuple(notes)))
            continue
        items.append(node)
    return items


def mark_anchors(items: Iterable[Item]) -> list[Item]:
    """Return sibling items with each paragraph or HTML block made only of HTML anchors as `Anchors`."""
    marked: list[Item] = []
    for item in items:
        anchors = _anchor_only(item) if isinstance(item, SyntaxTreeNode) else None
        marked.append(Anchors(anchors, item) if anchors is not None and isinstance(item, SyntaxTreeNode) else item)
    return marked


def _inline_nodes(paragraph: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return list(paragraph.children[0].children) if paragraph.children else []


def _anchor_only(node: SyntaxTreeNode) -> tuple[str, ...] | None:
    """Return the anchors of a paragraph or HTML block holding only HTML anchors, else None."""
    if node.type == "html_block":
        return html_anchors(node.content)
    if node.type != "paragraph":
        return None
    html = []
    for child in _inline_nodes(node):
        if child.type == "html_inline":
            html.append(child.content)
        elif child.type == "softbreak" or (child.type == "text" and not child.content.strip()):
            continue
        else:
            return None
    return html_anchors("".join(html)) if html else None
