"""The slide decks, read back: .pptx with python-pptx, the PDF deck with pypdf."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader
from slide_text import overflowing_frames

from generator.cli import main
from generator.config import load_config
from generator.parse import parse_course
from generator.render.slides import SlideDecks
from generator.render.slides.fit import MONO
from generator.render.slides.template import LAYOUT_NAMES
from generator.themes import Theme

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
FONT_FOLDER = Theme.load().find("fonts/DejaVuSans.ttf").parent


def overflows(prs) -> list[str]:
    """Return where the deck's text is taller than its frame, measured apart from the planner."""
    return overflowing_frames(prs, FONT_FOLDER)


def outside(prs) -> list[str]:
    width, height = prs.slide_width, prs.slide_height
    return [
        f"slide {number} {shape.name}"
        for number, slide in enumerate(prs.slides, 1)
        for shape in slide.shapes
        if shape.left < 0 or shape.top < 0 or shape.left + shape.width > width or shape.top + shape.height > height
    ]


def titles(prs) -> list[str]:
    return [slide.shapes.title.text_frame.text if slide.shapes.title is not None else "" for slide in prs.slides]


# --- the sample course, through the command line ----------------------------------


@pytest.fixture(scope="module")
def built(sample_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out), "--format", "slides", "-j", "1"])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def sample_deck(built):
    return Presentation(str(built[0] / "curso-de-muestra-slides.pptx"))


@pytest.mark.slow
def test_build_writes_the_course_deck_the_chapter_decks_and_the_pdf(built):
    out, result = built
    written = sorted(str(p.relative_to(out)) for p in out.glob("**/*.p[dp][ft]*") if ".aula-cache" not in p.parts)
    assert written == [
        "curso-de-muestra-slides.pdf",
        "curso-de-muestra-slides.pptx",
        "slides/01-primeros-pasos.pptx",
        "slides/02-practica.pptx",
    ]
    assert "Traceback" not in result.output


def test_deck_is_16_9_built_on_named_layouts(sample_deck):
    assert (sample_deck.slide_width, sample_deck.slide_height) == (Emu(12192000), Emu(6858000))
    used = {slide.slide_layout.name for slide in sample_deck.slides}
    assert used <= set(LAYOUT_NAMES.values())
    assert {"Course title", "Chapter title", "Content", "Exercise", "Solution", "Key points"} <= used


def test_sample_titles_in_order(sample_deck):
    assert titles(sample_deck) == [
        "Curso de muestra",
        "Primeros pasos",
        "Primeros pasos",
        "Listas y citas",
        "Código (1/3)",
        "Código (2/3)",
        "Código (3/3)",
        "Imágenes (1/2)",
        "Imágenes (2/2)",
        "Tablas",
        "Práctica",
        "Práctica",
        "Ejercicio 2.1: Tu primer contenedor",
        "Solución 2.1: Tu primer contenedor",
        "Ejercicio 2.2: Con pista",
        "Solución 2.2: Con pista",
        "Avisos",
        "Ideas clave",
    ]


def test_chapter_decks_hold_the_chapter_slides_of_the_course_deck(built, sample_deck):
    whole = titles(sample_deck)
    first = Presentation(str(built[0] / "slides" / "01-primeros-pasos.pptx"))
    second = Presentation(str(built[0] / "slides" / "02-practica.pptx"))
    assert titles(first) + titles(second) == whole[1:]


def test_every_word_is_text_in_a_placeholder(sample_deck):
    for slide in sample_deck.slides:
        for shape in slide.shapes:
            assert shape.is_placeholder, f"{shape.name} on {slide.shapes.title.text_frame.text}"


def test_notes_and_teacher_blocks_are_speaker_notes(sample_deck):
    avisos = next(s for s in sample_deck.slides if s.shapes.title.text_frame.text == "Avisos")
    notes = avisos.notes_slide.notes_text_frame.text
    assert "dedicar cinco minutos" in notes and "olvidar -d" in notes
    shown = " ".join(shape.text_frame.text for shape in avisos.shapes if shape.has_text_frame)
    assert "cinco minutos" not in shown


