"""What the writers of one packet share in a build: each edition rendered and laid out at most
once (the PDF writer writes a layout, client copies reuse it with their own cover, the EPUB reads
its print page numbers from the print edition's layout), anything else made once per packet, and
for a site the files the build made before it (its downloads).

WeasyPrint is imported only when a layout is made, so a build of the web edition alone (and
`workbook serve`) never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from workbook.editions import PAPERS, Download, Edition, Personal
from workbook.model import Book
from workbook.render import Environment, Rendered, render
from workbook.render.pages import PageMap, find_page_starts
from workbook.resources import bundled_styles, bundled_templates, font_dir

if TYPE_CHECKING:  # the type only: the fetcher brings in WeasyPrint
    from workbook.writers.fetcher import SafeFetcher

T = TypeVar("T")
Step = Callable[[str, str], None]  # (what, doing): where progress is reported
# A client line with no name, for the shared interior of client copies: each copy replaces
# the page that carries it.
BLANK = Personal("\u2003", "")


def _quiet(what: str, doing: str) -> None:
    pass


class Layouts:
    def __init__(
        self,
        book: Book,
        env: Environment,
        step: Step = _quiet,
        downloads: tuple[Download, ...] = (),
    ) -> None:
        self.book = book
        self.env = env
        self.step = step
        self.downloads = downloads
        self.read: set[Path] = set()  # every file the layouts fetched, for the build cache
        self._made: dict[Hashable, object] = {}

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
        return SafeFetcher(roots, self.read)

    def get(self, edition: Edition, personal: Personal | None = None) -> tuple[Rendered, Any]:
        """The rendered edition and its WeasyPrint layout (with `personal`'s cover, if given)."""
        return self.once(("layout", edition, personal), lambda: self._lay_out(edition, personal))

    def _lay_out(self, edition: Edition, personal: Personal | None) -> tuple[Rendered, Any]:
        from workbook.writers.paged import lay_out  # WeasyPrint: only for a layout

        self.step(progress_label(edition), "laying out")
        rendered = render(self.book, edition, self.env, personal=personal)
        return rendered, lay_out(rendered, self.book.project_dir / "chapters", self.fetcher())

    def page_map(self, epub: Edition, personal: Personal | None = None) -> PageMap:
        """Where each page of the print edition matching `epub` (paper, region, discreet,
        large print) begins."""
        _, layout = self.get(print_edition_for(epub), personal)
        label = PAPERS[epub.paper]["label"]
        name = "large-print edition" if epub.large_print else "print edition"
        return PageMap(find_page_starts(layout.pages), f"the {name} ({label} paper)")


def print_edition_for(edition: Edition) -> Edition:
    """The print edition whose pages an EPUB's page list follows: the large-print one for a
    large-print EPUB."""
    return replace(edition.plain(), format="print", large_print=edition.large_print)


def progress_label(edition: Edition) -> str:
    """'print PDF', 'fillable PDF', 'EPUB': enough to tell the editions of one build apart."""
    return edition.record.label
