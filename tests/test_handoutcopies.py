"""Which parts of a handout make each copy, and which notes pages pad a copy (fast, no layout)."""

from __future__ import annotations

from workbook.writers.handoutcopies import Mark, kept, marks

SHEET = '<section class="worksheet" id="{id}" data-copy="{copy}"><h1>T</h1></section>'
NOTES = '<section class="notes-page" id="n{copy}" data-copy="{copy}" data-pad="notes"></section>'


def test_marks_read_each_parts_first_section():
    bodies = [
        '<p class="handout-client">Prepared for Sam</p>' + SHEET.format(id="a", copy=1),
        NOTES.format(copy=1),
        '<section class="chapter" id="c"><section data-copy="9"></section></section>',
    ]
    assert marks(bodies) == (Mark("1", False, "a"), Mark("1", True, "n1"), Mark("", False, "c"))


def test_a_notes_page_stays_only_after_an_odd_copy():
    copies = [Mark("1"), Mark("1"), Mark("1", pad=True), Mark("2"), Mark("2"), Mark("2", pad=True)]
    assert kept(copies, [3, 3, 1, 2, 2, 1]) == [True, True, False, True, True, False]
    assert kept(copies, [3, 2, 1, 3, 3, 1]) == [True, True, True, True, True, False]
    assert kept(copies, [2, 1, 1, 1, 2, 1]) == [True, True, True, True, True, True]


def test_a_book_without_copies_keeps_every_part():
    assert kept([Mark(), Mark(), Mark()], [5, 1, 2]) == [True, True, True]
