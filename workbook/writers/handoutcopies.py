"""A handout's copies: which parts of the document make each copy (its pages are numbered on
their own, "page 1 of 4"), and the notes page after each copy, kept only when the copy would
otherwise have an odd number of pages: then every copy starts on a fresh sheet when the
handout is printed double-sided, and the copies can be taken apart.

The template (handout.html) marks each top-level section with its copy (`data-copy="2"`) and
the notes pages with `data-pad`. How many pages a copy takes is only known once it is laid out:
laid out in parts (writers/apart.py), the parts' page counts say it; laid out whole, the copies
are laid out once without their notes pages, then again with those they need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from workbook.render.documents import Document
from workbook.render.pieces import Pieces, split_document
from workbook.writers import pagefill

_FIRST_TAG = re.compile(r"<section\b[^>]*>", re.IGNORECASE)
_COPY = re.compile(r'\sdata-copy="([^"]*)"')
_PAD = re.compile(r"\sdata-pad\b")
_ID = re.compile(r'\sid="([^"]*)"')


@dataclass(frozen=True)
class Mark:
    """What a part is in a handout: the copy it belongs to ("" outside any), whether it is a
    notes page that pads its copy, and its id (where it begins)."""

    copy: str = ""
    pad: bool = False
    id: str = ""


def marks(bodies: Sequence[str]) -> tuple[Mark, ...]:
    """Each part's mark, read from its first section's tag."""
    found = []
    for body in bodies:
        tag = _FIRST_TAG.search(body)
        text = tag.group(0) if tag else ""
        copy, ident = _COPY.search(text), _ID.search(text)
        found.append(
            Mark(
                copy.group(1) if copy else "",
                _PAD.search(text) is not None,
                ident.group(1) if ident else "",
            )
        )
    return tuple(found)


def kept(marks: Sequence[Mark], pages: Sequence[int]) -> list[bool]:
    """Which parts stay: all but the notes pages of copies that have an even number of pages
    without them. `pages`: each part's page count (a notes page's is one)."""
    keep: list[bool] = []
    copy, count = None, 0
    for mark, number in zip(marks, pages, strict=True):
        if mark.copy != copy:
            copy, count = mark.copy, 0
        stays = not mark.pad or count % 2 == 1
        keep.append(stays)
        count += number if stays else 0
    return keep


def lay_out_whole(maker: Any, document: Document, forms: bool) -> Any:
    """The document laid out by WeasyPrint in one go, each copy padded to an even number of
    pages: laid out first without the notes pages, to count each copy's pages."""
    pieces = split_document(document.html)
    found = marks(pieces.bodies) if pieces else ()
    if pieces is None or not any(mark.pad for mark in found):
        return maker.lay_out(document, forms)
    solid = [k for k, mark in enumerate(found) if not mark.pad]
    layout = maker.lay_out(_only(document, pieces, solid), forms)
    counts = _page_counts(layout, [found[k].id for k in solid])
    if counts is None:  # a part with no id: its pages cannot be told apart
        return layout
    pages = [1] * len(found)
    for k, count in zip(solid, counts, strict=True):
        pages[k] = count
    keep = kept(found, pages)
    if keep == [not mark.pad for mark in found]:
        return layout
    return maker.lay_out(
        _only(document, pieces, [k for k, stays in enumerate(keep) if stays]), forms
    )


def _only(document: Document, pieces: Pieces, chosen: Sequence[int]) -> Document:
    return replace(document, html=pieces.select(chosen))


def _page_counts(layout: Any, ids: Sequence[str]) -> list[int] | None:
    """How many pages each part takes, from the page its id is on to the next one's."""
    where: dict[str, int] = {}
    for number, page in enumerate(layout.pages):
        for name in page.anchors:
            where.setdefault(name, number)
    if not all(ident in where for ident in ids):
        return None
    firsts = [where[ident] for ident in ids]
    return [
        end - start for start, end in zip(firsts, [*firsts[1:], len(layout.pages)], strict=True)
    ]


def filled_whole(maker: Any, document: Any, forms: bool) -> Any:
    """The document laid out at once, its worksheets first settled each on its own as the parts
    are (last pages filled, openings kept with their scales: writers/pagefill.py), so a book
    laid out whole has the pages of one laid out in parts (the build's fallback, the page
    audit). Its worksheets are laid out once more (twice if a scale must split)."""
    if not pagefill.has_fill(document.html):
        return lay_out_whole(maker, document, forms)

    def pages_of(html: str) -> list[Any]:
        return [page._page_box for page in maker.lay_out(replace(document, html=html), forms).pages]

    settled = pagefill.settle_apart(document.html, forms, pages_of)
    return lay_out_whole(maker, replace(document, html=settled), forms)
