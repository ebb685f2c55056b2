"""Slide text helpers: the plan's paragraphs as the fit estimator measures them, sentences, notes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import assert_never

from generator.model import (
    Block,
    Callout,
    Chapter,
    CodeBlock,
    Emphasis,
    FootnoteRef,
    Heading,
    HtmlBlock,
    Image,
    Inline,
    Link,
    ListBlock,
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
from generator.render.core.highlight import Run
from generator.render.slides.deck import TextPara, text_runs
from generator.render.slides.fit import MONO, SANS, Para, Span
from generator.render.slides.pieces import TAB


def para_spans(para: TextPara) -> tuple[Span, ...]:
    return tuple(
        Span(
            _measured(run.text, run.href != ""), para.size, MONO if run.code else SANS, run.bold or para.bold, run.italic or para.italic,
        )
        for run in text_runs(para.inlines)
    )


# Characters no font draws and a slide leaves out (a tab stands for a space in running text; a newline breaks the line).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def shown(text: str) -> str:
    """Return a run's text as a slide shows it, in both decks: a tab as a space, control characters left out."""
    return CONTROL.sub("", text.replace("\t", " "))


def _measured(text: str, linked: bool) -> str:
    """Return a run's text as the plan measures it."""
    # LibreOffice shows a hyperlink as one field it never breaks inside: measure its words as one.
    return shown(text).replace(" ", "\u00a0") if linked else shown(text)


def fit_para(para: TextPara, first_in_frame: bool = False) -> Para:
    """Return the paragraph as the fit estimator sees it."""
    return Para(
        para_spans(para),
        para.size,
        left=para.left,
        first=para.first,
        space_before=0.0 if first_in_frame else para.space_before,
        bulleted=para.bulleted,
    )


def code_para(runs: tuple[Run, ...], size: float, hang: float) -> Para:
    return Para(tuple(Span(text, size, MONO) for _, text in runs), size, left=hang, first=-hang)


def cut_runs(line: tuple[Run, ...], most: int) -> list[tuple[Run, ...]]:
    """Return a line of runs cut into pieces of at most `most` characters."""
    if sum(len(text) for _, text in line) <= most:
        return [line]
    pieces: list[list[Run]] = [[]]
    room = most
    for css, text in line:
        while text:
            if room == 0:
                pieces.append([])
                room = most
            pieces[-1].append((css, text[:room]))
            room -= len(text[:room])
            text = text[len(pieces[-1][-1][1]):]
    return [tuple(piece) for piece in pieces]


def leads_on(para: TextPara) -> bool:
    """Return whether a paragraph introduces what follows it (and should not end a slide)."""
    return para.style in ("heading", "label") or plain_text(para.inlines).rstrip().endswith(":")


def merge_runs(line: Iterable[Run]) -> tuple[Run, ...]:
    """Return a line's runs with tabs expanded, blanks joined to the run before, and neighbours of one class joined."""
    merged: list[Run] = []
    for css, text in line:
        text = text.replace("\t", TAB)
        if merged and (text.isspace() or merged[-1][0] == css):
            merged[-1] = (merged[-1][0], merged[-1][1] + text)
        else:
            merged.append((css, text))
    return tuple(merged)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[¿¡«\"(\[A-ZÁÉÍÓÚÑÜ0-9])")


def sentences(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """Split a paragraph's inline runs into sentences (only plain text ends a sentence)."""
    result: list[list[Inline]] = [[]]
    for index, run in enumerate(inlines):
        if not isinstance(run, Text):
            result[-1].append(run)
            continue
        parts = _SENTENCE_END.split(run.text)
        # A sentence may also end at the end of this text, before a formatted run.
        ends_here = index + 1 < len(inlines) and re.search(r"[.!?…]\s+$", run.text)
        for number, part in enumerate(parts):
            if number:
                result.append([])
            if part:
                result[-1].append(Text(part))
        if ends_here:
            last = result[-1][-1]
            if isinstance(last, Text):
                result[-1][-1] = Text(last.text.rstrip())
            result.append([])
    cleaned = []
    for sentence in result:
        if sentence and isinstance(sentence[0], Text):
            sentence[0] = Text(sentence[0].text.lstrip())
        if plain_text(tuple(sentence)).strip():
            cleaned.append(tuple(sentence))
    return cleaned


def footnote_notes(chapter: Chapter, inlines: Iterable[Inline]) -> list[str]:
    """Return "[n] text" for each footnote called in `inlines`."""
    notes = []
    for run in _walk_inlines(inlines):
        if isinstance(run, FootnoteRef):
            note = next((f for f in chapter.footnotes if f.number == run.number), None)
            if note is not None:
                text = " ".join(plain_text(b.inlines) for b in walk_blocks(note.blocks) if isinstance(b, Paragraph))
                notes.append(f"[{run.number}] {text}")
    return notes


def _walk_inlines(inlines: Iterable[Inline]):
    for run in inlines:
        yield run
        if isinstance(run, (Emphasis, Strong, Strikethrough, Link)):
            yield from _walk_inlines(run.children)


def notes_text(blocks: Iterable[Block]) -> list[str]:
    """Return blocks as plain-text paragraphs for the speaker notes."""
    lines: list[str] = []
    for block in blocks:
        match block:
            case Paragraph() | Heading():
                lines.append(plain_text(block.inlines))
            case ListBlock():
                for number, item in enumerate(block.items, block.start):
                    marker = f"{number}." if block.ordered else "•"
                    item_lines = notes_text(item.blocks) or [""]
                    lines.append(f"{marker} {item_lines[0]}")
                    lines += [f"  {line}" for line in item_lines[1:]]
            case CodeBlock():
                lines.append(block.text.rstrip("\n"))
            case Quote() | Callout():
                lines += notes_text(block.blocks)
            case Table():
                for row in (block.header, *block.rows):
                    lines.append(" | ".join(plain_text(cell) for cell in row))
            case Image():
                lines.append(f"[{block.alt or block.src}]")
            case HtmlBlock() | ThematicBreak():
                pass  # markup and rules say nothing a presenter reads out
            case _:
                assert_never(block)
    return lines
