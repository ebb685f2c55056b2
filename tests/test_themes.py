"""Themes: a user theme overrides single files, labels follow the course language."""

from __future__ import annotations

import io

import pytest

from generator.build import BuildOptions, load
from generator.errors import ThemeError
from generator.render.handout import HandoutOptions, handout_html, handout_stylesheets
from generator.themes import Theme, builtin_themes_dir

CHAPTER = "# Capítulo\n\n## Sección\n\n::: exercise Probar\nHazlo.\n:::\n\n::: solution\nHecho.\n:::\n"


def html_for(root, **options) -> str:
    config, course, theme = load(BuildOptions(course_dir=root, **options))
    return handout_html(course, theme, HandoutOptions())


def test_labels_follow_the_course_language(make_course):
    spanish = html_for(make_course({"01.md": CHAPTER}, name="es"))
    assert "Ejercicio 1.1: Probar" in spanish and "Índice" in spanish
    english = html_for(make_course({"course.yml": "language: en\n", "01.md": CHAPTER}, name="en"))
    assert "Exercise 1.1: Probar" in english and "Contents" in english and 'lang="en"' in english


def test_user_theme_overrides_one_file_and_inherits_the_rest(make_course, tmp_path):
    theme_dir = tmp_path / "mi-tema"
    (theme_dir / "messages").mkdir(parents=True)
    (theme_dir / "messages" / "es.yml").write_text("exercise: Actividad\n")
    (theme_dir / "custom.css").write_text("h2 { color: #000; }\n")
    root = make_course({"course.yml": f"theme: {theme_dir}\n", "01.md": CHAPTER})
    html = html_for(root)
    assert "Actividad 1.1: Probar" in html  # overridden label
    assert "Solución" in html  # inherited label
    _, _, theme = load(BuildOptions(course_dir=root))
    sheets = handout_stylesheets(theme)
    assert sheets[-1] == theme_dir / "custom.css"
    assert sheets[1] == builtin_themes_dir() / "default" / "handout.css"


def test_user_template_override(make_course, tmp_path):
    theme_dir = tmp_path / "tema"
    theme_dir.mkdir()
    default = (builtin_themes_dir() / "default" / "handout.html").read_text()
    (theme_dir / "handout.html").write_text(default.replace("<body", "<body data-tema=\"propio\""))
    root = make_course({"01.md": CHAPTER})
    assert 'data-tema="propio"' in html_for(root, theme=str(theme_dir))


def test_template_syntax_error_names_file_and_line(make_course, tmp_path):
    theme_dir = tmp_path / "roto"
    theme_dir.mkdir()
    (theme_dir / "handout.html").write_text("<html>\n{% for x in %}\n</html>\n")
    root = make_course({"01.md": CHAPTER})
    with pytest.raises(ThemeError, match=r"handout\.html:2: template syntax error"):
        html_for(root, theme=str(theme_dir))


def test_missing_theme_file_is_a_theme_error(tmp_path):
    with pytest.raises(ThemeError, match="no `nothing.css`"):
        Theme.load(tmp_path).find("nothing.css")


def test_a_stylesheet_edited_between_two_layouts_is_read_again(tmp_path):
    """Parsed stylesheets are kept per process (aula watch): an edit must still reach the next layout."""
    import os

    import pikepdf

    from generator.render.core.pdf import PdfTarget

    def page_colours(pdf: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return document.pages[0].Contents.read_bytes()

    sheet = tmp_path / "page.css"
    sheet.write_text("body { background: #ff0000 }\n")
    target = PdfTarget(stylesheets=(sheet,), base_url=tmp_path, allowed=(tmp_path,))
    before = page_colours(target.pdf("<p>texto</p>", "prueba"))
    stamp = sheet.stat().st_mtime_ns
    sheet.write_text("body { background: #0000ff }\n")  # the same size: only the time tells them apart
    os.utime(sheet, ns=(stamp + 10**9, stamp + 10**9))
    after = page_colours(target.pdf("<p>texto</p>", "prueba"))
    assert b"1 0 0 rg" in before and b"0 0 1 rg" not in before
    assert b"0 0 1 rg" in after and b"1 0 0 rg" not in after
