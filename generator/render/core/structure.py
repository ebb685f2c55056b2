"""The tags of a book put together from parts: one structure tree, as if it had been laid out whole.

Each part is laid out tagged (WeasyPrint's `pdf_tags`): its structure tree reaches
the marked content of its pages by number (MCID). In the book, a part's page is
the book's page (`book.py`), so its elements are copied with their numbers, the
page they name becomes the book's, and the page gets a `/StructParents` key into
the book's parent tree. The frame's ink drawn over those pages (running header,
page number, "see page N") is an artifact, as a page number is; the frame's
pages that show nothing else (a cover) keep their tags. Links made across the
book are attached to the `Link` elements the parts' trees already hold: each
part's link was laid out as a stand-in annotation tied to its element, naming
the link's place in the page's layout (`LINK_STAND_IN`). A document laid out
whole gets its running header and footer made artifacts (`unreached_as_artifacts`).

Checked by `tests/test_accessibility.py`; see docs/accessibility.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The URI of a part's stand-in link annotation (`PdfTarget.pages`): this prefix and the link's index in its page's links.
LINK_STAND_IN = "aula-link:"

# A marked-content sequence tied to the tree, as WeasyPrint writes it: `/P <</MCID 3>> BDC`.
_TAGGED = re.compile(rb"(/[A-Za-z0-9]+)\s*<<[^<>]*?/MCID\s+(\d+)[^<>]*?>>\s*BDC")
# An artifact's marked sequence: `/Artifact BMC`, or with properties (`/Artifact <</Type /Pagination>> BDC`).
_ARTIFACT = re.compile(rb"/Artifact\s*(?:<<[^<>]*>>\s*BDC|BMC)")

# Elements that only group their kids, left out of the book with their kids given to their parent.
# A NonStruct is, by the standard, as if its content were in its parent; a Span with no attributes
# says no more. WeasyPrint writes one for each inline box (every token of highlighted code): four
# elements in five of a handout's tree, in memory and in the file, for nothing a reader meets.
# A Link in a Link (a link's `::before` or `::after`, a box inside it) is the same link.
_GROUPING = ("/Span", "/NonStruct", "/Link")
_STRUCTURAL_KEYS = {"/Type", "/S", "/P", "/Pg", "/K"}
# Elements that should hold no text of their own: a Span that would give its text to one stays.
_SECTIONS = ("/Document", "/Part", "/Art", "/Sect", "/Div")

# Element keys copied as they are (the rest is rebuilt: /K, /P, /Pg; /NS is PDF 2's).
_KEPT_KEYS = ("/S", "/T", "/Alt", "/ActualText", "/E", "/Lang", "/A", "/C", "/ID")


def is_tagged(pdf) -> bool:
    return "/StructTreeRoot" in pdf.Root


def as_artifact(data: bytes) -> bytes:
    """Return a page's content with all of it an artifact: its tagged sequences untied from any element."""
    return b"/Artifact BMC\n" + _TAGGED.sub(b"/Artifact BMC", data) + b"\nEMC\n"


def unreached_as_artifacts(pdf) -> None:
    """Make artifacts of the marked content whose elements the tree's root does not reach.

    WeasyPrint tags the text of page margin boxes (a running footer, "page N / M") with
    elements outside the tree: hidden from a reader as content, yet not marked as the
    pagination it is. Here it becomes an artifact, and leaves the parent tree.
    """
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return
    reached, stack = set(), list(_elements(root.get("/K")))
    while stack:
        element = stack.pop()
        if element.objgen not in reached:
            reached.add(element.objgen)
            stack += _elements(element.get("/K"))
    entries = _number_tree(root.ParentTree)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        parents = entries.get(int(key)) if key is not None else None
        if not isinstance(parents, pikepdf.Array):
            continue
        hidden = {index for index, parent in enumerate(parents) if isinstance(parent, pikepdf.Dictionary) and parent.objgen not in reached}
        if not hidden:
            continue
        for index in hidden:
            parents[index] = None
        contents = page.obj.Contents
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            stream.write(_as_artifacts(stream.read_bytes(), hidden))


