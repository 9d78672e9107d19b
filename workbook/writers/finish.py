"""The last touches on a finished PDF, whatever wrote it: printed at its own size, its links
one to a link.

`/PrintScaling /None` asks the print dialogue not to shrink the pages to fit the printer's
margins, so ruled lines keep their spacing and a box its size; a booklet also asks for
double-sided printing flipped on the short edge, the way its sheets fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name


def viewer_preferences(pdf: pikepdf.Pdf, booklet: bool = False) -> None:
    preferences = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        preferences = pdf.Root.ViewerPreferences = Dictionary()
    preferences.PrintScaling = Name("/None")
    preferences.DisplayDocTitle = True
    if booklet:
        preferences.Duplex = Name.DuplexFlipShortEdge


def finish(path: Path, booklet: bool = False) -> None:
    """Set the viewer preferences of the PDF at `path`, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        viewer_preferences(pdf, booklet)
        if not booklet:  # a booklet's sheets are drawings of its pages: no links to tidy
            tidy_links(pdf)
        pdf.save(path, deterministic_id=True)


def tidy_links(pdf: pikepdf.Pdf) -> None:
    """One link annotation per link, in its /Link tag, named by what it leads to.

    WeasyPrint writes a link annotation for each box of a link (a contents entry's title, its
    leader and its page number: four), some tagged as a /Span, each described by the target's
    internal id. The overlapping ones are joined into the first that a /Link tag holds."""
    tree = pdf.Root.get("/StructTreeRoot")
    parents = tree.get("/ParentTree") if isinstance(tree, Dictionary) else None
    nums = parents.get("/Nums") if isinstance(parents, Dictionary) else None
    if not isinstance(parents, Dictionary) or not isinstance(nums, Array):
        return
    owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    titles = _titles(pdf)
    dropped: set[int] = set()
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        keep: list[Any] = []
        groups: dict[str, list[Any]] = {}
        for annot in annots:
            dest = annot.get("/Dest") if annot.get("/Subtype") == Name.Link else None
            if not isinstance(dest, (pikepdf.String, Name)):
                keep.append(annot)
                continue
            groups.setdefault(str(dest), []).append(annot)
        for target, same in groups.items():
            first = next((a for a in same if _tag(owners, a) == "/Link"), same[0])
            first.Rect = _union([a.Rect for a in same])
            title = titles.get(target) or "Go to " + target.replace("-", " ")
            first.Contents = pikepdf.String(title)
            keep.append(first)
            for annot in same:
                if annot is not first and annot.objgen != first.objgen:
                    _unlink(owners, annot)
                    dropped.add(int(annot.get("/StructParent", -1)))
        page.obj.Annots = Array(keep)
    parents.Nums = Array(
        [item for key, value in owners.items() if key not in dropped for item in (key, value)]
    )


def _tag(owners: dict[int, Any], annot: Any) -> str:
    owner = owners.get(int(annot.get("/StructParent", -1)))
    return str(owner.get("/S")) if isinstance(owner, Dictionary) else ""


def _union(rects: list[Any]) -> Array:
    values = [[float(v) for v in rect] for rect in rects]
    xs = [v for rect in values for v in rect[::2]]
    ys = [v for rect in values for v in rect[1::2]]
    return Array([min(xs), min(ys), max(xs), max(ys)])


def _unlink(owners: dict[int, Any], annot: Any) -> None:
    """Take the annotation's object reference out of the tag that holds it."""
    owner = owners.get(int(annot.get("/StructParent", -1)))
    if not isinstance(owner, Dictionary) or "/K" not in owner:
        return
    kids = owner.K if isinstance(owner.K, Array) else Array([owner.K])
    left = [
        kid
        for kid in kids
        if not (
            isinstance(kid, Dictionary)
            and kid.get("/Type") == Name.OBJR
            and kid.get("/Obj") is not None
            and kid.Obj.objgen == annot.objgen
        )
    ]
    owner.K = Array(left)


def _titles(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Each named destination's readable name: the bookmark on its page."""
    by_page: dict[tuple[int, int], str] = {}
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            destination = item.destination
            if isinstance(destination, Array) and len(destination):
                by_page.setdefault(destination[0].objgen, item.title)
            stack[:0] = list(item.children)
    titles = {}
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, Dictionary) else None
    if dests is not None:
        for name, value in pikepdf.NameTree(dests).items():
            array = value.get("/D") if isinstance(value, Dictionary) else value
            if isinstance(array, Array) and len(array) and array[0].objgen in by_page:
                titles[name] = by_page[array[0].objgen]
    return titles
