"""Markdown written for other tools reaches the content model (#14): titles, boxes, slides, anchors.

Each fixture `fixtures/dialects/NAME.md` is parsed as a one-chapter course and its
outline (every block with its line, kind, title and anchors, and every warning) is
compared with `fixtures/dialects/NAME.outline`. After a deliberate change, rewrite
the outlines with `AULA_WRITE_OUTLINES=1 pytest tests/test_dialects.py` and read the diff.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ContentError
from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    Heading,
    HtmlBlock,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    ThematicBreak,
    plain_text,
)
from generator.parse import parse_course
from generator.parse.course import title_from_file_name

DIALECTS = Path(__file__).parent / "fixtures" / "dialects"
FIXTURES = sorted(path.stem for path in DIALECTS.glob("*.md"))


# --- the outline: what a test compares ----------------------------------------------------------


def _anchors(names: tuple[str, ...]) -> str:
    return f" anchors={','.join(names)}" if names else ""


def outline(chapter: Chapter) -> list[str]:
    """Return the chapter as lines: one per section and block, indented by nesting, with source lines."""
    lines = [f"chapter {chapter.title_text!r} @{chapter.location.line}{_anchors(chapter.anchors)}"]
    for section in chapter.sections:
        lines.append(f"section{section.level} {section.title_text!r} @{section.location.line}{_anchors(section.anchors)}")
        for block in section.blocks:
            lines += block_outline(block, 1)
    return lines


def block_outline(block: Block, depth: int) -> list[str]:
    pad = "  " * depth
    at = f"@{block.location.line}"
    if isinstance(block, Paragraph):
        return [f"{pad}paragraph {at} {plain_text(block.inlines)!r}"]
    if isinstance(block, Heading):
        return [f"{pad}heading{block.level} {at} {plain_text(block.inlines)!r} #{block.anchor}{_anchors(block.anchors)}"]
    if isinstance(block, Callout):
        number = f" {block.number}" if block.number else ""
        unclosed = " unclosed" if not block.closed else ""
        lines = [f"{pad}{block.kind}{number} {at} {block.title!r}{unclosed}{_anchors(block.anchors)}"]
        for child in block.blocks:
            lines += block_outline(child, depth + 1)
        if block.solution is not None:
            lines += [f"{pad}  (its solution)"] + block_outline(block.solution, depth + 2)
        return lines
    if isinstance(block, ListBlock):
        lines = [f"{pad}list {at}"]
        for item in block.items:
            lines.append(f"{pad}  item @{item.location.line}")
            for child in item.blocks:
                lines += block_outline(child, depth + 2)
        return lines
    if isinstance(block, Quote):
        return [f"{pad}quote {at}"] + [line for child in block.blocks for line in block_outline(child, depth + 1)]
    if isinstance(block, CodeBlock):
        return [f"{pad}code {at} {block.language or '-'} {block.kind.value}"]
    if isinstance(block, Image):
        return [f"{pad}image {at} {block.src} {block.alt!r}"]
    if isinstance(block, HtmlBlock):
        return [f"{pad}{'comment' if block.is_comment else 'html'} {at}"]
    if isinstance(block, ThematicBreak):
        return [f"{pad}break {at}"]
    assert isinstance(block, Table)
    return [f"{pad}table {at}"]


@pytest.fixture
def warnings(caplog):
    """Return a function giving the warnings logged so far, as `CODE @line`."""
    caplog.set_level(logging.WARNING, logger="aula")

    def logged() -> list[str]:
        found = []
        for record in caplog.records:
            where, _, rest = record.getMessage().partition(": warning ")
            found.append(f"warning {rest.split()[0]} @{where.rsplit(':', 1)[-1]}")
        return found

    return logged


def parse_one(make_course, name: str, text: str) -> Chapter:
    root = make_course({name: text})
    return parse_course(load_config(root)).chapters[0]


# --- every dialect, from its fixture ---------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_dialect_fixture_gives_its_outline(name, tmp_path, warnings):
    course = tmp_path / name
    course.mkdir()
    shutil.copy(DIALECTS / f"{name}.md", course / f"01-{name}.md")
    chapter = parse_course(load_config(course)).chapters[0]
    got = "\n".join(warnings() + outline(chapter)) + "\n"
    expected_path = DIALECTS / f"{name}.outline"
    if os.environ.get("AULA_WRITE_OUTLINES"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")


def test_every_fixture_has_an_outline():
    assert FIXTURES and sorted(path.stem for path in DIALECTS.glob("*.outline")) == FIXTURES


# --- titles -------------------------------------------------------------------------------------------


def test_a_hash_title_first_is_the_title_with_no_warning(make_course, warnings):
    chapter = parse_one(make_course, "01.md", "---\ntitle: Ignored\n---\nIntro.\n\n# Title\n\n## A\n")
    assert chapter.title_text == "Title" and chapter.location.line == 6
    assert [s.title_text for s in chapter.sections] == ["", "A"]
    assert warnings() == []


def test_front_matter_title_when_no_hash_heading(make_course, warnings):
    chapter = parse_one(make_course, "01.md", "---\nlayout: x\ntitle: From front matter\n---\nText.\n\n## A\n\n### B\n")
    assert chapter.title_text == "From front matter" and chapter.location.line == 3
    assert [(s.title_text, s.level) for s in chapter.sections] == [("", 2), ("A", 2)]
    assert [b.level for b in chapter.blocks() if isinstance(b, Heading)] == [3]
    assert warnings() == ["warning W-title-from-front-matter @3"]


def test_front_matter_title_moves_deep_headings_up_to_sections(make_course, warnings):
    chapter = parse_one(make_course, "01.md", "---\ntitle: T\n---\n### A\n\n#### B\n")
    assert [(s.title_text, s.level) for s in chapter.sections] == [("A", 2)]
    assert [(b.level, plain_text(b.inlines)) for b in chapter.blocks() if isinstance(b, Heading)] == [(3, "B")]


def test_first_heading_of_any_level_is_the_title_and_headings_move_up(make_course, warnings):
    chapter = parse_one(make_course, "02-x.md", "Intro.\n\n## 2.0 Webapps\n\n### 2.1 Run\n\n#### app.py\n\n### 2.2 Images\n")
    assert chapter.title_text == "2.0 Webapps" and chapter.location.line == 3
    assert [(s.title_text, s.level, s.location.line) for s in chapter.sections] == [
        ("", 2, 1), ("2.1 Run", 2, 5), ("2.2 Images", 2, 9),
    ]
    heading = next(b for b in chapter.blocks() if isinstance(b, Heading))
    assert (heading.level, heading.location.line, heading.anchor) == (3, 7, "apppy")
    assert warnings() == ["warning W-title-from-heading @3"]


def test_file_name_is_the_last_resort(make_course, warnings):
    chapter = parse_one(make_course, "02-webapps.md", "Only a paragraph.\n")
    assert chapter.title_text == "Webapps" and chapter.location.line == 1
    assert chapter.sections[0].blocks[0].location.line == 1
    assert warnings() == ["warning W-title-from-file-name @1"]


@pytest.mark.parametrize(
    "name, title",
    [
        ("02-webapps.md", "Webapps"),
        ("03_using-docker_compose.md", "Using docker compose"),
        ("2.1-intro.md", "Intro"),
        ("docker-labs--webapps.md", "Docker labs webapps"),
        ("index.md", "Index"),
        ("01.md", ""),
        ("01-02.md", ""),
    ],
)
def test_title_from_file_name(name, title):
    assert title_from_file_name(Path(name)) == title


def test_a_file_name_without_words_and_no_heading_is_still_an_error(make_course):
    with pytest.raises(ContentError, match="chapter has no `#` title heading") as raised:
        parse_one(make_course, "01.md", "Sin título\n")
    assert str(raised.value).startswith(f"{raised.value.location.path}:1:")


def test_a_late_hash_heading_is_a_section_not_the_title(make_course, warnings):
    # Before: title "Title", contents "Alpha, Beta, Beta, Gamma" (Beta emitted twice).
    chapter = parse_one(make_course, "01.md", "## Alpha\n## Beta\n# Title\n## Gamma\n")
    assert chapter.title_text == "Alpha"
    assert [(s.title_text, s.level, s.location.line) for s in chapter.sections] == [
        ("Beta", 2, 2), ("Title", 1, 3), ("Gamma", 2, 4),
    ]
    anchors = [s.anchor for s in chapter.sections]
    assert len(anchors) == len(set(anchors))
    assert warnings() == ["warning W-title-from-heading @1"]


def test_a_late_hash_heading_with_a_front_matter_title(make_course):
    text = "---\ntitle: Working with containers\nformat: revealjs\n---\n\n## What\n\nA.\n\n## Why\n\nB.\n\n# Questions?\n"
    chapter = parse_one(make_course, "01.md", text)
    assert chapter.title_text == "Working with containers"
    assert [(s.title_text, s.level) for s in chapter.sections] == [("What", 2), ("Why", 2), ("Questions?", 1)]


def test_slides_with_a_hash_heading_each_keep_the_first_as_title(make_course, warnings):
    chapter = parse_one(make_course, "01.md", "# One\n\nA.\n\n---\n\n# Two\n\nB.\n\n---\n\n# Three\n")
    assert chapter.title_text == "One"
    assert [(s.title_text, s.level) for s in chapter.sections] == [("", 2), ("Two", 1), ("Three", 1)]
    assert warnings() == []


def test_the_course_title_comes_from_a_front_matter_title(make_course):
    root = make_course({"01.md": "---\ntitle: Exploring Containers\n---\n## Downloading\n"})
    assert parse_course(load_config(root)).info.title == "Exploring Containers"


# --- fenced divs: pandoc nesting, Aula's own nesting unchanged ----------------------------------------


def kinds(blocks) -> list:
    return [(b.kind, [c.kind for c in b.blocks if isinstance(c, Callout)], b.closed) for b in blocks if isinstance(b, Callout)]


def test_a_div_nested_with_as_many_colons_closes_first(make_course):
    chapter = parse_one(make_course, "01.md", "# T\n\n::: exercise\nA.\n\n::: hint\nB.\n:::\n:::\n\nAfter.\n")
    blocks = chapter.sections[0].blocks
    assert kinds(blocks) == [("exercise", ["hint"], True)]
    assert isinstance(blocks[-1], Paragraph) and blocks[-1].location.line == 11


def test_a_div_nested_with_fewer_colons_reads_as_before(make_course):
    chapter = parse_one(make_course, "01.md", "# T\n\n:::: exercise\nA.\n\n::: hint\nB.\n:::\n::::\n")
    assert kinds(chapter.sections[0].blocks) == [("exercise", ["hint"], True)]


def test_an_unclosed_inner_div_still_shows_as_unclosed(make_course):
    chapter = parse_one(make_course, "01.md", "# T\n\n:::: exercise\nA.\n\n::: hint\nB.\n::::\n")
    (exercise,) = [b for b in chapter.sections[0].blocks if isinstance(b, Callout)]
    assert exercise.closed and [c.closed for c in exercise.blocks if isinstance(c, Callout)] == [False]


def test_div_syntax_inside_a_code_block_inside_a_div_closes_nothing(make_course):
    text = "# T\n\n::: tip\n~~~markdown\n::: exercise\n:::\n~~~\n:::\n\nAfter.\n"
    blocks = parse_one(make_course, "01.md", text).sections[0].blocks
    assert kinds(blocks) == [("tip", [], True)]
    assert isinstance(blocks[0].blocks[0], CodeBlock) and "::: exercise" in blocks[0].blocks[0].text
    assert isinstance(blocks[1], Paragraph)


# --- remark slides --------------------------------------------------------------------------------------


def test_rules_stay_in_a_chapter_that_is_not_a_slide_deck(make_course):
    chapter = parse_one(make_course, "01.md", "# T\n\nA.\n\n---\n\n## S\n\nB.\n\n---\n")
    assert [b.location.line for b in chapter.blocks() if isinstance(b, ThematicBreak)] == [5, 11]


def test_a_slide_break_before_a_section_goes_one_inside_a_section_stays(make_course):
    text = "class: title\n\n# T\n\n---\n\n## S\n\nA.\n\n---\n\nMore of S.\n\n---\n\n## U\n\n---\n"
    chapter = parse_one(make_course, "01.md", text)
    assert [b.location.line for b in chapter.blocks() if isinstance(b, ThematicBreak)] == [11]
    assert [s.title_text for s in chapter.sections] == ["S", "U"]


def test_speaker_notes_end_at_the_next_slide(make_course):
    text = "# T\n\n???\n\nSaid aloud.\n\n---\n\nShown.\n"
    blocks = parse_one(make_course, "01.md", text).sections[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Callout", "ThematicBreak", "Paragraph"]
    assert blocks[0].kind == "notes" and blocks[0].location.line == 3
    assert plain_text(blocks[0].blocks[0].inlines) == "Said aloud."


def test_a_wrapper_around_a_list_keeps_the_list_and_drops_the_brackets(make_course):
    text = "# T\n\n.small[\n- one\n- two\n]\n\nAfter.\n"
    blocks = parse_one(make_course, "01.md", text).sections[0].blocks
    assert isinstance(blocks[0], ListBlock) and len(blocks[0].items) == 2
    assert [plain_text(b.inlines) for b in blocks[0].items[1].blocks] == ["two"]
    assert plain_text(blocks[1].inlines) == "After."


def test_a_bracket_inside_code_does_not_close_a_wrapper(make_course):
    text = '# T\n\n.small[\n```json\n[\n  1\n]\n```\n]\n'
    (code,) = parse_one(make_course, "01.md", text).sections[0].blocks
    assert isinstance(code, CodeBlock) and code.text == "[\n  1\n]\n" and code.location.line == 5


def test_an_unclosed_wrapper_stays_text(make_course):
    blocks = parse_one(make_course, "01.md", "# T\n\n.small[\n\nText.\n").sections[0].blocks
    assert [plain_text(b.inlines) for b in blocks] == [".small[", "Text."]


def test_an_inline_wrapper_keeps_its_text(make_course):
    (paragraph,) = parse_one(make_course, "01.md", "# T\n\nSome .small[tiny `code` words] here.\n").sections[0].blocks
    assert plain_text(paragraph.inlines) == "Some tiny code words here."


# --- anchors and comments -----------------------------------------------------------------------------


def test_anchor_tags_leave_the_heading_text_and_its_anchor(make_course):
    chapter = parse_one(make_course, "01.md", '# Lab\n\n## <a name="nat"></a>Step 4: Configure NAT\n')
    section = chapter.sections[0]
    assert section.title_text == "Step 4: Configure NAT"
    assert section.anchor == "step-4-configure-nat" and section.anchors == ("nat",)


def test_a_link_tag_is_not_an_anchor(make_course):
    (paragraph,) = parse_one(make_course, "01.md", '# T\n\n<a href="x" name="y">z</a>\n').sections[0].blocks
    assert plain_text(paragraph.inlines) == '<a href="x" name="y">z</a>'


def test_comments_inside_a_paragraph_are_hidden(make_course):
    (paragraph,) = parse_one(make_course, "01.md", "# T\n\nBefore<!-- hidden --> after.\n").sections[0].blocks
    assert plain_text(paragraph.inlines) == "Before after."
