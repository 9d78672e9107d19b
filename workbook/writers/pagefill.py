"""A worksheet's last page filled with notes lines, not left half blank.

Each worksheet in a paged edition ends with a hidden block of notes lines (templates/fields.html,
`page_fill`). Laid out once with all its lines shown (`measuring`), the lines that land on the
page the worksheet's own content ends on are the ones that fit there (`counts`); `filled` keeps
just those for the layout that is kept (in a fillable PDF: one box to type in, as tall as they
are, so both editions keep the same pages). The lines are plain blocks of a set height, so
what follows them (nothing) cannot move what came before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from workbook.render.pieces import split_document
from workbook.writers import openings

MIN_LINES = 2  # notes lines: fewer than this is not worth a heading of its own
_NOTES = re.compile(
    r'(<div class="[^"]*\bpage-fill\b[^"]*" data-fill=")off(" data-fill-name="([^"]*)">.*?)'
    r'(<div class="write-in fill-lines" aria-hidden="true">)'
    r'((?:<div class="rule fill-item"></div>)*)(</div>)',
    re.DOTALL,
)
# A log's extra row or entry, each hidden on its own.
_ITEM = re.compile(
    r'<(tr|section) class="[^"]*\bfill-item\b[^"]*" data-fill="off" data-fill-name="([^"]*)"'
    r".*?</\1>\s*",
    re.DOTALL,
)
_OFF = 'data-fill="off"'


def settle(html: str, forms: bool, pages_of: Callable[[str], list[Any]]) -> tuple[str, list[Any]]:
    """The worksheets' markup as laid out for good: a scale whose section's opening it left
    alone on a page let split (writers/openings.py), the last pages filled; and the page boxes
    of the layout that counted the lines. `pages_of` lays out markup (page boxes)."""
    measured = pages_of(measuring(html))
    if stranded := openings.stranded_scales(measured):
        html = openings.let_split(html, stranded)
        measured = pages_of(measuring(html))
    found = counts(measured)
    if any(found.get(name) == 0 for name in _item_names(html)):
        # A log's next row or entry does not fit: notes lines may, counted without the log's.
        html = _items(html, found)
        measured = pages_of(measuring(html))
        found = counts(measured)
    return filled(html, found, forms), measured


def settle_apart(html: str, forms: bool, pages_of: Callable[[str], list[Any]]) -> str:
    """A whole document's worksheets each settled on its own, as a build lays them out in
    parts (for a tool that lays the whole out at once: the page audit)."""
    pieces = split_document(html)
    if pieces is None:
        return html
    bodies = list(pieces.bodies)
    for k, body in enumerate(bodies):
        if has_fill(body):
            settled, _ = settle(pieces.document(k, k), forms, pages_of)
            body_and_tail = settled.split("<body", 1)[1]
            bodies[k] = body_and_tail.split(">", 1)[1].rsplit("</body>", 1)[0]
    return pieces._replace(bodies=tuple(bodies)).document(0, len(bodies) - 1)


def has_fill(html: str) -> bool:
    return _OFF in html


def measuring(html: str) -> str:
    """Every worksheet's notes lines shown, free to run on over its last page."""
    return html.replace(_OFF, 'data-fill="measure"')


def filled(html: str, counts: dict[str, int], forms: bool) -> str:
    """Each worksheet's notes block with as many lines as fit (hidden if fewer than two), each
    log's extra rows or entries as many as fit (the others left out)."""

    def notes(match: re.Match[str]) -> str:
        lines = counts.get(match.group(3), 0)
        if lines < MIN_LINES:
            return match.group(0)
        if forms:
            name = match.group(3)
            room = (
                f'<textarea class="answer" name="{name}" title="More notes" '
                f'style="--lines: {lines}"></textarea>'
            )
        else:
            room = match.group(4) + '<div class="rule"></div>' * lines + match.group(6)
        return match.group(1) + "on" + match.group(2) + room

    return _items(_NOTES.sub(notes, html), counts)


def _items(html: str, counts: dict[str, int]) -> str:
    """Each log's extra rows or entries, as many as fit; the others left out."""
    kept: dict[str, int] = {}

    def item(match: re.Match[str]) -> str:
        name = match.group(2)
        kept[name] = kept.get(name, 0) + 1
        if kept[name] > counts.get(name, 0):
            return ""
        return match.group(0).replace(_OFF, 'data-fill="on"', 1)

    return _ITEM.sub(item, html)


def _item_names(html: str) -> set[str]:
    return {match.group(2) for match in _ITEM.finditer(html)}


def counts(page_boxes: list[Any]) -> dict[str, int]:
    """For each notes block or log (by its fill name), how many of its lines, rows or entries
    end on the page its worksheet's own content ends on."""
    last_page: dict[int, int] = {}  # worksheet element (id()) -> last page with its content
    sheet_of: dict[str, int] = {}  # fill -> its worksheet
    ends: dict[tuple[str, int], int] = {}  # (fill, item element id()) -> the item's last page
    for index, page in enumerate(page_boxes):
        for box, sheet, fill, item in _walk(page, None, "", None):
            if not fill:
                if not getattr(box, "children", None):  # what shows, not what holds it
                    last_page[id(sheet)] = index
                continue
            sheet_of[fill] = id(sheet)
            if item is not None:
                ends[fill, id(item)] = index
    found: dict[str, int] = {}
    for fill, sheet in sheet_of.items():
        page = last_page.get(sheet)
        found[fill] = sum(1 for (f, _), end in ends.items() if f == fill and end == page)
    return found


def pages_used(page_boxes: list[Any]) -> int:
    """How many pages the worksheets' own content takes (what fills them left out)."""
    used = 0
    for index, page in enumerate(page_boxes):
        for box, _, fill, _ in _walk(page, None, "", None):
            if not fill and not getattr(box, "children", None):
                used = index + 1
                break
    return used


def _walk(box: Any, sheet: Any, fill: str, item: Any) -> Iterator[tuple[Any, Any, str, Any]]:
    """Each laid-out box in a worksheet, with the worksheet's element, the fill it is part of
    ("" if none) and the fill's line, row or entry it is part of (if any)."""
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", "") or ""
    if element is not None and not tag.startswith("@"):
        classes = openings.classes_of(element)
        if "worksheet" in classes:
            sheet = element
        if element.get("data-fill-name") is not None:
            fill = element.get("data-fill-name")
        if fill and "fill-item" in classes:
            item = element
    if getattr(box, "is_header", False):
        return  # a table's header, repeated over the rows that run on: not content
    if sheet is not None and element is not sheet:
        yield box, sheet, fill, item
    for child in getattr(box, "children", ()):
        yield from _walk(child, sheet, fill, item)
