"""The cheat sheet PDF and `aula cheatsheet`, read back with pypdf and through the CLI."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, run_aula
from pypdf import PdfReader

from generator.build import BuildOptions, load
from generator.render.cheatsheet import CheatsheetOptions, render_cheatsheet
from generator.render.cheatsheet.commands import GROUPS
from generator.themes import Theme

CONTENT = REPO / "content"
A4_LANDSCAPE = (841.9, 595.3)
LETTER_LANDSCAPE = (792.0, 612.0)

# Read independently of Aula's parser: docker subcommands that take a subcommand of their own.
_MANAGEMENT = {"builder", "buildx", "compose", "config", "container", "context", "image", "manifest", "network",
               "node", "plugin", "secret", "service", "stack", "swarm", "system", "trust", "volume"}


def console_commands(course_dir: Path) -> list[tuple[str, str]]:
    """Return (`chapter.md:line`, command) for each docker command in the chapters' ```console fences.

    A plain reading of the files, on purpose independent of the parser and the
    collector: fences marked `.bad-example` or `.no-cheatsheet`, and those in
    teacher or speaker notes, are skipped; `$ ` and `sudo ` are removed and
    continuation lines joined.
    """
    found = []
    for path in sorted(course_dir.glob("*.md")):
        fence = ""  # the open fence's backticks, when inside a console block
        skipping = False
        notes_depth = 0
        pending: tuple[int, str] | None = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if not fence:
                if re.match(r":{3,}\s*(teacher|notes)\b", stripped):
                    notes_depth += 1
                elif re.fullmatch(r":{3,}", stripped) and notes_depth:
                    notes_depth -= 1
                opening = re.match(r"(`{3,})\s*console\b(.*)", stripped)
                if opening:
                    fence = opening.group(1)
                    skipping = notes_depth > 0 or bool(re.search(r"\.(bad-example|no-cheatsheet)\b", opening.group(2)))
                continue
            if stripped == fence:
                fence = ""
                continue
            if skipping:
                continue
            if pending:
                pending = (pending[0], pending[1] + " " + stripped.rstrip("\\").strip())
            elif line.startswith("$ "):
                pending = (number, line[2:].rstrip("\\").strip())
            if pending and not stripped.endswith("\\"):
                command = re.sub(r"^sudo ", "", " ".join(pending[1].split()))
                if re.search(r"(^|\| )docker ", command):
                    found.append((f"{path.name}:{pending[0]}", command))
                pending = None
    return found


def command_name(command: str) -> str:
    """Return `docker` and its subcommand words (`docker volume create`), skipping options before them."""
    words = command[command.index("docker ") :].split()[1:]
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] in ("-H", "--host", "--context", "-c") else words[1:]
    name = ["docker", words[0]]
    if words[0] in _MANAGEMENT:
        rest = [w for w in words[1:] if not w.startswith("-")] if words[0] != "compose" else words[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[2:]
        name += rest[:1]
    return " ".join(name)


def pdf_text(reader: PdfReader) -> str:
    """Return the text of every page with all whitespace (line breaks included) as single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def smallest_font(reader: PdfReader) -> float:
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * abs(tm[0] * cm[0]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return min(sizes)


# --- The bundled course ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled course's cheat sheet, rendered once, and the warnings it logged."""
    if not any(CONTENT.glob("*.md")):
        pytest.skip("no bundled course in content/")
    config, course, theme = load(BuildOptions(course_dir=CONTENT))
    logger = logging.getLogger("aula")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        data = render_cheatsheet(course, theme, CheatsheetOptions.from_config(config))
    finally:
        logger.removeHandler(handler)
    path = tmp_path_factory.mktemp("sheet") / "cheatsheet.pdf"
    path.write_bytes(data)
    return PdfReader(path), [record.getMessage() for record in records]


@pytest.fixture(scope="module")
def bundled_text(bundled):
    return pdf_text(bundled[0])


@pytest.mark.slow
def test_bundled_sheet_fits_two_landscape_pages_without_warnings(bundled):
    reader, warnings = bundled
    assert len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A4_LANDSCAPE
    assert warnings == []


@pytest.mark.slow
def test_bundled_sheet_fits_two_pages_on_letter_paper_too(tmp_path):
    config, course, theme = load(BuildOptions(course_dir=CONTENT, paper="letter"))
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_cheatsheet(course, theme, CheatsheetOptions.from_config(config)))
    reader = PdfReader(path)
    assert len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == LETTER_LANDSCAPE


def test_bundled_sheet_text_is_never_below_7_5_pt(bundled):
    assert smallest_font(bundled[0]) >= 7.5 - 0.01


def test_bundled_sheet_has_every_group_heading(bundled_text):
    labels = Theme.load().messages("es")
    missing = [labels[f"group_{key}"] for key in GROUPS if labels[f"group_{key}"] not in bundled_text]
    assert missing == []


def test_every_page_has_the_header(bundled):
    reader = bundled[0]
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert all(part in text for part in ("Chuleta de comandos", "Contenedores y Docker", "Versión 1.0"))
        assert f"{number} / {len(reader.pages)}" in text


_COURSE_COMMANDS = console_commands(CONTENT)


@pytest.mark.parametrize("where, command", _COURSE_COMMANDS, ids=[where for where, _ in _COURSE_COMMANDS])
def test_every_course_command_is_on_the_sheet(bundled_text, where, command):
    assert command_name(command) in bundled_text, f"{where}: `{command}` is not on the cheat sheet"


