"""Shared fixtures: fixture courses and built outputs (built once per test session)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import textwrap
from pathlib import Path

import pytest

import generator.render.core.parts as parts

HERE = Path(__file__).parent
SAMPLE = HERE / "fixtures" / "sample"
REPO = HERE.parent
SEED_NOTES = REPO.parent / "shared" / "seed" / "docker-notes-es.md"


def write_course(root: Path, files: dict, dedent: bool = True) -> Path:
    """Create a course folder from `name: content` pairs: text (dedented unless asked not to), bytes,
    or a function that writes the file at the path it is given."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n") if dedent else content, encoding="utf-8")
    return root


def run_aula(*args: str, env: dict | None = None):
    """Run the `aula` command line in this process; return Click's result (exit code, output)."""
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner(env=env).invoke(main, [str(arg) for arg in args])


def output_files(out: Path) -> dict[str, bytes]:
    """Return every file of an output folder by relative path (the cache folder left out: it is not an output)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and ".aula-cache" not in p.parts}


def pdf_texts(pdf: bytes | Path) -> list[str]:
    """Return the text of each page of a PDF."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def make_course(tmp_path):
    """Return a function that writes a course folder under tmp_path."""

    def make(files: dict[str, str], name: str = "course") -> Path:
        return write_course(tmp_path / name, files)

    return make


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory) -> Path:
    """A copy of the sample course, so tests never write into the repository."""
    target = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(SAMPLE, target)
    return target


def _handout_html(course, theme) -> None:
    from generator.render.handout import HandoutOptions, handout_html

    for edition in ("student", "teacher"):
        handout_html(course, theme, HandoutOptions(edition=edition))


def _book_html(book: str):
    def render(course, theme) -> None:
        from generator.render.handout import HandoutOptions, handout_html

        handout_html(course, theme, HandoutOptions(book=book))

    return render


def _slides_handout(course, theme) -> None:
    """The sheets drawn whole (they are not typeset: drawing them is quick) around blank slides in place of the PDF deck."""
    import io

    import pikepdf

    from generator.render.slides import SlideDecks
    from generator.render.slides.handout import draw_handout, sheets

    deck = SlideDecks(course, theme).planner.deck()
    blank = pikepdf.new()
    for _ in deck.slides:
        blank.add_blank_page(page_size=(720, 405))
    slides = io.BytesIO()
    blank.save(slides)
    for edition in ("student", "teacher"):
        draw_handout(sheets(deck, "a4", 3), deck, slides.getvalue(), course, theme, edition, "a4", "")


def _cheatsheet_html(course, theme) -> None:
    from generator.render.cheatsheet import CheatsheetOptions, cheatsheet_html

    cheatsheet_html(course, theme, CheatsheetOptions())


def _slides_pptx(course, theme) -> None:
    from generator.render.slides import SlideDecks

    SlideDecks(course, theme).course_pptx().make()


def _site(course, theme) -> None:
    from generator.render.site import Site
    from generator.render.site.downloads import Offer

    site = Site(course, theme)
    for chapter in course.chapters:
        site.chapter_page(chapter)
    site.search_index()
    site.home_page([(Offer(f"{course.info.slug}-handout.pdf", "site_download_handout"), b"%PDF-1.7 not a real one")])


# Each renderer up to, not including, typesetting a PDF: the slow step that adds nothing when
# the question is whether odd input crashes the renderer. A new renderer needs an entry here.
RENDER_WITHOUT_PDF = {
    "handout": _handout_html,
    "cheatsheet": _cheatsheet_html,
    "slides": _slides_pptx,
    "worksheet": _book_html("worksheet"),
    "answers": _book_html("answers"),
    "slides-handout": _slides_handout,
    "site": _site,
}


def render_without_pdf(course, theme) -> None:
    """Run every renderer of `generator.formats.FORMATS` on `course`, stopping short of PDF typesetting."""
    from generator.formats import FORMATS

    for name in FORMATS:
        RENDER_WITHOUT_PDF[name](course, theme)


def lint_checked(course, ignore=frozenset()):
    """Return the course's lint findings; fail if a rule crashed or hung (AU900 hides both from the user)."""
    from generator.lint import lint_course

    findings = lint_course(course, ignore)
    crashed = [str(finding) for finding in findings if finding.code == "AU900"]
    assert not crashed, f"a lint rule crashed: {crashed}"
    return findings


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError in the block after `seconds`: a hang fails its test instead of the CI run."""

    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s: a hang?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def count_layouts(monkeypatch):
    """Count the parts laid out in this process, by the last word of their identifier (books bound are not parts)."""
    laid_out: list[str] = []
    original = parts.lay_out_part

    def counting(source):
        if isinstance(source, parts.PartSource):
            laid_out.append(source.identifier.rsplit("-", 1)[-1])
        return original(source)

    monkeypatch.setattr(parts, "lay_out_part", counting)
    return laid_out
