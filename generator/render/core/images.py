"""Where a chapter's images are, and which of them the build may read.

The build reads nothing outside the course folder and the theme: an image path
that leaves the course (`../../etc/passwd`, a symlink pointing out) is refused,
and a remote URL is never fetched. An image is also refused, before any
renderer decodes it, when it is not what its name says, when it has more pixels
than `limits.image_pixels` (a small PNG can decode to gigabytes), or when it is
an SVG that declares XML entities (expansion bombs, entities naming other files).
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote_to_bytes, urlsplit
from xml.parsers import expat

from generator.model import Limits

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
DEFAULT_IMAGE_PIXELS = Limits().image_pixels

_CSS_PIXELS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")


@dataclass(frozen=True, slots=True)
class ImageSource:
    """A located image: `path` when it may be read, else why not (`problem`, and `detail` for the last three)."""

    path: Path | None
    problem: str = ""  # "", "remote", "missing", "outside", "unsupported", "unreadable", "too-large", "unsafe"
    detail: str = ""


class ImageRefused(Exception):
    """An image the build will not decode; `problem` is one of `ImageSource`'s."""

    def __init__(self, problem: str, detail: str):
        super().__init__(detail)
        self.problem = problem


def is_inside(path: Path, folders: tuple[Path, ...]) -> bool:
    """Return whether `path`, symlinks resolved, lies inside one of `folders`."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of symlinks
        return False
    return any(real == folder or folder in real.parents for folder in folders)


def locate_image(
    src: str, chapter_path: Path, course_root: Path, max_pixels: int = DEFAULT_IMAGE_PIXELS
) -> ImageSource:
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
    if not os.path.isfile(path):  # unlike Path.is_file, False for a name too long for the file system
        return ImageSource(None, "missing")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return ImageSource(None, "unsupported")
    try:
        check_image(path, max_pixels)
    except ImageRefused as refusal:
        return ImageSource(None, refusal.problem, str(refusal))
    return ImageSource(path.resolve())


@dataclass(frozen=True, slots=True)
class ImageSize:
    """An image's size in pixels (CSS pixels for an SVG)."""

    width: float
    height: float


def image_size(path: Path) -> ImageSize | None:
    """Return the size of the image at `path`, or None when it cannot be read or has no size."""
    stat = path.stat()
    return _image_size(path, (stat.st_size, stat.st_mtime_ns))


@cache
def _image_size(path: Path, stamp: tuple[int, int]) -> ImageSize | None:
    try:
        if path.suffix.lower() == ".svg":
            width, height = _svg_size(_svg_root(path.read_bytes()))
        else:
            from PIL import Image as PILImage

            with PILImage.open(path) as image:
                width, height = image.size
    except Exception:  # noqa: BLE001 — an unreadable image becomes a placeholder, not a failed build
        return None
    return ImageSize(width, height) if width > 0 and height > 0 else None


def _svg_root(data: bytes) -> dict[str, str]:
    """Return the attributes of an SVG's root element, refusing XML entities."""
    root: list[dict[str, str]] = []

    def declare_entity(*_: object) -> None:
        raise ImageRefused("unsafe", "the SVG declares XML entities")

    def start_element(name: str, attributes: dict[str, str]) -> None:
        if not root:
            root.append(attributes)

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = declare_entity
    parser.StartElementHandler = start_element
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ImageRefused("unreadable", f"not valid SVG: {error}") from None
    return root[0] if root else {}


def check_image(path: Path, max_pixels: int) -> None:
    """Raise `ImageRefused` unless the image at `path` is safe to decode: readable, small enough, no XML entities."""
    try:
        if path.suffix.lower() == ".svg":
            check_svg(path.read_bytes(), max_pixels)
        else:
            with path.open("rb") as handle:
                check_raster(handle, max_pixels)
    except OSError as error:
        raise ImageRefused("unreadable", error.strerror or str(error)) from None


def check_raster(source: BinaryIO, max_pixels: int) -> None:
    """Raise `ImageRefused` unless `source` is a raster image of at most `max_pixels`, read without decoding it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we apply our own limit below
            with Image.open(source) as image:
                width, height = image.size
                if width * height <= max_pixels:
                    image.verify()  # structure and checksums, without decoding the pixels
    except Image.DecompressionBombError:
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise ImageRefused("too-large", _too_large(f"more than {limit:,} pixels", max_pixels)) from None
    except UnidentifiedImageError:
        raise ImageRefused("unreadable", "not an image (its format is not recognised)") from None
    except Exception as error:  # noqa: BLE001 — Pillow's plugins raise many kinds on a broken file
        raise ImageRefused("unreadable", f"broken image ({error or type(error).__name__})") from None
    _check_pixels(width, height, max_pixels)


def check_svg(data: bytes, max_pixels: int) -> None:
    """Raise `ImageRefused` unless `data` is an SVG without XML entities, of sane size, embedding no oversized image."""
    if data.startswith(b"\x1f\x8b"):
        raise ImageRefused("unsafe", "compressed SVG (svgz): save it as plain SVG")
    elements: list[tuple[str, dict[str, str]]] = []  # the root element only
    embedded: list[str] = []

    def declare_entity(*_: object) -> None:
        raise ImageRefused("unsafe", "the SVG declares XML entities, which can expand without bound or read other files")

    def start_element(name: str, attributes: dict[str, str]) -> None:
        if not elements:
            elements.append((name, attributes))
        if name.rpartition(":")[2] == "image":
            href = attributes.get("href") or attributes.get("xlink:href") or ""
            if href.strip().lower().startswith("data:"):
                embedded.append(href.strip())

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = declare_entity
    parser.StartElementHandler = start_element
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ImageRefused("unreadable", f"not valid SVG: {error}") from None
    if not elements or elements[0][0].rpartition(":")[2] != "svg":
        raise ImageRefused("unreadable", "not an SVG image (its first element is not <svg>)")
    width, height = _svg_size(elements[0][1])
    _check_pixels(width, height, max_pixels)
    for href in embedded:
        _check_data_uri(href, max_pixels)


def _svg_size(root: dict[str, str]) -> tuple[float, float]:
    """Return the size of an SVG in CSS pixels, from `width`/`height` or else the `viewBox` (0 when unknown).

    The one reading of an SVG's size: the pixel limit, and the shape an image takes on a slide.
    """
    lengths = [_LENGTH.match(root.get(key, "")) for key in ("width", "height")]
    if all(lengths):
        return tuple(float(m[1]) * _CSS_PIXELS[(m[2] or "").lower()] for m in lengths)  # type: ignore[index, return-value]
    box = [float(value) for value in re.findall(r"[-+]?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?", root.get("viewBox", ""))]
    return (abs(box[2]), abs(box[3])) if len(box) == 4 else (0.0, 0.0)


def _check_data_uri(href: str, max_pixels: int) -> None:
    header, _, payload = href.partition(",")
    try:
        data = base64.b64decode(payload, validate=False) if header.lower().endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise ImageRefused("unreadable", "an image embedded in the SVG is not valid base64") from None
    if "svg" in header.lower():
        check_svg(data, max_pixels)
    else:
        check_raster(io.BytesIO(data), max_pixels)


def _check_pixels(width: float, height: float, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise ImageRefused("too-large", _too_large(f"{width:,.0f} × {height:,.0f} pixels", max_pixels))


def _too_large(size: str, max_pixels: int) -> str:
    return f"{size}, over the limit of {max_pixels:,} (set `limits: {{image_pixels: …}}` in course.yml to raise it)"
