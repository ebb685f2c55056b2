"""`aula new`: a course that builds at once, and a course split from one long file of notes."""

from __future__ import annotations

import pytest
import yaml
from conftest import SEED_NOTES, run_aula, write_course

from generator.build import BuildOptions, load
from generator.scaffold import split_notes

# The course's seed notes live beside the project (../shared/seed), not in it: a checkout elsewhere has none.
needs_seed = pytest.mark.skipif(not SEED_NOTES.is_file(), reason=f"no seed notes at {SEED_NOTES}")


def warnings_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning " in line or ": error " in line or " W-" in line]


def test_a_new_course_has_settings_an_example_chapter_its_image_and_a_readme(tmp_path):
    result = run_aula("new", tmp_path / "mi-curso")
    assert result.exit_code == 0, result.output
    course = tmp_path / "mi-curso"
    assert sorted(str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()) == [
        "01-introduccion.md", "README.md", "course.yml", "images/contenedores.svg"]
    assert result.output.splitlines()[-1] == f"course ready in {course}: aula build {course}"
    settings = (course / "course.yml").read_text()
    for key in ("subtitle", "author", "license", "version", "date", "slug", "theme", "paper", "chapters", "lint", "cheatsheet",
                "limits", "chapter_bytes", "image_pixels", "nesting"):
        assert f"# {key}:" in settings or f"#   {key}:" in settings, key  # every key, explained and commented out
    assert yaml.safe_load(settings) == {"title": "Mi curso", "language": "es"}
    assert f"aula build {course}" in (course / "README.md").read_text()


def test_the_example_chapter_shows_each_convention(tmp_path):
    run_aula("new", tmp_path / "c")
    _, course, _ = load(BuildOptions(course_dir=tmp_path / "c"))
    [chapter] = course.chapters
    kinds = {type(block).__name__ for block in chapter.blocks()}
    callouts = {block.kind for block in chapter.blocks() if type(block).__name__ == "Callout"}
    assert chapter.objectives and chapter.duration == "1 h"
    assert {"CodeBlock", "Image", "Callout", "Paragraph"} <= kinds
    assert {"exercise", "hint", "solution", "tip", "warning", "notes", "teacher", "keypoints"} <= callouts
    exercise = next(block for block in chapter.blocks() if getattr(block, "kind", "") == "exercise")
    assert exercise.solution is not None
    assert any(getattr(block, "title", "") == "Dockerfile" for block in chapter.blocks())
    assert all(block.alt for block in chapter.blocks() if type(block).__name__ == "Image")


@pytest.mark.parametrize("language, chapter, label", [
    ("es", "01-introduccion.html", "Capítulo 1"),
    ("en", "01-introduction.html", "Chapter 1"),
])
def test_a_new_course_lints_clean_and_builds_its_site_without_a_warning(tmp_path, language, chapter, label):
    course = tmp_path / "curso"
    assert run_aula("new", course, "--language", language, "--title", 'Redes: de cero a "pro" # 1').exit_code == 0
    lint = run_aula("lint", course, "--strict")
    assert lint.exit_code == 0 and lint.output.endswith("0 errors, 0 warnings\n"), lint.output
    result = run_aula("build", course, "-o", tmp_path / "out", "--format", "site", "-q")
    # The site alone offers no downloads, and says so; nothing else to report.
    assert result.exit_code == 0 and [w.split()[1] for w in warnings_in(result.output)] == ["W-site-no-downloads"], result.output
    page = (tmp_path / "out" / "site" / chapter).read_text()
    assert label in page and 'Redes: de cero a &#34;pro&#34; # 1' in page


@pytest.mark.parametrize("existing", ["file", "folder"])
def test_new_refuses_a_folder_that_holds_anything(tmp_path, existing):
    target = tmp_path / "curso"
    if existing == "file":
        target.write_text("no soy una carpeta\n")
    else:
        target.mkdir()
        (target / "notas.md").write_text("# Mías\n")
    before = sorted(tmp_path.rglob("*"))
    result = run_aula("new", target)
    assert result.exit_code == 1
    assert result.output == f"error: {target}: not an empty folder: a new course is written into an empty or new folder only\n"
    assert sorted(tmp_path.rglob("*")) == before


# --- from notes -------------------------------------------------------------------------------

