"""What the site offers for download: the student's files among the build's outputs, with their size and length.

The site is the student's: the teacher's handout (and any answer key) is never
offered, whatever the build made. A file the build did not make this time
(`--format site` alone, `--edition teacher`) is not offered either, so every
link of the home page leads to a file that exists.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from generator.model import Course

# The files offered, by output path (`{slug}`: the course's, `{stem}`: a chapter file's), in the order listed,
# each with the message key of its label and what its length is counted in.
COURSE_FILES = (
    ("{slug}-handout.pdf", "site_download_handout", "page"),
    ("{slug}-worksheet.pdf", "site_download_worksheet", "page"),
    ("{slug}-cheatsheet.pdf", "site_download_cheatsheet", "page"),
    ("{slug}-slides.pdf", "site_download_slides_pdf", "slide"),
    ("{slug}-slides.pptx", "site_download_slides_pptx", "slide"),
    ("{slug}-slides-handout.pdf", "site_download_slides_handout", "page"),
)
CHAPTER_FILES = (
    ("slides/{stem}.pptx", "site_download_chapter_slides", "slide"),
    ("worksheets/{stem}.pdf", "site_download_chapter_worksheet", "page"),
)
KINDS = {".pdf": "PDF", ".pptx": "PowerPoint"}

_SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")


@dataclass(frozen=True, slots=True)
class Offer:
    """A file the site offers: its path in the output folder, its label's message key, its chapter (0: the course)."""

    relative_path: str
    label: str
    unit: str = "page"  # or "slide"
    chapter: int = 0


@dataclass(frozen=True, slots=True)
class Download:
    """An offered file as the home page lists it: the link from the site, and what it is."""

    href: str  # from the site's folder: "../curso-handout.pdf"
    label: str
    kind: str  # "PDF", "PowerPoint"
    size: str  # "1,2 MB"
    length: str  # "42 páginas", "24 diapositivas"
    chapter: int = 0


def offers(course: Course, outputs: Iterable[str]) -> list[Offer]:
    """Return the files the site offers among the build's `outputs`, in the order the home page lists them."""
    made = set(outputs)
    slug = course.info.slug
    found = [Offer(path, label, unit) for pattern, label, unit in COURSE_FILES if (path := pattern.format(slug=slug)) in made]
    for chapter in course.chapters:
        for pattern, label, unit in CHAPTER_FILES:
            path = pattern.format(stem=chapter.stem)
            if path in made:
                found.append(Offer(path, label, unit, chapter.number))
    return found


def describe(offer: Offer, data: bytes, labels: Mapping[str, str]) -> Download:
    """Return how the home page lists an offered file, from its bytes."""
    suffix = "." + offer.relative_path.rpartition(".")[2].lower()
    count = _pages(data) if suffix == ".pdf" else _slides(data)
    unit = f"site_{offer.unit}" + ("" if count == 1 else "s")
    return Download(
        href="../" + quote(offer.relative_path),
        label=labels.get(offer.label, offer.relative_path),
        kind=KINDS.get(suffix, suffix[1:].upper()),
        size=human_size(len(data), labels.get("decimal_separator", ".")),
        length=f"{count} {labels.get(unit, '')}".strip() if count else "",
        chapter=offer.chapter,
    )


def human_size(size: int, decimal_separator: str = ".") -> str:
    """Return a file size as people read it: `840 kB`, `1.2 MB` (powers of 1000, as file managers show them)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", decimal_separator)


def _pages(data: bytes) -> int:
    import pikepdf

    if not data.startswith(b"%PDF-"):
        return 0
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            # The page tree's own count: reading it is O(1), walking the tree is not.
            count = pdf.Root.Pages.get("/Count")
            return int(count) if isinstance(count, int) and count >= 0 else len(pdf.pages)
    except (pikepdf.PdfError, AttributeError, ValueError, TypeError):
        return 0  # listed without a page count


def _slides(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(1 for name in archive.namelist() if _SLIDE.fullmatch(name))
    except zipfile.BadZipFile:
        return 0
