"""Editions laid out part by part and joined (writers/apart.py) are the editions WeasyPrint lays
out whole: the same pages, text, bookmarks, links, fields and metadata, with a valid structure
tree; the same bytes from run to run, from the cache or not; and after an edit only the parts
that changed, or read what moved, are laid out again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SampleWorkbook, run
from tests.pdfcompare import describe, structure_problems
from workbook.writers import apart, partlayout

pytestmark = pytest.mark.slow

LONG = "\n\n".join(
    f"## Part {n}\n\n" + " ".join(["Some words to read, slowly and kindly."] * 40)
    for n in range(1, 5)
)
FEATURES = """\
/* What a project's stylesheet may use: running heads set by headings (from the start of the
   page), page x of y, named pages, counters kept by @page rules, a cross-reference to another
   part's page, widows and orphans, and page breaks. */
@page { @top-left { content: string(section, start); } }
@page { @bottom-right { content: "page " counter(page) " of " counter(pages); } }
@page wide { size: 11in 8.5in; counter-increment: page 2; }
.worksheet { page: wide; }
.chapter h2 { string-set: section content(); }
.chapter h2:nth-of-type(3) { break-before: page; }
.chapter p { widows: 4; orphans: 4; }
.chapter a[href^="#"]::after { content: " (page " target-counter(attr(href), page) ")"; }
"""


class Layouts:
    """Which parts were laid out, edition by edition."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, int]] = []

    def __call__(self, edition: object, part: int) -> None:
        self.parts.append((getattr(edition, "format", "?"), part))


@pytest.fixture
def counted(monkeypatch, tmp_path) -> Layouts:
    """Counts the parts laid out; the test has a cache folder of its own."""
    layouts = Layouts()
    monkeypatch.setattr(apart, "laid_out_hook", layouts)
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    return layouts


def build(out: Path, *args: str, whole: bool = False) -> str:
    """A build in `out`, laid out in parts or (`whole`) by WeasyPrint in one go."""
    with pytest.MonkeyPatch.context() as patch:
        if whole:
            patch.setattr(apart, "SUPPORTED", False)
        result = run(*args, "-o", str(out), "--no-cache")
    assert result.exit_code == 0, result.output
    return result.output


FOLIO = re.compile(r"page \d+ of \d+")


def assert_same(joined: Path, whole: Path, folios: bool = True) -> None:
    """The same PDF but for its bytes (and, with `folios` False, its "page x of y")."""
    a, b = describe(joined), describe(whole)
    assert a["pages"] == b["pages"]
    for number, (mine, theirs) in enumerate(zip(a["texts"], b["texts"], strict=True), start=1):
        if not folios:
            mine, theirs = FOLIO.sub("page x of y", mine), FOLIO.sub("page x of y", theirs)
        assert mine == theirs, f"page {number}"
    for key in ("sizes", "outline", "names", "links", "fields", "info", "xmp", "lang"):
        assert a[key] == b[key], key


def pdfs(folder: Path) -> Iterator[Path]:
    return iter(sorted(folder.glob("*.pdf")))


@pytest.fixture(scope="module")
def default_both(tmp_path_factory) -> tuple[Path, Path, list[tuple[str, int]]]:
    """The default workbook's print and fillable editions, in parts and whole."""
    out = tmp_path_factory.mktemp("apart-default")
    layouts = Layouts()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(apart, "laid_out_hook", layouts)
        build(
            out / "parts", "build", "-p", str(ROOT), "--edition", "print", "--edition", "fillable"
        )
    build(
        out / "whole",
        "build",
        "-p",
        str(ROOT),
        "--edition",
        "print",
        "--edition",
        "fillable",
        whole=True,
    )
    return out / "parts", out / "whole", layouts.parts


@pytest.mark.parametrize("edition", ["print", "fillable"])
def test_joined_default_editions_equal_the_whole(default_both, edition):
    parts, whole, laid_out = default_both
    name = f"alliance-workbook-{edition}-letter.pdf"
    assert_same(parts / name, whole / name)
    assert len({part for kind, part in laid_out if kind == edition}) > 10  # really in parts


