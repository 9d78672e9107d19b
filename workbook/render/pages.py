"""Print page numbers for the EPUB, taken from the print edition's real layout.

The templates mark the places a page can start from with a key that is the same in every
edition: `data-at` on structural elements (a part, a worksheet section or field), and
`data-text-at` on chapter blocks whose text is the same on paper and on a screen. From the laid
out print edition, `find_page_starts` notes where each page begins: the key of the element the
page starts in, and how many characters of that element sit on earlier pages. `mark_page_breaks`
puts a page-break marker at that same place in an EPUB document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

KEY = "data-at"
TEXT_KEY = "data-text-at"
AFTER = -1  # offset: the page starts after this element (its start was on an earlier page)
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True)
class PageStart:
    """Print page `number` starts in the element keyed `key`, after `offset` of its
    non-space characters (0: at its start; AFTER: right after it)."""

    number: int
    key: str
    offset: int = 0


@dataclass(frozen=True)
class PageMap:
    """Where each page of a print edition starts, and which edition that is."""

    starts: tuple[PageStart, ...]
    source: str  # e.g. "the print edition, US Letter"


# ---- the print side: a WeasyPrint document's pages ---------------------------------------


def find_page_starts(pages: list[Any]) -> tuple[PageStart, ...]:
    """One PageStart per laid-out page (WeasyPrint `Document.pages`), in page order."""
    return number_page_starts(page_openings(pages))


def page_openings(pages: list[Any]) -> list[PageStart | None]:
    """Where each laid-out page begins, numbered from 1; None for a page with nothing on it."""
    seen: set[int] = set()  # elements that began on an earlier page
    chars: dict[int, int] = {}  # non-space characters of text blocks laid out so far
    # WeasyPrint keeps a page's laid-out boxes in `_page_box`; each box knows its element.
    return [
        _page_start(number, page._page_box, seen, chars)
        for number, page in enumerate(pages, start=1)
    ]


def number_page_starts(
    openings: list[PageStart | None], first: int = 1, before: str = ""
) -> tuple[PageStart, ...]:
    """Page starts numbered from `first`; an empty page goes on from the page before it
    (`before`: the key the page before the first ends in)."""
    starts: list[PageStart] = []
    for number, opening in enumerate(openings, start=first):
        if opening is None:
            start = PageStart(number, starts[-1].key if starts else before, AFTER)
        else:
            start = PageStart(number, opening.key, opening.offset)
        starts.append(start)
    return tuple(starts)


def _page_start(
    number: int, page_box: Any, seen: set[int], chars: dict[int, int]
) -> PageStart | None:
    start: PageStart | None = None  # the first keyed element that begins on this page
    first: tuple[Any, int] | None = None  # else the page's first content: element, chars before
    for box, element in _boxes(page_box):
        if element is None:
            continue
        ident = id(element)
        if box.element is element and ident not in seen:
            seen.add(ident)
            start = start or PageStart(number, _key(element))
        if start is None and first is None and not getattr(box, "children", None):
            first = (element, chars.get(ident, 0))
        text = getattr(box, "text", None)
        if text:
            chars[ident] = chars.get(ident, 0) + _count(text)
    if first is None:
        return start
    element, before = first
    if element.get(TEXT_KEY) is not None:  # part-way through a chapter block: same text
        return PageStart(number, _key(element), before)
    return start or PageStart(number, _key(element), AFTER)


def _boxes(box: Any, keyed: Any = None) -> Iterator[tuple[Any, Any]]:
    """Boxes in document order, each with the nearest keyed element around it. Margin boxes
    (running heads, page numbers) and generated content (list markers) are left out."""
    tag = getattr(box, "element_tag", "") or ""
    if tag.startswith("@") or "::" in tag:
        return
    element = getattr(box, "element", None)
    if element is not None and (element.get(KEY) is not None or element.get(TEXT_KEY) is not None):
        keyed = element
    yield box, keyed
    for child in getattr(box, "children", ()):
        yield from _boxes(child, keyed)


def _key(element: Any) -> str:
    return str(element.get(TEXT_KEY) or element.get(KEY))


def _count(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


# ---- the EPUB side: one XHTML document ---------------------------------------------------


def page_keys(html: str, prefix: str) -> str:
    """Jinja filter: key a chapter block's top-level elements (and their list items) so a
    page can start at them. The text is left as it is."""
    holder = etree.fromstring(f"<div>{html}</div>")
    for index, element in enumerate(holder, start=1):
        element.set(TEXT_KEY, f"{prefix}.{index}")
        if element.tag in ("ul", "ol"):
            for number, item in enumerate(element, start=1):
                item.set(TEXT_KEY, f"{prefix}.{index}.{number}")
    keyed = (etree.tostring(element, encoding="unicode") for element in holder)
    return (holder.text or "") + "".join(keyed)


def keys_in(root: Any) -> set[str]:
    return {_key(element) for element in _keyed(root)}


def mark_page_breaks(root: Any, starts: tuple[PageStart, ...]) -> list[int]:
    """Insert a page-break marker where each page starts; returns the page numbers marked.
    The keys are dropped: they were only for finding the places."""
    by_key = {_key(element): element for element in _keyed(root)}
    marked = []
    for start in starts:
        element = by_key.get(start.key)
        if element is not None:
            _insert(element, marker(start.number), start.offset)
            marked.append(start.number)
    for element in by_key.values():
        element.attrib.pop(KEY, None)
        element.attrib.pop(TEXT_KEY, None)
    return marked


def marker(number: int) -> Any:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("id", f"page-{number}")
    span.set(f"{{{OPS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("aria-label", str(number))
    span.set("title", str(number))
    return span


def _keyed(root: Any) -> list[Any]:
    return list(root.xpath("//*[@data-at or @data-text-at]"))


def _insert(element: Any, span: Any, offset: int) -> None:
    if offset == AFTER:
        _insert_after(element, span)
    elif offset > 0 and _insert_in_text(element, span, offset):
        return
    elif element.tag.rpartition("}")[2] in ("section", "li"):
        span.tail, element.text = element.text, None
        element.insert(0, span)
    else:
        element.addprevious(span)


def _insert_after(element: Any, span: Any) -> None:
    if element.tag.rpartition("}")[2] == "li":
        element.append(span)  # a list holds only items
    else:
        element.addnext(span)


def _insert_in_text(element: Any, span: Any, offset: int) -> bool:
    """Put `span` before the first non-space character after `offset` of them."""
    remaining = offset
    for node, slot in _text_slots(element):
        text = getattr(node, slot) or ""
        for index, char in enumerate(text):
            if char.isspace():
                continue
            if remaining == 0:
                _split(node, slot, index, span)
                return True
            remaining -= 1
    return False


def _text_slots(element: Any) -> Iterator[tuple[Any, str]]:
    yield element, "text"
    for child in element:
        yield from _text_slots(child)
        yield child, "tail"


def _split(node: Any, slot: str, index: int, span: Any) -> None:
    text = getattr(node, slot)
    setattr(node, slot, text[:index])
    span.tail = text[index:]
    if slot == "text":
        node.insert(0, span)
    else:
        node.addnext(span)
