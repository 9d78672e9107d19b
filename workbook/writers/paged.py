"""Paged media with WeasyPrint: an edition's stylesheet and fonts, parsed once (`PageMaker`),
and the writing of a laid-out edition into its file.

A build lays out each edition once (writers/apart.py: part by part, joined), and the EPUB reads
its print page numbers from the same layout. The PDF is then written as it is, or with a
fillable edition's fields tidied (writers/acroform.py), or as a booklet, padded with notes
pages and imposed two pages to a sheet (writers/booklet.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from workbook.errors import Problem, WorkbookError
from workbook.render.documents import Document, Rendered
from workbook.writers import fontfolders, warnings
from workbook.writers.acroform import tidy_fields
from workbook.writers.booklet import impose
from workbook.writers.fetcher import SafeFetcher
from workbook.writers.laidout import LaidOut

# Tagged (headings, lists, tables in the structure tree), with title and language: PDF/UA-1.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    fields: int = 0
    sheets: int = 0  # a booklet: sheets of paper, printed on both sides


def write_pdf(rendered: Rendered, laid: LaidOut, target: Path) -> PdfResult:
    """Write a laid-out edition: its form fields tidied, or a booklet padded and imposed."""
    with plain_failures(rendered.edition.describe()):
        if rendered.edition.booklet:
            flat = target.with_name(target.name + ".pages")
            try:
                pages = _padded(laid, flat)
                impose(flat, target, rendered.edition.sheet_size)
            finally:
                flat.unlink(missing_ok=True)
            return PdfResult(path=target, pages=pages, sheets=pages // 4)
        target.write_bytes(laid.pdf)
        fields = tidy_fields(target) if rendered.edition.medium == "form" else 0
        return PdfResult(path=target, pages=laid.pages, fields=fields)


def _padded(laid: LaidOut, target: Path) -> int:
    """The pages, then notes pages up to a multiple of four; returns how many in all."""
    with pikepdf.open(io.BytesIO(laid.pdf)) as pdf:
        padding = -len(pdf.pages) % 4
        if padding and laid.notes is not None:
            with pikepdf.open(io.BytesIO(laid.notes)) as notes:
                for _ in range(padding):
                    pdf.pages.append(pikepdf.Page(pdf.copy_foreign(notes.pages[0].obj)))
                pdf.save(target, deterministic_id=True)
        else:
            pdf.save(target, deterministic_id=True)
        return len(pdf.pages)


class PageMaker:
    """Lays out documents in an edition's stylesheet, parsed once (with its fonts): a booklet's
    notes page and each client copy's cover reuse it."""

    def __init__(self, rendered: Rendered, base_dir: Path, fetcher: SafeFetcher) -> None:
        warnings.apply()
        self.base_url = base_dir.as_uri() + "/"
        self.fetcher = fetcher
        self.fonts = _font_configuration()
        self.css = CSS(
            string=rendered.css, base_url=self.base_url, url_fetcher=fetcher, font_config=self.fonts
        )

    def lay_out(self, document: Document, forms: bool = False) -> Any:
        html = HTML(string=document.html, base_url=self.base_url, url_fetcher=self.fetcher)
        layout = html.render(stylesheets=[self.css], font_config=self.fonts, pdf_forms=forms)
        self.raise_if_refused()
        return layout

    def raise_if_refused(self) -> None:
        _raise_if_refused(self.fetcher)

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
