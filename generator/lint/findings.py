"""What the linter reports, and the three ways to print it: text, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.lint.rules import RULES, Severity, help_url
from generator.model import Location

_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: `location.line` is the Markdown line, `column` 1-based (0 if unknown).

    `related` are other places the problem comes from (the command that
    published a port another one wants); the message names them too.
    """

    location: Location
    column: int
    severity: Severity
    code: str
    message: str
    related: tuple[Location, ...] = ()

    def __str__(self) -> str:
        return f"{self.location.path}:{self.location.line}:{self.column}: {self.severity} {self.code} {self.message}"

    @property
    def sort_key(self) -> tuple:
        return (str(self.location.path), self.location.line, self.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired inside one code block: `line` and `column` count from 1 within the block's text.

    `severity` is empty for Aula's rules (the catalogue decides) and set for another tool's findings.
    """

    line: int
    column: int
    code: str
    message: str
    severity: Severity | Literal[""] = ""


def format_text(findings: Iterable[Finding]) -> str:
    """Return one `path:line:col: severity CODE message` line per finding."""
    return "".join(f"{finding}\n" for finding in findings)


def format_json(findings: Iterable[Finding]) -> str:
    """Return the findings as a JSON list of flat objects."""
    records = []
    for f in findings:
        record: dict = {
            "path": str(f.location.path),
            "line": f.location.line,
            "column": f.column,
            "severity": f.severity,
            "code": f.code,
            "message": f.message,
        }
        if f.related:
            record["related"] = [{"path": str(r.path), "line": r.line} for r in f.related]
        records.append(record)
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def format_sarif(findings: Sequence[Finding], base: Path | None = None) -> str:
    """Return a SARIF 2.1.0 log with one run: the rules that fired and one result per finding.

    Paths are written relative to `base` (the current folder by default), as
    code-scanning services expect paths relative to the repository root.
    """

    base = base or Path.cwd()
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        rule = RULES.get(code)
        entry: dict = {"id": code}
        if rule:
            entry["shortDescription"] = {"text": rule.summary}
            if not code.startswith("AU"):  # SARIF wants an absolute URI; ours live in docs/lint-rules.md
                entry["helpUri"] = help_url(rule)
            entry["defaultConfiguration"] = {"level": _SARIF_LEVELS[rule.severity]}
            if rule.aliases:
                entry["properties"] = {"aliases": list(rule.aliases)}
        rules.append(entry)
    results = []
    for finding in findings:
        region: dict = {"startLine": max(finding.location.line, 1)}
        if finding.column > 0:
            region["startColumn"] = finding.column
        result: dict = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(finding.location.path, base), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
        }
        if finding.related:
            result["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(related.path, base), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(related.line, 1)},
                    },
                }
                for number, related in enumerate(finding.related)
            ]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aula-lint",
                        "informationUri": "https://docs.docker.com/reference/build-checks/",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _uri(path: Path, base: Path) -> str:
    try:
        relative = os.path.relpath(Path(path).resolve(), base.resolve())
    except ValueError:  # another drive on Windows
        return Path(path).resolve().as_uri()
    return Path(relative).as_posix()
