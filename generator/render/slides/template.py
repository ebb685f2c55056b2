"""The theme's slide template (`slides.pptx`): its named layouts, placeholders and the metrics the planner needs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pptx import Presentation

from generator.errors import ThemeError
from generator.render.slides.deck import Box, SlideMetrics
from generator.render.slides.look import Palette
from generator.themes import Theme

TEMPLATE = "slides.pptx"
LAYOUT_NAMES = {
    "cover": "Course title",
    "chapter": "Chapter title",
    "content": "Content",
    "exercise": "Exercise",
    "solution": "Solution",
    "keypoints": "Key points",
}
EMU_PER_PT = 12700
BODY_LAYOUTS = ("Content", "Exercise", "Solution", "Key points")  # the layouts that hold text and code frames


def _pt(emu: int | None) -> float:
    return (emu or 0) / EMU_PER_PT


def _box(shape) -> Box:
    return Box(_pt(shape.left), _pt(shape.top), _pt(shape.width), _pt(shape.height))


def template_path(theme: Theme) -> Path:
    return theme.find(TEMPLATE)


def layouts_by_name(prs) -> dict:
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    missing = [name for name in LAYOUT_NAMES.values() if name not in layouts]
    if missing:
        raise ThemeError(f"the slide template has no layout named `{missing[0]}`", None)
    return layouts


def placeholders_by_name(layout) -> dict:
    return {ph.name: ph for ph in layout.placeholders}


def _list_size(shape, fallback: float) -> float:
    """Return the first-level text size a layout placeholder sets, in points."""
    found = shape.element.xpath("./p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/@sz")
    return int(found[0]) / 100 if found else fallback


@cache
def _metrics(path: Path, stamp: tuple[int, int]) -> SlideMetrics:
    try:
        prs = Presentation(str(path))
    except Exception as error:  # noqa: BLE001 — python-pptx raises many kinds on a file that is no deck
        raise ThemeError(f"the slide template is not a PowerPoint deck ({type(error).__name__}: {error})", path) from None
    layouts = layouts_by_name(prs)
    default = SlideMetrics()
    try:
        content = placeholders_by_name(layouts["Content"])
        chapter = placeholders_by_name(layouts["Chapter title"])
        cover = placeholders_by_name(layouts["Course title"])
        master_title = prs.slide_master.element.xpath("./p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr/@sz")
        title_size = int(master_title[0]) / 100 if master_title else default.title_size
        slots = [
            min(sum(1 for name in placeholders_by_name(layouts[n]) if name.startswith(prefix)) for n in BODY_LAYOUTS)
            for prefix in ("Text ", "Code ")
        ]
        return SlideMetrics(
            width=_pt(prs.slide_width),
            height=_pt(prs.slide_height),
            title=_box(content["Title"]),
            body=_box(content["Text 1"]),
            chapter_label=_box(chapter["Chapter label"]),
            chapter_title=_box(chapter["Title"]),
            chapter_body=_box(chapter["Objectives"]),
            cover_title=_box(cover["Title"]),
            cover_subtitle=_box(cover["Subtitle"]),
            footer=_box(content["Footer"]) if "Footer" in content else default.footer,
            title_size=_list_size(content["Title"], title_size),
            text_size=_list_size(content["Text 1"], default.text_size),
            code_size=_list_size(content["Code 1"], default.code_size),
            table_size=_list_size(content["Table"], default.table_size),
            chapter_title_size=_list_size(chapter["Title"], default.chapter_title_size),
            cover_title_size=_list_size(cover["Title"], default.cover_title_size),
            subtitle_size=_list_size(cover["Subtitle"], default.subtitle_size),
            text_slots=slots[0],
            code_slots=slots[1],
        )
    except KeyError as error:
        raise ThemeError(f"the slide template lacks the placeholder {error}", path) from None


def template_metrics(theme: Theme) -> SlideMetrics:
    """Return the geometry and type sizes of the theme's slide template."""
    path = template_path(theme)
    stat = path.stat()
    return _metrics(path, (stat.st_size, stat.st_mtime_ns))


def template_palette(theme: Theme) -> Palette:
    """Return the colours of the theme's slide template, as its colour scheme sets them (for the PDF deck)."""
    path = template_path(theme)
    stat = path.stat()
    return _palette(path, (stat.st_size, stat.st_mtime_ns))


@cache
def _palette(path: Path, stamp: tuple[int, int]) -> Palette:
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        master = Presentation(str(path)).slide_master
        theme_xml = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    except Exception:  # noqa: BLE001 — a template `_metrics` read has a master; one without a theme part keeps the defaults
        return Palette()
    scheme = {}
    # The theme's colour scheme, not the alternatives it may list (`a:extraClrSchemeLst`).
    for colour in theme_xml.xpath("/a:theme/a:themeElements/a:clrScheme/*", namespaces=_NAMESPACES):
        # A colour is an RGB value, or a system colour with the value it last had.
        value = colour.xpath("./a:srgbClr/@val | ./a:sysClr/@lastClr", namespaces=_NAMESPACES)
        if value:
            scheme[etree.QName(colour).localname] = value[0]
    # The layouts name text and background colours (`tx1`, `bg1` …), which the master maps to the scheme's.
    mapping = master.element.xpath("./p:clrMap")  # python-pptx knows the `p:` prefix
    for role, name in (mapping[0].attrib.items() if mapping else ()):
        if name in scheme:
            scheme[role] = scheme[name]
    return Palette.from_scheme(scheme)


_NAMESPACES = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
