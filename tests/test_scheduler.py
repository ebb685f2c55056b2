"""The scheduler: who does what while a build's jobs run in several processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest

from generator import scheduler
from generator.errors import LOGGER
from generator.render.core.parts import Binding, InParts, Part, PartCache, PartSource, Whole
from generator.render.core.pdf import PdfTarget
from generator.reporting import captured
from generator.scheduler import Job, render_jobs


@pytest.fixture
def quick_parts(monkeypatch):
    """Parts "laid out" at once, without WeasyPrint (books bound as they are): the forked workers inherit the stand-in."""
    real = scheduler.lay_out_part

    def lay_out(source):
        return Part(source.html.encode(), ()) if isinstance(source, PartSource) else real(source)

    monkeypatch.setattr(scheduler, "lay_out_part", lay_out)


def source(tmp_path: Path, name: str) -> PartSource:
    return PartSource(f"<p>{name}</p>", name, PdfTarget(stylesheets=(), base_url=tmp_path, allowed=(tmp_path,)))


def touch(marker: Path) -> bytes:
    time.sleep(0.02)
    marker.touch()
    return marker.name.encode()


def test_workers_get_tasks_while_a_book_is_put_together(tmp_path, quick_parts):
    # The book's generator, once sent its part, waits for every small job to end: it would wait in
    # vain if, while it runs, no one handed the workers the tasks they have not been given yet.
    markers = [tmp_path / f"small-{number}" for number in range(40)]

    def book():
        yield [source(tmp_path, "chapter")]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not all(marker.exists() for marker in markers):
            time.sleep(0.01)
        return f"{sum(marker.exists() for marker in markers)} small jobs done".encode()

    jobs = [Job("book.pdf", InParts(book)), *(Job(marker.name, Whole(lambda marker=marker: touch(marker))) for marker in markers)]
    made = render_jobs(jobs, 2)
    assert made["book.pdf"] == b"40 small jobs done"
    assert made["small-7"] == b"small-7"


@pytest.mark.parametrize("workers", [1, 2])
def test_warnings_given_while_a_book_is_put_together_are_reported_by_the_build(tmp_path, quick_parts, workers):
    def book():
        parts = yield [source(tmp_path, "one"), source(tmp_path, "two")]
        LOGGER.warning("W-test the book was sent %d parts", len(parts))
        return b"book"

    with captured(hold=True) as reports:
        made = render_jobs([Job("book.pdf", InParts(book)), Job("other", Whole(lambda: b"other"))], workers)
    assert made == {"book.pdf": b"book", "other": b"other"}
    assert [message for _, message in reports] == ["W-test the book was sent 2 parts"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_part_two_books_ask_for_at_once_is_laid_out_once(tmp_path, monkeypatch, workers):
    laid_out = tmp_path / "laid-out.txt"  # written by whichever process lays a part out

    def count(source):
        with laid_out.open("a") as record:
            record.write(source.identifier + "\n")
        return Part(source.html.encode(), ())

    monkeypatch.setattr(scheduler, "lay_out_part", count)

    def book(name, shared):
        parts = yield [source(tmp_path, name), shared]
        more = yield [source(tmp_path, f"{name}-contents")]
        return b"+".join(part.pdf for part in [*parts, *more])

    shared = source(tmp_path, "solutions")
    jobs = [Job("a.pdf", InParts(lambda: book("a", shared))), Job("b.pdf", InParts(lambda: book("b", shared)))]
    made = render_jobs(jobs, workers)
    assert made["a.pdf"] == b"<p>a</p>+<p>solutions</p>+<p>a-contents</p>"
    assert made["b.pdf"] == b"<p>b</p>+<p>solutions</p>+<p>b-contents</p>"
    assert sorted(laid_out.read_text().split()) == ["a", "a-contents", "b", "b-contents", "solutions"]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_a_book_reaches_the_build_with_what_it_warned_of_before(tmp_path, quick_parts, workers):
    import gc

    def book():
        yield [source(tmp_path, "chapter")]
        LOGGER.warning("W-test the pieces do not fit")
        raise ValueError("the book cannot be put together")

    with captured(hold=True) as reports, pytest.raises(ValueError, match="cannot be put together"):
        render_jobs([Job("book.pdf", InParts(book)), Job("other", Whole(lambda: b"other"))], workers)
    assert [message for _, message in reports] == ["W-test the pieces do not fit"]
    assert gc.get_freeze_count() == 0  # handed back to the collector on the way out too


@pytest.mark.parametrize("workers", [1, 2])
def test_what_exists_before_the_layouts_is_out_of_the_collectors_reach_during_them(workers):
    import gc

    course = {"parsed": ["chapter"]}  # lives through the build, as the parsed course does
    # The collector lists no frozen object.
    seen = Whole(lambda: f"{all(course is not other for other in gc.get_objects())} in {os.getpid()}".encode())
    made = render_jobs([Job(f"seen-{number}", seen) for number in range(8)], workers)
    # Frozen in the workers too: forked from the build's process as it was.
    assert {answer.split()[0] for answer in made.values()} == {b"True"}
    assert len({answer.split()[-1] for answer in made.values()}) == workers
    assert gc.get_freeze_count() == 0  # and handed back to the collector after


def test_stylesheets_loaded_during_a_build_are_frozen_with_it_and_not_outside_one(tmp_path):
    import gc

    from generator.render.core import pdf

    def frozen_after_layout(name: str) -> bool:
        stylesheet = tmp_path / f"{name}.css"  # a stylesheet this process has not loaded yet
        stylesheet.write_text("p { color: #333 }")
        PdfTarget(stylesheets=(stylesheet,), base_url=tmp_path, allowed=(tmp_path,)).pages("<p>Hola</p>", name)
        # A key's first item holds (path, size, time) for each stylesheet: none, for a target without any.
        _, parsed = next(styles for key, styles in pdf._STYLES.items() if stylesheet in (sheet[0] for sheet in key[0]))
        return all(parsed is not other for other in gc.get_objects())  # the collector lists no frozen object

    made = render_jobs([Job("in-build", Whole(lambda: str(frozen_after_layout("in-build")).encode()))], 1)
    assert made["in-build"] == b"True"
    assert gc.get_freeze_count() == 0
    assert not frozen_after_layout("alone")  # outside a build nothing is frozen: nothing would unfreeze it


class Recorder(Executor):
    """Records what it is handed, and runs nothing."""

    def __init__(self):
        self.handed = []

    def submit(self, fn, /, *args, **kwargs):
        self.handed.append(args)
        return Future()


def test_the_book_step_sent_the_fewest_pages_goes_first(tmp_path):
    """Two books' parts are back at once: the one with fewer pages is put together first (it may ask for more)."""
    def book(name):
        yield [source(tmp_path, name)]
        return name.encode()

    jobs = [Job("long.pdf", InParts(lambda: book("long"))), Job("short.pdf", InParts(lambda: book("short")))]
    run = scheduler._Scheduler(jobs, 2, lambda job, data: None)
    for index, job in enumerate(jobs):
        run.assemblies[index] = scheduler._Assembly(job.document.layouts())
        run.asked(index, *scheduler._next_parts(run.assemblies[index].layouts, None))
    pages = {"long": 40, "short": 2}
    for task in list(run.waiting):  # the long book's part comes back first
        run.finished(task, Part(b"", tuple(None for _ in range(pages[task.part.identifier]))))  # type: ignore[misc]
    run.waiting.clear()
    here = Recorder()
    run.hand_out(None, here)
    [(step, layouts, laid_out)] = here.handed
    assert step is scheduler._next_parts and layouts is run.assemblies[1].layouts and len(laid_out[0].pages) == 2


