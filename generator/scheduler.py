"""Making the build's outputs in parallel: jobs, the tasks they split into, and the processes that run them.

A job is one output file, made whole (`Whole`: one task) or laid out in parts
(`InParts`: a generator, driven here, that asks for parts; each part is one
task). The build's own process and `workers - 1` forked workers take tasks
from one queue, so the chapters of every handout and deck spread over all
processes, and a one-chapter edit lays out only that chapter's parts.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from generator.render.core.parts import Document, InParts, Layouts, Part, PartSource, Whole, lay_out_part
from generator.reporting import Report, captured, report

# (relative path of the output just made, outputs made so far, outputs to make)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Job:
    """One output file: where it goes, how it is made, and what it depends on.

    `inputs` are the files the output is made from; `key` is anything else it
    depends on (options, data extracted from the course). Together with the
    theme, `course.yml` and Aula's version they decide whether the cached
    output is still good.
    """

    relative_path: str
    document: Document
    inputs: tuple[Path, ...] = ()
    key: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """One piece of work for a process: job `job` made whole, or (`part`) one part it asked for, at `slot`."""

    job: int
    slot: int = 0
    part: PartSource | None = None


def render_jobs(jobs: Sequence[Job], workers: int, progress: Progress | None = None) -> dict[str, bytes]:
    """Return every job's bytes by relative path, in the jobs' order, made in up to `workers` processes."""
    if not jobs:
        return {}
    made: dict[str, bytes] = {}

    def done(index: int, data: bytes) -> None:
        made[jobs[index].relative_path] = data
        if progress:
            progress(jobs[index].relative_path, len(made), len(jobs))

    if progress:
        progress("", 0, len(jobs))
    if not any(isinstance(job.document, InParts) for job in jobs):
        workers = min(workers, len(jobs))  # all workers are forked at the first task: no more than there are
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1  # the jobs reach the workers by fork; without it, this process does everything
    _Scheduler(jobs, workers, done).run()
    return {job.relative_path: made[job.relative_path] for job in jobs}


_IN_HAND = 4


@dataclass
class _Assembly:
    """A job laid out in parts: its generator, and the parts it asked for last (None until laid out)."""

    layouts: Layouts
    parts: list[Part | None] = field(default_factory=list)
    missing: int = 0


class _Scheduler:
    """Runs tasks in this process and `workers - 1` forked workers, calling `done(job, bytes)` as each job ends.

    A part asked for by several documents at once (a worksheet chapter, whole and alone)
    is laid out once and handed to each.

    Tasks are queued in the order of the jobs (the handouts first: their
    chapters lead to their contents and frame, one after the other), and the
    parts a job asks for after its first ones go to the front, so the job waits
    for nothing else. The small independent tasks at the back keep every
    process busy while those chains end. This process takes tasks too, between
    handing them out and putting documents together: one worker fewer saves its
    memory (about 100 MB) and no time.
    """

    def __init__(self, jobs: Sequence[Job], workers: int, done: Callable[[int, bytes], None]):
        self.jobs = jobs
        self.workers = workers
        self.done = done
        self.waiting: collections.deque[Task] = collections.deque()
        self.running: dict[Future, Task] = {}
        self.assemblies: dict[int, _Assembly] = {}
        self.sharing: dict[PartSource, list[tuple[int, int]]] = {}  # a part being laid out: who else waits for it

    def run(self) -> None:
        if self.workers <= 1:
            self.work(None)
            return
        context = multiprocessing.get_context("fork")
        # The jobs hold closures over the parsed course: a forked worker inherits them, nothing is pickled.
        with ProcessPoolExecutor(self.workers - 1, context, initializer=_adopt, initargs=(self.jobs,)) as pool:
            self.work(pool)

    def work(self, pool: ProcessPoolExecutor | None) -> None:
        for index, job in enumerate(self.jobs):  # the workers start as soon as there is a task
            if isinstance(job.document, InParts):
                self.assemblies[index] = _Assembly(job.document.layouts())
                self.advance(index)
            else:
                self.waiting.append(Task(index))
            self.submit(pool)
        while self.waiting or self.running:
            if self.waiting:
                task = self.waiting.popleft()
                self.finished(task, _run(self.jobs, task))
                _give_back_memory()
            self.collect(block=not self.waiting)
            self.submit(pool)

    def submit(self, pool: ProcessPoolExecutor | None) -> None:
        if pool is None:
            return
        # Tasks a worker has in hand: enough to keep it busy while this process puts a book together
        # or writes a deck (seconds); with two, a worker of a 2-CPU build stood idle 12 s of 62.
        while self.waiting and len(self.running) < _IN_HAND * (self.workers - 1):
            task = self.waiting.popleft()
            self.running[pool.submit(_in_worker, task)] = task

    def collect(self, block: bool) -> None:
        for future in wait(self.running, timeout=None if block else 0, return_when=FIRST_COMPLETED).done:
            task = self.running.pop(future)
            result, reports = future.result()
            report(reports)  # a whole job's warnings; a part carries its own
            self.finished(task, result)

    def finished(self, task: Task, result: bytes | Part) -> None:
        if task.part is None:
            self.done(task.job, result)  # type: ignore[arg-type]
            return
        for job, slot in [(task.job, task.slot), *self.sharing.pop(task.part, [])]:
            assembly = self.assemblies[job]
            assembly.parts[slot] = result  # type: ignore[assignment]
            assembly.missing -= 1
            if not assembly.missing:
                self.advance(job, assembly.parts)  # type: ignore[arg-type]

    def advance(self, index: int, laid_out: list[Part] | None = None) -> None:
        """Send job `index` its parts and queue those it asks for next; or, when it asks for none, it is done."""
        assembly = self.assemblies[index]
        try:
            sources = next(assembly.layouts) if laid_out is None else assembly.layouts.send(laid_out)
            while not sources:
                sources = assembly.layouts.send([])
        except StopIteration as end:
            del self.assemblies[index]
            self.done(index, end.value)
            return
        assembly.parts, assembly.missing = [None] * len(sources), len(sources)
        tasks = []
        for slot, source in enumerate(sources):
            if source in self.sharing:  # already asked for by another document: wait for it
                self.sharing[source].append((index, slot))
            else:
                self.sharing[source] = []
                tasks.append(Task(index, slot, source))
        if laid_out is None:
            self.waiting.extend(tasks)
        else:
            self.waiting.extendleft(reversed(tasks))


def _run(jobs: Sequence[Job], task: Task) -> bytes | Part:
    """Run a task in this process: a whole job, or one part laid out."""
    if task.part is not None:
        return lay_out_part(task.part)
    document = jobs[task.job].document
    if not isinstance(document, Whole):
        raise TypeError(f"job {jobs[task.job].relative_path} is laid out in parts, not made whole")
    return document.make()


# --- in the workers -------------------------------------------------------------------------

# The jobs, as the build's process had them when it forked this worker (`_adopt`).
_ADOPTED: Sequence[Job] = ()


def _adopt(jobs: Sequence[Job]) -> None:
    global _ADOPTED
    _ADOPTED = jobs


def _in_worker(task: Task) -> tuple[bytes | Part, list[Report]]:
    """Run a task in a worker; hand the warnings of a whole job back to the build's process to report.

    A part keeps its warnings itself (`Part.warnings`), to be reported with it from the cache too.
    """
    try:
        if task.part is not None:
            return lay_out_part(task.part), []
        with captured(hold=True) as reports:
            result = _run(_ADOPTED, task)
        return result, reports
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory a finished task freed back to the system, which glibc would keep for later.

    A worker may wait idle until the build ends, holding the peak of its
    largest task; on the bundled course this lowers the build's peak by about 40 MB.
    """
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
