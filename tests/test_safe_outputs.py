"""Built outputs, inspected: no script reaches a PDF or EPUB, images are packaged from inside
the workbook only, failures leave earlier files intact, extreme input stops with a message,
and the same sources give the same bytes in any time zone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import epubcheck_counts, run
from workbook.build.cache import sha256_output
from workbook.build.pipeline import build
from workbook.build.request import Request

pytestmark = pytest.mark.slow

HOSTILE = """\
---
title: <script>alert('title')</script>
summary: <img src=x onerror=alert(1)>
---

<script>alert(1)</script>

<iframe src="https://evil.example/"></iframe>

<img src="x.png" onerror="alert(2)">

[click me](javascript:alert(3)) and [shout](JAVASCRIPT:alert(4)) and [data](data:text/html,<b>)

<a href="javascript:alert(5)">raw link</a>

Plain words after.
"""


def all_text(epub: zipfile.ZipFile) -> str:
    return "\n".join(
        epub.read(name).decode()
        for name in epub.namelist()
        if name.endswith((".xhtml", ".opf", ".ncx", ".css"))
    )


def assert_no_active_markup(xhtml: bytes) -> None:
    """Parsed as the e-reader will: no script or frame element, no handler, no script URL."""
    from lxml import etree

    for element in etree.fromstring(xhtml).iter():
        if not isinstance(element.tag, str):
            continue
        assert etree.QName(element).localname not in ("script", "iframe", "object", "embed")
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.startswith("on"), name
            assert not value.strip().lower().startswith(("javascript:", "data:text")), value


def test_hostile_markdown_reaches_neither_pdf_nor_epub_as_markup(sample):
    sample.write("chapters/intro.md", HOSTILE)
    result = sample.build()
    assert result.exit_code == 0, result.output
    out = sample.root / "output"
    archive = zipfile.ZipFile(out / "sample.epub")
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            assert_no_active_markup(archive.read(name))
    epub_text = all_text(archive)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in epub_text  # shown as text
    assert epubcheck_counts(out / "sample.epub")[0] == {"fatal": 0, "error": 0, "warning": 0}

    pdf_text = "".join(
        page.extract_text() for page in PdfReader(out / "sample-print-letter.pdf").pages
    )
    assert "<script>alert(1)</script>" in pdf_text and "Plain words after." in pdf_text
    with pikepdf.open(out / "sample-print-letter.pdf") as pdf:
        assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A", {})
                assert action.get("/S") != "/JavaScript"
                assert "javascript" not in str(action.get("/URI", "")).lower()


def test_images_are_packaged_from_inside_the_workbook(sample):
    picture = sample.root / "pictures/sun.png"
    picture.parent.mkdir()
    Image.new("RGB", (120, 60), (230, 140, 30)).save(picture)
    sample.write(
        "chapters/intro.md", "---\ntitle: Pictures\n---\n\nSun: ![The sun](../pictures/sun.png)\n"
    )
    result = sample.build()
    assert result.exit_code == 0, result.output
    epub = sample.root / "output/sample.epub"
    archive = zipfile.ZipFile(epub)
    assert archive.read("EPUB/images/pictures/sun.png") == picture.read_bytes()
    assert (
        '<img src="../images/pictures/sun.png" alt="The sun"/>'
        in archive.read("EPUB/text/intro.xhtml").decode()
    )
    assert epubcheck_counts(epub)[0] == {"fatal": 0, "error": 0, "warning": 0}
    pdf = PdfReader(sample.root / "output/sample-print-letter.pdf")
    assert any(page.images for page in pdf.pages)


def test_templates_cannot_read_files_outside_the_workbook(sample):
    sample.write(
        "templates/cover.html",
        '<section>\n<img src="file:///etc/passwd"/>\n<img src="/dev/zero"/>\n</section>\n',
    )
    result = sample.build("--edition", "print")
    assert result.exit_code == 1
    assert (
        "a template or stylesheet: file:///etc/passwd: it is outside the workbook's folder"
        in result.output
    )
    assert "file:///dev/zero: it is outside the workbook's folder" in result.output
    assert not (sample.root / "output").exists() or not any((sample.root / "output").iterdir())


def test_bom_and_crlf_sources_build(sample):
    sample.write(
        "chapters/intro.md", "\ufeff---\r\ntitle: Windows\r\n---\r\n\r\nHello.\r\n".encode()
    )
    sample.write("chapters/sheet.yaml", ("\ufeff" + SAMPLE_SHEET.replace("\n", "\r\n")).encode())
    result = sample.build()
    assert result.exit_code == 0, result.output


SAMPLE_SHEET = "title: Sheet\nsections:\n  - fields:\n      - type: notes\n"


# --- nothing half-written -------------------------------------------------------------------


def break_the_epub_writer(monkeypatch, exception: BaseException) -> None:
    def failing(edition, personal, layouts, temp):
        temp.write_bytes(b"half an epub")  # a writer dies part-way through its file
        raise exception

    monkeypatch.setattr("workbook.writers.epub.write", failing)


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), RuntimeError("disk on fire")])
def test_a_failure_mid_build_keeps_earlier_outputs_and_leaves_no_temp_files(
    sample, monkeypatch, exception
):
    assert sample.build().exit_code == 0
    out = sample.root / "output"
    before = {p.name: sha256_output(p) for p in out.iterdir()}
    sample.write("chapters/intro.md", "---\ntitle: Changed\n---\n\nNew words.\n")
    break_the_epub_writer(monkeypatch, exception)
    # In one process, so the injected error is raised as itself (a worker would report it).
    monkeypatch.setenv("WORKBOOK_JOBS", "1")
    request = Request(sample.root, out, formats=("print", "epub"))
    with pytest.raises(type(exception)):
        # The print PDF is complete, the EPUB is not: neither replaces the earlier file.
        build(request)
    assert {p.name: sha256_output(p) for p in out.iterdir()} == before  # the site too


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_ctrl_c_or_kill_mid_write_leaves_nothing_behind(sample, signal_number):
    """A real process, interrupted while its writer is half-way through a file."""
    out = sample.root / "output"
    out.mkdir()
    (out / "sample-print-letter.pdf").write_bytes(b"the earlier PDF")
    code = f"""
