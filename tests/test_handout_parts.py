"""The handout laid out chapter by chapter: the cache, and the book put together across parts."""

from __future__ import annotations

import io
import logging
import re

import pytest
from conftest import pdf_texts
from pypdf import PdfReader

from generator.build import BuildOptions, load
from generator.render.core.parts import InParts
from generator.render.handout import HandoutOptions, handout_layouts, render_handout
from generator.scheduler import Job, render_jobs

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

FILLER = (
    "Un contenedor empaqueta una aplicación con todo lo que necesita para ejecutarse, y la aísla del resto "
    "del sistema sin el coste de una máquina virtual completa, con su propio núcleo y su propio arranque.\n\n"
)


def chapters(first_paragraphs: int = 2) -> dict[str, str]:
    """Return a three-chapter course: links across chapters, an exercise with its solution in each."""
    return {
        "course.yml": "title: Libro de prueba\nauthor: Equipo\nlanguage: es\n",
        "01-uno.md": (
            "# Uno\n\n## Primera sección\n\n" + FILLER * first_paragraphs
            + "::: exercise Primero\nHaz algo.\n:::\n\n::: solution\nHecho en el uno.\n:::\n\n"
            + "## Segunda sección del uno\n\n" + FILLER
        ),
        "02-dos.md": (
            "# Dos\n\nVuelve a [la primera sección](01-uno.md#primera-sección).\n\n## Sección del dos\n\n" + FILLER * 3
            + "::: exercise Segundo\nHaz otra cosa.\n:::\n\n::: solution\nHecho en el dos.\n:::\n"
        ),
        "03-tres.md": "# Tres\n\nMira [el capítulo dos](02-dos.md).\n\n## Sección del tres\n\n" + FILLER * 2,
    }


def render(course_dir, cache_dir=None, jobs: int = 1, edition: str = "student") -> bytes:
    """Return the handout: laid out in this process, or with `jobs` worker processes as the build does."""
    _, course, theme = load(BuildOptions(course_dir=course_dir))
    options = HandoutOptions(edition=edition, cache_dir=cache_dir)
    if jobs == 1:
        return render_handout(course, theme, options)
    job = Job("handout.pdf", InParts(lambda: handout_layouts(course, theme, options)))
    return render_jobs([job], jobs, None)["handout.pdf"]


def start_page(pages: list[str], number: int) -> int:
    """Return the page (from 1) where chapter `number` opens."""
    return next(i for i, text in enumerate(pages, start=1) if f"CAPÍTULO {number}" in text.upper())


def page_with(pages: list[str], needle: str) -> int:
    return next(i for i, text in enumerate(pages, start=1) if needle in text)


