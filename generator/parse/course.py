"""Read a course folder into the content model."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from generator.config import Config, slugify_title
from generator.errors import ConfigError, ContentError, warn
from generator.model import Callout, Chapter, Course, CourseInfo, Footnote, Location, Section, Text, plain_text
from generator.parse import dialects
from generator.parse.anchors import AnchorRegistry, unicode_slug
from generator.parse.blocks import BlockBuilder
from generator.parse.dialects import Anchors, Item
from generator.parse.markdown import markdown_parser


def parse_course(config: Config) -> Course:
    """Return the course in `config.root`, every chapter parsed."""
    paths = chapter_paths(config)
    chapters = tuple(parse_chapter(path, number, config) for number, path in enumerate(paths, start=1))
    title = config.title or chapters[0].title_text
    info = CourseInfo(
        title=title,
        slug=config.slug or slugify_title(title),
        subtitle=config.subtitle,
        author=config.author,
        language=config.language,
        license=config.license,
        version=config.version,
        date=config.date,
    )
    return Course(info, config.root, chapters, config.limits)


def chapter_paths(config: Config) -> list[Path]:
    """Return the chapter files in reading order: `chapters:` in `course.yml`, else by file name."""
    root = config.root
    if not root.is_dir():
        raise ConfigError(f"course folder not found: {root}")
    if config.chapters:
        paths = [root / name for name in config.chapters]
        for path in paths:
            if not os.path.exists(path):  # not Path.exists, which raises on a name too long
                raise ConfigError(f"chapter listed in course.yml not found: {path}", root / "course.yml")
    else:
        paths = sorted(p for p in root.glob("*.md") if p.name.lower() != "readme.md")
    if not paths:
        raise ContentError("no Markdown chapters (*.md) in the course folder", root)
    real_root = root.resolve()
    for path in paths:
        try:
            real = path.resolve()
        except RuntimeError:
            raise ContentError("is a loop of symbolic links", path) from None
        # The build reads nothing outside the course: not `../x.md`, not a symlink pointing out.
        if real_root not in real.parents:
            raise ContentError("chapter is outside the course folder (a symlink or `..` path?)", path)
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            raise ConfigError(f"two chapters share the name `{path.stem}`: {stems[path.stem]} and {path}", path)
        stems[path.stem] = path
    return paths


def read_chapter_text(path: Path, max_bytes: int) -> str:
    """Return a chapter's text, refusing what is not a readable UTF-8 text file of sane size."""
    if path.is_dir():
        raise ContentError("is a folder, not a Markdown file", path)
    if not path.is_file():  # a pipe or a device would block the build or never end
        raise ContentError("is not a regular file", path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ContentError(
                f"chapter is {size:,} bytes, over the limit of {max_bytes:,} "
                "(set `limits: {chapter_bytes: …}` in course.yml to raise it)",
                path,
            )
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(f"cannot read: {error.strerror}", path) from None
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ContentError("contains a NUL byte: is this a binary file?", Location(path, line))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8", Location(path, line)
        ) from None


