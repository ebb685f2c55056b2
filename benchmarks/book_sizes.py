"""The sizes of the books a build put together from parts, against the same documents laid out whole.

    python benchmarks/book_sizes.py OUTPUT_DIR [COURSE_DIR]

OUTPUT_DIR is a build of COURSE_DIR (this tree's `content/` by default). The PDF
deck and both editions of the handout are laid out here again as one document each
(`render_slides_pdf`, `render_handout_as_one_document`: one font subset per book, the
tags as WeasyPrint writes them), and each book's size is printed beside its whole
twin's, with the ratio (issue 19's goal: at most 1.15 ×). Takes about a minute.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import BuildOptions, load  # noqa: E402
from generator.render.handout import HandoutOptions, render_handout_as_one_document  # noqa: E402
from generator.render.slides import SlideDecks  # noqa: E402
from generator.render.slides.pdf_deck import render_slides_pdf  # noqa: E402


def main() -> None:
    output = Path(sys.argv[1])
    course_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "content"
    config, course, theme = load(BuildOptions(course_dir=course_dir))
    slug, created = course.info.slug, "2026-12-06"
    decks = SlideDecks(course, theme, created=created)
    whole = {
        f"{slug}-slides.pdf": lambda: render_slides_pdf(decks.planner.deck(), course, theme, created),
        f"{slug}-handout.pdf": lambda: render_handout_as_one_document(
            course, theme, HandoutOptions(edition="student", paper=config.paper, created=created)),
        f"{slug}-handout-teacher.pdf": lambda: render_handout_as_one_document(
            course, theme, HandoutOptions(edition="teacher", paper=config.paper, created=created)),
    }
    print("| book | from parts | laid out whole | ratio |")
    print("|---|---|---|---|")
    for name, lay_out in whole.items():
        built, alone = (output / name).stat().st_size, len(lay_out())
        print(f"| {name} | {built / 1e6:.3f} MB | {alone / 1e6:.3f} MB | {built / alone:.2f} × |")


if __name__ == "__main__":
    main()
