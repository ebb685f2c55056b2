"""What the slide handouts cost on top of the PDF deck they place: CPU time per edition.

    python benchmarks/slides_handout.py [--tree PATH] [--runs N] [COURSE_DIR]

A fresh Python process parses the course and makes the PDF deck with an empty part
cache (cold), then again (its parts now cached: only the deck is put together), then
each edition of the slide handout with the same cache: the deck's parts come from
the cache, and the handout's own work (its sheets, the slides placed on them) is cold.
A handout's own cost is its time less the warm deck's. `--tree` runs the code of
another checkout (a `git worktree` of an older commit) on the same course, for a
before/after in one run. Nothing here runs in CI: a benchmark is not a test.
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

# Run in the child, with the tree under test first on sys.path.
_CHILD = """
import json, sys, time
from pathlib import Path
from generator.build import BuildOptions, load_settings
from generator.parse import parse_course
from generator.render.slides import SlideDecks
config, theme = load_settings(BuildOptions(course_dir=Path(sys.argv[1])))
decks = SlideDecks(parse_course(config), theme, "", Path(sys.argv[2]) / "slides")
def timed(make):
    started = time.process_time()
    make()
    return time.process_time() - started
result = {"deck cold": timed(lambda: decks.course_pdf().make()), "deck warm": timed(lambda: decks.course_pdf().make())}
for edition in ("student", "teacher"):
    result[edition] = timed(lambda: decks.handout(edition, "a4", 3).make())
print(json.dumps(result))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--tree", action="append", help="a checkout whose code makes the handouts (repeatable; default this one)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per tree, alternated")
    options = parser.parse_args()
    course = Path(options.course).resolve()
    trees = [Path(tree).resolve() for tree in options.tree or [str(REPO)]]
    times: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(options.runs):
        for tree in trees:
            with tempfile.TemporaryDirectory(prefix="aula-slides-handout-") as cache:
                child = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r})\n{_CHILD}", str(course), cache]
                output = subprocess.run(child, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
                times[tree].append(json.loads(output))
    print("| code | deck cold | deck warm | student handout | its own | teacher handout | its own |\n|---|---|---|---|---|---|---|")
    for tree, runs in times.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"| {tree} | {median['deck cold']:.2f} | {median['deck warm']:.2f} | {median['student']:.2f} "
            f"| {median['student'] - median['deck warm']:.2f} | {median['teacher']:.2f} | {median['teacher'] - median['deck warm']:.2f} |"
        )
    print(f"\nCPU seconds, medians of {options.runs} fresh processes per tree, alternated.")


if __name__ == "__main__":
    main()
