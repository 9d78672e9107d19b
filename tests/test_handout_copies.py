"""Handout copies that can be taken apart: each copy's pages numbered on their own ("Copy 2 of 3
· page 1 of 4"), a notes page where a copy would otherwise end on a sheet's front (so the next
copy starts on a fresh sheet when printed double-sided), a bookmark per copy, and fields whose
tooltips name their copy."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, run
from tests.pdfcompare import structure_problems

pytestmark = pytest.mark.slow

FOLIO = re.compile(r"Copy (\d+) of (\d+) · page (\d+) of (\d+)")
SINGLE = re.compile(r"The Alliance Workbook · page (\d+) of (\d+)")


def handout(out: Path, *args: str) -> Path:
    result = run("handout", *args, "-p", str(ROOT), "-o", str(out), "--no-cache")
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    return pdf


def texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def folios(path: Path) -> list[tuple[int, int, int, int]]:
    """Each page's (copy, copies, page, pages), read from its foot."""
    found = []
    for number, text in enumerate(texts(path), start=1):
        match = FOLIO.search(" ".join(text.split()))
        assert match, f"page {number} does not say which copy it is"
        found.append(tuple(int(g) for g in match.groups()))
    return found  # type: ignore[return-value]


def outline(path: Path) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Top-level bookmarks: title, page (from 1), and their children's titles and pages."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as tree:
            return [
                (
                    item.title,
                    pages[item.destination[0].objgen],
                    [(c.title, pages[c.destination[0].objgen]) for c in item.children],
                )
                for item in tree.root
            ]


def is_notes_page(text: str) -> bool:
    return "Notes" in [line.strip() for line in text.splitlines()[:3]]


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    """The safety plan (three pages on Letter), three copies."""
    return handout(tmp_path_factory.mktemp("three"), "safety-plan", "--copies", "3")


def test_each_copy_is_numbered_on_its_own(three):
    assert folios(three) == [(c, 3, p, 4) for c in (1, 2, 3) for p in (1, 2, 3, 4)]


def test_a_copy_of_three_pages_ends_with_a_notes_page(three):
    pages = texts(three)
    assert [n for n, t in enumerate(pages, start=1) if is_notes_page(t)] == [4, 8, 12]
    assert "Safety and grounding plan" in pages[4].splitlines()[:3]  # copy 2 on a fresh sheet


def test_one_bookmark_per_copy_with_its_worksheet_beneath(three):
    tree = outline(three)
    assert [(title, page) for title, page, _ in tree] == [
        ("Copy 1 of 3", 1),
        ("Copy 2 of 3", 5),
        ("Copy 3 of 3", 9),
    ]
    for _, first, children in tree:
        assert children == [("Safety and grounding plan", first), ("Notes", first + 3)]


def test_a_padded_handout_has_a_whole_structure_tree(three):
    assert structure_problems(three) == []
    with pikepdf.open(three) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked


def test_copies_of_an_even_length_have_no_notes_page(tmp_path):
    """On A5 the checklist (4 pages) and the log (8) make 12 pages a copy: nothing to pad."""
    ids = ("signs-checklist", "rupture-repair-log")
    path = handout(tmp_path, *ids, "--copies", "2", "--paper", "a5")
    titles = [title for _, _, children in outline(path) for title, _ in children]
    assert titles == ["Signs checklist", "Rupture-repair log"] * 2  # no notes page
    assert {pages for _, _, _, pages in folios(path)} == {12}


def test_an_odd_copy_of_several_worksheets_is_padded_after_its_last(tmp_path):
    """On A4 they make 7 pages: the notes page comes after the log, in each copy."""
    ids = ("signs-checklist", "rupture-repair-log")
    path = handout(tmp_path, *ids, "--copies", "2", "--paper", "a4")
    titles = [[title for title, _ in children] for _, _, children in outline(path)]
    assert titles == [["Signs checklist", "Rupture-repair log", "Notes"]] * 2
    assert folios(path)[7:9] == [(1, 2, 8, 8), (2, 2, 1, 8)]


def test_a_single_copy_is_padded_too_and_keeps_the_workbook_name(tmp_path):
    """A therapist who prints a single copy several times from the print dialogue, double-sided,
    gets copies that separate."""
    path = handout(tmp_path, "safety-plan")
    pages = texts(path)
    assert len(pages) == 4 and is_notes_page(pages[3])
    assert [(title, page) for title, page, _ in outline(path)] == [
        ("Safety and grounding plan", 1),
        ("Notes", 4),
    ]
    feet = [SINGLE.search(" ".join(t.split())) for t in pages]
    assert [m.groups() if m else None for m in feet] == [(str(n), "4") for n in range(1, 5)]
    assert not any("Copy 1" in t for t in pages)


@pytest.mark.parametrize(
    "options",
    [
        ("--paper", "a5"),
        ("--paper", "a5", "--large-print"),
        ("--large-print", "--low-ink"),
        ("--paper", "a4", "--fillable"),
    ],
)
def test_every_copy_has_an_even_number_of_pages(tmp_path, options):
    ids = ("session-check-in", "my-goals", "rupture-planner")
    path = handout(tmp_path, *ids, "--copies", "2", *options)
    found = folios(path)
    counts = {copy: pages for copy, _, _, pages in found}
    assert len(found) == sum(counts.values()) and set(counts) == {1, 2}
    assert all(pages % 2 == 0 for pages in counts.values())
    assert [page for copy, _, page, _ in found if copy == 2] == list(range(1, counts[2] + 1))


def test_fillable_notes_are_a_multi_line_field_naming_the_copy(tmp_path):
    path = handout(tmp_path, "safety-plan", "--copies", "2", "--fillable")
    with pikepdf.open(path) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        notes = fields["handout-notes-copy2-1"]
        assert str(notes.TU) == "Notes (copy 2)" and int(notes.Ff) & 4096  # multi-line
        assert str(fields["handout-notes-1"].TU) == "Notes"
        second = [f for name, f in fields.items() if "-copy2-" in name]
        assert second and all(str(f.TU).endswith("(copy 2)") for f in second)


def test_a_project_worksheet_template_without_copy_labels_keeps_the_workbook_name(tmp_path):
    """A therapist's own worksheet.html, made before copies were labelled, still gets a whole
    foot: the workbook's name, not an empty copy name."""
    project = tmp_path / "project"
    assert run("new", str(project), "--from-default").exit_code == 0
    bundled = (ROOT / "templates" / "worksheet.html").read_text(encoding="utf-8")
    older = re.sub(
        r"\{% if (handout_copy is defined|copy_label)[^%]*%\}.*?\{% endif %\}", "", bundled
    )
    assert "data-copy" not in older
    (project / "templates" / "worksheet.html").write_text(older, encoding="utf-8")
    out = tmp_path / "out"
    result = run("handout", "safety-plan", "--copies", "2", "-p", str(project), "-o", str(out))
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.pdf")
    feet = [" ".join(text.split()) for text in texts(path)]
    assert all(SINGLE.search(foot) for foot in feet), feet
    assert not any("· page" in foot and not SINGLE.search(foot) for foot in feet)
