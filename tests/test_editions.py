"""Therapists' editions, built for real: branded, client copies (one and a batch), discreet,
tailored packets and regional helplines. Names must show on the page and nowhere else."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, SampleWorkbook, epubcheck_counts, run
from tests.test_pdf import contents_entries, starts_with_title
from workbook.build.discreet import sensitive_words

pytestmark = pytest.mark.slow

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="40" height="40" fill="#2a6f74"/></svg>'
)
BRAND = """\
practice = "Harbor <b>&</b> Co"
clinician = "Dr Ana Ruiz"
credentials = "PhD"
phone = "555-0100"
web = "harbor.example"
logo = "logo.svg"
accent = "#2a6f74"
note = "Bring anything you like to our next session."
disclaimer = "This workbook supports therapy; it does not replace it."
"""
HELP_CHAPTER = """\
---
title: Where to find support
---

You are not alone.

::: helplines
:::
"""
CLIENTS = 'name,parts\nJane Q Client,\nRobin "Rob" Marsh,intro sheet\nÉlodie <b>Durand</b>,\n'
NAMES = ("Jane Q Client", 'Robin "Rob" Marsh', "Élodie <b>Durand</b>")


def branded_sample(root: Path) -> SampleWorkbook:
    sample = SampleWorkbook(root)
    sample.config(
        contents=["intro", "sheet", "help"],
        extra='subtitle = "After narcissistic abuse"\nslug = "healing"\n',
    )
    text = (sample.root / "workbook.toml").read_text().replace('"en"', '"en-GB"')
    sample.write("workbook.toml", text)
    sample.write("chapters/help.md", HELP_CHAPTER)
    sample.write("brand.toml", BRAND)
    sample.write("logo.svg", LOGO)
    return sample


@pytest.fixture(scope="session")
def branded(tmp_path_factory) -> SampleWorkbook:
    return branded_sample(tmp_path_factory.mktemp("branded") / "project")


@pytest.fixture(scope="session")
def batch(branded) -> Path:
    """Three client copies (one with its own packet), print and EPUB."""
    clients = branded.write("clients.csv", CLIENTS)
    out = branded.root / "batch"
    result = run("build", "-p", str(branded.root), "-o", str(out), "--clients", str(clients))
    assert result.exit_code == 0, result.output
    return out


def pdf_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_metadata_text(path: Path) -> str:
    """Every metadata field: the Info dict, XMP if any, and the bookmarks' titles."""
    with pikepdf.open(path) as pdf:
        info = " ".join(str(v) for v in pdf.docinfo.values())
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode() if "/Metadata" in pdf.Root else ""
    outline = " ".join(item.title for item in PdfReader(path).outline if not isinstance(item, list))
    return f"{info} {xmp} {outline}"


def epub_metadata_text(path: Path) -> str:
    """The package document, navigation, NCX and every file name in the EPUB."""
    book = zipfile.ZipFile(path)
    names = book.namelist()
    docs = [book.read(n).decode() for n in ("EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx")]
    return " ".join([*names, *docs])


# Branding


def test_brand_shows_on_the_cover_back_page_and_worksheet_footers(batch):
    texts = pdf_texts(batch / "healing-copy-01-print-a4.pdf")
    assert "Harbor <b>&</b> Co" in texts[0] and "Dr Ana Ruiz, PhD" in texts[0]
    assert texts[-1].startswith("From your therapist")
    assert "Bring anything you like" in texts[-1] and "555-0100" in texts[-1]
    worksheet = next(t for t in texts if t.startswith("WORKSHEET"))
    assert "Harbor <b>&</b> Co · 555-0100 · harbor.example" in worksheet
    chapter = next(t for t in texts if t.startswith("A small chapter"))
    assert "harbor.example" not in chapter  # footers are for worksheets only


def test_epub_names_the_practice_as_publisher_and_carries_the_logo(batch):
    book = zipfile.ZipFile(batch / "healing-copy-01.epub")
    opf = book.read("EPUB/content.opf").decode()
    assert "<dc:publisher>Harbor &lt;b&gt;&amp;&lt;/b&gt; Co</dc:publisher>" in opf
    assert "EPUB/images/logo.svg" in book.namelist()
    back = book.read("EPUB/text/from-your-therapist.xhtml").decode()
    assert "Harbor &lt;b&gt;&amp;&lt;/b&gt; Co" in back and "<b>" not in back


# Client copies


