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
import heapq
import itertools
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.render.core.parts import Binding, Document, InParts, Layouts, Part, PartSource, Whole, lay_out_part
from generator.reporting import Report, captured, report


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
    part: PartSource | Binding | None = None


def render_jobs(jobs: Sequence[Job], workers: int, made: Callable[[str, bytes], None] | None = None) -> dict[str, bytes]:
    """Return every job's bytes by relative path, in the jobs' order, made in up to `workers` processes.

    `made(relative_path, bytes)` is called as each job ends, in this thread.
    """
    if not jobs:
        return {}
    outputs: dict[str, bytes] = {}

    def done(index: int, data: bytes) -> None:
        outputs[jobs[index].relative_path] = data
        if made:
            made(jobs[index].relative_path, data)

    if not any(isinstance(job.document, InParts) for job in jobs):
        workers = min(workers, len(jobs))  # all workers are forked at the first task: no more than there are
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1  # the jobs reach the workers by fork; without it, this process does everything
    with _collector_for_layout():
        _Scheduler(jobs, workers, done).run()
    return {job.relative_path: outputs[job.relative_path] for job in jobs}


@contextlib.contextmanager
def _collector_for_layout() -> Iterator[None]:
    """Run the block with what exists now out of reach of Python's cycle collector, and back in reach after.

    Laying out creates millions of objects beside the parsed course, the
    templates and the loaded fonts, which live until the end: the collector went
    through all of them at each of its 67 full passes in a full build of the
    bundled course, 11 % of the build's CPU. Frozen (`gc.freeze`), they are never
    looked at again, in this process nor in the workers forked from it; the
    stylesheets and fonts a process loads later are frozen as they are loaded
    (`PdfTarget._styles`). The collector's share is now 6 %, at the same peak
    memory (`benchmarks/gc_time.py`). Collecting less often saved some 10 % more,
    but let the layouts' garbage pile up to twice the memory.
    """
    import gc

    gc.collect()  # garbage would be frozen too
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_IN_HAND = 2


@dataclass
class _Assembly:
    """A job laid out in parts: its generator, and the parts it asked for last (None until laid out)."""

    layouts: Layouts
    parts: list[Part | None] = field(default_factory=list)
    missing: int = 0


@dataclass(frozen=True, slots=True, order=True)
class _Advance:
    """Job `job`'s generator sent the parts it asked for (`laid_out`): it puts them in, and asks for more or ends.

    Ordered by the pages sent, then by when it became due: see `_Scheduler.hand_out`.
    """

    pages: int
    due: int
    job: int = field(compare=False)
    laid_out: list[Part] = field(compare=False)


