"""Write themes/default/slides.pptx, the template deck the slide renderer fills.

    /work/venv/bin/python scripts/make_slide_template.py [OUTPUT]

The deck is written part by part (no slides, one master, six named layouts) so
every placeholder has a name the renderer looks for and a place taken from
`SlideMetrics`, the geometry the slide plan is measured against. The theme
(colours, fonts) starts from python-pptx's own default theme. The output is
byte-for-byte the same on every run: fixed zip timestamps, fixed dates.

Restyling: open the result in PowerPoint or LibreOffice, change the master and
layouts (colours, fonts of the same metrics, backgrounds, decorations), keep the
layout and placeholder names, and save it as `slides.pptx` in a user theme.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.render.slides.deck import BOX_INSETS, TEXT_INSETS, Box, SlideMetrics  # noqa: E402
from generator.render.slides.pptx_writer import SLIDE_NUMBER_FIELD  # noqa: E402

M = SlideMetrics()
EMU = 12700  # per point

NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"

COLOURS = {
    "dk1": "1F2328", "lt1": "FFFFFF", "dk2": "16325C", "lt2": "EEF2F7",
    "accent1": "2B6CB0", "accent2": "C05621", "accent3": "2F855A",
    "accent4": "6B46C1", "accent5": "B7791F", "accent6": "4A5568",
    "hlink": "2B6CB0", "folHlink": "6B46C1",
}
FOOTER = Box(M.body.x, 504.0, 640.0, 25.2)
NUMBER = Box(M.body.x + M.body.w - 100.0, 504.0, 100.0, 25.2)


def emu(points: float) -> int:
    return round(points * EMU)


def xfrm(box: Box) -> str:
    return f'<a:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/><a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></a:xfrm>'


def body_pr(insets=TEXT_INSETS, anchor: str = "t") -> str:
    return (
        f'<a:bodyPr vert="horz" wrap="square" lIns="{emu(insets.left)}" tIns="{emu(insets.top)}" '
        f'rIns="{emu(insets.right)}" bIns="{emu(insets.bottom)}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>'
    )


def rpr(size: float, colour: str = "", font: str = "", bold: bool = False, tag: str = "a:defRPr") -> str:
    fill = f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>' if colour in COLOURS or colour in ("tx1", "tx2", "bg1") else (
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else ""
    )
    face = f'<a:latin typeface="{font}"/><a:ea typeface="{font}"/><a:cs typeface="{font}"/>' if font else ""
    weight = ' b="1"' if bold else ""
    return f'<{tag} sz="{round(size * 100)}"{weight}>{fill}{face}</{tag}>'


def lvl1(size: float, colour: str = "", font: str = "", bold: bool = False, align: str = "l") -> str:
    return (
        f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>{rpr(size, colour, font, bold)}</a:lvl1pPr></a:lstStyle>'
    )


def placeholder(shape_id: int, name: str, ph: str, box: Box, prompt: str, lst: str = "<a:lstStyle/>",
                body: str = "", fill: str = "") -> str:
    text = f'<a:r><a:rPr lang="es-ES"/><a:t>{escape(prompt)}</a:t></a:r>'
    if 'type="sldNum"' in ph:  # the slide number is a field, which every slide fills in with its own
        text = f'<a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum"><a:rPr lang="es-ES"/><a:t>{escape(prompt)}</a:t></a:fld>'
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f'<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}</p:spPr>'
        f'<p:txBody>{body or body_pr()}{lst}<a:p>{text}</a:p></p:txBody></p:sp>'
    )


def rule(shape_id: int, y: float, colour: str, x: float = M.body.x, w: float = M.body.w, weight: float = 2.25) -> str:
    """A decorative line (not a placeholder: it stays on the layout)."""
    return (
        f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="Rule"/><p:cNvCxnSpPr/><p:nvPr userDrawn="1"/></p:nvCxnSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="0"/></a:xfrm>'
        f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{emu(weight)}"><a:solidFill><a:schemeClr val="{colour}"/>'
        f'</a:solidFill></a:ln></p:spPr></p:cxnSp>'
    )


def band(shape_id: int, box: Box, colour: str) -> str:
    """A decorative filled rectangle."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Band"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="{colour}"/>'
        f'</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="es-ES"/></a:p></p:txBody></p:sp>'
    )


def footer_shapes(first_id: int) -> str:
    return placeholder(
        first_id, "Footer", '<p:ph type="ftr" sz="quarter" idx="3"/>', FOOTER, "Curso", body=body_pr(anchor="ctr")
    ) + placeholder(
        first_id + 1, "Slide number", '<p:ph type="sldNum" sz="quarter" idx="4"/>', NUMBER, "‹#›", body=body_pr(anchor="ctr")
    )


def tree(shapes: str) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
        f"{shapes}</p:spTree>"
    )


CODE_FILL = (
    '<a:solidFill><a:srgbClr val="F4F6F8"/></a:solidFill>'
    '<a:ln w="9525"><a:solidFill><a:srgbClr val="D0D7DE"/></a:solidFill></a:ln>'
)


