"""Time `aula lint` on the bundled course (and on any other course folders given).

    python benchmarks/lint.py [COURSE_DIR ...] [--runs N]

Prints a Markdown table: the machine, then for each course the wall time of the
whole command (a fresh process, as a user runs it: interpreter start-up and
imports included) and, measured in-process, the parse and lint stages alone.
The issue's target: `aula lint content` well under a second.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def command_seconds(course: Path, runs: int) -> list[float]:
    command = [sys.executable, "-m", "generator", "lint", str(course)]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return times


def stage_seconds(course: Path) -> tuple[float, float, int, int]:
    """Return (parse seconds, lint seconds, blocks, findings), measured in this process."""
    sys.path.insert(0, str(ROOT))
    from generator.config import load_config
    from generator.lint import lint_course
    from generator.parse import parse_course

    started = time.perf_counter()
    config = load_config(course)
    parsed = parse_course(config)
    parsed_at = time.perf_counter()
    findings = lint_course(parsed, config.lint_ignore)
    linted_at = time.perf_counter()
    return parsed_at - started, linted_at - parsed_at, sum(1 for _ in parsed.blocks()), len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("courses", nargs="*", type=Path, default=[ROOT / "content"])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    print(f"Machine: {platform.system()} {platform.machine()}, {cpu_name()}, {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}\n")
    print("| command | runs | median | best | parse (in-process) | lint (in-process) | blocks | findings |")
    print("|---|---|---|---|---|---|---|---|")
    for course in options.courses:
        times = command_seconds(course, options.runs)
        parse, lint, blocks, findings = stage_seconds(course)
        print(f"| `aula lint {course.relative_to(ROOT) if course.is_relative_to(ROOT) else course}` | {options.runs} "
              f"| {statistics.median(times):.3f} s | {min(times):.3f} s | {parse:.3f} s | {lint:.3f} s "
              f"| {blocks} | {findings} |")


if __name__ == "__main__":
    main()