@pytest.mark.parametrize("edition", ["print", "fillable"])
def test_each_font_is_embedded_once_for_every_part(default_both, edition):
    import pikepdf

    parts, whole, _ = default_both
    name = f"alliance-workbook-{edition}-letter.pdf"
    with pikepdf.open(parts / name) as pdf:
        fonts = {f.objgen: str(f.BaseFont) for p in pdf.pages for f in p.Resources.Font.values()}
    assert len(fonts) == len(set(fonts.values())) == 3  # regular, bold, italic
    assert (parts / name).stat().st_size < 1.25 * (whole / name).stat().st_size


@pytest.mark.parametrize("edition", ["print", "fillable"])
def test_joined_structure_tree_is_whole_and_consistent(default_both, edition):
    parts, _, _ = default_both
    assert structure_problems(parts / f"alliance-workbook-{edition}-letter.pdf") == []


def test_joined_handout_with_copies_equals_the_whole(tmp_path):
    args = ["handout", "rupture-repair-log", "signs-checklist", "--copies", "2", "--fillable"]
    build(tmp_path / "parts", *args, "-p", str(ROOT), "--paper", "a4")
    build(tmp_path / "whole", *args, "-p", str(ROOT), "--paper", "a4", whole=True)
    (joined,), (whole,) = pdfs(tmp_path / "parts"), pdfs(tmp_path / "whole")
    # Padded alike (each copy 7 pages and a notes page), bookmarked alike; only laid out in
    # parts are the copies numbered on their own: laid out whole, WeasyPrint counts the pages
    # of the whole document (a page counter cannot start again at an element).
    assert_same(joined, whole, folios=False)
    assert describe(joined)["pages"] == 16
    feet = [FOLIO.findall(text)[-1] for text in describe(joined)["texts"]]
    assert feet == [f"page {n} of 8" for n in range(1, 9)] * 2
    feet = [FOLIO.findall(text)[-1] for text in describe(whole)["texts"]]
    assert feet == [f"page {n} of 16" for n in range(1, 17)]
    assert structure_problems(joined) == []


@pytest.fixture
def long_sample(sample) -> SampleWorkbook:
    """A sample workbook with a chapter of several pages, a worksheet and a last chapter."""
    sample.write("chapters/long.md", f"---\ntitle: A long chapter\n---\n\n{LONG}\n")
    sample.write("chapters/outro.md", "---\ntitle: A last word\n---\n\nThank you for reading.\n")
    sample.config(contents=["intro", "long", "sheet", "outro"])
    return sample


def test_joined_booklet_equals_the_whole(long_sample, tmp_path):
    args = ["build", "-p", str(long_sample.root), "--edition", "print", "--booklet"]
    build(tmp_path / "parts", *args)
    build(tmp_path / "whole", *args, whole=True)
    (joined,), (whole,) = pdfs(tmp_path / "parts"), pdfs(tmp_path / "whole")
    a, b = describe(joined), describe(whole)
    assert (a["pages"], a["texts"], a["sizes"]) == (b["pages"], b["texts"], b["sizes"])


def test_joined_client_copy_equals_the_whole(long_sample, tmp_path):
    args = ["build", "-p", str(long_sample.root), "--edition", "print", "--client", "Sam Lee"]
    build(tmp_path / "parts", *args)
    build(tmp_path / "whole", *args, whole=True)
    (joined,), (whole,) = pdfs(tmp_path / "parts"), pdfs(tmp_path / "whole")
    assert_same(joined, whole)
    assert "Sam Lee" in describe(joined)["texts"][0]


