"""Text drawn by Aula itself, on pages whose every box is decided before they are drawn.

A slide handout's sheet holds a running header, a page number and, for the
presenter, the notes of three slides in boxes fixed in advance. Laid out by
WeasyPrint, each such sheet cost 5 to 10 ms, a second or more a handout, to find
what was already known. Here a font is read once with fontTools, a line of text
is set glyph by glyph from the font's advance widths, a paragraph breaks at
spaces, and the font goes into the PDF as a subset of the glyphs drawn.

What this leaves out, on purpose: kerning and ligatures (a header and a few notes
look the same without them). A character the font lacks is drawn from its `fallback`
font, if that has it; else as the font's empty box, `.notdef`, and noted in `missing`
for the caller to warn about.

The subset keeps every glyph's number (fontTools' `retain_gids`), so a glyph's number
is its CID, as in WeasyPrint's fonts, and named after the font, so that the subsets of
one font in documents put together are merged into one file by `fonts.share_font_programs`.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont

from generator import __version__
from generator.errors import warn

# Tables a PDF viewer does not read once the text is set: substitutions, positioning, device metrics.
_UNREAD_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "kern", "hdmx", "VDMX", "LTSH", "FFTM", "DSIG"]


class Font:
    """One TrueType file: its glyphs' numbers and advances, and the glyphs drawn with it so far."""

    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True)
        self.path = path
        self.units = font["head"].unitsPerEm
        self.glyphs = {code: font.getGlyphID(name) for code, name in font.getBestCmap().items()}
        order = font.getGlyphOrder()
        metrics = font["hmtx"].metrics
        self.advances = [metrics[name][0] for name in order]
        hhea, os2, head = font["hhea"], font["OS/2"], font["head"]
        self.ascent, self.descent = hhea.ascent / self.units, -hhea.descent / self.units
        self.box = [round(n * 1000 / self.units) for n in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.cap_height = getattr(os2, "sCapHeight", 0) * 1000 / self.units or _letter_height(font, "H") * 1000 / self.units
        post = font["post"]
        self.italic_angle = float(post.italicAngle)
        # Where a line under or through the text goes, and how thick, in em from the baseline (upwards).
        self.underline = (post.underlinePosition / self.units, post.underlineThickness / self.units)
        self.strikeout = (os2.yStrikeoutPosition / self.units, os2.yStrikeoutSize / self.units)
        self.name = font["name"].getDebugName(6) or path.stem
        self.used: dict[int, str] = {0: ""}  # glyph number: the text it stands for
        self.resource = "/F"  # its name in the resources of the pages it is drawn on
        self.fallback: Font | None = None  # drawn with for a character this font lacks (and its own fallback for one it lacks)
        self._advances: dict[str, float] = {}  # by character, in em, as `advance` finds them
        self.missing: set[str] = set()  # characters no fallback has either, drawn as an empty box

    @classmethod
    def load(cls, path: Path) -> Font:
        """Return the font in `path` with nothing drawn yet; the file is read once a process (while it stays the same)."""
        stat = path.stat()
        font = copy.copy(_read(path, stat.st_size, stat.st_mtime_ns))
        font.used, font.missing, font._advances = {0: ""}, set(), {}
        return font

    @property
    def line_height(self) -> float:
        """A line's height in em when CSS says `line-height: normal`: ascent and descent."""
        return self.ascent + self.descent

    def width(self, text: str, size: float) -> float:
        """Return the width of `text` at `size` points, in points (its fallback's characters at their own widths)."""
        advance, widths = self.advance, self._advances
        return sum(widths[char] if char in widths else advance(char) for char in text) * size

    def advance(self, char: str) -> float:
        """Return how far `char` moves the pen, in em: from this font, or from the fallback that draws it."""
        font = self._drawing(char)
        self._advances[char] = font.advances[font.glyphs.get(ord(char), 0)] / font.units
        return self._advances[char]

    def _drawing(self, char: str) -> Font:
        """Return the font that draws `char`: this one, or the first of its fallbacks (and theirs) that has it, else this one."""
        code, font = ord(char), self
        while code not in font.glyphs and font.fallback is not None:
            font = font.fallback
        return font if code in font.glyphs else self

    def runs(self, text: str) -> list[tuple[Font, str]]:
        """Return `text` in runs of one font each: this one, or its fallback for a character this one lacks."""
        runs: list[tuple[Font, str]] = []
        for char in text:
            font = self._drawing(char)
            if runs and runs[-1][0] is font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def shown(self, text: str) -> str:
        """Return `text` as a PDF string of two-byte glyph numbers (for `Tj`), noting the glyphs it draws."""
        numbers = []
        for char in text:
            number = self.glyphs.get(ord(char), 0)
            if number == 0 and not char.isspace():
                self.missing.add(char)
            self.used.setdefault(number, char)
            numbers.append(number)
        return "<" + "".join(f"{number:04X}" for number in numbers) + ">"

    def embedded(self, pdf: Any) -> Any:
        """Return a Type 0 font dictionary for `pdf` (pikepdf) with the glyphs drawn so far: call it once all text is set."""
        import pikepdf

        glyphs = sorted(self.used)
        # A subset's name starts with six capitals (ISO 32000-1, 9.6.4). Made from the font's own name, so that the
        # subsets of one font in documents put together (a deck's frames) share it and are merged into one file
        # (`fonts.share_font_programs`), as WeasyPrint's are.
        tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha256(self.name.encode()).digest()[:6])
        name = pikepdf.Name(f"/{tag}+{self.name}")
        program = pdf.make_stream(self._subset(glyphs))
        program.Length1 = len(program.read_bytes())
        descriptor = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=name, Flags=4, FontBBox=self.box,
            ItalicAngle=self.italic_angle, Ascent=round(self.ascent * 1000), Descent=round(-self.descent * 1000),
            CapHeight=round(self.cap_height), StemV=80, FontFile2=program,
        ))
        widths: list[Any] = []  # `first [w w …]` for each run of consecutive glyph numbers
        for number in glyphs:
            width = round(self.advances[number] * 1000 / self.units, 3)
            if widths and widths[-2] + len(widths[-1]) == number:
                widths[-1].append(width)
            else:
                widths += [number, [width]]
        cid_font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=name,
            CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
            FontDescriptor=descriptor, W=pikepdf.Array(widths), CIDToGIDMap=pikepdf.Name.Identity,
        ))
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[cid_font], ToUnicode=pdf.make_stream(self._to_unicode(glyphs)),
        ))

    def _subset(self, glyphs: list[int]) -> bytes:
        options = subset.Options()
        options.retain_gids = True  # a glyph's number stays its CID
        options.notdef_outline = True
        options.hinting = False
        options.layout_features = []
        options.drop_tables += _UNREAD_TABLES
        options.name_IDs = ["*"]  # the font's licence and names go along with it
        font = TTFont(str(self.path), lazy=True, recalcTimestamp=False)  # the same bytes from one build to the next
        quiet = logging.getLogger("fontTools.subset")
        level, quiet.level = quiet.level, logging.ERROR  # it reports each table it drops
        try:
            subsetter = subset.Subsetter(options)
            subsetter.populate(gids=glyphs)
            subsetter.subset(font)
        finally:
            quiet.level = level
        output = io.BytesIO()
        font.save(output)
        return output.getvalue()

    def _to_unicode(self, glyphs: list[int]) -> bytes:
        """Return the CMap that gives each glyph drawn its text, for copying and reading aloud."""
        entries = [(number, self.used[number]) for number in glyphs if self.used[number]]
        lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        for start in range(0, len(entries), 100):  # at most 100 entries a block
            chunk = entries[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{number:04X}> <{text.encode('utf-16-be').hex().upper()}>" for number, text in chunk]
            lines.append("endbfchar")
        lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        return "\n".join(lines).encode()


def warn_missing(fonts: Iterable[Font], document: str) -> None:
    """Warn, once for a document ("the PDF deck shows"), of the characters `fonts` drew as empty boxes."""
    missing = sorted({char for font in fonts for char in font.missing})
    if missing:
        shown = " ".join(f"{char} (U+{ord(char):04X})" for char in missing[:10])
        warn(None, "W-missing-glyph", f"{document} as empty boxes characters its fonts lack: {shown}")


@functools.lru_cache(maxsize=8)
def _read(path: Path, size: int, modified: int) -> Font:
    return Font(path)


def _letter_height(font: TTFont, letter: str) -> float:
    """Return how high a letter's outline reaches, in font units (a cap height for fonts whose OS/2 table has none)."""
    try:
        glyph = font["glyf"][font.getBestCmap()[ord(letter)]]
        return float(getattr(glyph, "yMax", 0))
    except (KeyError, TypeError):
        return 0.0


def text(font: Font, size: float, x: float, y: float, lines: Sequence[str], leading: float = 0.0, fill: str = "0 g") -> str:
    """Return the operators that draw `lines` in `font`, the first line's baseline at (x, y) in points.

    Each line is `leading` points below the one before; `fill` sets the colour (`0 g` black, `r g b rg`),
    within `q … Q`, so that what is drawn next starts from the colours it had.
    """
    shown = []
    for line in lines:
        runs = [f"{font.resource} {size:g} Tf {font.shown(run)} Tj" for font, run in font.runs(line)]
        shown.append(" ".join(runs) or f"{font.resource} {size:g} Tf")
    return f"q BT {fill} {x:.3f} {y:.3f} Td {leading:.3f} TL {' T* '.join(shown)} ET Q"


def new_document(title: str, language: str, author: str = "", keywords: str = "", created: str = "") -> Any:
    """Return a new pikepdf document with its information set as WeasyPrint sets a laid-out one's, and its language."""
    import pikepdf

    document = pikepdf.new()
    document.Root.Lang = pikepdf.String(language)
    document.docinfo.Title = title
    if author:
        document.docinfo.Author = author
    if keywords:
        document.docinfo.Keywords = keywords
    document.docinfo.Creator = document.docinfo.Producer = f"Aula {__version__}"
    if created:
        stamp = "D:" + re.sub(r"[^0-9Z]", "", created)  # 2026-11-28 → D:20261128; …T09:30:00Z → D:20261128093000Z
        document.docinfo.CreationDate = document.docinfo.ModDate = stamp
    return document


# Where a line may end inside a word: after a slash or a hyphen that follows a letter or digit and comes
# before a letter, as in "/var/run/docker.sock" or "multi-stage" (Unicode's line breaking rules allow it there).
_BREAK_INSIDE = re.compile(r"(?<=\w[/-])(?=[^\W\d_])")
# Spaces a line may break at, as CSS breaks: not a no-break space (`10\u00a0MB`), which stays in the word.
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def lines(text: str, font: Font, size: float, width: float) -> list[str]:
    """Return `text` broken into lines no wider than `width` points, greedily.

    A word longer than a line (a digest, a long URL) is broken where it reaches the line's end, as
    CSS's `overflow-wrap: anywhere` breaks it: it would otherwise run out of its box. Widths add up
    (no kerning), so a line's is kept as it grows: the time is linear in the text's length.
    """
    result: list[str] = []
    line, used, space = "", 0.0, font.width(" ", size)
    for word in _SPACES.split(text.strip()):
        for index, piece in enumerate(_BREAK_INSIDE.split(word)):
            glue = space if index == 0 and line else 0.0
            piece_width = font.width(piece, size)
            if line and used + glue + piece_width > width:
                result.append(line)
                line, used, glue = "", 0.0, 0.0
            if not line and piece_width > width:
                *whole, piece = _cut(piece, font, size, width)
                result += whole
                piece_width = font.width(piece, size)
            line, used = line + (" " if glue else "") + piece, used + glue + piece_width
    if line:
        result.append(line)
    return result


def _cut(piece: str, font: Font, size: float, width: float) -> list[str]:
    """Return a piece wider than a line in pieces that fill lines, the last what is left over."""
    chunks, start, used = [], 0, 0.0
    for index, char in enumerate(piece):
        advance = font.width(char, size)
        if used + advance > width and index > start:
            chunks.append(piece[start:index])
            start, used = index, 0.0
        used += advance
    return [*chunks, piece[start:]]


def fitted(text: str, font: Font, size: float, width: float, ellipsis: str = "…") -> str:
    """Return `text`, or as much of it as fits `width` points followed by an ellipsis."""
    if font.width(text, size) <= width:
        return text
    room, used, kept = width - font.width(ellipsis, size), 0.0, 0
    for char in text:
        used += font.width(char, size)
        if used > room:
            break
        kept += 1
    return text[:kept].rstrip() + ellipsis
