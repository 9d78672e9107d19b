"""The build: read everything first, render each edition through the one path, then write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.editions import PAPERS, Edition
from workbook.errors import did_you_mean
from workbook.loader import load_book
from workbook.model import Book
from workbook.pages import PageMap
from workbook.render import Environment, Rendered, environment, render
from workbook.resources import bundled_styles, bundled_templates, font_dir
from workbook.writers.staging import staging


@dataclass(frozen=True)
class Written:
    path: Path
    detail: str


@dataclass(frozen=True)
class BuildReport:
    written: tuple[Written, ...]
    seconds: float

    def summary(self, relative_to: Path) -> str:
        parts = [f"{_display(w.path, relative_to)} ({w.detail})" for w in self.written]
        return f"Wrote {', '.join(parts)} in {self.seconds:.1f} s."


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def build(project_dir: Path, output_dir: Path, editions: Iterable[Edition]) -> BuildReport:
    started = time.perf_counter()
    book = load_book(project_dir)  # every content problem is found before anything is written
    written = write_editions(book, output_dir, tuple(editions))
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def build_handout(book: Book, output_dir: Path, edition: Edition) -> BuildReport:
    """A packet of just the worksheets named in `edition.parts` (checked with `unknown_ids`)."""
    started = time.perf_counter()
    written = write_editions(book, output_dir, (edition,))
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def unknown_ids(book: Book, ids: tuple[str, ...]) -> list[str]:
    """What is wrong with the worksheet ids asked for, in plain words (empty if all is well)."""
    worksheets = [part.id for part in book.worksheets]
    problems = []
    for part_id in ids:
        if part_id in worksheets:
            continue
        if any(part.id == part_id for part in book.parts):
            problems.append(f"'{part_id}' is a chapter; a handout holds worksheets.")
        else:
            hint = did_you_mean(part_id, worksheets)
            problems.append(f"there is no worksheet '{part_id}'{hint}.")
    if problems:
        problems.append(f"The worksheets in this workbook are: {', '.join(worksheets) or 'none'}.")
    return problems


class Layouts:
    """Each PDF edition is rendered and laid out at most once per build: the PDF writer
    writes it, and the EPUB takes its print page numbers from the print edition's layout."""

    def __init__(self, book: Book, env: Environment) -> None:
        self.book = book
        self.env = env
        self._done: dict[Edition, tuple[Rendered, Any]] = {}

    def get(self, edition: Edition) -> tuple[Rendered, Any]:
        if edition not in self._done:
            from workbook.fetcher import SafeFetcher
            from workbook.writers.pdf import lay_out

            rendered = render(self.book, edition, self.env)
            roots = (self.book.project_dir, bundled_templates(), bundled_styles(), font_dir())
            layout = lay_out(rendered, self.book.project_dir / "chapters", SafeFetcher(roots))
            self._done[edition] = (rendered, layout)
        return self._done[edition]

    def page_map(self, paper: str) -> PageMap:
        """Where each page of the plain print edition on `paper` begins."""
        from workbook.pages import find_page_starts

        _, layout = self.get(Edition("print", paper))
        label = PAPERS[paper]["label"]
        return PageMap(find_page_starts(layout.pages), f"the print edition ({label} paper)")


def write_editions(
    book: Book, output_dir: Path, editions: tuple[Edition, ...]
) -> tuple[Written, ...]:
    layouts = Layouts(book, environment(book.project_dir))
    results: list[Written] = []
    with staging(output_dir) as stage:
        for edition in editions:
            name = edition.filename(book.meta.slug)
            detail = WRITERS[edition.format](edition, layouts, stage.temp_for(name))
            results.append(Written(output_dir / name, detail))
        stage.commit()
    return tuple(results)


def _write_pdf(edition: Edition, layouts: Layouts, temp: Path) -> str:
    from workbook.writers.pdf import write_pdf

    rendered, layout = layouts.get(edition)
    pdf = write_pdf(rendered, layout, temp)
    fields = f", {pdf.fields} fields" if pdf.fields else ""
    sheets = f" on {pdf.sheets} sheets" if pdf.sheets else ""
    return f"{edition.describe()}, {pdf.pages} pages{sheets}{fields}"


def _write_epub(edition: Edition, layouts: Layouts, temp: Path) -> str:
    """The EPUB's page numbers come from the print edition on the same paper."""
    from workbook.cover import draw_cover
    from workbook.writers.epub import write_epub

    book = layouts.book
    rendered = render(book, edition, layouts.env, pages=layouts.page_map(edition.paper))
    result = write_epub(rendered, book.meta, draw_cover(book.meta), temp)
    return f"EPUB, {result.files} parts"


WRITERS: dict[str, Callable[[Edition, Layouts, Path], str]] = {
    "print": _write_pdf,
    "fillable": _write_pdf,
    "handout": _write_pdf,
    "epub": _write_epub,
}
