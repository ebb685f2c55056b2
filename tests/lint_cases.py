"""The lint corpus files (`tests/lint/*.txt`): their format, read into cases.

Each file holds cases in the style of markdown-it-py's fixtures: a title line,
`.`, the code, `.`, the expected findings one per line (`LINE CODE` or
`LINE:COLUMN CODE`, counted in the code; none for a clean case), `.`, and a
blank line. Shared by the corpus tests and `scripts/buildkit_golden.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import CodeKind

CORPUS = Path(__file__).parent / "lint"
KINDS = {
    "dockerfile.txt": CodeKind.DOCKERFILE,
    "compose.txt": CodeKind.COMPOSE,
    "console.txt": CodeKind.CONSOLE,
    "script.txt": CodeKind.SCRIPT,
}


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    title: str
    code: str
    expected: tuple[tuple[int, int, str], ...]  # (line, column or 0, rule)


def read_cases(path: Path) -> list[Case]:
    """Split a corpus file into its cases."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start, title = index + 1, lines[index]
        assert lines[index + 1] == ".", f"{path.name}:{index + 2}: expected `.` after the title"
        parts: list[list[str]] = [[], []]
        index += 2
        for part in parts:
            while lines[index] != ".":
                part.append(lines[index])
                index += 1
            index += 1
        expected = []
        for entry in parts[1]:
            where, rule = entry.split()
            line, _, column = where.partition(":")
            expected.append((int(line), int(column or 0), rule))
        cases.append(Case(path.name, start, title, "\n".join(parts[0]) + "\n", tuple(expected)))
    return cases


# Dockerfiles beyond the corpus that exercise the parser's corners (compared with BuildKit's parse).
DOCKERFILE_EXTRA = [
    "FROM alpine:3.20\nRUN echo a \\\n  # a comment inside\n  b\n",
    "FROM alpine:3.20\nCOPY <<one <<two /dst/\nfirst\none\nsecond\ntwo\n",
    "FROM alpine:3.20\nRUN <<-EOF\n\techo tab\n\tEOF\n",
    "FROM alpine:3.20\nHEALTHCHECK --interval=5s --retries=3 CMD wget -q -O- http://localhost/\n",
    "FROM alpine:3.20\nENV A=1 \\\n    B=2\nLABEL \"key with space\"=\"v\"\n",
    "FROM alpine:3.20\nRUN [\"echo\", \"a\",\n     \"b\"]\n",
]