def test_code_runs_are_monospace_and_coloured(sample_deck):
    codes = [shape for slide in sample_deck.slides for shape in slide.shapes if shape.name.startswith("Code ")]
    assert codes
    for shape in codes:
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                assert run.font.name == MONO
    dockerfile = next(s for s in codes if s.text_frame.text.startswith("Dockerfile"))
    from_run = dockerfile.text_frame.paragraphs[1].runs[0]
    assert from_run.text.strip() == "FROM" and from_run.font.bold and str(from_run.font.color.rgb) == "0550AE"
    console = next(s for s in codes if "hello-world" in s.text_frame.text)
    assert console.text_frame.paragraphs[0].runs[0].text == "$ "  # the prompt is kept


def test_inline_code_is_monospace_too(sample_deck):
    intro = sample_deck.slides[2]
    runs = [r for shape in intro.shapes if shape.name.startswith("Text ") for p in shape.text_frame.paragraphs for r in p.runs]
    code = next(r for r in runs if r.text == "código en línea")
    assert code.font.name == MONO


def test_tables_are_native_tables(sample_deck):
    slide = next(s for s in sample_deck.slides if s.shapes.title.text_frame.text == "Tablas")
    table = next(shape for shape in slide.shapes if shape.has_table).table
    assert [cell.text for cell in table.rows[0].cells] == ["Orden", "Qué hace"]
    assert [cell.text for cell in table.rows[1].cells] == ["docker ps", "Lista contenedores"]


def test_images_keep_their_aspect_and_remote_ones_are_a_placeholder_box(sample_deck):
    from PIL import Image

    pictures = [shape for slide in sample_deck.slides for shape in slide.shapes if shape.shape_type == 14 and hasattr(shape, "image")]
    assert len(pictures) == 2  # the SVG, rasterised, and the PNG
    for picture in pictures:
        with Image.open(io.BytesIO(picture.image.blob)) as image:
            assert picture.image.content_type in ("image/png", "image/jpeg")
            assert picture.width / picture.height == pytest.approx(image.width / image.height, rel=0.01)
    texts = [shape.text_frame.text for slide in sample_deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any("Imagen remota no incluida" in t and "https://example.com/diagrama.png" in t for t in texts)


def test_footer_has_course_title_and_slide_number(sample_deck):
    for number, slide in enumerate(sample_deck.slides, 1):
        if slide.slide_layout.name == "Course title":
            continue
        names = {shape.name: shape for shape in slide.shapes}
        assert names["Footer"].text_frame.text == "Curso de muestra"
        field = names["Slide number"].text_frame._txBody.find(f".//{A}fld")
        assert field.get("type") == "slidenum" and field.findtext(f"{A}t") == str(number)


def test_nothing_outside_the_slide_and_every_text_fits_its_frame(sample_deck):
    assert outside(sample_deck) == []
    assert overflows(sample_deck) == []


@pytest.mark.slow
def test_pdf_deck_has_one_16_9_page_per_slide(built, sample_deck):
    reader = PdfReader(built[0] / "curso-de-muestra-slides.pdf")
    assert len(reader.pages) == len(sample_deck.slides)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)
    assert "Tu primer contenedor" in reader.pages[12].extract_text()
    assert "docker run" in reader.pages[13].extract_text()


# --- prose moved to the notes, end to end ---------------------------------------------


@pytest.mark.slow
def test_prose_too_long_for_a_slide_is_in_the_notes(make_course, tmp_path):
    long_paragraph = (
        "Un contenedor es un proceso aislado del resto del sistema. Comparte el núcleo con el anfitrión, "
        "pero ve su propio sistema de ficheros, su propia red y sus propios procesos. Por eso arranca en "
        "menos de un segundo y apenas gasta memoria, a diferencia de una máquina virtual completa."
    )
    course = make_course({"01-intro.md": f"# Intro\n\n## Qué es\n\n{long_paragraph}\n\n- Ligero\n- Rápido\n"})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(out), "--format", "slides", "-j", "1"])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(out / "slides" / "01-intro.pptx"))
    slide = next(s for s in deck.slides if s.shapes.title.text_frame.text == "Qué es")
    assert slide.notes_slide.notes_text_frame.text == long_paragraph
    shown = [shape.text_frame.text for shape in slide.shapes if shape.name.startswith("Text ")]
    assert shown == ["Un contenedor es un proceso aislado del resto del sistema.\nLigero\nRápido"]


