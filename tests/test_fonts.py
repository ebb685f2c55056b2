"""The font merge of a book (`core/fonts.py`), on subsets made here: a valid font file that draws every glyph as the subsets did."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont

from generator.render.core.fonts import _merged, _Subset

FONT = Path(__file__).parent.parent / "themes" / "default" / "fonts" / "DejaVuSans.ttf"


def subset(full: TTFont, text: str) -> tuple[_Subset, int]:
    """Return a subset keeping glyph numbers (as WeasyPrint's does) and the highest number `text` draws."""
    font = TTFont(FONT)
    options = Options(retain_gids=True, notdef_outline=True, layout_features=[], name_IDs=["*"])
    subsetter = Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    cmap = full.getBestCmap()
    return _Subset(output.getvalue()), max(full.getGlyphID(cmap[ord(char)]) for char in text)


def outline(font: TTFont, number: int) -> list:
    """Return the glyph's outline, components drawn in place: what a viewer draws for it."""
    glyph_set = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[font.getGlyphName(number)].draw(pen)
    return pen.value


@pytest.mark.parametrize(
    "texts",
    [
        ("Árbol →", "É ↓ ab", "Ñandú"),  # composites (accents) in every part, arrows high in the numbering
        ("abc", "abc"),  # the same glyphs twice: taken once
        ("x",),
    ],
)
def test_merged_subsets_draw_every_glyph_of_every_part_as_the_whole_font_does(texts):
    full = TTFont(FONT)
    data = _merged([subset(full, text) for text in texts])
    merged = TTFont(io.BytesIO(data), checkChecksums=2)  # a wrong table checksum raises
    merged.ensureDecompiled()
    total = sum(struct.unpack(f">{len(data) // 4}I", data + b"\0" * (-len(data) % 4))) & 0xFFFFFFFF
    assert total == 0xB1B0AFBA  # head's checkSumAdjustment makes the file's sum the magic number
    cmap = full.getBestCmap()
    for char in "".join(texts):
        number = full.getGlyphID(cmap[ord(char)])
        assert outline(merged, number) == outline(full, number), char
        if outline(full, number):  # an empty glyph (a space) is not copied: the PDF gives every width (/W)
            assert merged["hmtx"][merged.getGlyphName(number)] == full["hmtx"][cmap[ord(char)]], char
    assert merged["maxp"].numGlyphs == len(merged["hmtx"].metrics) == len(merged.getGlyphOrder())
    assert "GSUB" not in merged and "GPOS" not in merged  # naming glyph numbers the merge may not keep


def test_a_font_that_is_not_truetype_is_refused_not_misread():
    with pytest.raises(ValueError):
        _Subset(b"OTTO" + b"\0" * 40)


def test_weasyprint_subsetting_with_fonttools_is_one_warning_for_every_font():
    """Without HarfBuzz's subsetting library WeasyPrint warns once per font: a build says it once, with what to install."""
    import logging

    from generator.render.core.pdf import _WeasyPrintWarnings
    from generator.reporting import captured

    said = 'Using fontTools instead of HarfBuzz-Subset for font "%s". This will be unsupported in future versions of WeasyPrint.'
    with captured(hold=True) as reports:
        for family in ("Aula Sans", "Aula Mono", "DejaVu Sans"):
            _WeasyPrintWarnings().emit(logging.LogRecord("weasyprint", logging.WARNING, "", 0, said, (family,), None))
    [message] = {message for _, message in reports}
    assert "W-render" in message and "libharfbuzz-subset0" in message and "Aula" not in message


def test_a_warning_about_the_machine_is_said_but_not_kept_with_the_part():
    """Kept with a cached part, it would be said again after the library is installed, for every part laid out before."""
    from generator.errors import warn
    from generator.render.core import pdf
    from generator.render.core.parts import PartSource, lay_out_part
    from generator.reporting import captured

    class Target:
        def pages(self, html, identifier):
            warn(None, "W-render", pdf.SLOW_SUBSETTING)
            warn(None, "W-test", "about the course")
            return b"%PDF", ()

    with captured(hold=True) as reports:
        part = lay_out_part(PartSource("<p>x</p>", "part", Target()))  # type: ignore[arg-type]
    assert [message for message in part.warnings] == ["warning W-test about the course"]
    assert any(pdf.SLOW_SUBSETTING in message for _, message in reports)
