"""The build: read everything first, render each edition through the one path, then write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from workbook import limits
from workbook.editions import Edition
from workbook.limits import time_limit
from workbook.loader import load_book
from workbook.model import Book
from workbook.render import Rendered, environment, render
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
    with time_limit(limits.BUILD_SECONDS, "the build"):
        book = load_book(project_dir)  # every content problem is found before anything is written
        written = write_editions(book, output_dir, tuple(editions))
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def write_editions(
    book: Book, output_dir: Path, editions: tuple[Edition, ...]
) -> tuple[Written, ...]:
    env = environment(book.project_dir)
    results: list[Written] = []
    with staging(output_dir) as stage:
        for edition in editions:
            rendered = render(book, edition, env)
            name = edition.filename(book.meta.slug)
            temp = stage.temp_for(name)
            results.append(Written(output_dir / name, _write(book, rendered, temp)))
        stage.commit()
    return tuple(results)


def _write(book: Book, rendered: Rendered, temp: Path) -> str:
    """Hand a rendered edition to its writer; returns a few words on what was written."""
    return WRITERS[rendered.edition.format](book, rendered, temp)


def _write_print(book: Book, rendered: Rendered, temp: Path) -> str:
    from workbook.fetcher import SafeFetcher
    from workbook.writers.pdf import write_pdf

    fetcher = SafeFetcher((book.project_dir, bundled_templates(), bundled_styles(), font_dir()))
    pdf = write_pdf(rendered, temp, book.project_dir / "chapters", fetcher)
    edition = rendered.edition
    return f"{edition.format} PDF, {edition.page_size['label']}, {pdf.pages} pages"


def _write_epub(book: Book, rendered: Rendered, temp: Path) -> str:
    from workbook.cover import draw_cover
    from workbook.writers.epub import write_epub

    result = write_epub(rendered, book.meta, draw_cover(book.meta), temp)
    return f"EPUB, {result.files} parts"


WRITERS: dict[str, Callable[[Book, Rendered, Path], str]] = {
    "print": _write_print,
    "epub": _write_epub,
}