# --- the bundled course ----------------------------------------------------------


@pytest.fixture(scope="module")
def course_decks():
    if not (CONTENT / "course.yml").is_file() and not any(CONTENT.glob("*.md")):
        pytest.skip("no bundled course")
    course = parse_course(load_config(CONTENT))
    decks = SlideDecks(course, Theme.load())
    return course, decks, Presentation(io.BytesIO(decks.course_pptx().make()))


def test_bundled_course_every_text_frame_fits_and_stays_on_the_slide(course_decks):
    _, _, deck = course_decks
    assert outside(deck) == []
    assert overflows(deck) == []


def test_bundled_course_code_runs_are_monospace(course_decks):
    _, _, deck = course_decks
    fonts = {
        run.font.name
        for slide in deck.slides
        for shape in slide.shapes
        if shape.name.startswith("Code ")
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    }
    assert fonts == {MONO}


def test_bundled_course_slide_count_per_chapter(course_decks):
    course, decks, deck = course_decks
    plan = decks.planner
    counts = [len(plan.chapter_slides(chapter)) for chapter in course.chapters]
    assert len(deck.slides) == 1 + sum(counts)
    starts = [index for index, slide in enumerate(deck.slides) if slide.slide_layout.name == "Chapter title"]
    assert [b - a for a, b in zip(starts, starts[1:] + [len(deck.slides)], strict=True)] == counts
    chapter = course.chapters[0]
    alone = Presentation(io.BytesIO(decks.chapter_pptx(chapter).make()))
    assert titles(alone) == titles(deck)[1 : 1 + counts[0]]


def test_every_zip_entry_carries_the_fixed_date(built):
    """Zip dates have a 2-second resolution: two writes within a second would hide a clock read."""
    import zipfile

    out, _ = built
    for deck in [*out.glob("*.pptx"), *out.glob("slides/*.pptx")]:
        with zipfile.ZipFile(deck) as package:
            assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}, deck.name
            assert {info.external_attr >> 16 for info in package.infolist()} == {0o644}, deck.name
            assert package.testzip() is None  # every member whole: its CRC checks
            data = deck.read_bytes()
            for info in package.infolist():  # each member's local header too: time 00:00:00, date 1980-01-01 (DOS format)
                assert data[info.header_offset + 10 : info.header_offset + 14] == b"\0\0\x21\0", (deck.name, info.filename)


def test_template_is_what_the_script_writes(tmp_path):
    target = tmp_path / "slides.pptx"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_slide_template.py"), str(target)], check=True, capture_output=True)
    assert target.read_bytes() == (REPO / "themes" / "default" / "slides.pptx").read_bytes()


def test_template_layouts_and_placeholders_are_named():
    prs = Presentation(str(REPO / "themes" / "default" / "slides.pptx"))
    names = {layout.name: {ph.name for ph in layout.placeholders} for layout in prs.slide_layouts}
    assert set(names) == set(LAYOUT_NAMES.values())
    for layout in ("Content", "Exercise", "Solution", "Key points"):
        assert {"Title", "Text 1", "Code 1", "Table", "Picture", "Footer", "Slide number"} <= names[layout]
    assert {"Title", "Chapter label", "Objectives"} <= names["Chapter title"]
    assert {"Title", "Subtitle"} <= names["Course title"]


@pytest.mark.slow
def test_extreme_content_still_fits(make_course, tmp_path):
    """Long titles, many objectives, wide tables, long words and long code: nothing leaves its frame."""
    objectives = "\n".join(f"  - Objetivo número {n} con una descripción bastante larga del todo" for n in range(20))
    long_word = "x" * 300
    table_rows = "\n".join(f"| `{long_word[:80]}` | {'palabra ' * 30} |" for _ in range(12))
    code_lines = "\n".join(f"$ docker run --name servicio{n} " + "--env CLAVE=valor " * (n % 9) + "nginx:1.27" for n in range(120))
    chapter = f"""---
objectives:
{objectives}
---
# {"Un título de capítulo muy largo que ocupa varias líneas " * 4}

## {"Una sección con un título larguísimo " * 5}

{long_word}

| Orden | Descripción |
|---|---|
{table_rows}

```console
{code_lines}
```

- {"Un elemento de lista muy largo " * 20}
  - {long_word}
"""
    course = make_course({"01-extremo.md": chapter})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(out), "--format", "slides", "-j", "1", "--no-lint"])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(out / "slides" / "01-extremo.pptx"))
    assert outside(deck) == []
    assert overflows(deck) == []
    assert titles(deck)[1].startswith("Objetivos")
    assert len(PdfReader(next(out.glob("*-slides.pdf"))).pages) == len(Presentation(str(next(out.glob("*-slides.pptx")))).slides)


