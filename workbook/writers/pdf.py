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
    data, pages = PdfMaker(rendered.css, base_dir, fetcher).make(rendered.documents[0])
    target.write_bytes(data)
    return PdfResult(path=target, pages=pages)


class PdfMaker:
    """Lays out documents that share one stylesheet, parsed once (with its fonts), so client
    copies pay only for their own page."""

    def __init__(self, css_text: str, base_dir: Path, fetcher: SafeFetcher) -> None:
        from weasyprint import CSS  # heavy: imported only when a PDF is made
        from weasyprint.text.fonts import FontConfiguration

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        self.css_text = css_text
        self.base_url = base_dir.as_uri() + "/"
        self.fetcher = fetcher
        self.fonts = FontConfiguration()  # @font-face rules need one, shared by CSS and layout
        self.css = CSS(
            string=css_text, base_url=self.base_url, url_fetcher=fetcher, font_config=self.fonts
        )

    def make(self, document: Document) -> tuple[bytes, int]:
        """One document laid out and written: the PDF's bytes and its number of pages."""
        from weasyprint import HTML

        html = HTML(string=document.html, base_url=self.base_url, url_fetcher=self.fetcher)
        layout = html.render(stylesheets=[self.css], font_config=self.fonts)
        _raise_if_refused(self.fetcher)
        # A stable identifier from the content, so the same sources give the same bytes.
        key = (document.html + self.css_text).encode()
        identifier = hashlib.sha256(key).hexdigest()[:32].encode()
        return layout.write_pdf(pdf_identifier=identifier), len(layout.pages)


def _raise_if_refused(fetcher: SafeFetcher) -> None:
    if fetcher.refused:
        problems = [Problem("a chapter, template or style", refusal) for refusal in fetcher.refused]
        raise WorkbookError(problems)
