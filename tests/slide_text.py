"""How tall a slide's text really is, measured apart from the planner.

The planner (`generator.render.slides.fit`) sums fontTools advance widths character by
character. To test it, this module measures differently: each run of a line is
laid out by FreeType through Pillow (`ImageFont.getlength`, kerning included),
words are wrapped greedily as PowerPoint and LibreOffice wrap them, and the text
is read back from the `.pptx` XML, not from the plan. Where both agree, the text
fits; where the planner's shortcut is wrong, this one disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EMU_PER_PT = 12700
MONO_TYPEFACE = "DejaVu Sans Mono"
# Measuring at a large size and scaling keeps FreeType's rounding to whole pixels out of the result.
REFERENCE_SIZE = 1000
DEFAULT_INSETS = (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720))  # DrawingML's, in EMU
FILES = {
    (False, False, False): "DejaVuSans.ttf",
    (False, True, False): "DejaVuSans-Bold.ttf",
    (False, False, True): "DejaVuSans-Oblique.ttf",
    (False, True, True): "DejaVuSans-BoldOblique.ttf",
    (True, False, False): "DejaVuSansMono.ttf",
    (True, True, False): "DejaVuSansMono-Bold.ttf",
    (True, False, True): "DejaVuSansMono-Oblique.ttf",
    (True, True, True): "DejaVuSansMono-BoldOblique.ttf",
}


@dataclass(frozen=True)
class Run:
    text: str
    size: float
    mono: bool
    bold: bool
    italic: bool


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    size: float  # an empty paragraph's line
    left: float  # marL, points
    first: float  # indent of the first line, points (negative: a hanging bullet)
    before: float  # space before, points
    bulleted: bool


def points(emu) -> float:
    return int(emu) / EMU_PER_PT


def read_paragraphs(tx_body, bold: bool = False, default_size: float = 18.0) -> list[Paragraph]:
    """Return the paragraphs of a DrawingML `txBody`."""
    paragraphs = []
    for p in tx_body.iter(f"{A}p"):
        runs = []
        for child in p:
            if child.tag not in (f"{A}r", f"{A}fld", f"{A}br"):
                continue
            props = child.find(f"{A}rPr")
            get = props.get if props is not None else (lambda name, default=None: default)
            latin = props.find(f"{A}latin") if props is not None else None
            text = "\n" if child.tag == f"{A}br" else "".join(t.text or "" for t in child.iter(f"{A}t"))
            size = int(get("sz")) / 100 if get("sz") else default_size
            mono = latin is not None and latin.get("typeface") == MONO_TYPEFACE
            runs.append(Run(text, size, mono, bold or get("b") == "1", get("i") == "1"))
        end = p.find(f"{A}endParaRPr")
        size = int(end.get("sz")) / 100 if end is not None and end.get("sz") else default_size
        props = p.find(f"{A}pPr")
        left = first = before = 0.0
        bulleted = False
        if props is not None:
            left, first = points(props.get("marL", 0)), points(props.get("indent", 0))
            spacing = props.find(f"{A}spcBef/{A}spcPts")
            before = int(spacing.get("val")) / 100 if spacing is not None else 0.0
            bulleted = props.find(f"{A}buChar") is not None or props.find(f"{A}buAutoNum") is not None
        paragraphs.append(Paragraph(tuple(runs), size, left, first, before, bulleted))
    return paragraphs


class Measure:
    """Text widths and heights from the font files in `folder`, through FreeType."""

    def __init__(self, folder: Path):
        self.folder = folder

    @cache  # noqa: B019 — one Measure a test run: nothing to leak
    def font(self, mono: bool, bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
        name = FILES[(mono, bold, italic)]
        if not (self.folder / name).is_file():  # DejaVu has no mono bold oblique: its bold has the same widths
            name = FILES[(mono, bold, False)]
        return ImageFont.truetype(str(self.folder / name), REFERENCE_SIZE, layout_engine=ImageFont.Layout.BASIC)

    def width(self, pieces: list[tuple[str, Run]]) -> float:
        """Return the width in points of consecutive pieces of text, each in its run's face."""
        total = 0.0
        for text, run in pieces:
            if text:
                total += self.font(run.mono, run.bold, run.italic).getlength(text) * run.size / REFERENCE_SIZE
        return total

    def line_height(self, paragraph: Paragraph) -> float:
        runs = [run for run in paragraph.runs if run.text.strip("\n")] or [Run("", paragraph.size, False, False, False)]
        heights = []
        for run in runs:
            ascent, descent = self.font(run.mono, run.bold, run.italic).getmetrics()
            heights.append(run.size * max(1.2, (ascent + descent) / REFERENCE_SIZE))
        return max(heights)

    def lines(self, paragraph: Paragraph, width: float) -> int:
        """Return the number of lines `paragraph` takes when wrapped at spaces into `width` points."""
        rest = width - paragraph.left
        available = rest - (0.0 if paragraph.bulleted else paragraph.first)
        count, line = 1, 0.0
        for word, spaces in _words(paragraph.runs):
            if word == [("\n", None)]:
                count, line, available = count + 1, 0.0, rest
                continue
            word_width, space_width = self.width(word), self.width(spaces)
            if line + word_width <= available:
                line += word_width + space_width
                continue
            if line > 0:
                count, line, available = count + 1, 0.0, rest
                if word_width <= available:
                    line = word_width + space_width
                    continue
            for text, run in word:  # a word wider than the line breaks between letters
                for letter in text:
                    letter_width = self.width([(letter, run)])
                    if line + letter_width > available and line > 0:
                        count, line, available = count + 1, 0.0, rest
                    line += letter_width
            line += space_width
        return count

    def text_height(self, paragraphs: list[Paragraph], width: float) -> float:
        return sum(p.before + self.lines(p, width) * self.line_height(p) for p in paragraphs)


