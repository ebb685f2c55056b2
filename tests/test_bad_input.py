"""Bad input never crashes the build, never hangs it, and never costs the previous outputs.

Each bad input of issue 8 goes through `aula build`: where the build cannot go on,
one clear line naming the file (and line) and exit status 1, with the previous
outputs untouched; where it can, the outputs are written and each problem is a
warning that says where it is. Never a traceback.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import lint_checked, output_files, render_without_pdf, time_limit, write_course

from generator.cli import main
from generator.config import Limits, load_config
from generator.formats import FORMATS
from generator.model import Quote
from generator.parse import parse_course
from generator.render.core.images import ImageRefused, check_svg
from generator.themes import Theme

LIMITS = Limits()


@pytest.fixture
def aula_log(caplog):
    """Capture Aula's warnings (its logger does not propagate once the CLI has run)."""
    logger = logging.getLogger("aula")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def run_build(course: Path, out: Path, *args: str, seconds: float = 60):
    with time_limit(seconds):
        return CliRunner().invoke(main, ["build", str(course), "-o", str(out), "--jobs", "1", "--quiet", *args])


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# --- images made byte by byte ------------------------------------------------------------------


def png(width: int, height: int, pixels: bytes, depth: int = 8) -> bytes:
    """Return a greyscale PNG whose compressed pixel data is `pixels` (rows with their filter byte)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_bomb(side: int) -> bytes:
    """Return a black `side` × `side` PNG: tens of kilobytes on disk, `side`² bytes and more once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (side + 7) // 8)  # 1 bit per pixel
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return png(side, side, data, depth=1)


SMALL_PNG = png(8, 8, zlib.compress((b"\0" + b"\x80" * 8) * 8))
SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a0 "ja">\n'
    + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">\n' for i in range(1, 10))
    + f"]>\n<svg {SVG_NS} width=\"100\" height=\"100\"><text y=\"20\">&a9;</text></svg>\n"
)
SCRIPT_SVG = (
    f'<svg {SVG_NS} width="100" height="40" onload="alert(1)">'
    '<script>document.title = "pwned"; while (true) {}</script><rect width="90" height="30"/></svg>\n'
)


# --- inputs that stop the build -----------------------------------------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()
    (path / "dentro.md").write_text("# Dentro\n")


def sparse(size: int):
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return make


def theme_file(text: str):
    """A course-local theme (`theme: tema` in course.yml) holding one broken template."""

    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return make


def pptx_without_layouts(path: Path) -> None:
    from pptx import Presentation

    path.parent.mkdir(parents=True, exist_ok=True)
    Presentation().save(str(path))


