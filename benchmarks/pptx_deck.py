"""What writing the course's .pptx costs as the course grows: CPU time and memory of that one job.

    python benchmarks/pptx_deck.py [--scales 1,4,16] [--tree PATH] [COURSE_DIR]

For each scale, the course is replicated ×N (as benchmarks/run.py does) and a fresh
Python process parses it, plans the slides, then writes the course deck, timing only
the writing (CPU seconds) and reporting how much that step raised the process's
peak memory (max RSS). `--tree` runs the code of another checkout (a `git worktree`
of an older commit) on the same course, for a before/after in one run.
Nothing here runs in CI: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, replicate  # noqa: E402

# Run in the child, with the tree under test first on sys.path.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from generator.build import BuildOptions, load_settings
from generator.parse import parse_course
from generator.render.slides import SlideDecks
config, theme = load_settings(BuildOptions(course_dir=Path(sys.argv[1])))
decks = SlideDecks(parse_course(config), theme)
slides = len(decks.planner.deck().slides)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
data = decks.course_pptx().make()
seconds = time.process_time() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"slides": slides, "seconds": seconds, "grew_mb": (after - before) / 1024, "bytes": len(data)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--scales", default="1,4,16", help="comma-separated replication factors")
    parser.add_argument("--tree", default=str(REPO), help="the checkout whose code writes the deck")
    options = parser.parse_args()
    source = Path(options.course).resolve()
    tree = Path(options.tree).resolve()
    print(f"code: {tree}\n\n| scale | slides | writing, CPU s | per slide, ms | peak memory added, MB | file |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="aula-pptx-") as scratch:
        for factor in (int(part) for part in options.scales.split(",")):
            course = replicate(source, Path(scratch) / f"course-x{factor}", factor)
            child = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r})\n{_CHILD}", str(course)]
            result = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
            print(
                f"| ×{factor} | {result['slides']} | {result['seconds']:.2f} | {1000 * result['seconds'] / result['slides']:.1f} "
                f"| {result['grew_mb']:.0f} | {result['bytes'] / 1e6:.1f} MB |"
            )


if __name__ == "__main__":
    main()