def parse_chapter(path: Path, number: int, config: Config) -> Chapter:
    """Return one chapter: its title, front matter and `##` sections."""
    text = read_chapter_text(path, config.limits.chapter_bytes)
    if not text.strip():
        raise ContentError("chapter is empty (it needs at least a `# Title` line)", Location(path, 1))
    tokens = markdown_parser(config.limits.nesting).parse(text)
    _warn_unclosed_fences(path, text, tokens)
    _warn_too_deep(path, tokens, config.limits.nesting)
    tree = SyntaxTreeNode(tokens)
    front = next((node for node in tree.children if node.type == "front_matter"), None)
    meta: Mapping[str, object] = _front_matter(front, path) if front is not None else {}
    deck = dialects.is_slide_deck(tree.children, meta)
    items = dialects.mark_anchors(dialects.slides(list(tree.children)) if deck else tree.children)
    plan = _title_plan(path, items, meta, front)
    anchors = AnchorRegistry()
    builder = BlockBuilder(path, number, anchors, plan.shift)

    title: tuple = (Text(plan.text),) if plan.text else ()
    chapter_anchors: tuple[str, ...] = ()
    sections: list[Section] = []
    current_title: tuple = ()
    current_anchor = ""
    current_location = Location(path, 1)
    current_level = 2
    current_anchors: tuple[str, ...] = ()
    pending: list[Item] = []
    footnotes: tuple[Footnote, ...] = ()

    def heading_anchors() -> tuple[str, ...]:
        """Take from the end of `pending` the anchors written right before a heading (and, in a deck, `---`)."""
        names: list[str] = []
        while pending and (isinstance(pending[-1], Anchors) or (deck and dialects.is_break(pending[-1]))):
            item = pending.pop()
            if isinstance(item, Anchors):
                names[:0] = item.names
        return tuple(names)

    def close_section() -> None:
        while deck and pending and dialects.is_break(pending[-1]):
            pending.pop()  # a slide break before a new section or at the end: the heading breaks already
        blocks = builder.blocks(pending)
        loose = builder.take_loose_anchors()
        if blocks or current_title or loose:
            sections.append(
                Section(current_title, current_anchor, blocks, current_location, current_level, current_anchors + loose)
            )
        pending.clear()

    for item in items:
        if isinstance(item, SyntaxTreeNode) and item.type == "front_matter":
            continue
        if isinstance(item, SyntaxTreeNode) and item.type == "footnote_block":
            footnotes = _footnotes(item, builder)
        elif item is plan.node:
            before = heading_anchors()
            close_section()
            title, own = builder.heading(item)
            chapter_anchors = before + own
            current_title, current_anchor, current_level, current_anchors = (), "", 2, ()
        elif dialects.is_heading(item) and _level(item) - plan.shift <= 2:
            before = heading_anchors()
            close_section()
            current_title, own = builder.heading(item)
            current_anchor = anchors.unique(unicode_slug(plain_text(current_title)))
            current_location = builder.location(item)
            current_level = max(1, _level(item) - plan.shift)
            current_anchors = before + own
        else:
            pending.append(item)
    close_section()

    title_text = plain_text(title)
    anchor = unicode_slug(title_text) or f"chapter-{number}"
    objectives = meta.get("objectives", ())
    if isinstance(objectives, str):
        objectives = (objectives,)
    if not isinstance(objectives, (list, tuple)) or not all(isinstance(o, (str, int, float)) for o in objectives):
        raise ContentError("front matter `objectives` must be a list of texts", Location(path, 2))
    duration = meta.get("duration", "")
    if not isinstance(duration, (str, int, float)):
        raise ContentError("front matter `duration` must be a text such as `2 h`", Location(path, 2))
    chapter = Chapter(
        path=path,
        number=number,
        title=title,
        anchor=anchor,
        sections=tuple(sections),
        location=builder.location(plan.node) if plan.node is not None else Location(path, plan.line),
        objectives=tuple(str(o) for o in objectives),
        duration=str(duration),
        meta=dict(meta),
        footnotes=footnotes,
        anchors=chapter_anchors,
    )
    _warn_loose_solutions(chapter)
    return chapter


def _level(heading: SyntaxTreeNode) -> int:
    return int(heading.tag[1])


@dataclass(frozen=True, slots=True)
class _TitlePlan:
    """Where a chapter's title comes from, and how far its headings move up because of it."""

    node: SyntaxTreeNode | None  # the heading that is the title, if one is
    text: str = ""  # the title, when no heading gives it
    line: int = 1  # where that title was found
    shift: int = 0  # levels the headings move up: with a `##` title, `###` are sections


def _title_plan(path: Path, items: list[Item], meta: Mapping[str, object], front: SyntaxTreeNode | None) -> _TitlePlan:
    """Decide the chapter's title: `# Title`, else front matter `title:`, the first heading, the file name.

    The `#` counts only as the first heading: a `#` after `##` headings is one more
    section (a slide deck's last slide, `# Questions?`), not the chapter's title.
    Every fallback is a warning at the place the title was taken from.
    """
    headings = [item for item in items if dialects.is_heading(item)]
    levels = [_level(heading) for heading in headings]
    if headings and levels[0] == 1:
        return _TitlePlan(headings[0])
    written = meta.get("title")
    if isinstance(written, (str, int, float)) and str(written).strip():
        title = " ".join(str(written).split())
        shift = max(0, min(levels) - 2) if levels else 0
        line = _front_matter_line(front, "title")
        warn(Location(path, line), "W-title-from-front-matter",
             f"no `# Title` heading: the chapter is titled by its front matter `title:` (“{title}”){_moved(shift)}")
        return _TitlePlan(None, title, line, shift)
    if headings:
        first = headings[0]
        shift = min(levels) - 1
        shown = f"{'#' * levels[0]} {first.children[0].content if first.children else ''}".rstrip()
        warn(Location(path, first.map[0] + 1 if first.map else 1), "W-title-from-heading",
             f"no `# Title` heading first: the chapter is titled by its first heading, `{shown}`{_moved(shift)}")
        return _TitlePlan(first, shift=shift)
    title = title_from_file_name(path)
    if not title:
        raise ContentError(
            "chapter has no `#` title heading, no front matter `title:` and no other heading, and its file "
            "name gives no title: add a `# Title` line",
            Location(path, 1),
        )
    warn(Location(path, 1), "W-title-from-file-name",
         f"no heading and no front matter `title:`: the chapter is titled “{title}” after its file name")
    return _TitlePlan(None, title)


