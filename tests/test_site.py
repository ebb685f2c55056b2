"""The course's website without a browser: its fragments from hand-built models, its plan, its search
index, its downloads, and `--format site` builds (cached, reproducible, after the outputs it lists).

What only a browser can tell (the search runs, a solution opens, nothing is requested from elsewhere)
is in test_site_browser.py.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, output_files, run_aula

from generator.build import BuildOptions, build, load
from generator.formats import FORMATS, Request
from generator.model import Callout, Chapter, CodeBlock, CodeKind, Course, CourseInfo, HtmlBlock, Link, Location, Paragraph, Section, Text
from generator.render.core.parts import Whole
from generator.render.site import Site, plan_site
from generator.render.site.downloads import Offer, describe, human_size, offers
from generator.render.site.fragments import SiteFragments
from generator.render.site.search import search_entries
from generator.scheduler import Job
from generator.themes import Theme

LABELS = dict(Theme.load().messages("es"))
HERE = Path("/course/01-uno.md")


def at(line: int = 1) -> Location:
    return Location(HERE, line)


def chapter(*blocks, number: int = 1, path: Path = HERE, title: str = "Uno") -> Chapter:
    section = Section((Text("Sección"),), "seccion", tuple(blocks), at())
    return Chapter(path, number, (Text(title),), title.lower(), (section,), at())


def fragments(*chapters: Chapter) -> SiteFragments:
    course = Course(CourseInfo("Curso", "curso"), Path("/course"), chapters)
    return SiteFragments(course, LABELS, "student", pages={c.number: f"{c.path.stem}.html" for c in chapters})


# --- fragments ------------------------------------------------------------------------------


def test_a_session_marks_its_command_lines_with_the_width_of_their_prompt():
    text = "$ docker run -d \\\n    nginx:1.27\nabc123\nana@pc:~$ docker ps\nCONTAINER ID\n"
    one = chapter(CodeBlock(text, "console", CodeKind.CONSOLE, at()))
    html = fragments(one).blocks(one, one.sections[0].blocks)
    cuts = re.findall(r'<span class="line"( data-cut="\d+")?>', html)
    assert cuts == [' data-cut="2"', ' data-cut="0"', "", ' data-cut="10"', ""]
    assert '<button type="button" class="copy" hidden data-done="Copiado">Copiar</button>' in html


def test_a_script_has_no_prompts_to_cut():
    one = chapter(CodeBlock("docker ps\n", "sh", CodeKind.SCRIPT, at()))
    assert "data-cut" not in fragments(one).blocks(one, one.sections[0].blocks)


def test_exercise_folds_its_hint_and_solution_and_notes_are_left_out():
    hint = Callout("hint", (Paragraph((Text("Mira -p."),), at()),), at())
    solution = Callout("solution", (Paragraph((Text("docker run -p 8080:80"),), at()),), at())
    exercise = Callout("exercise", (Paragraph((Text("Publica el puerto."),), at()), hint), at(), "Puertos", 1, "ej-1-1", solution)
    notes = Callout("notes", (Paragraph((Text("NOTAS DEL PONENTE"),), at()),), at())
    teacher = Callout("teacher", (Paragraph((Text("PARA EL DOCENTE"),), at()),), at())
    one = chapter(exercise, notes, teacher)
    html = fragments(one).blocks(one, one.sections[0].blocks)
    assert '<aside class="callout callout-exercise" id="ej-1-1"><p class="callout-label">Ejercicio 1.1: Puertos</p>' in html
    assert '<details class="callout callout-hint"><summary class="callout-label">Pista</summary><p>Mira -p.</p></details>' in html
    assert ('<details class="callout callout-solution" id="sol-ej-1-1"><summary class="callout-label">Solución 1.1</summary>'
            "<p>docker run -p 8080:80</p></details></aside>") in html
    assert "PONENTE" not in html and "DOCENTE" not in html


def test_links_lead_to_other_pages_and_only_to_safe_schemes():
    two_path = Path("/course/02-dos.md")
    target = Section((Text("Redes"),), "redes", (), at())
    two = Chapter(two_path, 2, (Text("Dos"),), "dos", (target,), Location(two_path, 1))
    one = chapter(
        Paragraph(
            (
                Link("02-dos.md#redes", (Text("redes"),)),
                Link("https://docs.docker.com/", (Text("docs"),)),
                Link("javascript://%0aalert(1)", (Text("trampa"),)),
                Link("#nada", (Text("a ninguna parte"),)),
            ),
            at(),
        )
    )
    html = fragments(one, two).blocks(one, one.sections[0].blocks)
    assert '<a class="internal" href="02-dos.html#c2-redes">redes</a>' in html
    assert '<a class="external" href="https://docs.docker.com/" rel="noopener noreferrer">docs</a>' in html
    assert "javascript" not in html and "trampa" in html
    assert "a ninguna parte" in html and 'href="#nada"' not in html


def test_raw_html_is_shown_as_text():
    one = chapter(HtmlBlock('<script>alert("x")</script>\n', at()))
    html = fragments(one).blocks(one, one.sections[0].blocks)
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- plan, search index, downloads ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    """The sample course and the default theme."""
    _, course, theme = load(BuildOptions(course_dir=SAMPLE))
    return course, theme


def test_plan_names_a_page_per_chapter_and_copies_the_images_shown(sample):
    course, theme = sample
    plan = plan_site(course, theme)
    assert list(plan.pages.values()) == ["01-primeros-pasos.html", "02-practica.html"]
    assert sorted(plan.images.values()) == ["media/images/caja.svg", "media/images/cuadro.png"]
    assert set(plan.assets) == {"site.css", "site.js"}


def test_a_chapter_called_index_does_not_overwrite_the_home_page(make_course):
    root = make_course({"index.md": "# Inicio\n\nTexto.\n", "search.md": "# Buscar\n\nTexto.\n"})
    _, course, theme = load(BuildOptions(course_dir=root))
    assert sorted(plan_site(course, theme).pages.values()) == ["c1-index.html", "c2-search.html"]


def test_a_user_theme_overrides_the_site_file_by_file(sample, tmp_path):
    course, _ = sample
    user = tmp_path / "theme"
    (user / "site").mkdir(parents=True)
    (user / "site" / "site.css").write_text("body { color: red; }\n")
    (user / "site" / "custom.css").write_text("h1 { color: blue; }\n")
    (user / "site" / "chapter.html").write_text('{% extends "site/base.html" %}{% block main %}MINE {{ chapter.title_text }}{% endblock %}')
    theme = Theme.load(user)
    site = Site(course, theme)
    assert site.plan.assets == {"custom.css": user / "site" / "custom.css", "site.css": user / "site" / "site.css",
                                "site.js": theme.find("site/site.js")}
    page = site.chapter_page(course.chapters[0]).decode()
    assert "MINE Primeros pasos" in page
    assert '<link rel="stylesheet" href="custom.css">' in page  # the default base.html, linking the addition


def test_the_search_index_holds_each_section_with_its_commands_and_no_notes(sample):
    course, theme = sample
    site = Site(course, theme)
    entries = search_entries(course, site.html.href)
    assert [entry["t"] for entry in entries][:3] == ["Primeros pasos", "Listas y citas", "Código"]
    code = next(entry for entry in entries if entry["t"] == "Código")
    assert code["u"] == "01-primeros-pasos.html#c1-código" and "docker run --rm hello-world:latest" in code["x"]
    everything = json.dumps(entries, ensure_ascii=False)
    assert "8080:80" in everything and "Notas del ponente" not in everything and "Nota para el docente" not in everything
    script = site.search_index().decode()
    assert script.startswith("window.AULA_SEARCH = [") and script.endswith("];\n")
    assert json.loads(script.removeprefix("window.AULA_SEARCH = ").removesuffix(";\n")) == entries


def test_the_site_offers_the_students_files_only(sample):
    course, _ = sample
    made = ["curso-de-muestra-handout.pdf", "curso-de-muestra-handout-teacher.pdf", "curso-de-muestra-cheatsheet.pdf",
            "curso-de-muestra-slides.pptx", "slides/02-practica.pptx", "site/index.html"]
    assert offers(course, made) == [
        Offer("curso-de-muestra-handout.pdf", "site_download_handout"),
        Offer("curso-de-muestra-cheatsheet.pdf", "site_download_cheatsheet"),
        Offer("curso-de-muestra-slides.pptx", "site_download_slides_pptx", "slide"),
        Offer("slides/02-practica.pptx", "site_download_chapter_slides", "slide", 2),
    ]


def tiny_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_download_is_described_by_its_size_and_length():
    pdf = describe(Offer("curso-handout.pdf", "site_download_handout"), tiny_pdf(3), LABELS)
    assert (pdf.href, pdf.label, pdf.kind, pdf.length) == ("../curso-handout.pdf", "Apuntes del curso", "PDF", "3 páginas")
    one = describe(Offer("curso-handout.pdf", "site_download_handout"), tiny_pdf(1), LABELS)
    assert one.length == "1 página"
    broken = describe(Offer("curso-handout.pdf", "site_download_handout"), b"not a pdf", LABELS)
    assert broken.length == "" and broken.size == "1 kB"
    for damaged in (b"%PDF-1.7\ngarbage", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj trailer<</Root 1 0 R>>%%EOF"):
        assert describe(Offer("curso-handout.pdf", "site_download_handout"), damaged, LABELS).length == ""
    assert [human_size(n, ",") for n in (10, 840_400, 1_249_000, 23_456_789)] == ["1 kB", "840 kB", "1,2 MB", "23,5 MB"]


# --- builds -------------------------------------------------------------------------------------


def site_build(root: Path, out: Path, formats: tuple[str, ...] = ("site",)):
    return build(BuildOptions(course_dir=root, output_dir=out, formats=formats, jobs=1))


def test_format_site_alone_writes_the_site_lists_it_in_build_json_and_is_reproducible(sample_copy, tmp_path):
    first = site_build(sample_copy, tmp_path / "a")
    names = sorted(str(path.relative_to(tmp_path / "a")) for path in first.written)
    assert names == sorted(f"site/{name}" for name in [
        "index.html", "01-primeros-pasos.html", "02-practica.html", "search.html", "search-index.js", "site.css", "site.js",
        "media/images/caja.svg", "media/images/cuadro.png"])
    manifest = json.loads((tmp_path / "a" / "build.json").read_text())
    assert sorted(entry["path"] for entry in manifest["outputs"]) == names
    home = (tmp_path / "a" / "site" / "index.html").read_text()
    assert "Descargas" not in home  # nothing else was built: nothing to offer
    assert site_build(sample_copy, tmp_path / "a").written == []  # nothing changed, nothing written
    site_build(sample_copy, tmp_path / "b")
    assert output_files(tmp_path / "a") == output_files(tmp_path / "b")


def test_the_site_alone_says_it_offers_no_download_and_shows_images_as_the_handout_does(sample_copy, tmp_path):
    result = run_aula("build", sample_copy, "-o", tmp_path / "out", "--format", "site", "-q")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "warning " in line]
    assert warnings == [
        f"{sample_copy}/01-primeros-pasos.md:75:1: warning AU402 remote image `https://example.com/diagrama.png` is not fetched"
        " in the offline build: save it under `images/`",
        "warning W-site-no-downloads site/index.html offers nothing to download: no student file was built with it"
        " (build them together, e.g. --format handout,slides,cheatsheet,site)",
    ]
    page = (tmp_path / "out" / "site" / "01-primeros-pasos.html").read_text()
    assert 'src="media/images/caja.svg" alt="Un contenedor dibujado"' in page
    assert "https://example.com/diagrama.png" in page and "Imagen remota no incluida" in page
    assert (tmp_path / "out" / "site" / "media" / "images" / "caja.svg").read_bytes() == (sample_copy / "images" / "caja.svg").read_bytes()


@pytest.fixture
def own_sample(tmp_path) -> Path:
    """A copy of the sample course for one test, which may add files to it."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "sample"))


