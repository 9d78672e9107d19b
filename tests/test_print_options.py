"""Paper sizes, booklets, large print and low ink, checked on small sample workbooks."""

from __future__ import annotations

import collections
import itertools
import re

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import SampleWorkbook, page_words, render_page
from workbook.writers.booklet import booklet_order

pytestmark = pytest.mark.slow

OUTRO = "---\ntitle: A last word\n---\n\nThank you for reading. Be gentle with yourself.\n"
LOG = """\
title: A small log
instructions: One row for each time.
sections:
  - fields:
      - type: log
        rows: 2
        columns:
          - label: When
          - label: What happened
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> SampleWorkbook:
    sample = SampleWorkbook(tmp_path_factory.mktemp("options") / "sample")
    sample.write("chapters/outro.md", OUTRO)
    sample.write("chapters/log.yaml", LOG)
    sample.config(contents=["intro", "sheet", "log", "outro"])
    return sample


def build(project: SampleWorkbook, *args: str):
    result = project.build("--edition", "print", *args)
    assert result.exit_code == 0, result.output
    name = re.search(r"(sample-print-\S+\.pdf)", result.output).group(1)
    return project.root / "output" / name, result.output


def sizes(pdf) -> set[tuple[int, int]]:
    pages = PdfReader(pdf).pages
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}


def test_booklet_order_for_two_sheets():
    # Sheet 1: 8|1 on the front, 2|7 on the back; sheet 2: 6|3, then 4|5.
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


@pytest.mark.parametrize(("paper", "sheet"), [("a4", (842, 595)), ("letter", (792, 612))])
def test_booklet_pages_are_padded_with_notes_and_imposed_in_order(project, paper, sheet):
    flat, _ = build(project, "--paper", "a5")
    booklet, summary = build(project, "--paper", paper, "--booklet")
    pages = len(PdfReader(flat).pages)
    padded = pages + (-pages % 4)
    assert padded > pages, "the sample should need notes pages"
    assert f"{padded} pages on {padded // 4} sheets" in summary
    assert sizes(booklet) == {sheet}
    assert len(PdfReader(booklet).pages) == padded // 2
    width, height = sheet
    for side, (left, right) in enumerate(booklet_order(padded), start=1):
        for index, x in ((left, 0), (right, width / 2)):
            words = page_words(booklet, side, (x, 0, width / 2, height))
            if index < pages and paper == "a4":  # A5 pages exactly: the same words
                expected = page_words(flat, index + 1)
                assert sorted(words) == sorted(expected), f"side {side}, page {index + 1}"
            elif index < pages:
                assert words[-1] == str(index + 1) or index < 2, f"side {side}"
            else:
                assert words == ["Notes"], f"side {side}: page {index + 1} should be notes"


def word_boxes(pdf, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word poppler finds on a page, with its box (points, from the top left)."""
    import subprocess

    from lxml import etree

    command = ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"]
    xml = etree.fromstring(subprocess.run(command, check=True, capture_output=True).stdout)
    words = xml.iter("{http://www.w3.org/1999/xhtml}word")
    return [(w.text, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for w in words]


@pytest.mark.parametrize(("paper", "sheet"), [("a4", (842, 595)), ("letter", (792, 612))])
def test_a_landscape_log_turns_to_read_clockwise_and_keeps_10_mm_from_the_sheet(
    project, paper, sheet
):
    """The log's landscape page lies on its side with its top to the left (turn the booklet
    clockwise to read it, as a book's broadside table); nothing on any side of a sheet, ink
    or word, comes nearer than 10 mm to the sheet's edge."""
    flat, _ = build(project, "--paper", "a5")
    booklet, _ = build(project, "--paper", paper, "--booklet")
    shapes = [
        (round(float(p.mediabox[2])), round(float(p.mediabox[3]))) for p in PdfReader(flat).pages
    ]
    log = shapes.index((595, 420))  # the one landscape page
    pages = len(shapes) + (-len(shapes) % 4)
    side = next(n for n, pair in enumerate(booklet_order(pages), 1) if log in pair)
    width, height = sheet
    half = (0, width / 2) if booklet_order(pages)[side - 1][0] == log else (width / 2, width)
    turned = {
        word: (x1, top)
        for word, x1, top, x2, bottom in word_boxes(booklet, side)
        if half[0] <= x1 < half[1] and bottom - top > x2 - x1  # runs up or down the sheet
    }
    assert {"small", "log", "When", "happened"} <= set(turned)  # the title, the table's heads
    assert turned["small"][1] > turned["log"][1], "the title should read upwards, not down"
    assert turned["When"][0] > turned["log"][0]  # the table is below the title, to its right
    edge = 10 * 72 / 25.4
    for number in range(1, pages // 2 + 1):
        for word, left, upper, right, lower in word_boxes(booklet, number):
            assert min(left, upper, width - right, height - lower) >= edge, (number, word)
        image = render_page(booklet, number, dpi=50)
        strip, middle = round(10 * 50 / 25.4), image.width // 2
        if number == 1:  # the cover's dark band runs off its edges, by design: not its half
            image = image.crop((0, 0, middle, image.height))
        for box in (
            (0, 0, image.width, strip),
            (0, image.height - strip, image.width, image.height),
            (0, 0, strip, image.height),
            (image.width - strip, 0, image.width, image.height),
        ):
            assert sum(image.crop(box).histogram()[:200]) == 0, f"side {number}: ink at {box}"


def test_a_booklet_is_the_same_bytes_every_time(project, tmp_path):
    """pikepdf names each page it places at random; the booklet must not (it did once)."""
    built = []
    for run_number in (1, 2):
        out = tmp_path / f"run{run_number}"
        result = project.build_to(out, "--edition", "print", "--booklet", "--no-cache")
        assert result.exit_code == 0, result.output
        built.append((out / "sample-print-letter-booklet.pdf").read_bytes())
    assert built[0] == built[1]


def test_a5_paper(project):
    pdf, summary = build(project, "--paper", "a5")
    assert "A5" in summary
    assert sizes(pdf) == {(420, 595), (595, 420)}


def body_size(pdf, page: int) -> float:
    """The font size most characters on a page are set in, in points."""
    counts: collections.Counter[float] = collections.Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            counts[round(abs(size * tm[3] * cm[3]), 1)] += len(text)

    PdfReader(pdf).pages[page - 1].extract_text(visitor_text=visit)
    return counts.most_common(1)[0][0]


def words(pdf) -> set[str]:
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    return set(re.findall(r"[A-Za-z']+", text))


def test_large_print_has_16_pt_body_and_the_same_words(project):
    regular, _ = build(project)
    large, summary = build(project, "--large-print")
    assert "large print" in summary and large.name == "sample-print-letter-large-print.pdf"
    assert body_size(regular, 3) < 16 <= body_size(large, 3)
    assert words(large) == words(regular)


def rule_spacing(pdf, page: int) -> list[int]:
    """Distances in points between the page-wide ruled lines drawn for writing in."""
    image = render_page(pdf, page, dpi=72)
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(height) if sum(pixels[x, y] < 200 for x in range(width)) > width / 2]
    starts = [y for y in rows if y - 1 not in rows]
    return [b - a for a, b in itertools.pairwise(starts)]


def test_large_print_scales_the_write_in_lines(project):
    regular, _ = build(project)
    large, _ = build(project, "--large-print")
    worksheet = 5  # cover, copyright page, contents, chapter, then the worksheet
    assert "WORKSHEET" in PdfReader(regular).pages[worksheet - 1].extract_text()
    assert "WORKSHEET" in PdfReader(large).pages[worksheet - 1].extract_text()
    mm = 72 / 25.4
    assert round(min(rule_spacing(regular, worksheet)) / mm) == 9
    assert round(min(rule_spacing(large, worksheet)) / mm) == 12


def grey_fill(pdf, page: int) -> int:
    """Pixels of light grey fill (like a shaded table heading), not text or white paper."""
    histogram = render_page(pdf, page, dpi=40).histogram()
    return sum(histogram[225:250])


def dark(pdf, page: int) -> int:
    return sum(render_page(pdf, page, dpi=40).histogram()[:100])


def test_low_ink_has_no_filled_areas(project):
    regular, _ = build(project)
    low, summary = build(project, "--low-ink")
    assert "low ink" in summary
    log_page = next(
        n
        for n, p in enumerate(PdfReader(regular).pages, 1)
        if "WORKSHEET\nA small log" in p.extract_text()
    )
    assert grey_fill(low, log_page) < grey_fill(regular, log_page) / 4
    assert dark(low, 1) < dark(regular, 1) / 4  # the cover's wide dark band is a thin line
    assert words(low) == words(regular)


def test_pdfs_print_at_their_own_size_and_a_booklet_duplex_with_bookmarks(project):
    """/PrintScaling /None everywhere; a booklet prints double-sided, flipped on the short
    edge, and keeps its bookmarks, each on the sheet side that holds its page."""
    flat, _ = build(project, "--paper", "a5")
    booklet, _ = build(project, "--paper", "a4", "--booklet")
    with pikepdf.open(flat) as pdf:
        assert pdf.Root.ViewerPreferences.PrintScaling == "/None"
        assert "/Duplex" not in pdf.Root.ViewerPreferences
        with pdf.open_outline() as outline:
            flat_titles = [item.title for item in outline.root]
    with pikepdf.open(booklet) as pdf:
        assert pdf.Root.ViewerPreferences.PrintScaling == "/None"
        assert pdf.Root.ViewerPreferences.Duplex == "/DuplexFlipShortEdge"
        with pdf.open_outline() as outline:
            items = list(outline.root)
            assert [item.title for item in items] == flat_titles and items
            sides = {p.objgen for p in pdf.pages}
            assert all(item.destination[0].objgen in sides for item in items)


def struct_text(pdf) -> list[str]:
    """The structure tree with its text, as poppler reads it, less annotations' references."""
    import subprocess

    command = ["pdfinfo", "-struct-text", str(pdf)]
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [line for line in lines.splitlines() if not re.fullmatch(r"\s*Object \d+ \d+", line)]


def test_a_booklet_is_tagged_and_reads_in_page_order(project):
    """The booklet keeps the flat PDF's structure tree, its content in the page forms drawn
    on the sheets: poppler reads the same elements and words in the same order, the cover's
    title first; title, language and the PDF/UA claim stay."""
    flat, _ = build(project, "--paper", "a5")
    booklet, _ = build(project, "--paper", "a4", "--booklet")  # A5 pages: the same lines
    read = struct_text(booklet)
    assert read == struct_text(flat)
    assert any('"A small log"' in line for line in read)  # the landscape page's title
    with pikepdf.open(booklet) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and meta["dc:title"] == "Sample"
        assert str(pdf.Root.Lang) == "en" and str(pdf.docinfo.Title) == "Sample"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        sides = {side.obj.objgen: side for side in pdf.pages}
        keys = {int(k) for k in pdf.Root.StructTreeRoot.ParentTree.Nums[::2]}
        references = 0
        todo = [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    references += 1  # its content is in a page form drawn on its sheet side
                    forms = sides[kid.Pg.objgen].Resources.XObject
                    assert kid.Stm.objgen in {f.objgen for f in forms.values()}
                    assert int(kid.Stm.StructParents) in keys
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    todo.append(kid)
                else:
                    assert not isinstance(kid, int), "a bare number: content of the sheet side"
        assert references > 50
