"""A cold full build of this working tree against the same build at another commit, alternated, in one run.

    python benchmarks/against.py COMMIT [COURSE_DIR] [--runs 2] [--format LIST] [--edition E] [--edit] [--edits N]

The commit is checked out into a temporary git worktree, and each build runs
`python -m generator` with PYTHONPATH set to one tree or the other, on the same
copy of the course (this tree's `content/` by default), cold (`--force` into a
fresh output folder). The builds alternate, the commit then this tree, so that a
change in the machine's load falls on both. Printed: each build's wall time, CPU
time (the build and its workers) and peak memory, then the ratios of the medians.

`--edit` also times, after each cold build, a rebuild after the one-chapter edit
`run.py` makes (the edit is undone before the next cold build): the "one-chapter
edit against cold" ratio of issue 19, for both trees.

`--edits N` then times N more such edits in each tree, on a course each tree has
built once, alternated ABBA without cold builds between them: a tighter
before/after for the edit alone, with each round's ratio.

Not a test: minutes of building, and a number, not a verdict.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, CommandFailed, Measure, measure, touch_one_chapter  # noqa: E402


def build(tree: Path, course: Path, output: Path, options: argparse.Namespace, force: bool) -> tuple[Measure, float]:
    """Build `course` with the code of `tree`; return the measure and the CPU seconds of the build's processes."""
    args = [sys.executable, "-m", "generator", "build", str(course), "-o", str(output), "-q"]
    args += ["--force"] if force else []
    args += ["--format", options.format] if options.format else []
    args += ["--edition", options.edition] if options.edition else []
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        result = measure(args, tree, env)
    except CommandFailed as error:
        raise SystemExit(f"the build with {tree} failed:\n{error}") from None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def edits(trees: dict[str, Path], source: Path, work: Path, options: argparse.Namespace) -> list[list[float]]:
    """Time `options.edits` one-chapter edits in each tree, alternated ABBA; return the wall times, by tree.

    Each edit's line also says when the student handout was in place, from the
    build's start (its file's time): the file a teacher previews.
    """
    places = {}
    for name, tree in trees.items():
        course, output = work / f"edits-{tree.name}", work / f"edits-out-{tree.name}"
        shutil.copytree(source, course)
        cold, _ = build(tree, course, output, options, force=True)
        print(f"{name}: cold {cold.seconds:.2f} s, before the edits", flush=True)
        places[name] = (tree, course, output)
    times: dict[str, list[float]] = {name: [] for name in trees}
    for number in range(options.edits):
        for name in list(trees) if number % 2 == 0 else reversed(list(trees)):
            tree, course, output = places[name]
            touch_one_chapter(course)
            started = time.time()
            edit, cpu = build(tree, course, output, options, force=False)
            times[name].append(edit.seconds)
            handouts = [path for path in output.glob("*-handout.pdf") if not path.name.endswith("-slides-handout.pdf")]
            ready = f", student handout in place after {handouts[0].stat().st_mtime - started:.2f} s" if handouts else ""
            print(f"{name}: edit {edit.seconds:.2f} s, {cpu:.2f} s CPU{ready} (load {os.getloadavg()[0]:.2f})", flush=True)
    old, new = times.values()
    print("edits, each round:", ", ".join(f"{b / a:.3f}" for a, b in zip(old, new, strict=True)), "×")
    return [old, new]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the commit to compare with (a hash, a tag, HEAD~3 …)")
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--runs", type=int, default=2, help="cold builds of each tree")
    parser.add_argument("--format", default="", help="outputs to build (default: all)")
    parser.add_argument("--edition", default="", help="the handout's edition(s) to build (default: both)")
    parser.add_argument("--edit", action="store_true", help="also time a rebuild after a one-chapter edit")
    parser.add_argument("--edits", type=int, default=0, help="then this many edits in each tree, alternated")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aula-against-") as scratch:
        work = Path(scratch)
        base = work / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), options.commit], cwd=REPO, check=True)
        try:
            trees = {options.commit: base, "this tree": REPO}
            results: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": [], "edit": [], "edits": []} for name in trees}
            for number in range(options.runs):
                for name, tree in trees.items():
                    course = work / f"course-{number}-{len(results[name]['wall'])}-{tree.name}"
                    shutil.copytree(options.course, course)
                    output = work / f"out-{course.name}"
                    cold, cpu = build(tree, course, output, options, force=True)
                    results[name]["wall"].append(cold.seconds)
                    results[name]["cpu"].append(cpu)
                    line = f"{name}: cold {cold.seconds:.2f} s, {cpu:.2f} s CPU, {cold.peak_mb:.0f} MB"
                    if options.edit:
                        touch_one_chapter(course)
                        edit, edit_cpu = build(tree, course, output, options, force=False)
                        results[name]["edit"].append(edit.seconds)
                        line += f"; edit {edit.seconds:.2f} s, {edit_cpu:.2f} s CPU ({edit.seconds / cold.seconds:.2f} × cold)"
                    print(f"{line} (load {os.getloadavg()[0]:.2f})", flush=True)
                    shutil.rmtree(course)
                    shutil.rmtree(output)
            if options.edits:
                results[options.commit]["edits"], results["this tree"]["edits"] = edits(trees, Path(options.course), work, options)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO, check=False)
    old, new = results[options.commit], results["this tree"]
    for kind in ("wall", "cpu", "edit", "edits"):
        if old[kind] and new[kind]:
            a, b = statistics.median(old[kind]), statistics.median(new[kind])
            print(f"{kind}, median: {options.commit} {a:.2f} s, this tree {b:.2f} s: {b / a:.3f} ×")


if __name__ == "__main__":
    main()
