"""The PDF deck, drawn from the slide plan: every word where the plan put it, linked, tagged, nothing laid out."""

from __future__ import annotations

import io
import re

import pytest
from conftest import SAMPLE, pdf_texts
from pypdf import PdfReader

from generator.build import BuildOptions, load
from generator.render.slides import SlideDecks
from generator.scheduler import Job, render_jobs

BULLETS = "".join(f"- Punto número {n} de la lista, con texto suficiente para ocupar una línea.\n" for n in range(1, 7))


def chapters(sections_in_one: int = 1) -> dict[str, str]:
    """Return a three-chapter course: a link from the third chapter to the second."""
    return {
        "course.yml": "title: Diapositivas de prueba\nauthor: Equipo\nlanguage: es\n",
        "01-uno.md": "# Uno\n\n" + "".join(f"## Sección {n} del uno\n\n{BULLETS}\n" for n in range(1, sections_in_one + 1)),
        "02-dos.md": "# Dos\n\n## Redes del dos\n\n" + BULLETS,
        "03-tres.md": "# Tres\n\n## Vuelta atrás\n\nRepasa [las redes](02-dos.md#redes-del-dos) antes de seguir.\n",
    }


def deck_pdf(course_dir, jobs: int = 1) -> bytes:
    """Return the PDF deck: drawn in this process, or by a worker process as the build does."""
    _, course, theme = load(BuildOptions(course_dir=course_dir))
    decks = SlideDecks(course, theme, created="2026-11-28")
    if jobs == 1:
        return decks.course_pdf().make()
    return render_jobs([Job("slides.pdf", decks.course_pdf())], jobs, None)["slides.pdf"]


def planned(course_dir):
    _, course, theme = load(BuildOptions(course_dir=course_dir))
    return SlideDecks(course, theme).planner.deck()