NOTES = """\
MIS NOTAS DE DOCKER
===================

Unas notas para empezar. Índice: [la red](#la-red).

Arrancar
--------

Texto.

```sh
# esto es un comentario, no un título
docker ps
```

### Un detalle

![Una caja](img/caja.svg)

![De fuera](../fuera/plano.png)

![Perdida](img/no-existe.png)

![Remota](https://example.com/x.png)

![Secreto](../secreto.png)

La red
------

::: exercise Redes
Crea una red.

## Solution

Con `docker network create`.
:::

Vuelve a [Arrancar](#arrancar).
"""

def png(path) -> None:
    from PIL import Image

    Image.new("L", (4, 4), 255).save(path)


def test_notes_are_cut_at_their_top_level_headings():
    split = split_notes(NOTES)
    assert split.title == "MIS NOTAS DE DOCKER"
    assert [chapter.title for chapter in split.chapters] == ["Introducción", "Arrancar", "La red"]
    intro, start, network = split.chapters
    assert intro.text.startswith("# Introducción\n\nUnas notas para empezar.")
    assert start.text.startswith("# Arrancar\n\nTexto.") and "\n## Un detalle\n" in start.text
    assert "# esto es un comentario, no un título" in start.text  # code is not cut
    assert "## Solution" in network.text  # nor a heading inside a box
    assert list(start.lines)[0] == 6


def test_new_from_notes_places_chapters_and_images_and_reports_the_rest(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>\n'
    notes = write_course(tmp_path / "notas", {"notas.md": NOTES, "img/caja.svg": svg})
    write_course(tmp_path / "fuera", {"plano.png": png})
    (tmp_path / "secreto.png").write_text("no es una imagen\n")
    course = tmp_path / "curso"
    result = run_aula("new", course, "--from", notes / "notas.md")
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()) == [
        "01-introduccion.md", "02-arrancar.md", "03-la-red.md", "course.yml", "images/plano.png", "img/caja.svg"]
    assert "](images/plano.png)" in (course / "02-arrancar.md").read_text()
    where = notes / "notas.md"
    assert [line for line in result.output.splitlines() if line.startswith("not placed")] == [
        f"not placed: {where}:22: image img/no-existe.png not found",
        f"not placed: {where}:24: remote image https://example.com/x.png left as a link: the build shows a placeholder, never fetches it",
        f"not placed: {where}:26: image ../secreto.png not copied: not an image (its format is not recognised)",
    ]
    assert yaml.safe_load((course / "course.yml").read_text())["title"] == "MIS NOTAS DE DOCKER"
    built = run_aula("build", course, "-o", tmp_path / "out", "--format", "site", "--no-lint", "-q")
    assert built.exit_code == 0, built.output
    intro = (tmp_path / "out" / "site" / "01-introduccion.html").read_text()
    assert 'href="03-la-red.html#c3"' in intro  # the notes' own links lead to the chapter now


@needs_seed
def test_the_seed_notes_become_a_course_of_sixteen_chapters(tmp_path):
    result = run_aula("new", tmp_path / "notas", "--from", SEED_NOTES)
    assert result.exit_code == 0, result.output
    chapters = sorted(path.name for path in (tmp_path / "notas").glob("*.md"))
    assert len(chapters) == 16 and chapters[0] == "01-introduccion.md" and chapters[-1] == "16-temporal-a-revisar.md"
    assert sum(line.startswith("not placed:") for line in result.output.splitlines()) == 8  # the remote images
    _, course, _ = load(BuildOptions(course_dir=tmp_path / "notas"))
    assert [chapter.title_text for chapter in course.chapters][1:3] == ["CONTENEDORES", "DOCKER"]


@pytest.mark.slow
def test_new_then_build_writes_every_output_without_a_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_aula("new", "mi-curso").exit_code == 0
    result = run_aula("build", "mi-curso")
    assert result.exit_code == 0 and warnings_in(result.output) == [], result.output
    assert (tmp_path / "output" / "mi-curso-handout.pdf").is_file() and (tmp_path / "output" / "site" / "index.html").is_file()


@pytest.mark.slow
@needs_seed
def test_the_seed_notes_build_right_after_new(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_aula("new", "notas", "--from", SEED_NOTES).exit_code == 0
    result = run_aula("build", "notas", "--no-lint")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "output" / "site" / "16-temporal-a-revisar.html").is_file()
