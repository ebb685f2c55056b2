"""A book PDF put together from documents laid out one by one (pikepdf, over qpdf).

The frame is the book's base: metadata, perhaps a cover, and one page per page
of the book with what depends on page numbers (a handout's running header and
footer and "see page N" lines, a slide's number). Every page of the other parts
(contents, chapters) takes the place of its frame page, its ink, fonts, images
and marked content untouched, and the frame page's ink is drawn over it as a
form XObject. The parts were laid out without links, anchors or bookmarks; they
are made here, across the whole book, from where each part had them. Their tags
are merged into one tree (`structure.py`).

qpdf reads and writes the parts' objects (their structure trees run to
thousands) in C++: pikepdf was chosen over pypdf for that, about thirty times faster here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from generator.errors import AulaError
from generator.render.core.fonts import share_font_programs
from generator.render.core.parts import Part
from generator.render.core.pdf import PageLayout, Rect, describe, inside, saved
from generator.render.core.structure import BookStructure, as_artifact, is_tagged

_FRAME = "/AulaFrame"
_PT = 0.75  # PDF points per CSS pixel


def draw_book(frames: Sequence[Part], parts: Sequence[Part]) -> bytes:
    """Return the pages of `frames` with the pages of `parts`, in order, in place of the last ones, linked across.

    The book's metadata is the first frame's.
    """
    import pikepdf

    book, frame_pdfs = _joined(frames)
    frame_pages = [frame_page for frame in frames for frame_page in frame.pages]
    part_pages = [layout for part in parts for layout in part.pages]
    first = len(book.pages) - len(part_pages)
    if first < 0 or len(frame_pages) != len(book.pages):
        raise AulaError(f"a frame of {len(book.pages)} pages for {len(part_pages)} pages of content")
    # Aula lays out every part and frame tagged (`PdfTarget.pages`, the frames it draws): a part is checked as it is opened.
    structure = None
    if all(is_tagged(pdf) for pdf in frame_pdfs):
        structure = BookStructure(book)
        _adopt_pages(structure, frame_pdfs, [len(frame.pages) for frame in frames], first)  # a cover's
    # Shared by every page: WeasyPrint leaves its page upside down (a `cm` never restored), so
    # the part's content is closed in q … Q before the frame is drawn over it.
    opening, closing = book.make_stream(b"q\n"), book.make_stream(f"Q\nq {_FRAME} Do Q\n".encode())
    hosts = list(book.pages)  # listed once: pikepdf finds a page by its number in time that grows with the book
    number = first
    for part in parts:
        # One part open at a time: qpdf holds an open PDF in some twenty times its size,
        # which for all the parts of a long book came to most of the build's peak memory.
        with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
            pages = list(pdf.pages)
            if len(pages) != len(part.pages):
                raise AulaError(f"a part of {len(pages)} pages laid out as {len(part.pages)}")
            if structure is not None and not is_tagged(pdf):
                raise AulaError("a part laid out without tags in a tagged book")
            for index, page in enumerate(pages):
                _frame_over(book, hosts[number + index], pdf, page, opening, closing)
            if structure is not None:
                structure.adopt(pdf, {index: number + index for index in range(len(pages))}, layer=1)
        number += len(part.pages)
    layouts = [[frame_page] for frame_page in frame_pages]
    for number, layout in enumerate(part_pages, start=first):
        layouts[number].append(layout)
    links = add_navigation(book, layouts)
    if structure is not None:
        for page_number, made in enumerate(links):
            structure.attach_links(page_number, made)
        structure.finish()
    return save_book(book)


def _joined(documents: Sequence[Part]) -> tuple[Any, list]:
    """Open the PDFs of `documents`; return the first, now holding all their pages one after the other, and all of them."""
    import pikepdf

    pdfs = [pikepdf.open(io.BytesIO(document.pdf)) for document in documents]
    for other in pdfs[1:]:
        pdfs[0].pages.extend(other.pages)
    for page in pdfs[0].pages:
        _drop_stand_ins(page)
    return pdfs[0], pdfs


def _drop_stand_ins(page) -> None:
    """Remove a laid-out page's stand-in links (see `PdfTarget.pages`): the book makes the real ones, from the layouts."""
    if "/Annots" in page.obj:
        del page.obj["/Annots"]


