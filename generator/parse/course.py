"""Read a course folder into the content model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml
from markdown_it.tree import SyntaxTreeNode

from generator.config import Config, slugify_title
from generator.errors import ConfigError, ContentError
from generator.model import Chapter, Course, CourseInfo, Footnote, Location, Section, plain_text
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
    return Course(info, config.root, chapters)


def chapter_paths(config: Config) -> list[Path]:
    """Return the chapter files in reading order: `chapters:` in `course.yml`, else by file name."""
    root = config.root
    if not root.is_dir():
        raise ConfigError(f"course folder not found: {root}")
    if config.chapters:
        paths = [root / name for name in config.chapters]
        for path in paths:
            if not path.exists():
                raise ConfigError(f"chapter listed in course.yml not found: {path}", root / "course.yml")
    else:
        paths = sorted(p for p in root.glob("*.md") if p.name.lower() != "readme.md")
    if not paths:
        raise ContentError("no Markdown chapters (*.md) in the course folder", root)
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
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ContentError(
                f"chapter is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB "
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
    tokens = markdown_parser(config.limits.nesting).parse(text)
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
    return Chapter(
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
