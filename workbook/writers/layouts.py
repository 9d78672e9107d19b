"""Laid-out PDF editions, made at most once per build and shared by everything that needs them:
the PDF writer writes a layout, client copies reuse it with their own cover, and the EPUB reads
its print page numbers from the print edition's layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbook.build import progress
from workbook.editions import PAPERS, Edition, Personal
from workbook.model import Book
from workbook.render import Environment, Rendered, render
from workbook.render.pages import PageMap
from workbook.resources import bundled_styles, bundled_templates, font_dir


class Layouts:
    def __init__(self, book: Book, env: Environment) -> None:
        self.book = book
        self.env = env
        self._done: dict[tuple[Edition, Personal | None], tuple[Rendered, Any]] = {}
        self.read: set[Path] = set()  # every file the layouts fetched, for the build cache

    def fetcher(self) -> Any:
        """The only way a document reaches a file: inside the project or the bundled files."""
        from workbook.writers.recording import RecordingFetcher

        roots = (self.book.project_dir, bundled_templates(), bundled_styles(), font_dir())
        return RecordingFetcher(roots, self.read)

    def get(self, edition: Edition, personal: Personal | None = None) -> tuple[Rendered, Any]:
        """The rendered edition and its WeasyPrint layout (with `personal`'s cover, if given)."""
        key = (edition, personal)
        if key not in self._done:
            from workbook.writers.pdf import lay_out

            progress.step(progress_label(edition), "laying out")
            rendered = render(self.book, edition, self.env, personal=personal)
            layout = lay_out(rendered, self.book.project_dir / "chapters", self.fetcher())
            self._done[key] = (rendered, layout)
        return self._done[key]

    def page_map(self, epub: Edition) -> PageMap:
        """Where each page of the print edition matching `epub` (paper, region, discreet)
        begins."""
        from workbook.render.pages import find_page_starts

        _, layout = self.get(print_edition_for(epub))
        label = PAPERS[epub.paper]["label"]
        return PageMap(find_page_starts(layout.pages), f"the print edition ({label} paper)")


def print_edition_for(epub: Edition) -> Edition:
    """The print edition whose pages the EPUB's page list follows."""
    return Edition("print", epub.paper, discreet=epub.discreet, region=epub.region)


def progress_label(edition: Edition) -> str:
    """'print PDF', 'fillable PDF', 'EPUB': enough to tell the editions of one build apart."""
    return edition.describe().split(",")[0]