def test_a_jobs_first_parts_are_queued_longest_first_after_the_jobs_before(tmp_path):
    """A long chapter laid out last keeps one process busy while the other waits: the longest (by HTML) go first."""
    def book(names):
        laid_out = yield [source(tmp_path, name) for name in names]
        return b"".join(part.pdf for part in laid_out)

    jobs = [Job("first.pdf", InParts(lambda: book(["a", "c" * 30]))), Job("second.pdf", InParts(lambda: book(["b" * 20, "d" * 50])))]
    run = scheduler._Scheduler(jobs, 2, lambda job, data: None)
    for index, job in enumerate(jobs):
        run.assemblies[index] = scheduler._Assembly(job.document.layouts())
        run.asked(index, *scheduler._next_parts(run.assemblies[index].layouts, None))
    assert [task.part.identifier[0] for task in run.waiting] == ["c", "a", "d", "b"]
    for task in list(run.waiting):  # each part still goes to the slot that asked for it
        run.finished(task, Part(task.part.identifier.encode(), (None,)))  # type: ignore[arg-type]
    assert [[part.pdf[:1] for part in run.assemblies[index].parts] for index in (0, 1)] == [[b"a", b"c"], [b"b", b"d"]]


def test_this_thread_starts_no_whole_job_while_the_first_job_waits_for_a_worker(tmp_path):
    """A long whole job (the course `.pptx`) would keep the first book's next step waiting behind it."""
    def book():
        yield [source(tmp_path, "chapter")]
        return b"book"

    jobs = [Job("handout.pdf", InParts(book)), Job("deck.pptx", Whole(lambda: b"deck"))]
    run = scheduler._Scheduler(jobs, 2, lambda job, data: None)
    run.assemblies[0] = scheduler._Assembly(jobs[0].document.layouts())
    run.asked(0, *scheduler._next_parts(run.assemblies[0].layouts, None))
    pool, here = Recorder(), Recorder()
    run.hand_out(pool, None)  # the chapter, in a worker's hand
    run.waiting.append(scheduler.Task(1))
    run.hand_out(None, here)
    assert not here.handed and run.here is None  # free for the book's next step
    run.in_workers.clear()  # the book waits for no worker (as if its part were shared with a job done)
    run.hand_out(None, here)
    assert [args[-1].job for args in here.handed] == [1]


