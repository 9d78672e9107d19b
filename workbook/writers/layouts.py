"""What the writers of one packet share in a build: each edition rendered and laid out at most
once (the PDF writer writes a layout, client copies reuse it with their own cover, the EPUB reads
its print page numbers from the print edition's layout), and anything else made once per packet.

A build lays out every edition it needs before any file is written (`lay_out_editions`), all
their parts in the same worker processes (writers/apart.py); a layout asked for later is made
then, in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from workbook.editions import PAPERS, Edition, Personal
from workbook.model import Book
from workbook.render import Environment, Rendered, render
from workbook.render.pages import PageMap
from workbook.resources import bundled_styles, bundled_templates, font_dir
from workbook.writers.apart import NoStore, PartStore, Request, RunAll, RunEach, lay_out_all
from workbook.writers.fetcher import SafeFetcher
from workbook.writers.laidout import LaidOut
from workbook.writers.paged import PageMaker

T = TypeVar("T")
Step = Callable[[str, str], None]  # (what, doing): where progress is reported
# A client line with no name, for the shared interior of client copies: each copy replaces
# the page that carries it.
BLANK = Personal("\u2003", "")


def _quiet(what: str, doing: str) -> None:
    pass


def _one_by_one(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    return [task() for task in tasks]


def _each_here(work: Callable[[int], Any], items: Sequence[int]) -> dict[int, Any]:
    return {item: work(item) for item in items}


class Layouts:
    def __init__(self, book: Book, env: Environment, step: Step = _quiet) -> None:
        self.book = book
        self.env = env
        self.step = step
        self.read: set[Path] = set()  # every file the layouts fetched, for the build cache
        self._made: dict[Hashable, object] = {}

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, or what it gave the first time it was asked for with `key`."""
        if key not in self._made:
            self._made[key] = make()
        return cast(T, self._made[key])

    def fetcher(self) -> SafeFetcher:
        """The only way a document reaches a file: inside the project or the bundled files."""
        roots = (self.book.project_dir, bundled_templates(), bundled_styles(), font_dir())
        return SafeFetcher(roots, self.read)

    def get(self, edition: Edition, personal: Personal | None = None) -> tuple[Rendered, LaidOut]:
        """The rendered edition and its layout (with `personal`'s cover, if given)."""
        key = ("layout", edition, personal)
        if key not in self._made:
            lay_out_editions([(self, edition, personal)], _one_by_one, _each_here, NoStore())
        return cast(tuple[Rendered, LaidOut], self._made[key])

    def request(self, edition: Edition, personal: Personal | None) -> Request:
        self.step(progress_label(edition), "laying out")
        rendered = render(self.book, edition, self.env, personal=personal)
        maker = PageMaker(rendered, self.book.project_dir / "chapters", self.fetcher())
        return Request(rendered, maker)

    def page_map(self, epub: Edition, personal: Personal | None = None) -> PageMap:
        """Where each page of the print edition matching `epub` (paper, region, discreet)
        begins."""
        _, laid = self.get(print_edition_for(epub), personal)
        label = PAPERS[epub.paper]["label"]
        return PageMap(laid.starts, f"the print edition ({label} paper)")


def lay_out_editions(
    wanted: Sequence[tuple[Layouts, Edition, Personal | None]],
    run_all: RunAll,
    run_each: RunEach,
    store: PartStore,
) -> None:
    """Every layout wanted, made together: their parts share the worker processes."""
    todo = list(dict.fromkeys(w for w in wanted if ("layout", w[1], w[2]) not in w[0]._made))
    requests = [layouts.request(edition, personal) for layouts, edition, personal in todo]
    made = lay_out_all(requests, run_all, run_each, store)
    for (layouts, edition, personal), request, laid in zip(todo, requests, made, strict=True):
        layouts._made[("layout", edition, personal)] = (request.rendered, laid)
        layouts.read |= {Path(name) for name in laid.read}


def print_edition_for(edition: Edition) -> Edition:
    """The print edition whose pages an EPUB's page list follows."""
    return replace(edition.plain(), format="print")


def progress_label(edition: Edition) -> str:
    """'print PDF', 'fillable PDF', 'EPUB': enough to tell the editions of one build apart."""
    return edition.record.label
