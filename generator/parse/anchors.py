"""Heading anchors, GitHub style (`## Imágenes` → `imágenes`).

The other spelling authors use (`im-genes`) is derived in `model.anchor_forms`.
"""

from __future__ import annotations

import re

_DROPPED = re.compile(r"[^\w\- ]", re.UNICODE)


def unicode_slug(text: str) -> str:
    """Return the GitHub-style anchor of a heading: lower case, punctuation dropped, spaces to `-`."""
    return _DROPPED.sub("", text.strip().lower()).replace(" ", "-")


class AnchorRegistry:
    """Hands out unique anchors within one chapter (`intro`, `intro-1`, …)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def unique(self, slug: str) -> str:
        slug = slug or "section"
        count = self._seen.get(slug, 0)
        self._seen[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"
