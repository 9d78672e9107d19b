"""What a reader and a screen reader get from a PDF, in plain values to compare: the text of each
page, the bookmarks, where links go, the form fields and the metadata; and the problems of its
structure tree (PDF/UA: every marked piece of content in the tree, once, on its page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary
from pypdf import PdfReader


def describe(path: Path) -> dict[str, Any]:
    reader = PdfReader(path)
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        names = _names(pdf, pages)
        return {
            "pages": len(pdf.pages),
            "texts": [page.extract_text() for page in reader.pages],
            "sizes": [tuple(round(float(v), 2) for v in page.mediabox) for page in pdf.pages],
            "outline": _outline(reader, reader.outline),
            "names": names,
            "links": _links(pdf, names),
            "fields": _fields(pdf, pages),
            "info": {str(k): str(v) for k, v in pdf.docinfo.items()},
            "xmp": pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b"",
            "lang": str(pdf.Root.get("/Lang", "")),
        }


def _outline(reader: PdfReader, items: list[Any], depth: int = 0) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            page = reader.get_destination_page_number(item)
            found.append((depth, item.title, page, _round(item.left), _round(item.top)))
    return found


def _round(value: Any) -> float:
    return round(float(value or 0), 1)


def _names(pdf: pikepdf.Pdf, pages: dict[Any, int]) -> dict[str, tuple[Any, ...]]:
    holder = pdf.Root.get("/Names")
    if holder is None or "/Dests" not in holder:
        return {}
    array = holder.Dests.Names
    return {
        str(array[i]): (
            pages[array[i + 1][0].objgen],
            _round(array[i + 1][2]),
            _round(array[i + 1][3]),
        )
        for i in range(0, len(array), 2)
    }


def _links(pdf: pikepdf.Pdf, names: dict[str, Any]) -> list[tuple[Any, ...]]:
    links = []
    for index, page in enumerate(pdf.pages):
        for annotation in page.obj.get("/Annots", []):
            if annotation.Subtype != "/Link":
                continue
            rect = [_round(v) for v in annotation.Rect]
            dest = annotation.get("/Dest")
            target = names.get(str(dest)) if dest is not None else str(annotation.A.URI)
            links.append((index, rect, target))
    return links


def _fields(pdf: pikepdf.Pdf, pages: dict[Any, int]) -> list[tuple[Any, ...]]:
    if "/AcroForm" not in pdf.Root:
        return []
    fields = []
    for field in pdf.Root.AcroForm.Fields:
        widgets = field.get("/Kids", [field])
        places = [(pages[w.P.objgen], [_round(v) for v in w.Rect]) for w in widgets]
        fields.append((str(field.T), str(field.get("/FT", "")), places))
    return fields


def structure_problems(path: Path) -> list[str]:
    """What is wrong with the structure tree: every element reached once with the right
    parent; each page's marked content (MCIDs) mapped, through the parent tree, to an element
    of the tree on that page that holds it; each link and field to the element holding it."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        problems = [] if keys == sorted(set(keys)) else ["parent tree keys out of order"]
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        elements = _walk(root, problems)
        for index, page in enumerate(pdf.pages):
            problems += _page_problems(index, page, tree, elements)
        return problems


def _walk(root: Any, problems: list[str]) -> set[Any]:
    seen: set[Any] = set()
    todo = [(root, None)]
    while todo:
        element, parent = todo.pop()
        if element.objgen in seen:
            problems.append(f"element {element.objgen} reached twice")
            continue
        seen.add(element.objgen)
        if parent is not None and element.P.objgen != parent.objgen:
            problems.append(f"element {element.objgen} names another parent")
        for kid in _kids(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") != "/OBJR":
                todo.append((kid, element))
    return seen


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _page_problems(index: int, page: Any, tree: dict[int, Any], elements: set[Any]) -> list[str]:
    problems = []
    if int(page.obj.get("/StructParents", -1)) != index:
        problems.append(f"page {index + 1}: its StructParents is not its index")
    mapping = tree.get(int(page.obj.get("/StructParents", -1)), Array())
    mcids = [
        int(operands[1].MCID)
        for operands, operator in pikepdf.parse_content_stream(page)
        if str(operator) == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]
    ]
    if sorted(mcids) != list(range(len(mapping))):
        problems.append(f"page {index + 1}: {len(mcids)} marked pieces, {len(mapping)} mapped")
    for mcid in mcids:
        if mcid >= len(mapping):
            continue
        element = mapping[mcid]
        if element.objgen not in elements:
            problems.append(f"page {index + 1}: content {mcid} maps outside the tree")
        elif mcid not in [int(k) for k in _kids(element) if not isinstance(k, Dictionary)]:
            problems.append(f"page {index + 1}: content {mcid} maps to an element without it")
        elif element.Pg.objgen != page.obj.objgen:
            problems.append(f"page {index + 1}: content {mcid} maps to another page's element")
    for annotation in page.obj.get("/Annots", []):
        element = tree.get(int(annotation.get("/StructParent", -1)))
        kids = _kids(element) if element is not None else []
        objects = [k.Obj.objgen for k in kids if isinstance(k, Dictionary) and "/Obj" in k]
        if element is None or element.objgen not in elements or annotation.objgen not in objects:
            problems.append(f"page {index + 1}: a link or field is not in the tree")
    return problems
