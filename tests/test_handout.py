"""The handout PDFs, read back with pypdf."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def built(sample_copy, tmp_path_factory):
    """Build the sample course once; return the output folder and the CLI output."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out), "--format", "handout"])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def student(built):
    return PdfReader(built[0] / "curso-de-muestra-handout.pdf")


@pytest.fixture(scope="module")
def teacher(built):
    return PdfReader(built[0] / "curso-de-muestra-handout-teacher.pdf")


def test_build_writes_both_editions_and_reports_them(built):
    out, result = built
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "curso-de-muestra-handout-teacher.pdf",
        "curso-de-muestra-handout.pdf",
    ]
    assert f"wrote {out / 'curso-de-muestra-handout.pdf'}" in result.output
    assert re.search(r"2 files in \d+\.\d s, 1 warning$", result.output, re.MULTILINE)


def test_remote_image_is_a_placeholder_and_a_warning(built, student):
    assert "01-primeros-pasos.md:75:1: warning AU402" in built[1].output
    text = "\n".join(page_texts(student))
    assert "IMAGEN REMOTA NO INCLUIDA" in text.upper()
    assert "https://example.com/diagrama.png" in text


def test_cover_toc_and_chapters(student):
    pages = page_texts(student)
    assert "Curso de muestra" in pages[0] and "CC BY-SA 4.0" in pages[0] and "Versión 1.0" in pages[0]
    toc = pages[1]
    assert "Índice" in toc
    # every TOC line ends with the page its chapter starts on
    first = next(i for i, t in enumerate(pages) if "CAPÍTULO 1" in t.upper()) + 1
    second = next(i for i, t in enumerate(pages) if "CAPÍTULO 2" in t.upper()) + 1
    assert re.search(rf"Primeros pasos[ .]*{first}\b", toc)
    assert re.search(rf"Práctica[ .]*{second}\b", toc)
    assert second > first > 2


def test_footer_numbers_pages_n_of_total(student):
    pages = page_texts(student)
    total = len(pages)
    assert f"3 / {total}" in pages[2]


def test_external_link_url_is_printed(student):
    # the URL is printed once, as a footnote on the page of the link
    page = next(t for t in page_texts(student) if "Primeros pasos" in t and "oficial" in t)
    assert "1. https://docs.docker.com/" in page


def test_bookmarks_for_chapters_and_sections(student):
    outline = student.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Primeros pasos", "Práctica"]
    sections = [item.title for item in outline[1]]
    assert sections == ["Listas y citas", "Código", "Imágenes", "Tablas"]


def test_metadata(student):
    meta = student.metadata
    assert meta.title == "Curso de muestra"
    assert meta.author == "Equipo de Aula"
    root = student.trailer["/Root"]
    assert root.get("/Lang") == "es"


def test_solutions_move_to_chapter_end_in_student_edition(student, teacher):
    def page_of(reader, needle):
        return next(i for i, t in enumerate(page_texts(reader)) if needle in t)

    solution_code = "docker run -d --name web nginx:1.27"
    exercise = page_of(student, "Tu primer contenedor")
    assert solution_code not in page_texts(student)[exercise]
    solutions = max(i for i, t in enumerate(page_texts(student)) if "Soluciones" in t)
    assert solutions > exercise and solution_code in "".join(page_texts(student)[solutions:])
    # the teacher edition shows it right after the exercise
    assert solution_code in page_texts(teacher)[page_of(teacher, "Tu primer contenedor")]


def test_teacher_notes_only_in_teacher_edition(student, teacher):
    note = "el error más común es olvidar"
    assert note not in "".join(page_texts(student))
    assert note in "".join(page_texts(teacher))


def test_raw_html_is_shown_as_text(student):
    assert "<div>HTML crudo que se muestra como texto</div>" in "".join(page_texts(student))


def link_targets(reader: PdfReader, page_index: int) -> set[int]:
    """Return the page numbers (0-based) the internal links on one page lead to."""
    named = reader.named_destinations
    targets = set()
    for annotation in reader.pages[page_index].get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") != "/Link":
            continue
        action = annotation.get("/A")
        destination = annotation.get("/Dest") or (action.get("/D") if action and action.get("/S") == "/GoTo" else None)
        if destination is None:
            continue
        if isinstance(destination, str):  # a named destination
            destination = named[destination]
            targets.add(reader.get_destination_page_number(destination))
        else:
            page = destination[0]
            targets.add(reader.get_page_number(page.get_object()) if hasattr(page, "get_object") else int(page))
    return targets


def test_internal_links_in_both_slug_styles_lead_to_their_section(student):
    pages = page_texts(student)
    chapter_one = [item for item in student.outline[1] if not isinstance(item, list)]
    section_page = {item.title: student.get_destination_page_number(item) for item in chapter_one}
    code, images = section_page["Código"], section_page["Imágenes"]
    assert "Código" in pages[code] and "Imágenes" in pages[images]
    accented = next(i for i, text in enumerate(pages) if "enlace interno a las imágenes" in text)  # `#imágenes`
    assert images in link_targets(student, accented)
    other = next(i for i, text in enumerate(pages) if "las imágenes con el otro estilo" in text)  # `01-….md#código`, `#im-genes`
    assert {code, images} <= link_targets(student, other)


def page_size(reader: PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


def test_a4_by_default(student):
    assert page_size(student) == pytest.approx(A4, abs=1)


def test_letter_from_the_command_line(sample_copy, tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(sample_copy), "-o", str(tmp_path), "--paper", "letter", "--edition", "student", "--format", "handout"]
    )
    assert result.exit_code == 0, result.output
    assert page_size(PdfReader(tmp_path / "curso-de-muestra-handout.pdf")) == pytest.approx(LETTER, abs=1)