def test_every_picture_has_its_alt_text_and_every_slide_its_title_first(make_course, tmp_path):
    """Read by a screen reader: a picture's description, the title placeholder first in reading (shape) order."""
    course = make_course({"01-uno.md": "# Uno\n\n## Dos\n\n![Una caja](images/caja.svg)\n\n![](images/caja.svg){.decorative}\n"})
    (course / "images").mkdir()
    (course / "images" / "caja.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>\n')
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "o"), "--format", "slides", "-j", "1"])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(next((tmp_path / "o").glob("*-slides.pptx"))))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape._element.tag.endswith("}pic")]
    descriptions = [(shape._element.nvPicPr.cNvPr.get("descr"), bool(shape._element.xpath(".//*[local-name()='decorative']")))
                    for shape in pictures]
    assert descriptions == [("Una caja", False), ("", True)]
    for slide in deck.slides:
        first = next(iter(slide.shapes))
        assert first.is_placeholder and "TITLE" in str(first.placeholder_format.type), slide.slide_layout.name


def test_svg_pictures_are_rasterised_once_and_kept_between_builds(make_course, tmp_path, monkeypatch):
    """An edit makes the course .pptx again: its drawings come from the cache, not from cairosvg (0.9 s a process)."""
    import cairosvg

    from generator.render.slides import pptx_writer

    course = make_course({"01-uno.md": "# Uno\n\n## Dos\n\n![Una caja](images/caja.svg)\n"})
    (course / "images").mkdir()
    drawing = course / "images" / "caja.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n')
    rasterised, rasterise = [], cairosvg.svg2png
    monkeypatch.setattr(cairosvg, "svg2png", lambda **options: rasterised.append(options) or rasterise(**options))

    def build() -> bytes:
        pptx_writer._picture.cache_clear()  # as in a new process
        result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "o"), "--format", "slides", "-j", "1"])
        assert result.exit_code == 0, result.output
        deck = Presentation(str(next((tmp_path / "o").glob("*-slides.pptx"))))
        [picture] = [shape for slide in deck.slides for shape in slide.shapes if shape._element.tag.endswith("}pic")]
        return picture.image.blob

    kept = tmp_path / "o" / ".aula-cache" / "slides" / "pictures"
    first = build()
    assert len(rasterised) == 1 and [path.suffix for path in kept.iterdir()] == [".png"]
    (course / "01-uno.md").write_text("# Uno\n\n## Dos, editado\n\n![Una caja](images/caja.svg)\n")
    assert build() == first and len(rasterised) == 1  # the course deck and the chapter deck, made again from the kept PNG
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>\n')
    assert build() != first and len(rasterised) == 2
    assert len(list(kept.iterdir())) == 1  # the old drawing's PNG is gone


def test_a_deck_is_made_when_its_pictures_cannot_be_kept(make_course, tmp_path):
    from generator.render.slides import pptx_writer

    course = make_course({"01-uno.md": "# Uno\n\n## Dos\n\n![Una caja](images/caja.svg)\n"})
    (course / "images").mkdir()
    (course / "images" / "caja.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>\n')
    (tmp_path / "o" / ".aula-cache" / "slides").mkdir(parents=True)
    (tmp_path / "o" / ".aula-cache" / "slides" / "pictures").write_text("a file where the folder would be")
    pptx_writer._picture.cache_clear()
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "o"), "--format", "slides", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert next((tmp_path / "o").glob("*-slides.pptx")).stat().st_size > 0
