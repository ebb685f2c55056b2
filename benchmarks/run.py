"""Measure `aula build` on this machine and print a Markdown table.

    python benchmarks/run.py [COURSE_DIR] [--scale 1,4,16] [--runs 3] [--peers-only] [--write]

Every figure is the wall time of a whole `aula` process (Python start-up
included) and the peak memory of its process tree (the build and its worker
processes, proportional set sizes summed, sampled every 100 ms from /proc;
every 20 ms, the sampling took a third of a CPU from the build). With
`--write` the table also goes to benchmarks/RESULTS.md with the date, the CPU
and the versions. Nothing here runs in CI: a benchmark is not a test.

The same run times the peer tools on the same course (benchmarks/peers.py:
pandoc to PDF through WeasyPrint, to pptx and through typst; Marp to PDF and
pptx), median of `--runs` each, and the ratios issue 19's goals name; a peer
not installed is a row saying so. `--peers-only` leaves out the slow rows: the
peers, and the Aula builds the ratios need, each a median of `--runs`, run in
rounds with the peers' (Aula's builds, then each peer once, `--runs` times).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import peers

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def _pss_kb(pid: int) -> int:
    """Return a process's proportional set size: its private memory plus its share of shared pages."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _tree_memory_kb(pid: int) -> int:
    """Return the memory of `pid` and its descendants, in kB.

    Summed PSS, not RSS: forked workers share their parent's pages, and summing
    RSS would count those pages once per worker.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss_kb(current)
        stack.extend(children.get(current, []))
    return total


class CommandFailed(Exception):
    """A measured process exited with an error; the message is its output."""


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measure:
    """Run COMMAND in a fresh process; return its wall time and peak tree memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise CommandFailed(output.decode(errors="replace"))
    return Measure(seconds, peak / 1024)


def run(args: list[str], cwd: Path) -> Measure:
    """Run `aula ARGS` in a fresh process; return its wall time and peak tree memory."""
    try:
        return measure([sys.executable, "-m", "generator", *args], cwd)
    except CommandFailed as error:
        raise SystemExit(f"aula {' '.join(args)} failed:\n{error}") from None


def median_of(measures: list[Measure]) -> Measure:
    return Measure(statistics.median(m.seconds for m in measures), statistics.median(m.peak_mb for m in measures))


