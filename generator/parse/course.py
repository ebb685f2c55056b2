"""Read a course folder into the content model."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from generator.config import Config, slugify_title
from generator.errors import ConfigError, ContentError, warn
from generator.model import Callout, Chapter, Course, CourseInfo, Footnote, Location, Section, plain_text
from generator.parse.anchors import AnchorRegistry, unicode_slug
from generator.parse.blocks import BlockBuilder
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
    """Return one chapter: its `#` title, front matter and `##` sections."""
    text = read_chapter_text(path, config.limits.chapter_bytes)
    if not text.strip():
        raise ContentError("chapter is empty (it needs at least a `# Title` line)", Location(path, 1))
    tokens = markdown_parser(config.limits.nesting).parse(text)
    _warn_unclosed_fences(path, text, tokens)
    _warn_too_deep(path, tokens, config.limits.nesting)
    tree = SyntaxTreeNode(tokens)
    anchors = AnchorRegistry()
    builder = BlockBuilder(path, number, anchors)

    meta: Mapping[str, object] = {}
    title_node = None
    sections: list[Section] = []
    current_title: tuple = ()
    current_anchor = ""
    current_location = Location(path, 1)
    current_level = 2
    pending: list[SyntaxTreeNode] = []
    footnotes: tuple[Footnote, ...] = ()

    def close_section() -> None:
        blocks = builder.blocks(pending)
        if blocks or current_title:
            sections.append(Section(current_title, current_anchor, blocks, current_location, current_level))
        pending.clear()

    for node in tree.children:
        if node.type == "front_matter":
            meta = _front_matter(node, path)
        elif node.type == "footnote_block":
            footnotes = _footnotes(node, builder)
        elif node.type == "heading" and node.tag == "h1" and title_node is None:
            title_node = node
            close_section()
        elif node.type == "heading" and node.tag in ("h1", "h2"):
            close_section()
            current_title = builder.inline_children(node)
            current_anchor = anchors.unique(unicode_slug(plain_text(current_title)))
            current_location = builder.location(node)
            current_level = int(node.tag[1])
        else:
            pending.append(node)
    close_section()

    if title_node is None:
        raise ContentError("chapter has no `#` title heading (the first heading must be `# Title`)", Location(path, 1))
    title = builder.inline_children(title_node)
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
        location=builder.location(title_node),
        objectives=tuple(str(o) for o in objectives),
        duration=str(duration),
        meta=dict(meta),
        footnotes=footnotes,
    )
    _warn_loose_solutions(chapter)
    return chapter


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
    containers = ("blockquote_open", "list_item_open", "footnote_open", "container_div_open")
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