def _as_artifacts(data: bytes, numbers: set[int]) -> bytes:
    """Return content with the tagged sequences of `numbers` (MCIDs) made artifacts."""
    return _TAGGED.sub(lambda match: b"/Artifact BMC" if int(match.group(2)) in numbers else match.group(0), data)


def _number_tree(node) -> dict[int, Any]:
    """Return a number tree's entries (a flat `/Nums` array, or `/Kids` of them) by key."""
    numbers = node.get("/Nums", [])
    entries = {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)}
    for kid in node.get("/Kids", []):
        entries |= _number_tree(kid)
    return entries


def untied(data: bytes) -> bytes:
    """Return content drawn inside a figure: each tagged sequence kept as a marked sequence of its kind, tied to no element.

    Its artifacts become plain marked sequences too: inside a figure, everything is the figure's
    (PDF/UA forbids an artifact within tagged content).
    """
    return _ARTIFACT.sub(b"/Span BMC", _TAGGED.sub(rb"\1 BMC", data))


def untied_form(form) -> Any:
    """Return a form (a page of another document) whose content no longer points into that document's structure tree.

    Drawn as a figure, the page is one image to a reader, described by its alt text:
    its marked content keeps its marks, tied to no element.
    """
    stack, seen = [form], set()
    while stack:
        xobject = stack.pop()
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if "/StructParents" in xobject:
            del xobject["/StructParents"]
        xobject.write(untied(xobject.read_bytes()))
        for inner in xobject.get("/Resources", {}).get("/XObject", {}).values():
            if inner.get("/Subtype") == "/Form":
                stack.append(inner)
    return form


@dataclass
class _Place:
    """A page of the book that shows marked content, and the element each of its numbers belongs to."""

    host: Any  # the book's page (pikepdf.Page)
    parents: dict[int, Any] = field(default_factory=dict)  # MCID: the element it belongs to


