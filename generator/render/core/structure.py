"""The tags of a book put together from parts: one structure tree, as if it had been laid out whole.

Each part is laid out tagged (WeasyPrint's `pdf_tags`): its structure tree reaches
the marked content of its pages by number (MCID). In the book, a part's page is a
form XObject drawn on a page of the frame (`book.py`), so its marked content is
reached through that form: each number becomes a marked-content reference naming
the page it shows on and the form (`/Stm`), and the form gets a `/StructParents`
key into the book's parent tree. The frame's own ink on those pages (running
header, page number, "see page N") becomes an artifact, as a page number is; the
frame's pages that show nothing else (a cover) keep their tags. Links made across
the book are attached to the `Link` elements the parts' trees already hold.

The result is checked by `tests/test_accessibility.py`; see docs/accessibility.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# A marked-content sequence tied to the tree, as WeasyPrint writes it: `/P <</MCID 3>> BDC`.
_TAGGED = re.compile(rb"/[A-Za-z0-9]+\s*<<[^<>]*?/MCID\s+\d+[^<>]*?>>\s*BDC")

# Element keys copied as they are (the rest is rebuilt: /K, /P, /Pg; /NS is PDF 2's).
_KEPT_KEYS = ("/S", "/T", "/Alt", "/ActualText", "/E", "/Lang", "/A", "/C", "/ID")


def is_tagged(reader) -> bool:
    return "/StructTreeRoot" in reader.trailer["/Root"]


@dataclass
class _Place:
    """Where a source page's marked content shows in the book: its page there, and the form holding it (None: the page itself)."""

    host: Any  # pypdf's IndirectObject of the book's page
    form: Any = None
    parents: dict[int, Any] = field(default_factory=dict)  # MCID: the element it belongs to


