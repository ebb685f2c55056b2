"""Content model to HTML fragments, shared by the handout and the PDF slides.

Every piece of text is escaped: a chapter cannot inject markup, scripts or
resource loads. Links inside the course become PDF links; links out of it are
printed, because paper cannot be clicked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import assert_never
from urllib.parse import quote

from markupsafe import Markup, escape

from generator.errors import warn
from generator.links import LinkIndex, anchor_id, code_id
from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    Emphasis,
    FootnoteRef,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    InlineCode,
    InlineImage,
    LineBreak,
    Link,
    ListBlock,
    Location,
    Paragraph,
    Quote,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
    walk_blocks,
)
from generator.render.core.highlight import Run, highlight_lines
from generator.render.core.images import image_size, locate_image

# Code blocks up to this many lines are kept on one page.
SHORT_CODE_LINES = 15

# Remote and missing images are reported by the lint stage (AU402, AU401); these are
# the problems only a renderer meets.
_IMAGE_PROBLEMS = {
    "outside": ("W-image-outside", "image outside the course folder refused: {src}"),
    "unsupported": ("W-image-format", "not an image format the build can embed: {src}"),
    "unreadable": ("W-image-unreadable", "image {src} cannot be used: {detail}"),
    "too-large": ("W-image-too-large", "image {src} refused: {detail}"),
    "unsafe": ("W-image-unsafe", "image {src} refused: {detail}"),
}


def _introduces(paragraph: Paragraph, following: Block | None) -> bool:
    """Return whether a paragraph ending in a colon leads into the block after it."""
    return isinstance(following, (CodeBlock, Image, Table, ListBlock)) and plain_text(paragraph.inlines).rstrip().endswith(":")


def code_line(runs: list[Run], attributes: str = "") -> Markup:
    """Return one line of highlighted code as a `line` span (`attributes`: markup to add to the span, already escaped)."""
    # Whitespace tokens (`w`) are styled by no theme: a span each (2,440 in the bundled course) is layout work for nothing.
    text = Markup("").join(
        Markup('<span class="{}">{}</span>').format(css, text) if css and css != "w" else escape(text) for css, text in runs
    )
    return Markup('<span class="line"{}>{}</span>').format(Markup(attributes), text or Markup(" "))  # " " keeps an empty line one line high


def code_classes(block: CodeBlock, line_count: int) -> str:
    """Return the classes of a code block's figure: its kind, whether it is short, wrong on purpose or a synopsis."""
    classes = ["code", f"code-{block.kind.value}"]
    if line_count <= SHORT_CODE_LINES:
        classes.append("short")
    classes += [f"is-{name}" for name in block.classes if name in ("bad-example", "synopsis")]
    return " ".join(classes)


def solution_id(exercise: Callout) -> str:
    return f"sol-{exercise.anchor}"


def page_ref_id(target: str) -> str:
    return f"ref-{target}"


# Room to answer, when `::: exercise {space=N}` does not say: ruled lines for commands and prose,
# a box for a file to write, sized by the solution (within these bounds).
ANSWER_LINES = (3, 12)
ANSWER_BOX_LINES = (6, 30)
_FILE_KINDS = (CodeKind.DOCKERFILE, CodeKind.COMPOSE, CodeKind.YAML)
_SHELL_KINDS = (CodeKind.CONSOLE, CodeKind.SCRIPT)


def answer_space(exercise: Callout) -> tuple[str, int]:
    """Return the room a worksheet leaves to answer an exercise: ("lines", n) ruled lines, or ("box", n) lines of code.

    `{space=N}` on the exercise asks for N lines; otherwise the solution tells what the answer is:
    a file (Dockerfile, compose) gets a box as long as the solution's file, commands a line each
    and a little more, prose five lines.
    """
    asked = exercise.attributes.get("space", "")
    if asked.isdigit() and int(asked) > 0:
        return "lines", min(int(asked), 60)
    code = [b for b in walk_blocks(exercise.solution.blocks) if isinstance(b, CodeBlock)] if exercise.solution else []
    files = [b for b in code if b.kind in _FILE_KINDS]
    if files:
        longest = max(b.text.rstrip("\n").count("\n") + 1 for b in files)
        return "box", max(ANSWER_BOX_LINES[0], min(longest + 2, ANSWER_BOX_LINES[1]))
    commands = sum(1 for b in code if b.kind in _SHELL_KINDS for line in b.text.splitlines() if _is_command(line, b.kind))
    if commands:
        return "lines", max(ANSWER_LINES[0], min(commands + 2, ANSWER_LINES[1]))
    return "lines", 5