def _adopt_pages(structure: BookStructure, pdfs: list, counts: list[int], end: int) -> None:
    """Adopt the tags of the pages `_joined` put into the book (`counts[i]` from `pdfs[i]`), those before page `end`.

    The first PDF is the book itself, holding the others' pages after its own `counts[0]`.
    """
    for page in structure.book.pages[:end]:  # keys into the documents' own parent trees: the book's gives them again
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
    start = 0
    for pdf, count in zip(pdfs, counts, strict=True):
        structure.adopt(pdf, {number: start + number for number in range(count) if start + number < end})
        start += count


def save_book(pdf) -> bytes:
    """Return a book (pikepdf) written out: one copy of each font, XMP metadata, the same bytes for the same book."""
    share_font_programs(pdf)  # one copy of each font, not one per part
    describe(pdf)
    return saved(pdf)


def _frame_over(book, host, pdf, page, opening, closing) -> None:
    """Make the book's page `host` (a frame page) the part's `page` (of `pdf`), with the frame's ink drawn over it.

    The part's page comes in as it is, so its marked content stays on a page and its
    tags point at it by number. The frame's ink (running header, page number, "see
    page N") becomes a form XObject, all of it an artifact, as a page number is.
    """
    import pikepdf

    if [round(float(n), 2) for n in host.mediabox] != [round(float(n), 2) for n in page.mediabox]:
        raise AulaError("a page and its frame page differ in size")
    form = host.as_form_xobject()
    form.write(as_artifact(form.read_bytes()))
    _drop_stand_ins(page)  # before the copy: they would come along
    # The frame's page takes the part page's entries, rather than the part's page its place: replacing a
    # page in the book's page tree takes qpdf time that grows with the book, 20 s for a deck of 7,584 slides.
    # Neither page's key into its own document's parent tree comes along: the book's tree gives one again.
    shown = {key: value for key, value in page.obj.items() if key not in (*_PAGE_PLACE, "/StructParents")}
    copied = book.copy_foreign(pdf.make_indirect(pikepdf.Dictionary(shown)))
    for key in [key for key in host.obj.keys() if key not in _PAGE_PLACE]:
        del host.obj[key]
    for key, value in copied.items():
        host.obj[key] = value
    _add_forms(host, {_FRAME: form})
    contents = host.obj.Contents
    own = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    host.obj.Contents = pikepdf.Array([opening, *own, closing])


# A page's entries that say where it is in its document, not what it shows.
_PAGE_PLACE = ("/Type", "/Parent")


def _add_forms(host, forms: dict) -> None:
    """Give `host` the form XObjects `forms` (name: object) in a resource dictionary of its own."""
    import pikepdf

    # The frame's pages share one resource dictionary: give this page its own.
    resources = pikepdf.Dictionary(dict(host.obj.Resources.items())) if "/Resources" in host.obj else pikepdf.Dictionary()
    xobjects = pikepdf.Dictionary(dict(resources.XObject.items())) if "/XObject" in resources else pikepdf.Dictionary()
    for name, form in forms.items():
        xobjects[name] = form
    resources.XObject = xobjects
    host.obj.Resources = resources