class BookStructure:
    """The structure tree of a book being assembled in `writer`."""

    def __init__(self, writer) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        self.writer = writer
        self.kids = ArrayObject()
        self.document = writer._add_object(
            DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document")})
        )
        self.places: list[_Place] = []
        self.links: dict[int, list[Any]] = {}  # book page number: its Link elements, in reading order
        self.spare: list[Any] = []  # elements for links no part element stands for
        self.tied: list[tuple[Any, Any]] = []  # (Link element, annotation)

    # --- adopting the trees of the frame and the parts ------------------------------------------

    def adopt(self, reader, places: dict[int, tuple[Any, Any]], host_numbers: dict[int, int]) -> None:
        """Copy the elements of `reader`'s tree whose content lies on pages in `places`.

        `places` maps the source's page numbers to where their content shows in the book:
        (book page, form or None); `host_numbers` maps them to the book's page numbers.
        """
        by_object = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
        spots = {number: _Place(host, form) for number, (host, form) in places.items()}
        self.places += spots.values()
        root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
        for top in self._children(root.get("/K")):
            for element in self._outermost(top):
                pages = set(self._pages_of(element, None, by_object))
                if not pages or not pages <= set(spots):
                    continue
                self.kids.append(self._copy(element, self.document, None, by_object, spots, host_numbers))

    def _outermost(self, element) -> Iterator:
        """Yield the elements under a part's `Document`: the book has one `Document` of its own."""
        if element.get("/S") == "/Document":
            yield from self._children(element.get("/K"))
        else:
            yield element

    @staticmethod
    def _children(k) -> list:
        """Return the structure elements among the kids `k` of an element (not its content or object references)."""
        from pypdf.generic import ArrayObject, DictionaryObject

        k = k.get_object() if hasattr(k, "get_object") else k
        items = [] if k is None else list(k) if isinstance(k, ArrayObject) else [k]
        elements = []
        for item in items:
            item = item.get_object() if hasattr(item, "get_object") else item
            if isinstance(item, DictionaryObject) and item.get("/Type", "/StructElem") == "/StructElem":
                elements.append(item)
        return elements

    def _pages_of(self, element, page, by_object) -> Iterator[int]:
        """Yield the source page numbers of every marked content under `element`."""
        from pypdf.generic import ArrayObject, DictionaryObject

        if "/Pg" in element:
            page = by_object.get(element.raw_get("/Pg").idnum, page)
        k = element.get("/K")
        items = k if isinstance(k, ArrayObject) else [] if k is None else [k]
        for item in items:
            item = item.get_object() if hasattr(item, "get_object") else item
            if isinstance(item, DictionaryObject):
                if item.get("/Type") == "/MCR":
                    yield by_object.get(item.raw_get("/Pg").idnum, page) if "/Pg" in item else page
                elif item.get("/Type", "/StructElem") == "/StructElem":
                    yield from self._pages_of(item, page, by_object)
            elif page is not None:
                yield page

    def _copy(self, element, parent, page, by_object, spots, host_numbers):
        """Copy one element and its descendants; return the copy's reference."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        copy = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/P"): parent})
        for key in _KEPT_KEYS:
            if key in element:
                copy[NameObject(key)] = element[key].clone(self.writer) if hasattr(element[key], "clone") else element[key]
        reference = self.writer._add_object(copy)
        if "/Pg" in element:
            page = by_object.get(element.raw_get("/Pg").idnum, page)
        if page is not None and page in spots:
            copy[NameObject("/Pg")] = spots[page].host
        if element.get("/S") == "/Link" and page is not None and page in host_numbers:
            self.links.setdefault(host_numbers[page], []).append(reference)
        k = element.get("/K")
        kids = ArrayObject()
        for item in (k if isinstance(k, ArrayObject) else [] if k is None else [k]):
            item = item.get_object() if hasattr(item, "get_object") else item
            if isinstance(item, DictionaryObject):
                if item.get("/Type") == "/MCR":
                    where = by_object.get(item.raw_get("/Pg").idnum, page) if "/Pg" in item else page
                    kids.append(self._content(int(item.get("/MCID", 0)), where, spots, reference))
                elif item.get("/Type") == "/OBJR":
                    continue  # the part's own annotations are gone: the book's links are attached later
                else:
                    kids.append(self._copy(item, reference, page, by_object, spots, host_numbers))
            elif page is not None and page in spots:
                kids.append(self._content(int(item), page, spots, reference))
        copy[NameObject("/K")] = kids
        return reference

    def _content(self, mcid: int, page: int, spots: dict[int, _Place], element):
        """Return what an element holds for marked content `mcid` of a source page: a number, or a reference through a form."""
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        spot = spots[page]
        spot.parents[mcid] = element
        if spot.form is None:
            return NumberObject(mcid)
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/MCR"),
                NameObject("/Pg"): spot.host,
                NameObject("/Stm"): spot.form,
                NameObject("/MCID"): NumberObject(mcid),
            }
        )

    # --- the book's links -------------------------------------------------------------------------

    def attach_links(self, number: int, annotations: list[tuple[Any, str, bool]]) -> None:
        """Tie the link annotations of book page `number` to elements: `(annotation, href, from_a_part)`.

        A part's links take its `Link` elements in order (a link broken over two lines is two
        annotations of one element); the frame's links, or any that do not match, get an element of their own.
        """
        elements = self.links.get(number, [])
        groups: list[list[Any]] = []
        last_href = None
        for annotation, href, from_part in annotations:
            if not from_part:
                self._own_link(annotation)
                continue
            if groups and href == last_href:
                groups[-1].append(annotation)
            else:
                groups.append([annotation])
            last_href = href
        if len(groups) != len(elements):
            for group in groups:
                for annotation in group:
                    self._own_link(annotation)
            return
        for element, group in zip(elements, groups, strict=True):
            for annotation in group:
                self.tied.append((element, annotation))

    def _own_link(self, annotation) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        element = self.writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Link"),
                    NameObject("/P"): self.document,
                    NameObject("/K"): ArrayObject(),
                }
            )
        )
        self.spare.append(element)
        self.tied.append((element, annotation))

    # --- writing the tree ---------------------------------------------------------------------------

    def finish(self, language: Any = None) -> None:
        """Write the book's structure tree root, parent tree and the catalogue entries that say it is tagged."""
        from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NullObject, NumberObject

        writer = self.writer
        document = self.document.get_object()
        document[NameObject("/K")] = ArrayObject([*self.kids, *self.spare])
        numbers = ArrayObject()
        key = 0
        for place in self.places:
            if not place.parents:
                continue
            owner = (place.form or place.host).get_object()
            owner[NameObject("/StructParents")] = NumberObject(key)
            size = max(place.parents) + 1
            numbers += [NumberObject(key), writer._add_object(ArrayObject(place.parents.get(i, NullObject()) for i in range(size)))]
            key += 1
        for element, annotation in self.tied:
            annotation_object = annotation.get_object()
            annotation_object[NameObject("/StructParent")] = NumberObject(key)
            numbers += [NumberObject(key), element]
            key += 1
            reference = DictionaryObject({NameObject("/Type"): NameObject("/OBJR"), NameObject("/Obj"): annotation})
            if "/P" in annotation_object:
                reference[NameObject("/Pg")] = annotation_object.raw_get("/P")
            kids = element.get_object()["/K"]
            kids.append(reference)
        root = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructTreeRoot"),
                    NameObject("/K"): self.document,
                    NameObject("/ParentTree"): writer._add_object(DictionaryObject({NameObject("/Nums"): numbers})),
                    NameObject("/ParentTreeNextKey"): NumberObject(key),
                }
            )
        )
        document[NameObject("/P")] = root
        catalog = writer._root_object
        catalog[NameObject("/StructTreeRoot")] = root
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        preferences = DictionaryObject(catalog.get("/ViewerPreferences", DictionaryObject()))
        preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
        catalog[NameObject("/ViewerPreferences")] = preferences
        if language is not None:
            catalog[NameObject("/Lang")] = language


def as_artifact(data: bytes) -> bytes:
    """Return a page's content with all of it an artifact: its tagged sequences untied from any element."""
    return b"/Artifact BMC\n" + _TAGGED.sub(b"/Artifact BMC", data) + b"\nEMC\n"