def check_book(pdf: bytes) -> None:
    """Check the page numbers, contents, bookmarks and links of a book built from `chapters()`."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = pdf_texts(pdf)
    total = len(pages)
    starts = {number: start_page(pages, number) for number in (1, 2, 3)}
    toc = pages[1]
    for number, title in ((1, "Uno"), (2, "Dos"), (3, "Tres")):
        assert re.search(rf"{title}\s+{starts[number]}\b", toc), (title, starts, toc)
    assert ". ." not in toc  # the dots are drawn, not text a screen reader would read out
    for number in range(2, total + 1):
        assert f"{number} / {total}" in pages[number - 1]
    # "see page N" lines point at the page of the solution, and back
    assert f"Solución en la página {page_with(pages, 'Hecho en el uno')}" in pages[page_with(pages, 'Haz algo') - 1]
    assert f"Enunciado en la página {page_with(pages, 'Haz algo')}" in pages[page_with(pages, 'Hecho en el uno') - 1]
    # bookmarks: chapters, their sections, each on its page
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in outline] == ["Uno", "Dos", "Tres"]
    assert [reader.get_destination_page_number(item) + 1 for item in outline] == [starts[1], starts[2], starts[3]]
    sections = [item.title for item in reader.outline[1]]
    assert sections == ["Primera sección", "Segunda sección del uno", "Soluciones · Uno"]
    # links across parts: the contents, and a chapter to another one
    destinations = reader.named_destinations

    def targets(page_number: int) -> list[int]:
        found = []
        for annotation in reader.pages[page_number - 1].get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                found.append(reader.get_destination_page_number(destinations[str(annotation["/Dest"])]) + 1)
        return found

    assert {starts[1], starts[2], starts[3]} <= set(targets(2))
    assert starts[2] in targets(starts[3])  # chapter 3 -> chapter 2
    assert starts[1] in targets(starts[2])  # chapter 2 -> a section of chapter 1


def test_book_put_together_from_parts_is_right(make_course):
    check_book(render(make_course(chapters())))


def test_one_chapter_edit_lays_out_that_chapter_only(make_course, tmp_path, count_layouts):
    course_dir, cache = make_course(chapters()), tmp_path / "cache"
    render(course_dir, cache)
    # Each chapter, and the solutions of the two with exercises: a piece of their own, the answer key's too.
    assert sorted(count_layouts) == ["c1", "c1", "c2", "c2", "c3", "contents", "frame"]
    before = {path.name: path.stat().st_mtime_ns for path in (cache / "student").iterdir()}

    count_layouts.clear()
    render(course_dir, cache)
    assert count_layouts == []  # nothing changed: everything from the cache

    chapter = course_dir / "02-dos.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Haz otra cosa.", "Haz otra cosa, despacio."), encoding="utf-8")
    pdf = render(course_dir, cache)
    assert "c2" in count_layouts and not {"c1", "c3"} & set(count_layouts)
    after = {path.name: path.stat().st_mtime_ns for path in (cache / "student").iterdir()}
    kept = set(before) & set(after)
    assert kept and all(before[name] == after[name] for name in kept)  # untouched, not rewritten
    assert len(set(before) - set(after)) >= 2  # the old chapter 2 (pdf and layout) is gone
    assert "Haz otra cosa, despacio." in "".join(pdf_texts(pdf))


def test_a_cold_build_renders_the_contents_twice_not_once_a_guess(make_course, tmp_path, monkeypatch):
    """The cache is asked for a contents laid out before only when it held parts before the build."""
    from generator.render import handout

    made = []
    contents = handout._Pieces.contents
    monkeypatch.setattr(handout._Pieces, "contents", lambda self, pages: made.append(pages) or contents(self, pages))
    course_dir, cache = make_course(chapters()), tmp_path / "cache"
    render(course_dir, cache)
    assert len(made) == 2  # numbered as if it took one page, to count its entries; then as it is laid out
    made.clear()
    render(course_dir, cache)
    assert len(made) == 2  # found in the cache at the first try, then made from it


@pytest.mark.parametrize("guess", [1, 2], ids=["right", "wrong"])
def test_a_wrong_guess_at_the_contents_length_lays_out_the_contents_and_frame_again(make_course, monkeypatch, count_layouts, guess):
    """The frame is laid out beside the contents, numbered for the guess: a wrong guess costs both again, not a wrong page number."""
    from generator.render import handout

    course_dir = make_course(chapters())  # a contents of one page
    right = render(course_dir)
    count_layouts.clear()
    monkeypatch.setattr(handout, "_contents_pages_guess", lambda *args: guess)
    guessed = render(course_dir)
    assert count_layouts.count("frame") == count_layouts.count("contents") == guess
    assert guessed == right
    check_book(guessed)


def test_cached_parts_outlive_a_moved_course_folder(make_course, tmp_path, count_layouts, monkeypatch):
    """Part keys name files relative to the course and theme: a path spelled differently, or a moved folder, keeps them."""
    files = chapters()
    files["images/caja.svg"] = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n'
    files["01-uno.md"] += "\n![Una caja](images/caja.svg)\n\n![](images/caja.svg){.decorative}\n"
    course_dir, cache = make_course(files), tmp_path / "cache"
    first = render(course_dir, cache)
    assert "c1" in count_layouts

    count_layouts.clear()
    monkeypatch.chdir(course_dir.parent)
    render(course_dir.relative_to(course_dir.parent), cache)
    moved = course_dir.rename(tmp_path / "en-otro-sitio")
    again = render(moved, cache)
    assert count_layouts == []
    assert len(PdfReader(io.BytesIO(again)).pages) == len(PdfReader(io.BytesIO(first)).pages)

    (moved / "images" / "caja.svg").write_text(files["images/caja.svg"].replace('width="40"', 'width="60"', 1))
    render(moved, cache)
    assert count_layouts == ["c1"]  # the image changed: the chapter that shows it is laid out again


def test_edit_that_changes_a_chapter_length_renumbers_the_book(make_course, tmp_path, count_layouts):
    course_dir, cache = make_course(chapters()), tmp_path / "cache"
    short = render(course_dir, cache)
    (course_dir / "01-uno.md").write_text(chapters(first_paragraphs=40)["01-uno.md"], encoding="utf-8")
    count_layouts.clear()
    long = render(course_dir, cache)
    assert len(pdf_texts(long)) > len(pdf_texts(short))
    assert {"c1", "contents", "frame"} <= set(count_layouts) and not {"c2", "c3"} & set(count_layouts)
    check_book(long)
    # the same book as one laid out from scratch
    assert long == render(course_dir)


def test_double_build_is_byte_identical(make_course, tmp_path):
    course_dir = make_course(chapters())
    first = render(course_dir, tmp_path / "one")
    assert render(course_dir, tmp_path / "two") == first  # a second cold build
    assert render(course_dir, tmp_path / "one") == first  # from the cache
    assert render(course_dir) == first  # no cache at all


def test_worker_processes_give_the_same_book(make_course, tmp_path):
    files = chapters()
    files["04-cuatro.md"] = "# Cuatro\n\n## Sección del cuatro\n\n" + FILLER * 2
    course_dir = make_course(files)
    assert render(course_dir, tmp_path / "parallel", jobs=2) == render(course_dir, jobs=1)


def test_teacher_edition_from_parts(make_course):
    pages = pdf_texts(render(make_course(chapters()), edition="teacher"))
    # solutions stay after their exercise, with no "see page N" lines
    assert page_with(pages, "Hecho en el uno") == page_with(pages, "Haz algo")
    assert "en la página" not in "".join(pages)
    assert f"3 / {len(pages)}" in pages[2]


@pytest.mark.parametrize("jobs", [1, 2])
def test_warnings_of_a_part_are_reported_again_from_the_cache(make_course, tmp_path, caplog, jobs):
    files = chapters()
    files["images/remota.svg"] = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">'
        '<image xlink:href="https://example.com/x.png" width="40" height="40"/></svg>'
    )
    files["03-tres.md"] += "\n![Un dibujo](images/remota.svg)\n"
    course_dir, cache = make_course(files), tmp_path / "cache"
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="aula"):
            render(course_dir, cache, jobs)
        refused = [message for message in caplog.messages if "W-fetch-refused" in message and "example.com" in message]
        assert len(refused) == 1  # once: not again from a worker process


def test_user_template_without_pieces_is_laid_out_as_one_document(make_course, tmp_path):
    files = chapters()
    files["course.yml"] += "theme: mitema\n"
    # a user's handout.html written before the pieces: the whole book, page numbers by target-counter
    files["mitema/handout.html"] = """<!DOCTYPE html>
