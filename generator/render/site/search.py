"""The site's search index: the text of every section, written at build time as a script.

A page opened from `file://` may not fetch a JSON file, but it may load a
script: the index is `search-index.js`, which sets `window.AULA_SEARCH` to one
entry per section (its chapter, title, link and plain text, code included, so
a command finds its chapter). The search page loads it; `site.js` searches it.
Teacher and speaker notes are left out, as everywhere on the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from generator.links import anchor_id
from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    Course,
    Heading,
    HtmlBlock,
    Image,
    Paragraph,
    Table,
    child_blocks,
    plain_text,
)
from generator.render.site.fragments import NEVER_SHOWN


def search_entries(course: Course, href: Callable[[Chapter, str], str]) -> list[dict[str, object]]:
    """Return one entry per section of the course: `n` chapter number, `c` its title, `t` the section's, `u` link, `x` text.

    `href(chapter, html_id)` is the link to a place in a chapter's page.
    """
    entries: list[dict[str, object]] = []
    for chapter in course.chapters:
        for section in chapter.sections:
            html_id = anchor_id(chapter, section.anchor) if section.title else ""
            text = " ".join(_texts(section.blocks))
            if not (section.title or text):
                continue
            entries.append(
                {
                    "n": chapter.number,
                    "c": chapter.title_text,
                    "t": section.title_text if section.title else chapter.title_text,
                    "u": href(chapter, html_id),
                    "x": " ".join(text.split()),
                }
            )
    return entries


def search_index_script(entries: list[dict[str, object]]) -> bytes:
    """Return the index as the script the search page loads."""
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    # Line and paragraph separators end a line in older JavaScript; escaped, the literal means the same everywhere.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.AULA_SEARCH = {data};\n".encode()


def _texts(blocks: Iterable[Block]) -> Iterator[str]:
    """Yield the text a student can read in `blocks`, depth first, notes left out."""
    for block in blocks:
        match block:
            case Callout() if block.kind in NEVER_SHOWN:
                continue
            case Callout():
                if block.title:
                    yield block.title
            case Paragraph() | Heading():
                yield plain_text(block.inlines)
            case CodeBlock():
                yield block.text
            case Image():
                yield block.alt
            case Table():
                yield " ".join(plain_text(cell) for row in (block.header, *block.rows) for cell in row)
            case HtmlBlock() if not block.is_comment:
                yield block.text
        yield from _texts(child_blocks(block))
