"""The EPUB for e-readers and screen readers: DAISY Ace and epubcheck find nothing, the print
page numbers match the PDF, accessibility metadata, landmarks, and reproducible bytes."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import ROOT, SampleWorkbook, epubcheck_counts

pytestmark = pytest.mark.slow

ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


def ace_violations(epub: Path, outdir: Path) -> list[str]:
    """Runs DAISY Ace (installed by scripts/install-test-deps.sh) and lists every violation."""
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    assert ACE.exists(), "DAISY Ace is missing: run scripts/install-test-deps.sh"
    assert chromium, "Chromium is missing: run scripts/install-test-deps.sh"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    command = [str(ACE), "-f", "-s", "-o", str(outdir), str(epub)]
    subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    report = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    return [
        f"{doc['earl:testSubject']['url']}: {item['earl:test']['earl:impact']} "
        f"{item['earl:test']['dct:title']}: {item['earl:result'].get('dct:description', '')}"
        for doc in report["assertions"]
        for item in doc["assertions"]
    ]


SAMPLE_PICTURE_CHAPTER = """\
---
title: A chapter with a picture
---

A calm picture, and a small table.

![A pale square, like a quiet window](window.png)

| When | What helped |
|---|---|
| Monday | A walk |
| Friday | Talking it over |
"""


@pytest.fixture(scope="session")
def sample_epub(tmp_path_factory) -> Path:
    """A small workbook with an image and a table, built in tmp_path."""
    sample = SampleWorkbook(tmp_path_factory.mktemp("a11y") / "sample")
    sample.config(contents=["intro", "picture", "sheet"])
    sample.write("chapters/picture.md", SAMPLE_PICTURE_CHAPTER)
    png = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 210, 220)).save(png, format="PNG")
    sample.write("chapters/window.png", png.getvalue())
    result = sample.build("--edition", "epub", "-q")
    assert result.exit_code == 0, result.output
    return sample.root / "output" / "sample.epub"


def test_ace_finds_no_violations_in_the_default_epub(default_epub, tmp_path):
    assert ace_violations(default_epub, tmp_path / "ace") == []


def test_ace_and_epubcheck_find_nothing_in_a_sample_with_an_image_and_a_table(
    sample_epub, tmp_path
):
    book = zipfile.ZipFile(sample_epub)
    page = book.read("EPUB/text/picture.xhtml").decode()
    assert '<img src="../images/chapters/window.png" alt="A pale square' in page
    assert "<table" in page and "EPUB/images/chapters/window.png" in book.namelist()
    opf = book.read("EPUB/content.opf").decode()
    assert '<meta property="schema:accessMode">visual</meta>' in opf
    counts, messages = epubcheck_counts(sample_epub)
    assert counts == {"fatal": 0, "error": 0, "warning": 0}, "\n".join(messages)
    assert ace_violations(sample_epub, tmp_path / "ace") == []


def test_an_image_without_a_description_is_named(sample):
    sample.config(contents=["intro", "sheet"])
    sample.write("chapters/intro.md", "---\ntitle: Hi\n---\n\n![](window.png)\n")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    sample.write("chapters/window.png", buffer.getvalue())
    result = sample.build("--edition", "epub")
    assert result.exit_code == 1
    assert "chapters/intro.md" in result.output and "needs a short description" in result.output
    assert not (sample.root / "output" / "sample.epub").exists()


def test_accessibility_metadata(opf):
    def values(prop: str) -> list[str]:
        return re.findall(rf'<meta property="{prop}">([^<]*)</meta>', opf)

    assert values("schema:accessMode") == ["textual"]
    assert values("schema:accessModeSufficient") == ["textual"]
    assert set(values("schema:accessibilityFeature")) == {
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
        "alternativeText",
        "displayTransformability",
        "pageBreakMarkers",
        "pageNavigation",
    }
    assert values("schema:accessibilityHazard") == ["none"]
    assert "worksheets" in values("schema:accessibilitySummary")[0].lower()
    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert values("pageBreakSource") == [
        "The Alliance Workbook, the print edition (US Letter paper)"
    ]
    assert (
        "<dc:source>The Alliance Workbook, the print edition (US Letter paper)</dc:source>" in opf
    )


def test_every_document_declares_utf8_and_its_language(epub_zip, opf, default_config):
    assert re.search(r'<package [^>]*xml:lang="en"', opf)
    documents = [n for n in epub_zip.namelist() if n.endswith(".xhtml")]
    parts = {f"EPUB/text/{part}.xhtml" for part in default_config["contents"]}
    assert {"EPUB/cover.xhtml", "EPUB/text/copyright.xhtml", "EPUB/nav.xhtml"} | parts <= set(
        documents
    )
    for name in documents:
        text = epub_zip.read(name).decode("utf-8")
        assert text.startswith("<?xml version='1.0' encoding='utf-8'?>"), name
        assert re.search(r'<html [^>]*lang="en" xml:lang="en"', text), name


def test_landmarks_name_cover_contents_body_crisis_back_matter_and_references(
    epub_zip, default_config
):
    nav = epub_zip.read("EPUB/nav.xhtml").decode()
    landmarks = nav[nav.index('epub:type="landmarks"') :].split("</nav>")[0]
    links = re.findall(r'<a epub:type="([^"]+)" href="([^"]+)">([^<]+)</a>', landmarks)
    first = default_config["contents"][0]
    assert links == [
        ("cover", "cover.xhtml", "Cover"),
        ("toc", "contents.xhtml", "Contents"),
        ("bodymatter", f"text/{first}.xhtml", "How to use this workbook"),
        (
            "notice",
            "text/support-and-crisis-resources.xhtml#in-danger",
            "If you are in danger now",
        ),
        ("backmatter", "text/support-and-crisis-resources.xhtml", "Support and crisis resources"),
        ("bibliography", "text/references.xhtml#studies-and-books", "References"),
    ]
    page = epub_zip.read("EPUB/text/references.xhtml").decode()
    assert 'id="studies-and-books"' in page and 'epub:type="bibliography"' in page


def _page_list(book: zipfile.ZipFile) -> list[tuple[str, int, int]]:
    nav = book.read("EPUB/nav.xhtml").decode()
    pages = nav[nav.index('epub:type="page-list"') :]
    return [
        (doc, int(n), int(label))
        for doc, n, label in re.findall(r'<a href="([^"#]+)#page-(\d+)">(\d+)</a>', pages)
    ]


def _squash(text: str) -> str:
    """Text to compare: no tags, no spaces, no case (headings are upper case on paper), and
    not the page numbers the PDF adds after its cross-references."""
    plain = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text))).casefold()
    return re.sub(r"\(page\d+\)", "", plain)


def test_page_list_has_every_print_page_in_order(epub_zip, default_pdf):
    entries = _page_list(epub_zip)
    pages = len(PdfReader(default_pdf).pages)
    assert [label for _, _, label in entries] == list(range(1, pages + 1))
    for doc, number, _ in entries:
        text = epub_zip.read(f"EPUB/{doc}").decode()
        marker = re.search(rf'<span id="page-{number}"[^>]*/>', text).group(0)
        assert 'epub:type="pagebreak"' in marker and 'role="doc-pagebreak"' in marker
        assert f'aria-label="{number}"' in marker


HELPLINES_HEADER = "servicehowtoreachthemwhen"


def test_page_breaks_sit_where_the_print_pages_begin(epub_zip, default_pdf):
    """In the chapters, the words just after a marker open that PDF page, and the words just
    before it end the page before (worksheets differ on paper, so only their order counts)."""
    pages = PdfReader(default_pdf).pages
    # The printed helplines table repeats its header on each page; the screen's list has none.
    pdf = [_squash(page.extract_text()).replace(HELPLINES_HEADER, "") for page in pages]
    checked = 0
    for doc, number, _ in _page_list(epub_zip):
        text = epub_zip.read(f"EPUB/{doc}").decode()
        if 'class="chapter"' not in text:  # the cover, the contents and the worksheets
            continue
        body = text[text.index("<body>") :]
        at = body.index(f'id="page-{number}"')
        start, end = body.rindex("<", 0, at), body.index(">", at) + 1
        after = _squash(body[end:])[:25]
        assert after in pdf[number - 1][:400], f"page {number} starts with {after!r}"
        if body.index('role="doc-pagebreak"') < start:  # not the chapter's first page
            before = _squash(body[:start])[-25:]
            if body[:start].rstrip().endswith('<li class="service">'):
                # A helpline's lines come in another order on paper (a table's columns):
                # the last line of the service before is on the page before.
                lines = [s for s in re.findall(r">([^<>]+)<", body[:start]) if s.strip()]
                before = _squash(lines[-1])
            elif re.search(
                r'<li class="service">(?:(?!<li).)*</li>\s*</ul>\s*$', body[:start], re.S
            ):
                # After a region's last helpline: its name is on the page before.
                service = body[:start].rindex('<li class="service">')
                name = next(s for s in re.findall(r">([^<>]+)<", body[service:start]) if s.strip())
                before = _squash(name)
            assert before in pdf[number - 2], f"page {number - 1} ends with {before!r}"
        checked += 1
    assert checked >= 35


def test_same_sources_give_the_same_bytes_in_any_time_zone(default_epub, tmp_path):
    for zone in ("Pacific/Kiritimati", "America/Adak"):
        out = tmp_path / zone.replace("/", "-")
        env = {**os.environ, "TZ": zone}
        command = [sys.executable, "-m", "workbook", "build", "-p", str(ROOT), "-o", str(out)]
        subprocess.run([*command, "--edition", "epub", "-q"], env=env, check=True)
        assert (out / "alliance-workbook.epub").read_bytes() == default_epub.read_bytes(), zone


def test_source_date_epoch_sets_the_modified_date(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    command = [sys.executable, "-m", "workbook", "build", "-p", str(ROOT), "-o", str(tmp_path)]
    subprocess.run([*command, "--edition", "epub", "-q"], env=env, check=True)
    book = zipfile.ZipFile(tmp_path / "alliance-workbook.epub")
    opf = book.read("EPUB/content.opf").decode()
    assert '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' in opf
    assert {info.date_time[:3] for info in book.infolist()} == {(2026, 1, 1)}


def test_worksheets_say_where_answers_can_go_and_have_no_controls(epub_zip, default_config):
    for part in ("signs-checklist", "rupture-repair-log", "therapist-fit-questions"):
        page = epub_zip.read(f"EPUB/text/{part}.xhtml").decode()
        assert "notebook" in page and "PDF" in page, part
        for tag in ("<input", "<script", "<form", "<select", "<textarea", "<button"):
            assert tag not in page, (part, tag)
    opf = epub_zip.read("EPUB/content.opf").decode()
    assert "scripted" not in opf


def test_reader_settings_win_no_fixed_text_colours_or_pixel_sizes(epub_zip):
    css = epub_zip.read("EPUB/style/book.css").decode()
    epub_css = (ROOT / "styles" / "epub.css").read_text(encoding="utf-8")
    assert "px" not in epub_css
    assert not re.search(r"font-size:\s*[\d.]+(px|pt)", css)
    colours = re.findall(r"(?<![-\w])color:\s*([^;}]+)", css)
    assert all(value.strip() in ("currentColor", "inherit") for value in colours), colours
    assert re.search(r"img\s*{[^}]*max-width:\s*100%", css)


def test_cover_is_drawn_at_e_reader_size(epub_zip, opf):
    assert 'properties="cover-image"' in opf and '<meta name="cover" content="cover-img"' in opf
    cover = Image.open(io.BytesIO(epub_zip.read("EPUB/images/cover.png")))
    assert cover.size == (1600, 2560)
    page = epub_zip.read("EPUB/cover.xhtml").decode()
    assert 'role="doc-cover"' in page and 'alt="Cover: The Alliance Workbook.' in page
