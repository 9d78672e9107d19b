"""Every content note points to the safety page near the front: a link inside the one document of
a PDF, a link to that page's own file in the EPUB and the web edition. Checked in the HTML
render() makes, then in the built PDF (the link annotation lands on the safety page) and EPUB
(the href resolves)."""

from __future__ import annotations

import posixpath
import re
import zipfile

import pikepdf
import pytest
from lxml import etree

from tests.conftest import ROOT
from workbook.editions import Edition
from workbook.model import Chapter
from workbook.render import render
from workbook.sources.loader import load_book

SAFETY = "safety-and-privacy"
NOTE = re.compile(r'<aside class="content-note".*?</aside>', re.S)
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


def noted(book) -> list[str]:
    return [p.id for p in book.parts if isinstance(p, Chapter) and p.content_note]


def test_the_safety_page_comes_right_after_the_welcome(book):
    ids = [part.id for part in book.parts]
    assert ids[:2] == ["welcome", SAFETY]
    assert len(noted(book)) >= 3


@pytest.mark.parametrize("name", ["print", "fillable"])
def test_each_content_note_links_within_the_pdf_document(book, name):
    html = render(book, Edition(name)).documents[0].html
    notes = NOTE.findall(html)
    assert len(notes) == len(noted(book))
    for note in notes:
        assert f'href="#{SAFETY}"' in note
    assert f'id="{SAFETY}"' in html


def test_each_content_note_links_to_the_safety_file_in_the_epub(book):
    docs = {doc.name: doc.html for doc in render(book, Edition("epub")).documents}
    for part_id in noted(book):
        (note,) = NOTE.findall(docs[f"text/{part_id}.xhtml"])
        assert f'href="{SAFETY}.xhtml#{SAFETY}"' in note
    assert f'id="{SAFETY}"' in docs[f"text/{SAFETY}.xhtml"]


def test_each_content_note_links_to_the_safety_page_of_the_web_edition(book):
    docs = {doc.name: doc.html for doc in render(book, Edition("html")).documents}
    for part_id in noted(book):
        (note,) = NOTE.findall(docs[f"{part_id}.html"])
        assert f'href="{SAFETY}.html#{SAFETY}"' in note
    assert f'id="{SAFETY}"' in docs[f"{SAFETY}.html"]


def test_a_workbook_without_a_safety_page_keeps_its_notes_without_a_link(sample):
    sample.write(
        "chapters/intro.md",
        "---\ntitle: Intro\ncontent_note: Painful things ahead.\n---\n\nSome words.\n",
    )
    book = load_book(sample.root)
    for name in ("print", "epub", "html"):
        html = "".join(doc.html for doc in render(book, Edition(name)).documents)
        (note,) = NOTE.findall(html)
        assert "Painful things ahead." in note and "<a " not in note


# --- In the built files -----------------------------------------------------------------------


def named_page(pdf: pikepdf.Pdf, name: str) -> int:
    """The 0-based page a named destination points at."""
    dest = pikepdf.NameTree(pdf.Root.Names.Dests)[name]
    target = dest[0] if isinstance(dest, pikepdf.Array) else dest.D[0]
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == target.objgen)


@pytest.mark.slow
def test_the_pdf_links_land_on_the_safety_page(default_pdf, book):
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(default_pdf).pages]
    with pikepdf.open(default_pdf) as pdf:
        safety_page = named_page(pdf, SAFETY)
        assert texts[safety_page].lstrip().startswith("Safety, grounding and privacy")
        from_notes = [
            number
            for number, page in enumerate(pdf.pages)
            if "A gentle note before you read" in texts[number]
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/Link" and str(annot.get("/Dest", "")) == SAFETY
        ]
    assert len(set(from_notes)) == len(noted(book))
    # On paper, the note says which page to turn to.
    for number in set(from_notes):
        assert f"privacy” (page {safety_page + 1})" in " ".join(texts[number].split())


@pytest.mark.slow
def test_the_epub_links_resolve_to_the_safety_page(default_epub, book):
    with zipfile.ZipFile(default_epub) as epub:
        names = set(epub.namelist())
        for part_id in noted(book):
            doc = f"EPUB/text/{part_id}.xhtml"
            root = etree.fromstring(epub.read(doc))
            (link,) = root.iterfind(f".//{XHTML}aside//{XHTML}a")
            file, _, anchor = link.get("href").partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), file))
            assert target in names
            ids = etree.fromstring(epub.read(target)).xpath("//@id")
            assert anchor == SAFETY and anchor in ids
