"""The slide plan drawn as a PDF deck: one 16:9 page per slide, every frame at the plan's box.

The planner has measured every line of every frame with the deck's own fonts
(`fit.py`), for the .pptx. Nothing is laid out again here: each paragraph breaks
where that measure breaks it (`Fonts.line_starts`), its lines are set glyph by glyph
(`core.drawing`), and boxes, rules, table cells and pictures are drawn at the plan's
points. Laid out by WeasyPrint instead, the bundled course's 474 slides took some
13 s of CPU a build, to find what was already known.

The look is the template deck's: its colour scheme (`template.template_palette`), and
the colours both decks share (`look.py`), so the two decks look alike. What this leaves
out, as `core.drawing` does: kerning and ligatures.

The tags: each slide a `Sect`, its title the `H1`; a paragraph a `P`, bullets an `L` of
`LI`s (the bullet the `Lbl`, a nested list inside its item); a table `Table`, `THead`/`TBody`, `TR`, `TH`/`TD`; a
picture a `Figure` with its alt text; a link a `Link` inside its paragraph, tied to its
annotations. Boxes, rules, fills, decorative pictures, the footer and the slide number
are artifacts. Each slide is a bookmark, and each of its anchors a named destination,
so that a link to a section lands on its slide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import warn
from generator.model import (
    Course,
    Inline,
    Link,
    Text,
    plain_text,
)
from generator.render.core.book import add_navigation, save_book
from generator.render.core.drawing import Font, new_document, warn_missing
from generator.render.core.parts import Part
from generator.render.core.pdf import PageLayout
from generator.render.core.pictures import Picture, picture_xobject
from generator.render.core.structure import BookStructure
from generator.render.html import LinkIndex
from generator.render.slides import look
from generator.render.slides.deck import (
    CELL_INSETS,
    TEXT_INSETS,
    Box,
    CodeFrame,
    Deck,
    ImageFrame,
    Slide,
    TableFrame,
    TextFrame,
    TextPara,
    text_runs,
)
from generator.render.slides.fit import FALLBACKS, FONT_FILES, MONO, SANS, Fonts, Para, Span, fonts_in
from generator.render.slides.look import Palette
from generator.render.slides.template import template_palette
from generator.render.slides.text import code_para, fit_para
from generator.themes import Theme

BORDER = 1.0  # a box's line, in points, drawn inside the box
RULE, COVER_RULE, COVER_RULE_WIDTH = 2.25, 4.5, 160.0  # under a title; under the cover's title, and its length
BAND = 14.4  # the chapter slide's band down its left edge
FOOT_LINE, FOOT_PAD_TOP, FOOT_PAD_SIDE, NUMBER_SIZE = 18.0, 3.6, 7.2, 12.0  # the footer's line and the slide number
PX = 4 / 3  # CSS px a point: the unit of a page's layout (`PageLayout`), which the book's navigation reads


@dataclass(frozen=True, eq=False)
class DeckDrawing:
    """All the PDF deck is drawn from, read in the build's process: it crosses to a worker whole (see `SlideDecks.pdf`)."""

    deck: Deck
    fonts: Path  # the theme's fonts/ folder
    keywords: str  # the document's kind, as its metadata says it ("Diapositivas")
    targets: dict[tuple[str, str], str]  # (chapter file, link as written): the anchor it leads to, on a slide
    colours: Palette = Palette()  # the template's
    created: str = ""

    @classmethod
    def of(cls, deck: Deck, course: Course, theme: Theme, created: str = "") -> DeckDrawing:
        links, anchors = LinkIndex(course), {anchor for slide in deck.slides for anchor in slide.anchors}
        targets = {}
        for slide in deck.slides:
            chapter = slide.chapter
            if chapter is None:  # the cover
                continue
            for link in _links_of(slide):
                target = links.resolve(chapter, link.href)
                if target is not None and target.html_id in anchors:
                    targets[(chapter.stem, link.href)] = target.html_id
        keywords = dict(theme.messages(course.info.language)).get("slides", "Slides")
        for folder in theme.folders[:-1]:  # a user theme's files made for the deck WeasyPrint laid out
            for name in ("slides.css", "slides.html"):
                if (folder / name).is_file():
                    warn(folder / name, "W-theme-unused", f"{name} is no longer read: the PDF deck is drawn in the colours "
                         "of the theme's slides.pptx (see docs/slides.md)")
        return cls(deck, theme.find("fonts/DejaVuSans.ttf").parent, keywords, targets, template_palette(theme), created)

    def bind(self, frames: Sequence[Part], parts: Sequence[Part]) -> bytes:
        """Draw the deck, as a `Binding` of no parts."""
        return self.draw()

    def draw(self) -> bytes:
        """Return the PDF deck: every slide drawn, tagged, linked and bookmarked."""
        info = self.deck.info
        book = new_document(info.title, info.language, info.author, self.keywords, self.created)
        drawer = _DeckDrawer(book, self)
        layouts = [[drawer.slide(slide, number)] for number, slide in enumerate(self.deck.slides, start=1)]
        drawer.faces.embed(book)
        for number, made in enumerate(add_navigation(book, layouts)):
            for annotation, links in made:
                drawer.structure.tie(drawer.link_elements[number][links[0][1]], annotation)
        drawer.structure.finish()
        warn_missing(drawer.faces.fonts.values(), "the PDF deck shows")
        return save_book(book)