def _words(runs: tuple[Run, ...]):
    """Yield each word (and line break) as pieces of styled text, with the spaces after it."""
    word: list[tuple[str, Run]] = []
    spaces: list[tuple[str, Run]] = []
    for run in runs:
        if run.text == "\n":
            if word or spaces:
                yield word, spaces
            word, spaces = [], []
            yield [("\n", None)], []
            continue
        for letter in run.text:
            if letter == " ":
                spaces.append((letter, run))
                continue
            if spaces:
                yield word, spaces
                word, spaces = [], []
            word.append((letter, run))
    if word or spaces:
        yield word, spaces


def overflowing_frames(prs, font_folder: Path) -> list[str]:
    """Return where a text frame or table cell of the deck holds more text than its height (half a point of slack)."""
    measure = Measure(font_folder)
    problems = []
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                body = shape.text_frame._txBody
                body_pr = body.find(f"{A}bodyPr")
                left, top, right, bottom = (points(body_pr.get(key, default)) for key, default in DEFAULT_INSETS)
                is_title = shape.is_placeholder and "TITLE" in str(shape.placeholder_format.type)
                paragraphs = read_paragraphs(body, bold=is_title, default_size=12.0)
                needed = measure.text_height(paragraphs, points(shape.width) - left - right) + top + bottom
                if needed > points(shape.height) + 0.5:
                    problems.append(f"slide {number} {shape.name}: {needed:.1f} pt > {points(shape.height):.1f} pt")
            if shape.has_table:
                widths = [points(column.width) for column in shape.table.columns]
                for r, row in enumerate(shape.table.rows):
                    for c, cell in enumerate(row.cells):
                        margins = [points(cell._tc.tcPr.get(k)) for k in ("marL", "marT", "marR", "marB")]
                        paragraphs = read_paragraphs(cell._tc.txBody)
                        needed = measure.text_height(paragraphs, widths[c] - margins[0] - margins[2]) + margins[1] + margins[3]
                        if needed > points(row.height) + 0.5:
                            problems.append(f"slide {number} table cell {r},{c}: {needed:.1f} pt > {points(row.height):.1f} pt")
    return problems
