"""The parser: every Markdown construct reaches the model with its line number."""

from __future__ import annotations

import pytest
from conftest import SAMPLE

from generator.config import load_config
from generator.errors import ConfigError, ContentError
from generator.model import (
    Callout,
    CodeBlock,
    CodeKind,
    FootnoteRef,
    HtmlBlock,
    Image,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    ThematicBreak,
    anchor_forms,
    walk_blocks,
)
from generator.parse import parse_course
from generator.parse.code import DOCKERFILE_INSTRUCTIONS, sniff_code_kind
from generator.parse.markdown import parse_info_string

FIXTURES = SAMPLE.parent


@pytest.fixture(scope="module")
def sample():
    return parse_course(load_config(SAMPLE))


def blocks_of(chapter, kind):
    return [b for b in chapter.blocks() if isinstance(b, kind)]


def test_course_info_comes_from_course_yml(sample):
    assert sample.info.title == "Curso de muestra"
    assert sample.info.slug == "curso-de-muestra"
    assert sample.info.license == "CC BY-SA 4.0"
    assert sample.info.version == "1.0"
    assert [c.path.name for c in sample.chapters] == ["01-primeros-pasos.md", "02-practica.md"]


def test_chapter_title_front_matter_and_sections(sample):
    first = sample.chapters[0]
    assert first.title_text == "Primeros pasos"
    assert first.location.line == 7
    assert first.objectives == ("Reconocer las construcciones del formato", "Ver cómo se imprime cada una")
    assert first.duration == "1 h"
    titles = [s.title_text for s in first.sections]
    assert titles == ["", "Listas y citas", "Código", "Imágenes", "Tablas"]
    assert [s.location.line for s in first.sections[1:]] == [13, 24, 69, 77]
    assert first.sections[3].anchor == "imágenes"
    assert anchor_forms(first.sections[3].anchor) == ("imágenes", "im-genes")


def test_code_blocks_kinds_attributes_and_first_code_line(sample):
    code = {b.location.line: b for b in blocks_of(sample.chapters[0], CodeBlock)}
    assert code[29].kind is CodeKind.DOCKERFILE and code[29].title == "Dockerfile"
    assert code[29].text.startswith("FROM debian:12-slim\n")
    assert code[38].kind is CodeKind.COMPOSE and code[38].title == "compose.yaml"
    assert code[46].kind is CodeKind.CONSOLE and "Hello from Docker!" in code[46].text
    assert code[53].classes == ("synopsis",)
    assert code[59].classes == ("bad-example",) and code[59].attributes["ignore"] == "AU308"
    indented = code[64]
    assert indented.indented and indented.kind is CodeKind.DOCKERFILE and indented.language == ""


def test_inline_runs_links_footnotes(sample):
    intro = sample.chapters[0].sections[0].blocks[0]
    assert isinstance(intro, Paragraph) and intro.location.line == 9
    links = [r for r in intro.inlines if isinstance(r, Link)]
    assert [link.href for link in links] == ["https://docs.docker.com/", "#imágenes"]
    assert links[0].is_external and not links[1].is_external
    refs = [r for r in intro.inlines if isinstance(r, FootnoteRef)]
    assert refs == [FootnoteRef("nota", 1)]
    assert sample.chapters[0].footnotes[0].number == 1


def test_lists_quotes_breaks_html_images_tables(sample):
    chapter = sample.chapters[0]
    lists = blocks_of(chapter, ListBlock)
    assert not lists[0].ordered and lists[1].ordered and lists[1].location.line == 17
    assert blocks_of(chapter, Quote)[0].location.line == 20
    assert blocks_of(chapter, ThematicBreak)[0].location.line == 22
    html = blocks_of(chapter, HtmlBlock)
    assert html[0].text.startswith("<div>") and not html[0].is_comment
    images = blocks_of(chapter, Image)
    assert [(i.src, i.location.line) for i in images] == [
        ("images/caja.svg", 71),
        ("images/cuadro.png", 73),
        ("https://example.com/diagrama.png", 75),
    ]
    assert images[1].title == "Cuadro de ejemplo" and images[2].is_remote
    table = blocks_of(chapter, Table)[0]
    assert table.location.line == 79 and table.aligns == ("left", "right") and len(table.rows) == 2


def test_callouts_number_exercises_and_attach_solutions(sample):
    chapter = sample.chapters[1]
    exercises = [b for b in chapter.blocks() if isinstance(b, Callout) and b.kind == "exercise"]
    assert [(e.number, e.title, e.location.line) for e in exercises] == [
        (1, "Tu primer contenedor", 8),
        (2, "Con pista", 18),
    ]
    # a solution after its exercise and one nested inside it are both attached
    assert all(e.solution is not None for e in exercises)
    assert exercises[1].solution.location.line == 25
    assert [b.kind for b in exercises[1].blocks if isinstance(b, Callout)] == ["hint"]
    kinds = [b.kind for b in walk_blocks(chapter.sections[2].blocks) if isinstance(b, Callout)]
    assert kinds[:4] == ["tip", "warning", "notes", "teacher"]
    warning = [b for b in walk_blocks(chapter.sections[2].blocks) if isinstance(b, Callout) and b.kind == "warning"][0]
    assert warning.title == "Cuidado"


