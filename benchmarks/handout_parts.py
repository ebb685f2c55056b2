"""Measure the handout laid out as one document against chapter by chapter; print a Markdown table.

    python benchmarks/handout_parts.py [COURSE_DIR] [--edition student] [--runs 2] [--jobs N]

Two ways to make one edition of the handout, each timed as a whole fresh Python
process (start-up and imports included) on a copy of the course:

- one document (`render_handout_as_one_document`): the whole book as one HTML
  document laid out by WeasyPrint, the way the handout was made before;
- by chapter (`render_handout`): chapters laid out one at a time, with a cache folder.

For each: a cold build, then a rebuild after a one-word edit in one chapter
(the middle one). Each is run `--runs` times. CPU is user + system time of
the process and its workers; memory is the peak of the largest process.
Nothing here runs in CI: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@dataclass
class Measure:
    seconds: float
    cpu: float
    peak_mb: float
    pages: int


def build_once(way: str, course_dir: Path, output: Path, edition: str, cache_dir: Path, jobs: int) -> None:
    """Make one edition of the handout, one of the two ways (this runs in the measured process)."""
    from generator.build import BuildOptions, Job, load, render_jobs
    from generator.render.handout import HandoutOptions, handout_layouts, render_handout_as_one_document

    _, course, theme = load(BuildOptions(course_dir=course_dir))
    options = HandoutOptions(edition=edition, cache_dir=cache_dir)
    if way == "one document":
        pdf = render_handout_as_one_document(course, theme, options)
    else:  # the chapters laid out by the build's worker processes
        job = Job("handout.pdf", parts=lambda: handout_layouts(course, theme, options))
        pdf = render_jobs([job], jobs or os.cpu_count() or 1, None)["handout.pdf"]
    output.write_bytes(pdf)
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    print(f"{cpu} {max(own.ru_maxrss, workers.ru_maxrss)}")


def measure(way: str, course_dir: Path, work: Path, edition: str, jobs: int) -> Measure:
    """Run `build_once` in a fresh process; return its wall time, CPU time, peak memory and page count."""
    from pypdf import PdfReader

    output = work / "handout.pdf"
    command = [sys.executable, __file__, "--build-once", way, str(course_dir), str(output), edition, str(work / "cache"), str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    cpu, peak_kb = done.stdout.split()[-2:]
    return Measure(seconds, float(cpu), int(peak_kb) / 1024, len(PdfReader(output).pages))


def touch_one_chapter(course_dir: Path, run: int) -> str:
    """Change one word in the middle chapter's text; return the chapter's name."""
    chapters = sorted(course_dir.glob("*.md"))
    chapter = chapters[len(chapters) // 2]
    text = chapter.read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line[:1].isalpha() and len(line) > 40)
    chapter.write_text(text.replace(paragraph, f"{paragraph} (edición {run})", 1), encoding="utf-8")
    return chapter.name


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--edition", default="student", choices=("student", "teacher"))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for the chapters (0: one per CPU)")
    args = parser.parse_args()
    from importlib.metadata import version

    print(f"- machine: {cpu_name()}, {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}")
    print(f"- Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, pypdf {version('pypdf')}")
    print(f"- course: {args.course}, {args.edition} edition, {args.runs} runs each, jobs={args.jobs or os.cpu_count()}\n")
    rows = []
    for way in ("one document", "by chapter"):
        cold, edited, pages = [], [], set()
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="aula-bench-") as temporary:
                work = Path(temporary)
                course = work / "course"
                shutil.copytree(args.course, course)
                cold.append(measure(way, course, work, args.edition, args.jobs))
                chapter = touch_one_chapter(course, run)
                edited.append(measure(way, course, work, args.edition, args.jobs))
                pages |= {cold[-1].pages, edited[-1].pages}
        rows.append((way, cold, edited, chapter, pages))
    command = f"python benchmarks/handout_parts.py --build-once WAY COURSE OUT {args.edition} CACHE {args.jobs}"
    print(f"Each time is a whole process: `{command}`.\n")
    print("| way | cold build (s) | rebuild after editing one chapter (s) | CPU cold / rebuild (s) | peak process MB | pages |")
    print("| --- | --- | --- | --- | --- | --- |")
    for way, cold, edited, chapter, pages in rows:
        def times(measures: list[Measure]) -> str:
            return ", ".join(f"{m.seconds:.1f}" for m in measures) + f" (median {median(m.seconds for m in measures):.1f})"

        cpu = f"{median(m.cpu for m in cold):.1f} / {median(m.cpu for m in edited):.1f}"
        peak = f"{max(m.peak_mb for m in cold + edited):.0f}"
        print(f"| {way} | {times(cold)} | {times(edited)} ({chapter}) | {cpu} | {peak} | {', '.join(map(str, sorted(pages)))} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-once"]:
        way, course, output, edition, cache, jobs = sys.argv[2:8]
        build_once(way, Path(course), Path(output), edition, Path(cache), int(jobs))
    else:
        main()
