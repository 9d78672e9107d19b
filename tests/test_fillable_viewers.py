"""Every answer of the fillable PDF, filled long, saved, read back by pypdf and printed by
poppler (as a viewer built on it prints: `pdftocairo -pdf` draws the fields into the page),
shows in full inside its box."""

from __future__ import annotations

import collections
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

pytestmark = pytest.mark.slow

MULTILINE = 1 << 12
ANSWER = (
    "When I said the session felt rushed, my therapist stopped, asked what I needed, and we "
    "agreed to leave ten minutes at the end. I felt heard, and a little braver."
)
LINE = "My sister's flat, the library on Mill Road, the bench by the river"
XHTML = {"h": "http://www.w3.org/1999/xhtml"}


def answers(path: Path) -> dict[str, str]:
    """A realistic answer for every text field: a number in a number's box, a whole date in
    a date's, a few sentences where there is room for them, a long line on a line."""
    found = {}
    with pikepdf.open(path) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if field.get("/FT") != "/Tx":
                continue
            length = int(field.get("/MaxLen", 0))
            if 0 < length <= 4:
                answer = "7"
            elif str(field.get("/TU", "")).startswith("Date"):
                answer = "12/03/2026"
            else:
                answer = ANSWER if int(field.get("/Ff", 0)) & MULTILINE else LINE
            found[str(field.T)] = answer[: length or None]
    return found


@pytest.fixture(scope="module")
def filled(default_fillable, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    values = answers(default_fillable)
    writer = PdfWriter(clone_from=PdfReader(default_fillable))
    writer.set_need_appearances_writer(True)  # viewers draw each field from its value
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
    target = tmp_path_factory.mktemp("filled-long") / "filled.pdf"
    writer.write(target)
    return target, values


def test_pypdf_reads_every_long_answer_back(filled):
    path, values = filled
    fields = PdfReader(path).get_fields() or {}
    assert len(values) > 300
    assert {name: str(fields[name].get("/V")) for name in values} == values


def printed_words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points from the top left), as poppler prints it."""
    printed = path.with_name("printed.pdf")
    subprocess.run(["pdftocairo", "-pdf", str(path), str(printed)], check=True)
    xml = subprocess.run(["pdftotext", "-bbox", str(printed), "-"], capture_output=True)
    pages = etree.fromstring(xml.stdout).findall(".//h:page", XHTML)
    return [
        [
            (*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
            for w in page.findall(".//h:word", XHTML)
        ]
        for page in pages
    ]


def test_poppler_prints_every_long_answer_whole_inside_its_box(filled):
    path, values = filled
    pages = printed_words(path)
    cut: list[str] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            height = float(page.mediabox[3])
            for widget in page.obj.get("/Annots", []):
                name = str(widget.get("/T", widget.get("/Parent", {}).get("/T", "")))
                if name not in values:
                    continue
                x1, y1, x2, y2 = (float(v) for v in widget.Rect)
                top, bottom = height - y2, height - y1
                inside = [
                    word
                    for left, upper, right, lower, word in pages[number]
                    if x1 - 1 <= left
                    and right <= x2 + 1
                    and top - 1 <= upper
                    and lower <= bottom + 1
                ]
                want = values[name].split()
                if collections.Counter(inside) != collections.Counter(want):
                    cut.append(f"{name} (page {number + 1}): {' '.join(inside)!r}")
    assert not cut, "\n".join(cut)
