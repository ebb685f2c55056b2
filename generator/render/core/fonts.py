"""One copy of each font in a book put together from parts: the parts' font subsets merged.

WeasyPrint embeds in every document the glyphs that document uses. A book made of
parts therefore carried one subset of its body font per part: 133 font files in the
bundled handout where the same book laid out whole has 11, a fifth of its size.
WeasyPrint keeps each glyph's number when it subsets a font (HarfBuzz's retain-gids),
so the subsets of one font are pieces of the same numbering: merged glyph by glyph
into one file, they serve every part's text unchanged. Only a composite glyph's
components (an accent on a letter) may have been renumbered in its subset; they are
copied along under numbers of their own, so every glyph is drawn exactly as before.
"""

from __future__ import annotations

import copy
import io
from collections import defaultdict
from typing import Any


def share_font_programs(pdf: Any) -> None:
    """Give every TrueType font of `pdf` (a pikepdf document) one font file: its subsets, merged.

    Fonts are grouped by their PDF name, which WeasyPrint derives from the font's
    description, and by the font's own identity (`head`: revision, creation date,
    units per em), so two different files that happen to share a name stay apart.
    Fonts of any other kind (CFF, Type 3) are left as they are.
    """
    import pikepdf

    descriptors: dict[str, list[Any]] = defaultdict(list)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
            descriptors[str(obj.FontName)].append(obj)
    for group in descriptors.values():
        streams = {descriptor.FontFile2.objgen: descriptor.FontFile2 for descriptor in group}
        if len(streams) < 2:
            continue
        for members in _same_fonts({objgen: _font(stream) for objgen, stream in streams.items()}):
            if len(members) < 2:
                continue
            data = _merged([font for _, font in members])
            shared = pdf.make_stream(data)
            shared.Length1 = len(data)
            chosen = {objgen for objgen, _ in members}
            for descriptor in group:
                if descriptor.FontFile2.objgen in chosen:
                    descriptor.FontFile2 = shared


def _font(stream: Any) -> Any:
    from fontTools.ttLib import TTFont

    # Header and `maxp` limits are widened from the subsets' own (`_Merged.take`), not
    # recomputed: recomputing decodes every glyph, for the same numbers.
    return TTFont(io.BytesIO(stream.read_bytes()), recalcBBoxes=False, recalcTimestamp=False)


def _same_fonts(fonts: dict) -> list[list[tuple]]:
    """Return the fonts grouped by their identity, those without glyph outlines (`glyf`) alone."""
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for objgen, font in fonts.items():
        if "glyf" not in font or "head" not in font:
            groups[("alone", objgen)].append((objgen, font))
            continue
        head = font["head"]
        groups[(head.fontRevision, head.created, head.unitsPerEm)].append((objgen, font))
    return list(groups.values())


def _merged(fonts: list[Any]) -> bytes:
    """Return one font file holding every glyph that any of `fonts` (subsets of one font) holds."""
    fonts = sorted(fonts, key=lambda font: -font["maxp"].numGlyphs)
    merged = _Merged(fonts[0])  # the longest numbering: every other subset's glyph numbers fall inside it
    for other in fonts[1:]:
        merged.take(other)
    return merged.save()


class _Merged:
    """A font being merged: the first subset, growing with the glyphs of the others."""

    def __init__(self, font: Any):
        self.font = font
        self.glyf, self.hmtx = font["glyf"], font["hmtx"]
        self.order = list(font.getGlyphOrder())

    def take(self, other: Any) -> None:
        """Add the glyphs of subset `other` that this font lacks, each at its own number."""
        self._widen_limits(other)
        adopted: dict[str, str] = {}
        for number, name in enumerate(other.getGlyphOrder()):
            if not _is_empty(other["glyf"].glyphs[name]) and _is_empty(self.glyf.glyphs[self.order[number]]):
                self._adopt(other, name, adopted, at=self.order[number])

    def _widen_limits(self, other: Any) -> None:
        """Make the bounding box and the `maxp` limits (points, contours, components) cover `other`'s glyphs too."""
        head, theirs = self.font["head"], other["head"]
        head.xMin, head.yMin = min(head.xMin, theirs.xMin), min(head.yMin, theirs.yMin)
        head.xMax, head.yMax = max(head.xMax, theirs.xMax), max(head.yMax, theirs.yMax)
        maxp, theirs = self.font["maxp"], other["maxp"]
        for field in _MAXP_LIMITS:
            if hasattr(maxp, field) and hasattr(theirs, field):
                setattr(maxp, field, max(getattr(maxp, field), getattr(theirs, field)))

    def _adopt(self, other: Any, name: str, adopted: dict[str, str], at: str | None = None) -> str:
        """Copy glyph `name` of `other` here, at `at` or (a component) under a new number; return its name here."""
        if at is None and name in adopted:
            return adopted[name]
        glyph = other["glyf"][name]
        if glyph.isComposite():
            glyph = copy.deepcopy(glyph)
            for component in glyph.components:
                component.glyphName = self._adopt(other, component.glyphName, adopted)
        if at is None:
            at = adopted[name] = f"aula.{len(self.order)}"
            self.order.append(at)
        self.glyf.glyphs[at] = glyph
        self.hmtx.metrics[at] = other["hmtx"][name]
        return at

    def save(self) -> bytes:
        self.glyf.glyphOrder = self.order
        self.font.setGlyphOrder(self.order)
        output = io.BytesIO()
        self.font.save(output)
        return output.getvalue()


# The `maxp` fields that bound a glyph's size or a rasteriser's work (version 1.0 only).
_MAXP_LIMITS = (
    "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxZones", "maxTwilightPoints",
    "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
    "maxComponentElements", "maxComponentDepth",
)


def _is_empty(glyph: Any) -> bool:
    """Return whether a glyph has no outline, without decoding it when its raw bytes tell."""
    raw = glyph.__dict__.get("data")
    if raw is not None:
        return not raw
    return glyph.numberOfContours == 0
