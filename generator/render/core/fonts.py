"""One copy of each font in a book put together from parts: the parts' font subsets merged.

WeasyPrint embeds in every document the glyphs that document uses. A book made of
parts therefore carried one subset of its body font per part: 133 font files in the
bundled handout where the same book laid out whole has 11, a fifth of its size.
WeasyPrint keeps each glyph's number when it subsets a font (HarfBuzz's retain-gids),
so the subsets of one font are pieces of the same numbering: merged glyph by glyph
into one file, they serve every part's text unchanged. Only a composite glyph's
components (an accent on a letter) may have been renumbered, past the highest glyph
the part's text uses; they are copied along under numbers of their own, past every
part's, so every glyph is drawn exactly as before.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from collections.abc import Iterator
from typing import Any


def share_font_programs(pdf: Any) -> None:
    """Give every TrueType font of `pdf` (a pikepdf document) one font file: its subsets, merged.

    Fonts are grouped by their PDF name, which WeasyPrint derives from the font's
    description, and by the font's own identity (`head`: revision, creation date,
    units per em), so two different files that happen to share a name stay apart.
    Only CID fonts whose glyph numbers are their CIDs (`/CIDToGIDMap /Identity`, as
    WeasyPrint writes them) are merged; any other font is left as it is.
    """
    import pikepdf

    # Each font file, with the highest glyph number the text drawn with it uses (from its widths).
    used: dict[tuple, list[tuple[Any, int]]] = defaultdict(list)
    for obj in pdf.objects:
        if (
            isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Subtype") == "/CIDFontType2"
            and obj.get("/CIDToGIDMap") == pikepdf.Name.Identity
            and "/FontFile2" in obj.get("/FontDescriptor", {})
            and "/W" in obj
        ):
            used[obj.FontDescriptor.FontFile2.objgen].append((obj.FontDescriptor, _highest_glyph(obj.W)))
    groups: dict[str, list[tuple[Any, int]]] = defaultdict(list)
    for fonts in used.values():
        highest = max(top for _, top in fonts)
        groups[str(fonts[0][0].FontName)] += [(descriptor, highest) for descriptor, _ in fonts]
    for group in groups.values():
        files = {descriptor.FontFile2.objgen: (descriptor.FontFile2, top) for descriptor, top in group}
        if len(files) < 2:
            continue
        try:
            subsets = {objgen: (_font(stream), top) for objgen, (stream, top) in files.items()}
        except Exception:  # a font this cannot read (not TrueType, damaged): its subsets stay apart, drawn as before
            continue
        for members in _same_fonts(subsets):
            if len(members) < 2:
                continue
            try:
                data = _merged([subset for _, subset in members])
            except Exception:  # nor one it cannot rewrite
                continue
            shared = pdf.make_stream(data)
            shared.Length1 = len(data)
            chosen = {objgen for objgen, _ in members}
            for descriptor, _ in group:
                if descriptor.FontFile2.objgen in chosen:
                    descriptor.FontFile2 = shared


def _highest_glyph(widths: Any) -> int:
    """Return the highest CID a `/W` array gives a width to: `c [w1 w2 …]` or `first last w`."""
    import pikepdf

    items, highest, index = list(widths), 0, 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            highest = max(highest, first + len(items[index + 1]) - 1)
            index += 2
        else:
            highest = max(highest, int(items[index + 1]))
            index += 3
    return highest


def _font(stream: Any) -> _Subset:
    return _Subset(stream.read_bytes())


def _same_fonts(subsets: dict) -> list[list[tuple]]:
    """Return the subsets grouped by their font's identity, those without glyph outlines (`glyf`) alone."""
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for objgen, (font, top) in subsets.items():
        key = font.identity if font.has_outlines else ("alone", objgen)
        groups[key].append((objgen, (font, top)))
    return list(groups.values())


def _merged(subsets: list[tuple[_Subset, int]]) -> bytes:
    """Return one font file holding every glyph that any subset of one font draws, at its own number.

    A subset keeps the glyphs its text uses at their numbers in the whole font, up to
    `top`, the highest its text uses; above that it may hold an accent or a part of a
    letter that a composite glyph is built from, renumbered. Those are never taken at
    their own number: each composite taken brings its components along, under new
    numbers past every subset's `top`, where no text points.
    """
    subsets = sorted(subsets, key=lambda subset: -subset[1])
    merged = _Merged(*subsets[0])
    for font, top in subsets:
        merged.take(font, top)
    return merged.save()


