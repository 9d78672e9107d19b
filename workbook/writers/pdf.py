"""The PDF writer: lays out the rendered HTML with WeasyPrint and writes one PDF."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.errors import Problem, WorkbookError
from workbook.fetcher import SafeFetcher
from workbook.render import Rendered


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def lay_out(rendered: Rendered, base_dir: Path, fetcher: SafeFetcher) -> Any:
    """The laid-out print edition (a WeasyPrint Document): written to PDF, and read for the
    EPUB's print page numbers. `base_dir` resolves the chapters' relative image paths."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is laid out
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = rendered.documents[0]
    base_url = base_dir.as_uri() + "/"
    html = HTML(string=document.html, base_url=base_url, url_fetcher=fetcher)
    fonts = FontConfiguration()  # @font-face rules need one, shared by CSS and layout
    css = CSS(string=rendered.css, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
    layout = html.render(stylesheets=[css], font_config=fonts)
    _raise_if_refused(fetcher)
    return layout


def write_pdf(rendered: Rendered, layout: Any, target: Path) -> PdfResult:
    """Write a laid-out edition. A stable identifier from the content: same sources, same bytes."""
    document = rendered.documents[0]
    identifier = hashlib.sha256((document.html + rendered.css).encode()).hexdigest()[:32].encode()
    layout.write_pdf(target, pdf_identifier=identifier)
    return PdfResult(path=target, pages=len(layout.pages))


def _raise_if_refused(fetcher: SafeFetcher) -> None:
    if fetcher.refused:
        problems = [Problem("a chapter, template or style", refusal) for refusal in fetcher.refused]
        raise WorkbookError(problems)
