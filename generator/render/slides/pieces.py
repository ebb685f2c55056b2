"""What a chapter's blocks become on the way to slides: pieces to place, and the pages being filled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.model import CodeBlock, Image, Inline, Table
from generator.render.core.highlight import Run
from generator.render.slides.deck import CodeStyle, Frame, FrameStyle, Layout, TextPara

# Code is set no smaller than this when a line is too wide; longer lines then wrap. The
# issue allows 12 pt; 14 pt stays readable from the back of a classroom.
CODE_FLOOR = 14.0


# A code block that does not fit one slide is set smaller, but not below this, before it is split.
CODE_HEIGHT_FLOOR = 16.0


CODE_MIN_LINES = 3  # never start a code block at the foot of a slide with fewer lines than this


TABLE_FLOOR = 12.0  # for a table too wide; it is split by rows before it goes below TABLE_HEIGHT_FLOOR


TABLE_HEIGHT_FLOOR = 14.0


IMAGE_MIN = 0.55  # an image gets at least this share of the body height, or a slide of its own


GAP = 10.0  # between frames stacked on a slide


TAB = "    "


@dataclass
class Page:
    layout: Layout
    title: tuple[Inline, ...]
    run: int  # pages of one run share a title and are numbered (1/3), (2/3) …
    y: float
    frames: list[Frame] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    slots: dict[str, int] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)


@dataclass
class TextPiece:
    paras: list[TextPara]
    style: FrameStyle = "text"
    notes: list[list[str]] = field(default_factory=list)  # per paragraph: notes for its slide

    def __post_init__(self) -> None:
        self.notes += [[] for _ in range(len(self.paras) - len(self.notes))]


@dataclass
class CodePiece:
    block: CodeBlock


@dataclass
class TablePiece:
    table: Table


@dataclass
class ImagePiece:
    image: Image


@dataclass
class BreakPiece:
    pass


@dataclass
class CodeSetting:
    """A code block measured at one size: its lines' heights and the fixed part (title, insets)."""

    lines: list[tuple[Run, ...]]
    size: float
    hang: float
    title: str
    style: CodeStyle
    fixed: float
    heights: list[float]

    @property
    def total(self) -> float:
        return self.fixed + sum(self.heights)


@dataclass
class Deferred:
    """A teaching block acted on when the layout reaches it (an exercise, notes, key points)."""

    action: Callable[[], None]


Piece = TextPiece | CodePiece | TablePiece | ImagePiece | BreakPiece | Deferred