def test_batch_writes_numbered_files_and_an_index(batch):
    names = sorted(p.name for p in batch.iterdir())
    assert names == sorted(
        [
            f"healing-copy-0{n}{suffix}"
            for n in (1, 2, 3)
            for suffix in ("-print-a4.pdf", "-fillable-a4.pdf", ".epub")
        ]
    )  # en-GB: A4; the index is kept apart, in private/ beside the output folder
    with (batch.parent / "private" / "healing-clients.csv").open(encoding="utf-8") as index:
        rows = list(csv.DictReader(index))
    assert [r["name"] for r in rows] == list(NAMES)
    assert rows[1]["parts"] == "intro sheet"
    assert rows[0]["files"] == (
        "healing-copy-01-print-a4.pdf healing-copy-01-fillable-a4.pdf healing-copy-01.epub"
    )


def test_each_copy_has_its_name_on_the_cover_and_nowhere_in_metadata(batch):
    for number, name in enumerate(NAMES, start=1):
        pdf = batch / f"healing-copy-0{number}-print-a4.pdf"
        texts = pdf_texts(pdf)
        assert f"Prepared for {name}" in texts[0].replace("\n", " ")
        assert not any(name in t for t in texts[1:])
        epub = batch / f"healing-copy-0{number}.epub"
        for text in (pdf_metadata_text(pdf), epub_metadata_text(epub), pdf.name, epub.name):
            words = re.findall(r"\w{3,}", name.replace("<b>", " ").replace("</b>", " "))
            for word in words:
                assert word not in text, (word, pdf.name)
        title_page = zipfile.ZipFile(epub).read("EPUB/text/title-page.xhtml").decode()
        assert "Prepared for" in title_page
    escaped = zipfile.ZipFile(batch / "healing-copy-03.epub").read("EPUB/text/title-page.xhtml")
    assert "Élodie &lt;b&gt;Durand&lt;/b&gt;" in escaped.decode()


def test_a_copy_keeps_the_shared_contents_links_and_bookmarks(batch):
    reader = PdfReader(batch / "healing-copy-01-print-a4.pdf")
    titles = [i.title for i in reader.outline if not isinstance(i, list)]
    assert titles == [
        "Contents",
        "A small chapter",
        "A small worksheet",
        "Where to find support",
        "From your therapist",
    ]
    entries = contents_entries(reader.pages[2].extract_text())
    for title, page in entries.items():
        assert starts_with_title(reader.pages[page - 1].extract_text(), title)


def test_a_row_with_parts_gets_its_own_packet(batch):
    texts = pdf_texts(batch / "healing-copy-02-print-a4.pdf")
    assert list(contents_entries(texts[2])) == ["A small chapter", "A small worksheet"]
    assert not any("Where to find support" in t for t in texts)
    nav = zipfile.ZipFile(batch / "healing-copy-02.epub").read("EPUB/nav.xhtml").decode()
    assert "help.xhtml" not in nav and "sheet.xhtml" in nav


def test_a_copy_passes_epubcheck(batch):
    counts, messages = epubcheck_counts(batch / "healing-copy-03.epub")
    assert counts == {"fatal": 0, "error": 0, "warning": 0}, "\n".join(messages)


def test_single_client_with_names_in_file_names(branded, tmp_path):
    out = tmp_path / "one"
    result = run(
        "build", "-p", str(branded.root), "-o", str(out), "--client", "Sam Lee", "--name-files"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "healing-sam-lee-fillable-a4.pdf",
        "healing-sam-lee-print-a4.pdf",
        "healing-sam-lee.epub",
    ]
    assert (tmp_path / "private" / "healing-clients.csv").is_file()
    cover = pdf_texts(out / "healing-sam-lee-print-a4.pdf")[0]
    assert "Prepared for Sam Lee" in cover
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", cover)  # en-GB: day month year


# Regions


def test_language_en_gb_lists_the_uk_helplines(batch):
    text = "\n".join(pdf_texts(batch / "healing-copy-01-print-a4.pdf"))
    assert "Helplines in United Kingdom" in text and "0808 2000 247" in text
    assert "988" not in text and "call 999" in text


def test_region_option_chooses_the_helplines(branded, tmp_path):
    result = run(
        "build", "-p", str(branded.root), "-o", str(tmp_path), "--edition", "epub", "--region", "au"
    )
    assert result.exit_code == 0, result.output
    page = zipfile.ZipFile(tmp_path / "healing.epub").read("EPUB/text/help.xhtml").decode()
    assert "Helplines in Australia" in page and "13 11 14" in page and "116 123" not in page


