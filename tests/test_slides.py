"""The slide plan and the fit estimator, on model objects built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import (
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    CourseInfo,
    InlineCode,
    ListBlock,
    ListItem,
    Location,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
    plain_text,
)
from generator.render.slides.deck import CodeFrame, SlideMetrics, TableFrame, TextFrame
from generator.render.slides.fit import MONO, SANS, Para, Span, fonts_in
from generator.render.slides.pieces import CODE_FLOOR
from generator.render.slides.planner import SlidePlanner
from generator.render.slides.text import fit_para, sentences
from generator.themes import Theme

HERE = Path("chapter.md")
AT = Location(HERE, 1)
LABELS = Theme.load().messages("es")


@pytest.fixture(scope="module")
def fonts():
    return fonts_in(Theme.load().find("fonts/DejaVuSans.ttf").parent)


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),), AT)


def bullets(*items: str) -> ListBlock:
    return ListBlock(tuple(ListItem((para(item),), AT) for item in items), False, AT)


def code(text: str, title: str = "", kind: CodeKind = CodeKind.CONSOLE) -> CodeBlock:
    return CodeBlock(text, "console", kind, AT, title=title)


def course_of(*sections: Section, objectives=(), footnotes=()) -> Course:
    chapter = Chapter(
        HERE, 1, (Text("Primer capítulo"),), "primer-capitulo", sections, AT,
        objectives=objectives, duration="1 h", footnotes=footnotes,
    )
    return Course(CourseInfo("Curso", "curso"), Path("."), (chapter,))


def section(title: str, *blocks) -> Section:
    return Section((Text(title),), title.lower(), tuple(blocks), AT)


def plan(course: Course, fonts) -> list:
    planner = SlidePlanner(course, SlideMetrics(), LABELS, fonts)
    return list(planner.chapter_slides(course.chapters[0]))


# --- fit -------------------------------------------------------------------------


def test_widths_come_from_the_font_files(fonts):
    mono = fonts.width(Span("x" * 10, 10.0, MONO))
    # DejaVu Sans Mono advances are 1233/2048 em; widths carry a 2 % safety margin.
    assert mono == pytest.approx(10 * 10 * 1233 / 2048 * 1.02)
    assert fonts.width(Span("iiii", 20.0, SANS)) < fonts.width(Span("MMMM", 20.0, SANS))
    assert fonts.width(Span("abc", 20.0, SANS, bold=True)) > fonts.width(Span("abc", 20.0, SANS))


def test_lines_break_at_spaces_and_inside_words_only_when_needed(fonts):
    word = Span("palabra ", 20.0)
    one = fonts.width(word)
    assert fonts.lines(Para((word,) * 4, 20.0), one * 4.2) == 1
    assert fonts.lines(Para((word,) * 4, 20.0), one * 2.2) == 2
    long_word = Span("x" * 40, 20.0, MONO)
    assert fonts.lines(Para((long_word,), 20.0), fonts.width(Span("x" * 10, 20.0, MONO)) + 1) == 4
    assert fonts.lines(Para((Span("a\nb\nc", 20.0),), 20.0), 500) == 3


def test_a_hanging_indent_narrows_every_line_but_the_first(fonts):
    text = Span("x" * 30, 10.0, MONO)
    width = fonts.width(Span("x" * 20, 10.0, MONO)) + 0.5
    hang = fonts.width(Span("x" * 4, 10.0, MONO))
    assert fonts.lines(Para((text,), 10.0), width) == 2
    # 20 on the first line, 16 on each next one: 30 characters take two lines either way, 40 take three.
    assert fonts.lines(Para((Span("x" * 40, 10.0, MONO),), 10.0, left=hang, first=-hang), width) == 3


def test_line_height_is_at_least_one_point_two_em(fonts):
    assert fonts.line_height(Para((Span("x", 20.0),), 20.0)) == pytest.approx(24.0)


def test_sentences_split_only_plain_text():
    runs = (Text("Primera frase. Segunda con "), InlineCode("docker.io"), Text(" dentro. ¿Tercera? Sí."))
    found = [plain_text(s) for s in sentences(runs)]
    assert found == ["Primera frase.", "Segunda con docker.io dentro.", "¿Tercera?", "Sí."]


# --- plan ------------------------------------------------------------------------


def test_chapter_title_slide_holds_the_objectives(fonts):
    slides = plan(course_of(section("Uno", para("Hola.")), objectives=("Saber A", "Saber B")), fonts)
    title = slides[0]
    assert title.layout == "chapter" and title.title_text == "Primer capítulo"
    assert title.subtitle == ("Capítulo 1 · Duración: 1 h",)
    texts = [plain_text(p.inlines) for p in title.frames[0].paras]
    assert texts == ["Objetivos", "Saber A", "Saber B"]


def test_long_prose_goes_to_the_notes_and_its_lead_stays(fonts):
    prose = (
        "Docker separa el cliente del servidor. El cliente envía órdenes por una API. "
        "El servidor hace el trabajo pesado: descargar imágenes, crear contenedores, gestionar redes "
        "y volúmenes, y vigilar que todo siga funcionando como se pidió."
    )
    slides = plan(course_of(section("Arquitectura", para(prose), para("Una frase corta."))), fonts)
    slide = slides[1]
    shown = [plain_text(p.inlines) for f in slide.frames for p in f.paras]
    assert shown == ["Docker separa el cliente del servidor.", "Una frase corta."]
    assert slide.notes == (prose,)


def test_short_paragraphs_stay_on_the_slide(fonts):
    slides = plan(course_of(section("Corto", para("Una frase. Y otra más."))), fonts)
    assert [plain_text(p.inlines) for p in slides[1].frames[0].paras] == ["Una frase. Y otra más."]
    assert slides[1].notes == ()


def test_notes_and_teacher_blocks_go_to_the_notes_of_their_slide(fonts):
    notes = Callout("notes", (para("Dedicad cinco minutos."),), AT)
    teacher = Callout("teacher", (para("Error típico: olvidar -d."),), AT)
    slides = plan(course_of(section("Avisos", para("Texto."), notes, teacher)), fonts)
    assert len(slides) == 2
    assert slides[1].notes == ("Notas del ponente:", "Dedicad cinco minutos.", "Para el docente:", "Error típico: olvidar -d.")
    assert all("Dedicad" not in plain_text(p.inlines) for f in slides[1].frames for p in f.paras)


def test_an_exercise_gets_its_slide_and_its_solution_the_next(fonts):
    solution = Callout("solution", (code("$ docker run -d nginx:1.27\n"),), AT)
    exercise = Callout("exercise", (para("Arranca nginx."),), AT, title="Primer contenedor", number=1, solution=solution)
    slides = plan(course_of(section("Práctica", para("Antes."), exercise, para("Después."))), fonts)
    assert [(s.layout, s.title_text) for s in slides[1:]] == [
        ("content", "Práctica (1/2)"),
        ("exercise", "Ejercicio 1.1: Primer contenedor"),
        ("solution", "Solución 1.1: Primer contenedor"),
        ("content", "Práctica (2/2)"),
    ]
    assert isinstance(slides[3].frames[0], CodeFrame)


def test_a_long_list_continues_on_numbered_slides(fonts):
    items = [f"Elemento número {n} de una lista larga que no cabe entera en una diapositiva" for n in range(30)]
    slides = plan(course_of(section("Lista", bullets(*items))), fonts)
    content = slides[1:]
    assert len(content) > 1
    assert [s.title_text for s in content] == [f"Lista ({n}/{len(content)})" for n in range(1, len(content) + 1)]
    shown = [plain_text(p.inlines) for s in content for f in s.frames for p in f.paras]
    assert shown == items


def test_key_points_close_the_chapter(fonts):
    keypoints = Callout("keypoints", (bullets("Idea uno", "Idea dos"),), AT)
    slides = plan(course_of(section("Uno", para("Texto.")), section("Ideas clave", keypoints)), fonts)
    assert [s.layout for s in slides] == ["chapter", "content", "keypoints"]
    assert slides[-1].title_text == "Ideas clave"
    assert [plain_text(p.inlines) for p in slides[-1].frames[0].paras] == ["Idea uno", "Idea dos"]


def test_wide_code_is_set_smaller_down_to_the_floor_then_wraps(fonts):
    metrics = SlideMetrics()
    medium = "$ docker run " + "-e A=1 " * 9
    huge = "$ docker run " + "-e VARIABLE=valor " * 20
    slides = plan(course_of(section("Código", code(medium + "\n"), code(huge + "\n"))), fonts)
    frames = [f for s in slides for f in s.frames if isinstance(f, CodeFrame)]
    assert CODE_FLOOR < frames[0].size < metrics.code_size
    assert frames[1].size == CODE_FLOOR
    assert frames[1].box.h > 2 * CODE_FLOOR * 1.2  # one source line, wrapped


def test_long_code_is_split_into_continuation_slides(fonts):
    text = "".join(f"RUN echo paso {n}\n" for n in range(60))
    slides = plan(course_of(section("Dockerfile", code(text, "Dockerfile", CodeKind.DOCKERFILE))), fonts)
    parts = slides[1:]
    assert len(parts) >= 3 and parts[-1].title_text.endswith(f"({len(parts)}/{len(parts)})")
    lines = [line for s in parts for f in s.frames for line in f.lines]
    assert ["".join(t for _, t in line) for line in lines] == [f"RUN echo paso {n}" for n in range(60)]
    assert all(f.title == "Dockerfile" for s in parts for f in s.frames)
    assert all(len(s.frames[0].lines) >= 3 for s in parts)  # no widow lines


def test_tables_are_native_and_split_by_rows_with_their_header(fonts):
    rows = tuple(((Text(f"fila {n}"),), (Text("un texto de celda bastante largo " * 2),)) for n in range(25))
    table = Table(((Text("Orden"),), (Text("Qué hace"),)), rows, ("", ""), AT)
    slides = plan(course_of(section("Tabla", table)), fonts)
    frames = [f for s in slides for f in s.frames if isinstance(f, TableFrame)]
    assert len(frames) > 1
    assert sum(len(f.rows) for f in frames) == 25
    assert all(plain_text(f.header[0]) == "Orden" for f in frames)
    assert all(sum(f.heights) == pytest.approx(f.box.h) for f in frames)


def test_every_frame_sits_inside_the_body_area(fonts):
    items = [f"Elemento {n} " * 5 for n in range(20)]
    text = "".join(f"echo {n}\n" for n in range(40))
    slides = plan(course_of(section("Todo", para("Intro:"), code(text), bullets(*items), para("Fin."))), fonts)
    body = SlideMetrics().body
    for slide in slides[1:]:
        for frame in slide.frames:
            assert body.y <= frame.box.y and frame.box.bottom <= body.bottom + 0.01, slide.title_text
            assert body.x <= frame.box.x and frame.box.x + frame.box.w <= body.x + body.w + 0.01


def test_footnotes_go_to_the_notes(fonts):
    from generator.model import Footnote, FootnoteRef

    note = Footnote("n", 1, (para("El texto de la nota."),))
    paragraph = Paragraph((Text("Con nota"), FootnoteRef("n", 1), Text(".")), AT)
    slides = plan(course_of(section("Notas", paragraph), footnotes=(note,)), fonts)
    assert slides[1].notes == ("[1] El texto de la nota.",)
    assert isinstance(slides[1].frames[0], TextFrame)


def test_bold_and_code_runs_are_measured_in_their_faces(fonts):
    planner = SlidePlanner(course_of(), SlideMetrics(), LABELS, fonts)
    plain = planner.para((Text("docker run"),))
    styled = planner.para((Strong((Text("docker"),)), InlineCode(" run")))
    widths = [sum(fonts.width(s) for s in fit_para(p).spans) for p in (plain, styled)]
    assert widths[1] > widths[0]


def test_an_svg_takes_on_a_slide_the_shape_it_is_drawn_in(tmp_path):
    """One SVG sizer for the pixel limit and the slides: `width`/`height` with units, else the viewBox.

    The slides used to read the viewBox first and drop units, so this drawing (2:1 on paper, as
    cairosvg and WeasyPrint draw it) was planned as a square.
    """
    from generator.render.core.images import ImageSize, image_size

    drawing = tmp_path / "ancho.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4in" height="2in" viewBox="0 0 100 100"/>\n')
    assert image_size(drawing) == ImageSize(384.0, 192.0)
    (tmp_path / "caja.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 10"/>\n')
    assert image_size(tmp_path / "caja.svg") == ImageSize(30.0, 10.0)
