"""Two markdown-it rules that no mdit-py-plugins plugin provides.

- `fenced_div_plugin`: fenced divs (`::: kind Title` … `:::`), as `container_plugin`
  reads them, plus pandoc's nesting: an inner div may open with as many colons as
  its outer one, since a line of colons alone closes the innermost open div.
- `remark_class_plugin`: remark's `.name[text]` class wrapper inside a paragraph;
  the wrapper is marked so the parser can drop it and keep the text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.utils import is_code_block

_MIN_COLONS = 3


def fenced_div_plugin(md: MarkdownIt) -> None:
    """Read fenced divs into `container_div_open` / `container_div_close` tokens.

    The tokens are those of `container_plugin(md, name="div")`: `info` holds what
    follows the colons, `map` the lines, and the closing token's `markup` is empty
    when no closing line was found (the div ran to the end of its parent).

    Where the closing line is looked for: `container_plugin` takes the first line of
    at least as many colons and nothing else, and looks past any opening line on
    the way. That makes `::: column` / `::: fragment` / `:::` / `:::` (valid pandoc,
    common in Quarto) close the outer div at the first `:::`. Here an opening line
    with at least as many colons as ours is counted as a nested div that the next
    closing line closes first. Openings with fewer colons are passed over as
    before, so a course that gives inner divs fewer colons reads exactly as with
    `container_plugin`. Lines inside a fenced code block (``` or ~~~) are passed
    over too: an example of div syntax in a code block neither opens nor closes a div.
    """
    md.block.ruler.before(
        "fence",
        "container_div",
        _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def _colons(state: StateBlock, line: int) -> tuple[int, str]:
    """Return the number of colons a line starts with (after its indent) and the rest of the line."""
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    pos = start
    while pos < end and state.src[pos] == ":":
        pos += 1
    return pos - start, state.src[pos:end]


_CODE_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")


def _code_fence(state: StateBlock, line: int, opened: str) -> str:
    """Return the code fence open after `line`: `opened` (the fence's marker) or "" for none."""
    text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    match = _CODE_FENCE.match(text)
    if match is None:
        return opened
    marker, rest = match.groups()
    if not opened:
        return "" if marker[0] == "`" and "`" in rest else marker  # a backtick fence's info has no backtick
    if marker[0] == opened[0] and len(marker) >= len(opened) and not rest.strip():
        return ""
    return opened


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    count, params = _colons(state, start_line)
    if count < _MIN_COLONS or not params.strip():
        return False
    if silent:
        return True

    closed = False
    nested = 0
    fence = ""
    line = start_line
    while True:
        line += 1
        if line >= end_line:
            break  # no closing line: the div ends with its parent
        start = state.bMarks[line] + state.tShift[line]
        if start < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break  # a line indented less than the div's parent (a list item) ends it
        if is_code_block(state, line):
            continue
        fence, was_code = _code_fence(state, line, fence), bool(fence)
        if fence or was_code:
            continue
        colons, rest = _colons(state, line)
        if colons < count:
            continue
        if rest.strip():
            nested += 1  # an opening line as long as ours: its own closing line comes first
        elif nested:
            nested -= 1
        else:
            closed = True
            break

    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = line  # lazy continuation lines never run past the closing line

    token = state.push("container_div_open", "div", 1)
    token.markup = ":" * count
    token.block = True
    token.info = params
    token.map = [start_line, line]

    state.md.block.tokenize(state, start_line + 1, line)

    token = state.push("container_div_close", "div", -1)
    token.markup = ":" * _colons(state, line)[0] if closed else ""
    token.block = True

    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = line + (1 if closed else 0)
    return True


# --- remark `.name[…]` ------------------------------------------------------------------

_CLASS_NAME = re.compile(r"\.([A-Za-z][\w-]{0,39})$")


def remark_class_plugin(md: MarkdownIt) -> None:
    """Read remark's `.name[text]` as `remark_class_open` / `remark_class_close` around the text.

    The text rule has already taken `.name` into the pending text when `[` is
    reached, so the rule runs at the `[` and takes the name back from there. A
    `[` followed by `](` or `][` is left to the link rules, and a `[` without its
    `]` in the same paragraph (a wrapper over several blocks) stays text for the
    parser to pair up.
    """
    md.inline.ruler.before("link", "remark_class", _remark_class)


def _class_before(pending: str) -> tuple[str, int] | None:
    """Return the `.name` that ends the pending text (and where it starts), if a space or nothing precedes it.

    Only the end of the text is looked at: a paragraph of many `[` must not cost its length each time.
    """
    tail = pending[-41:]
    match = _CLASS_NAME.search(tail)
    if match is None:
        return None
    start = len(pending) - len(tail) + match.start()
    if start > 0 and not pending[start - 1].isspace():
        return None
    return match[1], start


def _remark_class(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = _class_before(state.pending)
    if match is None:
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if end < 0 or state.src[end + 1 : end + 2] in ("(", "["):
        return False
    if silent:
        return True
    name, start = match
    state.pending = state.pending[:start]
    token = state.push("remark_class_open", "span", 1)
    token.meta = {"name": name}
    token.markup = f".{name}["
    old_max = state.posMax
    state.pos, state.posMax = state.pos + 1, end
    state.md.inline.tokenize(state)
    state.pos, state.posMax = end + 1, old_max
    token = state.push("remark_class_close", "span", -1)
    token.markup = "]"
    return True