GOOD = "# Curso\n\nTexto.\n"
FIVE_MB_LINE = "# Curso\n\n" + ("palabra " * 700_000)[: 5 * 1024 * 1024] + "\n"
STOPS = [
    ({"01.md": b"# Curso\n\ntexto \xff\n"}, ["01.md:3: not valid UTF-8 (byte 0xff)"], "invalid-utf8"),
    ({"01.md": b"# Curso\n\x00\n"}, ["01.md:2: contains a NUL byte"], "nul-byte"),
    ({"01.md": FIVE_MB_LINE}, [f"01.md: chapter is {len(FIVE_MB_LINE.encode()):,} bytes, over the limit of 5,000,000"],
     "5mb-line"),
    ({"01.md": sparse(50_000_000)}, ["01.md: chapter is 50,000,000 bytes, over the limit of 5,000,000",
                                      "limits: {chapter_bytes: …}"], "50mb-chapter"),
    ({"01.md": ""}, ["01.md:1: chapter is empty"], "empty-chapter"),
    ({"01.md": "texto sin título\n"}, ["01.md:1: chapter has no `#` title heading"], "no-title"),
    ({"notas.txt": "sin capítulos\n"}, ["no Markdown chapters (*.md) in the course folder"], "empty-folder"),
    ({"course.yml": "title: [a\n", "01.md": GOOD}, ["course.yml:2: YAML syntax error"], "yaml-syntax"),
    ({"course.yml": "title: [1, 2]\n", "01.md": GOOD}, ["course.yml:1: `title` must be a text, not a list"], "yaml-type"),
    ({"course.yml": "title: A\ncolour: red\n", "01.md": GOOD}, ["course.yml:2: unknown key `colour`"], "yaml-unknown-key"),
    ({"course.yml": "limits: {chapter_bytes: -1}\n", "01.md": GOOD},
     ["course.yml:1: `limits.chapter_bytes` must be a positive whole number"], "limits-negative"),
    ({"course.yml": "limits: {pages: 3}\n", "01.md": GOOD}, ["unknown key `limits.pages`"], "limits-unknown"),
    ({"01.md": "---\nobjectives: [a\n---\n# Curso\n"}, ["01.md:2: front matter:"], "front-matter-syntax"),
    ({"01.md": "---\n- a\n---\n# Curso\n"}, ["01.md:2: front matter must be a mapping"], "front-matter-list"),
    ({"01.md": "---\nobjectives: {a: 1}\n---\n# Curso\n"}, ["01.md:2: front matter `objectives` must be a list"],
     "front-matter-type"),
    ({"course.yml": "chapters: [01.md, 01.md]\n", "01.md": GOOD}, ["chapter `01.md` is listed twice"], "listed-twice"),
    ({"course.yml": "chapters: [01.md, otro/01.md]\n", "01.md": GOOD, "otro/01.md": "# Otro\n"},
     ["two chapters share the name `01`"], "same-slug"),
    ({"01.md": GOOD, "02.md": folder}, ["02.md: is a folder, not a Markdown file"], "chapter-is-a-folder"),
    ({"01.md": GOOD, "02.md": fifo}, ["02.md: is not a regular file"], "chapter-is-a-pipe"),
    ({"01.md": "# Curso\n\n![falta](images/falta.png)\n"}, ["01.md:3:1: error AU401", "1 lint error"], "missing-image"),
    ({"01.md": "# Curso\n\n::: exercise Uno\n\nHaz algo.\n"}, ["01.md:3:1: error AU407"], "unclosed-div"),
    ({"course.yml": "theme: tema\n", "01.md": GOOD, "tema/handout.html": theme_file("<html>\n{% for x in %}\n</html>\n")},
     ["handout.html:2: template syntax error"], "template-syntax"),
    ({"course.yml": "theme: tema\n", "01.md": GOOD, "tema/handout.html": theme_file('{% include "falta.html" %}\n')},
     ["tema/handout.html:1: template `falta.html` not found"], "template-missing"),
    ({"course.yml": "theme: tema\n", "01.md": GOOD, "tema/slides.pptx": pptx_without_layouts},
     ["the slide template has no layout named"], "pptx-without-layouts"),
    ({"course.yml": "theme: tema\n", "01.md": GOOD, "tema/slides.pptx": theme_file("no soy un pptx\n")},
     ["slides.pptx: the slide template is not a PowerPoint deck"], "pptx-not-a-deck"),
]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """The outputs of a good build of a course called "Curso", which a failed build must leave as they are."""
    root = tmp_path_factory.mktemp("previous")
    out = root / "out"
    course = write_course(root / "course", {"01.md": GOOD}, dedent=False)
    result = run_build(course, out, "--format", "handout,cheatsheet", "--edition", "student")
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
@pytest.mark.parametrize("files, messages", [pytest.param(f, m, id=i) for f, m, i in STOPS])
def test_bad_input_stops_the_build_with_one_clear_message(files, messages, previous, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    before = output_files(out)
    result = run_build(write_course(tmp_path / "course", files, dedent=False), out)
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output
    assert_no_traceback(result)
    assert output_files(out) == before


def test_an_unreadable_chapter_is_a_message(tmp_path, monkeypatch):
    course = write_course(tmp_path / "course", {"01.md": GOOD, "02.md": "# Dos\n"}, dedent=False)
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:  # chmod 000 is no obstacle to root, who may run the tests
        if path.name == "02.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run_build(course, tmp_path / "out")
    assert result.exit_code == 1
    assert "02.md: cannot read: Permission denied" in result.output
    assert_no_traceback(result)


# --- inputs the build gets through, with warnings that say where ---------------------------------


def nested(prefix_of_level, levels: int) -> str:
    return "".join(prefix_of_level(level) + " nivel\n" for level in range(levels))


@pytest.fixture(scope="module")
def odd_course(tmp_path_factory) -> Path:
    """One course with every odd but buildable input, one chapter each, built once by every renderer."""
    root = tmp_path_factory.mktemp("odd") / "course"
    images = {
        "images/roto.png": SMALL_PNG[:-20] + b"XXXX" + SMALL_PNG[-16:],  # a bad checksum
        "images/texto.png": "esto no es un PNG\n",
        "images/bomba.png": png_bomb(20_000),
        "images/entidades.svg": ENTITY_BOMB,
        "images/script.svg": SCRIPT_SVG,
        "images/enorme.svg": f'<svg {SVG_NS} width="100000" height="100000"/>\n',
        "images/dentro.svg": f'<svg {SVG_NS} width="10" height="10"><image width="10" height="10" '
                             f'xlink:href="data:image/png;base64,{base64.b64encode(png_bomb(20_000)).decode()}"/></svg>\n',
        "images/bien.png": SMALL_PNG,
    }
    chapters = {
        "01-bom.md": "\ufeff# Con BOM\r\n\r\nTexto con CRLF.\r\n\r\n```console\r\n$ docker ps\r\n```\r\n",
        "02-cerco.md": "# Cerco abierto\n\nTexto.\n\n```sh\necho hola\n\nY el resto del capítulo.\n",
        "03-listas.md": "# Listas\n\n" + nested(lambda n: "  " * n + "-", 1000),
        "04-citas.md": "# Citas\n\n" + nested(lambda n: ">" * (n + 1), 1000),
        "05-divs.md": "# Cajas\n\n" + nested(lambda n: ":" * (60 - n) + " tip", 50) + "\ndentro\n",
        "06-titulo.md": "# Solo el título\n",
        "07-solucion.md": "# Solución suelta\n\n::: solution\n\nLa respuesta.\n\n:::\n",
        "08-div.md": "# Caja abierta\n\n::: exercise Uno\n\nHaz algo.\n",
        "09-tabla.md": "# Tabla\n\n" + "|" + "|".join(f"c{i}" for i in range(60)) + "|\n|" + "---|" * 60 + "\n"
                       + "|" + "|".join(f"v{i}" for i in range(60)) + "|\n",
        "10-imagenes.md": "# Imágenes\n\n" + "\n\n".join(f"![{Path(name).stem}]({name})" for name in images) + "\n",
    }
    write_course(root, {**images, **chapters}, dedent=False)
    return root


@pytest.fixture(scope="module")
def odd_build(odd_course, tmp_path_factory):
    out = tmp_path_factory.mktemp("odd-out")
    started = time.perf_counter()
    result = run_build(odd_course, out, "--no-lint", "--edition", "student", "--force", seconds=120)
    return result, out, time.perf_counter() - started


@pytest.mark.slow
def test_odd_input_builds_every_output(odd_build):
    result, out, _ = odd_build
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    assert "AU900" not in result.output  # no lint rule crashed on the way
    written = [line for line in result.output.splitlines() if line.startswith("wrote ")]
    for renderer in set(FORMATS) - {"answers"}:  # every renderer wrote something (no solution here: no answer key)
        assert any(f"-{renderer}" in line or f"/{renderer}/" in line for line in written), (renderer, written)


@pytest.mark.slow
@pytest.mark.parametrize(
    "where, code, detail",
    [
        ("02-cerco.md:5:", "W-unclosed-fence", "is never closed"),
        ("03-listas.md:", "W-too-deep", "nested more than 40 levels deep"),
        ("04-citas.md:", "W-too-deep", "nested more than 40 levels deep"),
        ("05-divs.md:", "W-too-deep", "nested more than 40 levels deep"),
        ("07-solucion.md:3:", "W-loose-solution", "solution outside any exercise"),
        ("10-imagenes.md:3:", "W-image-unreadable", "images/roto.png cannot be used: broken image"),
        ("10-imagenes.md:5:", "W-image-unreadable", "images/texto.png cannot be used: not an image"),
        ("10-imagenes.md:7:", "W-image-too-large", "over the limit of 40,000,000"),
        ("10-imagenes.md:9:", "W-image-unsafe", "declares XML entities"),
        ("10-imagenes.md:13:", "W-image-too-large", "100,000 × 100,000 pixels"),
        ("10-imagenes.md:15:", "W-image-too-large", "over the limit of 40,000,000"),
    ],
)
def test_each_problem_is_a_warning_that_says_where(odd_build, where, code, detail):
    result, _, _ = odd_build
    lines = [line for line in result.output.splitlines() if where in line and code in line]
    assert lines, f"no {code} at {where}"
    assert detail in lines[0]


@pytest.mark.slow
def test_bom_crlf_script_svg_and_a_title_alone_raise_no_warning(odd_build):
    result, _, _ = odd_build
    quiet = ("01-bom.md", "06-titulo.md", "09-tabla.md", "script.svg", "bien.png")
    reports = [line for line in result.output.splitlines() if not line.startswith("wrote ")]  # the site copies the images
    assert not [line for line in reports if any(name in line for name in quiet)]


def test_bom_and_crlf_simply_work(odd_course):
    chapter = parse_course(load_config(odd_course)).chapters[0]
    assert chapter.title_text == "Con BOM"
    assert chapter.sections[0].blocks[1].text == "$ docker ps\n"


def test_lint_names_the_unclosed_div(odd_course):
    findings = [str(f) for f in lint_checked(parse_course(load_config(odd_course)))]
    assert any("08-div.md:3:1: error AU407" in f for f in findings)


# --- limits, size and memory ---------------------------------------------------------------------


def pipeline_through_every_renderer(course_dir: Path, seconds: float) -> None:
    """Parse, lint and render every output of a course, short of typesetting PDFs (where the time goes)."""
    with time_limit(seconds):
        course = parse_course(load_config(course_dir))
        lint_checked(course)
        render_without_pdf(course, Theme.load())


def test_a_5_mb_line_within_a_raised_limit_goes_through(tmp_path):
    files = {"course.yml": "limits: {chapter_bytes: 6000000}\n", "01.md": FIVE_MB_LINE}
    course = write_course(tmp_path / "course", files, dedent=False)
    pipeline_through_every_renderer(course, seconds=40)


def test_a_500_column_table_goes_through(tmp_path):
    header = "|" + "|".join(f"c{i}" for i in range(500)) + "|\n|" + "-|" * 500 + "\n"
    row = "|" + "|".join(f"v{i}" for i in range(500)) + "|\n"
    course = write_course(tmp_path / "course", {"01.md": "# Tabla\n\n" + header + row}, dedent=False)
    pipeline_through_every_renderer(course, seconds=40)
    result = run_build(course, tmp_path / "out", "--format", "handout", "--edition", "student", seconds=60)
    assert result.exit_code == 0, result.output


def test_nesting_beyond_the_limit_is_left_out_with_a_warning(tmp_path, aula_log):
    """markdown-it stops at `limits.nesting`, which bounds every recursion over the tree; the parser says where."""
    course = write_course(
        tmp_path / "course",
        {"course.yml": "limits: {nesting: 10}\n", "01.md": "# T\n\n" + nested(lambda n: ">" * (n + 1), 1000)},
        dedent=False,
    )
    chapter = parse_course(load_config(course)).chapters[0]
    depth, blocks = 0, chapter.sections[0].blocks
    while blocks and isinstance(blocks[-1], Quote):
        depth, blocks = depth + 1, blocks[-1].blocks
    assert 1 < depth <= 10
    assert "01.md:12: warning W-too-deep nested more than 10 levels deep" in aula_log.text


@pytest.mark.slow
def test_an_image_pixel_limit_in_course_yml_is_applied(tmp_path):
    course = write_course(
        tmp_path / "course",
        {"course.yml": "limits: {image_pixels: 50}\n", "01.md": "# T\n\n![poco](bien.png)\n", "bien.png": SMALL_PNG},
        dedent=False,
    )
    result = run_build(course, tmp_path / "out", "--format", "handout", "--edition", "student")
    assert result.exit_code == 0, result.output
    assert "01.md:3: warning W-image-too-large image bien.png refused: 8 × 8 pixels, over the limit of 50" in result.output


def test_an_entity_bomb_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(ImageRefused, match="declares XML entities"):
        check_svg(ENTITY_BOMB.encode(), LIMITS.image_pixels)
    assert time.perf_counter() - started < 0.5


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the peak memory from Linux's /proc")
def test_a_decompression_bomb_costs_no_memory(tmp_path):
    """A 20,000 × 20,000 PNG (49 kB on disk, 400 MB as pixels) is refused from its header, in every renderer."""
    course = write_course(tmp_path / "course", {"01.md": "# Bomba\n\n![bomba](bomba.png)\n", "bomba.png": png_bomb(20_000)}, dedent=False)
    measure = textwrap.dedent(
        r"""
        import re, sys
        from generator.cli import main
        try:
            main(sys.argv[1:])
        except SystemExit as done:
            code = done.code
        # VmHWM, not ru_maxrss, which keeps the parent's peak across fork and exec
        with open("/proc/self/status") as status:
            peak = re.search(r"VmHWM:\s*(\d+) kB", status.read())[1]
        print("peak-kb", peak, "exit", code)
        """
    )
    args = [str(course), "-o", str(tmp_path / "out"), "--no-lint", "--jobs", "1", "--quiet", "--edition", "student"]
    done = subprocess.run(
        [sys.executable, "-c", measure, "build", *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert "W-image-too-large" in done.stdout + done.stderr
    peak_kb, exit_code = done.stdout.split("peak-kb")[-1].split()[0], done.stdout.split()[-1]
    assert exit_code == "0", done.stdout + done.stderr
    assert int(peak_kb) < 250_000, f"peak memory {int(peak_kb) // 1024} MB"