def test_the_default_workbook_lists_every_region(default_pdf):
    text = " ".join(" ".join(pdf_texts(default_pdf)).split())
    for name in (
        "United States",
        "United Kingdom",
        "Canada",
        "Australia",
        "Ireland",
        "New Zealand",
    ):
        assert name in text
    assert "1-800-799-7233" in text and "0800 733 843" in text


# Discreet


@pytest.fixture(scope="session")
def discreet(branded) -> Path:
    out = branded.root / "discreet"
    result = run(
        "build", "-p", str(branded.root), "-o", str(out), "--discreet", "--client", "Jane Q Client"
    )
    assert result.exit_code == 0, result.output
    return out


def test_discreet_files_are_named_neutrally(discreet):
    assert sorted(p.name for p in discreet.iterdir()) == [
        "personal-workbook-copy-01-fillable-a4.pdf",
        "personal-workbook-copy-01-print-a4.pdf",
        "personal-workbook-copy-01.epub",
    ]


def test_discreet_cover_heads_and_metadata_are_neutral(discreet):
    pdf = discreet / "personal-workbook-copy-01-print-a4.pdf"
    texts = pdf_texts(pdf)
    assert "Personal workbook" in texts[0] and "Prepared for Jane Q Client" in texts[0]
    metadata = pdf_metadata_text(pdf)
    assert PdfReader(pdf).metadata.title == "Personal workbook"
    for text in (texts[0], metadata):
        assert not sensitive_words(text), text
    assert "Harbor" not in texts[0] and "Harbor" not in metadata
    chapter_page = next(t for t in texts if t.startswith("A small chapter"))
    assert chapter_page.strip().splitlines()[-2] == "Personal workbook"  # the running head


def test_discreet_epub_metadata_is_neutral(discreet):
    book = zipfile.ZipFile(discreet / "personal-workbook-copy-01.epub")
    opf = book.read("EPUB/content.opf").decode()
    assert "<dc:title>Personal workbook</dc:title>" in opf
    metadata = re.search(r"<metadata.*</metadata>", opf, re.S).group(0).lower()
    assert not sensitive_words(metadata)
    assert "publisher" not in metadata and "jane" not in metadata


# Tailored packets


@pytest.fixture(scope="session")
def packet(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("packet")
    result = run(
        "build",
        "-p",
        str(ROOT),
        "-o",
        str(out),
        "--edition",
        "print",
        "--only",
        "welcome,signs-of-a-strong-alliance",
        "--only",
        "signs-checklist support-and-crisis-resources",
        "--skip",
        "welcome",
        "--region",
        "uk",
    )
    assert result.exit_code == 0, result.output
    return out / "alliance-workbook-print-letter.pdf"


def test_packet_contents_page_numbers_and_bookmarks_follow(packet):
    reader = PdfReader(packet)
    texts = [p.extract_text() for p in reader.pages]
    titles = ["Signs of a strong alliance", "Signs checklist", "Support and crisis resources"]
    entries = contents_entries(texts[2])
    assert list(entries) == titles
    for title, page in entries.items():
        assert starts_with_title(texts[page - 1], title)
    assert [i.title for i in reader.outline if not isinstance(i, list)] == ["Contents", *titles]
    assert not any("How to use this workbook" in t for t in texts)
    assert "Helplines in United Kingdom" in "\n".join(texts)


# Your own workbook


def test_new_project_builds_at_once_with_an_override_that_extends_the_default(tmp_path):
    project = tmp_path / "mine"
    result = run("new", str(project))
    assert result.exit_code == 0, result.output
    assert f"workbook build -p {project}" in result.output
    (project / "templates" / "cover.html").write_text(
        '{% extends "default:cover.html" %}\n'
        '{% block cover_note %}<p class="cover-note">For our Tuesday group.</p>{% endblock %}\n',
        encoding="utf-8",
    )
    (project / "styles" / "custom.css").write_text(".cover-note { color: #123456; }\n")
    result = run("build", "-p", str(project), "--brand", str(project / "brand.example.toml"))
    assert result.exit_code == 0, result.output
    cover = pdf_texts(project / "output" / "my-workbook-print-letter.pdf")[0]
    assert "For our Tuesday group." in cover and "My workbook" in cover
    assert "Go at your own pace" not in cover and "Your practice" in cover
    epub = zipfile.ZipFile(project / "output" / "my-workbook.epub")
    assert "#123456" in epub.read("EPUB/style/book.css").decode()
    assert "Weekly check-in" in epub.read("EPUB/text/check-in.xhtml").decode()