def content_shapes(accent: str) -> str:
    """Title, four text slots, four code slots, a table and a picture, all in the body area."""
    shapes = [
        placeholder(2, "Title", '<p:ph type="title"/>', M.title, "Título", body=body_pr(anchor="b")),
        rule(3, M.title.bottom + 4, accent),
    ]
    shape_id = 4
    for n in range(1, M.text_slots + 1):
        shapes.append(placeholder(shape_id, f"Text {n}", f'<p:ph type="body" idx="{9 + n}"/>', M.body, "Texto",
                                  lvl1(M.text_size)))
        shape_id += 1
    for n in range(1, M.code_slots + 1):
        shapes.append(placeholder(shape_id, f"Code {n}", f'<p:ph type="body" idx="{19 + n}"/>', M.body, "Código",
                                  lvl1(M.code_size, "1F2328", MONO), body_pr(BOX_INSETS), CODE_FILL))
        shape_id += 1
    shapes.append(placeholder(shape_id, "Table", '<p:ph type="tbl" idx="30"/>', M.body, "Tabla", lvl1(M.table_size)))
    shapes.append(placeholder(shape_id + 1, "Picture", '<p:ph type="pic" idx="31"/>', M.body, "Imagen"))
    shapes.append(footer_shapes(shape_id + 2))
    return "".join(shapes)


def layouts() -> list[tuple[str, str, str]]:
    """Return (name, layout type, shapes, background) for each layout, in order."""
    cover = "".join([
        placeholder(2, "Title", '<p:ph type="ctrTitle"/>', M.cover_title, "Título del curso",
                    lvl1(M.cover_title_size, "bg1", bold=True), body_pr(anchor="b")),
        rule(3, M.cover_title.bottom + 8, "accent1", M.cover_title.x, 160, 4.5),
        placeholder(4, "Subtitle", '<p:ph type="subTitle" idx="1"/>', M.cover_subtitle, "Subtítulo",
                    lvl1(M.subtitle_size, "lt2")),
    ])
    chapter = "".join([
        band(2, Box(0, 0, 14.4, M.height), "accent1"),
        placeholder(3, "Chapter label", '<p:ph type="body" idx="1"/>', M.chapter_label, "Capítulo",
                    lvl1(M.subtitle_size, "accent1", bold=True), body_pr(anchor="b")),
        placeholder(4, "Title", '<p:ph type="title"/>', M.chapter_title, "Título del capítulo",
                    lvl1(M.chapter_title_size, "tx2", bold=True), body_pr(anchor="b")),
        rule(5, M.chapter_title.bottom + 6, "accent1"),
        placeholder(6, "Objectives", '<p:ph type="body" idx="2"/>', M.chapter_body, "Objetivos", lvl1(M.text_size)),
        footer_shapes(7),
    ])
    return [
        ("Course title", "title", cover, "tx2"),
        ("Chapter title", "secHead", chapter, ""),
        ("Content", "obj", content_shapes("accent1"), ""),
        ("Exercise", "obj", content_shapes("accent2"), ""),
        ("Solution", "obj", content_shapes("accent3"), ""),
        ("Key points", "obj", content_shapes("accent4"), ""),
    ]


