"""The slide planner: which slides a course makes, what each holds and where it sits.

Every frame gets a box measured with the deck's fonts (`fit.py`); whatever
does not fit moves on to a continuation slide titled "… (2/3)", and prose too
long for a slide moves to the speaker notes. Positions and sizes are in points
on the template's slide (960 × 540 pt, 16:9, for the default theme). The result
is a `deck.Deck`; code, tables and images are placed by `placing.Placing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import assert_never

from generator.errors import warn
from generator.links import chapter_id
from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    InlineImage,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from generator.render.core.images import ImageSize, image_size, locate_image
from generator.render.html import HtmlFragments
from generator.render.slides.deck import (
    BOX_INSETS,
    TEXT_INSETS,
    Box,
    Deck,
    Frame,
    FrameStyle,
    Layout,
    ParaStyle,
    Slide,
    SlideMetrics,
    TextFrame,
    TextPara,
)
from generator.render.slides.fit import Fonts
from generator.render.slides.pieces import (
    GAP,
    BreakPiece,
    CodePiece,
    Deferred,
    ImagePiece,
    Page,
    TablePiece,
    TextPiece,
)
from generator.render.slides.placing import Placing
from generator.render.slides.text import fit_para, footnote_notes, leads_on, notes_text, sentences


class SlidePlanner:
    """Plans the slides of one course for one template's metrics."""

    def __init__(self, course: Course, metrics: SlideMetrics, labels: Mapping[str, str], fonts: Fonts):
        self.course = course
        self.metrics = metrics
        self.labels = labels
        self.fonts = fonts
        self._chapters: dict[int, tuple[Slide, ...]] = {}
        self._warned: set = set()
        self.fragments = HtmlFragments(course, dict(labels))

    # --- decks ------------------------------------------------------------

    def deck(self, chapters: Iterable[Chapter] | None = None, cover: bool = True) -> Deck:
        """Return the deck of `chapters` (default: all), after a course title slide if `cover`."""
        chosen = self.course.chapters if chapters is None else tuple(chapters)
        slides = [self.cover()] if cover else []
        for chapter in chosen:
            slides += self.chapter_slides(chapter)
        footer, size = self.fit_footer(self.course.info.title)
        return Deck(self.course.info, self.metrics, tuple(slides), footer, size)

    def fit_footer(self, text: str) -> tuple[str, float]:
        """Return the footer text and size: one line, smaller down to 8 pt, then cut (it repeats the cover)."""
        box, size = self.metrics.footer, self.metrics.footer_size
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right

        def fits(text: str, size: float) -> bool:
            return self.fonts.lines(fit_para(TextPara((Text(text),), size)), width) == 1

        while size > 8 and not fits(text, size):
            size -= 1
        while len(text) > 1 and not fits(text, size):
            text = text[: max(1, len(text) * 9 // 10 - 1)].rstrip() + "…"
        return text, size

    def cover(self) -> Slide:
        info, m = self.course.info, self.metrics
        title = (Text(info.title),)
        lines = [info.subtitle, info.author]
        lines.append(" · ".join(x for x in (f"{self.labels['version']} {info.version}" if info.version else "", info.date) if x))
        lines.append(f"{self.labels['license']}: {info.license}" if info.license else "")
        lines = [line for line in lines if line]
        size = self.fit_lines([(Text(line),) for line in lines], m.cover_subtitle, m.subtitle_size, 14.0)
        title_size = self.fit_title(title, m.cover_title, m.cover_title_size, 24.0)
        return Slide("cover", title, title_size, subtitle=tuple(lines), subtitle_size=size)

    def chapter_slides(self, chapter: Chapter) -> tuple[Slide, ...]:
        """Return the slides of one chapter: its title slide, its sections, exercises and key points."""
        if chapter.number not in self._chapters:
            self._chapters[chapter.number] = ChapterPlan(self, chapter).slides()
        return self._chapters[chapter.number]

    # --- measuring --------------------------------------------------------

    def text_height(self, paras: Iterable[TextPara], width: float) -> float:
        return sum(self.fonts.height(fit_para(p, i == 0), width) for i, p in enumerate(paras))

    def fit_title(self, title: tuple[Inline, ...], box: Box, size: float, floor: float) -> float:
        """Return the largest size (down to `floor`) at which `title` fits `box`.

        A title that does not fit even at the floor is set smaller still (to 10 pt) rather than cut.
        """
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right

        def fits(size: float) -> bool:
            para = TextPara(title, size, "heading")
            return self.text_height([para], width) + TEXT_INSETS.top + TEXT_INSETS.bottom <= box.h

        while size > floor and not fits(size):
            size = max(size - 2, floor)
        while size > 10 and not fits(size):
            size -= 1
        return size

    def fit_lines(self, lines: list[tuple[Inline, ...]], box: Box, size: float, floor: float) -> float:
        width = box.w - TEXT_INSETS.left - TEXT_INSETS.right
        while size > floor:
            paras = [TextPara(line, size, space_before=size * 0.3) for line in lines]
            if self.text_height(paras, width) + TEXT_INSETS.top + TEXT_INSETS.bottom <= box.h:
                break
            size -= 1
        return max(size, floor)

    def para(self, inlines: tuple[Inline, ...], style: ParaStyle = "plain", level: int = 0, number: int = 0, size: float = 0) -> TextPara:
        """Return a paragraph in `style` with the indents and spacing of its kind and nesting level."""
        size = size or max(16.0, self.metrics.text_size - 2 * min(level, 2))
        left = first = 0.0
        if style in ("bullet", "number"):
            hang = size * (1.0 if style == "bullet" else 1.5)
            left, first = level * size * 1.2 + hang, -hang
        elif style == "quote":
            left = size
        elif level:
            left = level * size * 1.2 + size
        space = size * (0.25 if style in ("bullet", "number") else 0.4)
        return TextPara(inlines, size, style, level, number, left, first, space)

    def image(self, chapter: Chapter, image: Image) -> tuple[Path, ImageSize] | None:
        """Return a readable image inside the course and its pixels; warn (as the handout does) about any other."""
        located = locate_image(image.src, chapter.path, self.course.root, self.course.limits.image_pixels)
        if located.path is None:
            self.fragments.local_image(chapter, image.src, image.location)  # warns, once per image
            return None
        loaded = image_size(located.path)
        if loaded is None:
            if (image.location, image.src) not in self._warned:
                self._warned.add((image.location, image.src))
                warn(image.location, "W-image-unreadable", f"image {image.src} cannot be used: unreadable")
            return None
        return located.path, loaded


class ChapterPlan(Placing):
    """Lays out one chapter: packs each section's blocks into slides, top to bottom."""

    planner: SlidePlanner

    def __init__(self, planner: SlidePlanner, chapter: Chapter):
        self.planner = planner
        self.chapter = chapter
        self.m = planner.metrics
        self.labels = planner.labels
        self.pages: list[Page] = []
        self.runs = 0
        self.page: Page | None = None  # the page content is being added to
        self.keypoints: list[Callout] = []
        self.notes: list[str] = []  # notes waiting for the page they belong to
        self.anchors: list[str] = []  # link targets waiting for the page they belong to
        self.after_exercise = False

    # --- result -----------------------------------------------------------

    def slides(self) -> tuple[Slide, ...]:
        chapter = self.chapter
        self.title_slide()
        for section in chapter.sections:
            self.section(section)
        if self.keypoints:
            self.keypoint_slides()
        return self.freeze()

    def freeze(self) -> tuple[Slide, ...]:
        counts: dict[int, int] = {}
        for page in self.pages:
            counts[page.run] = counts.get(page.run, 0) + 1
        seen: dict[int, int] = {}
        slides = []
        for page in self.pages:
            if page.layout == "chapter":
                slides.append(replace(self._chapter_slide, notes=tuple(page.notes), anchors=tuple(page.anchors)))
                continue
            seen[page.run] = seen.get(page.run, 0) + 1
            title = page.title
            if counts[page.run] > 1:
                title = (*title, Text(f" ({seen[page.run]}/{counts[page.run]})"))
            size = self.planner.fit_title(title, self.m.title, self.m.title_size, 22.0)
            slides.append(Slide(
                page.layout, title, size, tuple(page.frames), tuple(page.notes), self.chapter, anchors=tuple(page.anchors)
            ))
        return tuple(slides)

    # --- pages ------------------------------------------------------------

    def start_run(self, layout: Layout, title: tuple[Inline, ...]) -> None:
        """Begin a run of pages sharing `title`; its first page opens with its first content."""
        self.runs += 1
        self.run = (layout, title, self.runs)
        self.page = None
        self.after_exercise = False

    def current(self, slot: str = "") -> Page:
        """Return the page to add to, opening one when there is none or its `slot` kind is used up."""
        limits = {"text": self.m.text_slots, "code": self.m.code_slots, "table": 1, "image": 1}
        if self.page is None or (slot and self.page.slots.get(slot, 0) >= limits[slot]):
            return self.new_page()
        return self.page

    def new_page(self) -> Page:
        layout, title, run = self.run
        self.page = Page(layout, title, run, self.m.body.y)
        self.page.notes += self.notes
        self.page.anchors += self.anchors
        self.notes, self.anchors = [], []
        self.after_exercise = False
        self.pages.append(self.page)
        return self.page

    def remaining(self, page: Page) -> float:
        return self.m.body.bottom - page.y

    def empty(self, page: Page | None) -> bool:
        return page is None or not page.frames

    def box(self, page: Page, height: float, width: float = 0.0) -> Box:
        """Return the box of the next frame on `page`: below the last one, the body's width unless narrower."""
        return Box(self.m.body.x, page.y, width or self.m.body.w, height)

    def place(self, page: Page, frame_kind: str, frame: Frame) -> None:
        """Put `frame` (in a box from `box`) on `page`, and count it against the page's slots of its kind."""
        page.frames.append(frame)
        page.y += frame.box.h + GAP
        page.slots[frame_kind] = page.slots.get(frame_kind, 0) + 1

    def add_notes(self, lines: list[str], to_last: bool = False) -> None:
        """Add speaker notes to the page being filled (or, with `to_last`, the last page made)."""
        if not lines:
            return
        if self.page is not None:
            self.page.notes += lines
        elif to_last and self.after_exercise:
            self.pages[-1].notes += lines
        else:
            self.notes += lines

    # --- slides -----------------------------------------------------------

    def title_slide(self) -> None:
        chapter, m, labels = self.chapter, self.m, self.labels
        label = f"{labels['chapter']} {chapter.number}"
        if chapter.duration:
            label += f" · {labels['duration']}: {chapter.duration}"
        frames: list[Frame] = []
        spilled: list[TextPara] = []
        if chapter.objectives:
            width = m.chapter_body.w - TEXT_INSETS.left - TEXT_INSETS.right
            for size in range(int(m.text_size), 13, -1):
                paras = [self.planner.para((Text(labels["objectives"]),), "label", size=float(size))]
                paras += [self.planner.para((Text(o),), "bullet", size=float(size)) for o in chapter.objectives]
                height = self.planner.text_height(paras, width) + TEXT_INSETS.top + TEXT_INSETS.bottom
                if height <= m.chapter_body.h:
                    frames.append(TextFrame(replace(m.chapter_body, h=height), tuple(paras)))
                    break
            else:  # too many to fit even small: they get slides of their own, after the title
                spilled = [self.planner.para((Text(o),), "bullet") for o in chapter.objectives]
        title_size = self.planner.fit_title(chapter.title, m.chapter_title, m.chapter_title_size, 24.0)
        self._chapter_slide = Slide(
            "chapter", chapter.title, title_size, tuple(frames), (), chapter,
            subtitle=(label,), subtitle_size=m.subtitle_size,
        )
        self.runs += 1
        page = Page("chapter", chapter.title, self.runs, m.body.y, anchors=[chapter_id(chapter)])
        self.pages.append(page)
        self.page = page  # notes before the first section land on the title slide
        if spilled:
            self.start_run("content", (Text(labels["objectives"]),))
            self.lay_text(TextPiece(spilled), None)

    def section(self, section: Section) -> None:
        self.start_run("content", section.title or self.chapter.title)
        # Links into the section, its subheadings and exercises land on its first slide.
        self.anchors += self.planner.fragments.links.ids_in(self.chapter, section)
        blocks = section.blocks
        self.pieces(self.to_pieces(blocks, prose_to_notes=True))
        self.flush_notes()

    def flush_notes(self) -> None:
        """Give notes still waiting (a section with nothing else to show) to the last slide."""
        if self.notes or self.anchors:
            self.pages[-1].notes += self.notes
            self.pages[-1].anchors += self.anchors
            self.notes, self.anchors = [], []

    def exercise(self, callout: Callout) -> None:
        resume = self.run
        label = f"{self.labels['exercise']} {self.chapter.number}.{callout.number}" if callout.number else self.labels["exercise"]
        self.start_run("exercise", self.callout_title(label, callout))
        blocks = tuple(b for b in callout.blocks if not (isinstance(b, Callout) and b.kind == "solution"))
        self.pieces(self.to_pieces(blocks, prose_to_notes=False))
        self.current()  # an exercise always has its slide, even if empty
        solutions = [callout.solution] if callout.solution else []
        solutions += [b for b in callout.blocks if isinstance(b, Callout) and b.kind == "solution" and b is not callout.solution]
        for solution in solutions:
            label = self.labels["solution"]
            if callout.number:
                label += f" {self.chapter.number}.{callout.number}"
            self.solution(self.callout_title(label, callout), solution)
        self.run = resume
        self.page = None  # the section goes on on a new slide
        self.after_exercise = True

    def solution(self, title: tuple[Inline, ...], callout: Callout) -> None:
        self.start_run("solution", title)
        self.pieces(self.to_pieces(callout.blocks, prose_to_notes=False))
        self.current()

    def callout_title(self, label: str, callout: Callout) -> tuple[Inline, ...]:
        return (Text(f"{label}: {callout.title}" if callout.title else label),)

    def keypoint_slides(self) -> None:
        titled = next((c.title for c in self.keypoints if c.title), "")
        self.start_run("keypoints", (Text(titled or self.labels["keypoints"]),))
        blocks = tuple(b for c in self.keypoints for b in c.blocks)
        self.pieces(self.to_pieces(blocks, prose_to_notes=False))

    # --- blocks to pieces -------------------------------------------------

    def to_pieces(self, blocks: Iterable[Block], prose_to_notes: bool, level: int = 0) -> list:
        """Turn blocks into pieces (text, code, table, image, break); teaching blocks act at once.

        Exercises and key points are not pieces: they are handled when reached, so a
        section's pieces are laid out up to them first.
        """
        pieces: list = []

        def text(paras: list[TextPara], notes: list[str] | None = None, para_notes=None) -> None:
            para_notes = para_notes or [[] for _ in paras]
            if paras:
                para_notes[0] = [*(notes or []), *para_notes[0]]
            if pieces and isinstance(pieces[-1], TextPiece) and pieces[-1].style == "text":
                pieces[-1].paras += paras
                pieces[-1].notes += para_notes
                if not paras and notes:
                    pieces[-1].notes[-1] += notes
            elif paras:
                pieces.append(TextPiece(list(paras), "text", para_notes))
            elif notes:
                pieces.append(Deferred(lambda: self.add_notes(notes)))

        for block in blocks:
            match block:
                case Paragraph():
                    image = self.lone_image(block)
                    if image is not None:
                        pieces.append(ImagePiece(image))
                    else:
                        text(*self.paragraph(block, prose_to_notes, level))
                case Heading():
                    text([self.planner.para(block.inlines, "heading")])
                case ListBlock():
                    for number, item in enumerate(block.items, block.start):
                        style: ParaStyle = "number" if block.ordered else "bullet"
                        first, *rest = item.blocks or (Paragraph((), item.location),)
                        if isinstance(first, Paragraph):
                            text([self.planner.para(first.inlines, style, level, number)], footnote_notes(self.chapter, first.inlines))
                        else:
                            text([self.planner.para((), style, level, number)])
                            rest = [first, *rest]
                        for piece in self.to_pieces(rest, False, level + 1):
                            if isinstance(piece, TextPiece) and piece.style == "text":
                                text(piece.paras, para_notes=piece.notes)
                            else:
                                pieces.append(piece)
                case CodeBlock():
                    pieces.append(CodePiece(block))
                case HtmlBlock():
                    if not block.is_comment:
                        raw = CodeBlock(block.text, "html", CodeKind.TEXT, block.location, classes=("raw",))
                        pieces.append(CodePiece(raw))
                case Table():
                    pieces.append(TablePiece(block))
                case Image():
                    pieces.append(ImagePiece(block))
                case Quote():
                    for piece in self.to_pieces(block.blocks, prose_to_notes, level):
                        if isinstance(piece, TextPiece) and piece.style == "text":
                            quoted = [replace(p, style="quote", left=p.left + p.size) if p.style == "plain" else p for p in piece.paras]
                            text(quoted, para_notes=piece.notes)
                        else:
                            pieces.append(piece)
                case ThematicBreak():
                    pieces.append(BreakPiece())
                case Callout():
                    pieces += self.callout_pieces(block)
                case _:
                    assert_never(block)
        return pieces

    def callout_pieces(self, callout: Callout) -> list:
        kind = callout.kind
        if kind in ("notes", "teacher"):
            label = self.labels.get(kind, kind)
            return [Deferred(lambda: self.add_notes([f"{label}:", *notes_text(callout.blocks)], to_last=True))]
        if kind == "exercise":
            return [Deferred(lambda: self.exercise(callout))]
        if kind == "solution":  # a solution not attached to any exercise
            label = self.labels["solution"]
            return [Deferred(lambda: self.solution(self.callout_title(label, callout), callout))]
        if kind == "keypoints":
            return [Deferred(lambda: self.keypoints.append(callout))]
        label = self.labels.get(kind, kind.capitalize())
        if callout.title:
            label = f"{label}: {callout.title}"
        size = self.m.text_size - 2
        frame: FrameStyle = "tip" if kind == "tip" else "warning" if kind == "warning" else "hint" if kind == "hint" else "callout"
        box = TextPiece([self.planner.para((Text(label),), "label", size=size)], frame)
        inner: list = []
        for piece in self.to_pieces(callout.blocks, prose_to_notes=False):
            if isinstance(piece, TextPiece):
                box.paras += [replace(p, size=min(p.size, size)) for p in piece.paras]
                box.notes += piece.notes
            else:
                inner.append(piece)
        return [box, *inner]

    def lone_image(self, block: Paragraph) -> Image | None:
        if len(block.inlines) == 1 and isinstance(block.inlines[0], InlineImage):
            run = block.inlines[0]
            return Image(run.src, run.alt, block.location, run.title)
        return None

    def paragraph(self, block: Paragraph, prose_to_notes: bool, level: int) -> tuple[list[TextPara], list[str]]:
        """Return what a paragraph puts on the slide and in the notes.

        Long prose goes to the notes whole; its lead sentence stays on the slide when short.
        """
        planner = self.planner
        para = planner.para(block.inlines, "plain", level)
        notes = footnote_notes(self.chapter, block.inlines)
        if not prose_to_notes:
            return [para], notes
        width = self.m.body.w - TEXT_INSETS.left - TEXT_INSETS.right
        parts = sentences(block.inlines)
        if len(parts) <= 2 and planner.fonts.lines(fit_para(para), width) <= 3:
            return [para], notes
        notes = [plain_text(block.inlines).replace("\n", " "), *notes]
        lead = planner.para(parts[0], "plain", level) if parts else None
        if lead is not None and planner.fonts.lines(fit_para(lead), width) <= 2:
            return [lead], notes
        return [], notes

    # --- laying out pieces ------------------------------------------------

    def pieces(self, pieces: list) -> None:
        for index, piece in enumerate(pieces):
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            if isinstance(piece, Deferred):
                piece.action()
            elif isinstance(piece, TextPiece):
                self.lay_text(piece, following)
            elif isinstance(piece, CodePiece):
                self.lay_code(piece.block)
            elif isinstance(piece, TablePiece):
                self.lay_table(piece.table)
            elif isinstance(piece, ImagePiece):
                self.lay_image(piece.image, following)
            elif isinstance(piece, BreakPiece):
                if self.page is not None and self.page.frames and following is not None:
                    self.page = None

    def lay_text(self, piece: TextPiece, following) -> None:
        planner = self.planner
        insets = TEXT_INSETS if piece.style == "text" else BOX_INSETS
        width = self.m.body.w - insets.left - insets.right
        paras = list(piece.paras)
        notes = list(piece.notes)
        fixed = insets.top + insets.bottom
        # Text that leads into a code block, table or image stays on the same slide with its start.
        if self.page is not None and following is not None and not isinstance(following, (TextPiece, BreakPiece, Deferred)):
            if leads_on(paras[-1]):
                together = planner.text_height(paras, width) + fixed + GAP + self.min_height(following)
                if together > self.remaining(self.page) and together <= self.m.body.h and self.page.frames:
                    self.page = None
        i = 0
        while i < len(paras):
            page = self.current("text")
            available = self.remaining(page) - fixed
            take, used = 0, 0.0
            while i + take < len(paras):
                height = planner.fonts.height(fit_para(paras[i + take], take == 0), width)
                if used + height > available:
                    break
                used += height
                take += 1
            # A heading, a label or a line ending in a colon never ends a slide with what it leads into on the next.
            fitted = take
            while 0 < take < len(paras) - i and leads_on(paras[i + take - 1]):
                take -= 1
                used = planner.text_height(paras[i : i + take], width)
            if take == 0 and fitted and self.empty(page):  # only lead-ins fit even an empty slide: keep them
                take, used = fitted, planner.text_height(paras[i : i + fitted], width)
            if take == 0:
                if not self.empty(page):
                    self.new_page()
                    continue
                parts = self.split_para(paras[i], width, available)
                paras[i : i + 1] = parts
                notes[i : i + 1] = [notes[i]] + [[] for _ in parts[1:]]
                continue
            chunk = tuple(paras[i : i + take])
            chunk = (replace(chunk[0], space_before=0.0), *chunk[1:])
            self.place(page, "text", TextFrame(self.box(page, used + fixed), chunk, piece.style))
            page.notes += [line for lines in notes[i : i + take] for line in lines]
            i += take
            if i < len(paras):
                self.new_page()

    def split_para(self, para: TextPara, width: float, available: float) -> list[TextPara]:
        """Split a paragraph taller than a whole slide into sentences, else set it smaller, else cut it
        between words (its formatting dropped: only a paragraph of a thousand words gets there)."""
        parts = sentences(para.inlines)
        if len(parts) > 1:
            follow = replace(para, style="plain" if para.bulleted else para.style, first=0.0)
            return [replace(para, inlines=parts[0]), *(replace(follow, inlines=p) for p in parts[1:])]
        fonts = self.planner.fonts
        size = para.size
        while size > 12 and fonts.height(fit_para(replace(para, size=size), True), width) > available:
            size -= 1
        para = replace(para, size=size)
        if fonts.height(fit_para(para, True), width) <= available:
            return [para]
        words, chunks = plain_text(para.inlines).split(" "), list[TextPara]()
        while words:
            take = len(words)
            while take > 1 and fonts.height(fit_para(replace(para, inlines=(Text(" ".join(words[:take])),)), True), width) > available:
                take = max(1, take * 3 // 4)
            chunks.append(replace(para if not chunks else replace(para, style="plain", first=0.0), inlines=(Text(" ".join(words[:take])),)))
            words = words[take:]
        return chunks



    # --- images -----------------------------------------------------------