@pytest.fixture
def fake_handout(monkeypatch):
    """Replace the handout by blank pages, as many as `pages.txt` of the course says: the home page's order and cache, no layout."""

    def handout_jobs(request: Request) -> list[Job]:
        course = request.course
        pages = course.root / "pages.txt"
        return [Job(f"{course.info.slug}-handout.pdf", Whole(lambda: tiny_pdf(int(pages.read_text()))), (pages,))]

    monkeypatch.setitem(FORMATS, "handout", handout_jobs)


def test_the_home_page_is_made_after_the_files_it_lists_and_again_when_they_change(own_sample, tmp_path, fake_handout):
    out = tmp_path / "out"
    (own_sample / "pages.txt").write_text("3")
    site_build(own_sample, out, ("handout", "site"))
    home = (out / "site" / "index.html").read_text()
    assert '<a class="download" href="../curso-de-muestra-handout.pdf">' in home and "PDF · 1 kB · 3 páginas" in home

    assert site_build(own_sample, out, ("handout", "site")).written == []

    (own_sample / "pages.txt").write_text("5")  # the handout changes: the home page follows, the chapter pages stay
    written = {str(path.relative_to(out)) for path in site_build(own_sample, out, ("handout", "site")).written}
    assert written == {"curso-de-muestra-handout.pdf", "site/index.html"}
    assert "5 páginas" in (out / "site" / "index.html").read_text()


def test_a_home_page_kept_from_the_last_build_reads_the_handout_from_the_output_folder(own_sample, tmp_path, fake_handout):
    out = tmp_path / "out"
    (own_sample / "pages.txt").write_text("3")
    site_build(own_sample, out, ("handout", "site"))
    (out / "site" / "index.html").unlink()  # only the home page is made again, from the handout on disk
    written = [str(path.relative_to(out)) for path in site_build(own_sample, out, ("handout", "site")).written]
    assert written == ["site/index.html"]
    assert "3 páginas" in (out / "site" / "index.html").read_text()
