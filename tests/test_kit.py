"""The classroom kit: the images, ports, network access and tools a course needs, and `aula kit`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import load_config
from generator.parse import parse_course
from generator.state.kit import classroom_kit, compose_images, dockerfile_bases, image_size

CHAPTER_1 = """# Uno

```console
$ docker run -d --name web -p 8080:80 nginx:1.27
$ docker run hello-world
$ docker pull python:3.12-slim
$ docker build -t ana/app:1.0 .
$ docker run --rm ana/app:1.0
$ sudo apt-get install -y curl
```

```console {.synopsis}
docker run <imagen>
```

```console {.bad-example}
$ docker run ubuntu
```
"""

CHAPTER_2 = """# Dos

```dockerfile title="Dockerfile"
ARG VERSION=3.20
FROM alpine:${VERSION} AS base
FROM base
RUN apk add --no-cache curl=8.9.1-r2
```

```yaml title="compose.yaml"
services:
  web:
    build: .
    image: ana/web:1.0
    ports:
      - "8000:5000"
  redis:
    image: redis:7.4
```

```yaml title="otro.yaml"
services:
  nunca:
    image: nunca/usada:1.0
```

Construye `docker build -t eco .` y ejecuta:

```console
$ docker compose up -d
$ docker run --rm eco
$ docker login -u ana
$ docker swarm join --token SWMTKN-1-abc 192.168.1.10:2377
$ kubectl get pods
$ docker compose down
```
"""


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    (tmp_path / "01-uno.md").write_text(CHAPTER_1, encoding="utf-8")
    (tmp_path / "02-dos.md").write_text(CHAPTER_2, encoding="utf-8")
    (tmp_path / "course.yml").write_text("title: Curso de prueba\n", encoding="utf-8")
    return tmp_path


def test_the_images_a_course_pulls_and_where_each_is_first_needed(course_dir: Path) -> None:
    kit = classroom_kit(parse_course(load_config(course_dir)))
    found = [(i.name, i.location.path.name, i.location.line, i.how, i.tagged) for i in kit.images]
    assert found == [
        ("nginx:1.27", "01-uno.md", 4, "run", True),
        ("hello-world", "01-uno.md", 5, "run", False),
        ("python:3.12-slim", "01-uno.md", 6, "pull", True),
        ("alpine:3.20", "02-dos.md", 5, "FROM", True),
        ("redis:7.4", "02-dos.md", 18, "compose", True),
    ]  # not the images the course builds (in a block or a sentence), nor those of a compose file never brought up


def test_ports_network_and_tools_by_chapter(course_dir: Path) -> None:
    kit = classroom_kit(parse_course(load_config(course_dir)))
    assert [(str(p.port), p.chapters) for p in kit.ports] == [("8000", (2,)), ("8080", (1,))]
    assert [(c.chapter, c.needs, c.tools) for c in kit.chapters] == [
        (1, ("packages",), ()),
        (2, ("packages", "hub_login", "second_machine"), ("Docker Compose (plugin)", "kubectl")),
    ]
    assert kit.disk_mb == 190 + 1 + 130 + 8 + 120 and kit.unknown_sizes == 0


def test_dockerfile_bases_and_compose_images() -> None:
    text = "ARG V=12\nFROM --platform=$BUILDPLATFORM debian:${V}-slim AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n"
    assert dockerfile_bases(text) == [("debian:12-slim", 2)]
    compose = "services:\n  a:\n    image: x/a:1\n  b:\n    build: .\n    image: x/b:1\n  c:\n    image: \"x/c:${TAG}\"\n"
    assert compose_images(compose) == [("x/a:1", 3)]


def test_image_sizes_are_rough_and_by_variant() -> None:
    assert image_size("python:3.12") == 1000
    assert image_size("python:3.12-slim-bookworm") == 130
    assert image_size("docker.io/library/nginx:1.27-alpine") == 50
    assert image_size("ana/app:1.0") is None


def test_cli_text(course_dir: Path) -> None:
    result = CliRunner().invoke(main, ["kit", str(course_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Images to pull before class (5; about 449 MB for the 5 of known size):"
    assert f"  hello-world       {course_dir}/01-uno.md:5 (run)  untagged: means `latest`, which changes" in lines
    assert "   2 Dos: package installs, a Docker Hub login, a second machine" in lines
    assert lines[-1] == "Tools besides docker: Docker Compose (plugin), kubectl"


def test_cli_sh_pulls_every_image_and_saves_them(course_dir: Path) -> None:
    result = CliRunner().invoke(main, ["kit", str(course_dir), "--format", "sh", "--save"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "#!/bin/sh" and "set -e" in lines
    assert [line for line in lines if line.startswith("docker pull")] == [
        "docker pull nginx:1.27", "docker pull hello-world", "docker pull python:3.12-slim", "docker pull alpine:3.20",
        "docker pull redis:7.4"]
    assert lines[-1] == ("docker save -o curso-de-prueba-images.tar nginx:1.27 hello-world python:3.12-slim alpine:3.20 "
                         "redis:7.4")


def test_cli_json(course_dir: Path) -> None:
    import json

    result = CliRunner().invoke(main, ["kit", str(course_dir), "--format", "json"])
    data = json.loads(result.output)
    assert data["images"][1] == {"image": "hello-world", "tagged": False, "path": str(course_dir / "01-uno.md"), "line": 5,
                                 "chapter": 1, "how": "run", "size_mb": 1}
    assert data["ports"][0] == {"port": 8000, "protocol": "tcp", "address": "", "chapters": [2]}


def test_cli_save_needs_sh(course_dir: Path) -> None:
    result = CliRunner().invoke(main, ["kit", str(course_dir), "--save"])
    assert result.exit_code == 2 and "--save goes with --format sh" in result.output


def test_build_json_lists_the_images(course_dir: Path) -> None:
    import json

    from generator.build import kit_images
    from generator.outputs import manifest_bytes

    images = kit_images(parse_course(load_config(course_dir)))
    assert images[:2] == [{"image": "nginx:1.27", "tagged": True, "chapter": 1}, {"image": "hello-world", "tagged": False, "chapter": 1}]
    assert json.loads(manifest_bytes("x", {}, {}, {}, images))["images"] == images


@pytest.mark.parametrize(("language", "title", "need"), [("es", "Preparación del aula", "una segunda máquina"),
                                                        ("en", "Classroom preparation", "a second machine")])
def test_the_teacher_handout_opens_with_the_preparation_page(course_dir: Path, language: str, title: str, need: str) -> None:
    from generator.render.handout import HandoutOptions, classroom_kit_for, handout_html
    from generator.themes import Theme

    (course_dir / "course.yml").write_text(f"title: Curso de prueba\nlanguage: {language}\n", encoding="utf-8")
    course, theme = parse_course(load_config(course_dir)), Theme.load()
    assert classroom_kit_for(course, theme, HandoutOptions(edition="student")) is None
    kit = classroom_kit_for(course, theme, HandoutOptions(edition="teacher"))
    page = handout_html(course, theme, HandoutOptions(edition="teacher"), "preparation", kit=kit)
    assert f'<h1 class="preparation-title">{title}</h1>' in page
    assert all(f"<code>{image.name}</code>" in page for image in kit.images)  # the same list as `aula kit`
    assert need in page and "<code>8080</code>: 1" in page and "kubectl" in page
    book = handout_html(course, theme, HandoutOptions(edition="student"), "book")
    assert "preparation" not in book.split("</head>")[1]
