"""Outputs put in place one by one as the build makes them, and put back if it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.outputs import OutputError, Placement


def _folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    (out / "handout.pdf").write_bytes(b"old handout")
    (out / "slides" / "01.pptx").write_bytes(b"old deck")
    return out


def _left_over(out: Path) -> list[Path]:
    return [*out.rglob("*.part"), *out.rglob("*.aula-previous")]


def test_each_file_is_in_place_as_soon_as_it_is_placed(tmp_path):
    out = _folder(tmp_path)
    with Placement(out) as placement:
        assert placement.place("handout.pdf", b"new handout") == out / "handout.pdf"
        assert (out / "handout.pdf").read_bytes() == b"new handout"  # before the build ends
        placement.place("slides/02.pptx", b"new deck")
    assert (out / "slides" / "02.pptx").read_bytes() == b"new deck"
    assert (out / "slides" / "01.pptx").read_bytes() == b"old deck"
    assert not _left_over(out)


def test_a_failed_build_puts_back_every_file_it_replaced_and_removes_the_new_ones(tmp_path):
    out = _folder(tmp_path)
    old = (out / "handout.pdf").stat()
    with pytest.raises(KeyboardInterrupt), Placement(out) as placement:
        placement.place("handout.pdf", b"new handout")
        placement.place("slides/02.pptx", b"new deck")
        placement.place("slides/01.pptx", b"new deck")
        raise KeyboardInterrupt  # Ctrl-C, or any error, while the rest is made
    assert (out / "handout.pdf").read_bytes() == b"old handout"
    assert (out / "slides" / "01.pptx").read_bytes() == b"old deck"
    assert not (out / "slides" / "02.pptx").exists()
    # The same file, not a copy: the build cache, which checks an output's size and time, still holds it.
    now = (out / "handout.pdf").stat()
    assert (now.st_ino, now.st_mtime_ns, now.st_size) == (old.st_ino, old.st_mtime_ns, old.st_size)
    assert not _left_over(out)


def test_a_file_that_cannot_be_placed_is_one_error_and_the_others_go_back(tmp_path):
    out = _folder(tmp_path)
    (out / "site").write_text("in the way")
    with pytest.raises(OutputError, match=f"cannot write {out / 'site' / 'index.html'}"), Placement(out) as placement:
        placement.place("handout.pdf", b"new handout")
        placement.place("site/index.html", b"<html>")
    assert (out / "handout.pdf").read_bytes() == b"old handout"
    assert (out / "site").read_text() == "in the way"
    assert not _left_over(out)


def test_a_rename_that_fails_leaves_the_old_file_and_no_second_name(tmp_path, monkeypatch):
    from generator import outputs

    out = _folder(tmp_path)

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"), Placement(out) as placement:
        monkeypatch.setattr(outputs.os, "replace", refuse)
        placement.place("handout.pdf", b"new handout")
    monkeypatch.undo()
    assert (out / "handout.pdf").read_bytes() == b"old handout"
    assert not _left_over(out)


def test_what_a_killed_build_left_is_cleared_and_its_files_stay(tmp_path):
    out = _folder(tmp_path)
    os.link(out / "slides" / "01.pptx", out / "slides" / ".01.pptx.aula-previous")
    with Placement(out) as placement:
        placement.place("handout.pdf", b"new handout")
    assert (out / "slides" / "01.pptx").read_bytes() == b"old deck"
    assert not _left_over(out)
