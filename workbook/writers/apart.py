"""Paged editions laid out part by part, in parallel, and joined.

Each part (the cover, the contents, each chapter and worksheet, the back page) is laid out on
its own, from where it begins in the whole book (writers/partlayout.py). Where that is depends
on the parts before it, which are laid out at the same time, so the first round lays out every
part from what is known (the cache, else a guess; a part that links to others, such as the
contents, waits for them); then the entries are worked out from the parts' real page counts,
and only a part that read something that moved (the contents reads the chapters' page
numbers) is laid out again. Page numbers and running heads read everything and are drawn last,
over the joined pages (writers/folios.py, writers/join.py).

A part laid out once is kept in the part store (build/partcache.py) with what it read, so
after an edit only the parts that changed, or read what moved, are laid out again.

Whatever cannot be laid out in parts (a stylesheet with `:first` pages, parts that flow into
each other, footnotes, see partlayout.py) is laid out whole, as before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

from weasyprint.formatting_structure.build import update_counters

from workbook.render.documents import Rendered
from workbook.render.pages import PageStart, find_page_starts, number_page_starts
from workbook.render.pieces import Pieces, split_document
from workbook.writers.folios import FolioPage, Margins, draw_margins
from workbook.writers.handoutcopies import Mark, filled_whole, kept, marks
from workbook.writers.join import Bookmark, join
from workbook.writers.laidout import LaidOut
from workbook.writers.paged import PDF_VARIANT, PageMaker, plain_failures
from workbook.writers.partlayout import SUPPORTED, lay_out_part
from workbook.writers.partrecords import Counters, Entry, PartLayout
from workbook.writers.partstore import PartStore, digest

T = TypeVar("T")
RunEach = Callable[[Callable[[int], Any], Sequence[int]], dict[int, Any]]
ROUNDS = 4  # rounds of laying out again before giving up and laying out the whole
FORCED = ("page", "left", "right", "recto", "verso")
SIDES = ("left", "right", "recto", "verso")
ONE_PAGE: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("reset", ()),
    ("set", ()),
    ("increment", (("page", 1),)),
)

# For tests: called with the edition and the part's index each time a part is laid out.
laid_out_hook: Callable[[Any, int], None] | None = None


@dataclass
class Request:
    """One paged edition to lay out."""

    rendered: Rendered
    maker: PageMaker

    @property
    def forms(self) -> bool:
        return self.rendered.edition.medium == "form"


@dataclass(frozen=True)
class Laying:
    """A layout under way: where its pages begin is known (unless it is laid out whole), and
    `finish` makes the rest: the margins, the joined PDF (it can run in another process)."""

    starts: tuple[PageStart, ...] | None
    finish: Callable[[], LaidOut]


def lay_out_parts(requests: Sequence[Request], run_each: RunEach, store: PartStore) -> list[Laying]:
    """Every request's parts laid out, in the worker processes, in the order asked."""
    books = {i: book for i, r in enumerate(requests) if (book := _Book.start(r, store))}
    for _ in range(ROUNDS):
        tasks = [(i, k) for i, book in books.items() for k in book.todo()]
        if not tasks:
            break
        tasks.sort(key=lambda task: -len(books[task[0]].pieces.bodies[task[1]]))  # long first
        if laid_out_hook is not None:
            for i, k in tasks:
                laid_out_hook(requests[i].rendered.edition, k)
        if len(tasks) == 1:  # one again (the contents, say): here, not in a new process
            made = {0: _lay_out_task(books, tasks, 0)}
        else:
            made = run_each(partial(_lay_out_task, books, tasks), range(len(tasks)))
        for n, (i, k) in enumerate(tasks):
            books[i].parts[k] = made[n]
            store.put(books[i].keys[k], made[n])
        for i in [i for i, book in books.items() if book.problem()]:
            del books[i]
    books = {i: book for i, book in books.items() if not book.todo() and not book.problem()}
    return [
        Laying(books[i].fold().starts, books[i].finish)
        if i in books
        else Laying(None, partial(_whole, r))
        for i, r in enumerate(requests)
    ]


def _lay_out_task(books: dict[int, _Book], tasks: list[tuple[int, int]], n: int) -> PartLayout:
    book, k = tasks[n]
    return books[book].lay_out(k)