def render_slides_pdf(deck: Deck, course: Course, theme: Theme, created: str = "") -> bytes:
    """Return the PDF deck of `deck`, drawn in this process."""
    return DeckDrawing.of(deck, course, theme, created).draw()


def _links_of(slide: Slide) -> Iterator[Link]:
    """Yield the links of a slide's title and frames, as their runs show them (`deck.text_runs`)."""
    groups: list[tuple[Inline, ...]] = [slide.title]
    for frame in slide.frames:
        if isinstance(frame, TextFrame):
            groups += [para.inlines for para in frame.paras]
        elif isinstance(frame, TableFrame):
            groups += [cell for row in (frame.header, *frame.rows) for cell in row]
    for inlines in groups:
        yield from (run.link for run in text_runs(inlines) if run.link is not None)


# --- fonts ---------------------------------------------------------------------------------------


class _Faces:
    """The deck's fonts as `core.drawing` sets them, one per file of `fit.FONT_FILES`, each embedded once."""

    def __init__(self, folder: Path):
        self.fonts: dict[str, Font] = {}
        for name in dict.fromkeys(FONT_FILES.values()):
            font = Font.load(folder / name)
            font.resource = f"/F{len(self.fonts) + 1}"
            self.fonts[name] = font
        for key, fallbacks in FALLBACKS.items():  # each falls back on the next in line, as the plan measured
            self.font(*key).fallback = self.font(*fallbacks[0])
        self.shown: set[str] = set()  # the resource names of the fonts text was set in

    def font(self, family: str, bold: bool, italic: bool) -> Font:
        return self.fonts[FONT_FILES[(family, bold, italic)]]

    def embed(self, book) -> None:
        """Give the deck's pages their fonts: call it once every slide is drawn (the subsets hold what was drawn)."""
        import pikepdf

        resources = book.make_indirect(pikepdf.Dictionary())
        for font in self.fonts.values():
            if font.resource in self.shown:
                resources[font.resource] = font.embedded(book)
        for page in book.pages:
            page.obj.Resources.Font = resources


# --- text ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    """A piece of a paragraph as it is drawn: its text (as measured), font, size, colour and what it links to."""

    text: str
    font: Font
    size: float
    colour: str
    href: str = ""  # "#id" (a slide of this deck) or a URL
    strike: bool = False
    link: int = -1  # which link of the paragraph it belongs to


@dataclass
class _Text:
    """A paragraph ready to draw: its runs, and the measure that breaks it (as the plan measured it)."""

    runs: list[_Run]
    measure: Para
    align: str = ""  # "", "center" or "right"
    bullet: str = ""  # drawn in the hanging indent
    element: str = "/P"
    links: list[str] = field(default_factory=list)  # the words of each link


@dataclass
class _OpenList:
    """A list being drawn in a text frame: its nesting level, style (bullet or number), element, and its last item's body."""

    level: int
    style: str
    element: Any
    body: Any = None


def _rgb(colour: str, stroke: bool = False) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{red:.3f} {green:.3f} {blue:.3f} {'RG' if stroke else 'rg'}"


