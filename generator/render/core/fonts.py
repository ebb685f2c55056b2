"""One copy of each font in a book put together from parts: the parts' font subsets merged.

WeasyPrint embeds in every document the glyphs that document uses. A book made of
parts therefore carried one subset of its body font per part: 133 font files in the
bundled handout where the same book laid out whole has 11, a fifth of its size.
WeasyPrint keeps each glyph's number when it subsets a font (HarfBuzz's retain-gids),
so the subsets of one font are pieces of the same numbering: merged glyph by glyph
into one file, they serve every part's text unchanged. Only a composite glyph's
components (an accent on a letter) may have been renumbered, past the highest glyph
the part's text uses; they are copied along under numbers of their own, past every
part's, so every glyph is drawn exactly as before.
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
    Only CID fonts whose glyph numbers are their CIDs (`/CIDToGIDMap /Identity`, as
    WeasyPrint writes them) are merged; any other font is left as it is.
    """
    import pikepdf

    # Each font file, with the highest glyph number the text drawn with it uses (from its widths).
    used: dict[tuple, list[tuple[Any, int]]] = defaultdict(list)
    for obj in pdf.objects:
        if (
            isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Subtype") == "/CIDFontType2"
            and obj.get("/CIDToGIDMap") == pikepdf.Name.Identity
            and "/FontFile2" in obj.get("/FontDescriptor", {})
            and "/W" in obj
        ):
            used[obj.FontDescriptor.FontFile2.objgen].append((obj.FontDescriptor, _highest_glyph(obj.W)))
    groups: dict[str, list[tuple[Any, int]]] = defaultdict(list)
    for fonts in used.values():
        highest = max(top for _, top in fonts)
        groups[str(fonts[0][0].FontName)] += [(descriptor, highest) for descriptor, _ in fonts]
    for group in groups.values():
        files = {descriptor.FontFile2.objgen: (descriptor.FontFile2, top) for descriptor, top in group}
        if len(files) < 2:
            continue
        try:
            subsets = {objgen: (_font(stream), top) for objgen, (stream, top) in files.items()}
        except Exception:  # a font fontTools cannot read: its subsets stay apart, drawn as before
            continue
        for members in _same_fonts(subsets):
            if len(members) < 2:
                continue
            try:
                data = _merged([subset for _, subset in members])
            except Exception:  # nor one it cannot rewrite
                continue
            shared = pdf.make_stream(data)
            shared.Length1 = len(data)
            chosen = {objgen for objgen, _ in members}
            for descriptor, _ in group:
                if descriptor.FontFile2.objgen in chosen:
                    descriptor.FontFile2 = shared


def _highest_glyph(widths: Any) -> int:
    """Return the highest CID a `/W` array gives a width to: `c [w1 w2 …]` or `first last w`."""
    import pikepdf

    items, highest, index = list(widths), 0, 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            highest = max(highest, first + len(items[index + 1]) - 1)
            index += 2
        else:
            highest = max(highest, int(items[index + 1]))
            index += 3
    return highest


def _font(stream: Any) -> Any:
    from fontTools.ttLib import TTFont

    # Header and `maxp` limits are widened from the subsets' own (`_Merged.take`), not
    # recomputed: recomputing decodes every glyph, for the same numbers.
    return TTFont(io.BytesIO(stream.read_bytes()), recalcBBoxes=False, recalcTimestamp=False)


def _same_fonts(subsets: dict) -> list[list[tuple]]:
    """Return the subsets grouped by their font's identity, those without glyph outlines (`glyf`) alone."""
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for objgen, (font, top) in subsets.items():
        if "glyf" not in font or "head" not in font or "hmtx" not in font:
            groups[("alone", objgen)].append((objgen, (font, top)))
            continue
        head = font["head"]
        groups[(head.fontRevision, head.created, head.unitsPerEm)].append((objgen, (font, top)))
    return list(groups.values())


def _merged(subsets: list[tuple[Any, int]]) -> bytes:
    """Return one font file holding every glyph that any subset of one font draws, at its own number.

    A subset keeps the glyphs its text uses at their numbers in the whole font, up to
    `top`, the highest its text uses; above that it may hold an accent or a part of a
    letter that a composite glyph is built from, renumbered. Those are never taken at
    their own number: each composite taken brings its components along, under new
    numbers past every subset's `top`, where no text points.
    """
    subsets = sorted(subsets, key=lambda subset: -subset[1])
    merged = _Merged(*subsets[0])
    for font, top in subsets:
        merged.take(font, top)
    return merged.save()


class _Merged:
    """A font being merged: the numbering of the subset reaching highest, filled from every subset in turn."""

    def __init__(self, font: Any, top: int):
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        self.font = font
        self.order = list(font.getGlyphOrder()[: top + 1])
        self.glyphs: dict[str, Any] = {name: Glyph() for name in self.order}
        self.metrics: dict[str, tuple[int, int]] = {name: (0, 0) for name in self.order}
        self.filled: set[int] = set()

    def take(self, other: Any, top: int) -> None:
        """Add the glyphs subset `other` draws (numbers up to `top`) that no subset taken before gave."""
        self._widen_limits(other)
        glyphs = other["glyf"].glyphs
        adopted: dict[str, str] = {}
        for number, name in enumerate(other.getGlyphOrder()[: top + 1]):
            if number not in self.filled and not _is_empty(glyphs[name]):
                self._adopt(other, name, adopted, at=self.order[number])
                self.filled.add(number)

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
        self.glyphs[at] = glyph
        self.metrics[at] = other["hmtx"][name]
        return at

    def save(self) -> bytes:
        glyf, hmtx = self.font["glyf"], self.font["hmtx"]
        glyf.glyphs, glyf.glyphOrder, hmtx.metrics = self.glyphs, self.order, self.metrics
        self.font.setGlyphOrder(self.order)
        for tag in _UNREAD_TABLES:  # naming glyphs this merge may have dropped, or a row a glyph it does not add
            if tag in self.font:
                del self.font[tag]
        kept = set(self.order)
        for table in self.font["cmap"].tables if "cmap" in self.font else ():
            table.cmap = {code: name for code, name in table.cmap.items() if name in kept}
        output = io.BytesIO()
        self.font.save(output)
        return output.getvalue()


# Tables a PDF viewer does not read, the text being shaped already: substitutions and positioning,
# vertical and device metrics. Dropped rather than left naming glyphs the merge renumbered.
_UNREAD_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "mort", "feat", "vmtx", "vhea", "hdmx", "VDMX", "LTSH")


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
