"""One part of a paged edition laid out on its own, and written as a tagged PDF of its pages
without their margins (running heads, page numbers): those are drawn for the whole book once
the parts are joined (writers/folios.py), when every page's number is known.

WeasyPrint lays out a document in steps (styles, boxes, pages, then the margin boxes); this
module runs the same steps for one part, from where the part begins in the whole book (its
`Entry`: the number of its first page, the page counters before it, which side it starts on,
the pages of the anchors in other parts it refers to), and notes what the join and the margins
need: each page's name, counters and running strings, its bookmarks and anchors, where it begins
for the EPUB's page list, and what in its entry it read. A part that read nothing that has
moved does not need laying out again.

It relies on WeasyPrint's layout functions (the ones `layout_document` calls), so it is tied to
the WeasyPrint version it was written for: `SUPPORTED` below. With another version, or a
stylesheet that uses what cannot be laid out apart (see `unsupported`), the whole document is
laid out as one (writers/apart.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from typing import Any

import pydyf
import weasyprint
from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint.css import get_all_computed_styles
from weasyprint.css.counters import CounterStyle
from weasyprint.css.targets import TargetCollector, TargetLookupItem, anchor_name_from_token
from weasyprint.document import Document as WeasyDocument
from weasyprint.document import Page
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.images import get_image_from_uri
from weasyprint.layout import LayoutContext, initialize_page_maker
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.block import _add_break_values
from weasyprint.layout.page import make_all_pages
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.urls import get_url_tuple

from workbook.render.pages import page_openings
from workbook.writers import pagefill
from workbook.writers.fontmerge import whole_programs
from workbook.writers.paged import PDF_VARIANT
from workbook.writers.partrecords import UNKNOWN, Entry, PageRecord, PartLayout, Reads

SUPPORTED = weasyprint.__version__.split(".")[0] == "70"
SCALE = 0.75  # PDF points per CSS pixel


def lay_out_part(
    maker: Any, html_text: str, entry: Entry, forms: bool, side: bool, tag: str
) -> PartLayout:
    """`maker` is a writers.paged.PageMaker (stylesheet, fonts, fetcher); `tag` makes this
    part's structure identifiers unique in the joined document. A worksheet is laid out twice:
    once to count the notes lines that fill its last page, then with them (writers/pagefill.py)."""
    if not pagefill.has_fill(html_text):
        return _lay_out(maker, html_text, entry, forms, side, tag)
    settled, measured = pagefill.settle(
        html_text, forms, lambda text: _page_boxes(maker, text, entry, forms)
    )
    part = _lay_out(maker, settled, entry, forms, side, tag)
    if len(part.pages) > pagefill.pages_used(measured):
        return _lay_out(maker, html_text, entry, forms, side, tag)  # never a page more
    return part


def _page_boxes(maker: Any, html_text: str, entry: Entry, forms: bool) -> list[Any]:
    """The part's laid-out pages, only to look at."""
    html = HTML(string=html_text, base_url=maker.base_url, url_fetcher=maker.fetcher)
    collector = _Targets(entry)
    context, root_box = build_context(html, maker, collector, forms)
    _Viewport(context, entry)
    return _paginate(context, root_box, html, entry, _provisional(collector, entry))[0]


