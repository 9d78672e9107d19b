"""A booklet keeps the structure tree of the pages it imposes, so it reads in page order.

Each page is drawn on its sheet side as a form XObject, and the marked content the tree points
to moves into that form with it. PDF allows this (ISO 32000-1, 14.7.4.3): a form painted once
carries `/StructParents`, and each piece of its content is named by a marked-content
reference (`/MCR`) with the form as `/Stm` and the sheet side as `/Pg`. The tree itself keeps
its order, which is the pages' order, not the sheets'. Link annotations are not imposed (a
sheet side is a drawing of its pages), so their object references leave the tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pikepdf
from pikepdf import Array, Dictionary, Name


def _walk(node: Dictionary, visit: Callable[[Dictionary], None]) -> None:
    """Every element and marked-content reference under `node`, depth first, in tree order."""
    kids = node.get("/K")
    for kid in list(kids) if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and kid.get("/Type") != Name.OBJR:
            visit(kid)
            if "/S" in kid:
                _walk(kid, visit)


def _drop_annotations(node: Dictionary) -> None:
    kids = node.get("/K")
    if kids is None:
        return
    listed = list(kids) if isinstance(kids, Array) else [kids]
    kept = [k for k in listed if not (isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR)]
    if len(kept) != len(listed):
        node.K = Array(kept)
    for kid in kept:
        if isinstance(kid, Dictionary) and "/S" in kid:
            _drop_annotations(kid)


def detach(pdf: pikepdf.Pdf) -> list[int | None]:
    """Loosen the tree of `pdf` (in memory) from its pages, so it copies without them: each
    element's page, in tree order, as an index (None where it has none)."""
    tree = cast(Dictionary, pdf.Root.StructTreeRoot)
    index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    pages: list[int | None] = []

    def note(item: Dictionary) -> None:
        page = item.get("/Pg")
        pages.append(index.get(page.objgen) if isinstance(page, Dictionary) else None)
        if "/Pg" in item:
            del item["/Pg"]

    _drop_annotations(tree)
    _walk(tree, note)
    keys = {int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj}
    nums = tree.ParentTree.Nums
    tree.ParentTree.Nums = Array(
        [
            item
            for i in range(0, len(nums) - 1, 2)
            if int(nums[i]) in keys
            for item in nums[i : i + 2]
        ]
    )
    return pages


def forms(pdf: pikepdf.Pdf, out: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Each page of `pdf` as a form XObject in `out`, with the page's key in the parent tree."""
    made = []
    for page in pdf.pages:
        form = page.as_form_xobject()
        if "/StructParents" in page.obj:
            form.StructParents = page.obj.StructParents
        made.append(out.copy_foreign(form))
    return made


def attach(
    pdf: pikepdf.Pdf,
    out: pikepdf.Pdf,
    pages: list[int | None],
    placed: list[pikepdf.Object],
    sides: dict[int, pikepdf.Page],
) -> None:
    """Copy the detached tree of `pdf` into `out`: each element on the sheet side that holds
    its page (`sides`), its content in that page's form (`placed`)."""
    tree = cast(Dictionary, out.copy_foreign(pdf.Root.StructTreeRoot))
    order = iter(pages)
    elements: list[tuple[Dictionary, int]] = []

    def place(item: Dictionary) -> None:
        number = next(order)
        if number is None:
            return
        item.Pg = sides[number].obj
        if item.get("/Type") == Name.MCR:
            item.Stm = placed[number]
        else:
            elements.append((item, number))

    _walk(tree, place)
    for element, number in elements:  # a bare number names content on the page: now the form
        kids = element.get("/K")
        listed = list(kids) if isinstance(kids, Array) else [kids]
        if any(isinstance(kid, int) for kid in listed):
            element.K = Array(
                [
                    Dictionary(Type=Name.MCR, MCID=kid, Pg=sides[number].obj, Stm=placed[number])
                    if isinstance(kid, int)
                    else kid
                    for kid in listed
                ]
            )
    out.Root.StructTreeRoot = tree
    out.Root.MarkInfo = Dictionary(Marked=True)
