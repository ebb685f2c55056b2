"""Text fit from real font metrics: how many lines a paragraph takes, and how tall a frame is.

Widths come from the advance widths in the deck's own font files (the bundled
DejaVu TTFs, read with fontTools), so an estimate is a measurement, not a guess
per character. Lines break the way PowerPoint and LibreOffice break them: at
spaces, greedily, and inside a word only when the word alone is wider than the
line. Kerning is left out, which can only make a line look wider than it is.
See docs/slides.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

SANS = "DejaVu Sans"
MONO = "DejaVu Sans Mono"

# (family, bold, italic) -> file in the theme's `fonts/` folder. The monospace family has no
# bold oblique; its bold has the same advance widths.
FONT_FILES = {
    (SANS, False, False): "DejaVuSans.ttf",
    (SANS, True, False): "DejaVuSans-Bold.ttf",
    (SANS, False, True): "DejaVuSans-Oblique.ttf",
    (SANS, True, True): "DejaVuSans-BoldOblique.ttf",
    (MONO, False, False): "DejaVuSansMono.ttf",
    (MONO, True, False): "DejaVuSansMono-Bold.ttf",
    (MONO, False, True): "DejaVuSansMono-Oblique.ttf",
    (MONO, True, True): "DejaVuSansMono-Bold.ttf",
}

# Where the PDF deck draws a character a face lacks from, in order (`Fonts.face` measures it so).
FALLBACKS = {
    (MONO, True, False): ((MONO, False, False), (SANS, False, False)),
    (MONO, False, True): ((MONO, False, False), (SANS, False, False)),
    (MONO, True, True): ((MONO, False, False), (SANS, False, False)),
    (MONO, False, False): ((SANS, False, False),),
    (SANS, True, False): ((SANS, False, False),),
    (SANS, False, True): ((SANS, False, False),),
    (SANS, True, True): ((SANS, False, False),),
}

# Single line spacing as a multiple of the font size. PowerPoint sets a "single" line at about
# 1.2 em; LibreOffice uses the font's ascent plus descent (1.164 em for DejaVu). The larger wins.
MIN_LINE_SPACING = 1.2
# Widths are inflated a little so that a renderer's rounding never wraps a line we counted as one.
WIDTH_SAFETY = 1.02


@dataclass(frozen=True)
class Face:
    """One font file's advance widths (in em) and line height (in em)."""

    advances: dict[int, float]
    line_height: float

    @classmethod
    @cache
    def load(cls, path: Path) -> Face:
        font = TTFont(str(path), lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
        hhea, os2 = font["hhea"], font["OS/2"]
        ascent_descent = max(hhea.ascent - hhea.descent, os2.usWinAscent + os2.usWinDescent) / units
        return cls(advances, max(MIN_LINE_SPACING, ascent_descent))

    def advance(self, char: str) -> float:
        # A character no face has is drawn as an empty box, or from a renderer's own substitute: count it a full em.
        return self.advances.get(ord(char), 1.0)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one face and size (points)."""

    text: str
    size: float
    family: str = SANS
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph as a frame lays it out: spans, indents and spacing in points.

    `left` is where every line starts (after a bullet); `first` shifts the first
    line (negative for a hanging bullet, which sits in the margin and takes no width).
    `size` is the size of an empty paragraph's line.
    """

    spans: tuple[Span, ...]
    size: float
    left: float = 0.0
    first: float = 0.0
    space_before: float = 0.0
    bulleted: bool = False


class Fonts:
    """The faces of the deck, read from a theme's font folder, with the measures already taken."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._faces: dict[tuple[str, bool, bool], Face] = {}
        self._lines: dict[tuple[Para, float], int] = {}

    def face(self, family: str, bold: bool, italic: bool) -> Face:
        """Return a face's measures; a character it lacks at the widest it may be drawn.

        The PDF deck draws it from the first of `FALLBACKS` that has it; PowerPoint or LibreOffice
        may take DejaVu Sans of the same weight and slant. It counts the widest of those, and
        never less than one em (what a character no face has counts).
        """
        key = (family, bold, italic)
        if key not in self._faces:
            own = Face.load(self.folder / FONT_FILES.get(key, FONT_FILES[(SANS, bold, italic)]))
            others = [self.face(*other) for other in FALLBACKS.get(key, ())]
            if family != SANS:
                others.append(self.face(SANS, bold, italic))
            lacking = {code for other in others for code in other.advances} - own.advances.keys()
            advances = dict(own.advances)
            for code in lacking:
                advances[code] = max([1.0, *(other.advances[code] for other in others if code in other.advances)])
            self._faces[key] = Face(advances, own.line_height)
        return self._faces[key]

    def width(self, span: Span) -> float:
        """Return the width of a span on one line, in points."""
        face = self.face(span.family, span.bold, span.italic)
        return sum(face.advance(c) for c in span.text) * span.size * WIDTH_SAFETY

    def line_height(self, para: Para) -> float:
        sizes = [(s.size, s.family, s.bold, s.italic) for s in para.spans if s.text] or [(para.size, SANS, False, False)]
        return max(size * self.face(family, bold, italic).line_height for size, family, bold, italic in sizes)

    def lines(self, para: Para, width: float) -> int:
        """Return how many lines `para` takes in a frame `width` points wide (inside its insets)."""
        key = (replace(para, space_before=0.0), width)
        if key not in self._lines:
            self._lines[key] = self._count_lines(para, width)
        return self._lines[key]

    def _count_lines(self, para: Para, width: float) -> int:
        return len(self.line_starts(para, width))

    def line_starts(self, para: Para, width: float, safety: float = WIDTH_SAFETY) -> list[int]:
        """Return where each line of `para` starts, as an index into its spans' text run together.

        A line runs to the next one's start: its trailing spaces, and the newline that ended it, are part of it.
        Widths are inflated by `safety`; set at 1, the breaks are those of a renderer with no rounding to fear,
        never more lines than with the safety.
        """
        chars: list[str] = []
        widths: list[float] = []
        for span in para.spans:
            face = self.face(span.family, span.bold, span.italic)
            scale = span.size * safety
            for char in span.text:
                chars.append(char)
                widths.append(face.advance(char) * scale)
        rest = width - para.left
        available = rest - (0.0 if para.bulleted else para.first)
        starts, x, i, n = [0], 0.0, 0, len(chars)
        while i < n:
            if chars[i] == "\n":
                starts.append(i + 1)
                x, available, i = 0.0, rest, i + 1
                continue
            j = i
            while j < n and chars[j] not in " \n":
                j += 1
            k = j
            while k < n and chars[k] == " ":
                k += 1
            word, spaces = sum(widths[i:j]), sum(widths[j:k])
            if x + word <= available:
                x += word + spaces  # trailing spaces may hang past the edge, as in every renderer
            elif x > 0:
                starts.append(i)
                x, available = 0.0, rest
                continue  # the same word again, on a fresh line
            else:  # a word wider than the whole line breaks between characters
                for index in range(i, j):
                    if x + widths[index] > available and x > 0:
                        starts.append(index)
                        x, available = 0.0, rest
                    x += widths[index]
                x += spaces
            i = k
        return starts

    def height(self, para: Para, width: float) -> float:
        """Return the height of one paragraph, its space before included."""
        return para.space_before + self.lines(para, width) * self.line_height(para)

    def text_height(self, paras: Iterable[Para], width: float) -> float:
        """Return the height of paragraphs stacked in a frame whose text area is `width` wide."""
        return sum(self.height(para, width) for para in paras)


@cache
def fonts_in(folder: Path) -> Fonts:
    """Return the fonts of the theme folder `folder` (the one holding `fonts/`)."""
    return Fonts(folder)
