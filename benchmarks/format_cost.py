"""What some outputs add to a cold full build: builds with and without them, alternated, in one run.

    python benchmarks/format_cost.py [COURSE_DIR] [--runs 4] [--base FORMATS] [--added FORMATS]

By default the website (`--added site` over `--base handout,slides,cheatsheet`, issue 18);
issue 17's outputs are `--base handout,slides,cheatsheet,site --added worksheet,answers,slides-handout`.

Each build is cold (`--force` into a fresh output folder) and measured as
benchmarks/run.py measures it, plus the CPU time of the build and its workers. The
builds alternate, so that a change in the machine's load falls on both: without then
with the added outputs, then with then without (ABBA), so that a machine slowing down
or speeding up through the run favours neither. Each round's two builds give a ratio;
their median is printed with the medians and the fastest of each kind. On a shared
machine the wall time swings with the neighbours' load (the load average is printed
beside each build): the ratios within rounds, and the CPU time, say more than one build.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--runs", type=int, default=4, help="builds of each kind (even: as many rounds of each order)")
    parser.add_argument("--base", default="handout,slides,cheatsheet", help="the formats of the build without")
    parser.add_argument("--added", default="site", help="the formats whose cost is measured")
    options = parser.parse_args()
    without, with_added = options.base, f"{options.base},{options.added}"
    times: dict[str, list[float]] = {without: [], with_added: []}
    cpu: dict[str, list[float]] = {without: [], with_added: []}
    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        replicate(Path(options.course).resolve(), work / "course", 1)
        for number in range(options.runs):
            for formats in (without, with_added) if number % 2 == 0 else (with_added, without):
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
        a, b = pick(times[without]), pick(times[with_added])
        print(f"{name}: without {options.added} {a:.2f} s, with {b:.2f} s: {b / a:.3f} ×")
    a, b = statistics.median(cpu[without]), statistics.median(cpu[with_added])
    print(f"CPU, median: without {options.added} {a:.2f} s, with {b:.2f} s: {b / a:.3f} ×; load now {os.getloadavg()[0]:.2f}")
    for name, kind in (("wall", times), ("CPU", cpu)):
        rounds = [after / before for before, after in zip(kind[without], kind[with_added], strict=True)]
        print(f"{name}, each round: {', '.join(f'{ratio:.3f}' for ratio in rounds)} ×; median {statistics.median(rounds):.3f} ×")


if __name__ == "__main__":
    main()