def test_any_stylesheet_the_project_may_use(long_sample, tmp_path, counted):
    """Running heads, page x of y, named pages, @page counters, cross-references to another
    part's page, widows and orphans, page breaks: the same as laid out whole."""
    text = (long_sample.root / "chapters" / "intro.md").read_text(encoding="utf-8")
    long_sample.write("chapters/intro.md", text + "\nSee [the worksheet](#sheet) now.\n")
    long_sample.write("styles/custom.css", FEATURES)
    args = ["build", "-p", str(long_sample.root), "--edition", "print", "--edition", "fillable"]
    build(tmp_path / "parts", *args)
    assert counted.parts  # laid out in parts
    build(tmp_path / "whole", *args, whole=True)
    for joined, whole in zip(pdfs(tmp_path / "parts"), pdfs(tmp_path / "whole"), strict=True):
        assert_same(joined, whole)
        texts = describe(joined)["texts"]
        assert f"page 2 of {len(texts)}" in texts[1]
        contents = texts[2]  # after the cover and the copyright page
        worksheet = re.search(r"^A small worksheet.*?(\d+)$", contents, re.MULTILINE).group(1)
        assert f"(page {worksheet})" in texts[3]  # the chapter's cross-reference to it
        assert any(text.count("Part 3") == 2 for text in texts)  # heading and running head


@pytest.mark.parametrize(
    ("css", "laid_out_in_parts"),
    [
        ("@page :first { margin-top: 40mm; }", False),  # only the book's first page
        (".chapter, .worksheet { break-before: auto; }", True),  # parts flow on: then whole
        ("body { padding-top: 10mm; }", True),  # space once, above the first part
    ],
)
def test_what_cannot_be_laid_out_in_parts_is_laid_out_whole(
    long_sample, tmp_path, counted, css, laid_out_in_parts
):
    long_sample.write("styles/custom.css", css)
    args = ["build", "-p", str(long_sample.root), "--edition", "print"]
    build(tmp_path / "parts", *args)
    assert bool(counted.parts) == laid_out_in_parts
    build(tmp_path / "whole", *args, whole=True)
    (joined,), (whole,) = pdfs(tmp_path / "parts"), pdfs(tmp_path / "whole")
    assert joined.read_bytes() == whole.read_bytes()


def test_parts_that_flow_on_are_laid_out_whole_from_the_cache_too(long_sample, tmp_path, counted):
    long_sample.write("styles/custom.css", ".chapter, .worksheet { break-before: auto; }")
    args = ["build", "-p", str(long_sample.root), "--edition", "print"]
    build(tmp_path / "whole", *args, whole=True)
    for again in ("first", "second"):  # the second from the cache
        result = long_sample.build_to(tmp_path / again, "--edition", "print")
        assert result.exit_code == 0, result.output
        expected = (tmp_path / "whole" / "sample-print-letter.pdf").read_bytes()
        assert (tmp_path / again / "sample-print-letter.pdf").read_bytes() == expected


def cached_build(sample: SampleWorkbook, *args: str) -> None:
    result = sample.build("--edition", "print", *args)
    assert result.exit_code == 0, result.output


def test_an_edit_lays_out_only_that_part_and_what_its_pages_move(long_sample, counted):
    cached_build(long_sample)
    assert counted.parts[-1] == ("print", 2)  # the contents, once the others' pages are known
    assert sorted(counted.parts) == [("print", k) for k in range(7)]
    counted.parts.clear()
    text = (long_sample.root / "chapters" / "long.md").read_text(encoding="utf-8")
    long_sample.write("chapters/long.md", text.replace("slowly and kindly", "gently and kindly", 1))
    cached_build(long_sample)
    assert counted.parts == [("print", 4)]  # the others (cover, copyright, contents): cached
    counted.parts.clear()
    long_sample.write("chapters/long.md", text + "\n\n" + LONG)  # pages more
    cached_build(long_sample)
    # And the contents' numbers; the parts after it too if they now begin on the other side
    # (left and right pages have their own margins), never one before it.
    assert {("print", 2), ("print", 4)} <= set(counted.parts)
    assert all(part in (2, 4, 5, 6) for _, part in counted.parts)
    pdf = describe(long_sample.root / "output" / "sample-print-letter.pdf")
    contents = pdf["texts"][2]
    assert "A small worksheet" in contents and f"{pdf['pages'] - 1}" in contents