class BookStructure:
    """The structure tree of a book being assembled in `book` (a pikepdf.Pdf)."""

    def __init__(self, book) -> None:
        import pikepdf

        self.book = book
        # The book's pages as they are now, those `adopt` places content on: listed once, as pikepdf finds
        # a page by its number in time that grows with the book.
        self.pages = list(book.pages)
        self.kids: list[Any] = []
        self.document = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document))
        self.places: list[_Place] = []
        self.place_of: dict[tuple[int, int], _Place] = {}  # the first place of each book page, by its object
        # Book page number: the links its Link elements stand for, as (element, (layer, index in the layer's links)).
        self.claims: dict[int, list[tuple[Any, tuple[int, int]]]] = {}
        self.link_elements: list[Any] = []
        self.spare: list[Any] = []  # elements for links no part element stands for
        self.tied: list[tuple[Any, Any]] = []  # (Link element, annotation)
        self._layer = 0

    # --- adopting the trees of the frame and the parts ------------------------------------------

    def adopt(self, pdf, pages: dict[int, int], layer: int = 0) -> None:
        """Copy the elements of `pdf`'s tree whose content lies on the pages in `pages`: its page number, the book's.

        `layer` says which of a book page's layouts is `pdf`'s (0, the frame's; 1, a part's on it):
        the links its elements stand for are that layout's.
        """
        self._layer = layer
        by_object = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        spots = {number: _Place(self.pages[at]) for number, at in pages.items()}
        self.places += spots.values()
        for spot in spots.values():
            self.place_of.setdefault(spot.host.obj.objgen, spot)
        every_page = len(spots) == len(by_object)  # a part: all its pages are placed, so only empty elements are left out
        for top in _elements(pdf.Root.StructTreeRoot.get("/K")):
            for element in (_elements(top.get("/K")) if top.get("/S") == "/Document" else [top]):
                if every_page:
                    wanted = next(_pages_of(element, None, by_object), None) is not None
                else:
                    shown = set(_pages_of(element, None, by_object))
                    wanted = bool(shown) and shown <= set(spots)
                if not wanted:
                    continue
                keys = element.keys()
                if _is_grouping(element, keys, "/Document"):
                    page = by_object.get(element.Pg.objgen) if "/Pg" in keys else None
                    self.kids += self._kids(element, keys, self.document, page, None, by_object, spots, pages)
                else:
                    self.kids.append(self._copy(element, self.document, None, by_object, spots, pages))

    def _copy(self, element, parent, page, by_object, spots, pages):
        """Copy one element and its descendants into the book; return the copy."""
        import pikepdf

        # Each key asked of `element` once: there are tens of thousands of elements in a handout.
        keys = element.keys()
        fields = {key[1:]: _plain(element[key]) for key in _KEPT_KEYS if key in keys}
        if fields.get("S") == "/TH":  # a header row's cells head their columns; a row's first cell heads its row
            in_head = _kind(parent.get("/P")) == "/THead"
            fields["A"] = _with_scope(fields.get("A"), "/Column" if in_head or not _first_kid(element) else "/Row")
        copy = self.book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, P=parent, **fields))
        if "/Pg" in keys:
            page = by_object.get(element.Pg.objgen, page)
        placed = page is not None and page in spots
        if placed:
            copy.Pg = spots[page].host.obj
        if fields.get("S") == "/Link":
            self.link_elements.append(copy)
        copy.K = pikepdf.Array(self._kids(element, keys, copy, page, page, by_object, spots, pages))
        return copy

    def _kids(self, element, keys, copy, page, copy_page, by_object, spots, pages, kind: str = "") -> list:
        """Return what `copy` holds of `element`'s kids: elements copied, content numbers; a grouping element's own kids in its place.

        `kind` is the copy's (`/P`, `/Link`…), given to save asking the copy for it again and again.
        """
        import pikepdf

        kind = kind or str(copy.get("/S"))
        kids: list = []
        for item in _items(element.get("/K")) if "/K" in keys else ():
            if isinstance(item, pikepdf.Dictionary):
                item_keys = item.keys()
                item_type = str(item.Type) if "/Type" in item_keys else "/StructElem"
                if item_type == "/MCR":
                    where = by_object.get(item.Pg.objgen, page) if "/Pg" in item_keys else page
                    if where in spots:
                        kids.append(self._content(int(item.MCID), where, spots, copy, copy_page))
                elif item_type == "/OBJR":  # a stand-in link: the book's own link is attached in its place later
                    where = by_object.get(item.Pg.objgen, page) if "/Pg" in item_keys else page
                    if kind == "/Link" and where in pages:
                        self._claim(copy, item, pages[where])
                elif item_type == "/StructElem":
                    if _is_grouping(item, item_keys, kind):
                        inner = by_object.get(item.Pg.objgen, page) if "/Pg" in item_keys else page
                        kids += self._kids(item, item_keys, copy, inner, copy_page, by_object, spots, pages, kind)
                    else:
                        kids.append(self._copy(item, copy, page, by_object, spots, pages))
            elif isinstance(item, int) and page in spots:
                kids.append(self._content(item, page, spots, copy, copy_page))
        return kids

    def _claim(self, element, reference, book_page: int) -> None:
        """Note that `element` stands for the link whose stand-in annotation `reference` (an /OBJR) names."""
        uri = reference.get("/Obj", {}).get("/A", {}).get("/URI")
        text = bytes(uri).decode("latin-1") if uri is not None else ""
        if text.startswith(LINK_STAND_IN) and text[len(LINK_STAND_IN) :].isdigit():
            index = int(text[len(LINK_STAND_IN) :])
            self.claims.setdefault(book_page, []).append((element, (self._layer, index)))

    def _content(self, mcid: int, page: int, spots: dict[int, _Place], element, element_page: int | None):
        """Return what an element holds for marked content `mcid` of source page `page`: the number, or a reference naming the page."""
        import pikepdf

        spot = spots[page]
        spot.parents[mcid] = element
        if page == element_page:
            return mcid
        return pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=spot.host.obj, MCID=mcid)

    # --- content drawn on a page by Aula (a slide handout's sheet) ------------------------------------

    def mark(self, host, kind: str, alt: str = "", actual: str = "") -> str:
        """Add an element of `kind` (`/Figure`, `/P`, `/H2`…) drawn on `host` after its tagged content.

        Return the operator that opens its marked content; the caller closes it with `EMC`. A
        figure is described by `alt`; text that shows less than it stands for is read as `actual`.
        Elements come in the order this is called: the reading order.
        """
        return self.content(host, self.element(kind, alt=alt, actual=actual))

    def element(self, kind: str, parent: Any = None, alt: str = "", actual: str = "", **attributes: Any) -> Any:
        """Add an element of `kind` as the last kid of `parent` (of the document, if none) and return it.

        It holds nothing yet: `content` gives it marked content, and further elements may name it as their parent.
        """
        import pikepdf

        element = self.book.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), P=parent or self.document,
                               K=pikepdf.Array(), **attributes)
        )
        if alt:
            element.Alt = pikepdf.String(alt)
        if actual:
            element.ActualText = pikepdf.String(actual)
        if parent is None:
            self.kids.append(element)
        else:
            parent.K.append(element)
        return element

    def content(self, host, element) -> str:
        """Give `element` the next marked content drawn on `host`; return the operator that opens it (closed by `EMC`)."""
        import pikepdf

        spot = self.place_of.get(host.obj.objgen)
        if spot is None:  # looked up, not searched for: a slide handout of 7,500 slides marks as many figures
            spot = self.place_of[host.obj.objgen] = _Place(host)
            self.places.append(spot)
        mcid = max([*_marked_numbers(host), *spot.parents], default=-1) + 1
        spot.parents[mcid] = element
        if "/Pg" not in element:
            element.Pg = host.obj
        if element.Pg.objgen == host.obj.objgen:
            element.K.append(mcid)
        else:
            element.K.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=host.obj, MCID=mcid))
        return f"{element.S} <</MCID {mcid}>> BDC "

    def tie(self, element, annotation) -> None:
        """Make the link annotation `annotation` one of the `Link` element `element`'s."""
        self.tied.append((element, annotation))

    # --- the book's links -------------------------------------------------------------------------

    def attach_links(self, number: int, annotations: list[tuple[Any, tuple[tuple[int, int], ...]]]) -> None:
        """Tie the link annotations of book page `number` to elements: `(annotation, the layout links it stands for)`.

        Each annotation goes to the first `Link` element that stood for one of its links (a link
        broken over two lines is two annotations of one element); the frame's links, those of a
        part laid out without stand-ins, and any left over get an element of their own.
        """
        by_link = {link: annotation for annotation, links in annotations for link in links}
        tied = set()
        for element, link in self.claims.get(number, []):
            annotation = by_link.get(link)
            if annotation is not None and annotation.objgen not in tied:
                tied.add(annotation.objgen)
                self.tied.append((element, annotation))
        for annotation, _ in annotations:
            if annotation.objgen not in tied:
                self._own_link(annotation)

    def _own_link(self, annotation) -> None:
        import pikepdf

        element = self.book.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=self.document, K=pikepdf.Array())
        )
        self.spare.append(element)
        self.tied.append((element, annotation))

    def _drop_empty_links(self) -> None:
        """Leave out the `Link` elements that hold nothing: no text, and no link of the book tied to them.

        (A part's link to a place that is in no part of the book is not made: its element would say "link" to nothing.)
        """
        tied = {element.objgen for element, _ in self.tied}
        empty = {element.objgen for element in self.link_elements if len(element.K) == 0 and element.objgen not in tied}
        if not empty:
            return
        self.kids = [kid for kid in self.kids if kid.objgen not in empty]
        for element in self.link_elements:
            if element.objgen in empty and "/P" in element and element.P.objgen != self.document.objgen:
                parent = element.P
                parent.K = [kid for kid in parent.K if getattr(kid, "objgen", None) != element.objgen]

    # --- writing the tree ---------------------------------------------------------------------------

    def finish(self) -> None:
        """Write the book's structure tree root, parent tree and the catalogue entries that say it is tagged."""
        import pikepdf

        book = self.book
        self._drop_empty_links()
        self.document.K = pikepdf.Array([*self.kids, *self.spare])
        numbers = pikepdf.Array()
        key = 0
        for place in self.places:
            if not place.parents:
                continue
            place.host.obj.StructParents = key
            size = max(place.parents) + 1
            numbers.append(key)
            numbers.append(book.make_indirect(pikepdf.Array([place.parents.get(i, None) for i in range(size)])))
            key += 1
        for element, annotation in self.tied:
            annotation.StructParent = key
            numbers.append(key)
            numbers.append(element)
            key += 1
            reference = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation)
            if "/P" in annotation:
                reference.Pg = annotation.P
            element.K.append(reference)
        root = book.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructTreeRoot,
                K=self.document,
                ParentTree=book.make_indirect(pikepdf.Dictionary(Nums=numbers)),
                ParentTreeNextKey=key,
            )
        )
        self.document.P = root
        book.Root.StructTreeRoot = root
        book.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        preferences = pikepdf.Dictionary(book.Root.get("/ViewerPreferences", pikepdf.Dictionary()))
        preferences.DisplayDocTitle = True
        book.Root.ViewerPreferences = preferences


