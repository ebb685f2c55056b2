"""Measure `aula build` on this machine and print a Markdown table.

    python benchmarks/run.py [COURSE_DIR] [--scale 1,4,16] [--write]

Every figure is the wall time of a whole `aula` process (Python start-up
included) and the peak memory of its process tree (the build and its worker
processes, proportional set sizes summed, sampled every 100 ms from /proc;
every 20 ms, the sampling took a third of a CPU from the build). With
`--write` the table also goes to benchmarks/RESULTS.md with the date, the CPU
and the versions. Nothing here runs in CI: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def _pss_kb(pid: int) -> int:
    """Return a process's proportional set size: its private memory plus its share of shared pages."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _tree_memory_kb(pid: int) -> int:
    """Return the memory of `pid` and its descendants, in kB.

    Summed PSS, not RSS: forked workers share their parent's pages, and summing
    RSS would count those pages once per worker.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss_kb(current)
        stack.extend(children.get(current, []))
    return total


def run(args: list[str], cwd: Path) -> Measure:
    """Run `aula ARGS` in a fresh process; return its wall time and peak tree memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"aula {' '.join(args)} failed:\n{output.decode()}")
    return Measure(seconds, peak / 1024)


def bare_weasyprint(course: Path, work: Path) -> Measure:
    """Render the student handout's HTML with bare WeasyPrint in a fresh process: the floor."""
    from generator.build import BuildOptions, load
    from generator.render.handout import HandoutOptions, handout_html, handout_stylesheets

    config, model, theme = load(BuildOptions(course_dir=course))
    html = work / "handout.html"
    html.write_text(handout_html(model, theme, HandoutOptions(paper=config.paper)), encoding="utf-8")
    sheets = [str(path) for path in handout_stylesheets(theme)]
    script = (
        "import sys, weasyprint; "
        f"weasyprint.HTML(filename={str(html)!r}, base_url={str(course.resolve()) + '/'!r})"
        f".write_pdf({str(work / 'bare.pdf')!r}, stylesheets=[weasyprint.CSS(filename=p) for p in {sheets!r}])"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    return Measure(time.perf_counter() - started, 0)


def replicate(course: Path, target: Path, times: int) -> Path:
    """Copy `course` into `target` with every chapter repeated `times` times (titles numbered)."""
    shutil.copytree(course, target)
    if times == 1:
        return target
    chapters = sorted(p for p in target.glob("*.md") if p.name.lower() != "readme.md")
    for copy in range(2, times + 1):
        for chapter in chapters:
            text = chapter.read_text(encoding="utf-8")
            text = text.replace("\n# ", f"\n# ({copy}) ", 1) if not text.startswith("# ") else f"# ({copy}) {text[2:]}"
            (target / f"{chapter.stem}-x{copy:02d}.md").write_text(text, encoding="utf-8")
    return target


def touch_one_chapter(course: Path) -> None:
    """Edit the text of a chapter in the middle of the course, as a teacher would."""
    chapters = sorted(p for p in course.glob("*.md") if p.name.lower() != "readme.md")
    chapter = chapters[len(chapters) // 2]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUna frase más, añadida al revisar.\n", encoding="utf-8")


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    import pptx
    import weasyprint

    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, python-pptx {pptx.__version__}"
    )


def commit() -> str:
    """Return the commit measured (with `+` if the working tree has changes), or `unknown`."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "themes"], cwd=REPO, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--scale", default="1,4,16", help="replication factors for the scale rows")
    parser.add_argument("--write", action="store_true", help="also write benchmarks/RESULTS.md")
    options = parser.parse_args()
    source = Path(options.course).resolve()
    rows: list[tuple[str, str, str]] = []

    def row(name: str, measure: Measure, note: str = "") -> None:
        memory = f"{measure.peak_mb:.0f} MB" if measure.peak_mb else "–"
        rows.append((name, f"{measure.seconds:.2f} s", memory + (f"; {note}" if note else "")))
        print(f"{name}: {measure.seconds:.2f} s {memory} {note}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        course = replicate(source, work / "course", 1)
        cold = run(["build", "course", "-o", "out", "-q"], work)
        row("cold full build (default jobs)", cold)
        noop = run(["build", "course", "-o", "out", "-q"], work)
        row("no-op rebuild", noop, "target < 0.5 s")
        touch_one_chapter(course)
        one = run(["build", "course", "-o", "out", "-q"], work)
        row("rebuild after editing one chapter", one, f"{one.seconds / cold.seconds:.2f} × cold (target ≤ 0.5)")
        serial = run(["build", "course", "-o", "out-j1", "-q", "--jobs", "1"], work)
        row("cold full build, --jobs 1", serial)
        rows.append(("parallel speed-up", f"{cold.seconds / serial.seconds:.2f} × the --jobs 1 time", "target ≤ 0.65"))
        for name in ("handout", "slides", "cheatsheet", "site"):
            row(f"`--format {name}` alone, cold", run(["build", "course", "-o", f"out-{name}", "-q", "--format", name], work))
        without = run(["build", "course", "-o", "out-no-site", "-q", "--format", "handout,slides,cheatsheet"], work)
        row("cold full build without the site", without)
        rows.append(("the site's cost", f"{cold.seconds / without.seconds:.2f} × the build without it", "target ≤ 1.10"))
        handout = run(["build", "course", "-o", "out-student", "-q", "--format", "handout", "--edition", "student"], work)
        row("student handout alone, cold", handout)
        floor = bare_weasyprint(course, work)
        row("floor: the same HTML through bare WeasyPrint", floor)
        rows.append(("pipeline overhead over the floor", f"{handout.seconds / floor.seconds:.2f} ×", "target ≤ 1.15"))
        scale_times = {}
        for factor in (int(f) for f in options.scale.split(",") if f):
            scaled = replicate(source, work / f"course-x{factor}", factor)
            measure = run(["build", scaled.name, "-o", f"out-x{factor}", "-q"], work)
            scale_times[factor] = measure.seconds
            row(f"scale ×{factor}: cold full build", measure)
        if len(scale_times) > 1:
            base = min(scale_times)
            for factor, seconds in sorted(scale_times.items()):
                if factor != base:
                    rows.append((f"growth ×{factor} / ×{base}", f"{seconds / scale_times[base]:.1f} ×", f"target ≤ {factor * 18 / 16:g}"))

    command = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    table = ["| measure | time | peak memory / note |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    text = "\n".join(table) + "\n"
    print(text)
    if options.write:
        header = (
            f"# Build benchmarks\n\nMeasured {date.today().isoformat()} on {machine()}, at commit {commit()}; "
            f"with `{command.strip()}` on `{source.relative_to(REPO) if source.is_relative_to(REPO) else source}`.\n"
            "Times are whole processes (start-up included); memory is the peak of the build's process tree "
            "(summed PSS, so pages forked workers share with the build count once).\n\n"
        )
        (REPO / "benchmarks" / "RESULTS.md").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
