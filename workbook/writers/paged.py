"""Paged media with WeasyPrint: lays out rendered HTML and writes one tagged PDF.

Layout and writing are separate steps: a build lays out each edition once, and the EPUB reads
its print page numbers from the same layout. A fillable edition's fields are then tidied
(writers/acroform.py); a booklet is padded with notes pages and imposed two pages to a sheet
(writers/booklet.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from workbook.errors import Problem, WorkbookError
from workbook.render.documents import Document, Rendered
from workbook.writers import fontfolders
from workbook.writers.acroform import tidy_fields
from workbook.writers.booklet import impose
from workbook.writers.fetcher import SafeFetcher

# Tagged (headings, lists, tables in the structure tree), with title and language: PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    fields: int = 0
    sheets: int = 0  # a booklet: sheets of paper, printed on both sides


def lay_out(rendered: Rendered, base_dir: Path, fetcher: SafeFetcher) -> Any:
    """The laid-out edition (a WeasyPrint Document), padded to whole sheets for a booklet.
    `base_dir` resolves the chapters' relative image paths."""
    forms = rendered.edition.medium == "form"
    with plain_failures(rendered.edition.describe()):
        maker = PageMaker(rendered, base_dir, fetcher)
        layout = maker.lay_out(rendered.documents[0], forms)
        if rendered.edition.booklet:
            notes = maker.lay_out(rendered.documents[1], forms)
            padding = -len(layout.pages) % 4
            layout = layout.copy([*layout.pages, *notes.pages[:1] * padding])
    return layout


def write_pdf(rendered: Rendered, layout: Any, target: Path) -> PdfResult:
    """Write a laid-out edition. A stable identifier from the content: same sources, same bytes."""
    source = "".join(d.html for d in rendered.documents) + rendered.css
    identifier = hashlib.sha256(source.encode()).hexdigest()[:32].encode()
    options: dict[str, Any] = {"pdf_identifier": identifier, "pdf_variant": PDF_VARIANT}
    pages = len(layout.pages)
    with plain_failures(rendered.edition.describe()):
        return _write(rendered, layout, target, options, pages)


def _write(
    rendered: Rendered, layout: Any, target: Path, options: dict[str, Any], pages: int
) -> PdfResult:
    if rendered.edition.booklet:
        flat = target.with_name(target.name + ".pages")
        try:
            layout.write_pdf(flat, **options)
            impose(flat, target, rendered.edition.sheet_size)
        finally:
            flat.unlink(missing_ok=True)
        return PdfResult(path=target, pages=pages, sheets=pages // 4)
    layout.write_pdf(target, **options)
    fields = 0
    if rendered.edition.medium == "form":
        fields = tidy_fields(target)
    return PdfResult(path=target, pages=pages, fields=fields)


class PageMaker:
    """Lays out documents in an edition's stylesheet, parsed once (with its fonts): a booklet's
    notes page and each client copy's cover reuse it."""

    def __init__(self, rendered: Rendered, base_dir: Path, fetcher: SafeFetcher) -> None:
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        self.base_url = base_dir.as_uri() + "/"
        self.fetcher = fetcher
        self.fonts = _font_configuration()
        self.css = CSS(
            string=rendered.css, base_url=self.base_url, url_fetcher=fetcher, font_config=self.fonts
        )

    def lay_out(self, document: Document, forms: bool = False) -> Any:
        html = HTML(string=document.html, base_url=self.base_url, url_fetcher=self.fetcher)
        layout = html.render(stylesheets=[self.css], font_config=self.fonts, pdf_forms=forms)
        _raise_if_refused(self.fetcher)
        return layout

    def make(self, document: Document) -> bytes:
        """One document (a client's cover) laid out and written: the PDF's bytes."""
        with plain_failures("a client's cover"):
            layout = self.lay_out(document)
            identifier = hashlib.sha256(document.html.encode()).hexdigest()[:32].encode()
            pdf: bytes = layout.write_pdf(pdf_identifier=identifier, pdf_variant=PDF_VARIANT)
            return pdf


def _font_configuration() -> FontConfiguration:
    config = FontConfiguration()
    fontfolders.remember(config)
    return config


@contextlib.contextmanager
def plain_failures(what: str) -> Iterator[None]:
    """WeasyPrint's own failures on extreme input, said plainly instead of a traceback."""
    try:
        yield
    except WorkbookError:
        raise
    except Exception as error:
        raise _layout_failed(error, what) from None


def _layout_failed(error: Exception, what: str) -> WorkbookError:
    if isinstance(error, RecursionError):
        cause = "the text is nested too deeply"
    else:
        cause = f"{type(error).__name__}: {str(error)[:200]}"
    message = (
        f"the pages could not be laid out ({cause}); this usually comes from an extreme value "
        "in a stylesheet (a huge font-size, width or margin) or very deeply nested text"
    )
    return WorkbookError([Problem(what, message)])


def _raise_if_refused(fetcher: SafeFetcher) -> None:
    if fetcher.refused:
        problems = [Problem("a template or stylesheet", refusal) for refusal in fetcher.refused]
        raise WorkbookError(problems)