def _is_command(line: str, kind: CodeKind) -> bool:
    stripped = line.strip()
    if kind is CodeKind.CONSOLE:
        return stripped.startswith(("$ ", "# ", "> ")) or stripped == "$"
    return bool(stripped) and not stripped.startswith("#")


def exercises_with_solutions(chapter: Chapter) -> list[Callout]:
    """Return the chapter's exercises that have a solution, in reading order."""
    return [b for b in chapter.blocks() if isinstance(b, Callout) and b.kind == "exercise" and b.solution]


@dataclass
class HtmlFragments:
    """Renders blocks and inline runs of one course for one edition.

    In the student edition solutions are gathered at the end of each chapter and
    teacher and speaker notes are left out; in the teacher edition solutions
    follow their exercise and the notes are shown in boxes of their own.
    """

    course: Course
    labels: dict[str, str]
    edition: str = "student"
    links: LinkIndex = field(init=False)

    def __post_init__(self) -> None:
        self.links = LinkIndex(self.course)

    # --- blocks ---------------------------------------------------------

    def blocks(self, chapter: Chapter, blocks: Iterable[Block]) -> Markup:
        blocks = tuple(blocks)
        parts = []
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Paragraph) and _introduces(block, following):
                # "Para verlo:" must not be left at the foot of a page, away from what it introduces.
                parts.append(Markup('<p class="lead-in">{}</p>').format(self.inlines(chapter, block.inlines)))
            else:
                parts.append(self.block(chapter, block))
        return Markup("\n").join(parts)

    def block(self, chapter: Chapter, block: Block) -> Markup:
        match block:
            case Paragraph():
                return Markup("<p>{}</p>").format(self.inlines(chapter, block.inlines))
            case Heading():
                return self.heading(chapter, block)
            case ListBlock():
                items = Markup("").join(
                    Markup("<li>{}</li>").format(self._item_blocks(chapter, item.blocks)) for item in block.items
                )
                if block.ordered:
                    start = Markup(' start="{}"').format(block.start) if block.start != 1 else ""
                    return Markup("<ol{}>{}</ol>").format(start, items)
                return Markup("<ul>{}</ul>").format(items)
            case CodeBlock():
                return self.code(chapter, block)
            case Image():
                return self.figure(chapter, block)
            case Table():
                return self.table(chapter, block)
            case Quote():
                return Markup("<blockquote>{}</blockquote>").format(self.blocks(chapter, block.blocks))
            case Callout():
                return self.callout(chapter, block)
            case HtmlBlock():
                if block.is_comment:
                    return Markup("")
                return Markup('<pre class="raw-html">{}</pre>').format(block.text.rstrip("\n"))
            case ThematicBreak():
                return Markup("<hr>")
            case _:
                assert_never(block)

    def heading(self, chapter: Chapter, heading: Heading) -> Markup:
        level = min(heading.level, 6)
        return Markup('<h{0} id="{1}" class="subheading">{2}</h{0}>').format(
            level, anchor_id(chapter, heading.anchor), self.inlines(chapter, heading.inlines)
        )

    def _item_blocks(self, chapter: Chapter, blocks: tuple[Block, ...]) -> Markup:
        # A tight list item is one paragraph: render it without <p> so items stay compact.
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            return self.inlines(chapter, blocks[0].inlines)
        return self.blocks(chapter, blocks)

    def code(self, chapter: Chapter, block: CodeBlock) -> Markup:
        lines = highlight_lines(block)
        body = Markup("").join(code_line(runs) for runs in lines)
        return Markup('<figure class="{}"{}>{}<pre><code>{}</code></pre></figure>').format(
            code_classes(block, len(lines)), self.code_anchor(chapter, block), self.code_caption(block), body
        )

    def code_caption(self, block: CodeBlock) -> Markup:
        """Return the line above a code block: its title, and the "wrong on purpose" mark (nothing when neither)."""
        if not (block.title or block.has_class("bad-example")):
            return Markup("")
        warning = (
            Markup('<span class="bad-label">{}</span>').format(self.labels.get("bad_example", "✗"))
            if block.has_class("bad-example")
            else ""
        )
        return Markup('<figcaption class="code-title">{}{}</figcaption>').format(block.title, warning)

    @staticmethod
    def code_anchor(chapter: Chapter, block: CodeBlock) -> Markup:
        return Markup(' id="{}"').format(anchor_id(chapter, code_id(block))) if code_id(block) else Markup("")

    def figure(self, chapter: Chapter, image: Image) -> Markup:
        path = self.local_image(chapter, image.src, image.location)
        source = None if path is None else self.image_url(path)
        caption = image.title or image.alt
        if path is None or source is None:
            return self.placeholder(image.src, image.alt)
        caption_html = Markup("<figcaption>{}</figcaption>").format(caption) if caption else ""
        if image.decorative:
            return self.decoration(path, source, caption_html)
        return Markup('<figure class="figure"><img src="{}" alt="{}">{}</figure>').format(
            source, image.alt, caption_html
        )

    def decoration(self, path: Path, source: str, caption_html: Markup | str) -> Markup:
        """Return a decorative image (`path`, loaded from `source`) as a background, which a tagged PDF keeps out of what a reader meets."""
        size = image_size(path)
        width, ratio = (size.width, size.height / size.width) if size else (400.0, 0.5)
        return Markup(
            '<figure class="figure decorative" aria-hidden="true"><div class="decorative-image" style="max-width: {}px">'
            '<div style="padding-top: {}%; background: url(\'{}\') center / contain no-repeat"></div></div>{}</figure>'
        ).format(round(width, 2), round(ratio * 100, 3), source, caption_html)

    def placeholder(self, src: str, alt: str) -> Markup:
        remote = "://" in src or src.startswith("//")
        label = self.labels["remote_image" if remote else "missing_image"]
        return Markup(
            '<figure class="figure placeholder"><div class="placeholder-box">'
            '<p class="placeholder-label">{}</p><p class="placeholder-alt">{}</p>'
            '<p class="placeholder-url">{}</p></div></figure>'
        ).format(label, alt, src)

    def local_image(self, chapter: Chapter, src: str, location: Location) -> Path | None:
        """Return the file of a readable local image, warning once about any other."""
        located = locate_image(src, chapter.path, self.course.root, self.course.limits.image_pixels)
        if located.path is not None:
            return located.path
        if located.problem in _IMAGE_PROBLEMS:
            code, message = _IMAGE_PROBLEMS[located.problem]
            warn(location, code, message.format(src=src, detail=located.detail))
        return None

    def image_url(self, path: Path) -> str | None:
        """Return the URL a document loads a readable course image from (None: show a placeholder).

        Relative to the course folder, the documents' base URL: the HTML, and so the
        keys of the parts made from it, stay the same wherever the course folder lives.
        """
        return quote(path.relative_to(self.course.root.resolve()).as_posix())

    def table(self, chapter: Chapter, table: Table) -> Markup:
        def cells(tag: str, row: tuple) -> Markup:
            return Markup("").join(
                Markup('<{0}{1}>{2}</{0}>').format(
                    tag,
                    Markup(' style="text-align: {}"').format(table.aligns[i]) if i < len(table.aligns) and table.aligns[i] else "",
                    self.inlines(chapter, cell),
                )
                for i, cell in enumerate(row)
            )

        head = Markup("<thead><tr>{}</tr></thead>").format(cells("th", table.header))
        body = Markup("").join(Markup("<tr>{}</tr>").format(cells("td", row)) for row in table.rows)
        return Markup("<table>{}<tbody>{}</tbody></table>").format(head, body)

    def callout_label(self, chapter: Chapter, callout: Callout) -> str:
        label = self.labels.get(callout.kind, callout.kind.capitalize())
        if callout.kind == "exercise" and callout.number:
            label = f"{label} {chapter.number}.{callout.number}"
        return f"{label}: {callout.title}" if callout.title else label

    def callout(self, chapter: Chapter, callout: Callout) -> Markup:
        if self.edition == "student" and callout.kind in ("teacher", "notes"):
            return Markup("")
        anchor = Markup(' id="{}"').format(callout.anchor) if callout.anchor else ""
        body = self.blocks(chapter, callout.blocks)
        footer = Markup("")
        if callout.solution is not None and self.edition == "student":
            footer = self.page_ref("solution-ref", solution_id(callout), self.labels["solution_link"])
        html = Markup('<aside class="callout callout-{}"{}><p class="callout-label">{}</p>{}{}</aside>').format(
            callout.kind, anchor, self.callout_label(chapter, callout), body, footer
        )
        if callout.solution is not None and self.edition == "teacher":
            html += self.solution(chapter, callout)
        return html

    def solution(self, chapter: Chapter, exercise: Callout) -> Markup:
        """Return the solution box of an exercise, linked back to it (nothing for an exercise without one)."""
        solution = exercise.solution
        if solution is None:
            return Markup("")
        label = f"{self.labels['solution']} {chapter.number}.{exercise.number}"
        if exercise.title:
            label += f": {exercise.title}"
        back = Markup("")
        if self.edition == "student":
            back = self.page_ref("exercise-ref", exercise.anchor, self.labels["exercise_link"])
        return Markup(
            '<aside class="callout callout-solution" id="{}"><p class="callout-label">{}</p>{}{}</aside>'
        ).format(solution_id(exercise), label, self.blocks(chapter, solution.blocks), back)

    def worksheet_exercise(self, chapter: Chapter, exercise: Callout) -> Markup:
        """Return an exercise as the worksheet prints it: its statement and hints, then room to answer."""
        kind, size = answer_space(exercise)
        if kind == "box":
            room = Markup('<div class="answer-box" style="height: {}em"></div>').format(round(size * 1.35, 2))
        else:
            room = Markup("").join(Markup('<div class="answer-line"></div>') for _ in range(size))
        space = Markup('<div class="answer-space answer-space-{}"><p class="answer-label">{}</p>{}</div>').format(
            kind, self.labels.get("answer_space", ""), room
        )
        return Markup('<aside class="callout callout-exercise" id="{}"><p class="callout-label">{}</p>{}</aside>{}').format(
            exercise.anchor, self.callout_label(chapter, exercise), self.blocks(chapter, exercise.blocks), space
        )

    def page_ref(self, kind: str, target: str, label: str, page: int | None = None) -> Markup:
        """Return the line that sends the reader to the page of `target` ("Solution on page 12").

        Without `page`, the stylesheet looks the page number up.
        """
        number = Markup(' data-page="{}"').format(page) if page is not None else ""
        return Markup('<p class="{}" id="{}"><a href="#{}"{}>{}</a></p>').format(
            kind, page_ref_id(target), target, number, label
        )

    def page_refs(self, chapter: Chapter, pages: Mapping[str, int]) -> dict[str, Markup]:
        """Return the chapter's page-reference lines by their id, numbered from `pages` (id: page number)."""
        if self.edition != "student":
            return {}
        refs = {}
        for exercise in exercises_with_solutions(chapter):
            for kind, target, label in (
                ("solution-ref", solution_id(exercise), self.labels["solution_link"]),
                ("exercise-ref", exercise.anchor, self.labels["exercise_link"]),
            ):
                refs[page_ref_id(target)] = self.page_ref(kind, target, label, pages.get(target))
        return refs

    # --- inline runs ----------------------------------------------------

    def inlines(self, chapter: Chapter, runs: Iterable[Inline]) -> Markup:
        return Markup("").join(self.inline(chapter, run) for run in runs)

    def inline(self, chapter: Chapter, run: Inline) -> Markup:
        match run:
            case Text():
                return escape(run.text)
            case InlineCode():
                # WeasyPrint 70 with `hyphens: auto` breaks the line before an inline box that starts
                # with punctuation (`.tar`) far too early; a zero-width space in front avoids it.
                guard = "\u200b" if run.text[:1] in ".,;:!?" else ""
                return Markup("<code>{}{}</code>").format(guard, run.text)
            case Emphasis():
                return Markup("<em>{}</em>").format(self.inlines(chapter, run.children))
            case Strong():
                return Markup("<strong>{}</strong>").format(self.inlines(chapter, run.children))
            case Strikethrough():
                return Markup("<s>{}</s>").format(self.inlines(chapter, run.children))
            case LineBreak():
                return Markup("<br>")
            case Link():
                return self.link(chapter, run)
            case InlineImage():
                return Markup('<span class="inline-image">[{}]</span>').format(run.alt or run.src)
            case FootnoteRef():
                return self.footnote(chapter, run)
            case _:
                assert_never(run)

    def footnote(self, chapter: Chapter, ref: FootnoteRef) -> Markup:
        """Return a footnote where it is called: its text, which the stylesheet floats to the foot of the page."""
        text = self.footnote_text(chapter, ref.number)
        return Markup('<span class="footnote">{}</span>').format(text) if text is not None else Markup("")

    def footnote_text(self, chapter: Chapter, number: int) -> Markup | None:
        """Return the text of footnote `number` of `chapter` (its paragraphs run together), or None when there is none."""
        note = next((f for f in chapter.footnotes if f.number == number), None)
        if note is None:
            return None
        return Markup(" ").join(self.inlines(chapter, b.inlines) for b in walk_blocks(note.blocks) if isinstance(b, Paragraph))

    def link(self, chapter: Chapter, link: Link) -> Markup:
        text = self.inlines(chapter, link.children)
        if link.is_external:
            # Printed for people to type: spaces as %20, or the address breaks in two.
            shown = link.href.removeprefix("mailto:").replace(" ", "%20")
            if plain_text(link.children).strip().rstrip("/") == shown.rstrip("/"):
                return Markup('<a class="url" href="{}">{}</a>').format(link.href, text)
            return Markup('<a href="{0}">{1}</a><span class="footnote link-url">{2}</span>').format(
                link.href, text, shown
            )
        target = self.links.resolve(chapter, link.href)
        if target is None:
            return text
        return Markup('<a class="internal" href="#{}">{}</a>').format(target.html_id, text)
