"""What some outputs cost within one build: the CPU time of their own work, against the rest of the same build.

    python benchmarks/output_cost.py [COURSE_DIR] [--added worksheet,answers,slides-handout] [--runs 3]

`format_cost.py` times builds with and without the outputs, one after the other:
on a machine whose speed swings by half within minutes (as ours did), two builds
minutes apart say little. Here each run is one cold `--jobs 1` build of every
output, in a fresh process, and every piece of its work is charged to the output
that asked for it: each part laid out, each book bound, each slide handout drawn,
each step of a book's generator (rendering its HTML), each output made whole. A
part or a binding two outputs ask for (the student handout's solutions, which the
answer key prints too; the deck, which the slide handouts place) is
charged to the first that asked, which is the base output when the build would
make it anyway. Parsing, linting and writing files are the base build's.

Printed per run: the added outputs' CPU seconds, the rest, and the ratio the
build would have grown by (all / rest): the same ratio as format_cost.py's, in
CPU time, measured within one build. What it cannot see is wall time lost to
waiting: a parallel build's idle moments (see the scheduler's timelines).
Nothing here runs in CI: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in a fresh process, the tree under test first on sys.path: one cold build, its CPU charged by output.
_CHILD = """
import collections, json, sys, time
from generator import formats, scheduler
from generator.cli import main

charged = collections.Counter()
format_of = {}  # an output's relative path: the format that made it
running = {}

def tag(name, make):
    def jobs(request):
        made = make(request)
        format_of.update((job.relative_path, name) for job in made)
        return made
    return jobs

for name, make in list(formats.FORMATS.items()):
    formats.FORMATS[name] = tag(name, make)

def charge(path, started):
    charged[format_of.get(path, "?")] += time.process_time() - started

create = scheduler._Scheduler.__init__
def remember(self, *args, **kwargs):
    create(self, *args, **kwargs)
    running["now"] = self
scheduler._Scheduler.__init__ = remember

def charging(function, path_of):  # `function`, each call's CPU time charged to the output `path_of(*args)` names
    def charged_call(*args):
        started = time.process_time()
        try:
            return function(*args)
        finally:
            charge(path_of(*args), started)
    return charged_call

def step_path(layouts, laid_out):
    now = running["now"]
    return now.jobs[next(index for index, assembly in now.assemblies.items() if assembly.layouts is layouts)].relative_path

scheduler._run = charging(scheduler._run, lambda jobs, task: jobs[task.job].relative_path)
scheduler._next_parts = charging(scheduler._next_parts, step_path)

started = time.process_time()
try:
    main(["build", sys.argv[1], "-o", sys.argv[2], "-q", "--force", "--jobs", "1"])
except SystemExit:
    pass
total = time.process_time() - started
print(json.dumps({"total": total, "charged": charged}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--added", default="worksheet,answers,slides-handout", help="the formats whose cost is measured")
    parser.add_argument("--runs", type=int, default=3, help="builds, each in a fresh process")
    parser.add_argument("--tree", default=str(REPO), help="a checkout whose code builds (default: this one)")
    options = parser.parse_args()
    added = set(options.added.split(","))
    ratios = []
    for number in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="aula-output-cost-") as scratch:
            child = [sys.executable, "-c", f"import sys; sys.path.insert(0, {options.tree!r})\n{_CHILD}", options.course, scratch]
            result = json.loads(subprocess.run(child, check=True, capture_output=True, text=True, cwd=scratch).stdout.splitlines()[-1])
        mine = sum(seconds for name, seconds in result["charged"].items() if name in added)
        rest = result["total"] - mine
        ratios.append(result["total"] / rest)
        shares = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(result["charged"].items(), key=lambda item: -item[1]))
        print(f"run {number + 1}: {options.added} {mine:.2f} s of {result['total']:.2f} s CPU: {ratios[-1]:.3f} × ({shares})", flush=True)
    print(f"median: {statistics.median(ratios):.3f} × (runs: {', '.join(f'{ratio:.3f}' for ratio in ratios)})")


if __name__ == "__main__":
    main()
