"""The PDF deck laid out chapter by chapter: the cache, and the deck put together across parts."""

from __future__ import annotations

import io

import pytest
from conftest import pdf_texts
from pypdf import PdfReader

from generator.build import BuildOptions, load
from generator.render.slides import SlideDecks
from generator.render.slides.pdf_deck import render_slides_pdf
from generator.scheduler import Job, render_jobs

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

BULLETS = "".join(f"- Punto número {n} de la lista, con texto suficiente para ocupar una línea.\n" for n in range(1, 7))


def chapters(sections_in_one: int = 1) -> dict[str, str]:
    """Return a three-chapter course: a link from the third chapter to the second."""
    return {
        "course.yml": "title: Diapositivas de prueba\nauthor: Equipo\nlanguage: es\n",
        "01-uno.md": "# Uno\n\n" + "".join(f"## Sección {n} del uno\n\n{BULLETS}\n" for n in range(1, sections_in_one + 1)),
        "02-dos.md": "# Dos\n\n## Redes del dos\n\n" + BULLETS,
        "03-tres.md": "# Tres\n\n## Vuelta atrás\n\nRepasa [las redes](02-dos.md#redes-del-dos) antes de seguir.\n",
    }


def deck_pdf(course_dir, cache_dir=None, jobs: int = 1) -> bytes:
    """Return the PDF deck: laid out in this process, or by `jobs` worker processes as the build does."""
    _, course, theme = load(BuildOptions(course_dir=course_dir))
    decks = SlideDecks(course, theme, created="2026-11-28", cache_dir=cache_dir)
    if jobs == 1:
        return decks.course_pdf().make()
    return render_jobs([Job("slides.pdf", decks.course_pdf())], jobs, None)["slides.pdf"]


def whole_deck_pdf(course_dir) -> bytes:
    _, course, theme = load(BuildOptions(course_dir=course_dir))
    decks = SlideDecks(course, theme, created="2026-11-28")
    return render_slides_pdf(decks.planner.deck(), course, theme, decks.created)


def outline(pdf: bytes) -> list[tuple[str, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def internal_links(pdf: bytes) -> list[tuple[int, int]]:
    """Return (page of the link, page it lands on) for every link to a named destination."""
    reader = PdfReader(io.BytesIO(pdf))
    destinations = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                found.append((number, destinations[str(annotation["/Dest"])]))
    return found


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text; pypdf ends a page with a newline when its last ink is a form, as the frame drawn over a part's page is."""
    return [text.rstrip() for text in pdf_texts(pdf)]


def test_deck_from_parts_shows_what_the_whole_document_shows(make_course):
    course_dir = make_course(chapters())
    by_parts, whole = deck_pdf(course_dir), whole_deck_pdf(course_dir)
    assert page_texts(by_parts) == page_texts(whole)  # the same words on the same pages, slide numbers included
    assert outline(by_parts) == outline(whole)
    assert internal_links(by_parts) == internal_links(whole) != []
    info = PdfReader(io.BytesIO(by_parts)).metadata
    assert (info.title, info.author) == ("Diapositivas de prueba", "Equipo")


def test_link_to_another_chapter_lands_on_its_slide(make_course):
    pdf = deck_pdf(make_course(chapters()))
    pages = pdf_texts(pdf)
    [(source, target)] = internal_links(pdf)
    assert "Repasa las redes" in pages[source] and "Redes del dos" in pages[target]


def test_slides_are_numbered_across_the_deck(make_course):
    pages = pdf_texts(deck_pdf(make_course(chapters())))
    for number, text in enumerate(pages[1:], start=2):  # the cover has no number
        assert text.rstrip().endswith(str(number)), text


def test_editing_one_chapter_lays_out_its_slides_again_and_nothing_else(make_course, tmp_path, count_layouts):
    course_dir, cache = make_course(chapters()), tmp_path / "cache"
    deck_pdf(course_dir, cache)
    assert sorted(count_layouts) == ["cover", "dos", "tres", "uno"]  # the frame is drawn, not laid out
    count_layouts.clear()
    assert deck_pdf(course_dir, cache) and count_layouts == []  # all from the cache
    two = course_dir / "02-dos.md"
    two.write_text(two.read_text(encoding="utf-8").replace("Punto número 3", "Punto tercero"), encoding="utf-8")
    edited = deck_pdf(course_dir, cache)
    assert count_layouts == ["dos"]
    assert "Punto tercero" in "".join(pdf_texts(edited))
    assert edited == deck_pdf(course_dir)  # the same deck as one laid out with no cache


def test_a_chapter_that_grows_renumbers_the_deck_without_laying_out_the_others(make_course, tmp_path, count_layouts):
    course_dir, cache = make_course(chapters()), tmp_path / "cache"
    short = pdf_texts(deck_pdf(course_dir, cache))
    (course_dir / "01-uno.md").write_text(chapters(sections_in_one=3)["01-uno.md"], encoding="utf-8")
    count_layouts.clear()
    long = deck_pdf(course_dir, cache)
    # its slides, none of the other chapters' (the frame, numbered on, is drawn)
    assert count_layouts == ["uno"]
    assert len(pdf_texts(long)) == len(short) + 2
    assert page_texts(long) == page_texts(whole_deck_pdf(course_dir))


def test_worker_processes_give_the_same_deck(make_course, tmp_path):
    course_dir = make_course(chapters())
    assert deck_pdf(course_dir, tmp_path / "parallel", jobs=2) == deck_pdf(course_dir)


def test_user_template_without_pieces_is_laid_out_as_one_document(make_course, tmp_path):
    from generator.themes import Theme

    files = chapters()
    files["course.yml"] += "theme: mitema\n"
    # a user's copy of slides.html from before the pieces: it knows only the whole deck
    template = Theme.load().find("slides.html").read_text(encoding="utf-8")
    template = template.replace("{% for slide in slides %}", "{% for slide in deck.slides %}")
    template = template.replace("{% if document != 'part' and slide.layout != 'cover' %}", "{% if slide.layout != 'cover' %}")
    assert "document" not in template.split("-#}", 1)[1]
    files["mitema/slides.html"] = template
    course_dir, cache = make_course(files), tmp_path / "cache"
    pdf = deck_pdf(course_dir, cache)
    assert page_texts(pdf) == page_texts(whole_deck_pdf(course_dir))
    assert not cache.exists()  # nothing laid out piece by piece


def test_a_part_with_a_page_too_many_gets_the_deck_laid_out_whole(make_course, tmp_path, caplog, monkeypatch):
    """Were a theme to let a slide run onto a second page, the parts would not match the frames: lay the deck out whole."""
    import logging

    import generator.render.slides.pdf_deck as slides_pdf

    original = slides_pdf.slides_html

    def one_page_more(*args, **kwargs):
        html = original(*args, **kwargs)
        if "part" in args or kwargs.get("document") == "part":
            html = html.replace("</body>", '<section class="slide">una página de más</section></body>')
        return html

    monkeypatch.setattr(slides_pdf, "slides_html", one_page_more)
    course_dir = make_course(chapters())
    with caplog.at_level(logging.WARNING, logger="aula"):
        pdf = deck_pdf(course_dir, tmp_path / "cache")
    assert any("W-slides-pieces" in message for message in caplog.messages)
    monkeypatch.setattr(slides_pdf, "slides_html", original)
    assert page_texts(pdf) == page_texts(whole_deck_pdf(course_dir))
