"""Where a chapter's images are, and which of them the build may read.

The build reads nothing outside the course folder and the theme: an image path
that leaves the course (`../../etc/passwd`, a symlink pointing out) is refused,
and a remote URL is never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@dataclass(frozen=True, slots=True)
class ImageSource:
    """A located image: `path` when it may be read, else why not (`problem`)."""

    path: Path | None
    problem: str = ""  # "", "remote", "missing", "outside", "unsupported"


def is_inside(path: Path, folders: tuple[Path, ...]) -> bool:
    """Return whether `path`, symlinks resolved, lies inside one of `folders`."""
    real = path.resolve()
    return any(real == folder or folder in real.parents for folder in folders)


def locate_image(src: str, chapter_path: Path, course_root: Path) -> ImageSource:
    """Return the file an image reference names, relative to its chapter, if the build may read it."""
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        return ImageSource(None, "remote")
    relative = parts.path
    if not relative:
        return ImageSource(None, "missing")
    path = chapter_path.parent / relative
    if not is_inside(path, (course_root.resolve(),)):
        return ImageSource(None, "outside")
    if not path.is_file():
        return ImageSource(None, "missing")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return ImageSource(None, "unsupported")
    return ImageSource(path.resolve())
