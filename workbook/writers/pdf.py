"""The PDF writer (print, fillable and handout editions): a laid-out edition written as one
tagged PDF, or a client's copy: the shared interior, written once, with the client's cover."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook.editions import Edition, Personal
from workbook.render import render_personal
from workbook.writers.finish import finish
from workbook.writers.layouts import BLANK, Layouts, progress_label
from workbook.writers.paged import PageMaker, PdfResult, write_pdf
from workbook.writers.pdfcopies import write_with_cover


def write(edition: Edition, personal: Personal | None, layouts: Layouts, temp: Path) -> str:
    label = progress_label(edition)
    if personal is None or edition.record.personal_page != "cover":
        # A handout names its client on its first page: a few pages, laid out per client.
        rendered, layout = layouts.get(edition, personal)
        layouts.step(label, "writing")
        result = write_pdf(rendered, layout, temp)
    else:
        shared = layouts.once(("shared pdf", edition), lambda: _shared(edition, layouts))
        page = render_personal(layouts.book, edition, personal, layouts.env)
        write_with_cover(shared.pdf, shared.maker.make(page), temp)
        result = shared.result
    finish(temp, edition.booklet)
    layouts.step(label, "done")
    return describe_pdf(edition, result)


@dataclass(frozen=True)
class _Shared:
    """Client copies' shared interior, laid out and written once: each copy swaps in its own
    cover. The shared cover has a blank client line, so every copy's cover has its shape."""

    pdf: bytes
    result: PdfResult
    maker: PageMaker


def _shared(edition: Edition, layouts: Layouts) -> _Shared:
    rendered, layout = layouts.get(edition, BLANK)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shared.pdf"
        result = write_pdf(rendered, layout, path)
        pdf = path.read_bytes()
    maker = PageMaker(rendered, layouts.book.project_dir / "chapters", layouts.fetcher())
    return _Shared(pdf, result, maker)


def describe_pdf(edition: Edition, pdf: PdfResult) -> str:
    """A few words for the summary line: 'print PDF, A4, 52 pages'."""
    fields = f", {pdf.fields} fields" if pdf.fields else ""
    sheets = f" on {pdf.sheets} sheets" if pdf.sheets else ""
    return f"{edition.describe()}, {pdf.pages} pages{sheets}{fields}"
