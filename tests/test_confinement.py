"""The build is offline and confined: no connection leaves it, no file outside the course and theme gets in.

A hostile course points at a TCP listener on 127.0.0.1 from every place a URL can
hide (a Markdown image, a link, raw HTML, a user theme's CSS, an SVG's `<image>`),
and at a secret file beside the course in every way a path can leave it. Every
renderer builds it; the listener must see no connection, and no output may
contain the secret's marker, in its bytes or in its text.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main
from generator.formats import FORMATS
from generator.render.core.images import locate_image
from generator.render.core.pdf import confined_fetcher
from generator.themes import builtin_themes_dir

MARKER = "AULA-SECRET-MARKER-7F3A"


@pytest.fixture
def listener():
    """A TCP socket listening on 127.0.0.1; `connections()` counts who knocked."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    server.setblocking(False)
    yield server
    server.close()


def connections(server: socket.socket) -> int:
    """Return how many connections reached `server` (the kernel queues them even unaccepted)."""
    count = 0
    while True:
        try:
            peer, _ = server.accept()
        except BlockingIOError:
            return count
        peer.close()
        count += 1


@pytest.fixture
def no_network(monkeypatch):
    """Record (and refuse) every attempt to resolve a name or open a connection in this process."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network use in a test: {name}")

        return blocked

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, refuse(name))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    return attempts


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60">{}</svg>\n'


def hostile_course(tmp_path: Path, port: int) -> tuple[Path, Path]:
    """Write a course and a user theme that reach for the network and for a secret; return both folders."""
    url = f"http://127.0.0.1:{port}"
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "secret.txt").write_text(f"{MARKER}\n")
    (secret / "secret.svg").write_text(SVG.format(f'<text x="0" y="30">{MARKER}</text>'))
    (secret / "secret.css").write_text(f'body::before {{ content: "{MARKER}"; }}\n')
    (secret / "secret.md").write_text(f"# {MARKER}\n")

    course = tmp_path / "course"
    images = course / "images"
    images.mkdir(parents=True)
    svgs = {
        "href.svg": f'<image href="{url}/svg-href.png" width="10" height="10"/>',
        "xlink.svg": f'<image xlink:href="{url}/svg-xlink.png" width="10" height="10"/>',
        "use.svg": f'<use href="{url}/use.svg#shape"/><use xlink:href="{url}/use2.svg#shape"/>',
        "style.svg": f'<style>@import url({url}/svg-style.css);</style><rect width="9" height="9"/>',
        "fill.svg": f'<rect width="9" height="9" fill="url({url}/fill.svg#paint)"/>',
        "script.svg": f'<script>fetch("{url}/script")</script><rect width="9" height="9" onload="fetch(\'{url}/onload\')"/>',
        "secret-file.svg": f'<image href="{(secret / "secret.svg").as_uri()}" width="99" height="40"/>',
        "secret-up.svg": '<image href="../../secret/secret.svg" width="99" height="40"/>',
        "secret-host.svg": f'<image href="file://127.0.0.1:{port}{(secret / "secret.svg").as_posix()}" width="9" height="9"/>',
    }
    for name, body in svgs.items():
        (images / name).write_text(SVG.format(body))
    (images / "entity.svg").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "{(secret / "secret.txt").as_uri()}">]>\n'
        + SVG.format("<text>&secret;</text>")
    )
    os.symlink(secret / "secret.svg", images / "linked.svg")
    os.symlink(secret, course / "linked-folder")
    figures = "\n\n".join(f"![{name}](images/{name})" for name in [*svgs, "entity.svg", "linked.svg"])
    (course / "01-confinado.md").write_text(
        f"""# Confinado

![imagen remota]({url}/markdown-image.png)

