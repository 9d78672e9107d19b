"""Tagged PDFs: a structure tree with headings, lists and tables, plus title and language, so
screen readers can read the print and fillable editions."""

from __future__ import annotations

import collections

import pikepdf
import pytest

from tests.conftest import ROOT, run
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow


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
    assert counts["/H1"] == parts + 2  # every part, the copyright page and the contents
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
