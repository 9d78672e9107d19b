"""Worksheets that fill their pages (issue 13): the last page of every worksheet holds notes
lines instead of blank paper, and a section's opening stays with its scale. Checked on real
PDFs: print and fillable, A5 (where the gut check's opening and scale are taller than a page)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import render_page, run
from workbook.writers import pagefill

pytestmark = pytest.mark.slow

SHEETS = "therapist-fit-questions,rupture-repair-log,my-goals,safety-plan,session-check-in"
MOST_BLANK = 0.3  # of the page's height, between the last mark and the foot's permission line


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("fill")
    result = run(
        "build", "-o", str(out), "--edition", "print", "--edition", "fillable",
        "--paper", "a5", "--only", SHEETS, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        "print": out / "alliance-workbook-print-a5.pdf",
        "fillable": out / "alliance-workbook-fillable-a5.pdf",
    }


def texts(pdf: Path) -> list[str]:
    count = len(pikepdf.open(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
        for n in range(1, count + 1)
    ]  # fmt: skip


def last_pages(pages: list[str]) -> list[int]:
    """Each worksheet's last page (1-based): the page before the next one's first."""
    starts = [n for n, text in enumerate(pages, start=1) if "WORKSHEET" in text]
    return [n - 1 for n in starts[1:]] + [len(pages)]


def blank_share(pdf: Path, page: int) -> float:
    """How much of the page lies blank between its last mark and the permission line."""
    image = render_page(pdf, page, dpi=50)
    width, height = image.size
    pixels = image.load()
    inked = [y for y in range(height) if any(pixels[x, y] < 215 for x in range(width))]
    foot = [y for y in inked if y > height * 0.85]  # the permission line and page number
    body = [y for y in inked if y < (foot[0] if foot else height) - 2]
    return ((foot[0] if foot else height) - body[-1]) / height


def test_every_worksheets_last_page_is_filled(pdfs):
    pages = texts(pdfs["print"])
    ends = last_pages(pages)
    assert len(ends) == 5
    shares = {n: blank_share(pdfs["print"], n) for n in ends}
    assert all(share < MOST_BLANK for share in shares.values()), shares
    assert any("More notes" in pages[n - 1] for n in ends)


def test_the_gut_check_opening_stays_with_its_scale(pdfs):
    for pdf in pdfs.values():
        page = next(text for text in texts(pdf) if "Gut check after the first few sessions" in text)
        assert "Date" in page
        assert "How true is each of these for me right now?" in page
        assert "I feel safe enough in the room." in page  # its first row


def test_fillable_keeps_the_print_pages_and_types_its_notes(pdfs):
    printed, fillable = texts(pdfs["print"]), texts(pdfs["fillable"])
    assert len(printed) == len(fillable)
    for n, text in enumerate(printed):
        assert ("More notes" in text) == ("More notes" in fillable[n])
    with pikepdf.open(pdfs["fillable"]) as pdf:
        names = [str(field.T) for field in pdf.Root.AcroForm.Fields if "/T" in field]
    assert [name for name in names if name.endswith("-more")]


def test_a_log_that_ends_a_worksheet_fills_its_last_page_with_rows(pdfs):
    pages = texts(pdfs["print"])
    first = next(
        n for n, text in enumerate(pages) if "Session check-in" in text and "WORKSHEET" in text
    )
    last = min(n for n in last_pages(pages) if n > first)
    assert pages[last - 1].count("Not yet") >= 4  # a row each: "Did I tell them? Yes / Not yet"
    assert "More notes" not in pages[last - 1]
    with pikepdf.open(pdfs["fillable"]) as pdf:
        names = [str(field.T) for field in pdf.Root.AcroForm.Fields if "/T" in field]
    rows = {int(m.group(1)) for n in names if (m := re.match(r"session-check-in-2-1-(\d+)-", n))}
    assert max(rows) > 5  # the log's own five rows, and more


def test_notes_lines_are_kept_only_if_two_fit():
    html = (
        '<div class="field field-notes page-fill" data-fill="off" data-fill-name="x-more">'
        '<p class="label">More notes</p><div class="write-in fill-lines" aria-hidden="true">'
        + '<div class="rule fill-item"></div>' * 40
        + "</div></div>"
    )
    assert pagefill.filled(html, {"x-more": 1}, False) == html
    three = pagefill.filled(html, {"x-more": 3}, False)
    assert 'data-fill="on"' in three and three.count('class="rule"') == 3
    typed = pagefill.filled(html, {"x-more": 5}, True)
    assert 'name="x-more"' in typed and "--lines: 5" in typed and 'class="rule"' not in typed
