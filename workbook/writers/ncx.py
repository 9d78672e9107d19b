"""The NCX: the EPUB 2 navigation that older readers, Kindle conversions and calibre read.

It is made from the navigation document the templates wrote, so the two always agree: the
contents as nested `navPoint`s (each chapter's sections under it), with the depth in
`dtb:depth`, and the print edition's pages as a `pageList`. Every entry has a `playOrder`:
its place in the reading order, shared by entries that go to the same place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from workbook.render import Document

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
EPUB_TYPE = f"{{{OPS}}}type"


@dataclass(frozen=True)
class Entry:
    label: str
    href: str  # from the EPUB's folder, where the NCX and the navigation document both are
    children: tuple[Entry, ...] = ()


def make_ncx(documents: Sequence[Document], uid: str, title: str, language: str) -> bytes:
    """The NCX for the package's documents (the navigation document among them)."""
    nav = next(d for d in documents if d.kind == "nav")
    root = etree.fromstring(nav.html.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    contents = _entries(_nav_list(root, "toc"))
    pages = _entries(_nav_list(root, "page-list"))
    order = _play_order(documents, [*_walk(contents), *pages])
    ncx = etree.fromstring(f'<ncx xmlns="{NCX}" version="2005-1"/>')  # NCX as the default
    ncx.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    head = etree.SubElement(ncx, f"{{{NCX}}}head")
    numbers = [int(page.label) for page in pages if page.label.isdigit()]
    for name, content in (
        ("dtb:uid", uid),
        ("dtb:depth", str(_depth(contents))),
        ("dtb:totalPageCount", str(len(pages))),
        ("dtb:maxPageNumber", str(max(numbers, default=0))),
    ):
        etree.SubElement(head, f"{{{NCX}}}meta", name=name, content=content)
    _text(etree.SubElement(ncx, f"{{{NCX}}}docTitle"), title)
    nav_map = etree.SubElement(ncx, f"{{{NCX}}}navMap")
    counter = iter(range(1, 100_000))
    for entry in contents:
        _nav_point(nav_map, entry, order, counter)
    if pages:
        page_list = etree.SubElement(ncx, f"{{{NCX}}}pageList")
        _text(etree.SubElement(page_list, f"{{{NCX}}}navLabel"), "Pages of the print edition")
        for index, page in enumerate(pages, start=1):
            target = etree.SubElement(
                page_list,
                f"{{{NCX}}}pageTarget",
                id=f"page-target-{index}",
                type="normal",
                value=page.label if page.label.isdigit() else str(index),
                playOrder=str(order[page.href]),
            )
            _text(etree.SubElement(target, f"{{{NCX}}}navLabel"), page.label)
            etree.SubElement(target, f"{{{NCX}}}content", src=page.href)
    return bytes(etree.tostring(ncx, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _nav_list(root: etree._Element, kind: str) -> etree._Element | None:
    for nav in root.iter(f"{{{XHTML}}}nav"):
        if kind in (nav.get(EPUB_TYPE) or "").split():
            return nav.find(f"{{{XHTML}}}ol")
    return None


def _entries(ol: etree._Element | None) -> tuple[Entry, ...]:
    if ol is None:
        return ()
    found = []
    for item in ol.findall(f"{{{XHTML}}}li"):
        link = item.find(f"{{{XHTML}}}a")
        if link is None:
            continue
        label = " ".join("".join(str(t) for t in link.itertext()).split())
        found.append(Entry(label, link.get("href", ""), _entries(item.find(f"{{{XHTML}}}ol"))))
    return tuple(found)


def _walk(entries: tuple[Entry, ...]) -> list[Entry]:
    return [e for entry in entries for e in (entry, *_walk(entry.children))]


def _depth(entries: tuple[Entry, ...]) -> int:
    return 1 + max((_depth(e.children) for e in entries), default=0) if entries else 0


def _play_order(documents: Sequence[Document], entries: list[Entry]) -> dict[str, int]:
    """Each place's rank in the reading order: by document in the spine, then where its id
    is in that document."""
    spine = {doc.name: index for index, doc in enumerate(documents)}
    html = {doc.name: doc.html for doc in documents}

    def place(href: str) -> tuple[int, int]:
        name, _, fragment = href.partition("#")
        at = html.get(name, "").find(f'id="{fragment}"') if fragment else 0
        return spine.get(name, len(spine)), max(at, 0)

    hrefs = sorted({entry.href for entry in entries}, key=place)
    return {href: rank for rank, href in enumerate(hrefs, start=1)}


def _nav_point(
    parent: etree._Element, entry: Entry, order: dict[str, int], counter: Iterator[int]
) -> None:
    point = etree.SubElement(
        parent,
        f"{{{NCX}}}navPoint",
        id=f"nav-{next(counter)}",
        playOrder=str(order[entry.href]),
    )
    _text(etree.SubElement(point, f"{{{NCX}}}navLabel"), entry.label)
    etree.SubElement(point, f"{{{NCX}}}content", src=entry.href)
    for child in entry.children:
        _nav_point(point, child, order, counter)


def _text(parent: etree._Element, words: str) -> None:
    etree.SubElement(parent, f"{{{NCX}}}text").text = words
