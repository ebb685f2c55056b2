"""Findings of the state simulation: a command that fails when the course is followed in order.

`generator.state` runs the course's docker commands on a model of the
student's machine; here each problem it finds becomes a finding at the line
that fails, naming (in its message and in `related`) the line that caused it.
The block of the failing line decides the silencing, as for any finding.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.lint.findings import Finding
from generator.lint.rules import RULES, silenced
from generator.model import CodeBlock, Course, Location

Column = Callable[[Location, str, int], int]  # (Markdown location, code line, code column) → Markdown column


def check_state(course: Course, per_chapter: bool, codes_for: Callable[[CodeBlock], frozenset[str]], column: Column) -> list[Finding]:
    """Return the findings of the state simulation of `course`.

    `per_chapter` starts each chapter on a clean machine (course.yml's
    `lint: {state: chapter}`); `codes_for(block)` gives the rule ids silenced
    for a block; `column` turns a column in a code line into a Markdown column.
    """
    from generator.state.simulate import simulate

    try:
        simulation = simulate(course, per_chapter)
    except Exception as error:  # a bug in the simulation must not hide the other findings
        where = course.chapters[0].location if course.chapters else Location(course.root, 1)
        return [Finding(where, 0, "error", "AU900", f"the state simulation failed: {type(error).__name__}: {error}")]
    findings = []
    for problem in (*simulation.problems, *simulation.leftovers):
        block = problem.place.block
        if silenced(problem.code, codes_for(block)):
            continue
        location = problem.place.location
        lines = block.text.split("\n")
        code_line = lines[problem.place.line - 1] if problem.place.line <= len(lines) else ""
        related = (problem.cause.location,) if problem.cause is not None else ()
        findings.append(Finding(location, column(location, code_line, problem.place.column), RULES[problem.code].severity,
                                problem.code, problem.message, related))
    return findings
