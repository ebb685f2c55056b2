"""What a part's layout says of its links: the words a screen reader reads for each (`PageLayout.links`)."""

from __future__ import annotations

from generator.render.core.pdf import PdfTarget


def link_words(tmp_path, html: str) -> list[str]:
    target = PdfTarget(stylesheets=(), base_url=tmp_path, allowed=(tmp_path,))
    _, layouts = target.pages(html, "prueba")
    return [words for page in layouts for _, _, words in page.links]


def test_a_link_broken_over_lines_is_described_by_all_its_words(tmp_path):
    words = link_words(tmp_path, '<p style="width: 25mm"><a href="https://example.org/">una guía de almacenamiento</a></p>')
    assert len(words) >= 2  # one annotation a line
    assert set(words) == {"una guía de almacenamiento"}


def test_a_link_on_one_line_keeps_the_text_its_stylesheet_adds(tmp_path):
    html = '<style>a::after { content: " 12" }</style><p><a href="#x">Solución en la página</a></p><p id="x">x</p>'
    assert link_words(tmp_path, html)[0] == "Solución en la página 12"
