"""Real chapters written for other tools (`corpus/real/`, sources in its SOURCES.md) read cleanly (#14).

Each file is parsed as a one-chapter course: nothing is refused, every heading of the
file reaches the model (as the title, a section, a heading or a box's title), and no
marker of the syntax Aula reads (admonitions, alerts, divs, remark's) is left as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import render_without_pdf
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from generator.config import load_config
from generator.model import CALLOUT_KINDS, Callout, Chapter, Course, Heading, Paragraph, plain_text, walk_blocks
from generator.parse import parse_course

CORPUS = Path(__file__).parent / "corpus" / "real"
FILES = sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")

pytestmark = pytest.mark.skipif(not FILES, reason="the real-world corpus is not in tests/corpus/real/")

# Marker lines of the dialects Aula reads: none may reach the model as text.
LEFT_OVER = re.compile(
    r"""^(?:\?\?\?|--|\]|\.[\w-]+\[)$          # remark: notes, increment, wrapper lines
      | ^(?:!!!|\?\?\?\+?)\s+\w              # mkdocs admonitions
      | ^\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]   # GitHub alerts
      | ^:::                                 # fenced divs
      | ^(?:class|name|layout):\s            # remark slide properties
      | <a\s+(?:name|id)=                    # HTML anchors
      | \{\#[\w-]+\}\s*$                      # heading attributes
    """,
    re.VERBOSE,
)


def one_chapter_course(source: Path, tmp_path: Path) -> Course:
    course = tmp_path / "course"
    course.mkdir()
    shutil.copyfile(source, course / f"01-{source.name}")
    return parse_course(load_config(course))


def source_headings(source: Path) -> list[tuple[int, str]]:
    """Return (line, text) of every heading, read by a plain CommonMark parser (no dialect at all)."""
    parser = MarkdownIt("commonmark").use(front_matter_plugin)
    tree = SyntaxTreeNode(parser.parse(source.read_text(encoding="utf-8-sig")))
    return [(node.map[0] + 1, node.children[0].content) for node in tree.walk() if node.type == "heading" and node.map]


def model_heading_lines(chapter: Chapter) -> set[int]:
    """Return the lines of every heading the model kept: title, sections, headings."""
    lines = {section.location.line for section in chapter.sections if section.title}
    lines |= {block.location.line for block in chapter.blocks() if isinstance(block, Heading)}
    return lines | {chapter.location.line}


def box_title_lines(chapter: Chapter, wanted: set[int]) -> set[int]:
    """Return the lines in `wanted` of headings that became a box's title: first thing in a box that has its anchor."""
    found = set()
    for box in (b for b in chapter.blocks() if isinstance(b, Callout) and b.anchors):
        inside = [b.location.line for b in walk_blocks(box.blocks + ((box.solution,) if box.solution else ()))]
        first = min(inside, default=box.location.line + 3)
        found |= {line for line in wanted if box.location.line < line < first}
    return found


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem)
def test_corpus_chapter_reads_with_every_heading_and_no_marker_left(source, tmp_path):
    chapter = one_chapter_course(source, tmp_path).chapters[0]
    assert chapter.title_text.strip()

    headings = source_headings(source)
    kept = model_heading_lines(chapter)
    missing = {line for line, _ in headings} - kept
    missing -= box_title_lines(chapter, missing)
    assert not missing, [h for h in headings if h[0] in missing]

    texts = [(chapter.location.line, chapter.title_text)]
    texts += [(s.location.line, s.title_text) for s in chapter.sections]
    for block in chapter.blocks():
        if isinstance(block, (Paragraph, Heading)):
            texts += [(block.location.line, line) for line in plain_text(block.inlines).split("\n")]
        if isinstance(block, Callout):
            texts.append((block.location.line, block.title))
            assert block.kind in CALLOUT_KINDS, (block.location.line, block.kind)
    left = [(line, text) for line, text in texts if LEFT_OVER.search(text.strip())]
    assert not left


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem)
def test_corpus_chapter_goes_through_every_renderer(source, tmp_path):
    """Every renderer takes what the dialects became (up to PDF typesetting, which is slow)."""
    from generator.themes import Theme

    render_without_pdf(one_chapter_course(source, tmp_path), Theme.load())


# --- one build each of three dialects, read back ------------------------------------------------------

SMOKE = {
    "container-training--Building_Images_With_Dockerfiles": "Writing our first Dockerfile",  # remark
    "docker-introduction--running-containers": "Check on Your Images",  # Carpentries
    "sib-containers--2_managing_docker": "Restarting an exited container",  # mkdocs
}


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(SMOKE))
def test_corpus_chapter_builds_a_student_handout(stem, tmp_path):
    from click.testing import CliRunner
    from pypdf import PdfReader

    from generator.cli import main

    source = CORPUS / f"{stem}.md"
    course = tmp_path / "course"
    course.mkdir()
    shutil.copyfile(source, course / f"01-{source.name}")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(course), "-o", str(out), "--format", "handout", "--edition", "student", "--no-lint", "-q"]
    )
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*-handout.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)
    assert SMOKE[stem] in text
    for marker in ("???", "!!! ", "??? success", ".small[", ":::", "class: title", "class: extra-details"):
        assert marker not in text, marker
    if stem.startswith("container-training"):
        assert ":EN:" not in text  # the speaker notes are not printed for students


def outline_titles(items) -> list[str]:
    """Return every bookmark title of a pypdf outline, depth first."""
    titles: list[str] = []
    for item in items:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(" ".join(item.title.split()))
    return titles


@pytest.mark.slow
@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem)
def test_corpus_chapter_builds_with_every_section_in_its_bookmarks(source, tmp_path):
    """Each real file, alone as a course, builds a student handout whose bookmarks are its title and sections."""
    from conftest import run_aula
    from pypdf import PdfReader

    course = tmp_path / "course"
    course.mkdir()
    shutil.copyfile(source, course / f"01-{source.name}")
    chapter = parse_course(load_config(course)).chapters[0]
    out = tmp_path / "out"
    result = run_aula("build", course, "-o", out, "--format", "handout", "--edition", "student", "--no-lint", "-q", "--jobs", "1")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    (pdf,) = out.glob("*-handout.pdf")
    wanted = [" ".join(chapter.title_text.split())] + [" ".join(s.title_text.split()) for s in chapter.sections if s.title]
    if any(isinstance(b, Callout) and b.kind == "exercise" and b.solution for b in chapter.blocks()):
        # The student edition gathers them at the chapter's end (no course.yml: Spanish labels).
        wanted.append(f"Soluciones · {' '.join(chapter.title_text.split())}")
    assert outline_titles(PdfReader(pdf).outline) == wanted
