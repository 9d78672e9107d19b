"""The PDF writer: lays out the rendered HTML with WeasyPrint and writes one PDF."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import Problem, WorkbookError
from workbook.fetcher import SafeFetcher
from workbook.render import Rendered


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def write_pdf(rendered: Rendered, target: Path, base_dir: Path, fetcher: SafeFetcher) -> PdfResult:
    """Lay out once, then write. `base_dir` resolves the chapters' relative image paths."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = rendered.documents[0]
    base_url = base_dir.as_uri() + "/"
    try:
        html = HTML(string=document.html, base_url=base_url, url_fetcher=fetcher)
        fonts = FontConfiguration()  # @font-face rules need one, shared by CSS and layout
        css = CSS(string=rendered.css, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        layout = html.render(stylesheets=[css], font_config=fonts)
        _raise_if_refused(fetcher)
        # A stable identifier from the content, so the same sources give the same bytes.
        identifier = hashlib.sha256((document.html + rendered.css).encode()).hexdigest()[:32]
        layout.write_pdf(target, pdf_identifier=identifier.encode())
    except WorkbookError:
        raise
    except Exception as error:  # WeasyPrint's own failures on extreme input: say so plainly
        raise _layout_failed(error) from None
    return PdfResult(path=target, pages=len(layout.pages))


def _layout_failed(error: Exception) -> WorkbookError:
    if isinstance(error, RecursionError):
        cause = "the text is nested too deeply"
    else:
        cause = f"{type(error).__name__}: {str(error)[:200]}"
    message = (
        f"the pages could not be laid out ({cause}); this usually comes from an extreme value "
        "in a stylesheet (a huge font-size, width or margin) or very deeply nested text"
    )
    return WorkbookError([Problem("the print PDF", message)])


def _raise_if_refused(fetcher: SafeFetcher) -> None:
    if fetcher.refused:
        problems = [Problem("a template or stylesheet", refusal) for refusal in fetcher.refused]
        raise WorkbookError(problems)
