"""Heading anchors in the two slug styles authors write by hand.

`unicode_slug` keeps accented letters (`#imágenes`, as GitHub does);
`ascii_slug` turns each non-ASCII letter into `-` (`#im-genes`, as some
Markdown tools do and as the seed notes' table of contents expects).
"""

from __future__ import annotations

import re

_DROPPED = re.compile(r"[^\w\- ]", re.UNICODE)


def unicode_slug(text: str) -> str:
    """Return the GitHub-style anchor of a heading: lower case, punctuation dropped, spaces to `-`."""
    return _DROPPED.sub("", text.strip().lower()).replace(" ", "-")


def ascii_slug(text: str) -> str:
    """Return the anchor with every non-ASCII character replaced by `-`."""
    return re.sub(r"[^\x00-\x7f]", "-", unicode_slug(text))


class AnchorRegistry:
    """Hands out unique anchors within one chapter (`intro`, `intro-1`, …)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def unique(self, slug: str) -> str:
        slug = slug or "section"
        count = self._seen.get(slug, 0)
        self._seen[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"
