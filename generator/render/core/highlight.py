"""Syntax highlighting shared by every renderer: code as lines of (token class, text) runs.

Pygments lexes; each renderer decides how a token class looks (CSS classes in
the handout, coloured runs in the slides).
"""

from __future__ import annotations

from functools import cache, lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Token
from pygments.util import ClassNotFound

from generator.model import CodeBlock, CodeKind

Run = tuple[str, str]  # (short token class such as "k" or "s2", text)

_KIND_LEXERS = {
    CodeKind.DOCKERFILE: "docker",
    CodeKind.COMPOSE: "yaml",
    CodeKind.YAML: "yaml",
    CodeKind.CONSOLE: "console",
    CodeKind.SCRIPT: "bash",
    CodeKind.TEXT: "text",
}


@cache
def _lexer(name: str) -> Lexer:
    try:
        return get_lexer_by_name(name, stripnl=False)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False)


def lexer_name(block: CodeBlock) -> str:
    return _KIND_LEXERS.get(block.kind) or block.language or "text"


def token_class(token_type) -> str:
    """Return the short CSS class Pygments uses for a token type (walking up to a known parent)."""
    while token_type not in STANDARD_TYPES and token_type is not Token:
        token_type = token_type.parent
    return STANDARD_TYPES.get(token_type, "")


def highlight_lines(block: CodeBlock) -> list[list[Run]]:
    """Return the block's code split into lines, each a list of highlighted runs."""
    return [list(line) for line in _highlighted(lexer_name(block), block.text)]


@lru_cache(maxsize=4096)
def _highlighted(lexer: str, text: str) -> tuple[tuple[Run, ...], ...]:
    """Return `text` lexed: kept, as each block is drawn in both handouts, the worksheets, two decks and the site."""
    lines: list[list[Run]] = [[]]
    # Session lexers need every line newline-terminated; the last, empty line is dropped below.
    for token_type, value in _lexer(lexer).get_tokens(text):
        css = token_class(token_type)
        for index, part in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((css, part))
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(tuple(line) for line in lines)
