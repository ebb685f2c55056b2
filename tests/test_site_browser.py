"""The course's website in a real browser: headless Chromium over `file://`, as a student opens it.

Chromium is driven over the DevTools protocol on a pipe (tests/browser.py, standard library
only), so nothing but the browser itself must be installed. Every request each page makes is
recorded: none may leave the machine. Screenshots of the home page and a chapter, in both
colour schemes and at phone width, are written to `$AULA_SCREENSHOTS` (else a temporary
folder) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import Browser, Page, find_chromium
from conftest import SAMPLE, run_aula

pytestmark = [
    pytest.mark.slow,  # a whole build, and a browser
    pytest.mark.skipif(find_chromium() is None, reason="no Chromium to test the site in: apt-get install chromium "
                       "(or set AULA_CHROMIUM to a Chrome or Chromium binary)"),
]

SLUG = "curso-de-muestra"
STUDENT_FILES = [f"{SLUG}-handout.pdf", f"{SLUG}-worksheet.pdf", f"{SLUG}-cheatsheet.pdf", f"{SLUG}-slides.pdf",
                 f"{SLUG}-slides.pptx", f"{SLUG}-slides-handout.pdf", "slides/01-primeros-pasos.pptx",
                 "slides/02-practica.pptx", "worksheets/02-practica.pdf"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The sample course built whole, both editions: the teacher's handout exists and must not be offered."""
    out = tmp_path_factory.mktemp("site-browser") / "out"
    result = run_aula("build", SAMPLE, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser():
    browser = Browser(find_chromium())  # type: ignore[arg-type]
    # Copy buttons write to the clipboard, which the test reads back.
    browser.send("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    assert offsite(page.requests) == []
    page.close()


def url(out: Path, name: str) -> str:
    return (out / "site" / name).as_uri()


def offsite(requests: list[str]) -> list[str]:
    """Return the requests that were not for a local file."""
    return [request for request in requests if urlsplit(request).scheme != "file" or urlsplit(request).netloc not in ("", "localhost")]


def local_path(address: str) -> Path:
    return Path(unquote(urlsplit(address).path))


# --- the home page and its links ----------------------------------------------------------


def test_the_home_page_offers_every_student_file_and_each_link_leads_to_it(out, page):
    page.goto(url(out, "index.html"))
    links = page.evaluate("[...document.querySelectorAll('.downloads a, .chapter-download a')].map(a => [a.href, a.textContent])")
    offered = sorted(str(local_path(href).relative_to(out)) for href, _ in links)
    assert offered == sorted(STUDENT_FILES)
    assert all(local_path(href).is_file() for href, _ in links)
    facts = page.evaluate("[...document.querySelectorAll('.download-facts')].map(e => e.textContent)")
    assert all(fact.startswith(("PDF · ", "PowerPoint · ")) and fact.count(" · ") == 2 for fact in facts), facts
    assert page.evaluate("document.querySelector('.course-facts').textContent.includes('CC BY-SA 4.0')")
    chapters = page.evaluate("[...document.querySelectorAll('.chapter-card h3')].map(h => h.textContent.trim())")
    assert chapters == ["1 Primeros pasos", "2 Práctica"]


def test_every_link_of_every_page_leads_to_a_file_and_an_anchor_that_exist(out, page):
    """Crawl the site: pages, styles, scripts and images load from files that exist, and each `#anchor` is on its page."""
    pages = sorted(path.name for path in (out / "site").glob("*.html"))
    ids: dict[str, set[str]] = {}
    wanted: list[tuple[str, str, str]] = []  # (page, target page, anchor)
    for name in pages:
        page.goto(url(out, name))
        ids[name] = set(page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)"))
        addresses = page.evaluate(
            "[...document.querySelectorAll('a[href], link[href], script[src], img[src]')].map(e => e.href || e.src)"
        )
        for address in addresses:
            parts = urlsplit(address)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # a link out of the course, for the student to follow; nothing is loaded from it
            assert parts.scheme == "file" and local_path(address).is_file(), f"{name}: {address}"
            if parts.fragment and local_path(address).parent == out / "site":
                wanted.append((name, local_path(address).name, unquote(parts.fragment)))
    missing = [(name, target, anchor) for name, target, anchor in wanted if anchor not in ids[target]]
    assert wanted and missing == []
    assert ("02-practica.html", "01-primeros-pasos.html", "c1-código") in wanted  # a link between chapters


# --- what a student does ------------------------------------------------------------------


@pytest.mark.parametrize("query, chapter", [("hello-world", "01-primeros-pasos.html"), ("8080:80", "02-practica.html"),
                                            ("docker run -d -p", "02-practica.html")])
def test_a_search_for_a_command_finds_its_chapter(out, page, query, chapter):
    page.goto(url(out, "search.html") + "?q=" + query.replace(" ", "+"))
    first = page.evaluate("document.querySelector('#search-results li a').getAttribute('href')")
    assert first.split("#")[0] == chapter
    assert page.evaluate("document.getElementById('q').value") == query
    assert "secciones contienen" in page.evaluate("document.getElementById('search-status').textContent")


def test_the_search_answers_as_the_student_types_and_knows_no_teacher_note(out, page):
    page.goto(url(out, "search.html"))
    assert page.evaluate("document.querySelectorAll('#search-results li').length") == 0
    page.click("#q")
    page.send("Input.insertText", {"text": "hello world"})
    assert page.evaluate("document.querySelectorAll('#search-results li').length") >= 1
    page.evaluate("(() => { const q = document.getElementById('q'); q.value = 'docente'; q.dispatchEvent(new Event('input')); })()")
    results = page.evaluate("[...document.querySelectorAll('#search-results li')].map(li => li.textContent)")
    assert not any("Nota para el docente" in result for result in results)


def test_a_solution_and_a_hint_open_on_click(out, page):
    page.goto(url(out, "02-practica.html"))
    solution = "document.getElementById('sol-ejercicio-2-2')"
    command = f"{solution}.querySelector('pre')"
    assert page.evaluate(f"{solution}.open") is False
    assert page.evaluate(f"{command}.checkVisibility()") is False  # folded: not shown
    page.click("#sol-ejercicio-2-2 > summary")
    assert page.evaluate(f"{solution}.open") is True
    assert page.evaluate(f"{command}.checkVisibility()") is True
    assert "8080:80" in page.evaluate(f"{command}.innerText")
    assert page.evaluate("document.getElementById('sol-ejercicio-2-1').open") is False  # the other stays folded
    page.click("details.callout-hint > summary")
    assert page.evaluate("document.querySelector('details.callout-hint').open") is True


def test_the_copy_button_copies_the_commands_without_their_prompt_or_output(out, page):
    page.goto(url(out, "01-primeros-pasos.html"))
    page.click("figure.code-console .copy")
    assert page.evaluate("navigator.clipboard.readText()") == "docker run --rm hello-world:latest"
    page.click("figure.code-dockerfile .copy")
    assert page.evaluate("navigator.clipboard.readText()").startswith("FROM debian:12-slim\nRUN apt-get update")


def test_arrow_keys_turn_the_chapters_and_slash_goes_to_the_search(out, page):
    page.goto(url(out, "01-primeros-pasos.html"))
    page.forget_loads()
    page.press("ArrowRight", "ArrowRight", 39)
    page.wait_for_load()
    assert page.evaluate("location.pathname").endswith("/02-practica.html")
    page.forget_loads()
    page.press("ArrowLeft", "ArrowLeft", 37)
    page.wait_for_load()
    assert page.evaluate("location.pathname").endswith("/01-primeros-pasos.html")
    page.press("/", "Slash", 191)
    assert page.evaluate("document.activeElement.id") == "header-q"


# --- readable by everyone, everywhere -------------------------------------------------------

# For each piece of text: its colour over the backgrounds behind it, and whether the contrast
# meets WCAG 2.2 AA (4.5:1; 3:1 for large text). Text that is not drawn is not checked.
CONTRAST = """(() => {
  const parse = c => { const p = c.match(/[\\d.]+/g).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3]));
  const lum = rgb => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const behind = el => { const chain = []; for (let e = el; e; e = e.parentElement) chain.unshift(e);
    return chain.reduce((color, e) => { const c = parse(getComputedStyle(e).backgroundColor); return c[3] > 0 ? over(c, color) : color; },
                        [255, 255, 255]); };
  const failures = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const bg = behind(el), fg = over(parse(style.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x), ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize), large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5))
      failures.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return failures;
})()"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast_in_both_colour_schemes(out, page, scheme):
    page.color_scheme(scheme)
    for name in ("index.html", "01-primeros-pasos.html", "02-practica.html"):
        page.goto(url(out, name))
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(CONTRAST) == [], name
    page.goto(url(out, "search.html") + "?q=docker")
    assert page.evaluate(CONTRAST) == []


def test_pages_have_a_language_landmarks_one_title_and_alt_text(out, page):
    for name in ("index.html", "01-primeros-pasos.html", "02-practica.html", "search.html"):
        page.goto(url(out, name))
        facts = page.evaluate("""({
          lang: document.documentElement.lang,
          banner: document.querySelectorAll('body > header').length,
          main: document.querySelectorAll('main').length,
          footer: document.querySelectorAll('body > footer').length,
          h1: document.querySelectorAll('h1').length,
          search: document.querySelectorAll('[role=search]').length,
          noAlt: [...document.images].filter(i => !i.hasAttribute('alt')).length,
          unnamed: [...document.querySelectorAll('input, button:not([hidden])')].filter(e => !(e.labels && e.labels.length)
                     && !e.textContent.trim() && !e.getAttribute('aria-label')).length,
        })""")
        assert facts == {"lang": "es", "banner": 1, "main": 1, "footer": 1, "h1": 1, "search": 1, "noAlt": 0, "unnamed": 0}, name
    page.goto(url(out, "01-primeros-pasos.html"))
    assert page.evaluate("document.querySelectorAll('nav.pager[aria-label], nav.toc').length") == 2


def test_on_a_phone_nothing_is_wider_than_the_screen(out, page):
    page.resize(360, 740, mobile=True)
    for name in ("index.html", "01-primeros-pasos.html", "02-practica.html", "search.html"):
        page.goto(url(out, name))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def test_print_leaves_out_what_only_works_on_a_screen(out, page):
    page.goto(url(out, "01-primeros-pasos.html"))
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = page.evaluate("['.header-search', '.pager', '.copy', '.toc'].map(s => getComputedStyle(document.querySelector(s)).display)")
    assert hidden == ["none"] * 4
    pdf = page.send("Page.printToPDF", {})["data"]
    assert len(pdf) > 1000


def test_screenshots_of_the_home_page_and_a_chapter(out, page, tmp_path):
    """Pictures for a person to look at ($AULA_SCREENSHOTS keeps them); here, only that they were taken."""
    folder = Path(os.environ.get("AULA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    for scheme in ("light", "dark"):
        page.color_scheme(scheme)
        page.goto(url(out, "index.html"))
        shots.append(page.screenshot(folder / f"home-{scheme}.png"))
        page.goto(url(out, "02-practica.html"))
        page.click("#sol-ejercicio-2-2 > summary")
        shots.append(page.screenshot(folder / f"chapter-{scheme}.png", full_page=True))
    page.color_scheme("light")
    page.resize(390, 844, mobile=True)
    page.goto(url(out, "01-primeros-pasos.html"))
    shots.append(page.screenshot(folder / "chapter-phone.png"))
    for shot in shots:
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


# --- offline, even for a hostile course ------------------------------------------------------


def test_a_hostile_courses_site_requests_nothing_from_elsewhere(tmp_path, browser):
    """The confinement test's course, which reaches for a listener from every place a URL can hide, opened in the browser."""
    import socket

    from test_confinement import connections, hostile_course

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    try:
        course, theme = hostile_course(tmp_path, listener.getsockname()[1])
        address = f"http://127.0.0.1:{listener.getsockname()[1]}"
        (theme / "site").mkdir()
        (theme / "site" / "custom.css").write_text(  # a theme's addition to the site that reaches out: the page's policy stops it
            f"@import url({address}/site-import.css);\nbody {{ background-image: url({address}/site-background.png); }}\n"
            f"@font-face {{ font-family: X; src: url({address}/font.woff2); }}\nhtml {{ font-family: X; }}\n"
        )
        out = tmp_path / "out"
        result = run_aula("build", course, "-o", out, "--theme", theme, "--format", "site", "--no-lint", "-q")
        assert result.exit_code == 0, result.output
        page: Page = browser.new_page()
        for path in sorted((out / "site").glob("*.html")):
            page.goto(path.as_uri())
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.goto((out / "site" / "search.html").as_uri() + "?q=curl")
        requests, blocked = page.requests, page.blocked
        page.close()
        assert any(request.endswith("/custom.css") for request in requests)
        # The theme's style sheet asked for three addresses; the page's policy refused each before it was requested.
        assert {request: blocked.get(request) for request in offsite(requests)} == {
            f"{address}/{name}": "csp" for name in ("site-import.css", "site-background.png", "font.woff2")}
        assert connections(listener) == 0
    finally:
        listener.close()
