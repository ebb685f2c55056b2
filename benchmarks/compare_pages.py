"""Compare two builds page by page, as pictures.

    python benchmarks/compare_pages.py BEFORE_DIR AFTER_DIR [--dpi 100] [PATTERN ...]

Every PDF found in both folders (or those matching the glob PATTERNs, relative
to the folders) is drawn with poppler's `pdftoppm` at the given resolution and
compared pixel by pixel. A file whose page count differs is reported as such;
otherwise each differing page is listed with the share of its pixels that
changed. Exit status 1 when anything differs, so a change meant to leave the
pages alone can be checked with one command. Not a test: it needs poppler and
takes minutes on a whole course.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops


def _pages(pdf: Path, dpi: int, into: Path) -> list[Path]:
    """Draw every page of `pdf` into PNG files and return them in page order."""
    into.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(into / "p")], check=True)
    # pdftoppm pads page numbers to the width of the last one, so names sort by page.
    return sorted(into.glob("p-*.png"))


def _changed_share(before: Path, after: Path) -> float:
    """Return the share of pixels that differ between two page pictures (1.0 if sizes differ)."""
    a, b = Image.open(before).convert("RGB"), Image.open(after).convert("RGB")
    if a.size != b.size:
        return 1.0
    box = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v else 0)
    histogram = box.histogram()
    return histogram[255] / (a.size[0] * a.size[1])


def compare(before: Path, after: Path, dpi: int, work: Path) -> tuple[int, list[str]]:
    """Return the page count and one line per difference between the two PDFs' pages."""
    name = before.name
    old = _pages(before, dpi, work / "before")
    new = _pages(after, dpi, work / "after")
    if len(old) != len(new):
        return len(old), [f"{name}: {len(old)} pages before, {len(new)} after"]
    found = []
    for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        share = _changed_share(a, b)
        if share:
            found.append(f"{name}: page {number} differs ({share:.2%} of its pixels)")
    return len(old), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("patterns", nargs="*", default=["**/*.pdf"])
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args()

    pairs = []
    for pattern in args.patterns:
        for old in sorted(args.before.glob(pattern)):
            if any(part.startswith(".") for part in old.relative_to(args.before).parts):
                continue  # the part cache (.aula-cache) is not an output
            new = args.after / old.relative_to(args.before)
            if new.is_file():
                pairs.append((old, new))
            else:
                print(f"{old.relative_to(args.before)}: missing after")
    if not pairs:
        print("no PDF found in both folders", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(old, new, Path(tmp) / str(i)) for i, (old, new) in enumerate(pairs)]
        with ThreadPoolExecutor() as pool:
            results = list(pool.map(lambda job: compare(job[0], job[1], args.dpi, job[2]), jobs))
    differences = [line for _, lines in results for line in lines]
    for line in differences:
        print(line)
    pages = sum(count for count, _ in results)
    print(f"{len(pairs)} PDFs, {pages} pages at {args.dpi} dpi: " + ("identical" if not differences else f"{len(differences)} differences"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