def _bind(frames, parts) -> bytes:
    """Bind a stand-in book: note the binding in the file its part names, and say which process bound it."""
    with open(parts[0].pdf.decode().removeprefix("<p>").removesuffix("</p>"), "a") as log:
        log.write("bound\n")
    return f"{os.getpid()}".encode()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_book_two_jobs_ask_for_is_bound_once_by_any_process(tmp_path, quick_parts, workers):
    log = tmp_path / "bindings"

    def book():
        parts = yield [source(tmp_path, str(log))]
        return (yield from PartCache(None).book(_bind, [], parts))

    made = render_jobs([Job("a.pdf", InParts(book)), Job("b.pdf", InParts(book))], workers)
    assert made["a.pdf"] == made["b.pdf"]
    assert log.read_text() == "bound\n"


def test_workers_are_forked_before_this_process_runs_a_task(tmp_path):
    """A fork copies every lock as it is: one held by a task running here (a cached_property's) would hang the workers."""
    script = """
import time
from functools import cached_property
from generator.render.core.parts import Whole
from generator.scheduler import Job, render_jobs

class Slow:
    @cached_property
    def value(self):
        time.sleep(0.5)
        return b"made"

slow = Slow()
print(sorted(render_jobs([Job(str(number), Whole(lambda: slow.value)) for number in range(3)], 2).values()))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(Path(scheduler.__file__).parent.parent)})
    assert result.stdout.strip() == "[b'made', b'made', b'made']", result.stderr


def test_a_book_bound_already_is_handed_to_a_job_that_asks_for_it_later(tmp_path):
    """The deck is bound once even when a slide handout asks for it after its binding has ended."""
    binding = Binding(_bind, (), (Part(b"<p>x</p>", ()),))
    jobs = [Job("deck.pdf", InParts(lambda: iter(()))), Job("handout.pdf", InParts(lambda: iter(())))]
    run = scheduler._Scheduler(jobs, 2, lambda job, data: None)
    run.assemblies = {0: scheduler._Assembly(iter(())), 1: scheduler._Assembly(iter(()))}
    run.asked(0, [binding], None)
    [task] = run.waiting
    run.waiting.clear()
    bound = Part(b"deck", ())
    run.finished(task, bound)
    run.asked(1, [binding], None)
    assert not run.waiting  # not bound again
    assert run.assemblies[1].parts == [bound] and [advance.job for advance in run.advancing] == [0, 1]
