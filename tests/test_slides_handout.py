"""The slide handout: the PDF deck's pages placed N to a sheet, read back with pypdf."""

from __future__ import annotations

import math

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


@pytest.mark.parametrize("per_page", ["1", "6"])
def test_slides_per_page(tmp_path, per_page):
    result = run_aula("build", SAMPLE, "-o", tmp_path, "--format", "slides,slides-handout", "--edition", "student",
                      "--slides-per-page", per_page, "--jobs", "1")
    assert result.exit_code == 0, result.output
    deck = len(PdfReader(tmp_path / "curso-de-muestra-slides.pdf").pages)
    sheets = PdfReader(tmp_path / "curso-de-muestra-slides-handout.pdf")
    assert len(sheets.pages) == math.ceil(deck / int(per_page))
    assert len(placed(sheets.pages[0])) == min(deck, int(per_page))