def _whole(request: Request) -> LaidOut:
    """The whole document laid out at once, by WeasyPrint alone."""
    rendered = request.rendered
    with plain_failures(rendered.edition.describe()):
        layout = filled_whole(request.maker, request.rendered.documents[0], request.forms)
        source = "".join(d.html for d in rendered.documents) + rendered.css
        identifier = hashlib.sha256(source.encode()).hexdigest()[:32].encode()
        pdf = layout.write_pdf(pdf_identifier=identifier, pdf_variant=PDF_VARIANT)
    read = frozenset(str(path) for path in request.maker.fetcher.read)
    return LaidOut(pdf, len(layout.pages), find_page_starts(layout.pages), read, _notes(request))


def _notes(request: Request) -> bytes | None:
    """A booklet's notes page, which pads it to whole sheets."""
    rendered = request.rendered
    if not rendered.edition.booklet:
        return None
    layout = request.maker.lay_out(rendered.documents[1], request.forms)
    pdf: bytes = layout.write_pdf(pdf_identifier=b"0" * 32, pdf_variant=PDF_VARIANT)
    return pdf


@dataclass
class _Book:
    request: Request
    pieces: Pieces
    keys: list[str]
    tags: list[str]
    side: bool  # its stylesheet sets left and right pages apart
    store: PartStore
    marks: tuple[Mark, ...]  # a handout's copies and their notes pages
    parts: list[PartLayout | None] = field(default_factory=list)
    links: list[bool] = field(default_factory=list)  # links to other parts

    @classmethod
    def start(cls, request: Request, store: PartStore) -> _Book | None:
        css = request.rendered.css
        pieces = split_document(request.rendered.documents[0].html)
        if not SUPPORTED or pieces is None or len(pieces.bodies) < 2 or not _apart_css(css):
            return None
        tags = _tags(pieces.bodies)
        keys = [
            store.key("part", css, pieces.shell, body, str(request.forms), tag)
            for body, tag in zip(pieces.bodies, tags, strict=True)
        ]
        book = cls(request, pieces, keys, tags, _side_sensitive(css), store, marks(pieces.bodies))
        book.parts = [store.get(key) for key in keys]
        book.links = [_links_out(body) for body in pieces.bodies]
        return book

    def todo(self) -> list[int]:
        """The parts to lay out: those not laid out yet (a part that links to others, such as
        the contents, once the others are: it may show their page numbers); once every part
        is, those laid out from what has moved since, or without their PDF (a part from the
        cache waits till then: what it read may not have moved after all)."""
        missing = [k for k, part in enumerate(self.parts) if part is None]
        if missing:
            return [k for k in missing if not self.links[k]] or missing
        fold = self.fold()
        return [
            k
            for k, part in enumerate(self.parts)
            if part is not None
            and fold.kept[k]
            and (part.read_as != part.reads.of(fold.entries[k]) or not part.pdf)
        ]

    def lay_out(self, k: int) -> PartLayout:
        """Part `k` from its entry as known now (this runs in a worker process)."""
        entry = self.fold().entries[k]
        rendered = self.request.rendered
        with plain_failures(rendered.edition.describe()):
            html = self.pieces.document(k, k)
            return lay_out_part(
                self.request.maker, html, entry, self.request.forms, self.side, self.tags[k]
            )

    def problem(self) -> str:
        """Why these parts cannot be joined into the whole ("" if they can)."""
        known = [part for part in self.parts if part is not None]
        if reason := next((part.unsupported for part in known if part.unsupported), ""):
            return reason
        if len(known) < len(self.parts):
            return ""
        fold = self.fold()
        known = fold.joined(known)
        entries = fold.joined(fold.entries)
        first_right = known[0].starts_right
        for before, after, entry in zip(known, known[1:], entries[1:], strict=False):
            value = _break_between(before.tail, after.head)
            if value not in FORCED and before.page_values[1] == after.page_values[0]:
                return "its parts flow on from one to the next"
            if value in SIDES and entry.right != _right_side(value, first_right):
                return "a part would need a blank page before it"
        return ""

    def margins(self, fold: _Fold) -> Margins | None:
        """The margins of every page: drawn, or kept from a build with the same pages."""
        shell = self.pieces.document(0, -1)
        css = self.request.rendered.css
        pages = repr([page.key() for page in fold.folios])
        key = self.store.key("margins", css, shell, pages, repr(fold.targets))
        if (kept := Margins.decode(self.store.get_bytes(key))) is not None:
            return kept
        margins = draw_margins(self.request.maker, shell, fold.folios, fold.targets)
        if margins is not None:
            self.store.put_bytes(key, margins.encode())
        return margins

    def fold(self) -> _Fold:
        return _Fold(self.parts, self.marks)

    def finish(self) -> LaidOut:
        """Margins drawn, parts joined (this runs in a worker process)."""
        fold = self.fold()
        parts = [part for part in fold.joined(self.parts) if part is not None]
        rendered = self.request.rendered
        with plain_failures(rendered.edition.describe()):
            margins = self.margins(fold)
            pdf = join(parts, margins, _bookmarks(parts))
            notes = _notes(self.request)
        read = frozenset(f for part in parts for f in part.files) | frozenset(
            str(path) for path in self.request.maker.fetcher.read
        )
        return LaidOut(pdf, len(fold.folios), fold.starts, read, notes)