def outline(pdf: bytes) -> list[tuple[str, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def internal_links(pdf: bytes) -> list[tuple[int, int]]:
    """Return (page of the link, page it lands on) for every link to a named destination."""
    reader = PdfReader(io.BytesIO(pdf))
    destinations = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                found.append((number, destinations[str(annotation["/Dest"])]))
    return found


def test_the_deck_is_drawn_with_nothing_laid_out(make_course, count_layouts):
    course_dir = make_course(chapters())
    pdf = deck_pdf(course_dir)
    assert count_layouts == []  # WeasyPrint is not asked for a page
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(planned(course_dir).slides)
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert (info.title, info.author, info["/Keywords"]) == ("Diapositivas de prueba", "Equipo", "Diapositivas")
    assert [title for title, _ in outline(pdf)] == [slide.title_text for slide in planned(course_dir).slides]


def test_link_to_another_chapter_lands_on_its_slide(make_course):
    pdf = deck_pdf(make_course(chapters()))
    pages = pdf_texts(pdf)
    [(source, target)] = internal_links(pdf)
    assert "Repasa las redes" in pages[source] and "Redes del dos" in pages[target]


def test_slides_are_numbered_across_the_deck(make_course):
    pages = pdf_texts(deck_pdf(make_course(chapters())))
    for number, text in enumerate(pages[1:], start=2):  # the cover has no number
        assert text.rstrip().endswith(str(number)), text


@pytest.mark.slow  # a worker process
def test_worker_processes_give_the_same_deck(make_course):
    course_dir = make_course(chapters())
    assert deck_pdf(course_dir, jobs=2) == deck_pdf(course_dir)


def test_every_word_of_the_plan_is_on_its_slide_and_every_line_inside_its_frame():
    from generator.render.slides.deck import Box, CodeFrame, TableFrame, TextFrame, text_runs

    deck = planned(SAMPLE)
    reader = PdfReader(io.BytesIO(deck_pdf(SAMPLE)))
    m = deck.metrics
    for number, (slide, page) in enumerate(zip(deck.slides, reader.pages, strict=True), start=1):
        words: list[str] = slide.title_text.split()
        for frame in slide.frames:
            if isinstance(frame, TextFrame):
                words += [word for para in frame.paras for run in text_runs(para.inlines) for word in run.text.split()]
            elif isinstance(frame, CodeFrame):
                words += [word for line in frame.lines for _, text in line for word in text.split()]
            elif isinstance(frame, TableFrame):
                words += [word for row in (frame.header, *frame.rows) for cell in row
                          for run in text_runs(cell) for word in run.text.split()]
        shown = " ".join(page.extract_text().split()).replace("\u00a0", " ")
        assert [word for word in words if word.replace("\u00a0", " ") not in shown] == [], number
        # Each line starts inside a box of the plan: a frame, a title's, the footer's or the slide number's.
        number_box = Box(m.body.x + m.body.w - 100, m.footer.y, 100, m.footer.h)
        boxes = [frame.box for frame in slide.frames] + [m.title, m.footer, number_box, m.chapter_label, m.chapter_title,
                                                         m.cover_title, m.cover_subtitle]
        starts = [(float(x), float(y)) for x, y in re.findall(rb"BT [^T]*?(-?[\d.]+) (-?[\d.]+) Td", page.get_contents().get_data())]
        outside = [(x, m.height - y) for x, y in starts
                   if not any(box.x - 1 <= x <= box.x + box.w and box.y <= m.height - y <= box.bottom + 1 for box in boxes)]
        assert starts and outside == [], number


def test_links_are_annotations_tied_to_link_elements_and_pictures_are_figures(tmp_path):
    from pdf_structure import elements, problems

    path = tmp_path / "deck.pdf"
    path.write_bytes(deck_pdf(SAMPLE))
    assert problems(path) == []
    reader = PdfReader(path)
    tree = list(elements(reader.trailer["/Root"]["/StructTreeRoot"].get_object()))
    kinds = [str(element["/S"]) for element, _ in tree]
    assert kinds.count("/Sect") == len(reader.pages) and kinds.count("/H1") == len(reader.pages)
    assert {"/L", "/LI", "/Lbl", "/LBody", "/Table", "/TH", "/TD", "/Link"} <= set(kinds)
    figures = [element for element, _ in tree if element["/S"] == "/Figure"]
    assert len(figures) == 2 and all(element.get("/Alt") for element in figures)  # the SVG and the PNG
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    uris = [a["/A"]["/URI"] for a in annotations if "/A" in a]
    assert uris and all("/StructParent" in a for a in annotations)
    links = [element for element, _ in tree if element["/S"] == "/Link"]
    assert all(element["/P"]["/S"] != "/Sect" for element in links)  # inside the paragraph or cell they sit in
    forms = [page["/Resources"]["/XObject"][name].get_object()["/Subtype"] for page in reader.pages
             if "/XObject" in page["/Resources"] for name in page["/Resources"]["/XObject"]]
    assert sorted(forms) == ["/Form", "/Image"]  # the SVG drawn as vectors, the PNG as an image


def test_a_character_the_fonts_lack_is_warned_of(make_course, caplog):
    import logging

    files = chapters()
    files["02-dos.md"] = files["02-dos.md"].replace("Punto número 3", "Punto 漢 tres")
    with caplog.at_level(logging.WARNING):
        pdf = deck_pdf(make_course(files))
    assert "Punto" in "".join(pdf_texts(pdf))
    assert any("W-missing-glyph" in message and "U+6F22" in message for message in caplog.messages)


def test_a_build_clears_the_slides_laid_out_before_the_deck_was_drawn(tmp_path):
    from conftest import run_aula

    kept = tmp_path / ".aula-cache" / "slides"
    (kept / "pictures").mkdir(parents=True)
    (kept / "3f2a.pdf").write_bytes(b"%PDF-1.7")  # a chapter's slides as WeasyPrint laid them out, and its layout
    (kept / "3f2a.json").write_text("{}", encoding="utf-8")
    result = run_aula("build", SAMPLE, "-o", tmp_path, "--format", "slides", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert [path.name for path in kept.iterdir()] == ["pictures"]


HOSTILE = """# Cuatro

## Comprobaciones

Texto\tcon un tabulador, y [la guía](https://example.com/guia) o de nuevo [la guía](https://example.com/guia).

1. uno
2. dos
3. tres
4. cuatro
5. cinco
6. seis
7. siete
8. ocho
9. nueve
10. diez

```bash
# {ticks}
echo {ticks}
```
"""


@pytest.fixture
def shows(monkeypatch):
    """Record every piece of text the deck's drawer sets: (left edge, baseline, font, size, words), in points."""
    from generator.render.slides import pdf_deck

    shown: list[tuple[float, float, object, float, str]] = []
    real = pdf_deck._DeckDrawer.show

    def show(self, font, size, x, baseline, words, colour):
        shown.append((x, baseline, font, size, words))
        return real(self, font, size, x, baseline, words, colour)

    monkeypatch.setattr(pdf_deck._DeckDrawer, "show", show)
    return shown


def test_hostile_text_stays_inside_the_slide_and_every_font_it_names_is_embedded(make_course, shows):
    files = chapters()
    files["04-cuatro.md"] = HOSTILE.format(ticks="✓" * 60)  # drawn from DejaVu Sans: wider than a monospace cell
    course_dir = make_course(files)
    deck = planned(course_dir)
    pdf = deck_pdf(course_dir)
    m = deck.metrics
    right = m.body.x + m.body.w
    ends = [(words, x + font.width(words, size)) for x, _, font, size, words in shows]
    past = [(words, round(end, 1)) for words, end in ends if end > right + 0.5]
    assert past == []
    numbers = [(x, font.width(words, size), baseline) for x, baseline, font, size, words in shows if words == "10."]
    [(x, width, baseline)] = numbers
    text_left = min(left for left, line, _, _, words in shows if line == baseline and words.startswith("diez"))
    assert x + width < text_left  # "10." ends before its item's text
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        named = set(re.findall(rb"(/F\d+) [\d.]+ Tf", page.get_contents().get_data()))
        assert {name.decode() for name in named} <= set(page["/Resources"]["/Font"].keys())
    text = "".join(pdf_texts(pdf))
    assert "Texto con un tabulador" in text and "\x00" not in text


def test_two_links_to_one_place_are_two_link_elements(make_course, tmp_path):
    from pdf_structure import elements

    files = chapters()
    files["04-cuatro.md"] = HOSTILE.format(ticks="x")
    path = tmp_path / "deck.pdf"
    path.write_bytes(deck_pdf(make_course(files)))
    reader = PdfReader(path)
    links = [element for element, _ in elements(reader.trailer["/Root"]["/StructTreeRoot"].get_object()) if element["/S"] == "/Link"]
    assert len(links) == 3  # chapter three's, and the two here
    assert all(len([kid for kid in link["/K"] if hasattr(kid, "get") and kid.get("/Type") == "/OBJR"]) == 1 for link in links)


def test_a_sixteen_bit_grey_picture_keeps_its_greys():
    import zlib

    import pikepdf
    from PIL import Image

    from generator.render.core.pictures import image_xobject

    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 40000)
    data = io.BytesIO()
    image.save(data, "PNG")
    pdf = pikepdf.new()
    picture = image_xobject(pdf, data.getvalue())
    assert zlib.decompress(picture.xobject.read_raw_bytes())[:6] == bytes([155, 155, 155, 0, 0, 0])  # 40000 / 257


def test_the_deck_takes_its_colours_from_the_theme_template(make_course):
    """Restyling the template's theme colours (PowerPoint: Design → Variants → Colors) restyles the PDF deck too."""
    import zipfile

    from generator.themes import Theme

    template = Theme.load().find("slides.pptx")
    restyled = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(restyled, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("ppt/theme/"):
                data = re.sub(rb'(<a:dk2><a:srgbClr val=")[0-9A-Fa-f]{6}', rb"\g<1>AA0000", data)
            target.writestr(item, data)
    files = chapters()
    files["course.yml"] += "theme: mitema\n"
    course_dir = make_course(files)
    (course_dir / "mitema").mkdir()
    (course_dir / "mitema" / "slides.pptx").write_bytes(restyled.getvalue())
    reader = PdfReader(io.BytesIO(deck_pdf(course_dir)))
    titles = reader.pages[2].get_contents().get_data()  # a content slide: its title in the scheme's dk2
    assert b"0.667 0.000 0.000 rg" in titles
    assert b"0.667 0.000 0.000 rg" not in PdfReader(io.BytesIO(deck_pdf(make_course(chapters())))).pages[2].get_contents().get_data()


def test_a_theme_stylesheet_for_the_deck_is_said_to_be_unread(make_course, caplog):
    import logging

    files = chapters()
    files["course.yml"] += "theme: mitema\n"
    files["mitema/slides.css"] = ".title { color: red; }\n"
    with caplog.at_level(logging.WARNING):
        deck_pdf(make_course(files))
    assert any("W-theme-unused" in message and "slides.css" in message for message in caplog.messages)


def test_the_palette_is_the_theme_colour_scheme_through_the_master_map(tmp_path):
    """Not an alternative scheme a theme lists, and `tx2` (titles) as the master maps it."""
    import zipfile

    from generator.render.slides.template import _palette
    from generator.themes import Theme

    template = Theme.load().find("slides.pptx")
    extra = (b'<a:extraClrSchemeLst><a:extraClrScheme><a:clrScheme name="Otro"><a:dk2><a:srgbClr val="00AA00"/></a:dk2>'
             b"</a:clrScheme><a:clrMap/></a:extraClrScheme></a:extraClrSchemeLst>")
    path = tmp_path / "slides.pptx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("ppt/theme/"):
                data = re.sub(rb"<a:extraClrSchemeLst\s*/>|(?=</a:theme>)", lambda _: extra, data, count=1)
            if item.filename.startswith("ppt/slideMasters/"):
                data = data.replace(b'tx2="dk2"', b'tx2="accent4"')
            target.writestr(item, data)
    palette = _palette(path, (0, 0))
    assert palette.title == "6B46C1"  # accent4, as the master maps tx2; not the extra scheme's 00AA00


def test_a_sixteen_bit_grey_picture_keeps_its_transparent_grey():
    import zlib

    import pikepdf
    from PIL import Image

    from generator.render.core.pictures import image_xobject

    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 200)
    image.putpixel((1, 0), 51400)  # 200 once scaled to 8 bits: it stays opaque
    data = io.BytesIO()
    image.save(data, "PNG", transparency=200)
    pdf = pikepdf.new()
    picture = image_xobject(pdf, data.getvalue())
    assert zlib.decompress(picture.xobject.SMask.read_raw_bytes()) == bytes([0, 255])


def test_nested_lists_and_further_paragraphs_stay_inside_their_items(make_course, tmp_path):
    import pikepdf
    from pdf_structure import problems

    files = chapters()
    files["04-cuatro.md"] = "# Cuatro\n\n## Anidadas\n\n- uno\n  - uno.a\n  - uno.b\n- dos\n\n  Más sobre dos.\n- tres\n"
    path = tmp_path / "deck.pdf"
    path.write_bytes(deck_pdf(make_course(files)))
    assert problems(path) == []

    def shape(element) -> object:
        kids = [kid for kid in element.K if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        return (str(element.S), [shape(kid) for kid in kids]) if kids else str(element.S)

    with pikepdf.open(path) as pdf:
        section = [kid for kid in pdf.Root.StructTreeRoot.K.K if any(str(k.get("/S")) == "/L" for k in kid.K)][-1]
        [lists] = [kid for kid in section.K if str(kid.S) == "/L"]
        assert shape(lists) == ("/L", [
            ("/LI", ["/Lbl", ("/LBody", [("/L", [("/LI", ["/Lbl", "/LBody"]), ("/LI", ["/Lbl", "/LBody"])])])]),
            ("/LI", ["/Lbl", ("/LBody", ["/P"])]),
            ("/LI", ["/Lbl", "/LBody"]),
        ])
