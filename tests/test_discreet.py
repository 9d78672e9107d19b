"""The discreet edition of the default workbook, built for real with a practice's brand: every
place a glance finds words (running heads, footers, contents, bookmarks, headings, field
tooltips and names, file names, metadata) in the fillable PDF, a handout, the EPUB and the web
edition holds none of the listed words, and the practice is nowhere. The chapters' own text is
left as it was written."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from tests.conftest import ROOT, run
from workbook.build.discreet import sensitive_words

pytestmark = pytest.mark.slow

BRAND = """\
practice = "Priory Lane Therapy"
clinician = "Dr Helen Shaw"
phone = "020 7946 0000"
email = "helen@priorylane.example"
web = "priorylane.example"
note = "See you next week."
"""
PRACTICE = ("Priory", "Helen Shaw", "7946", "priorylane", "From your therapist")
EDGE_PT = 60  # running heads and footers sit within this many points of the page's edge


def words_in(text: str) -> list[str]:
    return sensitive_words(text.replace("-", " ").replace("_", " "))


def assert_neutral(where: str, text: str) -> None:
    assert not words_in(text), (where, words_in(text), text[:200])
    assert not [p for p in PRACTICE if p.lower() in text.lower()], (where, text[:200])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discreet")
    brand = out / "practice" / "brand.toml"
    brand.parent.mkdir()
    brand.write_text(BRAND, encoding="utf-8")
    formats = ("--edition", "fillable", "--edition", "epub", "--edition", "html")
    build = ("build", "-p", str(ROOT), "-o", str(out / "files"), "--brand", str(brand))
    result = run(*build, "--discreet", *formats)
    assert result.exit_code == 0, result.output
    sheets = ("therapist-fit-questions", "rupture-repair-log")
    handout = ("handout", *sheets, "-p", str(ROOT), "-o", str(out / "files"))
    result = run(*handout, "--brand", str(brand), "--discreet", "--fillable", "--client", "Sam")
    assert result.exit_code == 0, result.output
    return out / "files"


def test_file_names_are_neutral(built):
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*"))
    assert "personal-workbook-fillable-letter.pdf" in names
    assert "personal-workbook.epub" in names and "personal-workbook-site/index.html" in names
    assert "personal-workbook-copy-01-handout-therapist-fit-questions-rupture-repair-log-" in (
        " ".join(names)
    )
    for name in names:
        assert_neutral("file name", name)
    assert not (built / "personal-workbook-clients.csv").exists()  # the index is kept apart


def page_edges(pdf: Path) -> list[str]:
    """Each page's running head and footer: the lines poppler finds near its top and foot."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout
    tree = etree.fromstring(xml, etree.XMLParser(recover=True))
    edges = []
    for page in tree.iter("{*}page"):
        height = float(page.get("height"))
        for line in page.iter("{*}line"):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            if top < EDGE_PT or bottom > height - EDGE_PT:
                edges.append(" ".join(w.text or "" for w in line.iter("{*}word")))
    return edges


def pdf_glances(pdf: Path) -> list[tuple[str, str]]:
    """(where, text) for every place in a PDF a glance finds words, besides the body text."""
    found = [("running head or footer", line) for line in page_edges(pdf)]
    with pikepdf.open(pdf) as doc:
        found += [(f"Info {key}", str(value)) for key, value in doc.docinfo.items()]
        if "/Metadata" in doc.Root:
            found.append(("XMP", doc.Root.Metadata.read_bytes().decode()))
        with doc.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                found.append(("bookmark", item.title))
                stack += item.children
        fields = list(doc.Root.AcroForm.Fields) if "/AcroForm" in doc.Root else []
        while fields:
            field = fields.pop()
            found += [(f"field {key}", str(field[key])) for key in ("/T", "/TU") if key in field]
            fields += list(field.get("/Kids", []))
    return found


def contents_page(pdf: Path) -> str:
    for page in range(1, 6):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if text.lstrip().startswith("Contents"):
            return text
    raise AssertionError("no contents page")


def test_the_fillable_pdf_is_neutral_where_a_glance_finds_words(built):
    pdf = built / "personal-workbook-fillable-letter.pdf"
    glances = pdf_glances(pdf)
    where = {place for place, _ in glances}
    assert {"running head or footer", "bookmark", "field /TU", "field /T", "XMP"} <= where
    for place, text in glances:
        assert_neutral(place, text)
    bookmarks = [text for place, text in glances if place == "bookmark"]
    assert "Why does it matter so much after a hurtful relationship?" in bookmarks
    contents = contents_page(pdf)
    assert "Why it matters for survivors" in contents
    assert_neutral("contents", contents)
    body = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert_neutral("practice in the text", " ".join(w for w in PRACTICE if w in body))
    assert "narcissistic abuse" in body  # the chapters' text itself is left as written


def test_a_discreet_handout_is_neutral_and_leaves_the_practice_out(built):
    (pdf,) = built.glob("personal-workbook-copy-01-handout-*.pdf")
    glances = pdf_glances(pdf)
    tooltips = [text for place, text in glances if place == "field /TU"]
    assert any("experience do you have with stress and emotional harm" in t for t in tooltips)
    for place, text in glances:
        assert_neutral(place, text)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    first = text.split("\f")[0]  # the client's name sits above the first worksheet, on its page
    assert "Prepared for Sam" in first and "Therapist-fit questions" in first
    assert "Personal workbook" in text
    assert_neutral("handout text", " ".join(w for w in PRACTICE if w in text))


GLANCED = re.compile(
    r"<(h[1-6]|title|label|legend|dc:\w+|text)\b[^>]*>(.*?)</\1>"
    r'|<a href="(?!https?:|mailto:|tel:|sms:)[^"]*"[^>]*>(.*?)</a>'
    r'|\b(?:title|aria-label|alt|content|placeholder)="([^"]*)"',
    re.S,
)


def markup_glances(markup: str) -> list[str]:
    return [next(g for g in m.groups()[1:] if g is not None) for m in GLANCED.finditer(markup)]


def test_the_epub_is_neutral_where_a_glance_finds_words(built):
    book = zipfile.ZipFile(built / "personal-workbook.epub")
    checked = 0
    for name in book.namelist():
        assert_neutral("file inside the EPUB", name)
        if not name.endswith((".xhtml", ".opf", ".ncx")):
            continue
        markup = book.read(name).decode()
        assert_neutral(name, " ".join(w for w in PRACTICE if w in markup))
        if name.endswith(("nav.xhtml", ".opf", ".ncx")):
            assert_neutral(name, re.sub(r"<[^>]+>", " ", markup))
        for text in markup_glances(markup):
            assert_neutral(name, text)
            checked += 1
    assert checked > 200
    question = book.read("EPUB/text/questions-people-ask.xhtml").decode()
    assert "after a hurtful relationship?</h2>" in question


def test_the_web_edition_is_neutral_where_a_glance_finds_words(built):
    site = built / "personal-workbook-site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in site.rglob("*"):
        assert_neutral("file in the site", page.relative_to(site).as_posix())
    for page in pages:
        markup = page.read_text(encoding="utf-8")
        assert_neutral(page.name, " ".join(w for w in PRACTICE if w in markup))
        for text in markup_glances(markup):
            assert_neutral(page.name, text)
    question = (site / "questions-people-ask.html").read_text(encoding="utf-8")
    assert "after a hurtful relationship?</h2>" in question
