"""The page margins of a document laid out in parts: running heads, page numbers, "page x of
y", drawn once the parts are joined and every page's number is known.

WeasyPrint makes margin boxes last, page by page, from the page's type (its name, side and
place), its page counters and the strings set on it and before it. The parts' records hold all
of that, so the margins are made here with WeasyPrint's own `make_margin_boxes`, on pages that
hold nothing else, and written as one PDF whose pages the join lays over the parts' pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weasyprint import HTML
from weasyprint.css.targets import TargetCollector, TargetLookupItem
from weasyprint.document import Document as WeasyDocument
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.page import (
    PageType,
    make_margin_boxes,
    page_height,
    page_width,
    set_page_type_computed_styles,
)
from weasyprint.layout.percent import resolve_percentages
from weasyprint.pdf.metadata import DocumentMetadata

from workbook.writers.partlayout import build_context
from workbook.writers.partrecords import Counters, PageRecord

_Collector = Any


@dataclass(frozen=True)
class Margins:
    pdf: bytes  # a page of margins for each page
    drawn: tuple[bool, ...]  # which pages have any

    def encode(self) -> bytes:
        return "".join("1" if d else "0" for d in self.drawn).encode() + b"\n" + self.pdf

    @classmethod
    def decode(cls, data: bytes | None) -> Margins | None:
        if not data or b"\n" not in data:
            return None
        drawn, pdf = data.split(b"\n", 1)
        if not pdf.startswith(b"%PDF") or set(drawn) - set(b"01"):
            return None
        return cls(pdf, tuple(c == ord("1") for c in drawn))


@dataclass(frozen=True)
class FolioPage:
    record: PageRecord
    right: bool  # a right-hand page
    counters: Counters  # its page counters, as its margins see them (page, pages, ...)

    def key(self) -> tuple[object, ...]:
        """All that its margins show can come from."""
        record = self.record
        return (
            record.name,
            record.blank,
            record.strings,
            record.opens_with,
            self.right,
            self.counters,
        )


def draw_margins(
    maker: Any, shell: str, pages: list[FolioPage], targets: dict[str, Counters]
) -> Margins | None:
    """One page of margins for each page, or None if no page has any."""
    html = HTML(string=shell, base_url=maker.base_url, url_fetcher=maker.fetcher)
    collector = _known_targets(targets)
    context, root_box = build_context(html, maker, collector, False)
    for number, page in enumerate(pages, start=1):
        for name, text in page.record.strings:
            context.string_set[name][number].append(text)
    opening = {number: page.record.opens_with for number, page in enumerate(pages, start=1)}
    context.get_string_set_for = _string_lookup(context, opening)
    context.page_bottom = 0  # margin boxes never break: any value will do (not None)
    drawn: list[Page] = []
    which: list[bool] = []
    styled: set[Any] = set()
    for index, page in enumerate(pages):
        box = _page_box(context, html, root_box, page, index, styled)
        context.current_page = index + 1
        values = {name: list(v) for name, v in page.counters}
        state: tuple[Any, ...] = ([0], values, [set(values)], [])
        margins = list(make_margin_boxes(context, box, state))
        for margin in margins:
            layout_box_backgrounds(box, margin, context.get_image_from_uri)
        box.children = tuple(margins)
        which.append(bool(margins))
        drawn.append(Page(box))
    maker.raise_if_refused()
    if not any(which):
        return None
    document = WeasyDocument(drawn, DocumentMetadata(), html.url_fetcher, maker.fonts, {}, None)
    return Margins(document.write_pdf(pdf_identifier=b"0" * 32), tuple(which))


def _page_box(
    context: Any, html: Any, root_box: Any, page: FolioPage, index: int, styled: set[Any]
) -> Any:
    """An empty page of the page's type (as make_page begins one), drawing only what is
    put in it: its background and borders are on the part's page already.

    A page's place (its index) only counts for `:first` and `:nth()` page rules, which a
    book laid out in parts has none of (writers/apart.py): pages of the same name and side
    share their styles, worked out once."""
    record = page.record
    side = "right" if page.right else "left"
    page_type = PageType(side, record.blank, record.name, min(index, 1), ())
    if page_type not in styled:
        set_page_type_computed_styles(page_type, html, context.style_for)
        styled.add(page_type)
    style = context.style_for(page_type)
    style["overflow"] = root_box.viewport_overflow
    box = boxes.PageBox(page_type, style)
    device_size = box.style["size"]
    resolve_percentages(box, device_size)
    box.position_x = box.position_y = 0
    page_width(box, context, device_size[0])
    page_height(box, context, device_size[1])
    box.background = box.canvas_background = None
    for side in ("top", "right", "bottom", "left"):
        setattr(box, f"border_{side}_width", 0)
    return box


def _known_targets(targets: dict[str, Counters]) -> _Collector:
    collector = TargetCollector()
    for name, counters in targets.items():
        item = TargetLookupItem("up-to-date")
        item.target_box = _Anchor()
        item.cached_page_counter_values = {k: list(v) for k, v in counters}
        collector.target_lookup_items[name] = item
    return collector


class _Anchor:
    def __init__(self) -> None:
        self.cached_counter_values: dict[str, list[int]] = {}

    def extract_text(self, *args: Any) -> str:
        return ""


def _string_lookup(context: Any, opening: dict[int, tuple[str, ...]]) -> Any:
    """string(name, keyword) as WeasyPrint answers it, with 'start' answered from the page's
    record (the page here has none of its boxes)."""
    default = context.get_string_set_for

    def lookup(page: Any, name: str, keyword: str = "first") -> tuple[str, ...]:
        if keyword == "start":
            here = context.string_set[name].get(context.current_page)
            if here and name in opening.get(context.current_page, ()):
                return (here[0],)
            return _before(context, name)
        result: tuple[str, ...] = default(page, name, keyword)
        return result

    return lookup


def _before(context: Any, name: str) -> tuple[str, ...]:
    for previous in range(context.current_page - 1, 0, -1):
        values = context.string_set[name].get(previous)
        if values:
            return (values[-1],)
    return ()
