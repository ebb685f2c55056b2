"""A book PDF put together from documents laid out one by one (pypdf).

The frame is the book's base: metadata, perhaps a cover, and one page per page
of the book with what depends on page numbers (a handout's running header and
footer and "see page N" lines, a slide's number). Every page of the other parts (contents, chapters) is drawn under
its frame page as a form XObject, so its ink, fonts and images come along
untouched. The parts were laid out without links, anchors or bookmarks; they
are made here, across the whole book, from where each part had them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from generator.errors import AulaError
from generator.render.core.parts import Part
from generator.render.core.pdf import PageLayout, Rect
from generator.render.core.structure import BookStructure, as_artifact, is_tagged

_FORM = "/AulaPart"
_PT = 0.75  # PDF points per CSS pixel


def draw_book(frames: Sequence[Part], parts: Sequence[Part]) -> bytes:
    """Return the pages of `frames` with the pages of `parts`, in order, drawn under the last ones, linked across.

    The book's metadata is the first frame's.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject

    frame_readers = [PdfReader(io.BytesIO(frame.pdf)) for frame in frames]
    part_readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    writer = PdfWriter(clone_from=frame_readers[0], keep_initial_header=True)
    for reader in frame_readers[1:]:
        for page in reader.pages:
            writer.add_page(page)
    pages = [(page, layout) for reader, part in zip(part_readers, parts, strict=True)
             for page, layout in zip(reader.pages, part.pages, strict=True)]
    frame_pages = [frame_page for frame in frames for frame_page in frame.pages]
    first = len(writer.pages) - len(pages)
    if first < 0 or len(frame_pages) != len(writer.pages):
        raise AulaError(f"a frame of {len(writer.pages)} pages for {len(pages)} pages of content")
    stream = DecodedStreamObject()
    stream.set_data(f"q {_FORM} Do Q\n".encode())
    draw = writer._add_object(stream)
    forms = [_draw_under(writer, host, page, draw) for host, (page, _) in zip(writer.pages[first:], pages, strict=True)]
    layouts = [[frame_page] for frame_page in frame_pages]
    for number, (_, layout) in enumerate(pages, start=first):
        layouts[number].append(layout)
    links = _add_navigation(writer, list(writer.pages), layouts)
    if all(is_tagged(reader) for reader in (*frame_readers, *part_readers)):
        _tag_book(writer, frame_readers, part_readers, first, forms, links)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _draw_under(writer, host, page, draw):
    """Draw `page` (of another PDF) on `host` (of `writer`), under the host's own content, with `draw`; return its form."""
    from pypdf.generic import ArrayObject, NameObject

    if [round(float(n), 2) for n in host.mediabox] != [round(float(n), 2) for n in page.mediabox]:
        raise AulaError("a page and its frame page differ in size")
    form = _page_as_form(writer, page)
    _add_forms(host, {_FORM: form})
    own = host.raw_get("/Contents")
    own = list(own.get_object()) if isinstance(own.get_object(), ArrayObject) else [own]
    host[NameObject("/Contents")] = ArrayObject([draw, *own])
    return form


