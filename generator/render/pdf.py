"""HTML to PDF with WeasyPrint, confined to the course and theme folders.

Only this module imports WeasyPrint, and only when a PDF is made, so commands
that write no PDF start fast.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import warn
from generator.render.assets import is_inside


def confined_fetcher(allowed: tuple[Path, ...]):
    """Return a WeasyPrint URL fetcher serving `data:` URIs and files inside `allowed`, and nothing else."""
    from weasyprint.urls import URLFetcher

    folders = tuple(folder.resolve() for folder in allowed)

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path))
                if is_inside(path, folders) and path.is_file():
                    return super().fetch(url, headers)
            warn(None, "W-fetch-refused", f"refused to load {url} (only files inside the course and theme are read)")
            raise ValueError(f"refused: {url}")

    return ConfinedFetcher(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)


class _WeasyPrintWarnings(logging.Handler):
    """Pass WeasyPrint's own warnings on as ours, minus the fetch failures we already reported."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING and "refused:" not in message:
            warn(None, "W-render", message.splitlines()[0])


def html_to_pdf(
    html: str, stylesheets: list[Path], base_url: Path, allowed: tuple[Path, ...], identifier: str, page_limit: int = 0
) -> bytes:
    """Return the PDF for `html`, styled by `stylesheets`, loading resources only from `allowed`.

    With a `page_limit`, a document laid out on more pages is still written, with a warning.
    """
    import weasyprint

    fetcher = confined_fetcher(allowed)
    logger = logging.getLogger("weasyprint")
    handler = _WeasyPrintWarnings()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        css = [weasyprint.CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
        document = weasyprint.HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher)
        # A fixed identifier (instead of a random one) keeps two builds of the same input identical.
        pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        laid_out = document.render(stylesheets=css)
        if page_limit and len(laid_out.pages) > page_limit:
            warn(None, "W-page-limit", f"{identifier} takes {len(laid_out.pages)} pages, more than {page_limit}")
        return laid_out.write_pdf(pdf_identifier=pdf_id)
    finally:
        logger.removeHandler(handler)