def _lay_out(
    maker: Any, html_text: str, entry: Entry, forms: bool, side: bool, tag: str
) -> PartLayout:
    html = HTML(string=html_text, base_url=maker.base_url, url_fetcher=maker.fetcher)
    collector = _Targets(entry)
    context, root_box = build_context(html, maker, collector, forms)
    viewport = _Viewport(context, entry)
    once = _provisional(collector, entry)  # (targets are mostly read as its boxes are made)
    page_boxes, strings, starts_right = _paginate(context, root_box, html, entry, once)
    unsupported = _unsupported(context, html, root_box, page_boxes, collector, entry)
    pages = [Page(box) for box in page_boxes]
    document = WeasyDocument(
        pages, DocumentMetadata(**get_html_metadata(html)), html.url_fetcher, maker.fonts, {}, None
    )
    anchors = tuple(_anchors(pages))
    fakes = _keep_links(pages)
    identifier = hashlib.sha256(html_text.encode()).hexdigest()[:32].encode()
    pdf, programs = b"", dict[str, bytes]()
    if not _provisional(collector, entry):
        with whole_programs() as programs:  # fonts embedded once, by the join
            pdf = document.write_pdf(
                pdf_identifier=identifier, pdf_variant=PDF_VARIANT, finisher=_unique_ids(tag)
            )
    body = _body(root_box)
    tops = [c for c in (body.children if body else []) if c.is_in_normal_flow()]
    reads = Reads(
        _read_counters(collector), tuple(sorted(collector.read)), side, bool(viewport.read)
    )
    return PartLayout(
        pdf=pdf,
        pages=tuple(_records(pages, strings)),
        anchors=anchors,
        reads=reads,
        read_as=reads.of(entry),
        head=tuple(_add_break_values(tops[0], "before")) if tops else (),
        tail=tuple(_add_break_values(tops[-1], "after")) if tops else (),
        page_values=(tops[0].page_values()[0], tops[-1].page_values()[1]) if tops else ("", ""),
        fakes=fakes,
        unsupported=unsupported,
        files=tuple(sorted(str(path) for path in maker.fetcher.read)),
        first_size=viewport.first,
        starts_right=starts_right,
        fonts=tuple(sorted(programs.items())),
    )


def _provisional(collector: _Targets, entry: Entry) -> bool:
    """Whether the layout read the page of an anchor in a part not laid out yet: it is laid
    out again once that part is (its reads can only differ then), so its PDF, about a
    quarter of a part's work, is not written now (PartLayout.pdf stays empty), and its pages
    are made once (see `_paginate`): its page count and anchors are only a first guess."""
    return any(entry.target(name) == UNKNOWN for name in collector.read)


def build_context(html: Any, maker: Any, collector: TargetCollector, forms: bool) -> Any:
    """WeasyPrint's layout context and box tree for `html` (as `Document._render` makes them,
    with our own collector of targets)."""
    options = {**DEFAULT_OPTIONS, "stylesheets": [maker.css], "pdf_forms": forms}
    counter_style = CounterStyle()
    style_for = get_all_computed_styles(
        html, [maker.css], False, maker.fonts, counter_style, {}, [], [], collector, forms
    )
    images = functools.partial(
        get_image_from_uri, cache={}, url_fetcher=html.url_fetcher, options=options
    )
    context = LayoutContext(style_for, images, maker.fonts, counter_style, collector)
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        collector,
        counter_style,
        context.footnotes,
    )
    maker.raise_if_refused()
    return context, root_box


class _Viewport:
    """Viewport units (vh, vw) are lengths on the whole document's first page, which WeasyPrint
    notes when it makes a document's first page: a part's first page is not that page, so the
    part uses the entry's (or, not known yet, its own), and notes whether it used them."""

    def __init__(self, context: Any, entry: Entry) -> None:
        self.read: list[bool] = []
        self.sizes = context.style_for.initial_page_sizes  # what computed styles read
        self.first: tuple[tuple[float, float], tuple[float, float]] | None = None
        context.style_for = _StylesFor(context.style_for, self)
        if entry.viewport is not None:
            self.sizes.update(box=_Watched(entry.viewport[0], self.read))
            self.sizes.update(area=_Watched(entry.viewport[1], self.read))
            self.fixed = True
        else:
            self.fixed = False

    def first_page(self, key: str, size: tuple[float, float]) -> None:
        """What make_page says of the part's first page."""
        size = (float(size[0]), float(size[1]))
        box, area = self.first or ((0.0, 0.0), (0.0, 0.0))
        self.first = (size, area) if key == "box" else (box, size)
        if not self.fixed:
            self.sizes[key] = _Watched(size, self.read)


class _Watched(tuple):  # type: ignore[type-arg]
    """A page size that notes when a length is resolved against it."""

    read: list[bool]

    def __new__(cls, size: tuple[float, float], read: list[bool]) -> _Watched:
        made = super().__new__(cls, size)
        made.read = read
        return made

    def __iter__(self) -> Iterator[float]:
        self.read.append(True)
        return super().__iter__()


class _PageSizes(dict):  # type: ignore[type-arg]
    def __init__(self, viewport: _Viewport) -> None:
        super().__init__()
        self.viewport = viewport

    def __setitem__(self, key: str, value: Any) -> None:
        self.viewport.first_page(key, value)


