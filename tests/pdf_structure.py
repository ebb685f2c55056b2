"""Read a tagged PDF's structure back and list what is missing for a reader who cannot see it.

What is checked (see docs/accessibility.md): the catalogue says the file is tagged
and in which language, the window shows the title, the XMP metadata holds it; a structure tree exists; every
figure has alternative text; heading levels never skip one; every page's content is
reached from the tree, and every marked sequence on a page or in a form it draws is
an element's, and no artifact sits inside one (a slide drawn as a figure); every link
annotation belongs to a `Link` element that holds the link's words and is described by
words, not a bare `#fragment`; every table has
header cells, each with its `/Scope`; every embedded
TrueType font gives each glyph the width the PDF says it has (PDF/UA 7.21.5).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject

_MCID = re.compile(rb"/MCID\s+(\d+)")


def _get(value):
    return value.get_object() if hasattr(value, "get_object") else value


def parent_tree(root) -> dict[int, object]:
    """Return the parent tree's entries by key (a flat /Nums array, or /Kids of them)."""
    entries: dict[int, object] = {}

    def walk(node) -> None:
        node = _get(node)
        numbers = node.get("/Nums", [])
        for index in range(0, len(numbers), 2):
            entries[int(numbers[index])] = _get(numbers[index + 1])
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(root["/ParentTree"])
    return entries


def elements(root):
    """Yield every structure element of the tree, in reading order, with the page (object id) it inherits."""

    def walk(node, page):
        node = _get(node)
        if isinstance(node, ArrayObject):
            for item in node:
                yield from walk(item, page)
        elif isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") == "/StructElem" and "/S" in node:
            if "/Pg" in node:
                page = node.raw_get("/Pg").idnum
            yield node, page
            if "/K" in node:
                yield from walk(node["/K"], page)

    yield from walk(root["/K"], None)


def problems(pdf: bytes | Path) -> list[str]:
    """Return what keeps the PDF from being read without sight; empty when nothing was found."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    catalog = reader.trailer["/Root"]
    found: list[str] = []
    if not _get(catalog.get("/MarkInfo", {})).get("/Marked"):
        found.append("the catalogue does not say the file is tagged (/MarkInfo /Marked)")
    if not catalog.get("/Lang"):
        found.append("no document language (/Lang)")
    if not _get(catalog.get("/ViewerPreferences", {})).get("/DisplayDocTitle"):
        found.append("the window shows the file name, not the title (/DisplayDocTitle)")
    if not (reader.metadata and reader.metadata.title):
        found.append("no title in the document information")
    xmp = reader.xmp_metadata
    if not (xmp and xmp.dc_title and reader.metadata and reader.metadata.title in xmp.dc_title.values()):
        found.append("no XMP metadata stream holding the title (dc:title)")
    found += _font_width_problems(pdf)
    if "/StructTreeRoot" not in catalog:
        return [*found, "no structure tree"]
    root = _get(catalog["/StructTreeRoot"])
    tree = parent_tree(root)
    reached_pages: set[int] = set()
    reached_elements: set[int] = set()
    level = 0
    for element, page in elements(root):
        if element.indirect_reference is not None:
            reached_elements.add(element.indirect_reference.idnum)
        kind = str(element["/S"])
        if kind == "/Figure" and not element.get("/Alt"):
            found.append("a figure without alternative text")
        if kind == "/TH" and not _scope(element):
            found.append("a table header cell without /Scope (which cells it heads)")
        if kind == "/Table" and not any(str(cell["/S"]) == "/TH" for cell, _ in elements(element)):
            found.append("a table without header cells (TH)")
        if re.fullmatch(r"/H[1-6]", kind):
            if int(kind[2]) > level + 1:
                found.append(f"heading level skipped: {kind} after H{level}")
            level = int(kind[2])
        kids = element.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
            kid = _get(kid)
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                reached_pages.add(kid.raw_get("/Pg").idnum if "/Pg" in kid else page)
            elif not isinstance(kid, DictionaryObject) and page is not None:
                reached_pages.add(page)
    keyed: dict[int, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        # Each page's own key into the parent tree: a key two pages share gives one the other's elements.
        if "/StructParents" in page:
            other = keyed.setdefault(int(page["/StructParents"]), number)
            if other != number:
                found.append(f"page {number}: its /StructParents key is page {other}'s too")
        # A page of nothing but artifacts (ruled lines, a running header) has no content to reach.
        if page.indirect_reference.idnum not in reached_pages and _has_tagged_content(page):
            found.append(f"page {number}: no content reached from the tree")
        found += [f"page {number}: {problem}" for problem in _marked_content_problems(page, tree, reached_elements)]
        if _artifact_in_tagged_content(page, reader):
            found.append(f"page {number}: an artifact inside tagged content")
        for annotation in page.get("/Annots") or []:
            annotation = _get(annotation)
            if annotation.get("/Subtype") == "/Link":
                key = annotation.get("/StructParent")
                owner = tree.get(int(key)) if key is not None else None
                if owner is None or str(_get(owner).get("/S")) != "/Link":
                    found.append(f"page {number}: a link annotation outside any Link element")
                elif not _holds_text(_get(owner)):
                    found.append(f"page {number}: a link annotation whose Link element holds no text (away from its words)")
                if not str(annotation.get("/Contents", "")).strip() or str(annotation.get("/Contents", "")).startswith("#"):
                    found.append(f"page {number}: a link annotation described by nothing, or by a bare #fragment")
    return found


def _font_width_problems(pdf: bytes | Path) -> list[str]:
    """Return the fonts whose embedded program gives a glyph another advance than the PDF's `/W` array."""
    import pikepdf
    from fontTools.ttLib import TTFont

    found = []
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as document:
        programs: dict = {}
        for font in document.objects:
            if not (isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/CIDFontType2" and "/W" in font
                    and font.get("/CIDToGIDMap") == pikepdf.Name.Identity and "/FontFile2" in font.get("/FontDescriptor", {})):
                continue
            stream = font.FontDescriptor.FontFile2
            if stream.objgen not in programs:
                program = TTFont(io.BytesIO(stream.read_bytes()))
                programs[stream.objgen] = (program["hmtx"].metrics, program.getGlyphOrder(), program["head"].unitsPerEm)
            metrics, order, units = programs[stream.objgen]
            wrong = [gid for gid, width in _widths(font.W).items()
                     if gid < len(order) and abs(metrics[order[gid]][0] * 1000 / units - width) > 1]
            if wrong:
                found.append(f"font {font.get('/BaseFont')}: glyphs {wrong[:5]} wider or narrower in the font than in /W")
    return found


