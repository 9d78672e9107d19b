"""Booklet imposition: half-size pages placed two to a sheet side, in saddle-stitch order.

Print the result double-sided (flip on the short edge), fold the stack in half, and the pages
read in order. The structure tree comes along (booklettags.py): a screen reader reads the pages
in order too. The page count is already a multiple of four (the writer pads with notes pages).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pikepdf
from pikepdf import Dictionary, ObjectStreamMode, OutlineItem, Rectangle

from workbook.writers import booklettags
from workbook.writers.finish import viewer_preferences

_POINTS = {"in": 72.0, "mm": 72 / 25.4}


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes for each sheet side, front then back, sheet by sheet."""
    sides = []
    for sheet in range(pages // 4):
        low, high = 2 * sheet, pages - 1 - 2 * sheet
        sides += [(high, low), (low + 1, high - 1)]
    return sides


def impose(source: Path, target: Path, sheet: dict[str, str]) -> None:
    """Write `target`: each side of a landscape `sheet` holds two pages of `source`."""
    width, height = _points(sheet["height"]), _points(sheet["width"])  # landscape
    with pikepdf.open(source) as pages, pikepdf.new() as out:
        for page in pages.pages:  # a landscape page turns to fill a portrait half,
            box = page.mediabox  # its top to the left: the booklet turns clockwise to read it
            if float(box[2] - box[0]) > float(box[3] - box[1]):
                page.rotate(-90, relative=True)
        tagged = "/StructTreeRoot" in pages.Root
        tree_pages = booklettags.detach(pages) if tagged else []
        placed = booklettags.forms(pages, out)
        sides: dict[int, pikepdf.Page] = {}
        for left, right in booklet_order(len(pages.pages)):
            out.add_blank_page(page_size=(width, height))
            side = out.pages[-1]
            _place(side, placed[left], "/Left", Rectangle(0, 0, width / 2, height))
            _place(side, placed[right], "/Right", Rectangle(width / 2, 0, width, height))
            sides.update({left: side, right: side})
        if tagged:
            booklettags.attach(pages, out, tree_pages, placed, sides)
        out.docinfo = cast(Dictionary, out.copy_foreign(pages.docinfo))
        out.Root.Lang = pikepdf.String(str(pages.Root.get("/Lang", "en")))
        if "/Metadata" in pages.Root:  # the title, and the PDF/UA claim the tree still keeps
            out.Root.Metadata = out.copy_foreign(pages.Root.Metadata)
        viewer_preferences(out, booklet=True)
        _outline(pages, out)
        # object streams: the tree's many small objects would double the file without them
        out.save(target, deterministic_id=True, object_stream_mode=ObjectStreamMode.generate)


def _outline(pages: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """The bookmarks again, each pointing to the sheet side that holds its page."""
    side_of: dict[tuple[int, int], int] = {}
    for side, pair in enumerate(booklet_order(len(pages.pages))):
        for index in pair:
            side_of[pages.pages[index].obj.objgen] = side
    with pages.open_outline() as source, out.open_outline() as target:
        target.root.extend(_items(source.root, side_of, out))


def _items(
    items: list[OutlineItem], side_of: dict[tuple[int, int], int], out: pikepdf.Pdf
) -> list[OutlineItem]:
    made = []
    for item in items:
        destination = item.destination
        page = (
            destination[0] if isinstance(destination, pikepdf.Array) and len(destination) else None
        )
        side = side_of.get(page.objgen, 0) if isinstance(page, Dictionary) else 0
        copy = OutlineItem(item.title, side)
        copy.children.extend(_items(item.children, side_of, out))
        made.append(copy)
    return made


def _place(side: pikepdf.Page, form: pikepdf.Object, name: str, box: Rectangle) -> None:
    """Draw a page (`form`) in `box` of `side`, as pikepdf's add_overlay does, but under a
    fixed name: add_overlay names each placed page at random, so two builds would differ."""
    placed = side.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    side.contents_add(b"q\n", prepend=True)
    side.contents_add(b"Q\n", prepend=False)
    side.contents_add(side.calc_form_xobject_placement(form, placed, box, allow_expand=True))
    side.contents_coalesce()


def _points(length: str) -> float:
    for unit, factor in _POINTS.items():
        if length.endswith(unit):
            return float(length.removesuffix(unit)) * factor
    raise ValueError(f"unknown unit in {length!r}")
