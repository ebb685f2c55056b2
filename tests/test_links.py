"""One index of link targets (`generator.links`): the linter and the renderers agree on every link."""

from __future__ import annotations

import re

import pytest
from conftest import write_course

from generator.config import load_config
from generator.links import LinkIndex
from generator.lint import lint_course
from generator.parse import parse_course
from generator.render.html import HtmlFragments

CHAPTERS = {
    "01-uno.md": """\
        # Capítulo uno

        ## Instalación

        ```sh {#instalar}
        apt-get install -y docker.io
        ```

        ### Comprobar

        ::: exercise Primer ejercicio
        Haz algo.
        :::

        ::: solution
        Hecho.
        :::

        Una nota[^1].

        [^1]: El texto de la nota.
        """,
    "02-dos.md": "# Capítulo dos\n\n## Imágenes y más\n\nTexto.\n",
}
LINKS = [
    "#instalación", "#instalaci-n", "#comprobar", "#instalar", "01-uno.md#instalar", "02-dos.md",
    "02-dos.md#imágenes-y-más", "./02-dos.md#im-genes-y-m-s", "02-dos.md?x=1#imágenes-y-más", "#",
    "#fn1", "#nada", "02-dos.md#instalar", "03-tres.md", "03-tres.md#x", "notas.txt",
]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("links") / "course"
    exercise_anchor = "ejercicio-1-1"
    body = "\n".join(f"- [enlace {n}]({href})" for n, href in enumerate(LINKS)) + "\n"
    write_course(root, {**CHAPTERS, "02-dos.md": CHAPTERS["02-dos.md"] + "\n" + body + f"- [ejercicio](#{exercise_anchor})\n"})
    return parse_course(load_config(root))


def lint_verdicts(course) -> dict[int, bool]:
    """Return, for each link of the list (by its line), whether the linter accepts it."""
    findings = [f for f in lint_course(course) if f.code in ("AU404", "AU405") and f.location.path.name == "02-dos.md"]
    first = 7  # the line of `- [enlace 0](…)` in 02-dos.md
    bad = {f.location.line - first for f in findings}
    return {n: n not in bad for n in range(len(LINKS))}


def html_verdicts(course) -> dict[int, bool]:
    """Return, for each link of the list, whether the HTML makes it a link inside the document."""
    fragments = HtmlFragments(course, {"solution_link": "", "exercise_link": ""})
    chapter = course.chapters[1]
    html = fragments.blocks(chapter, chapter.sections[-1].blocks)
    items = re.findall(r"<li>(.*?)</li>", html)
    return {n: 'class="internal"' in items[n] for n in range(len(LINKS))}


def test_the_linter_accepts_exactly_the_links_the_renderers_make(course):
    assert lint_verdicts(course) == html_verdicts(course)


def test_which_links_lead_somewhere(course):
    accepted = {LINKS[n] for n, ok in html_verdicts(course).items() if ok}
    assert accepted == {
        "#instalación", "#instalaci-n", "#comprobar", "#instalar", "01-uno.md#instalar", "02-dos.md",
        "02-dos.md#imágenes-y-más", "./02-dos.md#im-genes-y-m-s", "02-dos.md?x=1#imágenes-y-más", "#",
    }


def test_a_code_block_with_an_id_is_a_target_with_that_id_in_the_html(course):
    fragments = HtmlFragments(course, {"solution_link": "", "exercise_link": ""})
    chapter = course.chapters[0]
    target = LinkIndex(course).resolve(course.chapters[1], "01-uno.md#instalar")
    assert target is not None and target.html_id == "c1-instalar"
    section = next(s for s in chapter.sections if s.title_text == "Instalación")
    assert f'<figure class="code code-script short" id="{target.html_id}">' in fragments.blocks(chapter, section.blocks)


def test_footnotes_are_not_link_targets(course):
    findings = [str(f) for f in lint_course(course) if "#fn1" in f.message]
    assert len(findings) == 1 and "AU405" in findings[0]


def test_the_slide_of_a_section_carries_every_target_in_it(course):
    index = LinkIndex(course)
    chapter = course.chapters[0]
    section = next(s for s in chapter.sections if s.title_text == "Instalación")
    assert index.ids_in(chapter, section) == ["c1-instalación", "c1-comprobar", "ejercicio-1-1", "c1-instalar"]


def test_names_an_author_gives_a_place_are_targets(tmp_path):
    """HTML anchors and `{#id}` attributes (Markdown written for GitHub or pandoc) lead where their heading leads."""
    root = write_course(tmp_path / "course", {
        "01-uno.md": """\
            # Uno

            ## <a name="task1.1"></a>Tarea 1.1

            Texto.

            ### Detalles {#detalles-a-mano}

            Más texto.

            - [a la tarea](#task1.1)
            - [a los detalles](#detalles-a-mano)
            - [a ninguna parte](#task9)
            """,
    })
    course = parse_course(load_config(root))
    chapter = course.chapters[0]
    index = LinkIndex(course)
    section = next(s for s in chapter.sections if s.title_text.startswith("Tarea"))
    assert index.resolve(chapter, "#task1.1").html_id == f"c1-{section.anchor}"
    assert index.resolve(chapter, "#detalles-a-mano") is not None
    assert [f.message for f in lint_course(course) if f.code == "AU405"] == [
        "no heading or exercise in the course has the anchor `#task9`"
    ]
