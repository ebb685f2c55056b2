"""Fuzzing: generated and mutated Markdown through parse, lint and every renderer.

The only exception a course may cause is an `AulaError` (a message for the user);
anything else escaping is a crash, and a block that takes too long is a hang.

- A Hypothesis grammar of the constructs Aula supports (headings, lists, quotes,
  fences of every kind, fenced divs, tables, images, links, emphasis, raw HTML,
  footnotes, front matter, random Unicode) makes courses of one to three chapters.
  Each goes through parse, lint and every renderer short of PDF typesetting; a few
  go all the way through `build()`, PDFs included.
- The seed notes and every chapter of the bundled course, mutated (lines shuffled,
  truncated, fences and div closings removed, lines doubled), do the same.

Bounded for CI: AULA_FUZZ_EXAMPLES (default 200) examples, derandomized so a run is
repeatable. Set it higher for a longer, randomized hunt:

    AULA_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import collections
import contextlib
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, SEED_NOTES, lint_checked, render_without_pdf, time_limit
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from generator.build import BuildOptions, build
from generator.config import load_config
from generator.errors import AulaError
from generator.formats import FORMATS
from generator.parse import parse_course
from generator.themes import Theme

EXAMPLES = int(os.environ.get("AULA_FUZZ_EXAMPLES", "200"))
LONG_RUN = "AULA_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a slow example is caught by `time_limit`, with the example shown
    derandomize=not LONG_RUN,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
SECONDS_PER_EXAMPLE = 30


# --- the grammar -------------------------------------------------------------------------------

# Text with a bias toward what breaks parsers: Markdown punctuation, accents, emoji, controls,
# right-to-left and combining marks, zero-width characters.
SPICE = "*_`~[]()!<>#|:\\{}=\"'&;-+.\t ñáü€😀\u202e\u0301\u200b\ufeff\u2028\x0b\x0c"
words = st.text(
    alphabet=st.one_of(st.sampled_from(SPICE), st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")),
    max_size=30,
)
plain = st.sampled_from(["contenedor", "imagen", "docker run", "Versión 2", "ñandú", "a", ""])
text = st.one_of(plain, words)

URLS = [
    "#imagenes", "#im-genes", "#nowhere", "02.md", "02.md#uno", "03.md#x", "../fuera.md", "",
    "http://127.0.0.1:9/x", "https://docs.docker.com/", "mailto:profe@example.com", "file:///etc/passwd",
    "javascript:alert(1)", "data:text/html,<b>x</b>", "//example.com/x", "%2e%2e/%2e%2e/etc/passwd",
]
IMAGES = [
    "images/bien.png", "images/bien.svg", "images/falta.png", "images/roto.png", "images/texto.png",
    "images/entidades.svg", "../fuera.png", "/etc/passwd", "http://127.0.0.1:9/x.png", "images/", "",
    "images/bien.png \"título\"", "<images/bien.png>", "images/" + "x" * 300 + ".png",
]
url = st.one_of(st.sampled_from(URLS), words)
image_src = st.one_of(st.sampled_from(IMAGES), words)

inline = st.recursive(
    text,
    lambda inner: st.one_of(
        st.builds("*{}*".format, inner),
        st.builds("**{}**".format, inner),
        st.builds("~~{}~~".format, inner),
        st.builds("`{}`".format, text),
        st.builds("[{}]({})".format, inner, url),
        st.builds("![{}]({})".format, text, image_src),
        st.builds("<{}>".format, st.sampled_from(["http://127.0.0.1:9/a", "b", "img src=x onerror=alert(1)", "/div"])),
        st.builds("{}[^{}]".format, inner, st.sampled_from(["1", "nota", "x"])),
        st.builds("{}  \n{}".format, inner, inner),
        st.lists(inner, max_size=4).map(" ".join),
    ),
    max_leaves=8,
)

DOCKERFILE = "FROM ubuntu\nRUN apt-get install -y curl\nLABEL a b\nCMD python app.py\n"
COMPOSE = "services:\n  web:\n    image: nginx\n    ports: ['80:80', '80:80']\n    depends_on: [db]\n"
CONSOLE = "$ docker run -d --name web -p 8080:80 nginx:1.27 --rm\n$ docker-compose up\nsalida\n"
code_body = st.one_of(
    st.sampled_from([DOCKERFILE, COMPOSE, CONSOLE, "", "\n\n", "<<EOF\nx\nEOF\n", "FROM a AS b\nCOPY --from=c . .\n"]),
    st.lists(text, max_size=5).map(lambda lines: "\n".join(lines) + "\n"),
)
info = st.sampled_from([
    "", "dockerfile", "console", "sh", "bash", "yaml", 'yaml title="compose.yaml"', "text", "python",
    "console {.synopsis}", "dockerfile {.bad-example}", 'dockerfile ignore="DL3008,DL3006"', "{.no-cheatsheet}",
    "nosuchlanguage", 'console cheatsheet="Grupo"', "yaml {", "`", "~~~",
])
fence = st.builds(
    lambda marker, info, body, closed: f"{marker}{info}\n{body}" + (f"{marker}\n" if closed else ""),
    st.sampled_from(["```", "~~~", "````"]), info, code_body, st.booleans(),
)
KINDS = ["exercise", "solution", "hint", "tip", "warning", "notes", "teacher", "objectives", "keypoints", "Exercise", "nope"]
table = st.builds(
    lambda width, rows, align: "|" + "|".join(f"c{i}" for i in range(width)) + "|\n"
    + "|" + "|".join([align] * width) + "|\n"
    + "".join("|" + "|".join(row[:width]) + "|\n" for row in rows),
    st.integers(1, 8), st.lists(st.lists(text, min_size=8, max_size=8), max_size=3),
    st.sampled_from(["---", ":--", ":-:", "--:", "-"]),
)
leaf_block = st.one_of(
    inline,
    fence,
    table,
    st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "####", "#######"]), inline),
    st.builds("<div>{}</div>".format, text),
    st.sampled_from(["<!-- aula: ignore DL3008 -->", "<script>alert(1)</script>", "---", "***", "[^1]: una nota",
                     "[ref]: http://127.0.0.1:9/ref", "    indented code", "\t\ttabs", "<img src=\"http://127.0.0.1:9/y.png\">"]),
)
block = st.recursive(
    leaf_block,
    lambda inner: st.one_of(
        st.builds(
            lambda colons, kind, title, body, closed: f"{colons} {kind} {title}\n\n{body}\n" + (f"\n{colons}\n" if closed else ""),
            st.sampled_from([":::", "::::", ":::::"]), st.sampled_from(KINDS), text, inner, st.booleans(),
        ),
        st.builds(lambda body: "\n".join("> " + line for line in body.split("\n")), inner),
        st.builds(
            lambda marker, items: "\n".join(f"{marker} " + item.replace("\n", "\n   ") for item in items),
            st.sampled_from(["-", "*", "1.", "3)"]), st.lists(inner, min_size=1, max_size=3),
        ),
        st.lists(inner, min_size=2, max_size=4).map("\n\n".join),
    ),
    max_leaves=10,
)
# Mostly good front matter and a title, so that most courses get past the parser to the renderers.
GOOD_FRONT = st.sampled_from(["", "", "", "", "---\nobjectives: [uno, dos]\nduration: 2 h\n---\n", "---\n---\n"])
BAD_FRONT = st.sampled_from(["---\nobjectives: [a\n---\n", "---\n- lista\n---\n", "---\nduration: {a: 1}\n---\n"])
front_matter = st.integers(0, 14).flatmap(lambda n: BAD_FRONT if n == 0 else GOOD_FRONT)
chapter = st.builds(
    lambda front, titled, title, body, newline: (front + (f"# {title}\n\n" if titled else "") + body + "\n").replace("\n", newline),
    front_matter, st.integers(0, 29).map(lambda n: n > 0), inline, st.lists(block, max_size=6).map("\n\n".join),
    st.sampled_from(["\n", "\n", "\r\n"]),
)
course = st.lists(chapter, min_size=1, max_size=3)


# --- the course folder each example writes ------------------------------------------------------


def write_course(root: Path, chapters: list[str]) -> Path:
    """Write `chapters` as 01.md, 02.md, … beside a small set of good and bad images."""
    if root.exists():
        shutil.rmtree(root)
    images = root / "images"
    images.mkdir(parents=True)
    from test_bad_input import ENTITY_BOMB, SMALL_PNG  # the same bytes the bad-input tests use

    (images / "bien.png").write_bytes(SMALL_PNG)
    (images / "roto.png").write_bytes(SMALL_PNG[:40])
    (images / "texto.png").write_text("no soy una imagen\n")
    (images / "bien.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>\n')
    (images / "entidades.svg").write_text(ENTITY_BOMB)
    (root.parent / "fuera.png").write_bytes(SMALL_PNG)
    for number, text in enumerate(chapters, start=1):
        (root / f"{number:02d}.md").write_text(text, encoding="utf-8")
    return root


def through_every_renderer(root: Path, full: bool = False) -> tuple[str, list[Path]]:
    """Parse, lint and render the course (PDFs too when `full`); fail on anything but an AulaError.

    Return the outcome ("rendered", or "stopped" by a message for the user) and the files a full build wrote.
    A lint rule that crashes or hangs fails too: the linter would only report it as AU900.
    """
    try:
        with time_limit(SECONDS_PER_EXAMPLE * (4 if full else 1)):
            config = load_config(root)
            parsed = parse_course(config)
            lint_checked(parsed, config.lint_ignore)
            if full:
                options = BuildOptions(course_dir=root, output_dir=root.parent / f"{root.name}-out", editions=("student",),
                                       stop_on_lint_errors=False, jobs=1, force=True)
                written = build(options).written
            else:
                render_without_pdf(parsed, Theme.load())
                written = []
    except AulaError as error:  # a message for the user, which is what bad input should get
        note_outcome(f"stopped: {error.message[:40]}")
        return "stopped", []
    note_outcome("rendered")
    return "rendered", written


def note_outcome(outcome: str) -> None:
    """Count outcomes in `--hypothesis-show-statistics`."""
    with contextlib.suppress(InvalidArgument):  # outside a Hypothesis test
        event(outcome)


def assert_mostly_rendered(outcomes: collections.Counter, share: float) -> None:
    """Fail when too few inputs got past the parser: a parser that refused everything would crash nothing."""
    total = sum(outcomes.values())
    assert total and outcomes["rendered"] >= share * total, f"only {outcomes['rendered']} of {total} inputs rendered"


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="aula-fuzz-") as folder:
        yield Path(folder)


def test_generated_markdown_never_crashes_a_renderer(scratch):
    outcomes: collections.Counter = collections.Counter()

    @FUZZ
    @given(chapters=course)
    def one_course(chapters):
        outcomes[through_every_renderer(write_course(scratch / "course", chapters))[0]] += 1

    one_course()
    # A course stops when any of its one to three chapters is empty, untitled or has broken front matter:
    # about a third of them do (measured 59 to 70 % rendered, depending on what ran before in the process).
    assert_mostly_rendered(outcomes, 0.5)


@pytest.mark.slow
def test_generated_markdown_builds_every_pdf(scratch):
    outcomes: collections.Counter = collections.Counter()

    @settings(FUZZ, max_examples=max(3, EXAMPLES // 50))
    @given(chapters=course)
    def one_course(chapters):
        outcomes[through_every_renderer(write_course(scratch / "course", chapters), full=True)[0]] += 1

    one_course()
    assert_mostly_rendered(outcomes, 0.5)


# --- mutated real chapters ----------------------------------------------------------------------


def mutations(text: str, rng: random.Random) -> list[str]:
    """Return `text` broken in the ways half-finished and pasted notes are broken."""
    lines = text.split("\n")
    shuffled = lines[:]
    rng.shuffle(shuffled)
    cut = rng.randrange(len(text) + 1)
    return [
        "\n".join(shuffled),
        text[:cut],
        text[cut:],
        "\n".join(line for line in lines if not line.lstrip().startswith(("```", "~~~"))),
        "\n".join(line for line in lines if line.strip().strip(":") != "" or not line.strip()),
        "\n".join(line for i, line in enumerate(lines) if rng.random() > 0.2 or i == 0),
        "\n".join(line + "\n" + line if rng.random() < 0.1 else line for line in lines),
    ]


CONTENT = REPO / "content"
CHAPTERS = sorted(CONTENT.glob("*.md")) + ([SEED_NOTES] if SEED_NOTES.is_file() else [])


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda path: path.name)
def test_mutated_chapters_never_crash_a_renderer(source, scratch):
    # The same mutations on every CI run; fresh ones, EXAMPLES // 200 rounds of them, on a long run.
    seeds = [source.name] if not LONG_RUN else [f"{source.name}{random.random()}" for _ in range(max(1, EXAMPLES // 200))]
    outcomes: collections.Counter = collections.Counter()
    for seed in seeds:
        for index, text in enumerate(mutations(source.read_text(encoding="utf-8"), random.Random(seed))):
            root = scratch / "mutated"
            if root.exists():
                shutil.rmtree(root)
            if (CONTENT / "images").is_dir():
                shutil.copytree(CONTENT / "images", root / "images")
            root.mkdir(exist_ok=True)
            (root / source.name).write_text(text, encoding="utf-8")
            try:
                outcomes[through_every_renderer(root)[0]] += 1
            except Exception as error:
                raise AssertionError(f"mutation {index} of {source.name} (seed {seed!r}) crashed: {error!r}") from error
    assert_mostly_rendered(outcomes, 4 / 7)  # a mutation that loses the title line or breaks the front matter stops


@pytest.mark.slow
@pytest.mark.skipif(not SEED_NOTES.is_file(), reason="the seed notes are not beside the repository")
def test_the_mutated_seed_notes_build_every_pdf(scratch):
    rng = random.Random("seed")
    text = mutations(SEED_NOTES.read_text(encoding="utf-8"), rng)[3]  # fences removed: the hardest to lay out
    text = text[: len(text) // 3]  # a third of it says as much, in a third of the time
    root = scratch / "seed"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    (root / SEED_NOTES.name).write_text(text, encoding="utf-8")
    outcome, written = through_every_renderer(root, full=True)
    assert outcome == "rendered"
    assert len(written) >= len(FORMATS)