def test_parts_from_the_cache_give_the_same_bytes(long_sample, tmp_path, counted):
    cached_build(long_sample)
    fresh = (long_sample.root / "output" / "sample-print-letter.pdf").read_bytes()
    counted.parts.clear()
    result = long_sample.build_to(tmp_path / "again", "--edition", "print")  # another folder
    assert result.exit_code == 0, result.output
    assert counted.parts == []  # every part from the cache
    assert (tmp_path / "again" / "sample-print-letter.pdf").read_bytes() == fresh
    build(tmp_path / "nocache", "build", "-p", str(long_sample.root), "--edition", "print")
    assert (tmp_path / "nocache" / "sample-print-letter.pdf").read_bytes() == fresh


def test_a_damaged_part_in_the_cache_is_laid_out_again(long_sample, tmp_path, counted):
    cached_build(long_sample)
    fresh = (long_sample.root / "output" / "sample-print-letter.pdf").read_bytes()
    parts = sorted((tmp_path / "cache").glob("parts/*/*.part"))
    assert len(parts) == 7  # the cover, the copyright page, the contents, four parts
    for number, part in enumerate(parts):
        data = part.read_bytes()
        part.write_bytes(data[: len(data) // 2] if number % 2 else data.replace(b"%PDF", b"%PDX"))
    counted.parts.clear()
    result = long_sample.build_to(tmp_path / "again", "--edition", "print")
    assert result.exit_code == 0, result.output
    assert counted.parts  # laid out again, not read
    assert (tmp_path / "again" / "sample-print-letter.pdf").read_bytes() == fresh


def test_a_part_whose_page_numbers_are_known_makes_each_page_once(
    long_sample, tmp_path, monkeypatch
):
    """The contents shows the other parts' page numbers, known by the time it is laid out:
    WeasyPrint would make its page again to work them out, though they come out the same."""
    import weasyprint.layout.page as weasy_pages

    made: list[int] = []
    parts: list[int] = []
    laid: list[tuple[int, int, bool]] = []  # pages made, pages, a PDF written
    remake, lay_out_part = weasy_pages.remake_page, apart.lay_out_part
    lay_out = partlayout._lay_out

    def counting_remake(*args):
        made.append(1)
        return remake(*args)

    def counting_part(*args):
        parts.append(1)
        return lay_out_part(*args)

    def counting_lay_out(*args):
        # The final layout of a part (a worksheet is first laid out once only to measure the
        # room on its last page, writers/pagefill.py: that one is not counted).
        made.clear()
        part = lay_out(*args)
        laid.append((len(made), len(part.pages), bool(part.pdf)))
        return part

    monkeypatch.setattr(weasy_pages, "remake_page", counting_remake)
    monkeypatch.setattr(apart, "lay_out_part", counting_part)
    monkeypatch.setattr(partlayout, "_lay_out", counting_lay_out)
    monkeypatch.setenv("WORKBOOK_JOBS", "1")  # laid out in this process, where it is counted
    build(tmp_path / "out", "build", "-p", str(long_sample.root), "--edition", "print")
    assert len(parts) == 7  # the contents once, after the others
    assert all(pages_made == pages and written for pages_made, pages, written in laid), laid


def test_a_padded_handout_from_the_cache_gives_the_same_bytes(tmp_path, counted):
    """Three copies of the safety plan (three pages, and a notes page each): its parts are
    kept, and laid out from the cache or not, the bytes are the same."""
    args = ["handout", "safety-plan", "--copies", "3", "-p", str(ROOT)]
    result = run(*args, "-o", str(tmp_path / "first"))
    assert result.exit_code == 0, result.output
    assert len({part for _, part in counted.parts}) == 6  # three worksheets, three notes pages
    (fresh,) = pdfs(tmp_path / "first")
    counted.parts.clear()
    result = run(*args, "-o", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    assert counted.parts == []
    build(tmp_path / "nocache", *args)
    for folder in ("again", "nocache"):
        (made,) = pdfs(tmp_path / folder)
        assert made.read_bytes() == fresh.read_bytes(), folder