def bare_weasyprint(course: Path, work: Path) -> Measure:
    """Render the student handout's HTML with bare WeasyPrint in a fresh process: the floor."""
    from generator.build import BuildOptions, load
    from generator.render.handout import HandoutOptions, handout_html, handout_stylesheets

    config, model, theme = load(BuildOptions(course_dir=course))
    html = work / "handout.html"
    html.write_text(handout_html(model, theme, HandoutOptions(paper=config.paper)), encoding="utf-8")
    sheets = [str(path) for path in handout_stylesheets(theme)]
    script = (
        "import sys, weasyprint; "
        f"weasyprint.HTML(filename={str(html)!r}, base_url={str(course.resolve()) + '/'!r})"
        f".write_pdf({str(work / 'bare.pdf')!r}, stylesheets=[weasyprint.CSS(filename=p) for p in {sheets!r}])"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    return Measure(time.perf_counter() - started, 0)


def replicate(course: Path, target: Path, times: int) -> Path:
    """Copy `course` into `target` with every chapter repeated `times` times (titles numbered)."""
    shutil.copytree(course, target)
    if times == 1:
        return target
    chapters = sorted(p for p in target.glob("*.md") if p.name.lower() != "readme.md")
    for copy in range(2, times + 1):
        for chapter in chapters:
            text = chapter.read_text(encoding="utf-8")
            text = text.replace("\n# ", f"\n# ({copy}) ", 1) if not text.startswith("# ") else f"# ({copy}) {text[2:]}"
            (target / f"{chapter.stem}-x{copy:02d}.md").write_text(text, encoding="utf-8")
    return target


def touch_one_chapter(course: Path) -> None:
    """Edit the text of a chapter in the middle of the course, as a teacher would."""
    chapters = sorted(p for p in course.glob("*.md") if p.name.lower() != "readme.md")
    chapter = chapters[len(chapters) // 2]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUna frase más, añadida al revisar.\n", encoding="utf-8")


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    import pptx
    import weasyprint

    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, python-pptx {pptx.__version__}"
    )


def commit() -> str:
    """Return the commit measured (with `+` if the working tree has changes), or `unknown`."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "themes"], cwd=REPO, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


class Table:
    """The rows of the Markdown table, each measured row echoed to stderr as it comes."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def measured(self, name: str, measure: Measure, note: str = "") -> None:
        memory = f"{measure.peak_mb:.0f} MB" if measure.peak_mb else "–"
        self.rows.append((name, f"{measure.seconds:.2f} s", memory + (f"; {note}" if note else "")))
        print(f"{name}: {measure.seconds:.2f} s {memory} {note}", file=sys.stderr)

    def add(self, name: str, value: str, note: str = "") -> None:
        self.rows.append((name, value, note))

    def markdown(self) -> str:
        lines = ["| measure | time | peak memory / note |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in self.rows)]
        return "\n".join(lines) + "\n"


def outputs(folder: Path) -> str:
    """Pages or slides of each PDF and deck an Aula build wrote at the top of `folder`."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".pptx"))
    prefix = os.path.commonprefix([p.name for p in files])
    prefix = prefix[: prefix.rfind("-") + 1]  # the course's slug, said once
    counts = ", ".join(f"{p.name.removeprefix(prefix)} {peers.describe(p).split(',')[0]}" for p in files)
    return f"{prefix}*: {counts}" if prefix else counts


def aula_round(work: Path, index: int, measures: dict[str, list[Measure]]) -> None:
    """One cold full build, one `--format handout` build and one teacher handout, each `--force` into a fresh folder."""
    builds = {
        "cold": [],
        "handout": ["--format", "handout"],
        "teacher": ["--format", "handout", "--edition", "teacher"],
    }
    for name, options in builds.items():
        measures.setdefault(name, []).append(run(["build", "course", "-o", f"out-peers-{name}-{index}", "-q", "--force", *options], work))


@dataclass
class PeerTimes:
    """Each peer's runs (a list of its steps' measures per run), and the peers skipped or failed."""

    listed: list
    tries: dict[str, list[list[Measure]]]
    failed: dict[str, CommandFailed]


def time_peers(source: Path, work: Path, runs: int, before_round: Callable[[int], None] | None = None) -> PeerTimes:
    """Time each peer RUNS times on the concatenated chapters, in rounds: `before_round(n)` first in each.

    Aula's builds run in the rounds too (with --peers-only), so that both meet the machine
    in the same state: its speed here drifts by a third within the hour.
    """
    markdown = peers.prepare(source, work / "peers")
    times = PeerTimes(peers.peers(markdown), {}, {})
    for index in range(runs):
        if before_round is not None:
            before_round(index)
        for peer in times.listed:
            if isinstance(peer, peers.Skipped) or peer.name in times.failed:
                continue
            try:
                times.tries.setdefault(peer.name, []).append([measure(step, markdown.parent, peer.env) for step in peer.steps])
            except CommandFailed as error:
                times.failed[peer.name] = error
    return times


def report_peers(
    times: PeerTimes, runs: int, table: Table, cold: Measure, handout: Measure, aula_runs: int, teacher: Measure | None = None
) -> None:
    """Add each peer's row (median of RUNS), then the ratios the goals of issue 19 name."""
    seconds: dict[str, float] = {}
    for peer in times.listed:
        name = f"peer: {peer.name}"
        if isinstance(peer, peers.Skipped):
            table.add(name, "–", peer.reason)
            print(f"{name}: {peer.reason}", file=sys.stderr)
            continue
        if peer.name in times.failed:
            error = times.failed[peer.name]
            last = [line for line in str(error).splitlines() if line.strip()][-1:] or ["no output"]
            table.add(name, "failed", f"`{last[0].strip()[:120]}`")
            print(f"{name} failed:\n{error}", file=sys.stderr)
            continue
        tries = times.tries[peer.name]
        # A peer made in steps (pandoc, then typst) costs the steps' times added; its memory is the larger peak.
        total = median_of([Measure(sum(m.seconds for m in steps), max(m.peak_mb for m in steps)) for steps in tries])
        notes = [peers.describe(peer.output)]
        notes += [f"{step} alone {statistics.median(t[i].seconds for t in tries):.2f} s" for i, step in enumerate(peer.step_names)]
        notes += [peer.note] if peer.note else []
        table.measured(name, total, "; ".join(notes + [f"median of {runs}"]))
        seconds[peer.name] = total.seconds
    how = f"Aula {'median of ' + str(aula_runs) if aula_runs > 1 else 'one run'}, peers median of {runs}"
    pdf, pptx_ = peers.PANDOC_ROWS[0], peers.PANDOC_ROWS[1]
    if pdf in seconds and pptx_ in seconds:
        ratio = cold.seconds / (seconds[pdf] + seconds[pptx_])
        table.add("Aula cold full build / (pandoc → PDF + pandoc → pptx)", f"{ratio:.2f} ×", f"target ≤ 2.0; {how}")
    else:
        table.add("Aula cold full build / (pandoc → PDF + pandoc → pptx)", "–", "needs both pandoc rows")
    if pdf in seconds:
        ratio = handout.seconds / seconds[pdf]
        note = f"target ≤ 1.3; {how}; Aula writes two editions (student, teacher), pandoc one PDF"
        table.add("Aula `--format handout` / pandoc → PDF with WeasyPrint", f"{ratio:.2f} ×", note)
        if teacher is not None:
            # One document each, with the same text: pandoc's PDF holds every block, the teacher's notes and solutions too.
            note = f"{how}; one edition, the one holding all the text pandoc's PDF holds"
            table.add("Aula teacher handout alone / pandoc → PDF with WeasyPrint", f"{teacher.seconds / seconds[pdf]:.2f} ×", note)
    else:
        table.add("Aula `--format handout` / pandoc → PDF with WeasyPrint", "–", "needs the pandoc → PDF row")


PEERS_SECTION = "## Peers on the same course (issue 19)"


def write_peers_section(text: str) -> None:
    """Put the peers' table in RESULTS.md under its own heading, replacing an earlier one, leaving the rest."""
    path = REPO / "benchmarks" / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Build benchmarks\n"
    start = old.find(PEERS_SECTION)
    if start < 0:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + len(PEERS_SECTION))
    path.write_text(old[:start] + text + ("\n" + old[end + 1 :] if end >= 0 else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "content"))
    parser.add_argument("--scale", default="1,4,16", help="replication factors for the scale rows")
    parser.add_argument("--runs", type=int, default=3, help="runs of each peer (and, with --peers-only, of Aula); the median is shown")
    parser.add_argument(
        "--peers-only",
        action="store_true",
        help="only the peers and the Aula builds their ratios need (cold full build, --format handout, the teacher handout)",
    )
    parser.add_argument("--write", action="store_true", help="also write benchmarks/RESULTS.md (with --peers-only: its peers section)")
    options = parser.parse_args()
    source = Path(options.course).resolve()
    table = Table()
    row, rows = table.measured, table.rows

    with tempfile.TemporaryDirectory(prefix="aula-bench-") as scratch:
        work = Path(scratch)
        course = replicate(source, work / "course", 1)
        if options.peers_only:
            aula: dict[str, list[Measure]] = {}
            times = time_peers(source, work, options.runs, lambda index: aula_round(work, index, aula))
            cold, handout_alone, teacher = (median_of(aula[name]) for name in ("cold", "handout", "teacher"))
            how = f"median of {options.runs}, in rounds with the peers"
            row("Aula cold full build (`--force`, fresh folder)", cold, f"{outputs(work / 'out-peers-cold-0')}; {how}")
            row("Aula `--format handout` alone, cold", handout_alone, f"{outputs(work / 'out-peers-handout-0')}; {how}")
            row("Aula `--format handout --edition teacher`, cold", teacher, how)
            report_peers(times, options.runs, table, cold, handout_alone, options.runs, teacher)
        else:
            cold = run(["build", "course", "-o", "out", "-q"], work)
            row("cold full build (default jobs)", cold)
            noop = run(["build", "course", "-o", "out", "-q"], work)
            row("no-op rebuild", noop, "target < 0.5 s")
            touch_one_chapter(course)
            one = run(["build", "course", "-o", "out", "-q"], work)
            row("rebuild after editing one chapter", one, f"{one.seconds / cold.seconds:.2f} × cold (target ≤ 0.5)")
            serial = run(["build", "course", "-o", "out-j1", "-q", "--jobs", "1"], work)
            row("cold full build, --jobs 1", serial)
            rows.append(("parallel speed-up", f"{cold.seconds / serial.seconds:.2f} × the --jobs 1 time", "target ≤ 0.65"))
            alone = {}
            for name in ("handout", "slides", "cheatsheet", "site"):
                alone[name] = run(["build", "course", "-o", f"out-{name}", "-q", "--format", name], work)
                row(f"`--format {name}` alone, cold", alone[name])
            from generator.formats import FORMATS

            others = ",".join(name for name in FORMATS if name != "site")
            without = run(["build", "course", "-o", "out-no-site", "-q", "--format", others], work)
            row("cold full build without the site", without)
            rows.append(("the site's cost", f"{cold.seconds / without.seconds:.2f} × the build without it", "target ≤ 1.10"))
            handout = run(["build", "course", "-o", "out-student", "-q", "--format", "handout", "--edition", "student"], work)
            row("student handout alone, cold", handout)
            floor = bare_weasyprint(course, work)
            row("floor: the same HTML through bare WeasyPrint", floor)
            rows.append(("pipeline overhead over the floor", f"{handout.seconds / floor.seconds:.2f} ×", "target ≤ 1.15"))
            # The ratios take the single cold and `--format handout` runs above; --peers-only takes medians.
            report_peers(time_peers(source, work, options.runs), options.runs, table, cold, alone["handout"], 1)
            scale_times = {}
            for factor in (int(f) for f in options.scale.split(",") if f):
                scaled = replicate(source, work / f"course-x{factor}", factor)
                build = run(["build", scaled.name, "-o", f"out-x{factor}", "-q"], work)
                scale_times[factor] = build.seconds
                row(f"scale ×{factor}: cold full build", build)
            if len(scale_times) > 1:
                base = min(scale_times)
                for factor, seconds in sorted(scale_times.items()):
                    if factor != base:
                        growth = f"{seconds / scale_times[base]:.1f} ×"
                        rows.append((f"growth ×{factor} / ×{base}", growth, f"target ≤ {factor * 18 / 16:g}"))

    command = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    text = table.markdown()
    print(text)
    if options.write:
        where = source.relative_to(REPO) if source.is_relative_to(REPO) else source
        if options.peers_only:
            header = (
                f"{PEERS_SECTION}\n\nMeasured {date.today().isoformat()} on {machine()}, at commit {commit()}; "
                f"with `{command.strip()}` on `{where}`; peers: {peers.versions()}.\n"
                "Each peer is given the chapters concatenated in file-name order (front matter and Aula's syntax "
                "as written), the images beside them. Times are whole processes; memory is the peak of the "
                "process tree (summed PSS).\n\n"
            )
            write_peers_section(header + text)
            return
        header = (
            f"# Build benchmarks\n\nMeasured {date.today().isoformat()} on {machine()}, at commit {commit()}; "
            f"with `{command.strip()}` on `{where}`; peers: {peers.versions()}.\n"
            "Times are whole processes (start-up included); memory is the peak of the build's process tree "
            "(summed PSS, so pages forked workers share with the build count once).\n\n"
        )
        (REPO / "benchmarks" / "RESULTS.md").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
