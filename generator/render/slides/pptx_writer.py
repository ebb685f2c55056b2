"""The slide plan as an editable PowerPoint deck, filled into the theme's template.

Every word is native text in a placeholder cloned from a named layout of the
template (`slides.pptx`), so a teacher can restyle the deck from its master and
edit anything. Only this module and `template.py` touch python-pptx.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import SlidePart

from generator.cache import package_version, sha256_bytes
from generator.errors import ThemeError
from generator.model import Text
from generator.outputs import write_atomic
from generator.render.core.parts import Part
from generator.render.slides.deck import (
    TEXT_INSETS,
    Box,
    CodeFrame,
    Deck,
    ImageFrame,
    Insets,
    Slide,
    TableFrame,
    TextFrame,
    TextPara,
    TextRun,
    text_runs,
)
from generator.render.slides.fit import MONO
from generator.render.slides.look import BOX_STYLES, CODE_BOXES, CODE_TITLE, token_style
from generator.render.slides.template import EMU_PER_PT, LAYOUT_NAMES, layouts_by_name, placeholders_by_name
from generator.render.slides.text import CONTROL, shown

FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# A fixed field id: PowerPoint only needs it to be a GUID, and a random one would change every build.
SLIDE_NUMBER_FIELD = "{6C5A2E3B-8F0D-4B8E-9A41-5D2C7E0B1F93}"

_LANGUAGES = {"es": "es-ES", "en": "en-US", "ca": "ca-ES", "gl": "gl-ES", "eu": "eu-ES", "fr": "fr-FR", "pt": "pt-PT"}


# An SVG picture is rasterised this many pixels wide: sharp when projected, and when printed at a slide's size.
PICTURE_WIDTH = 1600


@cache
def _picture(path: Path, stamp: tuple[int, int], kept_in: Path | None) -> bytes:
    """Return an image as PNG or JPEG bytes: SVG rasterised (kept in `kept_in` between builds), other formats converted."""
    from PIL import Image as PILImage

    raw = path.read_bytes()
    if path.suffix.lower() == ".svg":
        return _rasterised(raw, kept_in)
    with PILImage.open(io.BytesIO(raw)) as image:
        if image.format in ("PNG", "JPEG"):
            return raw
        converted = io.BytesIO()
        image.convert("RGBA").save(converted, "PNG")
        return converted.getvalue()


def picture_bytes(path: Path, kept_in: Path | None = None) -> bytes:
    stat = path.stat()
    return _picture(path, (stat.st_size, stat.st_mtime_ns), kept_in)


def _rasterised(svg: bytes, kept_in: Path | None) -> bytes:
    """Return an SVG as PNG bytes: from `kept_in`, where a build before (or another process of this one) left it, or made and left there.

    Rasterising the bundled course's 11 drawings took 0.9 s of CPU in each process that
    made a deck with them, and an edit to one chapter made the course `.pptx` again.
    """
    import cairosvg

    kept = kept_in / _raster_name(svg) if kept_in is not None else None
    if kept is not None:
        with contextlib.suppress(OSError):
            return kept.read_bytes()
    # Bytes, not a URL, and unsafe=False: the SVG may not pull in any other file.
    png = cairosvg.svg2png(bytestring=svg, output_width=PICTURE_WIDTH, unsafe=False)
    if kept is not None:
        # Not warned of here (it would be once a picture and a process): a folder that cannot be written costs the
        # time to rasterise again, and the deck's parts kept beside these warn (`W-cache`) when they cannot be.
        with contextlib.suppress(OSError):
            write_atomic(kept, png)
    return png


def _raster_name(svg: bytes) -> str:
    """Return the name a rasterised SVG is kept under: what it is made from, and how."""
    how = f"/{PICTURE_WIDTH}/{package_version('cairosvg')}"
    return f"{sha256_bytes(svg + how.encode())}.png"



def keep_only_pictures_of(deck: Deck, kept_in: Path) -> None:
    """Delete the rasterised SVGs in `kept_in` that no picture of `deck` (the whole course's) is made from."""
    try:
        wanted = {_raster_name(frame.path.read_bytes()) for slide in deck.slides for frame in slide.frames
                  if isinstance(frame, ImageFrame) and frame.path.suffix.lower() == ".svg"}
        for path in kept_in.glob("*.png"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
    except OSError:
        pass  # kept for a later build to clear


_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # the template's default table style
_ALIGN = {"center": "ctr", "right": "r"}


def _x(text: str) -> str:
    """Return text escaped for XML, minus the control characters XML cannot hold."""
    return escape(CONTROL.sub("", text))


def _emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def _xfrm(box: Box, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/><a:ext cx="{_emu(box.w)}" cy="{_emu(box.h)}"/></{tag}>'


def _body_pr(insets: Insets, anchor: str | None = "t") -> str:
    anchor_attr = f' anchor="{anchor}"' if anchor else ""
    return (
        f'<a:bodyPr wrap="square" lIns="{_emu(insets.left)}" tIns="{_emu(insets.top)}" rIns="{_emu(insets.right)}" '
        f'bIns="{_emu(insets.bottom)}"{anchor_attr}><a:noAutofit/></a:bodyPr>'
    )


def _fill(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _outline(fill: str | None, line: str, dashed: bool = False) -> str:
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    return f'{_fill(fill) if fill else ""}<a:ln w="{_emu(1.25)}">{_fill(line)}{dash}</a:ln>'


class _DeckWriter:
    """Writes the slides of a plan into a copy of the template.

    python-pptx manages the package (parts, relationships, images, notes); the
    shapes themselves are written as XML, which is many times faster than
    setting every property through the object model.
    """

    def __init__(self, deck: Deck, template: Path, pictures: Path | None = None):
        self.deck = deck
        self.pictures = pictures
        self.prs = Presentation(str(template))
        self.layouts = layouts_by_name(self.prs)
        self.lang = _LANGUAGES.get(deck.info.language, deck.info.language)
        # Each layout's placeholders by name, as the shapes that fill them refer to them (`<p:ph>`): read once, not for each shape.
        self.placeholders = {
            name: {placeholder: _ph(shape) for placeholder, shape in placeholders_by_name(layout).items()}
            for name, layout in self.layouts.items()
        }
        # python-pptx finds each new slide's name, number and relationship, and each notes slide's
        # name, by looking through everything added before: 120 s of a 7,500-slide deck. Counted on here.
        self.slide_ids = self.prs.slides._sldIdLst
        self.slides_made = len(self.slide_ids)
        self.next_slide_id = max([255, *(int(number) for number in self.slide_ids.xpath("./p:sldId/@id"))]) + 1
        package = self.prs.part.package
        package.next_partname = _PartNames(package)  # type: ignore[method-assign, assignment]  # on this package only

    def write(self, created: str, title: str) -> bytes:
        for number, slide in enumerate(self.deck.slides, 1):
            self.slide(slide, number)
        self.properties(created, title)
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return deterministic_zip(buffer.getvalue())

    def properties(self, created: str, title: str) -> None:
        core = self.prs.core_properties
        info = self.deck.info
        # Document properties hold at most 255 characters.
        core.title = CONTROL.sub("", title)[:255]
        core.author = CONTROL.sub("", info.author)[:255]
        core.subject = CONTROL.sub("", info.subtitle)[:255]
        core.language = self.lang
        core.last_modified_by = "Aula"
        core.revision = 1
        core.comments = ""
        stamp = FIXED_DATE
        if created:
            try:
                stamp = datetime.fromisoformat(created.replace("Z", "+00:00"))
            except ValueError:
                pass
        core.created = core.modified = stamp.replace(tzinfo=None)

    # --- slides -----------------------------------------------------------

    def slide(self, plan: Slide, number: int) -> None:
        layout = self.layouts[LAYOUT_NAMES[plan.layout]]
        slide = self.add_slide(layout)
        self.target, self.available, self.next_id = slide, self.placeholders[layout.name], 2
        self.used: dict[str, int] = {}
        shapes = [self.text_shape("Title", None, [TextPara(plan.title, plan.title_size)], TEXT_INSETS, anchor=None)]
        if plan.layout == "cover":
            paras = [TextPara((Text(line),), plan.subtitle_size, space_before=plan.subtitle_size * 0.3) for line in plan.subtitle]
            shapes.append(self.text_shape("Subtitle", None, paras, TEXT_INSETS))
        elif plan.layout == "chapter":
            label = [TextPara((Text(plan.subtitle[0]),), plan.subtitle_size, "label")]
            shapes.append(self.text_shape("Chapter label", None, label, TEXT_INSETS, anchor="b"))
            objectives = [frame for frame in plan.frames if isinstance(frame, TextFrame)]
            shapes += [self.text_shape("Objectives", frame.box, frame.paras, frame.insets) for frame in objectives]
        else:
            shapes += [self.frame(frame) for frame in plan.frames]
        if plan.layout != "cover":
            shapes += self.footer(number)
        tree = etree.fromstring(f"<p:spTree {_NAMESPACES}>{''.join(shapes)}</p:spTree>")
        spTree = slide.shapes._spTree
        for shape in list(tree):
            spTree.append(shape)
        if plan.notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(CONTROL.sub("", line) for line in plan.notes)
        _freeze(slide.part)

    def add_slide(self, layout):
        """Return a new blank slide on `layout` (only the placeholders used are added), as python-pptx's `add_slide` makes it."""
        presentation = self.prs.part
        self.slides_made += 1
        slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{self.slides_made}.xml"), presentation.package, layout.part)
        rId = presentation.rels._add_relationship(RT.SLIDE, slide_part)  # a new part: no relationship to it yet
        self.slide_ids._add_sldId(id=self.next_slide_id, rId=rId)
        self.next_slide_id += 1
        return slide_part.slide

    def placeholder(self, name: str) -> tuple[int, str, str]:
        """Return a new shape id, the name and the `<p:ph>` of the layout placeholder `name`."""
        if name not in self.available:
            raise ThemeError(f"a layout of the slide template has no placeholder named `{name}`")
        shape_id = self.next_id
        self.next_id += 1
        return shape_id, name, self.available[name]

    def slot(self, prefix: str) -> str:
        self.used[prefix] = self.used.get(prefix, 0) + 1
        return f"{prefix} {self.used[prefix]}"

    def footer(self, number: int) -> list[str]:
        shapes = []
        if "Footer" in self.available:
            footer = [TextPara((Text(self.deck.footer),), self.deck.footer_size)]
            shapes.append(self.text_shape("Footer", None, footer, TEXT_INSETS, anchor="ctr"))
        if "Slide number" in self.available:
            shape_id, name, ph = self.placeholder("Slide number")
            field = (
                f'<a:p><a:pPr algn="r"/><a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum"><a:rPr lang="{self.lang}"/>'
                f"<a:t>{number}</a:t></a:fld></a:p>"
            )
            shapes.append(self.sp(shape_id, name, ph, None, _body_pr(TEXT_INSETS, "ctr"), field))
        return shapes

    def sp(self, shape_id: int, name: str, ph: str, box: Box | None, body_pr: str, paragraphs: str, sp_pr: str = "") -> str:
        geometry = _xfrm(box) if box is not None else ""
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{geometry}{sp_pr}</p:spPr>"
            f"<p:txBody>{body_pr}<a:lstStyle/>{paragraphs or '<a:p/>'}</p:txBody></p:sp>"
        )

    def text_shape(self, name: str, box: Box | None, paras, insets: Insets, anchor: str | None = "t",
                   sp_pr: str = "", label_colour: str = "", align: str = "") -> str:
        shape_id, name, ph = self.placeholder(name)
        body = "".join(
            self.paragraph(para if index else replace(para, space_before=0.0), label_colour, align)
            for index, para in enumerate(paras)
        )
        return self.sp(shape_id, name, ph, box, _body_pr(insets, anchor), body, sp_pr)

    # --- frames -----------------------------------------------------------

    def frame(self, frame) -> str:
        if isinstance(frame, TextFrame):
            sp_pr, colour = "", ""
            if frame.style in BOX_STYLES:
                fill, colour, dashed = BOX_STYLES[frame.style]
                sp_pr = _outline(fill, colour, dashed)
            align = "ctr" if frame.style == "caption" else ""
            return self.text_shape(self.slot("Text"), frame.box, frame.paras, frame.insets, sp_pr=sp_pr,
                                   label_colour=colour, align=align)
        if isinstance(frame, CodeFrame):
            return self.code(frame)
        if isinstance(frame, TableFrame):
            return self.table(frame)
        return self.picture(frame)

    def code(self, frame: CodeFrame) -> str:
        shape_id, name, ph = self.placeholder(self.slot("Code"))
        paragraphs = []
        if frame.title:
            run = self.run(TextRun(frame.title, bold=True, code=True), frame.title_size, CODE_TITLE)
            paragraphs.append(f"<a:p>{self.p_pr(TextPara((), frame.title_size))}{run}{self.end(frame.title_size)}</a:p>")
        para = TextPara((), frame.size, left=frame.hang, first=-frame.hang)
        for line in frame.lines:
            runs = []
            for css, text in line:
                colour, bold, italic = token_style(css)
                runs.append(self.run(TextRun(text, bold=bold, italic=italic, code=True), frame.size, colour, proof=False))
            paragraphs.append(f"<a:p>{self.p_pr(para)}{''.join(runs)}{self.end(frame.size)}</a:p>")
        sp_pr = ""
        if frame.style in ("bad", "synopsis"):  # the others take the template's code box
            sp_pr = _outline(*CODE_BOXES[frame.style])
        return self.sp(shape_id, name, ph, frame.box, _body_pr(frame.insets), "".join(paragraphs), sp_pr)

    def table(self, frame: TableFrame) -> str:
        shape_id, name, ph = self.placeholder("Table")
        grid = "".join(f'<a:gridCol w="{_emu(width)}"/>' for width in frame.widths)
        margins = (
            f'marL="{_emu(frame.insets.left)}" marR="{_emu(frame.insets.right)}" '
            f'marT="{_emu(frame.insets.top)}" marB="{_emu(frame.insets.bottom)}" anchor="t"'
        )
        rows = []
        for r, (cells, height) in enumerate(zip((frame.header, *frame.rows), frame.heights, strict=True)):
            tcs = []
            for c in range(len(frame.widths)):
                para = TextPara(cells[c] if c < len(cells) else (), frame.size, "label" if r == 0 else "plain")
                align = _ALIGN.get(frame.aligns[c], "") if c < len(frame.aligns) else ""
                tcs.append(
                    f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{self.paragraph(para, align=align)}</a:txBody>'
                    f"<a:tcPr {margins}/></a:tc>"
                )
            rows.append(f'<a:tr h="{_emu(height)}">{"".join(tcs)}</a:tr>')
        return (
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvGraphicFramePr>'
            f'<a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr>{ph}</p:nvPr></p:nvGraphicFramePr>'
            f'{_xfrm(frame.box, "p:xfrm")}<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{_TABLE_STYLE}</a:tableStyleId></a:tblPr>'
            f'<a:tblGrid>{grid}</a:tblGrid>{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>'
        )

    def picture(self, frame: ImageFrame) -> str:
        shape_id, name, ph = self.placeholder("Picture")
        _, rId = self.target.part.get_or_add_image_part(io.BytesIO(picture_bytes(frame.path, self.pictures)))
        # The alt text is the picture's description; a decorative one says so, as PowerPoint's "Mark as decorative" does.
        decorative = (
            '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
            "</a:ext></a:extLst>"
        ) if frame.decorative else ""
        return (
            f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{name}" descr="{_x(frame.alt)}">{decorative}</p:cNvPr><p:cNvPicPr>'
            f'<a:picLocks noGrp="1" noChangeAspect="1"/></p:cNvPicPr><p:nvPr>{ph}</p:nvPr></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rId}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )

    # --- text ---------------------------------------------------------------

    def paragraph(self, para: TextPara, label_colour: str = "", align: str = "") -> str:
        runs = []
        for run in text_runs(para.inlines):
            run = replace(run, bold=run.bold or para.bold, italic=run.italic or para.italic)
            colour = label_colour if para.style == "label" else ""
            runs.append(self.run(run, para.size, colour))
        return f"<a:p>{self.p_pr(para, align)}{''.join(runs)}{self.end(para.size)}</a:p>"

    def p_pr(self, para: TextPara, align: str = "") -> str:
        if para.style == "bullet":
            bullet = (
                '<a:buClr><a:schemeClr val="accent1"/></a:buClr><a:buFont typeface="DejaVu Sans"/>'
                f'<a:buChar char="{"•" if para.level % 2 == 0 else "–"}"/>'
            )
        elif para.style == "number":
            bullet = (
                '<a:buClr><a:schemeClr val="accent1"/></a:buClr>'
                f'<a:buAutoNum type="arabicPeriod" startAt="{max(1, para.number)}"/>'
            )
        else:
            bullet = "<a:buNone/>"
        align_attr = f' algn="{align}"' if align else ""
        return (
            f'<a:pPr marL="{_emu(para.left)}" indent="{_emu(para.first)}"{align_attr}>'
            '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>'
            f"{bullet}</a:pPr>"
        )

    def end(self, size: float) -> str:
        size_attr = f' sz="{round(size * 100)}"' if size else ""
        return f'<a:endParaRPr lang="{self.lang}"{size_attr}/>'

    def r_pr(self, text_run: TextRun, size: float, colour: str = "", proof: bool = True) -> str:
        attributes = f' lang="{self.lang}"'
        if size:
            attributes += f' sz="{round(size * 100)}"'
        if text_run.bold:
            attributes += ' b="1"'
        if text_run.italic:
            attributes += ' i="1"'
        if text_run.strike:
            attributes += ' strike="sngStrike"'
        if not proof:
            attributes += ' noProof="1"'
        children = _fill(colour) if colour else ""
        if text_run.code:
            children += f'<a:latin typeface="{MONO}"/><a:cs typeface="{MONO}"/>'
        if text_run.href:
            rId = self.target.part.relate_to(text_run.href, RT.HYPERLINK, is_external=True)
            children += f'<a:hlinkClick r:id="{rId}"/>'
        return f"<a:rPr{attributes}>{children}</a:rPr>"

    def run(self, text_run: TextRun, size: float, colour: str = "", proof: bool = True) -> str:
        """Return a run's XML, a line break for each newline in its text."""
        r_pr = self.r_pr(text_run, size, colour, proof)
        pieces = shown(text_run.text).split("\n")  # as the plan measured it
        parts = []
        for index, piece in enumerate(pieces):
            if index:
                parts.append(f"<a:br>{r_pr}</a:br>")
            if piece:
                parts.append(f"<a:r>{r_pr}<a:t>{_x(piece)}</a:t></a:r>")
        return "".join(parts)


class _PartNames:
    """A package's `next_partname`, as python-pptx gives it, without walking every part for every name.

    The names of a kind (`/ppt/notesSlides/notesSlide%d.xml`) are read from the package the
    first time, then counted on: a part of that kind is only ever named here.
    """

    def __init__(self, package):
        self.package = package
        self.taken: dict[str, set[str]] = {}

    def __call__(self, template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        if prefix not in self.taken:
            self.taken[prefix] = {str(part.partname) for part in self.package.iter_parts() if part.partname.startswith(prefix)}
        taken = self.taken[prefix]
        number = len(taken) + 1  # as python-pptx: the highest free number up to one past the count
        while template % number in taken:
            number -= 1
        taken.add(template % number)
        return PackURI(template % number)


def _ph(shape) -> str:
    """Return the `<p:ph>` of a layout's placeholder `shape`, as a slide's shape refers to it."""
    ph = shape.element.xpath("./*[1]/p:nvPr/p:ph")[0]
    attributes = "".join(f' {key}="{escape(value)}"' for key, value in ph.attrib.items())
    return f"<p:ph{attributes}/>"


def _freeze(slide_part) -> None:
    """Write a finished slide (and its notes) to bytes now, and let go of its XML tree.

    python-pptx holds every part's tree until it saves, some 120 KB a slide: 1 GB for a
    course of 7,500 slides. A frozen part gives those bytes when the deck is saved; it
    stays the same object, so every relationship to it and from it stays as it was.
    """
    notes = [rel.target_part for rel in slide_part.rels.values() if not rel.is_external and rel.reltype == RT.NOTES_SLIDE]
    for part in (slide_part, *notes):
        blob = part.blob
        part.__class__ = _frozen_class(type(part))
        part.frozen_blob = blob
        del part._element
        for cached in ("slide", "notes_slide"):  # python-pptx's lazy properties, each holding the tree
            part.__dict__.pop(cached, None)


def _frozen_class(part_class: type) -> type:
    """Return a subclass of `part_class` whose `blob` is the bytes `_freeze` kept."""
    if part_class not in _FROZEN:
        _FROZEN[part_class] = type(f"Frozen{part_class.__name__}", (part_class,), {"blob": property(lambda part: part.frozen_blob)})
    return _FROZEN[part_class]


_FROZEN: dict[type, type] = {}


def deterministic_zip(data: bytes) -> bytes:
    """Return the package with fixed timestamps and permissions, so the same deck gives the same bytes.

    python-pptx stamps each member with the time it was saved. Those stamps sit at fixed
    places in each member's local header and in its central directory entry, outside what
    the CRCs cover: they are overwritten where they are, not compressed all over again.
    """
    stamp = struct.pack("<HH", (ZIP_DATE[3] << 11) | (ZIP_DATE[4] << 5) | (ZIP_DATE[5] // 2),
                        ((ZIP_DATE[0] - 1980) << 9) | (ZIP_DATE[1] << 5) | ZIP_DATE[2])
    fixed = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entry = package.start_dir  # where the central directory starts
        for member in package.infolist():
            if fixed[entry : entry + 4] != b"PK\1\2":
                raise ValueError("not a central directory entry")
            local = member.header_offset  # read by zipfile, a zip64 offset too
            fixed[local + 10 : local + 14] = stamp  # the member's local header: time, date
            fixed[entry + 12 : entry + 16] = stamp  # its central directory entry: time, date,
            struct.pack_into("<I", fixed, entry + 38, 0o644 << 16)  # and permissions (rw-r--r--)
            entry += 46 + sum(struct.unpack_from("<HHH", fixed, entry + 28))  # past its name, extra field, comment
    return bytes(fixed)


@dataclass(frozen=True, eq=False)
class PptxWriting:
    """All a .pptx deck is written from, the plan included: it crosses to a worker whole (see `SlideDecks.course_pptx`).

    Planning the course's deck takes about a second: a worker that wrote the .pptx from the
    course alone planned it again, after the build's process had planned it for the PDF deck.
    """

    deck: Deck
    template: Path
    created: str = ""
    title: str = ""
    pictures: Path | None = None  # where SVG pictures, rasterised, are kept between builds

    def bind(self, frames: Sequence[Part], parts: Sequence[Part]) -> bytes:
        """Write the deck, as a `Binding` of no parts."""
        return _DeckWriter(self.deck, self.template, self.pictures).write(self.created, self.title or self.deck.info.title)