def _is_grouping(element, keys, parent_kind) -> bool:
    """Whether `element` is left out, its kids given to its parent (of kind `parent_kind`) in the book."""
    if not keys <= _STRUCTURAL_KEYS:
        return False
    kind = str(element.get("/S"))
    if kind not in _GROUPING:
        return False
    if kind == "/Link":
        return parent_kind == "/Link"
    return kind == "/NonStruct" or parent_kind not in _SECTIONS


def _with_scope(attributes, scope: str):
    """Return a header cell's attributes with the `/Scope` PDF/UA asks of it (WeasyPrint writes none), unless one is there."""
    import pikepdf

    owners = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes] if attributes is not None else []
    table = next((owner for owner in owners if isinstance(owner, pikepdf.Dictionary) and owner.get("/O") == "/Table"), None)
    if table is None:
        table = pikepdf.Dictionary(O=pikepdf.Name.Table)
        owners.append(table)
    if "/Scope" not in table:
        table.Scope = pikepdf.Name(scope)
    return owners[0] if len(owners) == 1 else pikepdf.Array(owners)


def _kind(element) -> str | None:
    return str(element.get("/S")) if element is not None else None


def _first_kid(element) -> bool:
    """Whether `element` comes first among its parent's elements (a row's first cell)."""
    parent = element.get("/P")
    first = next(iter(_elements(parent.get("/K"))), None) if parent is not None else None
    return first is not None and first.objgen == element.objgen


