"""`aula lint` on real chapters written by others (`corpus/real/`): a report a teacher can trust (#14).

Each corpus file is linted as a one-chapter course and its findings are compared
with a reviewed snapshot, `corpus/real/lint-snapshot.txt`: one finding a line,
`FILE:LINE SEVERITY CODE`, and after every error ` -- ` and a judgement made by
reading the file at that line:

- `true: why` — a real mistake in the file;
- `false: why` — a false alarm;
- `artefact: why` — expected only because the file is linted alone (an image, a
  sibling chapter or a site page not copied into the corpus); not counted.

When the findings change the test fails, so the change is reviewed: run
`python tests/test_corpus_lint.py` to rewrite the snapshot (judgements of the
findings still reported are kept; a new error gets `-- ?`, to be judged by hand).
Precision (true / (true + false)) must stay at 0.95 or more, and the errors known
to be true must all still be reported.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus" / "real"
SNAPSHOT = CORPUS / "lint-snapshot.txt"
FILES = sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")
HEADER = """\
# `aula lint` on each file of tests/corpus/real/, linted alone as a one-chapter course.
# Checked by tests/test_corpus_lint.py; rewrite with `python tests/test_corpus_lint.py`.
# FILE:LINE SEVERITY CODE, and for every error ` -- ` and a judgement made by reading the line:
#   true: …      a real mistake in the file
#   false: …     a false alarm
#   artefact: …  only because the file is linted alone (image, sibling chapter or site page not copied)
"""
_LINE = re.compile(r"^(?P<file>[^:]+\.md):(?P<line>\d+) (?P<severity>error|warning|info) (?P<code>\S+)(?: -- (?P<judgement>.*))?$")
_JUDGEMENT = re.compile(r"^(true|false|artefact): \S.*$")

# The errors found true by reading the files (corpus baseline and after); each must stay reported.
KNOWN_TRUE = {
    ("container-training--Working_With_Volumes.md", 172, "AU410"),  # ````bash closed by ```
    ("docker-labs--A2-bridge-networking.md", 14, "AU405"),  # #connect_container, the anchor is connect-container
    ("docker-labs--webapps.md", 189, "AU405"),  # #dockerfile, no such heading
    ("nbis-repro--containers.md", 997, "AU302"),  # `--bootstrap.`: the sentence's full stop in the command
}

Key = tuple[str, int, str, str]  # file, line, severity, code

pytestmark = pytest.mark.skipif(not FILES, reason="the real-world corpus is not in tests/corpus/real/")


def corpus_findings() -> list[Key]:
    """Return the findings of every corpus file linted alone, in file and line order."""
    from generator.config import load_config
    from generator.lint import lint_course
    from generator.parse import parse_course

    found: list[Key] = []
    with tempfile.TemporaryDirectory() as tmp:
        for source in FILES:
            course = Path(tmp) / source.stem
            course.mkdir()
            shutil.copyfile(source, course / f"01-{source.name}")
            for finding in lint_course(parse_course(load_config(course))):
                found.append((source.name, finding.location.line, finding.severity, finding.code))
    return found


def read_snapshot() -> list[tuple[Key, str | None]]:
    """Return each finding of the snapshot with its judgement (None for a warning or an info)."""
    entries = []
    for number, text in enumerate(SNAPSHOT.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip() or text.startswith("#"):
            continue
        match = _LINE.match(text)
        assert match, f"{SNAPSHOT.name}:{number}: not `FILE:LINE SEVERITY CODE [-- judgement]`: {text}"
        key = (match["file"], int(match["line"]), match["severity"], match["code"])
        entries.append((key, match["judgement"]))
    return entries


def write_snapshot(found: list[Key]) -> None:
    """Rewrite the snapshot with `found`, keeping the judgement of each finding still reported."""
    judged = {key: judgement for key, judgement in read_snapshot() if judgement} if SNAPSHOT.exists() else {}
    lines = [HEADER.rstrip("\n")]
    for key in found:
        file, line, severity, code = key
        text = f"{file}:{line} {severity} {code}"
        if severity == "error":
            text += f" -- {judged.get(key, '?')}"
        lines.append(text)
    SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def found() -> list[Key]:
    return corpus_findings()


@pytest.fixture(scope="module")
def snapshot() -> list[tuple[Key, str | None]]:
    return read_snapshot()


def test_the_findings_are_the_reviewed_ones(found, snapshot):
    reported, reviewed = Counter(found), Counter(key for key, _ in snapshot)
    new = sorted((reported - reviewed).elements())
    gone = sorted((reviewed - reported).elements())
    assert not new and not gone, (
        "the corpus findings changed: review them, then run `python tests/test_corpus_lint.py` and judge the new "
        f"errors in {SNAPSHOT.name}\n  new: {new}\n  gone: {gone}"
    )


def test_every_error_is_judged(snapshot):
    unjudged = [key for key, judgement in snapshot if key[2] == "error" and not _JUDGEMENT.match(judgement or "")]
    assert unjudged == [], "judge each error `true: why`, `false: why` or `artefact: why`"
    assert all(judgement is None for key, judgement in snapshot if key[2] != "error"), "only errors are judged"


def test_the_errors_are_precise(snapshot):
    verdicts = Counter((judgement or "").split(":")[0] for key, judgement in snapshot if key[2] == "error")
    precision = verdicts["true"] / (verdicts["true"] + verdicts["false"])
    assert precision >= 0.95, verdicts


def test_every_known_true_error_is_still_reported(found, snapshot):
    reported = {(file, line, code) for file, line, severity, code in found if severity == "error"}
    assert KNOWN_TRUE <= reported, sorted(KNOWN_TRUE - reported)
    judged_true = {(k[0], k[1], k[3]) for k, judgement in snapshot if (judgement or "").startswith("true:")}
    assert KNOWN_TRUE <= judged_true
    assert judged_true <= reported  # recall of the errors judged true: 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    write_snapshot(corpus_findings())
    print(f"wrote {SNAPSHOT}")
