"""`aula new`: start a course, as a folder that builds at once or split from one long file of notes.

A new course is copied from `generator/skeleton/<language>/`: `course.yml`
with every key explained, an example chapter that uses each convention, the
image it shows and a README for the author. From notes (`--from NOTES.md`),
the file is cut into chapters at its top-level headings, the local images it
shows are copied beside them, and what could not be placed is reported.
Either way nothing is written into a folder that holds anything.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from generator.config import CONFIG_NAME, slugify_title
from generator.errors import AulaError
from generator.parse.markdown import markdown_parser
from generator.render.core.images import DEFAULT_IMAGE_PIXELS, IMAGE_SUFFIXES, ImageRefused, check_image

SKELETON = Path(__file__).parent / "skeleton"
LANGUAGES = ("es", "en")
INTRODUCTION = {"es": "Introducción", "en": "Introduction"}
_SLUG_LENGTH = 40


class ScaffoldError(AulaError):
    """A new course cannot be written: the folder is not empty, the notes cannot be read."""


@dataclass
class NewCourse:
    """What `aula new` did: the files it wrote, and what it could not place (`file:line: why`)."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    not_placed: list[str] = field(default_factory=list)


def new_course(folder: Path, title: str = "", language: str = "es") -> NewCourse:
    """Write a course that builds at once into `folder`: settings, an example chapter, its image, a README."""
    _check_empty(folder)
    source = SKELETON / _language(language)
    title = title or _title_from_folder(folder)
    result = NewCourse(folder)
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(source)
            data = path.read_bytes()
            if path.suffix in (".md", ".yml"):
                data = _fill(path.read_text(encoding="utf-8"), title, folder).encode()
            result.written.append(_write(target, data))
    return result


def course_from_notes(folder: Path, notes: Path, title: str = "", language: str = "es") -> NewCourse:
    """Split `notes` into chapters at its top-level headings, into `folder`, with the local images they show."""
    _check_empty(folder)
    try:
        text = notes.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScaffoldError(f"cannot read the notes: {getattr(error, 'strerror', None) or error}", notes) from None
    split = split_notes(text, INTRODUCTION[_language(language)])
    images = list(_images(text))
    result = NewCourse(folder)
    config = (SKELETON / _language(language) / CONFIG_NAME).read_text(encoding="utf-8")
    result.written.append(_write(folder / CONFIG_NAME, _fill(config, title or split.title or _title_from_folder(folder), folder).encode()))
    taken: set[str] = set()
    for number, chapter in enumerate(split.chapters, start=1):
        slug = _short_slug(chapter.title)
        name = f"{number:02d}-{slug}.md"
        while name in taken:
            name = f"{number:02d}-{slug}-{len(taken)}.md"
        taken.add(name)
        body = _place_images(chapter, [image for image in images if image[1] in chapter.lines], notes, folder, result)
        result.written.append(_write(folder / name, body.encode()))
    return result


# --- splitting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotesChapter:
    """One chapter cut from the notes: its title, its Markdown (title heading first), where it began."""

    title: str
    text: str
    lines: range  # the lines of the notes it was cut from, 1-based


class _Heading(NamedTuple):
    level: int
    start: int  # its first line, 0-based
    end: int  # the line after it (a setext heading takes two)
    text: str
    top: bool  # not inside a box, a quote or a list


@dataclass(frozen=True, slots=True)
class SplitNotes:
    title: str  # the notes' own title (a lone `#` heading first, or front matter `title:`), or ""
    chapters: tuple[NotesChapter, ...]


def split_notes(text: str, introduction: str = "Introducción") -> SplitNotes:
    """Cut notes into chapters at their top-level headings.

    A lone first `#` heading is the course's title, and the chapters are cut at
    the level below it; otherwise at the highest level the notes use. Each
    chapter's heading becomes its `#` title and the headings inside move up as
    many levels (setext headings become `#` ones). Text before the first
    chapter becomes a chapter of its own, `introduction`. Headings inside code
    never cut; inside `:::` boxes or quotes they never cut and keep their level.
    """
    lines = text.splitlines()
    tokens = markdown_parser().parse(text)
    headings = [
        _Heading(int(token.tag[1]), token.map[0], token.map[1], " ".join(tokens[index + 1].content.split()), token.level == 0)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.map
    ]
    skip_to, title = _front_matter(tokens)
    top = [heading for heading in headings if heading.top]
    if len(top) > 1 and top[0].level == 1 and sum(heading.level == 1 for heading in top) == 1:
        title = title or top[0].text
        skip_to = max(skip_to, top[0].end)
        top = top[1:]
    level = min((heading.level for heading in top), default=1)
    cuts = [heading for heading in top if heading.level == level]
    # Headings inside a box or a quote keep their level: they belong to the box (a Carpentries solution's title).
    rewritten = {heading.start: (heading.end, "#" * max(1, heading.level - level + 1) + " " + heading.text)
                 for heading in top if heading.start >= skip_to}
    chapters = []
    starts = [cut.start for cut in cuts] + [len(lines)]
    preamble = lines[skip_to:starts[0]]
    if any(line.strip() and not re.fullmatch(r"\s*([-*_]\s*){3,}", line) for line in preamble):
        text = f"# {introduction}\n\n" + _rewrite(lines, skip_to, starts[0], rewritten)
        chapters.append(NotesChapter(introduction, text, range(skip_to + 1, starts[0] + 1)))
    for cut, end in zip(cuts, starts[1:], strict=True):
        chapters.append(NotesChapter(cut.text, _rewrite(lines, cut.start, end, rewritten), range(cut.start + 1, end + 1)))
    if not chapters:
        chapters.append(NotesChapter(title or introduction, f"# {title or introduction}\n", range(1, 1)))
    return SplitNotes(title, tuple(chapters))


