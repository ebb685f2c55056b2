"""One cold full build of the course replicated ×N, measured as benchmarks/run.py measures it.

    python benchmarks/scale_once.py N [COURSE_DIR]

For checking one scale row after a change without the whole run (a ×16 build
takes about 20 minutes on 2 CPUs). Prints the wall time and the peak memory
of the build's process tree.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, replicate, run  # noqa: E402


def main() -> None:
    factor = int(sys.argv[1])
    source = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else REPO / "content"
    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        scaled = replicate(source, work / f"course-x{factor}", factor)
        measure = run(["build", scaled.name, "-o", f"out-x{factor}", "-q"], work)
        print(f"scale ×{factor}: cold full build: {measure.seconds:.2f} s, {measure.peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