def _page_as_form(writer, page):
    """Return a page of another PDF as a form XObject of `writer`: its ink, fonts and images, untouched."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    contents = page["/Contents"].get_object()
    if isinstance(contents, ArrayObject):
        joined = DecodedStreamObject()
        joined.set_data(b"\n".join(stream.get_object().get_data() for stream in contents))
        form = joined.flate_encode()
    else:  # WeasyPrint's one compressed stream, taken as it is
        form = contents.clone(writer)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
    return getattr(form, "indirect_reference", None) or writer._add_object(form)


def _add_forms(host, forms: dict) -> None:
    """Give `host` the form XObjects `forms` (name: reference) in a resource dictionary of its own."""
    from pypdf.generic import DictionaryObject, NameObject

    # The frame's pages share one resource dictionary: give this page its own.
    resources = DictionaryObject(host["/Resources"].get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    for name, form in forms.items():
        xobjects[NameObject(name)] = form
    resources[NameObject("/XObject")] = xobjects
    host[NameObject("/Resources")] = resources


# A box on a page, in PDF points from the bottom-left corner: (left, bottom, width, height).
Box = tuple[float, float, float, float]


def place_pages(base: Part, source: bytes, placements: Sequence[Sequence[tuple[int, Box]]]) -> bytes:
    """Return `base`'s pages with pages of `source` drawn on them, each scaled into its box, framed by a thin rule.

    `placements[i]` lists, for page i of `base`, which page of `source` goes into which box.
    Nothing is laid out again: each source page becomes a form XObject, drawn once or more.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base.pdf)), keep_initial_header=True)
    pages = PdfReader(io.BytesIO(source)).pages
    if len(placements) != len(writer.pages):
        raise AulaError(f"{len(placements)} pages of placements for a base of {len(writer.pages)} pages")
    forms: dict[int, object] = {}
    for host, placed in zip(writer.pages, placements, strict=True):
        names, drawing = {}, []
        for index, (left, bottom, width, height) in placed:
            if index not in forms:
                forms[index] = _page_as_form(writer, pages[index])
            box = pages[index].mediabox
            name = f"/AulaSlide{index}"
            names[name] = forms[index]
            scale_x, scale_y = width / float(box.width), height / float(box.height)
            drawing.append(f"q {scale_x:.5f} 0 0 {scale_y:.5f} {left:.3f} {bottom:.3f} cm {name} Do Q")
            drawing.append(f"q 0.45 G 0.5 w {left:.3f} {bottom:.3f} {width:.3f} {height:.3f} re S Q")
        _add_forms(host, names)
        # WeasyPrint leaves its page upside down (a `cm` never restored): draw after a `Q` that ends it.
        opening, closing = DecodedStreamObject(), DecodedStreamObject()
        opening.set_data(b"q\n")
        closing.set_data(b"Q\n" + "\n".join(drawing).encode() + b"\n")
        own = host.raw_get("/Contents")
        own = list(own.get_object()) if isinstance(own.get_object(), ArrayObject) else [own]
        host[NameObject("/Contents")] = ArrayObject([writer._add_object(opening), *own, writer._add_object(closing)])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _add_navigation(writer, pages: list, layouts: list[list[PageLayout]]) -> list[list[tuple[object, str, bool]]]:
    """Add the named destinations, links and outline of every page, from where its layouts had them.

    Return each page's link annotations as (reference, href, whether a part made it rather than the frame).
    """
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    destinations: dict[str, ArrayObject] = {}
    for number, page_layouts in enumerate(layouts):
        for layout in page_layouts:
            for name, (left, top, _, _) in layout.anchors:
                if name not in destinations:
                    destinations[name] = _destination(pages[number], left, top)
    names = ArrayObject()
    for name in sorted(destinations):  # a name tree's keys are sorted
        names += [TextStringObject(name), writer._add_object(destinations[name])]
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): DictionaryObject({NameObject("/Names"): names})}
    )
    made: list[list[tuple[object, str, bool]]] = []
    for number, page_layouts in enumerate(layouts):
        frame_links = set(page_layouts[0].links) if len(page_layouts) > 1 else set()
        annotations = [
            (writer._add_object(_link(pages[number], href, rect)), href, (href, rect) not in frame_links)
            for href, rect in _page_links(page_layouts)
            if not href.startswith("#") or href[1:] in destinations  # WeasyPrint too leaves out links to nowhere
        ]
        if annotations:
            pages[number][NameObject("/Annots")] = ArrayObject(reference for reference, _, _ in annotations)
            pages[number][NameObject("/Tabs")] = NameObject("/S")  # tab through links in the order of the tags
        made.append(annotations)
    _add_outline(writer, pages, layouts)
    return made


