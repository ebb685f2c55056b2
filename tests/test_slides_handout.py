"""The slide handout: the PDF deck's pages placed N to a sheet, read back with pypdf."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from conftest import SAMPLE, pdf_texts, run_aula
from pypdf import PdfReader

pytestmark = pytest.mark.slow  # whole WeasyPrint builds


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides-handout")
    result = run_aula("build", SAMPLE, "-o", out, "--format", "slides,slides-handout", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return out


def placed(page) -> list[str]:
    """Return the names of the slides drawn on a sheet (form XObjects named by their deck page)."""
    xobjects = page["/Resources"].get_object().get("/XObject", {})
    return sorted(str(name) for name in xobjects if str(name).startswith("/AulaSlide"))


def test_three_slides_a_sheet_in_deck_order(built):
    deck = PdfReader(built / "curso-de-muestra-slides.pdf")
    sheets = PdfReader(built / "curso-de-muestra-slides-handout.pdf")
    assert len(sheets.pages) == math.ceil(len(deck.pages) / 3)
    assert placed(sheets.pages[0]) == ["/AulaSlide0", "/AulaSlide1", "/AulaSlide2"]
    drawn = [name for page in sheets.pages for name in placed(page)]
    assert len(drawn) == len(deck.pages)
    width, height = (float(n) for n in sheets.pages[0].mediabox[2:])
    assert height > width  # portrait


def test_sheets_carry_headers_numbers_and_the_slides_text(built):
    texts = pdf_texts(built / "curso-de-muestra-slides-handout.pdf")
    assert texts[0].count("Curso de muestra") >= 1 and f"1 / {len(texts)}" in texts[0]
    assert any("Práctica" in text for text in texts)  # a chapter's title in the running header
    assert any("Tu primer contenedor" in text for text in texts)  # the slides' own text comes along


def test_the_presenter_sheets_print_the_speaker_notes(built):
    student = "\n".join(pdf_texts(built / "curso-de-muestra-slides-handout.pdf"))
    teacher = "\n".join(pdf_texts(built / "curso-de-muestra-slides-handout-teacher.pdf"))
    note = "el error más común es olvidar"
    assert note in teacher and teacher.count(note) > student.count(note)


def ruled_lines(page) -> list[tuple[float, float, float]]:
    """Return the horizontal strokes drawn on a sheet: (left, height, right), in points."""
    contents = page.get_contents().get_data().decode("latin-1")
    return [
        (float(x1), float(y1), float(x2))
        for x1, y1, x2, y2 in re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l", contents)
        if y1 == y2
    ]


def test_students_get_ruled_lines_beside_each_slide_and_teachers_do_not(built):
    student = PdfReader(built / "curso-de-muestra-slides-handout.pdf").pages[0]
    teacher = PdfReader(built / "curso-de-muestra-slides-handout-teacher.pdf").pages[0]
    lines = ruled_lines(student)
    width = float(student.mediabox[2])
    assert len(lines) >= 3 * 8  # three slides a sheet, each with lines beside it
    assert all(width / 2 < right <= width - 40 and left < right for left, _, right in lines)  # right of the slides, inside the margin
    heights = sorted({round(y, 1) for _, y, _ in lines})
    assert all(round(b - a, 1) == pytest.approx(22.7, abs=0.1) for a, b in itertools.pairwise(heights) if b - a < 30)  # 8 mm apart
    assert ruled_lines(teacher) == []


@pytest.mark.parametrize("per_page", ["1", "6"])
def test_slides_per_page(tmp_path, per_page):
    result = run_aula("build", SAMPLE, "-o", tmp_path, "--format", "slides,slides-handout", "--edition", "student",
                      "--slides-per-page", per_page, "--jobs", "1")
    assert result.exit_code == 0, result.output
    deck = len(PdfReader(tmp_path / "curso-de-muestra-slides.pdf").pages)
    sheets = PdfReader(tmp_path / "curso-de-muestra-slides-handout.pdf")
    assert len(sheets.pages) == math.ceil(deck / int(per_page))
    assert len(placed(sheets.pages[0])) == min(deck, int(per_page))


def test_one_build_plans_and_draws_the_pdf_deck_once(tmp_path, monkeypatch):
    """The deck and both slide handouts show the same pages: planned and drawn once (one process)."""
    from generator.render import slides
    from generator.render.slides import pdf_deck

    drawn, planners = [], []
    real_draw, real_planner = pdf_deck.DeckDrawing.draw, slides.SlidePlanner
    monkeypatch.setattr(pdf_deck.DeckDrawing, "draw", lambda self: drawn.append(1) or real_draw(self))
    monkeypatch.setattr(slides, "SlidePlanner", lambda *args: planners.append(1) or real_planner(*args))
    result = run_aula("build", SAMPLE, "-o", tmp_path, "--format", "slides,slides-handout", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len(drawn) == 1 and len(planners) == 1
    deck = PdfReader(tmp_path / "curso-de-muestra-slides.pdf")
    sheets = PdfReader(tmp_path / "curso-de-muestra-slides-handout-teacher.pdf")
    assert sum(len(placed(page)) for page in sheets.pages) == len(deck.pages)


def test_the_sheets_read_in_order_and_pass_every_structure_check(built):
    """Per sheet: its heading where a chapter starts, then each slide as a figure followed (presenter) by its notes."""
    from pdf_structure import problems

    for name in ("curso-de-muestra-slides-handout.pdf", "curso-de-muestra-slides-handout-teacher.pdf"):
        assert problems(built / name) == []
    reader = PdfReader(built / "curso-de-muestra-slides-handout-teacher.pdf")
    kinds = [str(kid.get_object()["/S"]) for kid in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]["/K"]]
    assert kinds[:4] == ["/H1", "/Figure", "/H2", "/Figure"]  # the course, its cover slide, the first chapter, its first slide
    assert kinds.count("/H2") == 2  # a heading a chapter, where its slides start, however many sheets it fills
    assert "/P" in kinds and kinds.count("/Figure") == len(PdfReader(built / "curso-de-muestra-slides.pdf").pages)
    # A slide's notes come right after it: never a paragraph before the sheet's first figure.
    first_figure = kinds.index("/Figure")
    assert "/P" not in kinds[:first_figure]


def test_each_chapter_is_bookmarked_at_the_sheet_where_its_slides_start(built):
    reader = PdfReader(built / "curso-de-muestra-slides-handout.pdf")
    titles = [item.title for item in reader.outline]
    assert titles[0] == "Curso de muestra" and any("Práctica" in title for title in titles)
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages == sorted(pages) and pages[0] == 0


def test_the_presenter_notes_stay_inside_their_box(built):
    """Every line of notes is drawn within the box beside its slide: none runs into the margin or the next slide."""
    from generator.render.slides.handout import PT_PER_MM, SHEETS, slots

    boxes = [slot.notes for slot in slots("a4", 3)]
    height = SHEETS["a4"][1]
    reader = PdfReader(built / "curso-de-muestra-slides-handout-teacher.pdf")
    seen = 0
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        pattern = r"/P <</MCID \d+>> BDC q BT [\d.]+ g ([\d.]+) ([\d.]+) Td ([\d.]+) TL (.*?) ET Q"
        for x, y, leading, shown in re.findall(pattern, content):
            first = height - float(y) / PT_PER_MM  # baselines, in mm from the sheet's top
            last = first + (shown.count(" Tj") - 1) * float(leading) / PT_PER_MM
            left = float(x) / PT_PER_MM
            assert any(abs(left - box[0]) < 0.01 and box[1] < first <= last < box[1] + box[3] for box in boxes), (left, first, last)
            seen += 1
    assert seen > 3