class _StylesFor:
    """WeasyPrint's styles, but what make_page writes of the first page's size goes to our
    `_Viewport`."""

    def __init__(self, style_for: Any, viewport: _Viewport) -> None:
        self._style_for = style_for
        self.initial_page_sizes = _PageSizes(viewport)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._style_for(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._style_for, name)


class _Elsewhere:
    """An anchor in another part, as a target: its page counters are known, its document
    counters and text are not (a part that asks for them cannot be laid out apart)."""

    def __init__(self, collector: _Targets) -> None:
        self.collector = collector
        self.cached_counter_values: dict[str, list[int]] = {}

    def extract_text(self, *args: Any) -> str:
        self.collector.unsupported = "target-text() of an element in another part"
        return ""


class _Targets(TargetCollector):
    """WeasyPrint's collector of targets, which also knows the anchors of the other parts
    (from the entry) and notes which of them this part refers to."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry
        self.own: set[str] = set()
        self.read: set[str] = set()  # anchors in other parts it refers to
        self.read_own = False  # whether it refers to anchors of its own
        self.unsupported = ""

    def collect_anchor(self, anchor_name: object) -> None:
        if isinstance(anchor_name, str):
            self.own.add(anchor_name)
        super().collect_anchor(anchor_name)
        if isinstance(anchor_name, str):
            self._seed(anchor_name)

    def _seed(self, name: str) -> None:
        """An anchor of its own starts with the page counters it had in the last layout of
        this part (if any), instead of none: a reference to it then shows its page number from
        the first, and its page is not made again for it. If the anchor has moved, WeasyPrint
        makes the page again, as it does for a reference to an anchor not reached yet."""
        item = self.target_lookup_items.get(name)
        values = self.entry.target(name)
        if item is not None and not isinstance(values, (str, type(None))):
            item.cached_page_counter_values = {k: list(v) for k, v in values}

    def lookup_target(
        self, anchor_token: Any, source_box: Any, css_token: str, parse_again: Any
    ) -> Any:
        name = _anchor_name(anchor_token, source_box)
        self.read_own = self.read_own or name in self.own
        if name is not None and name not in self.own:
            self.read.add(name)
            if name not in self.target_lookup_items:
                values = self.entry.target(name)
                if values is not None:  # known, or not known yet: a stand-in till it is
                    item = TargetLookupItem("up-to-date")
                    item.target_box = _Elsewhere(self)
                    counters = {"page": (0,)} if isinstance(values, str) else dict(values)
                    item.cached_page_counter_values = {k: list(v) for k, v in counters.items()}
                    self.target_lookup_items[name] = item
        return super().lookup_target(anchor_token, source_box, css_token, parse_again)


def _anchor_name(anchor_token: Any, source_box: Any) -> str | None:
    """The anchor a target-* function points to (as TargetCollector.lookup_target finds it)."""
    if anchor_token[0] == "attr()":
        attr_name, type_, fallback = anchor_token[1]
        value = source_box.element.get(attr_name, fallback)
        if type_ == "string":
            anchor_token = ("string", value)
        elif type_ == "url":
            anchor_token = ("url", get_url_tuple(value, source_box.style.base_url))
    name = anchor_name_from_token(anchor_token)
    return name if isinstance(name, str) else None


def _paginate(
    context: Any, root_box: Any, html: Any, entry: Entry, provisional: bool
) -> tuple[list[Any], list[list[tuple[str, str]]], bool]:
    """WeasyPrint's layout_document, from the part's entry and without margin boxes: the
    pages, the strings each sets, and whether a document would start on a right page. A
    provisional layout (one that is laid out again, see `_provisional`) is paginated once:
    pages are not made again for the page numbers of its own anchors it refers to."""
    initialize_page_maker(context, root_box)
    resume_at, next_page, starts_right, page_state, remake_state = context.page_maker[0]
    counter_values, counter_scopes = page_state[1], page_state[2]
    for name, values in entry.counters:
        counter_values[name] = list(values)
        counter_scopes[0].add(name)
    counter_values["pages"] = [entry.total]
    context.page_maker[0] = (resume_at, next_page, entry.right, page_state, remake_state)
    pages: list[Any] = []
    footnotes = context.footnotes.copy()
    changes = _watch_contents(context.target_collector)
    for loop in range(8):
        if loop:
            context.footnotes = footnotes.copy()
        changes.clear()
        pages = list(make_all_pages(context, root_box, html, pages))
        again = False
        for *_, state, remake in context.page_maker:
            state[1]["pages"] = [entry.total]
            if not changes:  # every page's content came out as it was laid out
                remake["content_changed"] = False
            again = again or remake["content_changed"]
        if not again or provisional:
            break
    strings = _settle(context, pages)
    for page in pages:
        root, footnote_area, note_area = page.children
        page.children = (root, *(a for a in (footnote_area, note_area) if a.children))
        layout_backgrounds(page, context.get_image_from_uri)
    return pages, strings, bool(starts_right)


def _watch_contents(collector: Any) -> list[bool]:
    """WeasyPrint makes a page again whenever it works out the content of a box on it with
    page counters (a `target-counter()`), even if that content comes out as it was when the
    page was laid out: the targets of other parts and, from the second layout of a part, of its
    own are known from the start. The list returned gets an item each time a content does
    change in a pass; while it stays empty, making the pages again would make them the same."""
    changes: list[bool] = []
    for (box, token), item in collector.counter_lookup_items.items():
        if token == "content":
            item.parse_again = _watched(box, item.parse_again, changes)
    return changes


def _watched(box: Any, parse_again: Any, changes: list[bool]) -> Any:
    def watched(*args: Any) -> None:
        before = _content(box)
        parse_again(*args)
        if _content(box) != before:
            changes.append(True)

    return watched


def _content(box: Any) -> tuple[object, ...]:
    """What a box holds: each child's kind, text and own content."""
    return tuple(
        (type(child), getattr(child, "text", None), _content(child))
        for child in getattr(box, "children", ())
    )


