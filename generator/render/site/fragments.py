"""Content model to HTML for the course's website: the handout's fragments, made for a screen.

Everything the handout's renderer escapes stays escaped; what changes is what a
page can do that paper cannot. Headings carry a link to themselves, code a copy
button (a session copies its commands without prompts or output), solutions
and hints are folded (`<details>`), tables scroll sideways on a phone, links
between chapters lead to the other page, footnotes are listed at the end of
the chapter, and the course's images are served from the site's own copy.
Teacher and speaker notes are never on the site: it is for students.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from generator.docker.commands import command_prompts
from generator.links import anchor_id, chapter_id
from generator.model import Callout, Chapter, CodeBlock, CodeKind, FootnoteRef, Heading, Link, Section, Table
from generator.render.core.highlight import highlight_lines
from generator.render.html import HtmlFragments, code_classes, code_line, solution_id

# Links a student may follow out of the site; any other scheme (`javascript:`, `data:`, `file:`) is shown as text.
LINK_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
NEVER_SHOWN = ("teacher", "notes")  # the site is the student's edition


@dataclass
class SiteFragments(HtmlFragments):
    """Renders the blocks of one course as the site's pages show them.

    `pages` maps a chapter number to its page's file name; `images` a course
    image (its resolved path) to its path in the site.
    """

    pages: Mapping[int, str] = field(default_factory=dict)
    images: Mapping[Path, str] = field(default_factory=dict)

    def href(self, chapter: Chapter, html_id: str = "") -> str:
        """Return the link to `html_id` in `chapter`'s page (its top without an id)."""
        page = quote(self.pages[chapter.number])
        return f"{page}#{html_id}" if html_id else page

    # --- headings -------------------------------------------------------

    def heading(self, chapter: Chapter, heading: Heading) -> Markup:
        html_id = anchor_id(chapter, heading.anchor)
        level = min(heading.level, 6)
        text = self.inlines(chapter, heading.inlines)
        return Markup('<h{0} id="{1}">{2}{3}</h{0}>').format(level, html_id, text, self.self_link(html_id))

    def section_heading(self, chapter: Chapter, section: Section) -> Markup:
        """Return a section's `<h2>` (nothing for the untitled opening of a chapter)."""
        if not section.title:
            return Markup("")
        html_id = anchor_id(chapter, section.anchor)
        return Markup('<h2 id="{}">{}{}</h2>').format(html_id, self.inlines(chapter, section.title), self.self_link(html_id))

    @staticmethod
    def section_id(chapter: Chapter, section: Section) -> str:
        return anchor_id(chapter, section.anchor)

    @staticmethod
    def footnote_id(chapter: Chapter, number: int) -> str:
        return footnote_id(chapter, number)

    def self_link(self, html_id: str) -> Markup:
        # Hidden from screen readers and the tab order: they move by headings, and the contents link every section.
        return Markup(' <a class="anchor" href="#{}" title="{}" aria-hidden="true" tabindex="-1">#</a>').format(
            html_id, self.labels.get("site_anchor", "")
        )

    # --- code -----------------------------------------------------------

    def code(self, chapter: Chapter, block: CodeBlock) -> Markup:
        lines = highlight_lines(block)
        # A session's command lines say how much of them is prompt; the copy button keeps those lines, prompt cut.
        prompts = command_prompts(block.text) if block.kind == CodeKind.CONSOLE else {}
        body = Markup("").join(
            code_line(runs, Markup(' data-cut="{}"').format(prompts[index]) if index in prompts else "")
            for index, runs in enumerate(lines)
        )
        button = Markup('<button type="button" class="copy" hidden data-done="{}">{}</button>').format(
            self.labels.get("site_copied", "✓"), self.labels.get("site_copy", "Copy")
        )
        return Markup('<figure class="{}"{}>{}<div class="code-box">{}<pre tabindex="0"><code>{}</code></pre></div></figure>').format(
            code_classes(block, len(lines)), self.code_anchor(chapter, block), self.code_caption(block), button, body
        )

    # --- images and tables ----------------------------------------------

    def image_url(self, path: Path) -> str | None:
        site_path = self.images.get(path)
        return quote(site_path) if site_path is not None else None

    def table(self, chapter: Chapter, table: Table) -> Markup:
        # A region that scrolls sideways on a narrow screen, reachable from the keyboard.
        return Markup('<div class="table-wrap" tabindex="0" role="region" aria-label="{}">{}</div>').format(
            self.labels.get("site_table", "Table"), super().table(chapter, table)
        )

    # --- teaching blocks ------------------------------------------------

    def callout(self, chapter: Chapter, callout: Callout) -> Markup:
        if callout.kind in NEVER_SHOWN:
            return Markup("")
        anchor = Markup(' id="{}"').format(callout.anchor) if callout.anchor else ""
        label = self.callout_label(chapter, callout)
        body = self.blocks(chapter, callout.blocks)
        if callout.kind in ("hint", "solution"):  # folded: the student opens it when ready
            return Markup('<details class="callout callout-{}"{}><summary class="callout-label">{}</summary>{}</details>').format(
                callout.kind, anchor, label, body
            )
        return Markup('<aside class="callout callout-{}"{}><p class="callout-label">{}</p>{}{}</aside>').format(
            callout.kind, anchor, label, body, self.solution(chapter, callout)
        )

    def solution(self, chapter: Chapter, exercise: Callout) -> Markup:
        """Return an exercise's solution, folded inside it (nothing for an exercise without one)."""
        if exercise.solution is None:
            return Markup("")
        label = f"{self.labels['solution']} {chapter.number}.{exercise.number}" if exercise.number else self.labels["solution"]
        return Markup('<details class="callout callout-solution" id="{}"><summary class="callout-label">{}</summary>{}</details>').format(
            solution_id(exercise), label, self.blocks(chapter, exercise.solution.blocks)
        )

    # --- inline runs ----------------------------------------------------

    def footnote(self, chapter: Chapter, ref: FootnoteRef) -> Markup:
        return Markup('<sup class="footnote-ref"><a href="#{}">{}</a></sup>').format(footnote_id(chapter, ref.number), ref.number)

    def link(self, chapter: Chapter, link: Link) -> Markup:
        text = self.inlines(chapter, link.children)
        if link.is_external:
            if urlsplit(link.href).scheme.lower() not in LINK_SCHEMES:
                return text
            return Markup('<a class="external" href="{}" rel="noopener noreferrer">{}</a>').format(link.href, text)
        target = self.links.resolve(chapter, link.href)
        if target is None:
            return text
        same_page = target.chapter.number == chapter.number
        href = f"#{target.html_id}" if same_page else self.href(target.chapter, target.html_id)
        return Markup('<a class="internal" href="{}">{}</a>').format(href, text)


def footnote_id(chapter: Chapter, number: int) -> str:
    return f"{chapter_id(chapter)}-fn-{number}"
