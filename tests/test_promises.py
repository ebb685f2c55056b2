"""What the README promises and no other test reads back: editions, dates, exit codes,
refused images, the watch's own output folder."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from generator.cli import main

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

SMALL_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n'

COURSE = {
    "course.yml": 'title: Curso corto\ndate: "2026-11-28"\n',
    "01-uno.md": "# Uno\n\n## Primera\n\nTexto.\n\n![un diagrama](images/comprimido.svg)\n\n![otro](images/bien.svg)\n",
}


@pytest.fixture
def course(make_course):
    root = make_course(COURSE)
    (root / "images").mkdir()
    (root / "images" / "comprimido.svg").write_bytes(gzip.compress(SMALL_SVG.encode()))
    (root / "images" / "bien.svg").write_text(SMALL_SVG)
    return root


def build(course: Path, out: Path, *extra: str, env: dict | None = None):
    return CliRunner(env=env).invoke(main, ["build", str(course), "-o", str(out), "--jobs", "1", *extra])


@pytest.mark.parametrize("edition, files", [
    ("student", {"curso-corto-handout.pdf"}),
    ("teacher", {"curso-corto-handout-teacher.pdf"}),
    ("both", {"curso-corto-handout.pdf", "curso-corto-handout-teacher.pdf"}),
])
def test_edition_chooses_the_handouts_written(course, tmp_path, edition, files):
    out = tmp_path / "out"
    result = build(course, out, "--format", "handout", "--edition", edition, "--no-lint")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.glob("*.pdf")} == files


@pytest.mark.slow
@pytest.mark.parametrize("epoch, stamp", [(None, "2026-11-28"), ("1780000000", "2026-05-28")])
def test_the_date_stamped_in_every_document(course, tmp_path, epoch, stamp):
    """`SOURCE_DATE_EPOCH` when set, else the course's `date`, in the PDFs' metadata and the decks' properties."""
    out = tmp_path / "out"
    result = build(course, out, "--no-lint", "--edition", "student", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output
    pdfs = sorted(p for p in out.rglob("*.pdf") if ".aula-cache" not in p.parts)
    # No exercises in this course: no worksheet and no answer key.
    assert {p.name for p in pdfs} == {
        "curso-corto-handout.pdf", "curso-corto-cheatsheet.pdf", "curso-corto-slides.pdf", "curso-corto-slides-handout.pdf",
    }
    for pdf in pdfs:
        created = PdfReader(pdf).metadata.get("/CreationDate", "")
        assert created.startswith("D:" + stamp.replace("-", "")), (pdf.name, created)
    for deck in [*out.glob("*.pptx"), *out.glob("slides/*.pptx")]:
        properties = Presentation(str(deck)).core_properties
        assert properties.created.date().isoformat() == stamp == properties.modified.date().isoformat(), deck.name


def test_a_usage_error_exits_2(course, tmp_path):
    for wrong in (["--edition", "everyone"], ["--paper", "a5"], ["--jobs", "-1"], ["--no-such-option"]):
        result = build(course, tmp_path / "out", *wrong)
        assert result.exit_code == 2, (wrong, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_one_line(course, tmp_path):
    result = build(course, tmp_path / "out", "--format", "handout,poster")
    assert result.exit_code == 1 and "unknown output format `poster`" in result.output


def test_a_compressed_svg_is_refused_and_shown_as_a_placeholder(course, tmp_path):
    out = tmp_path / "out"
    result = build(course, out, "--format", "handout", "--edition", "student", "--no-lint")
    assert result.exit_code == 0, result.output
    refusal = "01-uno.md:7: warning W-image-unsafe image images/comprimido.svg refused: compressed SVG (svgz): save it as plain SVG"
    assert refusal in result.output
    text = "".join(page.extract_text() for page in PdfReader(out / "curso-corto-handout.pdf").pages)
    assert "IMAGEN NO ENCONTRADA" in text.upper() and "images/comprimido.svg" in text and "un diagrama" in text
    assert "images/bien.svg" not in text  # a good image is drawn, not named


def test_watch_ignores_its_own_output_folder(make_course, tmp_path):
    """The output folder inside the course: the files a build writes must not start another build."""
    root = make_course(COURSE | {"01-uno.md": "# Uno\n\n## Primera\n\n```console\n$ docker ps\n```\n"})
    out = root / "salida"
    sheet = out / "curso-corto-cheatsheet.pdf"
    command = [sys.executable, "-m", "generator", "watch", str(root), "-o", str(out), "--format", "cheatsheet", "-q", "--debounce", "50"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not sheet.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sheet.exists(), "the first build did not happen"
        first = sheet.stat().st_mtime_ns
        time.sleep(1)
        (root / "01-uno.md").write_text("# Uno\n\n## Primera\n\n```console\n$ docker images\n```\n")
        while sheet.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # time for change events from the files just written, if the folder were watched
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert [line for line in output.splitlines() if line.startswith("changed:")] == ["changed: 01-uno.md"], output