@dataclass
class _Fold:
    """The parts one after another: each part's entry, each page's counters and side, the
    anchors' page counters, and the page starts for the EPUB. A handout's copies are numbered
    on their own (their page counters start again), and a copy's notes page is left out when
    the copy has an even number of pages without it (writers/handoutcopies.py)."""

    parts: Sequence[PartLayout | None]
    marks: Sequence[Mark] = ()
    kept: list[bool] = field(default_factory=list)  # the parts joined
    entries: list[Entry] = field(default_factory=list)
    folios: list[FolioPage] = field(default_factory=list)
    targets: dict[str, Counters] = field(default_factory=dict)
    starts: tuple[PageStart, ...] = ()

    def __post_init__(self) -> None:
        known = all(part is not None for part in self.parts)
        sizes = [len(part.pages) if part else 1 for part in self.parts]
        found = list(self.marks) or [Mark()] * len(self.parts)
        self.kept = kept(found, sizes)
        totals: dict[str, int] = {}  # each copy's pages (one copy, "", outside a handout)
        for mark, size, stays in zip(found, sizes, self.kept, strict=True):
            totals[mark.copy] = totals.get(mark.copy, 0) + (size if stays else 0)
        first = self.parts[0]
        first_right = first.starts_right if first else True
        viewport = first.first_size if first else None
        state: tuple[Any, ...] = ([0], {"pages": [totals[found[0].copy]]}, [{"pages"}], [])
        copy = found[0].copy
        number = 1
        entries: list[Entry] = []
        starts: list[PageStart] = []
        for k, part in enumerate(self.parts):
            if found[k].copy != copy and self.kept[k]:  # a new copy: its pages count from 1
                copy = found[k].copy
                state[1]["page"], state[1]["pages"] = [0], [totals[copy]]
            entries.append(
                Entry(
                    first=number,
                    right=(number % 2 == 1) == first_right,
                    counters=_counters(state, pages=False),
                    total=state[1]["pages"][-1],
                    viewport=viewport if k else None,
                )
            )
            if not self.kept[k]:
                continue
            records = part.pages if part else (None,)
            numbers = []
            for record in records:
                _update(state, record.counter_ops if record else ONE_PAGE)
                numbers.append(_counters(state, pages=True))
                if record is not None:
                    right = (number % 2 == 1) == first_right
                    self.folios.append(FolioPage(record, right, numbers[-1]))
                number += 1
            if part is not None:
                for name, index in part.anchors:
                    self.targets.setdefault(name, numbers[index])
                openings = [
                    None if r.start is None else PageStart(0, r.start[0], r.start[1])
                    for r in part.pages
                ]
                before = starts[-1].key if starts else ""
                starts += number_page_starts(openings, number - len(part.pages), before)
        targets = tuple(sorted(self.targets.items()))
        self.entries = [replace(e, targets=targets, complete=known) for e in entries]
        self.starts = tuple(starts)

    def joined(self, items: Sequence[T]) -> list[T]:
        """Of one item per part, those of the parts joined."""
        return [item for item, stays in zip(items, self.kept, strict=True) if stays]


