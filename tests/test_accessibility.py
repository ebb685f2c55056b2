"""Every PDF Aula writes is tagged: a reader who cannot see the page gets its structure (tests/pdf_structure.py)."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, run_aula
from pdf_structure import elements, problems
from pypdf import PdfReader

pytestmark = pytest.mark.slow  # whole WeasyPrint builds


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tagged")
    result = run_aula("build", SAMPLE, "-o", out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    return out


def pdfs(out):
    return sorted(p for p in out.rglob("*.pdf") if ".aula-cache" not in p.parts)


def test_every_pdf_is_written(built):
    names = {p.name for p in pdfs(built)}
    assert {"curso-de-muestra-handout.pdf", "curso-de-muestra-handout-teacher.pdf", "curso-de-muestra-slides.pdf",
            "curso-de-muestra-cheatsheet.pdf", "curso-de-muestra-worksheet.pdf", "curso-de-muestra-answers.pdf",
            "curso-de-muestra-slides-handout.pdf", "02-practica.pdf"} <= names


def test_every_pdf_has_a_structure_a_reader_can_follow(built):
    found = {p.name: problems(p) for p in pdfs(built)}
    assert {name: listed for name, listed in found.items() if listed} == {}


def test_the_handout_keeps_its_headings_figures_tables_and_links_in_the_tree(built):
    reader = PdfReader(built / "curso-de-muestra-handout.pdf")
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    kinds = [str(element["/S"]) for element, _ in elements(tree)]
    assert kinds.count("/H1") >= 3 and kinds.count("/H2") >= 4  # cover, contents, two chapters; sections
    figures = [element for element, _ in elements(tree) if element["/S"] == "/Figure"]
    assert figures and all(element.get("/Alt") for element in figures)
    assert "/Table" in kinds and "/TH" in kinds and "/L" in kinds
    # WeasyPrint's grouping elements (a Span per inline box, NonStruct) give their content to their parents,
    # but text is never left directly in a section: a Span that would give it to one stays
    sections = ("/Document", "/Part", "/Art", "/Sect", "/Div")
    grouping = [element for element, _ in elements(tree)
                if element["/S"] in ("/Span", "/NonStruct") and set(element) <= {"/Type", "/S", "/P", "/Pg", "/K"}
                and not (element["/S"] == "/Span" and element["/P"]["/S"] in sections)]
    assert grouping == []
    in_sections = [kid for element, _ in elements(tree) if element["/S"] in sections for kid in _kids(element)
                   if isinstance(kid, int) or kid.get("/Type") == "/MCR"]
    assert in_sections == []
    links = [element for element, _ in elements(tree) if element["/S"] == "/Link"]
    objects = [kid for element in links for kid in element["/K"] if hasattr(kid, "get") and kid.get("/Type") == "/OBJR"]
    assert objects  # the book's own link annotations belong to the tree
    # One element a link, around its words: not WeasyPrint's Link per box inside it (`::after`), nor an empty one
    assert [link for link in links if link["/P"]["/S"] == "/Link" or not _kids(link)] == []
    assert reader.trailer["/Root"]["/Lang"] == "es"


def _kids(element) -> list:
    kids = element.get("/K")
    kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
    return [kid.get_object() for kid in kids]


def test_a_chapter_link_in_the_tree_names_the_annotation_on_its_page(built):
    reader = PdfReader(built / "curso-de-muestra-handout.pdf")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().raw_get("/P").idnum == page.indirect_reference.idnum


def test_the_slide_handout_has_headings_to_move_by(built):
    """Each slide is one figure: the course's title and each chapter's, where its slides start, are headings."""
    reader = PdfReader(built / "curso-de-muestra-slides-handout.pdf")
    kinds = [str(element["/S"]) for element, _ in elements(reader.trailer["/Root"]["/StructTreeRoot"].get_object())]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") == 2  # the sample course has two chapters
    assert kinds.index("/H1") < kinds.index("/Figure") < kinds.index("/H2")  # the course, its cover slide, then chapter 1


def test_the_pdf_deck_tags_its_bullets_as_lists(built):
    reader = PdfReader(built / "curso-de-muestra-slides.pdf")
    kinds = [str(element["/S"]) for element, _ in elements(reader.trailer["/Root"]["/StructTreeRoot"].get_object())]
    assert kinds.count("/H1") >= 3 and "/L" in kinds and "/LI" in kinds
