"""Where a build's CPU time goes: each part laid out, each book put together, each deck written.

    python benchmarks/part_times.py [COURSE_DIR] [--output DIR] [-- AULA BUILD OPTIONS …]

Runs one `aula build` in this process with `--jobs 1` (so every part is timed
here) and prints, as a Markdown table, the CPU seconds spent by kind of work:
parts grouped by name with the chapter left out (`handout-student-cN` is the
15 chapters of the student handout), and the steps of putting books together
(`book: draw`, the slide handouts' sheets drawn, and within them `book: fonts`
and `book: save`) and writing .pptx decks. The rest
of the build (parsing, linting, planning the slides, making HTML, writing files)
is the line "everything else".

By default the build is cold (`--force` into a fresh folder). Run it twice on
one output folder, editing a chapter in between, to see what an edit costs:
`--output DIR` keeps the folder, and options after `--` go to `aula build`.
Nothing here runs in CI: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import scheduler  # noqa: E402
from generator.cli import main as aula  # noqa: E402
from generator.render.core import book, parts  # noqa: E402
from generator.render.slides import handout as slide_handout  # noqa: E402
from generator.render.slides import (
    pdf_deck,  # noqa: E402
    pptx_writer,  # noqa: E402
)

SECONDS: collections.Counter[str] = collections.Counter()
COUNTS: collections.Counter[str] = collections.Counter()


def timed(function: Callable, name: Callable[..., str]) -> Callable:
    """Return `function`, adding the CPU time of each call to the kind `name(*args)` returns."""

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            kind = name(*args)
            SECONDS[kind] += time.process_time() - started
            COUNTS[kind] += 1

    return wrapper


def part_kind(source: parts.PartSource | parts.Binding) -> str:
    """Return a part's name with what varies from chapter to chapter (numbers, chapter names) left out; a binding's kind."""
    if isinstance(source, parts.Binding):
        made_by = getattr(source.assemble, "__self__", None)
        if isinstance(made_by, slide_handout.HandoutDrawing):
            return "slide handout: sheets drawn (save included)"
        if isinstance(made_by, pdf_deck.DeckDrawing):
            return "PDF deck: drawn (save included)"
        if isinstance(made_by, pptx_writer.PptxWriting):
            return "pptx decks"
        return "book: draw (save included)"
    return "part: " + re.sub(r"\d\d-[a-z0-9-]+|\d+", "N", source.identifier)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(Path(__file__).resolve().parent.parent / "content"))
    parser.add_argument("--output", help="the output folder (default: a fresh one, and --force)")
    parser.add_argument("build_options", nargs="*", help="after --: options for aula build")
    options = parser.parse_args()

    scheduler.lay_out_part = timed(parts.lay_out_part, part_kind)
    book.share_font_programs = timed(book.share_font_programs, lambda *_: "book: fonts")
    book.save_book = timed(book.save_book, lambda *_: "book: save (fonts included)")
    # Books, slide handouts and both decks are made as tasks (`parts.Binding`): timed with the parts, by kind.

    with tempfile.TemporaryDirectory(prefix="aula-parts-") as scratch:
        output = options.output or str(Path(scratch) / "out")
        args = ["build", options.course, "-o", output, "-q", "--jobs", "1", *([] if options.output else ["--force"])]
        started = time.process_time()
        try:
            aula([*args, *options.build_options], standalone_mode=False)
        except SystemExit:
            pass
        total = time.process_time() - started

    # Every part's name starts with the course's slug: leave it out.
    names = [kind for kind in SECONDS if kind.startswith("part: ")]
    prefix = os.path.commonprefix(names)
    prefix = prefix[: prefix.rfind("-") + 1] if len(names) > 1 else "part: "
    print("| kind | CPU s | count |\n|---|---|---|")
    for kind, seconds in SECONDS.most_common():
        print(f"| {kind.replace(prefix, 'part: ', 1)} | {seconds:.2f} | {COUNTS[kind]} |")
    # Fonts and saving are inside drawing and placing: counted once.
    accounted = sum(seconds for kind, seconds in SECONDS.items() if not kind.startswith(("book: fonts", "book: save")))
    print(f"| everything else | {total - accounted:.2f} | |\n| the whole build | {total:.2f} | |")


if __name__ == "__main__":
    main()
