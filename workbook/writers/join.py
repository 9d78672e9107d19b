"""Parts' PDFs joined into one, as WeasyPrint would have written the whole document: pages in
order with their margins laid over them, one structure tree (PDF/UA-1), links and named
destinations, bookmarks, form fields and the first part's metadata.

Each part's PDF was written by WeasyPrint from its own pages, so its structure tree is complete
for those pages: the join puts each part's top-level structure elements under one Document
element and renumbers the parent tree (a page's key is its page index, a link's or a field's
follows the last page, as WeasyPrint numbers them). The margins (running heads, page numbers)
are drawn as artifacts: they are pagination, not content, and a screen reader skips them.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from workbook.writers.folios import Margins
from workbook.writers.fontmerge import merge
from workbook.writers.partrecords import PartLayout

MARGINS = "/WbMargins"


@dataclass(frozen=True)
class Bookmark:
    label: str
    page: int  # index in the joined document
    x: float
    y: float
    children: tuple[Bookmark, ...]
    state: str


def join(
    parts: Sequence[PartLayout], margins: Margins | None, bookmarks: Sequence[Bookmark]
) -> bytes:
    """The parts' pages as one PDF (bytes): the same bytes for the same parts."""
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        out = pikepdf.new()
        total = sum(len(source.pages) for source in sources)
        tree = _Tree(out, total)
        names: dict[str, Any] = {}
        fields: list[Any] = []
        for part, source in zip(parts, sources, strict=True):
            first = len(out.pages)
            with warnings.catch_warnings():  # the join keeps names and fields itself
                warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
                out.pages.extend(source.pages)
            tree.add(source, first)
            _add_names(out, source, set(part.fakes), names)
            fields += [out.copy_foreign(field) for field in _fields(source)]
        if tree.pages:
            out.Root.StructTreeRoot = tree.finish()
        _catalog(out, sources[0], names)
        if fields:
            _form(out, next(s for s in sources if "/AcroForm" in s.Root), fields)
        if bookmarks:
            _outline(out, bookmarks)
        merge(out, {name: program for part in parts for name, program in reversed(part.fonts)})
        if margins is not None:
            _lay_over(out, margins)
        buffer = io.BytesIO()
        out.save(
            buffer,
            deterministic_id=True,
            min_version="1.7",
            fix_metadata_version=False,  # WeasyPrint's XMP as it wrote it
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()


class _Tree:
    """One structure tree for the joined pages."""

    def __init__(self, out: pikepdf.Pdf, total: int) -> None:
        self.out = out
        self.root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = out.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(), P=self.root)
        )
        self.root.K = Array([self.document])
        self.pages: list[Any] = []  # a page's key is its index
        self.annotations: list[Any] = []  # then links and fields, numbered after the pages
        self.total = total

    def add(self, source: pikepdf.Pdf, first: int) -> None:
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            return
        document = tree.K[0] if isinstance(tree.K, Array) else tree.K
        for kid in document.K:
            copied = self.out.copy_foreign(kid)
            copied.P = self.document
            self.document.K.append(copied)
        count = len(source.pages)
        keys: dict[int, int] = {}
        for key, value in _pairs(tree.ParentTree.Nums):
            if key < count:
                self.pages.append(Array([self.out.copy_foreign(ref) for ref in value]))
            else:
                keys[key] = self.total + len(self.annotations)
                self.annotations.append(self.out.copy_foreign(value))
        for index in range(count):
            page = self.out.pages[first + index].obj
            page.StructParents = first + index
            for annotation in page.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]

    def finish(self) -> Any:
        nums = Array()
        for key, value in enumerate([*self.pages, *self.annotations]):
            nums.append(key)
            nums.append(value)
        self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=nums))
        return self.root


def _pairs(nums: Any) -> Iterator[tuple[int, Any]]:
    for index in range(0, len(nums), 2):
        yield int(nums[index]), nums[index + 1]


