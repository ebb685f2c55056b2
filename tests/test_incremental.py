"""The incremental build: the cache, build.json, byte-identical rebuilds, atomic writes, watch."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import BuildOptions, build
from generator.cli import main
from generator.formats import FORMATS
from generator.render.core.parts import InParts, Whole

pytestmark = pytest.mark.slow  # whole WeasyPrint builds

COURSE = {
    "course.yml": 'title: Curso corto\ndate: "2026-11-28"\n',
    "01-uno.md": "# Uno\n\n## Primera\n\nTexto del primer capítulo.\n\n```console\n$ docker ps\n```\n",
    "02-dos.md": "# Dos\n\n## Segunda\n\nTexto del segundo capítulo.\n\n```console\n$ docker images\n```\n",
}


def options(root: Path, out: Path, **changes) -> BuildOptions:
    settings = dict(course_dir=root, output_dir=out, formats=("handout", "cheatsheet"), jobs=1)
    settings.update(changes)
    return BuildOptions(**settings)


def stamps(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}


@pytest.fixture
def course(make_course):
    return make_course(COURSE)


def test_noop_build_writes_nothing(course, tmp_path):
    out = tmp_path / "out"
    first = build(options(course, out))
    assert {p.name for p in first.written} == {
        "curso-corto-handout.pdf",
        "curso-corto-handout-teacher.pdf",
        "curso-corto-cheatsheet.pdf",
    }
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = build(options(course, out))
    assert second.written == [] and len(second.up_to_date) == 3
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_prose_edit_rebuilds_handouts_but_not_the_cheat_sheet(course, tmp_path):
    out = tmp_path / "out"
    build(options(course, out))
    path = course / "02-dos.md"
    path.write_text(path.read_text().replace("Texto del segundo", "Otro texto del segundo"))
    result = build(options(course, out))
    assert {p.name for p in result.written} == {"curso-corto-handout.pdf", "curso-corto-handout-teacher.pdf"}


def test_command_edit_rebuilds_the_cheat_sheet(course, tmp_path):
    out = tmp_path / "out"
    build(options(course, out))
    path = course / "02-dos.md"
    path.write_text(path.read_text().replace("$ docker images", "$ docker image ls"))
    result = build(options(course, out))
    assert "curso-corto-cheatsheet.pdf" in {p.name for p in result.written}


def test_theme_edit_rebuilds_everything(course, tmp_path):
    out = tmp_path / "out"
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "custom.css").write_text("p { color: #000; }\n")
    build(options(course, out, theme=str(theme)))
    (theme / "custom.css").write_text("p { color: #111; }\n")
    assert len(build(options(course, out, theme=str(theme))).written) == 3


def test_options_are_part_of_the_key(course, tmp_path):
    out = tmp_path / "out"
    build(options(course, out))
    result = build(options(course, out, paper="letter"))
    assert {p.name for p in result.written} == {
        "curso-corto-handout.pdf",
        "curso-corto-handout-teacher.pdf",
        "curso-corto-cheatsheet.pdf",
    }


def test_force_and_a_deleted_output_rebuild(course, tmp_path):
    out = tmp_path / "out"
    build(options(course, out))
    (out / "curso-corto-cheatsheet.pdf").unlink()
    assert [p.name for p in build(options(course, out)).written] == ["curso-corto-cheatsheet.pdf"]
    assert len(build(options(course, out, force=True)).written) == 3


def test_build_json_lists_outputs_with_hashes_and_lint_counts(course, tmp_path):
    out = tmp_path / "out"
    build(options(course, out))
    manifest = json.loads((out / "build.json").read_text())
    assert manifest["lint"] == {"error": 0, "warning": 0, "info": 0}
    assert manifest["images"] == []  # the course pulls none: `aula kit` lists them
    paths = [entry["path"] for entry in manifest["outputs"]]
    assert paths == sorted(["curso-corto-handout.pdf", "curso-corto-handout-teacher.pdf", "curso-corto-cheatsheet.pdf"])
    import hashlib

    for entry in manifest["outputs"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest()
        assert len(entry["inputs"]) == 64


def test_two_builds_are_byte_identical(course, tmp_path):
    """Two builds in separate processes, seconds apart, one of them in parallel: the same bytes in every file."""
    first, second = tmp_path / "a", tmp_path / "b"
    build(options(course, first, formats=tuple(FORMATS)))  # every format, as the command below builds
    time.sleep(2.1)  # past the 2-second resolution of a zip entry's date
    command = [sys.executable, "-m", "generator", "build", str(course), "-o", str(second), "--jobs", "2", "-q"]
    subprocess.run(command, check=True, capture_output=True)
    made = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file() and ".aula-cache" not in p.parts)
    assert {"curso-corto-slides.pptx", "curso-corto-slides.pdf", "slides/01-uno.pptx", "site/index.html", "build.json"} <= set(made)
    for relative in made:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_parallel_build_reports_worker_warnings(make_course, tmp_path):
    root = make_course({"01.md": "# A\n\n![diagrama](https://example.com/x.png)\n\n## B\n\n![otro](images/no.png)\n"})
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(tmp_path / "o"), "--jobs", "2", "--no-lint"])
    assert result.exit_code == 0, result.output
    assert "01.md:3:" in result.output and "AU402" in result.output


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("made", ["whole", "in parts"])
def test_failure_mid_render_leaves_old_outputs_intact(course, tmp_path, monkeypatch, made, jobs):
    out = tmp_path / "out"
    build(options(course, out))
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    (course / "01-uno.md").write_text(COURSE["01-uno.md"] + "\nMás texto.\n")

    def broken_handout_jobs(request):
        jobs = original(request)

        def explode():
            raise RuntimeError("renderer died half way")

        def explode_after_the_chapters():
            yield next(jobs[0].document.layouts())  # the chapters, laid out by the workers
            raise RuntimeError("renderer died half way")

        how = Whole(explode) if made == "whole" else InParts(explode_after_the_chapters)
        return [replace(jobs[0], document=how)] + jobs[1:]

    original = FORMATS["handout"]
    monkeypatch.setitem(FORMATS, "handout", broken_handout_jobs)
    with pytest.raises(RuntimeError, match="half way"):
        build(options(course, out, jobs=jobs))
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before
    assert not list(out.glob(".*.part"))


def test_each_output_is_in_place_as_soon_as_made_and_put_back_if_a_later_one_fails(course, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(options(course, out))
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    (course / "01-uno.md").write_text(COURSE["01-uno.md"] + "\nMás texto.\n")
    seen = {}

    def wrote(path: Path) -> None:  # what a PDF viewer that reloads the file shows, while the build goes on
        seen[path.name] = path.read_bytes()

    def broken_cheatsheet(request):
        return [replace(job, document=Whole(explode)) for job in original(request)]

    def explode():
        raise RuntimeError("renderer died half way")

    original = FORMATS["cheatsheet"]
    monkeypatch.setitem(FORMATS, "cheatsheet", broken_cheatsheet)
    with pytest.raises(RuntimeError, match="half way"):
        build(options(course, out, force=True), wrote=wrote)
    assert set(seen) == {"curso-corto-handout.pdf", "curso-corto-handout-teacher.pdf"}  # the handouts come first
    assert all(seen[name] != before[name] for name in seen)
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before  # each put back
    assert not [p for p in out.rglob("*") if p.name.endswith((".part", ".aula-previous"))]
    # The files put back are the last build's own: the next build finds the handouts changed, not the cheat sheet.
    monkeypatch.setitem(FORMATS, "cheatsheet", original)
    assert {p.name for p in build(options(course, out)).written} == {"curso-corto-handout.pdf", "curso-corto-handout-teacher.pdf"}


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    from generator import outputs

    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", fail)
    with pytest.raises(OSError):
        outputs.write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_watch_rebuilds_after_a_change(course, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "watch", str(course), "-o", str(out), "--format", "cheatsheet", "-q", "--debounce", "50"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        sheet = out / "curso-corto-cheatsheet.pdf"
        deadline = time.monotonic() + 60
        while not sheet.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sheet.exists(), "the first build did not happen"
        first = sheet.stat().st_mtime_ns
        time.sleep(0.5)
        path = course / "02-dos.md"
        path.write_text(path.read_text().replace("$ docker images", "$ docker volume ls"))
        while sheet.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sheet.stat().st_mtime_ns != first, "no rebuild after the change"
        # a broken chapter is reported and the watch goes on (a chapter without `#` title
        # is no longer broken: its title comes from its file name)
        path.write_text("---\nobjectives: [a\n---\n# Dos\n")
        time.sleep(2)
        assert process.poll() is None
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "changed: 02-dos.md" in output
    assert "02-dos.md:2: front matter:" in output


def test_source_date_epoch_is_part_of_the_key(course, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(options(course, out, formats=("cheatsheet",)))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert [p.name for p in build(options(course, out, formats=("cheatsheet",))).written] == ["curso-corto-cheatsheet.pdf"]


def test_a_moved_course_folder_keeps_its_cache(course, tmp_path, monkeypatch):
    """Keys hold no absolute path: a course built, then moved (with its output) or named by a relative path, is up to date."""
    every = ("handout", "cheatsheet", "slides", "slides-handout", "site")
    out = course / "salida"
    first = build(options(course, out, formats=every))
    moved = course.rename(tmp_path / "movido")
    (moved / "notas.txt").write_text("Una nota que ningún documento muestra.\n")  # past the no-change shortcut
    monkeypatch.chdir(moved.parent)
    rendered: list[str] = []
    again = build(options(Path("movido"), Path("movido/salida"), formats=every), lambda relative, *_: rendered.append(relative))
    assert rendered == []  # not even made again to the same bytes
    assert again.written == [] and len(again.up_to_date) == len(first.written)


def test_a_book_made_again_from_the_same_parts_is_read_not_put_together(make_course, tmp_path, monkeypatch):
    """An edit in chapter 2 remakes chapter 1's worksheet (a link may lead there): its book comes from the cache."""
    from generator.render.handout import draw_book as real_draw_book

    exercise = "\n::: exercise Practica\nEjecuta `docker ps`.\n:::\n\n::: solution\n`docker ps`\n:::\n"
    course = make_course({**COURSE, "01-uno.md": COURSE["01-uno.md"] + exercise, "02-dos.md": COURSE["02-dos.md"] + exercise})
    out = tmp_path / "out"
    build(options(course, out, formats=("worksheet",)))
    books: list[int] = []
    monkeypatch.setattr("generator.render.handout.draw_book", lambda frames, parts: books.append(1) or real_draw_book(frames, parts))
    path = course / "02-dos.md"
    path.write_text(path.read_text().replace("Ejecuta `docker ps`", "Ejecuta `docker ps -a`"))
    result = build(options(course, out, formats=("worksheet",)))
    assert books == [1, 1]  # the whole worksheet and chapter 2's, not chapter 1's
    assert {p.name for p in result.written} == {"curso-corto-worksheet.pdf", "02-dos.pdf"}
    cold = build(options(course, tmp_path / "cold", formats=("worksheet",)))
    for made in cold.written:
        assert made.read_bytes() == (out / made.relative_to(tmp_path / "cold")).read_bytes()
