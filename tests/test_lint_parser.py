"""Aula's Dockerfile parser against BuildKit's own, on every Dockerfile of the corpus.

BuildKit's parser is on PyPI as `dockerfile` (a Go extension, without a Linux
aarch64 wheel), so it is a test-only oracle: where it is installed, both
parsers must agree on each instruction's name, lines, flags, arguments,
exec form and here-documents.
"""

from __future__ import annotations

import pytest

from generator.lint.dockerfile_syntax import parse_dockerfile
from test_lint_corpus import CORPUS, read_cases

buildkit = pytest.importorskip("dockerfile")

EXTRA = [
    "FROM alpine:3.20\nRUN echo a \\\n  # a comment inside\n  b\n",
    "FROM alpine:3.20\nCOPY <<one <<two /dst/\nfirst\none\nsecond\ntwo\n",
    "FROM alpine:3.20\nRUN <<-EOF\n\techo tab\n\tEOF\n",
    "FROM alpine:3.20\nHEALTHCHECK --interval=5s --retries=3 CMD wget -q -O- http://localhost/\n",
    "FROM alpine:3.20\nENV A=1 \\\n    B=2\nLABEL \"key with space\"=\"v\"\n",
    "FROM alpine:3.20\nRUN [\"echo\", \"a\",\n     \"b\"]\n",
]


def dockerfiles() -> list[str]:
    return [case.code for case in read_cases(CORPUS / "dockerfile.txt")] + EXTRA


@pytest.mark.parametrize("text", dockerfiles())
def test_same_instructions_as_buildkit(text: str) -> None:
    try:
        theirs = buildkit.parse_string(text)
    except buildkit.GoParseError:
        pytest.skip("BuildKit rejects this file outright")
    ours = parse_dockerfile(text).instructions
    assert [(i.name, i.line) for i in ours] == [(c.cmd.upper(), c.start_line) for c in theirs]
    for mine, command in zip(ours, theirs):
        assert mine.end_line >= command.end_line
        assert [f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in mine.flags] == list(command.flags)
        assert (mine.json is not None) == command.json
        if command.json:
            assert mine.json == command.value
        assert [h.name for h in mine.heredocs] == [h.name for h in command.heredocs]
        assert [h.body for h in mine.heredocs] == [h.content for h in command.heredocs]
        if command.cmd.upper() in ("RUN", "CMD", "ENTRYPOINT", "SHELL") and not command.json and not command.heredocs:
            assert mine.args == command.value[0]
