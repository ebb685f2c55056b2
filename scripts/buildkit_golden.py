"""Write `tests/lint/buildkit.json`: BuildKit's own parse of every Dockerfile the tests use.

BuildKit's parser is on PyPI as `dockerfile` (a Go extension with no wheel for
every platform), so its answers are recorded here once and the test compares
Aula's parser with the record everywhere:

    pip install dockerfile
    python scripts/buildkit_golden.py            # rewrite the record
    python scripts/buildkit_golden.py --check    # exit 1 if the record is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "lint" / "buildkit.json"
sys.path.insert(0, str(REPO / "tests"))

from lint_cases import CORPUS, DOCKERFILE_EXTRA, read_cases  # noqa: E402


def dockerfiles() -> list[str]:
    """Every Dockerfile of the lint corpus, then the parser's extra cases."""
    return [case.code for case in read_cases(CORPUS / "dockerfile.txt")] + DOCKERFILE_EXTRA


def buildkit_parse(text: str) -> list[dict] | None:
    """Return BuildKit's instructions for `text`, or None when it rejects the file."""
    import dockerfile

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return None
    return [
        {
            "name": command.cmd.upper(),
            "start_line": command.start_line,
            "end_line": command.end_line,
            "flags": list(command.flags),
            "json": command.json,
            "value": list(command.value),
            "heredocs": [{"name": h.name, "content": h.content} for h in command.heredocs],
        }
        for command in commands
    ]


def record() -> bytes:
    cases = [{"text": text, "buildkit": buildkit_parse(text)} for text in dockerfiles()]
    data = {"source": f"dockerfile {version('dockerfile')} (BuildKit's parser), scripts/buildkit_golden.py", "cases": cases}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the record is out of date")
    arguments = parser.parse_args()
    data = record()
    if arguments.check:
        current = GOLDEN.read_bytes() if GOLDEN.is_file() else b""
        # The library's version line may differ; the parses may not.
        same = current and json.loads(current)["cases"] == json.loads(data)["cases"]
        print("up to date" if same else f"{GOLDEN} is out of date: run scripts/buildkit_golden.py")
        return 0 if same else 1
    GOLDEN.write_bytes(data)
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
