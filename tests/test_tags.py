"""Tagged PDFs: a structure tree with headings, lists and tables, plus title and language, so
screen readers can read the print and fillable editions."""

from __future__ import annotations

import collections
import re
import subprocess

import pikepdf
import pytest

from tests.conftest import ROOT, run
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure tree's elements in reading order (depth first)."""
    found: list[pikepdf.Dictionary] = []
    todo = [pdf.Root.StructTreeRoot]
    while todo:
        element = todo.pop(0)
        found += [element] if "/S" in element else []
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        todo[:0] = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    return found


def page_number(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> int:
    page = element.get("/Pg")
    pages = [p.obj.objgen for p in pdf.pages]
    return pages.index(page.objgen) + 1 if isinstance(page, pikepdf.Dictionary) else 0


def assert_pdf_ua_headings_and_figures(pdf: pikepdf.Pdf, cover: bool = True) -> None:
    """PDF/UA: the first heading is an H1 (on a workbook, the cover's title); every Figure
    says what it shows in /Alt."""
    tree = elements(pdf)
    headings = [e for e in tree if str(e.S) in {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}]
    assert headings and headings[0].S == "/H1"
    if cover:
        assert page_number(pdf, headings[0]) == 1
        assert [page_number(pdf, h) for h in headings].count(1) == 1
    for figure in (e for e in tree if e.S == "/Figure"):
        assert str(figure.get("/Alt", "")).strip(), f"a figure on page {page_number(pdf, figure)}"


def structure(pdf: pikepdf.Pdf) -> collections.Counter[str]:
    """How many structure elements of each type the tree holds."""
    counts: collections.Counter[str] = collections.Counter()
    todo = [pdf.Root.StructTreeRoot]
    while todo:
        element = todo.pop()
        if "/S" in element:
            counts[str(element.S)] += 1
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        todo += [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/Obj" not in k]
    return counts


@pytest.fixture(scope="session", params=["print", "fillable"])
def tagged(request, default_build):
    with pikepdf.open(default_build / f"alliance-workbook-{request.param}-letter.pdf") as pdf:
        yield request.param, pdf


def test_title_language_and_marked(tagged, default_config):
    _, pdf = tagged
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert pdf.open_metadata()["dc:title"] == default_config["title"]


def test_headings_lists_and_tables_are_in_the_structure_tree(tagged):
    _, pdf = tagged
    counts = structure(pdf)
    parts = len(load_book(ROOT).parts)
    assert counts["/H1"] == parts + 3  # the cover, every part, the copyright page, contents
    assert counts["/H2"] > parts
    assert counts["/L"] > 0 and counts["/LI"] == counts["/LBody"] > counts["/L"]
    assert counts["/Table"] > 0 and counts["/TH"] > 0 and counts["/TD"] > 0


def test_fields_are_form_elements_in_the_tree(tagged):
    edition, pdf = tagged
    widgets = [
        a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Widget"
    ]
    counts = structure(pdf)
    if edition == "print":
        assert not widgets and counts["/Form"] == 0
    else:
        assert counts["/Form"] == len(widgets) > 0
        assert all("/StructParent" in widget for widget in widgets)


def test_handouts_are_tagged_too(tmp_path):
    result = run("handout", "signs-checklist", "-p", str(ROOT), "-o", str(tmp_path), "-q")
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "alliance-workbook-handout-signs-checklist-letter.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert structure(pdf)["/H1"] == 1


def test_the_cover_title_is_the_first_heading_and_every_figure_has_alt_text(
    tagged, default_build, default_config
):
    edition, pdf = tagged
    assert_pdf_ua_headings_and_figures(pdf)
    # as poppler reads the tree: the first heading holds the title's words
    path = default_build / f"alliance-workbook-{edition}-letter.pdf"
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    first = next(i for i, line in enumerate(tree) if re.match(r"\s*H\d\b", line))
    assert tree[first].split()[0] == "H1"
    assert tree[first + 2].strip() == f'"{default_config["title"]}"'


LOGO = 'practice = "Priory Lane Therapy"\nlogo = "logo.png"\n'


def test_a_client_copy_and_a_handout_with_a_logo_describe_it(sample):
    from PIL import Image

    Image.new("RGB", (300, 120), "teal").save(sample.root / "logo.png")
    sample.write("brand.toml", LOGO)
    result = sample.build("--edition", "print", "--edition", "fillable", "--client", "Sam Lee")
    assert result.exit_code == 0, result.output
    copies = sorted((sample.root / "output").glob("sample-copy-01-*.pdf"))
    result = run("handout", "sheet", "-p", str(sample.root), "-o", str(sample.root / "h"), "-q")
    assert result.exit_code == 0, result.output
    assert len(copies) == 2
    for path in copies:
        with pikepdf.open(path) as pdf:
            assert_pdf_ua_headings_and_figures(pdf)
            logos = [e for e in elements(pdf) if e.S == "/Figure"]
            assert [str(e.Alt) for e in logos] == ["Priory Lane Therapy"] * 2  # cover, back
    with pikepdf.open(sample.root / "h" / "sample-handout-sheet-letter.pdf") as pdf:
        assert_pdf_ua_headings_and_figures(pdf, cover=False)