class _Subset:
    """A TrueType font file read just enough to copy glyphs out of it: its tables, and each glyph's bytes and metrics.

    Read here rather than through fontTools, which decodes every glyph and metric of
    every subset: that was four fifths of the time a book took to put together.
    """

    def __init__(self, data: bytes):
        self.tables = _tables(data)
        head, maxp, hhea = self.tables[b"head"], self.tables[b"maxp"], self.tables[b"hhea"]
        # fontRevision, unitsPerEm, created: two subsets of one font file agree on all three.
        self.identity = (head[4:8], head[18:20], head[20:28])
        self.has_outlines = b"glyf" in self.tables and b"loca" in self.tables and b"hmtx" in self.tables
        self.count = _u16(maxp, 4)
        if self.has_outlines:
            long_offsets = _u16(head, 50) == 1
            self.loca = _numbers(self.tables[b"loca"], "I" if long_offsets else "H")[: self.count + 1]
            if not long_offsets:
                self.loca = [offset * 2 for offset in self.loca]
            if len(self.loca) != self.count + 1:
                raise ValueError("a loca table shorter than its glyphs")
            self.glyf = self.tables[b"glyf"]
            metrics = _u16(hhea, 34)
            hmtx = self.tables[b"hmtx"]
            self.advances = hmtx[: metrics * 4]
            self.bearings = hmtx[metrics * 4 :]  # glyphs past the last full metric: their left side bearing only
            self.metric_count = metrics

    def drawn(self, top: int) -> list[int]:
        """Return the numbers up to `top` whose glyph has an outline."""
        return [number for number, (start, end) in enumerate(self._spans(top)) if end > start]

    def blank(self, top: int) -> list[int]:
        """Return the numbers up to `top` of glyphs with no outline but an advance: a space, a no-break space."""
        # A book's hundreds of subsets each run to the font's thousands of numbers, most of them empty.
        widths = [width for width, _ in struct.iter_unpack(">Hh", self.advances)]
        past = widths[-1] if widths else 1  # glyphs past the last full metric advance as far as its glyph
        return [
            number for number, (start, end) in enumerate(self._spans(top))
            if end == start and (widths[number] if number < len(widths) else past)
        ]

    def _spans(self, top: int) -> zip:
        """Return where each glyph up to `top` starts and ends in `glyf`."""
        last = min(top, self.count - 1) + 1
        return zip(self.loca[:last], self.loca[1 : last + 1], strict=True)  # loca has count + 1 entries

    def glyph(self, number: int) -> bytes:
        return self.glyf[self.loca[number] : self.loca[number + 1]]

    def metric(self, number: int) -> bytes:
        """Return the glyph's advance width and left side bearing, 4 bytes as in `hmtx`."""
        if number < self.metric_count:
            return self.advances[number * 4 : number * 4 + 4]
        last = self.advances[-4:-2]
        extra = (number - self.metric_count) * 2
        return last + (self.bearings[extra : extra + 2] or b"\0\0")


