"""What the website adds to a cold full build: builds with and without `site`, alternated, in one run.

    python benchmarks/site_cost.py [COURSE_DIR] [--runs 3]

Each build is cold (`--force` into a fresh output folder) and measured as
benchmarks/run.py measures it, plus the CPU time of the build and its workers. The
builds alternate, without then with the site, so that a change in the machine's load
falls on both; the load average is printed beside each. On a shared machine the wall
time swings with the neighbours' load: the fastest build of each kind, and the CPU
time, say more than the median. The target: the site costs at most 10 % of the cold build.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, replicate, run  # noqa: E402

WITHOUT = "handout,slides,cheatsheet"
WITH = WITHOUT + ",site"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind")
    options = parser.parse_args()
    times: dict[str, list[float]] = {WITHOUT: [], WITH: []}
    cpu: dict[str, list[float]] = {WITHOUT: [], WITH: []}
    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        replicate(Path(options.course).resolve(), work / "course", 1)
        for number in range(options.runs):
            for formats in (WITHOUT, WITH):
                load = os.getloadavg()[0]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                measure = run(["build", "course", "-o", f"out-{number}-{len(formats)}", "-q", "--force", "--format", formats], work)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                times[formats].append(measure.seconds)
                cpu[formats].append(seconds)
                print(f"--format {formats}: {measure.seconds:.2f} s, {seconds:.2f} s CPU, {measure.peak_mb:.0f} MB "
                      f"(load before: {load:.2f})")
    for name, pick in (("median", statistics.median), ("fastest", min)):
        without, with_site = pick(times[WITHOUT]), pick(times[WITH])
        print(f"{name}: without the site {without:.2f} s, with it {with_site:.2f} s: {with_site / without:.3f} × (target ≤ 1.10)")
    without, with_site = statistics.median(cpu[WITHOUT]), statistics.median(cpu[WITH])
    print(f"CPU, median: without the site {without:.2f} s, with it {with_site:.2f} s: {with_site / without:.3f} ×; "
          f"load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
