"""markdown-it rules that no mdit-py-plugins plugin provides.

- `fenced_div_plugin`: fenced divs (`::: kind Title` … `:::`), as `container_plugin`
  reads them, plus pandoc's nesting: an inner div may open with as many colons as
  its outer one, since a line of colons alone closes the innermost open div.
- `remark_class_plugin`: remark's class wrapper, `.name[` … `]` on lines of their
  own around blocks, and `.name[text]` inside a paragraph; the wrapper is marked
  so the parser can drop it, or make a box of it, and keep the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
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


def _closing_line(
    state: StateBlock, start_line: int, end_line: int, opens: Callable[[int], bool], closes: Callable[[int], bool]
) -> tuple[int, bool]:
    """Return the line that closes a container opened at `start_line`, and whether one was found.

    Lines that open a nested container (`opens`) must be closed first; lines in a
    fenced code block and indented code are passed over. Without a closing line the
    container ends with its parent: at `end_line`, or at a line indented less than
    the parent's content (a list item's).
    """
    nested = 0
    fence = ""
    line = start_line
    while True:
        line += 1
        if line >= end_line:
            return line, False
        start = state.bMarks[line] + state.tShift[line]
        if start < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            return line, False
        if is_code_block(state, line):
            continue
        fence, was_code = _code_fence(state, line, fence), bool(fence)
        if fence or was_code:
            continue
        if opens(line):
            nested += 1
        elif closes(line):
            if not nested:
                return line, True
            nested -= 1


def _push_container(state: StateBlock, kind: str, start_line: int, line: int, closed: bool) -> tuple[Token, Token]:
    """Push `<kind>_open`, the tokens of lines between, `<kind>_close`; move past the closing line."""
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = line  # lazy continuation lines never run past the closing line
    opening = state.push(f"{kind}_open", "div", 1)
    opening.block = True
    opening.map = [start_line, line]
    state.md.block.tokenize(state, start_line + 1, line)
    closing = state.push(f"{kind}_close", "div", -1)
    closing.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = line + (1 if closed else 0)
    return opening, closing


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    count, params = _colons(state, start_line)
    if count < _MIN_COLONS or not params.strip():
        return False
    if silent:
        return True

    def colons(line: int) -> tuple[int, bool]:  # (at least as many as ours?, anything after them?)
        found, rest = _colons(state, line)
        return found >= count, bool(rest.strip())

    # An opening line with fewer colons is passed over (its closing line too): Aula's own nesting.
    line, closed = _closing_line(
        state, start_line, end_line, lambda n: colons(n) == (True, True), lambda n: colons(n) == (True, False)
    )
    opening, closing = _push_container(state, "container_div", start_line, line, closed)
    opening.markup = ":" * count
    opening.info = params
    closing.markup = ":" * _colons(state, line)[0] if closed else ""  # empty: no closing line was found
    return True


# --- remark `.name[…]` ------------------------------------------------------------------

_CLASS_NAME = re.compile(r"\.([A-Za-z][\w-]{0,39})$")
_WRAPPER_OPEN = re.compile(r"\.([A-Za-z][\w-]*)\[\s*$")


def remark_class_plugin(md: MarkdownIt) -> None:
    """Read remark's class wrappers: `.name[` … `]` around blocks, `.name[text]` in a paragraph.

    Around blocks, the `.name[` and `]` lines (up to three spaces before `]`) give
    `remark_wrapper_open` / `remark_wrapper_close` with `meta["name"]`, as a fenced
    div would: a list inside cannot swallow the `]` as a lazy continuation line, and
    a `]` inside a code block (JSON) does not close anything. A `.name[` line without
    its `]` line is left as text.

    Inside a paragraph, `.name[text]` gives `remark_class_open` / `remark_class_close`
    around the text. The text rule has already taken `.name` into the pending text
    when `[` is reached, so the rule runs at the `[` and takes the name back from
    there. A `[` followed by `](` or `][` is left to the link rules.
    """
    md.block.ruler.before(
        "fence",
        "remark_wrapper",
        _remark_wrapper,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.before("link", "remark_class", _remark_class)


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _remark_wrapper(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    match = _WRAPPER_OPEN.match(_line_text(state, start_line))
    if match is None:
        return False
    line = _wrapper_closers(state, start_line, end_line).get(start_line)
    if line is None:
        return False
    if silent:
        return True
    opening, closing = _push_container(state, "remark_wrapper", start_line, line, True)
    opening.meta = {"name": match[1]}
    opening.markup = f".{match[1]}["
    closing.markup = "]"
    return True


def _wrapper_closers(state: StateBlock, start_line: int, end_line: int) -> dict[int, int | None]:
    """Return the closing `]` line of each `.name[` line from `start_line` on (None: never closed).

    One pass pairs every wrapper of the region, like brackets, and is kept in `env`:
    the other `.name[` lines of the region are answered from it, so a chapter of
    many unclosed `.name[` lines costs one pass, not one per line.
    """
    regions = state.env.setdefault("aula_remark_wrappers", {})
    closers = regions.setdefault((end_line, state.blkIndent), {})
    if start_line in closers:
        return closers
    opened = [start_line]
    fence = ""
    line = start_line
    while True:
        line += 1
        if line >= end_line:
            break
        if state.bMarks[line] + state.tShift[line] < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break
        if is_code_block(state, line):
            continue
        fence, was_code = _code_fence(state, line, fence), bool(fence)
        if fence or was_code:
            continue
        text = _line_text(state, line)
        if _WRAPPER_OPEN.match(text):
            opened.append(line)
        elif text.rstrip() == "]" and opened:
            closers[opened.pop()] = line
    closers.update(dict.fromkeys(opened))
    return closers


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