@pytest.mark.parametrize(
    "info, language, classes, attributes",
    [
        ("dockerfile", "dockerfile", (), {}),
        ('yaml title="compose.yaml"', "yaml", (), {"title": "compose.yaml"}),
        ("console {.synopsis}", "console", ("synopsis",), {}),
        ("console{.bad-example}", "console", ("bad-example",), {}),
        (
            'bash {.no-cheatsheet cheatsheet="Lista todo" ignore=DL3008}', "bash", ("no-cheatsheet",),
            {"cheatsheet": "Lista todo", "ignore": "DL3008"},
        ),
        ("{.synopsis}", "", ("synopsis",), {}),
    ],
)
def test_info_strings(info, language, classes, attributes):
    parsed = parse_info_string(info)
    assert (parsed.language, parsed.classes, parsed.attributes) == (language, classes, attributes)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("# comentario\nFROM debian:12\nRUN true\n", CodeKind.DOCKERFILE),
        ("ARG VERSION=1\nFROM alpine:${VERSION}\n", CodeKind.DOCKERFILE),
        ("services:\n  web:\n    image: nginx:1.27\n", CodeKind.COMPOSE),
        ("$ docker ps\nCONTAINER ID\n", CodeKind.CONSOLE),
        ("docker images\n", CodeKind.CONSOLE),
        ("from here we go\n", CodeKind.TEXT),
        ("just text\n", CodeKind.TEXT),
    ],
)
def test_sniffing_untagged_blocks(text, kind):
    assert sniff_code_kind(text) is kind


def code_kind_cases() -> list[tuple[str, str, str]]:
    """Return (title, Markdown, kind) of each case of `fixtures/code-kinds.txt`."""
    lines = (FIXTURES / "code-kinds.txt").read_text(encoding="utf-8").split("\n")
    cases, index = [], lines.index("") + 1  # after the header paragraph
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title, index = lines[index], index + 2
        end = lines.index(".", index)
        cases.append((title, "\n".join(lines[index:end]), lines[end + 1]))
        index = end + 3
    return cases


@pytest.mark.parametrize("title, markdown, kind", code_kind_cases(), ids=lambda value: value if " " in value else "")
def test_code_kind_from_label_and_lines(title, markdown, kind, make_course):
    """The parser decides a block's kind once; see docs/authoring.md, "What a code block is"."""
    root = make_course({"01-a.md": f"# Capítulo\n\n{markdown}\n"})
    (block,) = blocks_of(parse_course(load_config(root)).chapters[0], CodeBlock)
    assert block.kind.value == kind


def test_the_parser_and_the_linter_know_the_same_dockerfile_instructions():
    from generator.lint.dockerfile_syntax import INSTRUCTIONS

    assert DOCKERFILE_INSTRUCTIONS == INSTRUCTIONS


def test_course_without_course_yml_takes_title_from_first_chapter(make_course):
    root = make_course({"02-b.md": "# Segundo\n", "01-a.md": "# Primer capítulo\n\nTexto.\n"})
    course = parse_course(load_config(root))
    assert course.info.title == "Primer capítulo" and course.info.slug == "primer-capitulo"
    assert [c.number for c in course.chapters] == [1, 2]
    assert course.info.language == "es"


def test_chapters_list_overrides_file_order(make_course):
    root = make_course({"course.yml": "chapters: [b.md, a.md]\n", "a.md": "# A\n", "b.md": "# B\n"})
    assert [c.title_text for c in parse_course(load_config(root)).chapters] == ["B", "A"]


def test_bom_and_crlf_simply_work(make_course):
    root = make_course({})
    (root / "01.md").write_bytes("\ufeff# Título\r\n\r\n## Sección\r\n\r\nTexto\r\n".encode())
    chapter = parse_course(load_config(root)).chapters[0]
    assert chapter.title_text == "Título" and chapter.sections[0].location.line == 3


@pytest.mark.parametrize(
    "files, message",
    [
        ({"01.md": "Sin título\n"}, "01.md:1: chapter has no `#` title heading"),
        ({"course.yml": "chapters: [falta.md]\n", "01.md": "# A\n"}, "chapter listed in course.yml not found"),
        ({"01.md": "---\nobjectives: [a\n---\n# A\n"}, "01.md:"),
        ({}, "no Markdown chapters"),
    ],
)
def test_user_mistakes_name_the_file(make_course, files, message):
    root = make_course(files)
    with pytest.raises((ContentError, ConfigError)) as raised:
        parse_course(load_config(root))
    assert message in str(raised.value)


def test_invalid_utf8_and_nul_bytes_give_the_line(make_course):
    root = make_course({})
    (root / "01.md").write_bytes(b"# A\n\ntexto \xff\n")
    with pytest.raises(ContentError, match=r"01.md:3: not valid UTF-8"):
        parse_course(load_config(root))
    (root / "01.md").write_bytes(b"# A\n\x00\n")
    with pytest.raises(ContentError, match=r"01.md:2: contains a NUL byte"):
        parse_course(load_config(root))