def _settle(context: Any, pages: list[Any]) -> list[list[tuple[str, str]]]:
    """Bookmarks once per element, labels and strings with page counters, as WeasyPrint does
    once pagination is finished; returns each page's string-set assignments."""
    watched: dict[str, list[Any]] = {"": [], "::before": [], "::after": []}
    strings: list[list[tuple[str, str]]] = []
    for index, page in enumerate(pages):
        page_counter_values = context.page_maker[index + 1][3][1]
        found: list[tuple[str, str]] = []
        for child in page.descendants():
            if child.bookmark_label:
                kind = next(
                    (k for k in ("::before", "::after") if child.element_tag.endswith(k)), ""
                )
                if child.element in watched[kind]:
                    child.bookmark_label = ""
                else:
                    watched[kind].append(child.element)
            if child.missing_link:
                items = context.target_collector.counter_lookup_items.items()
                for (box, css_token), item in items:
                    if child.missing_link == box and css_token != "content":
                        if css_token == "bookmark-label" and not child.bookmark_label:
                            continue
                        item.parse_again(page_counter_values)
                        if css_token == "bookmark-label":
                            child.bookmark_label = box.bookmark_label
            if child.string_set and child.string_set != "none":
                found += [(name, text) for name, text in child.string_set]
        strings.append(found)
    return strings


def _unsupported(
    context: Any,
    html: Any,
    root_box: Any,
    pages: list[Any],
    collector: _Targets,
    entry: Entry,
) -> str:
    """What in this part would lay out otherwise in the whole document ("" if nothing)."""
    if collector.unsupported:
        return collector.unsupported
    if any(values for values in context.running_elements.values()):
        return "running elements (element())"
    if context.footnotes or any(len(page.children) > 1 for page in pages):
        return "footnotes"
    if any(page.fixed_boxes for page in pages):
        return "fixed-position boxes, which show on every page"
    if reason := _crossing_counters(context, html):
        return reason
    names = {name for name, _ in entry.counters} | {"page", "pages"}
    for item in collector.counter_lookup_items.values():
        for anchor, wanted in item.missing_target_counters.items():
            if anchor not in collector.own and not set(wanted) <= names:
                return "target-counter() of a document counter in another part"
    return _decorated(root_box)