def _widths(array) -> dict[int, float]:
    """Return a CID font's `/W` array as {CID: width}: `c [w1 w2 …]` and `first last w` runs."""
    import pikepdf

    items, widths, index = list(array), {}, 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            widths.update({first + offset: float(width) for offset, width in enumerate(items[index + 1])})
            index += 2
        else:
            widths.update({cid: float(items[index + 2]) for cid in range(first, int(items[index + 1]) + 1)})
            index += 3
    return widths


def _scope(element) -> str | None:
    attributes = _get(element.get("/A"))
    for owner in attributes if isinstance(attributes, ArrayObject) else [attributes] if attributes is not None else []:
        owner = _get(owner)
        if isinstance(owner, DictionaryObject) and owner.get("/Scope"):
            return str(owner["/Scope"])
    return None


def _holds_text(element) -> bool:
    """Whether a structure element holds marked content (its words), itself or in an element under it."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
        kid = _get(kid)
        if not isinstance(kid, DictionaryObject) or kid.get("/Type") == "/MCR":
            return True
        if kid.get("/Type", "/StructElem") == "/StructElem" and _holds_text(kid):
            return True
    return False


def _streams(page) -> list[tuple[object, bytes]]:
    """Return the content streams a page draws: its own, and those of the forms in its resources."""
    contents = page.get_contents()  # not `if contents`: several streams make an empty (falsy) dictionary
    owners = [(page, contents.get_data() if contents is not None else b"")]
    xobjects = _get(_get(page.get("/Resources", {})).get("/XObject", {}))
    for name in xobjects:
        form = _get(xobjects[name])
        if form.get("/Subtype") == "/Form":
            owners.append((form, form.get_data()))
    return owners


def _artifact_in_tagged_content(owner, reader, tagged: bool = False) -> bool:
    """Whether an `/Artifact` sequence opens inside a tagged one (an MCID's), on `owner` or in a form it draws there."""
    contents = owner.get_contents() if hasattr(owner, "get_contents") else owner
    if contents is None or not (tagged or _MCID.search(contents.get_data())):
        return False
    xobjects = _get(_get(owner.get("/Resources", {})).get("/XObject", {}))
    stack: list[bool] = []
    for operands, operator in ContentStream(contents, reader).operations:
        inside = tagged or any(stack)
        if operator in (b"BMC", b"BDC"):
            if operands[0] == NameObject("/Artifact") and inside:
                return True
            properties = operands[1] if operator == b"BDC" else None
            stack.append(isinstance(properties, DictionaryObject) and "/MCID" in properties)
        elif operator == b"EMC" and stack:
            stack.pop()
        elif operator == b"Do" and inside and operands[0] in xobjects:
            form = _get(xobjects[operands[0]])
            if form.get("/Subtype") == "/Form" and _artifact_in_tagged_content(form, reader, True):
                return True
    return False


def _has_tagged_content(page) -> bool:
    return any(_MCID.search(data) for _, data in _streams(page))


def _marked_content_problems(page, tree: dict[int, object], reached: set[int]) -> list[str]:
    """Return the marked sequences of a page, and of the forms it draws, that no element reached from the root claims."""
    found = []
    for owner, data in _streams(page):
        mcids = {int(m) for m in _MCID.findall(data)}
        if not mcids:
            continue
        key = owner.get("/StructParents")
        claimed = tree.get(int(key)) if key is not None else None
        if claimed is None:
            found.append(f"{len(mcids)} marked sequences with no parent tree entry")
            continue
        claimed = _get(claimed)
        orphans = [m for m in mcids if m >= len(claimed) or _get(claimed[m]) is None or not isinstance(_get(claimed[m]), DictionaryObject)]
        if orphans:
            found.append(f"marked sequences {orphans[:5]} belong to no element")
        hidden = [m for m in set(mcids) - set(orphans) if getattr(claimed[m], "idnum", None) not in reached]
        if hidden:
            found.append(f"marked sequences {sorted(hidden)[:5]} belong to elements the tree's root does not reach")
    return found