class _DeckDrawer:
    """Draws a deck's slides into `book`, one page each."""

    def __init__(self, book, drawing: DeckDrawing):
        self.book, self.deck, self.m = book, drawing.deck, drawing.deck.metrics
        self.faces = _Faces(drawing.fonts)
        self.colours = drawing.colours
        self.measures: Fonts = fonts_in(drawing.fonts)
        self.targets = drawing.targets
        self.structure = BookStructure(book)
        self.pictures: dict[Path, Picture | None] = {}  # None: a picture that cannot be drawn
        self.link_elements: list[list[Any]] = []  # each page's Link elements, in the order of its layout's links

    # --- a slide ---------------------------------------------------------------------------------

    def slide(self, slide: Slide, number: int) -> PageLayout:
        """Draw `slide` on a new page; return where its anchors, links and bookmark are, for `add_navigation`."""
        import pikepdf

        m, colours = self.m, self.colours
        self.page = self.book.add_blank_page(page_size=(m.width, m.height))
        self.ops: list[str] = []
        self.xobjects: dict[str, Any] = {}
        self.links: list[tuple[str, tuple[float, float, float, float], str]] = []
        self.link_elements.append([])
        self.chapter = slide.chapter
        self.section = self.structure.element("/Sect")
        layout = slide.layout
        if layout == "cover":
            self.fill(Box(0, 0, m.width, m.height), colours.title)
            self.title(slide.title, slide.title_size, m.cover_title, colours.cover_text)
            self.fill(Box(m.cover_title.x, m.cover_title.bottom + 8, COVER_RULE_WIDTH, COVER_RULE), colours.accent)
            paras = [TextPara((Text(line),), slide.subtitle_size, space_before=slide.subtitle_size * 0.3) for line in slide.subtitle]
            self.text_frame(TextFrame(m.cover_subtitle, tuple(paras)), colours.cover_subtitle)
        elif layout == "chapter":
            self.fill(Box(0, 0, BAND, m.height), colours.accent)
            label = TextPara((Text(slide.subtitle[0]),), slide.subtitle_size, "label")
            self.at_foot(self._text(label, colours.accent), m.chapter_label)
            self.title(slide.title, slide.title_size, m.chapter_title, colours.title)
            self.fill(Box(m.body.x, m.chapter_title.bottom + 6, m.body.w, RULE), colours.accent)
        else:
            self.title(slide.title, slide.title_size, m.title, colours.title)
            self.fill(Box(m.body.x, m.title.bottom + 4, m.body.w, RULE), colours.rule(layout))
        for frame in slide.frames:
            if isinstance(frame, TextFrame):
                self.text_frame(frame)
            elif isinstance(frame, CodeFrame):
                self.code_frame(frame)
            elif isinstance(frame, TableFrame):
                self.table_frame(frame)
            else:
                self.image_frame(frame)
        if layout != "cover":
            self.footer(number)
        self.page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(self.xobjects))
        self.page.obj.Contents = self.book.make_stream("\n".join(self.ops).encode())
        self.page.obj.Tabs = pikepdf.Name.S
        top = (0.0, 0.0, m.width * PX, 0.0)
        return PageLayout(
            area=(0.0, 0.0),
            anchors=tuple((anchor, top) for anchor in slide.anchors),
            links=tuple(self.links),
            bookmarks=((1, slide.title_text, True, 0.0, 0.0),),
        )

    def artifact(self, operators: str) -> None:
        self.ops.append(f"/Artifact BMC {operators} EMC")

    def fill(self, box: Box, colour: str) -> None:
        self.artifact(f"q {_rgb(colour)} {box.x:.2f} {self.m.height - box.bottom:.2f} {box.w:.2f} {box.h:.2f} re f Q")

    def framed(self, box: Box, fill: str, line: str, dashed: bool) -> None:
        """Draw a box's fill and its line, inside the box."""
        half = BORDER / 2
        dash = "[3 2] 0 d " if dashed else ""
        y = self.m.height - box.bottom
        self.artifact(
            f"q {_rgb(fill)} {box.x:.2f} {y:.2f} {box.w:.2f} {box.h:.2f} re f "
            f"{_rgb(line, stroke=True)} {BORDER} w {dash}"
            f"{box.x + half:.2f} {y + half:.2f} {box.w - BORDER:.2f} {box.h - BORDER:.2f} re S Q"
        )

    def title(self, inlines: tuple[Inline, ...], size: float, box: Box, colour: str) -> None:
        self.at_foot(self._text(TextPara(inlines, size, "heading"), colour, element="/H1"), box)

    def at_foot(self, text: _Text, box: Box) -> None:
        """Draw a paragraph at the foot of `box` (inside its insets), growing upwards, as a title sits in its placeholder."""
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right
        height = self.height(text.measure, width)
        self.paragraph(text, box.x + TEXT_INSETS.left, box.bottom - TEXT_INSETS.bottom - height, width, self.section)

    def footer(self, number: int) -> None:
        m, font = self.m, self.faces.font(SANS, False, False)

        def line(words: str, size: float, x: float) -> str:
            baseline = m.footer.y + FOOT_PAD_TOP + (FOOT_LINE - font.line_height * size) / 2 + font.ascent * size
            return self.show(font, size, x, m.height - baseline, words, self.colours.footer)

        label = str(number)
        right = m.body.x + m.body.w - FOOT_PAD_SIDE
        self.ops.append(
            "/Artifact <</Type /Pagination>> BDC "
            + line(self.deck.footer, self.deck.footer_size, m.footer.x + FOOT_PAD_SIDE)
            + " " + line(label, NUMBER_SIZE, right - font.width(label, NUMBER_SIZE))
            + " EMC"
        )

    # --- frames ----------------------------------------------------------------------------------

    def text_frame(self, frame: TextFrame, colour: str = "") -> None:
        colour = colour or self.colours.text
        label = ""
        if frame.style in look.BOX_STYLES:
            fill, label, dashed = look.BOX_STYLES[frame.style]
            self.framed(frame.box, fill, label, dashed)
        parent = self.section if frame.style in ("text", "caption") else self.structure.element("/Div", self.section)
        insets = frame.insets
        x, y, width = frame.box.x + insets.left, frame.box.y + insets.top, frame.box.w - insets.left - insets.right
        align = "center" if frame.style == "caption" else ""
        lists: list[_OpenList] = []  # the lists being drawn, the outermost first
        for index, para in enumerate(frame.paras):
            text = self._text(para, colour, label, align, first_in_frame=index == 0)
            # The lists this paragraph is inside: a further paragraph of an item is one level deeper than the item.
            inside = para.level if para.bulleted else para.level - 1
            while lists and (lists[-1].level > inside or (para.bulleted and lists[-1].level == inside
                                                           and lists[-1].style != para.style)):
                lists.pop()
            if para.bulleted:
                if not lists or lists[-1].level < para.level:  # a new list, in the item it follows if any
                    holder = lists[-1].body if lists else parent
                    lists.append(_OpenList(para.level, para.style, self.structure.element("/L", holder)))
                item = self.structure.element("/LI", lists[-1].element)
                text.element = "/LBody"
                y = self.paragraph(text, x, y, width, item)
                # Its body, where a nested list or a further paragraph goes (the item itself, if it has no text).
                lists[-1].body = next((kid for kid in item.K if kid.get("/S") == "/LBody"), item)
            elif lists and lists[-1].level == inside:  # a further paragraph of the item
                y = self.paragraph(text, x, y, width, lists[-1].body)
            else:
                lists.clear()
                y = self.paragraph(text, x, y, width, parent)

    def code_frame(self, frame: CodeFrame) -> None:
        self.framed(frame.box, *look.CODE_BOXES.get(frame.style, look.CODE_BOXES["code"]))
        insets = frame.insets
        x, y, width = frame.box.x + insets.left, frame.box.y + insets.top, frame.box.w - insets.left - insets.right
        if frame.title:
            font = self.faces.font(MONO, True, False)
            measure = Para((Span(frame.title, frame.title_size, MONO, True),), frame.title_size)
            y = self.paragraph(_Text([_Run(frame.title, font, frame.title_size, look.CODE_TITLE)], measure), x, y, width, self.section)
        for line in frame.lines:
            runs = []
            for css, words in line:
                colour, bold, italic = look.token_style(css)
                runs.append(_Run(words, self.faces.font(MONO, bold, italic), frame.size, colour))
            y = self.paragraph(_Text(runs, code_para(line, frame.size, frame.hang)), x, y, width, self.section)

    def table_frame(self, frame: TableFrame) -> None:
        import pikepdf

        table = self.structure.element("/Table", self.section)
        head, body = self.structure.element("/THead", table), None
        y = frame.box.y
        for index, (cells, height) in enumerate(zip((frame.header, *frame.rows), frame.heights, strict=True)):
            if index == 1:
                body = self.structure.element("/TBody", table)
            row = self.structure.element("/TR", head if index == 0 else body)
            fill = look.TABLE_HEAD if index == 0 else look.TABLE_ODD if index % 2 else look.TABLE_EVEN
            x = frame.box.x
            for column, width in enumerate(frame.widths):
                # Cells are filled half a line short of each side: the white between them is the table's lines.
                half = BORDER / 2
                self.fill(Box(x + half, y + half, width - BORDER, height - BORDER), fill)
                inlines = cells[column] if column < len(cells) else ()
                align = frame.aligns[column] if column < len(frame.aligns) else ""
                para = TextPara(inlines, frame.size, "label" if index == 0 else "plain")
                colour = look.TABLE_HEAD_TEXT if index == 0 else self.colours.text
                text = self._text(para, colour, colour, align if align in ("center", "right") else "", first_in_frame=True)
                if index == 0:
                    cell = self.structure.element("/TH", row, A=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column))
                else:
                    cell = self.structure.element("/TD", row)
                text.element = ""  # the cell holds the text itself
                inner = width - CELL_INSETS.left - CELL_INSETS.right
                self.paragraph(text, x + CELL_INSETS.left, y + CELL_INSETS.top, inner, cell)
                x += width
            y += height

    def image_frame(self, frame: ImageFrame) -> None:
        picture = self.picture(frame.path)
        if picture is None:
            return
        name, shown = picture
        box = frame.box
        scale = min(box.w / shown.width, box.h / shown.height)
        w, h = shown.width * scale, shown.height * scale
        x, y = box.x + (box.w - w) / 2, self.m.height - (box.y + (box.h - h) / 2) - h
        if shown.origin is None:  # an image fills the unit square
            place = f"{w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f}"
        else:  # a form keeps its own units, from its corner
            left, bottom = shown.origin
            place = f"{scale:.6f} 0 0 {scale:.6f} {x - left * scale:.3f} {y - bottom * scale:.3f}"
        draw = f"q {place} cm {name} Do Q"
        if frame.decorative:
            self.artifact(draw)
        else:
            figure = self.structure.element("/Figure", self.section, alt=frame.alt)
            self.ops.append(self.structure.content(self.page, figure) + draw + " EMC")

    def picture(self, path: Path) -> tuple[str, Picture] | None:
        """Return the resource name of the picture in `path` on this page, and its size (points, or pixels: only the ratio counts)."""
        if path not in self.pictures:
            made = picture_xobject(self.book, path)
            if made is None:
                warn(None, "W-image-unreadable", f"image {path.name} cannot be drawn in the PDF deck")
            self.pictures[path] = made
        made = self.pictures[path]
        if made is None:
            return None
        name = f"/Im{len(self.xobjects) + 1}"
        self.xobjects[name] = made.xobject
        return name, made

    # --- paragraphs ------------------------------------------------------------------------------

    def _text(self, para: TextPara, colour: str, label_colour: str = "", align: str = "", first_in_frame: bool = True,
              element: str = "/P") -> _Text:
        """Return a paragraph of the plan ready to draw, measured as the plan measured it (`text.fit_para`)."""
        measure = fit_para(para, first_in_frame)
        if para.style == "label" and label_colour:
            colour = label_colour
        runs: list[_Run] = []
        links: dict[int, tuple[int, str]] = {}  # each link of the paragraph, by its node: (its number, its words)
        for span, run in zip(measure.spans, text_runs(para.inlines), strict=True):
            href, link = self._href(run.link), -1
            if href and run.link is not None:
                link = links.setdefault(id(run.link), (len(links), plain_text(run.link.children) or run.link.href))[0]
            runs.append(_Run(span.text, self.faces.font(span.family, span.bold, span.italic), span.size,
                             self.colours.link if href else colour, href, run.strike, link))
        bullet = ""
        if para.style == "bullet":
            bullet = "•" if para.level % 2 == 0 else "–"
        elif para.style == "number":
            bullet = f"{para.number}."
        return _Text(runs, measure, align, bullet, element, [words for _, words in links.values()])

    def _href(self, link: Link | None) -> str:
        """Return where a link goes in the deck: its URL, the slide of its target, or nowhere ("")."""
        if link is None:
            return ""
        if link.is_external:
            return link.href
        target = self.targets.get((self.chapter.stem, link.href)) if self.chapter is not None else None
        return f"#{target}" if target else ""

    def paragraph(self, text: _Text, x: float, y: float, width: float, parent) -> float:
        """Draw `text` in a column `width` points wide from (x, y), its lines broken as measured; return where it ends."""
        measure = text.measure
        y += measure.space_before
        line_height = self.measures.line_height(measure)
        chars = "".join(run.text for run in text.runs)
        starts = self.breaks(measure, width)
        sans = self.faces.font(SANS, False, False)
        # A line's text sits half its leading below the line's top, as CSS's `line-height` sets it.
        ascent = sans.ascent * measure.size + (line_height - sans.line_height * measure.size) / 2
        if text.bullet:
            label = self.structure.element("/Lbl", parent)
            baseline = self.m.height - (y + ascent)
            # A number wider than its hang ("10.") ends a space before the text, rather than running into it.
            left = min(x + measure.left + measure.first, x + measure.left - sans.width(text.bullet + " ", measure.size))
            bullet = self.show(sans, measure.size, left, baseline, text.bullet, self.colours.accent)
            self.ops.append(self.structure.content(self.page, label) + bullet + " EMC")
        if not chars.strip():
            return y + len(starts) * line_height  # an empty line: room, and nothing more to read
        owners = [index for index, run in enumerate(text.runs) for _ in run.text]
        links: dict[int, Any] = {}
        element = self.structure.element(text.element, parent) if text.element else parent
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(chars)
            while end > start and chars[end - 1] in " \n":
                end -= 1
            shift = measure.left + (measure.first if number == 0 and not measure.bulleted else 0.0)
            pieces = list(_pieces(text.runs, chars, owners, start, end))
            used = sum(run.font.width(piece, run.size) for run, piece in pieces)
            if text.align == "center":
                shift += (width - shift - used) / 2
            elif text.align == "right":
                shift = width - used
            left, baseline = x + shift, self.m.height - (y + ascent)
            for run, piece in pieces:
                advance = run.font.width(piece, run.size)
                drawn = self.show(run.font, run.size, left, baseline, piece, run.colour)
                if run.href:
                    drawn += self.rule(run, left, baseline, advance, run.font.underline)
                if run.strike:
                    drawn += self.rule(run, left, baseline, advance, run.font.strikeout)
                owner = element
                if run.href:
                    if run.link not in links:
                        links[run.link] = self.structure.element("/Link", element)
                    owner = links[run.link]
                    self.add_link(run, owner, (left, y, left + advance, y + line_height), text.links[run.link])
                self.ops.append(self.structure.content(self.page, owner) + drawn + " EMC")
                left += advance
            y += line_height
        return y

    def breaks(self, measure: Para, width: float) -> list[int]:
        """Return where the lines of a paragraph start: in the room the plan measured, filled as PowerPoint or WeasyPrint fill it.

        The plan measures with a margin (`fit.WIDTH_SAFETY`); without it, a paragraph never takes more lines than planned.
        """
        return self.measures.line_starts(measure, width, safety=1.0)

    def height(self, measure: Para, width: float) -> float:
        """Return a paragraph's height as drawn, its space before included."""
        return measure.space_before + len(self.breaks(measure, width)) * self.measures.line_height(measure)

    def show(self, font: Font, size: float, x: float, baseline: float, words: str, colour: str) -> str:
        """Return the operators that set `words` with its baseline's start at (x, baseline), PDF points."""
        runs = font.runs(words)
        self.faces.shown.update(used.resource for used, _ in runs)
        shown = [f"{used.resource} {size:g} Tf {used.shown(run)} Tj" for used, run in runs]
        return f"BT {_rgb(colour)} {x:.3f} {baseline:.3f} Td {' '.join(shown)} ET"

    def rule(self, run: _Run, x: float, baseline: float, width: float, placed: tuple[float, float]) -> str:
        """Return a line under or through a run: `placed` is (its height above the baseline, its thickness), in em."""
        position, thickness = placed
        return f" {_rgb(run.colour)} {x:.3f} {baseline + position * run.size:.3f} {width:.3f} {thickness * run.size:.3f} re f"

    def add_link(self, run: _Run, element, rect: tuple[float, float, float, float], words: str) -> None:
        """Note a link's box on this line (points, from the slide's top-left corner) for `add_navigation` to make."""
        box = tuple(round(value * PX, 3) for value in rect)
        self.links.append((run.href, box, words))  # type: ignore[arg-type]
        self.link_elements[-1].append(element)


def _pieces(runs: list[_Run], chars: str, owners: list[int], start: int, end: int) -> Iterator[tuple[_Run, str]]:
    """Yield the runs of characters `start` to `end` of a paragraph (`chars`, whose runs `owners` names), newlines left out."""
    index = start
    while index < end:
        owner = owners[index]
        stop = index
        while stop < end and owners[stop] == owner:
            stop += 1
        words = chars[index:stop].replace("\n", "")
        if words:
            yield runs[owner], words
        index = stop
