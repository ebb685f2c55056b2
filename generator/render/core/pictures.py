"""Pictures as PDF XObjects, for pages Aula draws itself (the PDF deck).

An SVG is drawn by CairoSVG into a PDF page, which becomes a form XObject: vectors,
as sharp projected as printed. Other pictures (PNG, JPEG, GIF …) are read with Pillow
and embedded as images; a JPEG as it is.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture to draw: its XObject, and its size (an SVG's in points, an image's in pixels: only its shape counts)."""

    xobject: Any
    width: float
    height: float
    origin: tuple[float, float] | None = None  # a form's lower-left corner, in its units; None: an image (the unit square)


def picture_xobject(book, path: Path) -> Picture | None:
    """Return a picture as an XObject of `book`: SVG as a form, drawn by CairoSVG, others as an image."""
    import pikepdf

    try:
        raw = path.read_bytes()
        if path.suffix.lower() == ".svg":
            import cairosvg

            # Bytes, not a URL, and unsafe=False: the SVG may not pull in any other file.
            with pikepdf.open(io.BytesIO(cairosvg.svg2pdf(bytestring=raw, unsafe=False))) as drawn:
                page = drawn.pages[0]
                form = book.copy_foreign(page.as_form_xobject())
                left, bottom, right, top = (float(n) for n in page.mediabox)
            return Picture(form, right - left, top - bottom, (left, bottom))
        return image_xobject(book, raw)
    except Exception:  # noqa: BLE001 - a picture that cannot be drawn is warned of, and the slide drawn without it
        return None


def image_xobject(book, raw: bytes) -> Picture:
    import pikepdf
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(raw)) as image:
        width, height = image.size
        if image.format == "JPEG" and image.mode in ("RGB", "L"):
            colours = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
            xobject = book.make_stream(raw, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width, Height=height,
                                       ColorSpace=colours, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
            return Picture(xobject, float(width), float(height))
        rgba = image.convert("RGBA")  # a transparent colour as the image sets it
        if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # over 8 bits a pixel: `convert` clips the greys, not scales them
            grey = image.convert("I").point(lambda value: value / 257).convert("L")
            rgba = PILImage.merge("RGBA", (grey, grey, grey, rgba.getchannel("A")))
    rgb, alpha = rgba.convert("RGB").tobytes(), rgba.getchannel("A")
    xobject = book.make_stream(zlib.compress(rgb), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width,
                               Height=height, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
    if alpha.getextrema() != (255, 255):
        xobject.SMask = book.make_stream(zlib.compress(alpha.tobytes()), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                         Width=width, Height=height, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8,
                                         Filter=pikepdf.Name.FlateDecode)
    return Picture(xobject, float(width), float(height))
