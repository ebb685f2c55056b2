"""Text drawn by Aula itself (`generator.render.core.drawing`) and the slide handout's sheets drawn with it."""

from __future__ import annotations

import io
import itertools
import re

import pikepdf
from conftest import SAMPLE
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from generator.render.core.drawing import Font, fitted, lines, text
from generator.themes import Theme

THEME = Theme.load()
SERIF = THEME.find("fonts/DejaVuSerif.ttf")
TEXT = "Un contenedor comparte el núcleo del anfitrión; el socket (/var/run/docker.sock) escucha en multi-stage ¿verdad?"


def test_lines_fill_greedily_and_never_run_wider_than_the_line():
    font = Font.load(SERIF)
    for width in (60.0, 120.0, 200.0):
        broken = lines(TEXT, font, 8, width)
        assert len(broken) > 1
        assert all(font.width(line, 8) <= width or " " not in line for line in broken)
        # Greedy: the next line's first word would not have fitted on the line before.
        for line, following in itertools.pairwise(broken):
            if not line.endswith(("/", "-")):
                assert font.width(f"{line} {following.split(' ')[0]}", 8) > width
        assert " ".join(broken).replace("/ ", "/").replace("- ", "-") == TEXT
    assert lines(TEXT, font, 8, 10_000) == [TEXT]


def test_a_path_breaks_after_a_slash_and_a_word_after_its_hyphen():
    font = Font.load(SERIF)
    narrow = max(font.width("(/var/run/", 8), font.width("docker.sock)", 8)) + 1
    assert lines("(/var/run/docker.sock)", font, 8, narrow) == ["(/var/run/", "docker.sock)"]
    assert lines("multi-stage", font, 8, max(font.width("multi-", 8), font.width("stage", 8)) + 1) == ["multi-", "stage"]
    assert lines("a 3-4", font, 8, font.width("a 3-", 8) + 0.5) == ["a", "3-4"]  # not before a digit


def test_a_word_wider_than_the_line_is_broken_where_it_reaches_the_end():
    font = Font.load(SERIF)
    digest = "sha256:" + "0123456789abcdef" * 4
    broken = lines(f"la imagen {digest} pesa poco", font, 8, 100)
    assert "".join(broken).replace(" ", "") == f"laimagen{digest}pesapoco"
    assert all(font.width(line, 8) <= 100 for line in broken)


def test_a_no_break_space_keeps_its_words_together():
    font = Font.load(SERIF)
    assert "10\u00a0MB" in lines("Ocupa 10\u00a0MB en disco", font, 8, font.width("Ocupa 10", 8) + 1)[1]


def test_fitted_ends_a_long_title_in_an_ellipsis_within_its_room():
    font = Font.load(SERIF)
    assert fitted("Docker", font, 8, 100) == "Docker"
    cut = fitted(TEXT, font, 8, 100)
    assert cut.endswith("…") and font.width(cut, 8) <= 100 and TEXT.startswith(cut[:-1].rstrip())


def one_page(words: str, fallback: bool = False) -> bytes:
    """A PDF of one page with `words` drawn in the serif font (the sans for what it lacks, with `fallback`)."""
    font = Font.load(SERIF)
    font.resource = "/F1"
    fonts = [font]
    if fallback:
        font.fallback = Font.load(THEME.find("fonts/DejaVuSans.ttf"))
        font.fallback.resource = "/F2"
        fonts.append(font.fallback)
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(400, 100))
    page.obj.Contents = pdf.make_stream(text(font, 10, 10, 50, [words]).encode())
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({each.resource: each.embedded(pdf) for each in fonts}))
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def test_a_character_the_serif_lacks_is_drawn_from_the_sans_and_one_neither_has_is_noted():
    assert PdfReader(io.BytesIO(one_page("Hecho ✓", fallback=True))).pages[0].extract_text() == "Hecho ✓"
    font = Font.load(SERIF)
    font.shown("a😀b")
    assert font.missing == {"😀"}


def test_drawn_text_reads_back_and_its_font_holds_only_the_glyphs_drawn():
    data = one_page("Año · ¿Qué? → «sí»")
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == "Año · ¿Qué? → «sí»"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (cid_font,) = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2"]
        program = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile2.read_bytes()))
        drawn = [name for name in program.getGlyphOrder() if program["glyf"][name].numberOfContours != 0]
        assert 10 < len(drawn) < 40  # the letters drawn, their accents, .notdef; not the font's six thousand glyphs
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSerif", str(cid_font.BaseFont))


def test_long_notes_are_set_smaller_and_cut_at_the_foot_of_their_box(caplog):
    """Notes too long for their box even at the smallest size end with the last line that fits, saying where the rest is."""
    import logging

    from generator.config import load_config
    from generator.parse import parse_course
    from generator.render.slides import SlideDecks
    from generator.render.slides.handout import NOTES_SIZES, PT_PER_MM, SHEETS, Sheet, draw_handout, slots

    course = parse_course(load_config(SAMPLE))
    deck = SlideDecks(course, THEME).planner.deck()
    slot = slots("a4", 3)[0]
    sheet = Sheet(("Práctica",), 1, ((0, slot, (TEXT * 30, "Un párrafo que ya no cabe.")),), ((0, "Práctica"),))
    blank = pikepdf.new()
    blank.add_blank_page(page_size=(720, 405))
    slides = io.BytesIO()
    blank.save(slides)
    with caplog.at_level(logging.WARNING, logger="aula"):
        data = draw_handout([sheet], deck, slides.getvalue(), course, THEME, "teacher", "a4", "")
    assert "W-notes-cut" in caplog.text and "Diapositiva 1" in caplog.text
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    pattern = r"/P <</MCID \d+>> BDC q BT [\d.]+ g [\d.]+ ([\d.]+) Td ([\d.]+) TL /Aula\d+ ([\d.]+) Tf (.*?) ET"
    y, leading, size, shown = re.search(pattern, content).groups()
    assert float(size) == NOTES_SIZES[-1]  # the smallest: they do not fit at any
    count = shown.count(" Tj")
    last = SHEETS["a4"][1] - (float(y) - (count - 1) * float(leading)) / PT_PER_MM  # its baseline, in mm from the top
    foot = slot.notes[1] + slot.notes[3]
    assert last < foot and foot - last < 2 * float(leading) / PT_PER_MM  # the box is filled, down to its last line
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Sigue en el manual, edición del docente." in text and "Un párrafo que ya no cabe" not in text