Texto con ![en línea]({url}/inline.png), un [enlace]({url}/link), un
[archivo](file://{secret / 'secret.txt'}) y <img src="{url}/raw-inline.png"> en línea.

<img src="{url}/raw-block.png">
<link rel="stylesheet" href="{url}/raw.css">
<iframe src="{(secret / 'secret.txt').as_uri()}"></iframe>

{figures}

![arriba](../secret/secret.svg)

![absoluta]({secret / 'secret.svg'})

![codificada](%2e%2e/secret/secret.svg)

![carpeta enlazada](linked-folder/secret.svg)

![file]({(secret / 'secret.svg').as_uri()})

```console
$ docker run -d --name web nginx:1.27
$ curl {url}/from-a-command
```
""",
        encoding="utf-8",
    )

    theme = tmp_path / "theme"
    theme.mkdir()
    hostile_css = (
        f"@import url({url}/theme-import.css);\n"
        f'@import url("{(secret / "secret.css").as_uri()}");\n'
        '@import "../secret/secret.css";\n'
        f"@font-face {{ font-family: Hostile; src: url({url}/font.ttf); }}\n"
        f"html {{ background-image: url({url}/background.png); }}\n"
        f'h1 {{ background-image: url("{(secret / "secret.svg").as_uri()}"); }}\n'
    )
    # Every stylesheet of the default theme (but the fonts, which stay where they are), overridden
    # with hostile rules on top: whatever stylesheet a renderer loads reaches out.
    for stylesheet in (builtin_themes_dir() / "default").glob("*.css"):
        if stylesheet.name != "fonts.css":
            hostile = hostile_css + stylesheet.read_text(encoding="utf-8")
            (theme / stylesheet.name).write_text(hostile, encoding="utf-8")
    (theme / "custom.css").write_text(hostile_css)
    return course, theme


def output_contents(path: Path) -> list[bytes]:
    """Return everything readable in an output: its bytes, its decompressed streams or parts, and its text."""
    data = path.read_bytes()
    contents = [data]
    if data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        contents += [(page.extract_text() or "").encode() for page in reader.pages]
        for number in range(1, int(reader.trailer["/Size"])):
            try:
                obj = reader.get_object(number)
                contents.append(obj.get_data())
            except Exception:  # not a stream, or a free entry
                continue
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            contents += [archive.read(name) for name in archive.namelist()]
    return contents


@pytest.mark.slow
@pytest.mark.parametrize("renderer", sorted(FORMATS))
def test_no_connection_and_no_secret_in_any_output(renderer, tmp_path, listener, no_network):
    course, theme = hostile_course(tmp_path, listener.getsockname()[1])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(course), "-o", str(out), "--theme", str(theme), "--format", renderer,
         "--edition", "student", "--no-lint", "--jobs", "1", "--force", "--quiet"],
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert connections(listener) == 0
    assert no_network == []
    outputs = [path for path in out.rglob("*") if path.is_file() and ".aula-cache" not in path.parts]
    assert outputs, result.output
    for path in outputs:
        for content in output_contents(path):
            assert MARKER.encode() not in content, f"the secret reached {path.name}"


def test_refusals_are_warnings_that_say_where(tmp_path, listener):
    course, theme = hostile_course(tmp_path, listener.getsockname()[1])
    result = CliRunner().invoke(
        main,
        ["build", str(course), "-o", str(tmp_path / "out"), "--theme", str(theme), "--format", "handout",
         "--edition", "student", "--no-lint", "--jobs", "1", "--force", "--quiet"],
    )
    assert result.exit_code == 0, result.output
    chapter = "01-confinado.md"
    warnings = [line for line in result.output.splitlines() if "W-" in line]
    assert any(f"{chapter}:" in line and "W-image-outside" in line and "../secret/secret.svg" in line for line in warnings)
    assert any(f"{chapter}:" in line and "W-image-outside" in line and "linked.svg" in line for line in warnings)
    assert any(f"{chapter}:" in line and "W-image-unsafe" in line and "entity.svg" in line for line in warnings)
    assert any("W-fetch-refused" in line and "theme-import.css" in line for line in warnings)
    assert connections(listener) == 0


# --- the fetcher and the image locator, one refusal at a time ------------------------------


@pytest.fixture
def folders(tmp_path):
    course = tmp_path / "course"
    (course / "images").mkdir(parents=True)
    (course / "images" / "ok.svg").write_text(SVG.format(""))
    (tmp_path / "secret.svg").write_text(SVG.format(f"<text>{MARKER}</text>"))
    return course, tmp_path / "secret.svg"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        "file://example.com{course}/images/ok.svg",  # a host would be looked up
        "file://{course}/../secret.svg",
        "file://{course}/images/%2e%2e/%2e%2e/secret.svg",
        "file://{course}/images/missing.svg",
        "file://{course}/images/pipe.svg",  # a FIFO would block forever
        "file://{course}/images/link.svg",  # a symlink pointing out
        "file://{course}/images/" + "x" * 300 + ".svg",  # a name too long for the file system
        "gopher://127.0.0.1:9/",
    ],
)
def test_fetcher_refuses(folders, url, caplog):
    logging.getLogger("aula").addHandler(caplog.handler)  # it does not propagate once the CLI has run
    course, secret = folders
    os.mkfifo(course / "images" / "pipe.svg")
    os.symlink(secret, course / "images" / "link.svg")
    fetcher = confined_fetcher((course,))
    try:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url.format(course=course.resolve()))
    finally:
        logging.getLogger("aula").removeHandler(caplog.handler)
    assert "W-fetch-refused" in caplog.text


def test_fetcher_serves_data_and_files_inside(folders):
    course, _ = folders
    fetcher = confined_fetcher((course,))
    assert b"<svg" in fetcher.fetch((course / "images" / "ok.svg").resolve().as_uri()).read()
    assert fetcher.fetch("data:text/plain,hola").read() == b"hola"


@pytest.mark.parametrize(
    "src, problem",
    [
        ("images/ok.svg", ""),
        ("../secret.svg", "outside"),
        ("{secret}", "outside"),
        ("images/%2e%2e/../secret.svg", "outside"),
        ("images/link.svg", "outside"),
        ("images/loop.svg", "outside"),
        ("file:///etc/passwd", "remote"),
        ("//example.com/x.png", "remote"),
        ("images/pipe.svg", "missing"),
        ("images/" + "x" * 300 + ".svg", "missing"),
    ],
)
def test_locate_image_stays_in_the_course(folders, src, problem):
    course, secret = folders
    os.mkfifo(course / "images" / "pipe.svg")
    os.symlink(secret, course / "images" / "link.svg")
    os.symlink(course / "images" / "loop.svg", course / "images" / "loop.svg")
    from urllib.parse import unquote

    located = locate_image(unquote(src.format(secret=secret)), course / "01.md", course)
    assert located.problem == problem
    assert (located.path is None) == bool(problem)


# --- chapters and themes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "how, message",
    [
        ("course.yml", "chapter is outside the course folder"),
        ("absolute", "chapter is outside the course folder"),
        ("symlink", "chapter is outside the course folder"),
        ("loop", "is a loop of symbolic links"),
    ],
)
def test_a_chapter_outside_the_course_is_refused_not_read(tmp_path, how, message):
    course = tmp_path / "course"
    course.mkdir()
    secret = tmp_path / "secret.md"
    secret.write_text(f"# {MARKER}\n")
    (course / "01.md").write_text("# Uno\n")
    if how == "course.yml":
        (course / "course.yml").write_text("chapters: [01.md, ../secret.md]\n")
    elif how == "absolute":
        (course / "course.yml").write_text(f"chapters: [01.md, {secret}]\n")
    elif how == "symlink":
        os.symlink(secret, course / "02.md")
    else:
        os.symlink(course / "02.md", course / "02.md")
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert MARKER not in result.output
    assert not (tmp_path / "out").exists()


def test_a_theme_template_cannot_run_code(tmp_path):
    """A theme can come inside a course folder from anyone: its templates are sandboxed."""
    course = tmp_path / "course"
    (course / "tema").mkdir(parents=True)
    (course / "course.yml").write_text("theme: tema\n")
    (course / "01.md").write_text("# Uno\n\nTexto.\n")
    witness = tmp_path / "ran"
    (course / "tema" / "handout.html").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch " + str(witness) + "') }}"
    )
    result = CliRunner().invoke(
        main, ["build", str(course), "-o", str(tmp_path / "out"), "--format", "handout", "--quiet", "--jobs", "1"]
    )
    assert result.exit_code == 1
    assert "handout.html:1: not allowed in a theme" in result.output
    assert "Traceback" not in result.output
    assert not witness.exists()


@pytest.mark.parametrize("theme", ["/", "..", "."])
def test_a_theme_around_the_course_is_refused(tmp_path, theme):
    """The build reads any file of its theme: a theme folder holding the course would open everything."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.yml").write_text(f"theme: {theme}\n")
    (course / "01.md").write_text("# Uno\n")
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert "holds the course: a theme is a folder of its own" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("slug", ["../fuera", "/tmp/fuera", "..", ".oculto", "a/b"])
def test_the_slug_cannot_lead_outputs_out_of_the_output_folder(tmp_path, slug):
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.yml").write_text(f'slug: "{slug}"\n')
    (course / "01.md").write_text("# Uno\n")
    result = CliRunner().invoke(main, ["build", str(course), "-o", str(tmp_path / "out" / "deep"), "--quiet"])
    assert result.exit_code == 1
    assert "course.yml:1: `slug` must be a file name" in result.output
    assert not (tmp_path / "out").exists() and not list(tmp_path.rglob("*.pdf"))
