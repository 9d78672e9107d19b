"""The build: read everything first, render each edition through the one path, then write."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.build import limits, progress
from workbook.build.copies import check_clients, write_copies
from workbook.build.discreet import discreet_book
from workbook.build.limits import time_limit
from workbook.build.packets import check_ids, select_parts
from workbook.editions import Edition
from workbook.model import Book
from workbook.render import render
from workbook.sources.brand import read_brand_file
from workbook.sources.clients import Client
from workbook.sources.helplines import region_from_language
from workbook.sources.loader import load_book
from workbook.writers.layouts import Layouts, progress_label

if TYPE_CHECKING:
    from workbook.writers.pdf import PdfResult


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


@dataclass(frozen=True)
class Choices:
    """What the command line chose beyond format and paper (therapists' editions)."""

    brand_file: Path | None = None
    discreet: bool = False
    region: str | None = None  # None: from the brand, else from the workbook's language
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    clients: tuple[Client, ...] = ()
    clients_file: str = "--client"  # where the clients came from, for messages
    name_files: bool = False


def build(
    project_dir: Path,
    output_dir: Path,
    editions: Iterable[Edition],
    choices: Choices = Choices(),  # frozen, so one shared default is safe
    use_cache: bool = True,
) -> BuildReport:
    started = time.perf_counter()
    with time_limit(limits.BUILD_SECONDS, "the build"):
        book = load_book(project_dir)  # every content problem is found before anything is written
        book = _apply_choices(book, choices)
        written = _write_chosen(book, output_dir, editions, choices, use_cache)
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def _write_chosen(
    book: Book, output_dir: Path, editions: Iterable[Edition], choices: Choices, use_cache: bool
) -> tuple[Written, ...]:
    """The editions as chosen: discreet and region applied, then client copies or one set."""
    region = choices.region or _default_region(book)
    chosen = tuple(
        dataclasses.replace(e, discreet=choices.discreet, region=region) for e in editions
    )
    if not choices.clients:
        packet = select_parts(book, choices.only, choices.skip)
        return write_editions(packet, output_dir, chosen, use_cache)
    check_clients(book, choices.clients, choices.clients_file)
    copies = write_copies(
        book, output_dir, chosen, choices.clients, (choices.only, choices.skip), choices.name_files
    )
    return tuple(Written(c.path, c.detail) for c in copies)


def _apply_choices(book: Book, choices: Choices) -> Book:
    """Another brand file, then the discreet title; parts are chosen per copy later."""
    check_ids(book, (*choices.only, *choices.skip))
    if choices.brand_file is not None:
        brand = read_brand_file(choices.brand_file, book.project_dir)
        meta = dataclasses.replace(book.meta, publisher=brand.practice if brand else "")
        book = dataclasses.replace(book, brand=brand, meta=meta)
    return discreet_book(book) if choices.discreet else book


def _default_region(book: Book) -> str | None:
    if book.brand is not None and book.brand.region:
        return book.brand.region
    return region_from_language(book.meta.language)


def build_handout(
    book: Book, output_dir: Path, edition: Edition, use_cache: bool = True
) -> BuildReport:
    """A packet of just the worksheets named in `edition.parts` (checked with
    `packets.unknown_worksheets`)."""
    started = time.perf_counter()
    written = write_editions(book, output_dir, (edition,), use_cache)
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def write_editions(
    book: Book, output_dir: Path, editions: tuple[Edition, ...], use_cache: bool = True
) -> tuple[Written, ...]:
    """Skips editions still fresh from the last build; the rest in parallel (runner.py)."""
    from workbook.build.runner import run_editions

    done = run_editions(book, output_dir, editions, WRITERS, use_cache)
    return tuple(Written(path, detail) for path, detail in done)


def _write_pdf(edition: Edition, layouts: Layouts, temp: Path) -> str:
    from workbook.writers.pdf import write_pdf

    rendered, layout = layouts.get(edition)
    progress.step(progress_label(edition), "writing")
    detail = describe_pdf(edition, write_pdf(rendered, layout, temp))
    progress.step(progress_label(edition), "done")
    return detail


def describe_pdf(edition: Edition, pdf: PdfResult) -> str:
    """A few words for the summary line: 'print PDF, A4, 52 pages'."""
    fields = f", {pdf.fields} fields" if pdf.fields else ""
    sheets = f" on {pdf.sheets} sheets" if pdf.sheets else ""
    return f"{edition.describe()}, {pdf.pages} pages{sheets}{fields}"


def _write_epub(edition: Edition, layouts: Layouts, temp: Path) -> str:
    """The EPUB's page numbers come from the print edition on the same paper."""
    from workbook.writers.cover import draw_cover
    from workbook.writers.epub import write_epub

    book = layouts.book
    pages = layouts.page_map(edition)
    progress.step("EPUB", "packaging")
    rendered = render(book, edition, layouts.env, pages=pages)
    result = write_epub(rendered, book.meta, draw_cover(book.meta), temp)
    progress.step("EPUB", "done")
    return f"EPUB, {result.files} parts"


WRITERS: dict[str, Callable[[Edition, Layouts, Path], str]] = {
    "print": _write_pdf,
    "fillable": _write_pdf,
    "handout": _write_pdf,
    "epub": _write_epub,
}
