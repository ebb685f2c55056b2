"""What Python's cycle collector costs a build: its passes and their CPU time, by generation.

    python benchmarks/gc_time.py [COURSE_DIR] [--tree PATH]... [--runs 1] [-- BUILD OPTIONS]

Each tree (default: this one) builds the course cold (`--force`, a fresh output folder,
`--jobs 1`, so that every pass is counted in one process) with its own code
(PYTHONPATH), the trees alternating run after run (ABBA). A callback (`gc.callbacks`) times
every pass. Printed per build: the passes of each generation and the CPU seconds they
took, beside the build's own CPU time. A build's time swings with the machine; the
collector's share of it, and its number of passes, much less.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in the measured build's process: time each pass of the collector, then build.
_PROBE = """
import gc, json, sys, time
passes, seconds, started = [0, 0, 0], [0.0, 0.0, 0.0], [0.0]
def timed(phase, info):
    if phase == "start":
        started[0] = time.process_time()
    else:
        passes[info["generation"]] += 1
        seconds[info["generation"]] += time.process_time() - started[0]
gc.callbacks.append(timed)
from generator.cli import main
try:
    main(sys.argv[2:])
except SystemExit as end:
    if end.code:
        raise
with open(sys.argv[1], "w") as out:
    json.dump({"passes": passes, "seconds": seconds, "cpu": time.process_time()}, out)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", type=lambda path: str(Path(path).resolve()), default=str(REPO / "content"))
    parser.add_argument("--tree", action="append", type=Path, help="a checkout of Aula to measure (repeatable; default: this one)")
    parser.add_argument("--runs", type=int, default=1, help="builds of each tree")
    parser.add_argument("build_options", nargs=argparse.REMAINDER, help="after --: more options for `aula build`")
    options = parser.parse_args()
    trees = options.tree or [REPO]
    extra = [option for option in options.build_options if option != "--"]
    with tempfile.TemporaryDirectory(prefix="aula-gc-") as scratch:
        for run in range(options.runs):
            for number, tree in enumerate(trees if run % 2 == 0 else trees[::-1]):  # ABBA: no tree always last
                report = Path(scratch) / f"gc-{run}-{number}.json"
                output = Path(scratch) / f"out-{run}-{number}"
                command = [sys.executable, "-c", _PROBE, str(report), "build", options.course, "-o", str(output), "-q", "--force"]
                command += ["--jobs", "1"]
                # Run from the scratch folder: `python -c` puts the working folder first on the path, before PYTHONPATH.
                environment = {**os.environ, "PYTHONPATH": str(tree.resolve())}
                subprocess.run([*command, *extra], check=True, env=environment, cwd=scratch, stdout=subprocess.DEVNULL)
                measured = json.loads(report.read_text())
                passes, seconds = measured["passes"], measured["seconds"]
                print(f"{tree}: passes {passes[0]} / {passes[1]} / {passes[2]} (generations 0 / 1 / 2), "
                      f"{seconds[0]:.2f} / {seconds[1]:.2f} / {seconds[2]:.2f} s; collector {sum(seconds):.2f} s "
                      f"of the build's {measured['cpu']:.2f} s CPU ({sum(seconds) / measured['cpu']:.1%})", flush=True)


if __name__ == "__main__":
    main()