def _moved(shift: int) -> str:
    if not shift:
        return ""
    return f"; its headings move {shift} level{'s' if shift > 1 else ''} up (`{'#' * (shift + 2)}` are its sections)"


def _front_matter_line(front: SyntaxTreeNode | None, key: str) -> int:
    """Return the line of `key:` in the front matter, or 1."""
    if front is None or not front.map:
        return 1
    for offset, line in enumerate(front.content.splitlines()):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return front.map[0] + 2 + offset  # the block starts after the opening `---`
    return 1


def title_from_file_name(path: Path) -> str:
    """Return a title made from a chapter's file name (`02-webapps.md` → "Webapps"), or "" when it has no words."""
    name = re.sub(r"^\d+(?:[._-]\d+)*[\s._-]*", "", path.stem)
    name = " ".join(re.split(r"[\s._-]+", name)).strip()
    if not any(char.isalpha() for char in name):
        return ""
    return name[0].upper() + name[1:]


def _warn_unclosed_fences(path: Path, text: str, tokens: list[Token]) -> None:
    """Warn about each code fence that is never closed: everything after it became code."""
    lines = re.split(r"\r\n|\r|\n", text)
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        last = lines[end - 1].lstrip(" \t>").rstrip() if end - 1 > start else ""  # `>`: a fence inside a quote
        if not (len(last) >= len(token.markup) and set(last) == {token.markup[0]}):
            warn(
                Location(path, start + 1),
                "W-unclosed-fence",
                f"code fence {token.markup} is never closed: what follows it, up to the end of its "
                "block or chapter, is shown as code",
            )


def _warn_too_deep(path: Path, tokens: list[Token], max_nesting: int) -> None:
    """Warn about the first block nested so deep that markdown-it left its content out."""
    containers = ("blockquote_open", "list_item_open", "footnote_open", "container_div_open", "admonition_open",
                  "remark_wrapper_open")
    for token in tokens:
        if token.type in containers and token.level + 1 >= max_nesting and token.map:
            warn(
                Location(path, token.map[0] + 1),
                "W-too-deep",
                f"nested more than {max_nesting} levels deep: what lies deeper is left out "
                "(`limits: {nesting: …}` in course.yml)",
            )
            return


def _warn_loose_solutions(chapter: Chapter) -> None:
    """Warn about each solution that belongs to no exercise: it is printed where it stands."""
    blocks = list(chapter.blocks())
    attached = {id(block.solution) for block in blocks if isinstance(block, Callout) and block.solution is not None}
    # A second solution written inside an exercise (Carpentries' "Solution 1", "Solution 2") is its too.
    attached |= {
        id(inner)
        for block in blocks
        if isinstance(block, Callout) and block.kind == "exercise"
        for inner in block.blocks
        if isinstance(inner, Callout) and inner.kind == "solution"
    }
    for block in blocks:
        if isinstance(block, Callout) and block.kind == "solution" and id(block) not in attached:
            warn(
                block.location,
                "W-loose-solution",
                "solution outside any exercise, printed where it stands in both editions: "
                "put it right after (or inside) its `::: exercise`",
            )


def _front_matter(node: SyntaxTreeNode, path: Path) -> Mapping[str, object]:
    try:
        data = yaml.safe_load(node.content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # the block starts after the opening `---`
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ContentError(f"front matter: {problem}", Location(path, line)) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ContentError("front matter must be a mapping (key: value)", Location(path, 2))
    return data


def _footnotes(node: SyntaxTreeNode, builder: BlockBuilder) -> tuple[Footnote, ...]:
    notes = []
    for footnote in node.children:
        number = int(footnote.meta.get("id", 0)) + 1
        notes.append(Footnote(str(footnote.meta.get("label", number)), number, builder.blocks(footnote.children)))
    return tuple(notes)