def test_the_course_has_commands_to_check():
    assert len(_COURSE_COMMANDS) > 100


# --- Build, paper, overflow ---------------------------------------------------------------


def test_build_writes_the_sheet_and_leaves_out_bad_examples(sample_copy, tmp_path):
    result = run_aula("build", str(sample_copy), "-o", str(tmp_path), "--format", "cheatsheet")
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'curso-de-muestra-cheatsheet.pdf'}" in result.output
    reader = PdfReader(tmp_path / "curso-de-muestra-cheatsheet.pdf")
    text = pdf_text(reader)
    assert len(reader.pages) == 1
    assert "docker run --rm hello-world:latest" in text
    assert "docker run [opciones] <imagen> [comando]" in text
    assert "nginx:1.27 --rm" not in text  # the {.bad-example}
    assert "Versión 1.0" in text and "Curso de muestra" in text


def test_letter_paper_is_landscape_too(sample_copy, tmp_path):
    result = run_aula("build", str(sample_copy), "-o", str(tmp_path), "--format", "cheatsheet", "--paper", "letter")
    assert result.exit_code == 0, result.output
    box = PdfReader(tmp_path / "curso-de-muestra-cheatsheet.pdf").pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == LETTER_LANDSCAPE


def test_placeholders_are_set_in_italics(sample_copy, tmp_path):
    assert run_aula("build", str(sample_copy), "-o", str(tmp_path), "--format", "cheatsheet").exit_code == 0
    page = PdfReader(tmp_path / "curso-de-muestra-cheatsheet.pdf").pages[0]
    fonts = [str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any("Mono" in name and ("Oblique" in name or "Italic" in name) for name in fonts), fonts


_RUN_SWITCHES = ("-d", "--rm", "-i", "-t", "-P", "--init", "--read-only", "--no-healthcheck", "-q", "--oom-kill-disable")


@pytest.mark.slow
def test_a_long_course_flows_on_with_a_warning_instead_of_smaller_text(make_course, tmp_path):
    # 320 `docker run` forms, each with its own set of switches: too many for two pages
    forms = [[s for bit, s in enumerate(_RUN_SWITCHES) if n >> bit & 1] for n in range(1, 321)]
    blocks = "\n".join(
        f"Para la tarea número {n}, con sus opciones:\n\n```console\n$ docker run {' '.join(f)} alpine:3.20 true\n```\n"
        for n, f in enumerate(forms)
    )
    root = make_course({"course.yml": "title: Larguísimo\n", "01-a.md": f"# A\n\n{blocks}"})
    result = run_aula("build", str(root), "-o", str(tmp_path), "--format", "cheatsheet")
    assert result.exit_code == 0, result.output
    assert re.search(r"W-page-limit\W+larguisimo-cheatsheet takes \d+ pages, more than 2", result.output)
    assert "1 warning" in result.output
    reader = PdfReader(tmp_path / "larguisimo-cheatsheet.pdf")
    assert len(reader.pages) > 2
    assert smallest_font(reader) >= 7.5 - 0.01
    assert "La tarea número 319" in pdf_text(reader)


# --- aula cheatsheet ------------------------------------------------------------------------

SMALL = {
    "course.yml": "title: Mini\nversion: '2'\ncheatsheet:\n  groups: [networks]\n",
    "01-a.md": """\
        # A

        Para ver todos los contenedores:

        ```console
        $ docker ps -a
        ```

        Creamos una red:

        ```console
        $ docker network create red
        ```
        """,
}


def test_cheatsheet_prints_markdown_in_the_configured_group_order(make_course):
    result = run_aula("cheatsheet", str(make_course(SMALL)))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "# Chuleta de comandos: Mini (Versión 2)\n\n"
        "## Redes\n\n- `docker network create red`: Crear una red\n\n"
        "## Contenedores\n\n- `docker ps -a`: Ver todos los contenedores\n"
    )


def test_cheatsheet_prints_json(make_course):
    result = run_aula("cheatsheet", str(make_course(SMALL)), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [group["key"] for group in data["groups"]] == ["networks", "containers"]
    (entry,) = data["groups"][1]["entries"]
    assert entry["commands"] == ["docker ps -a"] and entry["description"] == "Ver todos los contenedores"
    assert entry["source"].endswith("01-a.md:6")  # the first line of code
    assert data["flags"] == [] and data["version"] == "2"


def test_cheatsheet_unknown_group_is_a_one_line_error(make_course):
    root = make_course({"course.yml": "cheatsheet:\n  groups: [pods]\n", "01-a.md": "# A\n"})
    result = run_aula("cheatsheet", str(root))
    assert result.exit_code == 1
    message = f"unknown cheat sheet group `pods` in `cheatsheet.groups` (known: {', '.join(GROUPS)})"
    assert result.output == f"error: {root / 'course.yml'}: {message}\n"


def test_cheatsheet_sample_shows_the_synopsis_and_one_example():
    result = run_aula("cheatsheet", str(SAMPLE), "--format", "json")
    assert result.exit_code == 0
    (group,) = json.loads(result.output)["groups"]
    commands = [command for entry in group["entries"] for command in entry["commands"]]
    assert commands == ["docker run [opciones] <imagen> [comando]", "docker run --rm hello-world:latest"]