def _counters(state: tuple[Any, ...], pages: bool) -> Counters:
    return tuple(
        sorted(
            (name, tuple(values)) for name, values in state[1].items() if pages or name != "pages"
        )
    )


def _update(
    state: tuple[Any, ...], ops: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
) -> None:
    """A page's @page counter-reset, -set and -increment, as WeasyPrint applies them."""
    style = {f"counter_{op}": values for op, values in ops}
    update_counters(state, style)


def _bookmarks(parts: Sequence[PartLayout]) -> list[Bookmark]:
    """The parts' bookmarks as one tree, nested by level as WeasyPrint nests them
    (anchors.make_page_bookmark_tree)."""
    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    index = 0
    for part in parts:
        for record in part.pages:
            for level, label, x, y, state in record.bookmarks:
                if level > previous:
                    skipped.append(level - previous - 1)
                else:
                    temp = level
                    while temp < previous:
                        temp += 1 + skipped.pop()
                    if temp > previous:
                        skipped.append(temp - previous - 1)
                previous = level
                depth = level - sum(skipped)
                children: list[Any] = []
                last_by_depth[depth - 1].append((label, index, x, y, children, state))
                del last_by_depth[depth:]
                last_by_depth.append(children)
            index += 1
    return [_bookmark(item) for item in root]


def _bookmark(item: tuple[Any, ...]) -> Bookmark:
    label, page, x, y, children, state = item
    return Bookmark(label, page, x, y, tuple(_bookmark(c) for c in children), state)


def _break_between(tail: Sequence[str], head: Sequence[str]) -> str:
    """The break that wins between two parts (layout.block.block_level_page_break)."""
    result = "auto"
    for value in (*tail, *head):
        if value in SIDES or (value, result) in (
            ("page", "auto"),
            ("page", "avoid"),
            ("page", "avoid-page"),
            ("page", "avoid-column"),
            ("column", "auto"),
            ("column", "avoid"),
            ("column", "avoid-page"),
            ("column", "avoid-column"),
            ("avoid", "auto"),
            ("avoid-page", "auto"),
            ("avoid-column", "auto"),
        ):
            result = value
    return result


def _right_side(value: str, first_right: bool) -> bool:
    if value in ("recto", "verso"):
        return (value == "recto") == first_right
    return value == "right"


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_PAGE_RULE = re.compile(r"@page\b([^{;]*)\{", re.IGNORECASE)


def _apart_css(css: str) -> bool:
    """A stylesheet whose pages can be laid out in parts: no `:first` or `:nth()` page rules,
    which only the whole document's own first (or n-th) page may take."""
    text = _COMMENT.sub("", css)
    return not any(
        re.search(r":\s*(first|nth)\b", selector.group(1), re.IGNORECASE)
        for selector in _PAGE_RULE.finditer(text)
    )


def _side_sensitive(css: str) -> bool:
    """Left and right pages styled apart, or parts sent to one side: a part's layout then
    depends on which side it begins on."""
    text = _COMMENT.sub("", css)
    pages = any(
        re.search(r":\s*(left|right|recto|verso)\b", selector.group(1), re.IGNORECASE)
        for selector in _PAGE_RULE.finditer(text)
    )
    breaks = re.search(r"break-(before|after)\s*:\s*(left|right|recto|verso)", text, re.IGNORECASE)
    return pages or breaks is not None


def _links_out(body: str) -> bool:
    """Whether a part links to anchors that are not its own."""
    ids = set(re.findall(r'\bid="([^"]*)"', body))
    return any(target not in ids for target in re.findall(r'href="#([^"]*)"', body))


def _tags(bodies: Sequence[str]) -> list[str]:
    """A short name for each part, the same from build to build, unique in the document."""
    seen: dict[str, int] = {}
    tags = []
    for body in bodies:
        short = digest(body)[:10]
        seen[short] = seen.get(short, 0) + 1
        tags.append(short if seen[short] == 1 else f"{short}-{seen[short]}")
    return tags