def layout_xml(name: str, kind: str, shapes: str, background: str) -> str:
    bg = (
        f'<p:bg><p:bgPr><a:solidFill><a:schemeClr val="{background}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
        if background else ""
    )
    return (
        f'{HEAD}<p:sldLayout {NS} type="{kind}" preserve="1"><p:cSld name="{escape(name)}">{bg}{tree(shapes)}</p:cSld>'
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


def master_xml(count: int) -> str:
    shapes = "".join([
        placeholder(2, "Title", '<p:ph type="title"/>', M.title, "Título", body=body_pr(anchor="b")),
        placeholder(3, "Text", '<p:ph type="body" idx="1"/>', M.body, "Texto"),
        placeholder(4, "Footer", '<p:ph type="ftr" sz="quarter" idx="3"/>', FOOTER, "Curso",
                    lvl1(12, "accent6"), body_pr(anchor="ctr")),
        placeholder(5, "Slide number", '<p:ph type="sldNum" sz="quarter" idx="4"/>', NUMBER, "‹#›",
                    lvl1(12, "accent6", align="r"), body_pr(anchor="ctr")),
    ])
    levels = "".join(
        f'<a:lvl{n}pPr marL="{emu(22 * (n - 1) + 22)}" indent="{emu(-22)}" algn="l"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="600"/></a:spcBef><a:buClr><a:schemeClr val="accent1"/></a:buClr><a:buFont typeface="{SANS}"/>'
        f'<a:buChar char="•"/>{rpr(max(14, M.text_size - 2 * (n - 1)), "tx1", "+mn-lt")}</a:lvl{n}pPr>'
        for n in range(1, 6)
    )
    ids = "".join(f'<p:sldLayoutId id="{2147483649 + n}" r:id="rId{n + 2}"/>' for n in range(count))
    return (
        f'{HEAD}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'
        f"{tree(shapes)}</p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" '
        'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
        f"<p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst><p:txStyles>"
        '<p:titleStyle><a:lvl1pPr algn="l"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef>'
        f'<a:buNone/>{rpr(M.title_size, "tx2", "+mj-lt", bold=True)}</a:lvl1pPr></p:titleStyle>'
        f"<p:bodyStyle>{levels}</p:bodyStyle>"
        f'<p:otherStyle><a:lvl1pPr marL="0" algn="l">{rpr(18, "tx1", "+mn-lt")}</a:lvl1pPr></p:otherStyle>'
        "</p:txStyles></p:sldMaster>"
    )


def theme_xml() -> str:
    import pptx

    default = Path(pptx.__file__).parent / "templates" / "default.pptx"
    with zipfile.ZipFile(default) as package:
        xml = package.read("ppt/theme/theme1.xml").decode("utf-8")
    scheme = "".join(f'<a:{k}><a:srgbClr val="{v}"/></a:{k}>' for k, v in COLOURS.items())
    xml = re.sub(r'<a:clrScheme name="[^"]*">.*?</a:clrScheme>', f'<a:clrScheme name="Aula">{scheme}</a:clrScheme>', xml, flags=re.S)
    xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*(")', rf"\g<1>{SANS}\g<2>", xml)
    xml = xml.replace('<a:fontScheme name="Office">', '<a:fontScheme name="Aula">')
    return xml.replace('name="Office Theme"', 'name="Aula"')


def presentation_xml() -> str:
    return (
        f'{HEAD}<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/>'
        f'</p:sldMasterIdLst><p:sldSz cx="{emu(M.width)}" cy="{emu(M.height)}"/><p:notesSz cx="6858000" cy="9144000"/>'
        '<p:defaultTextStyle><a:defPPr><a:defRPr lang="es-ES"/></a:defPPr>'
        f'<a:lvl1pPr marL="0" algn="l">{rpr(18, "tx1", "+mn-lt")}</a:lvl1pPr></p:defaultTextStyle></p:presentation>'
    )


def rels(*targets: tuple[str, str]) -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind if "://" in kind else base + kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, 1)
    )
    return f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def content_types(count: int) -> str:
    doc = "application/vnd.openxmlformats-officedocument."
    overrides = {
        "/ppt/presentation.xml": "presentationml.presentation.main+xml",
        "/ppt/slideMasters/slideMaster1.xml": "presentationml.slideMaster+xml",
        "/ppt/theme/theme1.xml": "theme+xml",
        "/ppt/presProps.xml": "presentationml.presProps+xml",
        "/ppt/viewProps.xml": "presentationml.viewProps+xml",
        "/ppt/tableStyles.xml": "presentationml.tableStyles+xml",
        "/docProps/app.xml": "extended-properties+xml",
        **{f"/ppt/slideLayouts/slideLayout{n}.xml": "presentationml.slideLayout+xml" for n in range(1, count + 1)},
    }
    items = "".join(f'<Override PartName="{part}" ContentType="{doc}{kind}"/>' for part, kind in overrides.items())
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'{items}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )


CORE = (
    f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Aula slide template</dc:title>'
    "<dc:creator>Aula</dc:creator><cp:lastModifiedBy>Aula</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)
APP = (
    f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Aula</Application><PresentationFormat>Custom</PresentationFormat></Properties>"
)
PRES_PROPS = f"{HEAD}<p:presentationPr {NS}/>"
VIEW_PROPS = f'{HEAD}<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr></p:viewPr>'
TABLE_STYLES = f'{HEAD}<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" def="{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}"/>'


def parts() -> dict[str, str]:
    chosen = layouts()
    files = {
        "[Content_Types].xml": content_types(len(chosen)),
        "_rels/.rels": rels(
            ("officeDocument", "ppt/presentation.xml"),
            ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ("extended-properties", "docProps/app.xml"),
        ),
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "ppt/presentation.xml": presentation_xml(),
        "ppt/_rels/presentation.xml.rels": rels(
            ("slideMaster", "slideMasters/slideMaster1.xml"), ("theme", "theme/theme1.xml"),
            ("presProps", "presProps.xml"), ("viewProps", "viewProps.xml"), ("tableStyles", "tableStyles.xml"),
        ),
        "ppt/presProps.xml": PRES_PROPS,
        "ppt/viewProps.xml": VIEW_PROPS,
        "ppt/tableStyles.xml": TABLE_STYLES,
        "ppt/theme/theme1.xml": theme_xml(),
        "ppt/slideMasters/slideMaster1.xml": master_xml(len(chosen)),
        "ppt/slideMasters/_rels/slideMaster1.xml.rels": rels(
            ("theme", "../theme/theme1.xml"),
            *(("slideLayout", f"../slideLayouts/slideLayout{n}.xml") for n in range(1, len(chosen) + 1)),
        ),
    }
    for n, layout in enumerate(chosen, 1):
        files[f"ppt/slideLayouts/slideLayout{n}.xml"] = layout_xml(*layout)
        files[f"ppt/slideLayouts/_rels/slideLayout{n}.xml.rels"] = rels(("slideMaster", "../slideMasters/slideMaster1.xml"))
    return files


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "themes" / "default" / "slides.pptx"
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts().items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, text.encode("utf-8"))
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