<html lang="{{ info.language }}"><head><meta charset="utf-8"><title>{{ info.title }}</title></head><body>
<nav class="toc">{% for chapter in chapters %}<p><a href="#{{ chapter_id(chapter) }}">{{ chapter.title_text }}</a></p>{% endfor %}</nav>
{% for chapter in chapters %}<article class="chapter" id="{{ chapter_id(chapter) }}"><h1 class="chapter-title">{{ chapter.title_text }}</h1>
{% for section in chapter.sections %}{{ html.blocks(chapter, section.blocks) }}{% endfor %}</article>{% endfor %}
</body></html>
"""
    cache = tmp_path / "cache"
    pages = pdf_texts(render(make_course(files), cache))
    toc = pages[0]
    for title in ("Uno", "Dos", "Tres"):
        assert re.search(rf"{title}[ .]*{page_with(pages[1:], title) + 1}\b", toc)
    # Its entries have no `.toc-text` to hide dots drawn behind them: they keep the leader dots.
    assert re.search(r"Uno( \.)+ *\d", toc), toc
    assert not cache.exists()  # nothing laid out piece by piece


def font_files(pdf: bytes) -> dict[str, set]:
    """Return, for each font name in a PDF, the distinct font files its font dictionaries point to."""
    import pikepdf

    files: dict[str, set] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
                files.setdefault(str(obj.FontName), set()).add(obj.FontFile2.objgen)
    return files


def page_pictures(pdf: bytes, folder) -> list[bytes]:
    """Return each page drawn by poppler at 40 dpi, as PNG bytes."""
    import subprocess

    folder.mkdir()
    (folder / "book.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(folder / "book.pdf"), str(folder / "p")], check=True)
    return [path.read_bytes() for path in sorted(folder.glob("p-*.png"))]


def test_a_book_carries_one_copy_of_each_font_and_draws_every_glyph_as_before(make_course, tmp_path, monkeypatch):
    """The parts' font subsets are merged into one file a font: same text, same pictures, a smaller file."""
    import shutil

    from generator.render.core import book

    files = chapters()
    # Accented capitals and lower case in different parts: composite glyphs whose accents a subset renumbers.
    files["02-dos.md"] += "\n¿Ó, Í, É, Ñ? Sí: índice, camión, pingüino, «comillas» — y “otras”.\n"
    files["03-tres.md"] += "\n**ÁRBOL** y *canción*: ñandú, acción, `código` con acentos: ¡ÉXITO!\n"
    # A subset's own accents are renumbered past its highest glyph: where another part's arrow or Å sits.
    files["02-dos.md"] += "\nVer → siguiente. ¡ÉXITO! ÀÁÂÃÄ\n"
    files["01-uno.md"] += "\nPulsa ↓ abajo. Å\n"
    course_dir = make_course(files)
    merged = render(course_dir)
    monkeypatch.setattr(book, "share_font_programs", lambda pdf: None)
    separate = render(course_dir)

    assert all(len(objects) == 1 for objects in font_files(merged).values())
    assert any(len(objects) > 1 for objects in font_files(separate).values())  # what it was before
    assert len(merged) < len(separate)
    assert pdf_texts(merged) == pdf_texts(separate)
    if shutil.which("pdftoppm"):
        pictures = zip(page_pictures(merged, tmp_path / "merged"), page_pictures(separate, tmp_path / "separate"), strict=True)
        assert [page for page, (a, b) in enumerate(pictures, start=1) if a != b] == []  # pages drawn differently