def _items(k) -> list:
    """Return the kids `k` of an element as a list (one kid may be written alone)."""
    import pikepdf

    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _elements(k) -> list:
    """Return the structure elements among the kids `k` (not content numbers or object references)."""
    import pikepdf

    return [item for item in _items(k) if isinstance(item, pikepdf.Dictionary) and item.get("/Type", "/StructElem") == "/StructElem"]


def _pages_of(element, page, by_object) -> Iterator[int]:
    """Yield the source page numbers of every marked content under `element`."""
    import pikepdf

    if "/Pg" in element:
        page = by_object.get(element.Pg.objgen, page)
    for item in _items(element.get("/K")):
        if isinstance(item, pikepdf.Dictionary):
            if item.get("/Type") == "/MCR":
                yield by_object.get(item.Pg.objgen, page) if "/Pg" in item else page
            elif item.get("/Type", "/StructElem") == "/StructElem":
                yield from _pages_of(item, page, by_object)
        elif page is not None:
            yield page


def _plain(value):
    """Return a copy of a direct value of another document (an attribute, a string), references dropped."""
    import pikepdf

    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _plain(item) for key, item in value.items() if not getattr(item, "is_indirect", False)})
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array(_plain(item) for item in value if not getattr(item, "is_indirect", False))
    if isinstance(value, pikepdf.String):
        return pikepdf.String(bytes(value))
    return value


def _marked_numbers(host) -> list[int]:
    """Return the MCIDs a page's own content uses."""
    return [int(m) for m in re.findall(rb"/MCID\s+(\d+)", b"\n".join(_stream_bytes(host)))]


def _stream_bytes(host) -> list[bytes]:
    import pikepdf

    contents = host.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return [stream.read_bytes() for stream in streams]