def _tag_book(writer, frame_readers, part_readers, first: int, forms: list, links: list) -> None:
    """Give the book one structure tree: the frame's own pages' tags, then each part's, content reached through its forms."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    structure = BookStructure(writer)
    hosts = [page.indirect_reference for page in writer.pages]
    start = 0
    for reader in frame_readers:
        own = {number: (hosts[start + number], None) for number in range(len(reader.pages)) if start + number < first}
        structure.adopt(reader, own, {number: start + number for number in own})
        start += len(reader.pages)
    number = first
    for reader in part_readers:
        count = len(reader.pages)
        places = {i: (hosts[number + i], forms[number - first + i]) for i in range(count)}
        structure.adopt(reader, places, {i: number + i for i in range(count)})
        number += count
    for page in writer.pages[first:]:  # the frame's ink over a part: running header, page number, "see page N"
        own = page["/Contents"]
        streams = list(own)[1:] if isinstance(own, ArrayObject) else []
        if streams:
            artifact = DecodedStreamObject()
            artifact.set_data(as_artifact(b"\n".join(stream.get_object().get_data() for stream in streams)))
            page[NameObject("/Contents")] = ArrayObject([own[0], writer._add_object(artifact.flate_encode())])
    for number, made in enumerate(links):
        structure.attach_links(number, made)
    structure.finish(None)


def _destination(page, x: float, y: float):
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject

    left, top = _point(page, x, y)
    return ArrayObject([page.indirect_reference, NameObject("/XYZ"), FloatObject(left), FloatObject(top), NumberObject(0)])


def _link(page, href: str, rect: Rect):
    """Return a link annotation: to a named destination (`#name`) or a URL."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

    (left, top), (right, bottom) = _point(page, rect[0], rect[1]), _point(page, rect[2], rect[3])
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (left, bottom, right, top)),
            NameObject("/BS"): DictionaryObject({NameObject("/W"): NumberObject(0)}),
            NameObject("/P"): page.indirect_reference,
            # Read out by a screen reader with the link (PDF/UA asks every link for one).
            NameObject("/Contents"): TextStringObject(href.removeprefix("mailto:") if not href.startswith("#") else href),
        }
    )
    if href.startswith("#"):
        link[NameObject("/Dest")] = TextStringObject(href[1:])
    else:
        action = {"/Type": NameObject("/Action"), "/S": NameObject("/URI"), "/URI": TextStringObject(href)}
        link[NameObject("/A")] = DictionaryObject({NameObject(key): value for key, value in action.items()})
    return link


def _add_outline(writer, pages: list, layouts: list[list[PageLayout]]) -> None:
    """Add the bookmarks of every page as the outline, nested by level."""
    from pypdf.generic import Fit

    parents: list[tuple[int, object]] = []  # (level, outline item), from the top down
    for number, page_layouts in enumerate(layouts):
        for layout in page_layouts:
            for level, label, is_open, x, y in layout.bookmarks:
                while parents and parents[-1][0] >= level:
                    parents.pop()
                item = writer.add_outline_item(
                    title=label,
                    page_number=pages[number],
                    parent=parents[-1][1] if parents else None,
                    fit=Fit.xyz(*_point(pages[number], x, y), 0),
                    is_open=is_open,
                )
                parents.append((level, item))


def _point(page, x: float, y: float) -> tuple[float, float]:
    """Return a point of `page` in PDF units, from CSS px from the page's top-left corner."""
    return round(x * _PT, 3), round(float(page.mediabox.height) - y * _PT, 3)


def _page_links(layouts: list[PageLayout]) -> Iterator[tuple[str, Rect]]:
    """Return a page's links; a link drawn under a link to the same place (a "see page N" line) is one."""
    seen: list[tuple[str, Rect]] = []
    for layout in layouts:
        for href, rect in layout.links:
            if any(href == other and _inside(rect, around) for other, around in seen):
                continue
            seen.append((href, rect))
            yield href, rect


def _inside(rect: Rect, outer: Rect, slack: float = 1.0) -> bool:
    return (
        outer[0] - slack <= rect[0] and outer[1] - slack <= rect[1] and rect[2] <= outer[2] + slack and rect[3] <= outer[3] + slack
    )