def add_navigation(book, layouts: list[list[PageLayout]]) -> list[list[tuple[Any, tuple[tuple[int, int], ...]]]]:
    """Add the named destinations, links and outline of every page, from where its layouts had them.

    Return each page's link annotations, each with the layout links it stands for, as
    (layer: which of the page's layouts, index in its links): its own, and any drawn inside it.
    """
    import pikepdf

    pages = list(book.pages)
    destinations: dict[str, Any] = {}
    for number, page_layouts in enumerate(layouts):
        for layout in page_layouts:
            for name, (left, top, _, _) in layout.anchors:
                if name not in destinations:
                    destinations[name] = _destination(pages[number], left, top)
    names = pikepdf.Array()
    for name in sorted(destinations):  # a name tree's keys are sorted
        names.append(pikepdf.String(name))
        names.append(book.make_indirect(destinations[name]))
    book.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=names))
    made: list[list[tuple[Any, tuple[tuple[int, int], ...]]]] = []
    for number, page_layouts in enumerate(layouts):
        annotations = [
            (book.make_indirect(_link(pages[number], href, rect, words)), tuple(links))
            for href, rect, words, links in _page_links(page_layouts)
            if not href.startswith("#") or href[1:] in destinations  # WeasyPrint too leaves out links to nowhere
        ]
        if annotations:
            pages[number].obj.Annots = pikepdf.Array(annotation for annotation, _ in annotations)
            pages[number].obj.Tabs = pikepdf.Name.S  # tab through links in the order of the tags
        made.append(annotations)
    _add_outline(book, pages, layouts)
    return made


def _destination(page, x: float, y: float):
    import pikepdf

    left, top = _point(page, x, y)
    return pikepdf.Array([page.obj, pikepdf.Name.XYZ, left, top, 0])


def _link(page, href: str, rect: Rect, words: str = ""):
    """Return a link annotation: to a named destination (`#name`) or a URL, described by the words it shows."""
    import pikepdf

    (left, top), (right, bottom) = _point(page, rect[0], rect[1]), _point(page, rect[2], rect[3])
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([left, bottom, right, top]),
        BS=pikepdf.Dictionary(W=0),
        P=page.obj,
        # Read out by a screen reader with the link (PDF/UA asks every link for a description): its words,
        # which for a "see page N" line are the frame's (the part's are hidden), or else where it leads.
        Contents=pikepdf.String(words or href.removeprefix("mailto:")),
    )
    if href.startswith("#"):
        link.Dest = pikepdf.String(href[1:])
    else:
        link.A = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.URI, URI=pikepdf.String(href))
    return link


def _add_outline(book, pages: list, layouts: list[list[PageLayout]]) -> None:
    """Add the bookmarks of every page as the outline, nested by level."""
    import pikepdf

    with book.open_outline() as outline:
        parents: list[tuple[int, Any]] = []  # (level, outline item), from the top down
        for number, page_layouts in enumerate(layouts):
            for layout in page_layouts:
                for level, label, is_open, x, y in layout.bookmarks:
                    while parents and parents[-1][0] >= level:
                        parents.pop()
                    left, top = _point(pages[number], x, y)
                    item = pikepdf.OutlineItem(label, pikepdf.Array([pages[number].obj, pikepdf.Name.XYZ, left, top, 0]))
                    item.is_closed = not is_open
                    (parents[-1][1].children if parents else outline.root).append(item)
                    parents.append((level, item))


def _point(page, x: float, y: float) -> tuple[float, float]:
    """Return a point of `page` in PDF units, from CSS px from the page's top-left corner."""
    return round(x * _PT, 3), round(float(page.mediabox[3]) - y * _PT, 3)


def _page_links(layouts: list[PageLayout]) -> list[tuple[str, Rect, str, list[tuple[int, int]]]]:
    """Return a page's links with their words, each with the (layer, index) of the layout links it stands for.

    A link drawn inside a link to the same place (a "see page N" line, a link's `::after`) is one.
    """
    kept: list[tuple[str, Rect, str, list[tuple[int, int]]]] = []
    for layer, layout in enumerate(layouts):
        for index, (href, rect, words) in enumerate(layout.links):
            around = next((link for link in kept if link[0] == href and inside(rect, link[1])), None)
            if around is None:
                kept.append((href, rect, words, [(layer, index)]))
            else:
                around[3].append((layer, index))
    return kept
