"""What the writers of one packet share in a build: each edition rendered and laid out at most
once (the PDF writer writes a layout, client copies reuse it with their own cover, the EPUB reads
its print page numbers from the print edition's layout), anything else made once per packet, and
for a site the files the build made before it (its downloads).

A build lays out the parts of every edition it needs before any file is written
(`lay_out_editions`), all in the same worker processes (writers/apart.py); then each layout is
finished (margins, joined PDF) while the EPUBs, which only need to know where the print pages
begin, are written beside them. A layout asked for later is made then, in this process.

WeasyPrint is imported only when a layout is made, so a build of the web edition alone (and
`workbook serve`) never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from workbook.editions import PAPERS, Download, Edition, Personal
from workbook.model import Book
from workbook.render import Environment, Rendered, render
from workbook.render.pages import PageMap, PageStart
from workbook.resources import bundled_styles, bundled_templates, font_dir
from workbook.writers.laidout import LaidOut
from workbook.writers.partstore import NoStore, PartStore

if TYPE_CHECKING:  # the types only: they bring in WeasyPrint
    from workbook.writers.apart import Laying, Request
    from workbook.writers.fetcher import SafeFetcher

T = TypeVar("T")
Step = Callable[[str, str], None]  # (what, doing): where progress is reported
RunEach = Callable[[Callable[[int], Any], Sequence[int]], dict[int, Any]]
# A client line with no name, for the shared interior of client copies: each copy replaces
# the page that carries it.
BLANK = Personal("\u2003", "")


def _quiet(what: str, doing: str) -> None:
    pass


def _each_here(work: Callable[[int], Any], items: Sequence[int]) -> dict[int, Any]:
    return {item: work(item) for item in items}


class Layouts:
    def __init__(
        self,
        book: Book,
        env: Environment,
        step: Step = _quiet,
        downloads: tuple[Download, ...] = (),
        store: PartStore | None = None,
    ) -> None:
        self.book = book
        self.env = env
        self.step = step
        self.downloads = downloads
        self.store: PartStore = store or NoStore()  # what is kept between builds
        self.read: set[Path] = set()  # every file the layouts fetched, for the build cache
        self._made: dict[Hashable, object] = {}
        self._starts: dict[Hashable, tuple[PageStart, ...]] = {}  # of layouts under way

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, or what it gave the first time it was asked for with `key`."""
        if key not in self._made:
            self._made[key] = make()
        return cast(T, self._made[key])

    def fetcher(self) -> SafeFetcher:
        """The only way a document reaches a file: inside the project or the bundled files."""
        from workbook.writers.fetcher import SafeFetcher  # WeasyPrint: only for a layout

        roots: tuple[Path, ...] = (
            self.book.project_dir,
            bundled_templates(),
            bundled_styles(),
            font_dir(),
        )
        logo = self.book.brand.logo if self.book.brand else None
        if logo is not None:  # checked when read; a --brand file's logo may sit beside it
            roots += (logo,)
        return SafeFetcher(roots, self.read, logo)

    def get(self, edition: Edition, personal: Personal | None = None) -> tuple[Rendered, LaidOut]:
        """The rendered edition and its layout (with `personal`'s cover, if given)."""
        key = ("layout", edition, personal)
        if key not in self._made:
            pending = lay_out_editions([(self, edition, personal)], _each_here, NoStore())
            pending.install([task() for task in pending.tasks])
        return cast(tuple[Rendered, LaidOut], self._made[key])

    def starts_known(self, edition: Edition, personal: Personal | None) -> bool:
        """Whether where each page begins is known already (the layout may be under way)."""
        key = ("layout", edition, personal)
        return key in self._made or key in self._starts

    def request(self, edition: Edition, personal: Personal | None) -> Request:
        from workbook.writers.apart import Request  # WeasyPrint: only for a layout
        from workbook.writers.paged import PageMaker

        self.step(progress_label(edition), "laying out")
        rendered = render(self.book, edition, self.env, personal=personal)
        maker = PageMaker(rendered, self.book.project_dir / "chapters", self.fetcher())
        return Request(rendered, maker)

    def page_map(self, epub: Edition, personal: Personal | None = None) -> PageMap:
        """Where each page of the print edition matching `epub` (paper, region, discreet)
        begins."""
        edition = print_edition_for(epub)
        starts = self._starts.get(("layout", edition, personal))
        if starts is None:
            starts = self.get(edition, personal)[1].starts
        label = PAPERS[epub.paper]["label"]
        return PageMap(starts, f"the print edition ({label} paper)")


Wanted = tuple[Layouts, Edition, Personal | None]


class Pending:
    """Layouts whose parts are laid out: `tasks` finish them (in worker processes, say),
    `install` gives each Layouts what its tasks made."""

    def __init__(
        self, wanted: list[Wanted], requests: list[Request], layings: list[Laying]
    ) -> None:
        self.wanted = wanted
        self.requests = requests
        self.tasks = [laying.finish for laying in layings]
        for (layouts, edition, personal), laying in zip(wanted, layings, strict=True):
            if laying.starts is not None:
                layouts._starts[("layout", edition, personal)] = laying.starts

    def install(self, made: Sequence[LaidOut]) -> None:
        for (layouts, edition, personal), request, laid in zip(
            self.wanted, self.requests, made, strict=True
        ):
            layouts._made[("layout", edition, personal)] = (request.rendered, laid)
            layouts.read |= {Path(name) for name in laid.read}

    def install_for(self, layouts: Layouts, laid: LaidOut) -> None:
        """What the task of `layouts`'s layout made (each Layouts has one here)."""
        for (owner, edition, personal), request in zip(self.wanted, self.requests, strict=True):
            if owner is layouts:
                layouts._made[("layout", edition, personal)] = (request.rendered, laid)
                layouts.read |= {Path(name) for name in laid.read}


def lay_out_editions(wanted: Sequence[Wanted], run_each: RunEach, store: PartStore) -> Pending:
    """Every layout wanted, laid out together: their parts share the worker processes."""
    todo = list(dict.fromkeys(w for w in wanted if ("layout", w[1], w[2]) not in w[0]._made))
    if not todo:
        return Pending([], [], [])
    from workbook.writers.apart import lay_out_parts  # WeasyPrint: only for a layout

    requests = [layouts.request(edition, personal) for layouts, edition, personal in todo]
    return Pending(todo, requests, lay_out_parts(requests, run_each, store))


def print_edition_for(edition: Edition) -> Edition:
    """The print edition whose pages an EPUB's page list follows."""
    return replace(edition.plain(), format="print")


def progress_label(edition: Edition) -> str:
    """'print PDF', 'fillable PDF', 'EPUB': enough to tell the editions of one build apart."""
    return edition.record.label
