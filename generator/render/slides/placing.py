"""Placing code, tables and images on slides: whole where they stand, whole on the next slide, or split."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from generator.model import Chapter, CodeBlock, Image, Inline, InlineCode, Strong, Table, Text, plain_text
from generator.render.core.highlight import Run, highlight_lines
from generator.render.core.images import ImageSize
from generator.render.slides.deck import (
    BOX_INSETS,
    CELL_INSETS,
    TEXT_INSETS,
    Box,
    CodeFrame,
    CodeStyle,
    Frame,
    ImageFrame,
    ParaStyle,
    SlideMetrics,
    TableFrame,
    TextPara,
)
from generator.render.slides.fit import MONO, Fonts, Para, Span
from generator.render.slides.pieces import (
    CODE_FLOOR,
    CODE_HEIGHT_FLOOR,
    CODE_MIN_LINES,
    GAP,
    IMAGE_MIN,
    TAB,
    TABLE_FLOOR,
    TABLE_HEIGHT_FLOOR,
    CodePiece,
    CodeSetting,
    ImagePiece,
    Page,
    Piece,
    TablePiece,
    TextPiece,
)
from generator.render.slides.text import code_para, cut_runs, fit_para, merge_runs


class Measuring(Protocol):
    """What placing asks of the planner (`planner.SlidePlanner`): its fonts, paragraphs and images."""

    fonts: Fonts

    def para(
        self, inlines: tuple[Inline, ...], style: ParaStyle = "plain", level: int = 0, number: int = 0, size: float = 0
    ) -> TextPara: ...

    def text_height(self, paras: Iterable[TextPara], width: float) -> float: ...

    def image(self, chapter: Chapter, image: Image) -> tuple[Path, ImageSize] | None: ...


class Placing:
    """The part of a chapter's plan (`planner.ChapterPlan`) that places code, tables and images.

    It fills pages through the methods the plan defines, declared here.
    """

    planner: Measuring
    chapter: Chapter
    m: SlideMetrics
    labels: Mapping[str, str]

    def current(self, slot: str = "") -> Page:
        raise NotImplementedError

    def new_page(self) -> Page:
        raise NotImplementedError

    def remaining(self, page: Page) -> float:
        raise NotImplementedError

    def empty(self, page: Page | None) -> bool:
        raise NotImplementedError

    def box(self, page: Page, height: float, width: float = 0.0) -> Box:
        raise NotImplementedError

    def place(self, page: Page, frame_kind: str, frame: Frame) -> None:
        raise NotImplementedError

    def lay_text(self, piece: TextPiece, following: Piece | None) -> None:
        raise NotImplementedError

    def min_height(self, piece) -> float:
        """Return the least height a piece needs at the foot of a slide."""
        if isinstance(piece, CodePiece):
            # A block that fits a slide is kept whole; a longer one may start with a few lines.
            settings = self.code_settings(piece.block)
            whole = next((c for c in settings if c.total <= self.m.body.h), None)
            if whole is not None:
                return whole.total
            return settings[0].fixed + sum(settings[0].heights[:CODE_MIN_LINES])
        if isinstance(piece, TablePiece):
            return self.m.table_size * 1.2 * 3 + 4 * (CELL_INSETS.top + CELL_INSETS.bottom)
        if isinstance(piece, ImagePiece):
            return self.m.body.h * IMAGE_MIN
        return 0.0

    def code_lines(self, block: CodeBlock) -> list[tuple[Run, ...]]:
        if block.has_class("raw"):
            return [(("", line.replace("\t", TAB)),) for line in block.text.rstrip("\n").split("\n")]
        return [merge_runs(line) for line in highlight_lines(block)]

    def code_size(self, lines: list[tuple[Run, ...]]) -> float:
        """Return the size that keeps the widest line on one line, between the floor and the template's size."""
        fonts = self.planner.fonts
        width = self.m.body.w - BOX_INSETS.left - BOX_INSETS.right
        size = self.m.code_size
        widest = max((fonts.width(Span("".join(t for _, t in line), size, MONO)) for line in lines), default=0.0)
        if widest > width:
            size = max(CODE_FLOOR, float(int(size * width / widest)))
        return size

    def code_setting(self, block: CodeBlock, size: float) -> CodeSetting:
        """Return a code block measured at `size`."""
        fonts = self.planner.fonts
        lines = self.code_lines(block)
        width = self.m.body.w - BOX_INSETS.left - BOX_INSETS.right
        style: CodeStyle = (
            "bad" if block.has_class("bad-example")
            else "synopsis" if block.has_class("synopsis")
            else "raw" if block.has_class("raw")
            else "code"
        )
        title = block.title
        if style == "bad":
            title = f"{title} {self.labels.get('bad_example', '✗')}".strip()
        hang = fonts.width(Span(TAB, size, MONO))
        title_height = 0.0
        if title:
            title_height = fonts.height(Para((Span(title, max(12.0, round(size * 0.7)), MONO, True),), size), width)
        fixed = title_height + BOX_INSETS.top + BOX_INSETS.bottom
        # A line so long that it would not fit a slide even wrapped is cut into lines that do.
        char = fonts.width(Span("x", size, MONO))
        most = int((width - hang) / char) * max(1, int((self.m.body.h - fixed) / (size * 1.2)) - 1)
        lines = [piece for line in lines for piece in cut_runs(line, most)]
        heights = [fonts.height(code_para(line, size, hang), width) for line in lines]
        return CodeSetting(lines, size, hang, title, style, fixed, heights)

    def code_settings(self, block: CodeBlock) -> list[CodeSetting]:
        """Return the block at its own size, then smaller, down to the floor for fitting by height."""
        size = self.code_size(self.code_lines(block))
        sizes = [size] + [float(s) for s in range(int(size) - 1, int(min(size, CODE_HEIGHT_FLOOR)) - 1, -1)]
        return [self.code_setting(block, s) for s in sizes]

    def lay_code(self, block: CodeBlock) -> None:
        """Place a code block: whole where it stands if it fits (smaller if need be), else whole on the next
        slide, else split into continuation slides."""
        settings = self.code_settings(block)
        page = self.current("code")
        here = next((c for c in settings if c.total <= self.remaining(page)), None)
        whole = next((c for c in settings if c.total <= self.m.body.h), None)
        if here is not None:
            chosen = here
        elif whole is not None:
            chosen = whole
            if not self.empty(page):
                self.new_page()
        else:
            chosen = settings[0]
        self.split_code(chosen)

    def split_code(self, code: CodeSetting) -> None:
        lines, heights, i = code.lines, code.heights, 0
        while i < len(lines):
            page = self.current("code")
            available = self.remaining(page) - code.fixed
            take, used = 0, 0.0
            while i + take < len(lines) and used + heights[i + take] <= available:
                used += heights[i + take]
                take += 1
            if take < len(lines) - i and take < CODE_MIN_LINES and not self.empty(page):
                self.new_page()
                continue
            left = len(lines) - i - take
            if 0 < left < CODE_MIN_LINES and take > CODE_MIN_LINES:  # no widow lines on the next slide
                take -= min(CODE_MIN_LINES - left, take - CODE_MIN_LINES)
            take = max(take, 1)
            used = sum(heights[i : i + take])
            chunk = tuple(lines[i : i + take])
            box = self.box(page, used + code.fixed)
            self.place(page, "code", CodeFrame(box, chunk, code.size, code.title, code.style, code.hang))
            i += take
            if i < len(lines):
                self.new_page()

    def table_layout(self, table: Table, size: float) -> tuple[list[float], list[float]] | None:
        """Return column widths and row heights at `size`, or None when the columns cannot fit."""
        fonts = self.planner.fonts
        total = self.m.body.w
        pad = CELL_INSETS.left + CELL_INSETS.right
        columns = len(table.header)
        rows = (table.header, *table.rows)
        least, most = [pad] * columns, [pad] * columns
        for row_number, row in enumerate(rows):
            for col, cell in enumerate(row[:columns]):
                spans = fit_para(self.cell_para(cell, size, row_number == 0)).spans
                longest = max((fonts.width(replace(s, text=w)) for s in spans for w in s.text.split(" ")), default=0.0)
                least[col] = max(least[col], longest + pad)
                most[col] = max(most[col], sum(fonts.width(s) for s in spans) + pad)
        if sum(least) > total:
            return None
        if sum(most) <= total:  # a short table keeps about its natural width
            widths = [w * min(total / sum(most), 1.25) for w in most]
        else:
            spare = total - sum(least)
            flexible = sum(high - low for high, low in zip(most, least, strict=True)) or 1.0
            widths = [low + (high - low) * spare / flexible for high, low in zip(most, least, strict=True)]
        return widths, self.row_heights(table, size, widths)

    def cell_para(self, cell: tuple[Inline, ...], size: float, header: bool) -> TextPara:
        return TextPara(cell, size, "label" if header else "plain")

    def lay_table(self, table: Table) -> None:
        """Place a table: whole where it stands if it fits (smaller if need be), else whole on the next slide,
        else split by rows into continuation slides that repeat the header."""
        layouts = [
            (float(size), layout)
            for size in range(int(self.m.table_size), int(TABLE_FLOOR) - 1, -1)
            if (layout := self.table_layout(table, float(size))) is not None
        ]
        if not layouts:  # words too long for any column: equal columns, words break between characters
            widths = [self.m.body.w / len(table.header)] * len(table.header)
            layouts = [(TABLE_FLOOR, (widths, self.row_heights(table, TABLE_FLOOR, widths)))]
        page = self.current("table")
        # Every row, under the header, must fit a slide; a table that cannot is shown as text.
        layouts = [(s, fit) for s, fit in layouts if fit[1][0] + max(fit[1][1:], default=0.0) <= self.m.body.h]
        if not layouts:
            self.lay_text(TextPiece(self.table_as_text(table)), None)
            return
        readable = [(s, fit) for s, fit in layouts if s >= TABLE_HEIGHT_FLOOR] or layouts[:1]
        here = next(((s, fit) for s, fit in readable if sum(fit[1]) <= self.remaining(page)), None)
        whole = next(((s, fit) for s, fit in readable if sum(fit[1]) <= self.m.body.h), None)
        if here is not None:
            size, (widths, heights) = here
        elif whole is not None:
            size, (widths, heights) = whole
            if not self.empty(page):
                self.new_page()
        else:
            size, (widths, heights) = readable[0]
        header_height, row_heights = heights[0], heights[1:]
        i = 0
        rows = table.rows
        while True:
            page = self.current("table")
            available = self.remaining(page) - header_height
            take, used = 0, 0.0
            while i + take < len(rows) and used + row_heights[i + take] <= available:
                used += row_heights[i + take]
                take += 1
            if take < len(rows) - i and take < 2 and not self.empty(page):
                self.new_page()
                continue
            take = max(take, min(1, len(rows) - i))
            used = sum(row_heights[i : i + take])
            chunk = rows[i : i + take]
            chunk_heights = (header_height, *row_heights[i : i + take])
            box = self.box(page, header_height + used, sum(widths))
            self.place(page, "table", TableFrame(box, table.header, chunk, table.aligns, tuple(widths), chunk_heights, size))
            i += take
            if i >= len(rows):
                break
            self.new_page()

    def table_as_text(self, table: Table) -> list[TextPara]:
        """Return each row of a table as a list item, "Header: value · Header: value"."""
        paras = []
        for row in table.rows:
            inlines: list[Inline] = []
            for index, cell in enumerate(row):
                if index:
                    inlines.append(Text(" · "))
                if index < len(table.header) and plain_text(table.header[index]).strip():
                    inlines.append(Strong((*table.header[index], Text(": "))))
                inlines += cell
            paras.append(self.planner.para(tuple(inlines), "bullet"))
        return paras

    def row_heights(self, table: Table, size: float, widths: list[float]) -> list[float]:
        fonts = self.planner.fonts
        pad = CELL_INSETS.left + CELL_INSETS.right
        heights = []
        for row_number, row in enumerate((table.header, *table.rows)):
            cells = (fit_para(self.cell_para(cell, size, row_number == 0), True) for cell in row[: len(widths)])
            height = max((fonts.height(para, widths[c] - pad) for c, para in enumerate(cells)), default=size * 1.2)
            heights.append(height + CELL_INSETS.top + CELL_INSETS.bottom)
        return heights

    def lay_image(self, image: Image, following=None) -> None:
        found = self.planner.image(self.chapter, image)
        caption = [self.planner.para((Text(image.title),), "caption", size=self.m.text_size - 4)] if image.title else []
        caption_width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
        caption_height = (self.planner.text_height(caption, caption_width) + TEXT_INSETS.top + TEXT_INSETS.bottom + GAP) if caption else 0.0
        if found is None:
            self.lay_text(TextPiece(self.placeholder_paras(image), "placeholder"), None)
            if caption:
                self.lay_text(TextPiece(caption, "caption"), None)
            return
        path, loaded = found
        page = self.current("image")
        minimum = self.m.body.h * IMAGE_MIN
        if not self.empty(page) and self.remaining(page) - caption_height < minimum:
            page = self.new_page()
        height = self.remaining(page) - caption_height
        # A short text after the image keeps a place beside it, if the image stays large enough.
        if isinstance(following, TextPiece) and following.style == "text":
            text_width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
            after = self.planner.text_height(following.paras, text_width) + TEXT_INSETS.top + TEXT_INSETS.bottom + GAP
            if after <= self.m.body.h * 0.25 and height - after >= minimum:
                height -= after
        # Raster images are not blown up beyond twice their size at 96 dpi; SVG scales freely.
        limit_w = self.m.body.w if path.suffix.lower() == ".svg" else min(self.m.body.w, loaded.width * 1.5)
        height = max(height, 1.0)
        w = min(limit_w, height * loaded.width / loaded.height)
        h = w * loaded.height / loaded.width
        box = Box(self.m.body.x + (self.m.body.w - w) / 2, page.y, w, h)
        page.frames.append(ImageFrame(box, path, image.alt, image.decorative))
        page.y += h + GAP
        page.slots["image"] = page.slots.get("image", 0) + 1
        if caption:
            self.lay_text(TextPiece(caption, "caption"), None)

    def placeholder_paras(self, image: Image) -> list[TextPara]:
        remote = image.is_remote
        size = self.m.text_size - 4
        paras = [self.planner.para((Text(self.labels["remote_image" if remote else "missing_image"]),), "label", size=size)]
        if image.alt:
            paras.append(self.planner.para((Text(image.alt),), "plain", size=size))
        paras.append(self.planner.para((InlineCode(image.src),), "url", size=size - 2))
        return paras