def _add_names(
    out: pikepdf.Pdf, source: pikepdf.Pdf, fakes: set[str], names: dict[str, Any]
) -> None:
    """Named destinations (link targets): the first of each name, as WeasyPrint keeps it."""
    holder = source.Root.get("/Names")
    dests = holder.get("/Dests") if holder is not None else None
    if dests is None:
        return
    for name, dest in _pairs_named(dests.Names):
        if name in fakes or name in names:
            continue
        names[name] = Array([out.copy_foreign(dest[0]), *dest[1:]])


def _pairs_named(array: Any) -> Iterator[tuple[str, Any]]:
    for index in range(0, len(array), 2):
        yield str(array[index]), array[index + 1]


def _fields(source: pikepdf.Pdf) -> list[Any]:
    acroform = source.Root.get("/AcroForm")
    return list(acroform.Fields) if acroform is not None else []


def _catalog(out: pikepdf.Pdf, first: pikepdf.Pdf, names: dict[str, Any]) -> None:
    root = out.Root
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in first.Root:
            value = first.Root[key]
            root[key] = out.copy_foreign(value) if value.is_indirect else _copy_direct(out, value)
    if names:
        array = Array()
        for name in sorted(names):
            array.append(String(name))
            array.append(names[name])
        root.Names = Dictionary(Dests=Dictionary(Names=array))
    out.trailer.Info = out.copy_foreign(first.trailer.Info)


def _form(out: pikepdf.Pdf, first: pikepdf.Pdf, fields: list[Any]) -> None:
    """Every part's fields in one form, with the first form's settings."""
    acroform = first.Root.AcroForm
    out.Root.AcroForm = Dictionary(
        Fields=Array(fields),
        DR=out.copy_foreign(acroform.DR),
        NeedAppearances=acroform.get("/NeedAppearances", True),
    )


def _copy_direct(out: pikepdf.Pdf, value: Any) -> Any:
    """A direct dictionary or array from another PDF (its references copied across)."""
    if isinstance(value, Dictionary):
        return Dictionary({k: _copy_value(out, v) for k, v in value.items()})
    if isinstance(value, Array):
        return Array([_copy_value(out, v) for v in value])
    return value


def _copy_value(out: pikepdf.Pdf, value: Any) -> Any:
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    return _copy_direct(out, value)


def _outline(out: pikepdf.Pdf, bookmarks: Sequence[Bookmark]) -> None:
    """Bookmarks as WeasyPrint writes them (pdf/anchors.py add_outlines)."""
    outlines, count = _items(out, bookmarks, None)
    top = out.make_indirect(Dictionary(Count=count, First=outlines[0], Last=outlines[-1]))
    for item in outlines:
        item.Parent = top
    out.Root.Outlines = top


def _items(out: pikepdf.Pdf, bookmarks: Sequence[Bookmark], parent: Any) -> tuple[list[Any], int]:
    count = len(bookmarks)
    items: list[Any] = []
    for bookmark in bookmarks:
        destination = Array([out.pages[bookmark.page].obj, Name.XYZ, bookmark.x, bookmark.y, 0])
        item = out.make_indirect(Dictionary(Title=String(bookmark.label), Dest=destination))
        children, children_count = _items(out, bookmark.children, item)
        item.Count = -children_count if bookmark.state == "closed" else children_count
        if bookmark.state != "closed":
            count += children_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if children:
            item.First, item.Last = children[0], children[-1]
        if parent is not None:
            item.Parent = parent
        items.append(item)
    return items, count


def _lay_over(out: pikepdf.Pdf, margins: Margins) -> None:
    """Each page's margins drawn over it, as an artifact."""
    with pikepdf.open(io.BytesIO(margins.pdf)) as source:
        pairs = zip(out.pages, source.pages, margins.drawn, strict=True)
        for index, (page, margin, drawn) in enumerate(pairs):
            if not drawn:
                continue
            form = out.copy_foreign(margin.as_form_xobject())
            name = Name(f"{MARGINS}{index + 1}")
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = Dictionary()
            resources.XObject[name] = form
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"Q\n/Artifact BMC\nq " + bytes(name.unparse()) + b" Do Q\nEMC\n")