def _crossing_counters(context: Any, html: Any) -> str:
    """Counters set on the root, the body or a part's own element run on into the next
    part in the whole document."""
    root = html.etree_element
    body = next((child for child in root if child.tag == "body"), None)
    elements = [root, *([body, *body] if body is not None else [])]
    for element in elements:
        if not isinstance(element.tag, str):
            continue
        style = context.style_for(element)
        if style is None:
            continue
        increment = style["counter_increment"]
        if style["counter_reset"] or style["counter_set"] or increment not in ("auto", ()):
            return f"counters set on <{element.tag}>, which run on from part to part"
    return ""


def _decorated(root_box: Any) -> str:
    """Margins, borders or padding at the top or bottom of the root or the body show once in
    the whole document, not once a part."""
    for box in (root_box, _body(root_box)):
        if box is None or box.style["box_decoration_break"] == "clone":
            continue
        style = box.style
        for side in ("top", "bottom"):
            width = style[f"border_{side}_width"]
            if width or _length(style[f"margin_{side}"]) or _length(style[f"padding_{side}"]):
                return f"space above or below <{box.element_tag}>"
    return ""


def _length(value: Any) -> float:
    return float(getattr(value, "value", 0) or 0)


def _body(root_box: Any) -> Any:
    return next((c for c in root_box.children if c.element_tag == "body"), None)


def _read_counters(collector: _Targets) -> bool:
    """Whether its content shows page counters: its own page numbers or the total, or the
    page numbers of its own anchors."""
    for item in collector.counter_lookup_items.values():
        targets = item.missing_target_counters
        # WeasyPrint hands a target's list over as the missing counters too: not a counter.
        if item.missing_counters and all(item.missing_counters is not t for t in targets.values()):
            return True
        if targets and collector.read_own:
            return True
    return False


def _keep_links(pages: list[Page]) -> tuple[str, ...]:
    """Links to anchors in other parts are kept by giving each a stand-in anchor here; the
    join points them at the real ones."""
    here = {name for page in pages for name in page.anchors}
    fakes = sorted(
        {target for page in pages for kind, target, _, _ in page.links if kind == "internal"} - here
    )
    if pages:
        for name in fakes:
            pages[0].anchors[name] = (0, 0, 0, 0)
    return tuple(fakes)


def _unique_ids(tag: str) -> Any:
    """WeasyPrint names table headers' structure elements after their object number, which
    repeat from part to part: prefix them with the part's tag."""

    def finish(document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Dictionary):
                continue
            if isinstance(obj.get("ID"), pydyf.String):
                obj["ID"] = pydyf.String(f"{tag}-{obj['ID'].string}")
            attributes = obj.get("A")
            if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
                headers = attributes["Headers"]
                attributes["Headers"] = pydyf.Array(
                    pydyf.String(f"{tag}-{h.string}") for h in headers
                )

    return finish


def _records(pages: list[Page], strings: list[list[tuple[str, str]]]) -> Iterator[PageRecord]:
    starts = page_openings(pages)
    for page, found, start in zip(pages, strings, starts, strict=True):
        box = page._page_box
        style = box.style
        height = page.height
        yield PageRecord(
            name=box.page_type.name or "",
            blank=bool(box.page_type.blank),
            counter_ops=tuple(
                (op, tuple((n, int(v)) for n, v in style[f"counter_{op}"]))
                for op in ("reset", "set", "increment")
            ),
            strings=tuple(found),
            opens_with=tuple(_opening_strings(box)),
            bookmarks=tuple(
                (level, label, x * SCALE, (height - y) * SCALE, state)
                for level, label, (x, y), state in page.bookmarks
            ),
            start=None if start is None else (start.key, start.offset),
        )


def _opening_strings(page_box: Any) -> Iterator[str]:
    """Strings set by the boxes the page begins with (for string(name, start))."""
    element = page_box
    while element is not None:
        if element.style["string_set"] != "none":
            yield from (name for name, _ in element.style["string_set"])
        children = getattr(element, "children", None)
        element = children[0] if children else None


def _anchors(pages: list[Page]) -> Iterator[tuple[str, int]]:
    seen: set[str] = set()
    for index, page in enumerate(pages):
        for name in page.anchors:
            if name not in seen:
                seen.add(name)
                yield name, index