import time
import workbook.writers.pdf

def slow_writer(edition, personal, layouts, temp):
    temp.write_bytes(b"half a PDF")
    print("writing", flush=True)
    time.sleep(60)

workbook.writers.pdf.write = slow_writer
from workbook.cli import main
main(["build", "-p", {str(sample.root)!r}, "-o", {str(out)!r}, "--edition", "print"])
"""
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout.readline() == b"writing\n"  # the temporary file exists now
    assert any(p.name.endswith(".tmp") for p in out.iterdir())
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == ["sample-print-letter.pdf"]
    assert (out / "sample-print-letter.pdf").read_bytes() == b"the earlier PDF"


# --- bounded work ---------------------------------------------------------------------------


def build_command(project, out, *options):
    return [sys.executable, "-m", "workbook", "build", "-p", str(project), "-o", str(out), *options]


def build_in_subprocess(project, timeout=240):
    """A hang guard: the build must end (built or refused) well within `timeout`."""
    command = build_command(project, project / "output", "--edition", "print")
    process = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in process.stderr, process.stderr[-2000:]
    return process


@pytest.mark.parametrize(
    ("css", "outcome"),
    [
        ("body { font-size: 1e9px }", "the pages could not be laid out"),
        ("p { width: 99999999in; margin-left: -1e12px }", "Wrote"),
        ("p { orphans: 100000; widows: 100000 }", "Wrote"),
        ("p { height: 1e7px; break-inside: avoid }", "Wrote"),
        ("body { column-count: 100000 }", "Wrote"),
    ],
    ids=["font-size", "width", "orphans", "taller-than-a-page", "columns"],
)
def test_absurd_css_builds_or_stops_with_a_message(sample, css, outcome):
    sample.write("styles/print.css", css + "\n")
    sample.write("chapters/intro.md", "---\ntitle: T\n---\n\n" + "Hello there.\n\n" * 20)
    process = build_in_subprocess(sample.root)
    assert outcome in process.stdout + process.stderr


def test_pathological_markdown_builds_or_stops(sample):
    body = "[" * 30000 + "x" + "]" * 30000 + "\n\n" + "> " * 30000 + "deep\n\n" + "x" * 200000
    sample.write("chapters/intro.md", "---\ntitle: T\n---\n\n" + body)
    process = build_in_subprocess(sample.root)
    assert process.returncode == 0, process.stderr


# --- reproducible ---------------------------------------------------------------------------


def build_with(sample, out, **env):
    environment = {**os.environ, **env}
    command = build_command(sample.root, out, "-q")
    subprocess.run(command, check=True, env=environment, timeout=300)
    return (out / "sample-print-letter.pdf").read_bytes(), (out / "sample.epub").read_bytes()


def test_same_bytes_in_any_time_zone(sample, tmp_path):
    first = build_with(sample, tmp_path / "a", TZ="Pacific/Kiritimati")
    second = build_with(sample, tmp_path / "b", TZ="America/Adak")
    assert first == second


def test_source_date_epoch_is_honoured_in_both_files(sample, tmp_path):
    pdf, epub = build_with(sample, tmp_path / "a", SOURCE_DATE_EPOCH="1700000000", TZ="Asia/Tokyo")
    reader = PdfReader(tmp_path / "a/sample-print-letter.pdf")
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20231114000000Z"
    opf = zipfile.ZipFile(tmp_path / "a/sample.epub").read("EPUB/content.opf").decode()
    assert '<meta property="dcterms:modified">2023-11-14T00:00:00Z</meta>' in opf
    assert build_with(sample, tmp_path / "b", SOURCE_DATE_EPOCH="1700000000") == (pdf, epub)
    assert build_with(sample, tmp_path / "c", SOURCE_DATE_EPOCH="1800000000") != (pdf, epub)


# --- workbook check --outputs ---------------------------------------------------------------


def test_check_outputs_of_the_default_build(default_build):
    from tests.conftest import ROOT

    result = run("check", "-p", str(ROOT), "--outputs", str(default_build))
    assert result.exit_code == 0, result.output
    assert "alliance-workbook-print-letter.pdf: opens," in result.output
    assert "every part in its bookmarks" in result.output
    assert "alliance-workbook.epub: epubcheck found no errors and no warnings." in result.output
    assert result.output.endswith("No problems found.\n")
