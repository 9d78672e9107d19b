"""The print PDF, checked as a reader would: its text, contents, outline, size, metadata."""

from __future__ import annotations

import re
import tomllib

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, run
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow
PERMISSION = tomllib.loads((ROOT / "workbook.toml").read_text(encoding="utf-8"))["permission"]
WORKSHEETS = {part.title for part in load_book(ROOT).worksheets}


@pytest.fixture(scope="session")
def reader(default_pdf) -> PdfReader:
    return PdfReader(default_pdf)


@pytest.fixture(scope="session")
def page_texts(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="session")
def titles() -> list[str]:
    return [part.title for part in load_book(ROOT).parts]


def test_every_chapter_and_worksheet_title_is_in_the_text(page_texts, titles):
    text = "\n".join(page_texts)
    for title in titles:
        assert title in text


def contents_entries(toc: str) -> dict[str, int]:
    entries = {}
    for line in toc.splitlines()[1:]:
        match = re.match(r"^(.*?)(?: \(worksheet\))?[ .]+(\d+)$", line.strip())
        if match:
            entries[match.group(1).strip()] = int(match.group(2))
    return entries


def starts_with_title(text: str, title: str) -> bool:
    return text.lstrip().removeprefix("WORKSHEET\n").startswith(title)


def test_the_copyright_page_follows_the_cover(page_texts):
    text = page_texts[1]
    assert text.startswith("About this edition")
    assert "This edition: 26 November 2026." in text
    assert "CC BY-NC-SA 4.0" in text and "Copying the worksheets." in text


def test_contents_page_numbers_are_the_pages_the_titles_are_on(page_texts, titles):
    assert page_texts[2].startswith("Contents")
    entries = contents_entries(page_texts[2])
    assert list(entries) == titles
    for title, page in entries.items():
        assert starts_with_title(page_texts[page - 1], title), f"{title}: contents says page {page}"


def test_pages_are_numbered_and_headed_with_their_part(page_texts, titles):
    entries = contents_entries(page_texts[2])
    current = None
    for number, text in enumerate(page_texts[3:], start=4):
        current = next((t for t, p in entries.items() if p == number), current)
        if current in WORKSHEETS:  # its foot: the permission to copy, then the page number
            assert PERMISSION in " ".join(text.split()), f"page {number}"
        else:
            assert "copy this worksheet" not in text, f"page {number}"
        text = re.sub(r"\s+".join(map(re.escape, PERMISSION.split())), "", text)
        head, foot = [line.strip() for line in text.splitlines() if line.strip()][-2:]
        assert (head, foot) == (current, str(number))


def test_outline_lists_every_part_in_order(reader, titles):
    # Each part is a top-level bookmark; its sections (h2) are nested under it.
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Contents", *titles]


def test_worksheets_start_on_a_fresh_page(page_texts):
    for part in load_book(ROOT).worksheets:
        assert any(text.startswith(f"WORKSHEET\n{part.title}\n") for text in page_texts), part.title


def test_letter_size_by_default(reader):
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a4_with_paper_option(tmp_path):
    result = run(
        "build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "print", "--paper", "a4", "-q"
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    pdf = PdfReader(tmp_path / "alliance-workbook-print-a4.pdf")
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    # Portrait A4: the default workbook's logs go down upright pages.
    assert sizes == {(595, 842)}


def test_metadata_has_title_author_and_language(reader, default_config):
    assert reader.metadata.title == default_config["title"]
    assert reader.metadata.author == default_config["author"]
    assert str(reader.trailer["/Root"]["/Lang"]) == "en"


def test_fonts_are_the_bundled_hyperlegible(reader):
    fonts = set()
    for page in reader.pages[:4]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Atkinson" in name for name in fonts)
