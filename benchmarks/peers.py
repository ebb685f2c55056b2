"""The peer tools that `run.py` times against Aula on the same course (issue 19).

Each peer is given what a teacher without Aula would give it: the course's
chapters concatenated, in file-name order, into one Markdown file (front matter
and Aula's own syntax left as they are), with the course's folders (images)
copied beside it. Nothing here times anything: this module says which commands
make each peer's output, and run.py measures them as whole processes, as it
does Aula.

Tools are looked up, never installed: a missing one gives a row saying how to
install it. Each can be pointed at with an environment variable (PANDOC, TYPST,
MARP, CHROME_PATH) when it is not on PATH.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

INSTALL = {
    "pandoc": "`pip install pypandoc-binary`, or Debian's `pandoc` (3.x)",
    "typst": "`pip install typst` (the Python binding), or the typst CLI on PATH",
    "weasyprint": "WeasyPrint's CLI, installed with Aula",
    "marp": "`npm install -g @marp-team/marp-cli`, and a Chromium (CHROME_PATH)",
    "chromium": "`apt-get install chromium`, or CHROME_PATH",
}
PANDOC_ROWS = ("pandoc → PDF with WeasyPrint", "pandoc → pptx (`--slide-level=2`)", "pandoc → typst → PDF")
MARP_ROWS = ("Marp → PDF (`headingDivider: 2`)", "Marp → pptx (`headingDivider: 2`)")


@dataclass
class Peer:
    """One peer output: the processes that make it, run one after the other, and the file they write."""

    name: str
    steps: list[list[str]]
    output: Path
    env: dict[str, str] | None = None
    note: str = ""
    step_names: tuple[str, ...] = ()


@dataclass
class Skipped:
    name: str
    reason: str


def _tool(variable: str, *names: str) -> str | None:
    """Return the path of a tool: the environment variable first, then PATH."""
    if os.environ.get(variable):
        return os.environ[variable]
    return next((found for name in names if (found := shutil.which(name))), None)


def find_pandoc() -> str | None:
    """Pandoc on PATH, else the binary that pypandoc-binary ships inside its package."""
    found = _tool("PANDOC", "pandoc")
    if found or importlib.util.find_spec("pypandoc") is None:
        return found
    import pypandoc

    try:
        path = pypandoc.get_pandoc_path()
    except OSError:
        return None
    return str(path) if path and Path(path).exists() else None


def typst_command(source: Path, target: Path) -> list[str] | None:
    """The typst CLI if there is one, else the Python binding (`pip install typst`) in a fresh interpreter.

    The binding costs a Python start-up (some 40 ms) that the CLI does not.
    """
    cli = _tool("TYPST", "typst")
    if cli:
        return [cli, "compile", str(source), str(target)]
    if importlib.util.find_spec("typst") is None:
        return None
    return [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])", str(source), str(target)]


def find_weasyprint() -> str | None:
    """WeasyPrint's CLI from this interpreter's environment (the same WeasyPrint Aula uses), else PATH."""
    beside = Path(sys.executable).parent / "weasyprint"
    return str(beside) if beside.exists() else shutil.which("weasyprint")


def find_chromium() -> str | None:
    return _tool("CHROME_PATH", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def prepare(course: Path, work: Path) -> Path:
    """Write `work/course.md` (the chapters concatenated) with the course's folders beside it; return it.

    A blank line between chapters keeps each chapter's front matter a YAML block
    for pandoc (it reads blocks anywhere; the first value of a key wins).
    """
    work.mkdir(parents=True)
    for folder in (p for p in course.iterdir() if p.is_dir() and not p.name.startswith(".")):
        shutil.copytree(folder, work / folder.name)
    chapters = sorted(p for p in course.glob("*.md") if p.name.lower() != "readme.md")
    text = "\n\n".join(chapter.read_text(encoding="utf-8").rstrip("\n") for chapter in chapters) + "\n"
    target = work / "course.md"
    target.write_text(text, encoding="utf-8")
    return target


def marp_source(markdown: Path) -> Path:
    """The same Markdown with Marp's `headingDivider: 2` directive, so Marp starts a slide at each `#` and `##`.

    Without it Marp splits only at `---` (a few dozen very long slides); with
    it the deck is cut as pandoc's `--slide-level=2` cuts it. The directive is
    an HTML comment put after the first chapter's front matter, which stays
    Marp's front matter.
    """
    text = markdown.read_text(encoding="utf-8")
    end = text.find("\n---\n", 4) + len("\n---\n") if text.startswith("---\n") else 0
    target = markdown.with_name("marp.md")
    target.write_text(text[:end] + "\n<!-- headingDivider: 2 -->\n\n" + text[end:], encoding="utf-8")
    return target


def peers(markdown: Path) -> list[Peer | Skipped]:
    """The peer outputs to time on `markdown` (made by `prepare`), or why each is skipped."""
    work = markdown.parent
    found: list[Peer | Skipped] = []
    pandoc = find_pandoc()
    weasyprint = find_weasyprint()
    # `-citations`: the course has no citations, and typst's writer turns `@app.route` in a
    # code sample pandoc reads as text into a #cite that fails for want of a bibliography.
    # The same reader for all three pandoc rows, so they parse the same document.
    read = [str(markdown), "-f", "markdown-citations", f"--resource-path={work}"]
    if pandoc is None:
        found += [Skipped(name, f"skipped: pandoc not found (install with {INSTALL['pandoc']})") for name in PANDOC_ROWS]
    else:
        found.append(
            _unless_missing(
                weasyprint,
                "weasyprint",
                PANDOC_ROWS[0],
                lambda: Peer(
                    PANDOC_ROWS[0],
                    [[pandoc, *read, "-o", str(work / "pandoc.pdf"), f"--pdf-engine={weasyprint}"]],
                    work / "pandoc.pdf",
                    note="pandoc's default HTML and CSS; its highlighter has no `console` lexer, so most code stays plain",
                ),
            )
        )
        found.append(Peer(PANDOC_ROWS[1], [[pandoc, *read, "-o", str(work / "pandoc.pptx"), "--slide-level=2"]], work / "pandoc.pptx"))
        typst = typst_command(work / "pandoc.typ", work / "typst.pdf")
        found.append(
            _unless_missing(
                typst,
                "typst",
                PANDOC_ROWS[2],
                lambda: Peer(
                    PANDOC_ROWS[2],
                    [[pandoc, *read, "-t", "typst", "-o", str(work / "pandoc.typ")], typst or []],
                    work / "typst.pdf",
                    step_names=("pandoc", "typst compile"),
                ),
            )
        )
    marp = _tool("MARP", "marp")
    chromium = find_chromium()
    if marp is None or chromium is None:
        missing = "marp" if marp is None else "chromium"
        found += [Skipped(name, f"skipped: {missing} not found (install with {INSTALL[missing]})") for name in MARP_ROWS]
    else:
        source = marp_source(markdown)
        # As root Chromium runs only without its sandbox; Marp reads CHROME_NO_SANDBOX for that.
        env = {**os.environ, "CHROME_PATH": chromium, "CHROME_NO_SANDBOX": "1"}
        for name, flag, output, note in (
            (MARP_ROWS[0], "--pdf", work / "marp.pdf", ""),
            (MARP_ROWS[1], "--pptx", work / "marp.pptx", "each slide a picture, not editable text"),
        ):
            found.append(Peer(name, [[marp, str(source), flag, "--allow-local-files", "-o", str(output)]], output, env, note))
    return found


def _unless_missing(tool: object, tool_name: str, row: str, make: Callable[[], Peer]) -> Peer | Skipped:
    """Return the peer `make()` describes, or a skipped row saying how to install the tool it lacks."""
    if tool is None:
        return Skipped(row, f"skipped: {tool_name} not found (install with {INSTALL[tool_name]})")
    return make()


def describe(path: Path) -> str:
    """Page or slide count of an output, and its size."""
    megabytes = f"{path.stat().st_size / 1e6:.1f} MB"
    if path.suffix == ".pdf":
        import pikepdf

        with pikepdf.open(path) as pdf:
            return f"{len(pdf.pages)} p, {megabytes}"
    if path.suffix == ".pptx":
        import pptx

        return f"{len(pptx.Presentation(str(path)).slides)} slides, {megabytes}"
    return megabytes


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = [line for line in (done.stdout or done.stderr).splitlines() if line.strip()]
    return lines[0].strip() if lines else "?"


def versions() -> str:
    """The peers' versions, for the table's header (those found only)."""
    parts = []
    if pandoc := find_pandoc():
        parts.append(_first_line([pandoc, "--version"]))
    if cli := _tool("TYPST", "typst"):
        parts.append(_first_line([cli, "--version"]))
    else:
        try:
            parts.append(f"typst {version('typst')} (Python binding)")
        except PackageNotFoundError:
            pass
    if marp := _tool("MARP", "marp"):
        parts.append("Marp CLI " + _first_line([marp, "--version"]).removeprefix("@marp-team/marp-cli "))
    if chromium := find_chromium():
        parts.append(_first_line([chromium, "--version"]).split(" built on")[0])
    return ", ".join(parts) or "none found"
