"""The exercise worksheet and the answer key: what each prints, read back from the PDFs."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, pdf_texts, run_aula, write_course
from pdf_structure import problems
from pypdf import PdfReader

from generator.config import load_config
from generator.model import Callout
from generator.parse import parse_course
from generator.render.html import answer_space

pytestmark = pytest.mark.slow  # whole WeasyPrint builds


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("worksheet")
    result = run_aula("build", SAMPLE, "-o", out, "--format", "worksheet,answers", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return out


def test_the_worksheet_has_every_exercise_with_its_hint_and_no_solution(built):
    text = "\n".join(pdf_texts(built / "curso-de-muestra-worksheet.pdf"))
    assert "HOJA DE EJERCICIOS" in text.upper()
    assert "Ejercicio 2.1: Tu primer contenedor" in text and "Ejercicio 2.2: Con pista" in text
    assert "Mira la opción" in text  # the hint
    assert "docker run -d --name web nginx:1.27" not in text  # no solution
    assert "el error más común es olvidar" not in text  # no teacher note
    assert text.upper().count("TU RESPUESTA") == 2


def test_one_worksheet_per_chapter_with_exercises(built):
    assert sorted(p.name for p in (built / "worksheets").iterdir()) == ["02-practica.pdf"]
    pages = pdf_texts(built / "worksheets" / "02-practica.pdf")
    assert "Ejercicio 2.1" in pages[0] and "HOJA DE EJERCICIOS" not in pages[0].upper()  # no cover: one lesson
    assert pages[-1].rstrip().endswith(f"{len(pages)} / {len(pages)}")


def test_the_answer_key_has_each_solution_under_its_number_and_title(built):
    text = "\n".join(pdf_texts(built / "curso-de-muestra-answers.pdf"))
    assert "SOLUCIONARIO" in text.upper()
    assert "Solución 2.1: Tu primer contenedor" in text and "docker run -d --name web nginx:1.27" in text
    assert "Solución 2.2: Con pista" in text and "docker run -d -p 8080:80 nginx:1.27" in text
    assert "Arranca un contenedor de nginx:1.27" not in text  # the statement is the worksheet's


def test_room_to_answer_is_asked_or_sized_by_the_solution(tmp_path):
    course = write_course(tmp_path / "c", {"01-uno.md": """\
        # Uno

        ::: exercise Con espacio {space=8}
        Explica algo.
        :::

        ::: exercise Un Dockerfile
        Escribe uno.

        ::: solution
        ```dockerfile
        FROM alpine:3.24
        RUN apk add --no-cache curl
        CMD ["curl", "--version"]
        ```
        :::
        :::

        ::: exercise Dos órdenes
        Haz dos cosas.

        ::: solution
        ```console
        $ docker pull alpine:3.24
        $ docker run --rm alpine:3.24 true
        ```
        :::
        :::
        """})
    chapter = parse_course(load_config(course)).chapters[0]
    exercises = [b for b in chapter.blocks() if isinstance(b, Callout) and b.kind == "exercise"]
    assert exercises[0].title == "Con espacio"
    assert [answer_space(e) for e in exercises] == [("lines", 8), ("box", 6), ("lines", 4)]


def test_a_page_of_nothing_but_room_to_answer_keeps_no_other_pages_key_into_the_tags(tmp_path):
    """Such a page has no tagged content: it must not keep its frame page's key into the parent tree (a duplicate)."""
    course = write_course(tmp_path / "c", {"01-uno.md": """\
        # Uno

        ::: exercise Con mucho espacio {space=60}
        Explica algo con calma.
        :::

        ::: exercise Otra cosa {space=60}
        Y esto también.
        :::
        """})
    out = tmp_path / "out"
    result = run_aula("build", course, "-o", out, "--format", "worksheet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*-worksheet.pdf"))
    assert [problem for problem in problems(pdf) if "StructParents" in problem] == []
    assert any("/StructParents" not in page for page in PdfReader(pdf).pages)  # the case this is about


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The identifiers of the parts laid out in this process, in order."""
    from generator import scheduler
    from generator.render.core import parts

    names: list[str] = []
    real = parts.lay_out_part

    def counting(source):
        if isinstance(source, parts.PartSource):  # not a book being bound
            names.append(source.identifier)
        return real(source)

    monkeypatch.setattr(scheduler, "lay_out_part", counting)
    return names


def test_the_answer_keys_contents_is_laid_out_once_when_the_handout_would_need_more_pages(tmp_path, laid_out):
    """The first guess at the contents' length counts its own entries: exercises here, not the 80 sections."""
    sections = "\n\n".join(f"## Apartado {number}\n\nTexto." for number in range(40))
    exercise = "::: exercise Una\nHazlo.\n\n::: solution\nHecho.\n:::\n:::\n"
    course = write_course(tmp_path / "c", {"01-uno.md": f"# Uno\n\n{exercise}\n{sections}\n", "02-dos.md": f"# Dos\n\n{sections}\n"})
    result = run_aula("build", course, "-o", tmp_path / "out", "--format", "answers", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len([name for name in laid_out if name.endswith("-answers-contents")]) == 1, laid_out


def test_the_answer_key_prints_the_student_handouts_solutions_laid_out_once(tmp_path, laid_out):
    """One build of both books lays out each chapter's solutions once: the handout's piece is the answer key's chapter."""
    out = tmp_path / "out"
    result = run_aula("build", SAMPLE, "-o", out, "--format", "handout,answers", "--edition", "student", "--jobs", "1")
    assert result.exit_code == 0, result.output
    solutions = [name for name in laid_out if "-solutions-" in name]
    assert solutions == ["curso-de-muestra-handout-student-solutions-c2"], laid_out  # chapter 2, the one with solutions
    assert not [name for name in laid_out if "-answers-" in name and not name.endswith(("-contents", "-frame"))]
    answers, handout = pdf_texts(out / "curso-de-muestra-answers.pdf"), pdf_texts(out / "curso-de-muestra-handout.pdf")
    [heading] = {line for page in answers for line in page.splitlines() if line.startswith("Soluciones ·")}
    assert any(heading in page for page in handout)
    assert not any("Enunciado en la página" in page for page in answers)  # the handout's page numbers are not the key's


def test_a_theme_whose_handout_keeps_the_solutions_in_the_chapter_still_makes_both_books(tmp_path, laid_out):
    """A user's handout.html from before the solutions were a piece (it never reads `solutions_apart`): the old way."""
    from generator.themes import Theme

    default = Theme.load().find("handout.html").read_text(encoding="utf-8")
    older = default.replace("document == 'book' or not solutions_apart", "true")
    assert older != default
    theme = tmp_path / "tema"
    theme.mkdir()
    (theme / "handout.html").write_text(older, encoding="utf-8")
    out = tmp_path / "out"
    result = run_aula("build", SAMPLE, "-o", out, "--format", "handout,answers", "--edition", "student", "--theme", theme, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert not [name for name in laid_out if "-solutions-" in name]
    assert "curso-de-muestra-answers-c2" in laid_out  # the key lays out its own chapter
    handout = "\n".join(pdf_texts(out / "curso-de-muestra-handout.pdf"))
    answers = "\n".join(pdf_texts(out / "curso-de-muestra-answers.pdf"))
    assert "Solución 2.1: Tu primer contenedor" in handout and "Solución 2.1: Tu primer contenedor" in answers