class _Scheduler:
    """Hands tasks to `workers - 1` forked workers and to a thread of this process, calling `done(job, bytes)` as each job ends.

    This process's thread also drives the jobs' generators. Putting a book
    together from its parts (a second or more, for a handout or the deck), or
    drawing a slide handout, is a task of its own (`Binding`), for whichever
    process is free. With this thread doing the generators' steps, the one that
    hands out tasks never stops to.

    A part asked for by several documents at once (a worksheet chapter, whole and alone)
    is laid out once and handed to each; a book (the deck's, by the deck and its slide
    handouts) is bound once a build.

    Tasks are queued with the parts laid out in parts first, in the order of
    their jobs (the handouts first: their chapters lead to their contents and
    frame), each job's longest first, and the parts a job asks for after its
    first ones go to the front, so the job waits for nothing else; this
    thread, when free, takes the task at the front. The jobs made whole go
    last: independent, they keep every process busy while those chains end.
    """

    def __init__(self, jobs: Sequence[Job], workers: int, done: Callable[[int, bytes], None]):
        self.jobs = jobs
        self.workers = workers
        self.done = done
        self.waiting: collections.deque[Task] = collections.deque()
        self.advancing: list[_Advance] = []  # a heap: the fewest pages first
        self.due = itertools.count()
        self.in_workers: dict[Future, Task] = {}
        self.here: tuple[Future, Task | _Advance] | None = None  # what this process's thread is doing
        self.assemblies: dict[int, _Assembly] = {}
        self.sharing: dict[PartSource | Binding, list[tuple[int, int]]] = {}  # a part being laid out: who else waits for it
        self.bound: dict[Binding, Part] = {}  # the books bound so far: another job asking for one gets it at once

    def run(self) -> None:
        if self.workers <= 1:
            self.work(_InThisThread(), None)
            return
        context = multiprocessing.get_context("fork")
        # The jobs hold closures over the parsed course: a forked worker inherits them, nothing is pickled.
        # The workers are forked at the first task handed to them, before this process starts its thread (`work`).
        with (
            ProcessPoolExecutor(self.workers - 1, context, initializer=_adopt, initargs=(self.jobs,)) as pool,
            ThreadPoolExecutor(1, thread_name_prefix="aula-build") as here,
        ):
            try:
                self.work(here, pool)
            except BaseException:
                # An error, or Ctrl-C: the tasks handed out and not started are dropped, not run; leaving the
                # `with` still waits for those running (a thread cannot be interrupted, nor a worker mid-task).
                for executor in (here, pool):
                    executor.shutdown(wait=False, cancel_futures=True)
                raise

    def work(self, here: Executor, pool: Executor | None) -> None:
        whole = []
        for index, job in enumerate(self.jobs):  # the workers start as soon as there is a task
            if isinstance(job.document, InParts):
                self.assemblies[index] = _Assembly(job.document.layouts())
                self.asked(index, *_next_parts(self.assemblies[index].layouts, None))
            else:
                whole.append(Task(index))
            # Starting a job may take a second (the deck's plans every slide): meanwhile the workers have more in hand.
            self.hand_out(pool, None, in_hand=2 * _IN_HAND)
        self.waiting.extend(whole)
        if pool is not None:
            # The workers are forked now, before this process's thread runs anything: a fork copies every
            # lock as it is, and one a running thread holds (a cached_property's, mid-computation) would
            # stay locked in the worker forever.
            self.hand_out(pool, None)
            if not self.in_workers:
                pool.submit(int).result()
        # The parts laid out meanwhile first: a step they make due goes to this thread before any task.
        self.collect(block=False)
        while self.waiting or self.advancing or self.in_workers or self.here:
            self.hand_out(pool, here)
            self.collect()

    def hand_out(self, pool: Executor | None, here: Executor | None, in_hand: int = 0) -> None:
        if here is not None and self.here is None and (self.advancing or self.waiting):
            # A job's generator before any part: it frees what it was sent, and may queue parts at the front.
            # The one sent the fewest pages first: its step is the shortest (putting a book together takes
            # time by the page), and a short step often asks for more parts (a worksheet's contents, its
            # frame), which a worker lays out while the longer steps go on here.
            if self.advancing:
                advance = heapq.heappop(self.advancing)
                layouts = self.assemblies[advance.job].layouts
                self.here = (here.submit(_held, _next_parts, layouts, advance.laid_out), advance)
            elif not (_stands_alone(self.waiting[0]) and 0 in self.assemblies and self.in_workers):
                # This thread first: a task at the front ends a chain (a contents, a frame, a binding). But not a
                # job's whole work while the first job waits for a worker: its next step, soon due, would wait a
                # second or more behind it (the course `.pptx`, the PDF deck), and the first output (the student
                # handout) is the one a teacher who edits a chapter looks at.
                task = self.waiting.popleft()
                self.here = (here.submit(_held, _run, self.jobs, task), task)
        if pool is not None:
            # Tasks a worker has in hand: the next one is there the moment it ends one. No more: what
            # waits in a worker's hand cannot go to a process that turns idle meanwhile.
            while self.waiting and len(self.in_workers) < (in_hand or _IN_HAND) * (self.workers - 1):
                task = self.waiting.popleft()
                self.in_workers[pool.submit(_in_worker, task)] = task

    def collect(self, block: bool = True) -> None:
        running = [*self.in_workers, *([self.here[0]] if self.here else [])]
        for future in wait(running, timeout=None if block else 0, return_when=FIRST_COMPLETED).done:
            if self.here and future is self.here[0]:
                _, task = self.here
                self.here = None
                _give_back_memory()
            else:
                task = self.in_workers.pop(future)
            try:
                result, reports = future.result()
            except Exception as error:
                report(getattr(error, "held_reports", ()))  # what it warned of before it failed may say why
                raise
            report(reports)  # a whole job's warnings, or a generator's; a part carries its own
            if isinstance(task, _Advance):
                self.asked(task.job, *result)
            else:
                self.finished(task, result)

    def finished(self, task: Task, result: bytes | Part) -> None:
        if task.part is None:
            self.done(task.job, result)  # type: ignore[arg-type]
            return
        if isinstance(task.part, Binding):
            self.bound[task.part] = result  # type: ignore[assignment]
        for job, slot in [(task.job, task.slot), *self.sharing.pop(task.part, [])]:
            self.fill(job, slot, result)  # type: ignore[arg-type]

    def fill(self, job: int, slot: int, part: Part) -> None:
        """Give job `job` the part it asked for at `slot`; the last one makes its generator's next step due."""
        assembly = self.assemblies[job]
        assembly.parts[slot] = part
        assembly.missing -= 1
        if not assembly.missing:
            laid_out: list[Part] = assembly.parts  # type: ignore[assignment]  # every slot filled now
            pages = sum(len(part.pages) for part in laid_out)
            heapq.heappush(self.advancing, _Advance(pages, next(self.due), job, laid_out))

    def asked(self, index: int, sources: list[PartSource | Binding] | None, made: bytes | None) -> None:
        """Queue the parts job `index` asked for (the first ones at the back, later ones at the front); or it ended, `made`."""
        if sources is None:
            del self.assemblies[index]
            self.done(index, made)  # type: ignore[arg-type]
            return
        assembly = self.assemblies[index]
        first = not assembly.parts
        assembly.parts, assembly.missing = [None] * len(sources), len(sources)
        tasks = []
        for slot, source in enumerate(sources):
            if source in self.sharing:  # already asked for by another document: wait for it
                self.sharing[source].append((index, slot))
            elif source in self.bound:  # a book another document has had bound (the deck, for a slide handout)
                self.fill(index, slot, self.bound[source])
            else:
                self.sharing[source] = []
                tasks.append(Task(index, slot, source))
        if first:
            # The longest first (by their HTML, which a part's layout time follows): the last chapters to
            # be laid out are short ones, and no process stands idle long while another ends a long one.
            self.waiting.extend(sorted(tasks, key=_html_size, reverse=True))
        else:
            self.waiting.extendleft(reversed(tasks))


