"""What the website adds to a cold full build: builds with and without `site`, alternated, in one run.

    python benchmarks/site_cost.py [COURSE_DIR] [--runs 3]

Each build is cold (`--force` into a fresh output folder) and measured as
benchmarks/run.py measures it. The builds alternate, without then with the site,
so that a change in the machine's load falls on both; the load average is printed
beside each. The target: the site costs at most 10 % of the cold build.
"""

from __future__ import annotations

import argparse
import os
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
    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        replicate(Path(options.course).resolve(), work / "course", 1)
        for number in range(options.runs):
            for formats in (WITHOUT, WITH):
                load = os.getloadavg()[0]
                measure = run(["build", "course", "-o", f"out-{number}-{len(formats)}", "-q", "--force", "--format", formats], work)
                times[formats].append(measure.seconds)
                print(f"--format {formats}: {measure.seconds:.2f} s, {measure.peak_mb:.0f} MB (load before: {load:.2f})")
    without, with_site = statistics.median(times[WITHOUT]), statistics.median(times[WITH])
    print(f"median without the site {without:.2f} s, with it {with_site:.2f} s: "
          f"{with_site / without:.3f} × (target ≤ 1.10); load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