class _Merged:
    """A font being merged: the numbering of the subset reaching highest, filled from every subset in turn."""

    def __init__(self, font: _Subset, top: int):
        self.base = font
        self.top = top
        self.glyphs: list[bytes] = [b""] * (top + 1)
        self.metrics: list[bytes] = [b"\0\0\0\0"] * (top + 1)
        self.filled: set[int] = set()
        self.limits = list(_maxp_limits(font.tables[b"maxp"]))
        self.box = list(struct.unpack_from(">hhhh", font.tables[b"head"], 36))

    def take(self, other: _Subset, top: int) -> None:
        """Add the glyphs subset `other` draws (numbers up to `top`) that no subset taken before gave."""
        self._widen_limits(other)
        adopted: dict[int, int] = {}
        for number in other.drawn(top):
            if number not in self.filled:
                self._adopt(other, number, adopted, at=number)
                self.filled.add(number)
        # A space draws nothing but moves on: its advance too, or the font's width would not be the PDF's (`/W`).
        for number in other.blank(top):
            if self.metrics[number] == b"\0\0\0\0":
                self.metrics[number] = other.metric(number)

    def _widen_limits(self, other: _Subset) -> None:
        """Make the bounding box and the `maxp` limits (points, contours, components) cover `other`'s glyphs too."""
        x_min, y_min, x_max, y_max = struct.unpack_from(">hhhh", other.tables[b"head"], 36)
        self.box = [min(self.box[0], x_min), min(self.box[1], y_min), max(self.box[2], x_max), max(self.box[3], y_max)]
        self.limits = [max(mine, theirs) for mine, theirs in zip(self.limits, _maxp_limits(other.tables[b"maxp"]), strict=False)]

    def _adopt(self, other: _Subset, number: int, adopted: dict[int, int], at: int | None = None) -> int:
        """Copy glyph `number` of `other` here, at `at` or (a component) under a new number; return its number here."""
        if at is None and number in adopted:
            return adopted[number]
        glyph = other.glyph(number)
        if len(glyph) >= 10 and struct.unpack_from(">h", glyph)[0] < 0:  # composite: point its components at their copies
            changed = bytearray(glyph)
            for offset, component in _components(glyph):
                struct.pack_into(">H", changed, offset, self._adopt(other, component, adopted))
            glyph = bytes(changed)
        if at is None:
            at = adopted[number] = len(self.glyphs)
            self.glyphs.append(b"")
            self.metrics.append(b"\0\0\0\0")
        self.glyphs[at] = glyph
        self.metrics[at] = other.metric(number)
        return at

    def save(self) -> bytes:
        """Return the merged font file: the base subset's tables, with every glyph and metric."""
        count = len(self.glyphs)
        glyf, loca = bytearray(), [0]
        for glyph in self.glyphs:
            glyf += glyph + b"\0" * (-len(glyph) % 4)
            loca.append(len(glyf))
        tables = {tag: data for tag, data in self.base.tables.items() if tag.decode("latin-1") not in _UNREAD_TABLES}
        head = bytearray(tables[b"head"])
        struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
        struct.pack_into(">hhhh", head, 36, *self.box)
        short = loca[-1] < 0x20000  # offsets halved fit 16 bits (every glyph is padded to an even length)
        struct.pack_into(">h", head, 50, 0 if short else 1)
        maxp = bytearray(tables[b"maxp"])
        struct.pack_into(">H", maxp, 4, count)
        if len(maxp) >= 32:
            struct.pack_into(">13H", maxp, 6, *self.limits)
        hhea = bytearray(tables[b"hhea"])
        struct.pack_into(">H", hhea, 34, count)
        tables.update({
            b"head": bytes(head),
            b"maxp": bytes(maxp),
            b"hhea": bytes(hhea),
            b"glyf": bytes(glyf),
            b"loca": struct.pack(f">{count + 1}H", *(offset // 2 for offset in loca)) if short else struct.pack(f">{count + 1}I", *loca),
            b"hmtx": b"".join(self.metrics),
        })
        if b"post" in tables:  # glyph names (format 2) would not cover the new numbers: keep the header, no names
            tables[b"post"] = struct.pack(">I", 0x00030000) + tables[b"post"][4:32]
        if b"cmap" in tables:
            tables[b"cmap"] = _cmap_within(self.base, tables[b"cmap"], self.top)
        return _font_file(tables)


def _tables(data: bytes) -> dict[bytes, bytes]:
    """Return the tables of a TrueType file by tag."""
    version, count = struct.unpack_from(">IH", data)
    if version not in (0x00010000, 0x74727565):  # TrueType outlines ("true" on old Macs)
        raise ValueError("not a TrueType font")
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if offset + length > len(data):
            raise ValueError(f"table {tag!r} runs past the end of the file")
        tables[tag] = data[offset : offset + length]
    return tables


def _font_file(tables: dict[bytes, bytes]) -> bytes:
    """Return a TrueType file of `tables`: directory sorted by tag, checksums and `head`'s adjustment set."""
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    directory = bytearray(struct.pack(">IHHHH", 0x00010000, len(tags), power * 16, power.bit_length() - 1, (len(tags) - power) * 16))
    body = bytearray()
    offset = 12 + 16 * len(tags)
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(directory + body)
    head_offset = offset + sum(len(tables[tag]) + (-len(tables[tag]) % 4) for tag in tags[: tags.index(b"head")])
    struct.pack_into(">I", font, head_offset + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    return sum(_numbers(data + b"\0" * (-len(data) % 4), "I")) & 0xFFFFFFFF


def _numbers(data: bytes, code: str) -> list[int]:
    """Return big-endian unsigned numbers (`H` 16-bit, `I` 32-bit) read from `data`."""
    return list(struct.unpack(f">{len(data) // struct.calcsize(code)}{code}", data[: len(data) - len(data) % struct.calcsize(code)]))


def _u16(data: bytes, offset: int) -> int:
    return struct.unpack_from(">H", data, offset)[0]


def _maxp_limits(maxp: bytes) -> tuple[int, ...]:
    """Return `maxp` 1.0's thirteen limits (points, contours, zones, components …); none for version 0.5."""
    return struct.unpack_from(">13H", maxp, 6) if len(maxp) >= 32 else ()


def _components(glyph: bytes) -> Iterator[tuple[int, int]]:
    """Yield (offset of its glyph number, glyph number) for each component of a composite glyph."""
    offset = 10
    while True:
        flags, number = struct.unpack_from(">HH", glyph, offset)
        yield offset + 2, number
        offset += 4 + (4 if flags & 0x0001 else 2)  # arguments: words or bytes
        if flags & 0x0008:  # one scale
            offset += 2
        elif flags & 0x0040:  # x and y scales
            offset += 4
        elif flags & 0x0080:  # a 2 by 2 matrix
            offset += 8
        if not flags & 0x0020:  # no more components
            return


def _cmap_within(font: _Subset, cmap: bytes, top: int) -> bytes:
    """Return `cmap` with only the characters mapped to glyphs up to `top`: the others may not be the glyphs kept there."""
    from fontTools.ttLib import TTFont, newTable

    reader = TTFont()
    reader.setGlyphOrder([f"g{number}" for number in range(font.count)])
    table = newTable("cmap")
    table.decompile(cmap, reader)
    for subtable in table.tables:
        subtable.cmap = {code: name for code, name in subtable.cmap.items() if int(name[1:]) <= top}
    return table.compile(reader)


# Tables a PDF viewer does not read, the text being shaped already: substitutions and positioning,
# vertical and device metrics. Dropped rather than left naming glyphs the merge renumbered.
_UNREAD_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "mort", "feat", "vmtx", "vhea", "hdmx", "VDMX", "LTSH")