def _html_size(task: Task) -> int:
    """Return the length of a part's HTML, which its layout time follows; 0 for a book to bind."""
    return len(task.part.html) if isinstance(task.part, PartSource) else 0


def _stands_alone(task: Task) -> bool:
    """Whether a task is all of a job's work: a job made whole, or a binding of nothing (a deck made from its plan)."""
    part = task.part
    return part is None or (isinstance(part, Binding) and not part.frames and not part.parts)


class _InThisThread(Executor):
    """Runs what it is handed at once, in the calling thread: a build of one process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - raised again by `result()`, where the scheduler asks
            future.set_exception(error)
        return future


def _next_parts(layouts: Layouts, laid_out: list[Part] | None) -> tuple[list[PartSource | Binding] | None, bytes | None]:
    """Send a job's generator the parts it asked for (None: start it); return the next it asks for, or (None, its bytes)."""
    try:
        sources = next(layouts) if laid_out is None else layouts.send(laid_out)
        while not sources:
            sources = layouts.send([])
    except StopIteration as end:
        return None, end.value
    return sources, None


def _run(jobs: Sequence[Job], task: Task) -> bytes | Part:
    """Run a task in this process: a whole job, or one part laid out (or one book bound)."""
    if task.part is not None:
        return lay_out_part(task.part)
    document = jobs[task.job].document
    if not isinstance(document, Whole):
        raise TypeError(f"job {jobs[task.job].relative_path} is laid out in parts, not made whole")
    return document.make()


def _held(run: Callable[..., Any], *args: Any) -> tuple[Any, list[Report]]:
    """Return what `run(*args)` returns, and the warnings it gave, held to be reported where the build reports."""
    with captured(hold=True) as reports:
        try:
            return run(*args), reports
        except Exception as error:
            error.held_reports = reports  # type: ignore[attr-defined]  # an exception's attributes cross from a worker too
            raise


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
        return _held(_run, _ADOPTED, task)
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