def _front_matter(tokens) -> tuple[int, str]:
    """Return the line after the notes' front matter (0 without one) and its `title`, if any."""
    import yaml

    if not tokens or tokens[0].type != "front_matter" or not tokens[0].map:
        return 0, ""
    try:
        data = yaml.safe_load(tokens[0].content)
    except yaml.YAMLError:
        data = None
    title = data.get("title") if isinstance(data, dict) else None
    return tokens[0].map[1], title if isinstance(title, str) else ""


def _rewrite(lines: list[str], start: int, end: int, headings: dict[int, tuple[int, str]]) -> str:
    """Return lines `start` to `end` with each heading starting there rewritten; blank lines trimmed at both ends."""
    out: list[str] = []
    index = start
    while index < end:
        if index in headings:
            heading_end, heading = headings[index]
            out.append(heading)
            index = heading_end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out).strip("\n") + "\n"


def _short_slug(title: str) -> str:
    slug = slugify_title(title)
    if len(slug) > _SLUG_LENGTH:
        slug = slug[:_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug if slug != "course" else "capitulo"


# --- images ----------------------------------------------------------------------------------


def _place_images(chapter: NotesChapter, images: list[tuple[str, int]], notes: Path, folder: Path, result: NewCourse) -> str:
    """Copy the local `images` (src, line in the notes) a chapter shows into the course; return its text, their links fixed."""
    text = chapter.text
    base = notes.parent.resolve()
    for src, line in images:
        where = f"{notes}:{line}"
        if urlsplit(src).scheme or src.startswith("//"):
            result.not_placed.append(f"{where}: remote image {src} left as a link: the build shows a placeholder, never fetches it")
            continue
        source = (notes.parent / unquote(urlsplit(src).path)).resolve()
        if not source.is_file():
            result.not_placed.append(f"{where}: image {src} not found")
            continue
        try:  # only pictures are copied: a path in someone's notes must not bring any other file into the course
            if source.suffix.lower() not in IMAGE_SUFFIXES:
                raise ImageRefused("unsupported", f"not a picture ({', '.join(IMAGE_SUFFIXES)})")
            check_image(source, DEFAULT_IMAGE_PIXELS)
        except ImageRefused as refusal:
            result.not_placed.append(f"{where}: image {src} not copied: {refusal}")
            continue
        inside = base in source.parents
        relative = source.relative_to(base).as_posix() if inside else f"images/{source.name}"
        target = folder / relative
        if not target.exists():
            shutil.copyfile(source, _parent_made(target))
            result.written.append(target)
        if quote(relative) != src:  # from beside the notes' folder (now under images/), or written another way
            text = text.replace(f"]({src}", f"]({quote(relative)}").replace(f"](<{src}>", f"]({quote(relative)}")
    return text


def _images(text: str) -> Iterator[tuple[str, int]]:
    """Yield the `src` of every image in a Markdown text, with the 1-based line of its paragraph."""
    def walk(tokens, line):
        for token in tokens:
            here = token.map[0] + 1 if token.map else line
            if token.type == "image" and token.attrs.get("src"):
                yield str(token.attrs["src"]), here
            if token.children:
                yield from walk(token.children, here)

    yield from walk(markdown_parser().parse(text), 1)


# --- files -------------------------------------------------------------------------------------


def _check_empty(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError("not an empty folder: a new course is written into an empty or new folder only", folder)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ScaffoldError(f"no course template in `{language}` (known: {', '.join(LANGUAGES)})")
    return language


def _title_from_folder(folder: Path) -> str:
    words = re.sub(r"[-_]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else "Curso"


def _fill(template: str, title: str, folder: Path) -> str:
    # The title is written as a JSON string, which YAML reads as it is whatever it holds (`: `, `#`, quotes).
    quoted = json.dumps(title, ensure_ascii=False)
    return template.replace("title: {{title}}", f"title: {quoted}").replace("{{title}}", title).replace("{{folder}}", str(folder))


def _parent_made(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: Path, data: bytes) -> Path:
    _parent_made(path).write_bytes(data)
    return path
