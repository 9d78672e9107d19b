"""The PDF writer: lays out the rendered HTML with WeasyPrint and writes one PDF."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import Problem, WorkbookError
from workbook.fetcher import SafeFetcher
from workbook.render import Document, Rendered


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def write_pdf(rendered: Rendered, target: Path, base_dir: Path, fetcher: SafeFetcher) -> PdfResult:
    """Lay out once, then write. `base_dir` resolves the chapters' relative image paths."""
    data, pages = pdf_bytes(rendered.documents[0], rendered.css, base_dir, fetcher)
    target.write_bytes(data)
    return PdfResult(path=target, pages=pages)


def pdf_bytes(
    document: Document, css_text: str, base_dir: Path, fetcher: SafeFetcher
) -> tuple[bytes, int]:
    """One document laid out and written: the PDF's bytes and its number of pages."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    base_url = base_dir.as_uri() + "/"
    html = HTML(string=document.html, base_url=base_url, url_fetcher=fetcher)
    fonts = FontConfiguration()  # @font-face rules need one, shared by CSS and layout
    css = CSS(string=css_text, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
    layout = html.render(stylesheets=[css], font_config=fonts)
    _raise_if_refused(fetcher)
    # A stable identifier from the content, so the same sources give the same bytes.
    identifier = hashlib.sha256((document.html + css_text).encode()).hexdigest()[:32].encode()
    return layout.write_pdf(pdf_identifier=identifier), len(layout.pages)


def _raise_if_refused(fetcher: SafeFetcher) -> None:
    if fetcher.refused:
        problems = [Problem("a chapter, template or style", refusal) for refusal in fetcher.refused]
        raise WorkbookError(problems)
