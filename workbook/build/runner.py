"""Runs a build's editions: skips the ones the cache says are fresh, then lays out and writes
the rest, in parallel processes when there are cores to spare.

Editions that share a layout run in one process: the EPUB's page list comes from the print
edition's layout, so the EPUB goes with the print edition on the same paper. Each process writes
its own staged temporary files; they are moved into place together once every one is complete,
so the files are the same bytes however many processes made them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from workbook.build import parallel
from workbook.build.cache import BuildCache
from workbook.editions import Edition
from workbook.model import Book
from workbook.render import environment
from workbook.writers.layouts import Layouts, print_edition_for
from workbook.writers.staging import staging

# Writes one edition into a temporary file; returns a few words on what it wrote.
Writer = Callable[[Edition, Layouts, Path], str]
# What a process sends back: the words for each edition it wrote, and the files it read.
GroupResult = tuple[dict[int, str], set[Path]]


def run_editions(
    book: Book,
    output_dir: Path,
    editions: tuple[Edition, ...],
    writers: dict[str, Writer],
    use_cache: bool = True,
) -> list[tuple[Path, str]]:
    """(file, words for the summary) for each edition, built or still fresh from last time."""
    editions = tuple(dict.fromkeys(editions))  # asked twice, made once
    names = [edition.filename(book.meta.slug) for edition in editions]
    cache = BuildCache(output_dir, book) if use_cache else None
    details: dict[int, str] = {}
    if cache is not None:
        for index, (edition, name) in enumerate(zip(editions, names, strict=True)):
            if (detail := cache.fresh(edition, name)) is not None:
                details[index] = f"{detail}, up to date"
    todo = [index for index in range(len(editions)) if index not in details]
    if todo:
        built, read = _build(book, output_dir, editions, names, todo, writers)
        details.update(built)
        if cache is not None:
            for index, detail in built.items():
                cache.store(editions[index], names[index], detail, read)
    return [(output_dir / name, details[index]) for index, name in enumerate(names)]


def _build(
    book: Book,
    output_dir: Path,
    editions: tuple[Edition, ...],
    names: list[str],
    todo: list[int],
    writers: dict[str, Writer],
) -> GroupResult:
    layouts = Layouts(book, environment(book.project_dir))
    groups = layout_groups(editions, todo)
    if len(groups) > 1 and parallel.can_fork():
        import weasyprint  # noqa: F401  once, before the workers start, rather than in each
    with staging(output_dir) as stage:
        temps = {index: stage.temp_for(names[index]) for index in todo}
        tasks = [partial(_run_group, group, editions, temps, layouts, writers) for group in groups]
        results = parallel.run_all(tasks)
        stage.commit()
    details: dict[int, str] = {}
    read: set[Path] = set()
    for group_details, group_read in results:
        details.update(group_details)
        read |= group_read
    return details, read


def layout_groups(editions: tuple[Edition, ...], todo: list[int]) -> list[list[int]]:
    """Indexes of the editions to make, grouped so that no layout is made twice."""
    groups: list[list[int]] = []
    by_edition: dict[Edition, list[int]] = {}
    for index in todo:
        if editions[index].format != "epub":
            groups.append([index])
            by_edition[editions[index]] = groups[-1]
    for index in todo:
        if editions[index].format == "epub":
            host = by_edition.get(print_edition_for(editions[index]))
            if host is None:
                groups.append([index])
            else:
                host.append(index)
    return groups


def _run_group(
    group: list[int],
    editions: tuple[Edition, ...],
    temps: dict[int, Path],
    layouts: Layouts,
    writers: dict[str, Writer],
) -> GroupResult:
    """The editions that share a layout. Once it is made, writing the print PDF and packaging
    the EPUB go on side by side, each in its own process."""
    write = partial(_write_one, editions=editions, temps=temps, layouts=layouts, writers=writers)
    if len(group) > 1 and parallel.can_fork():
        layouts.get(editions[group[0]])  # the print layout, which the EPUB's page list reads
        outcomes = parallel.run_all([partial(write, index) for index in group])
    else:
        outcomes = [write(index) for index in group]
    details = {index: detail for index, detail, _ in outcomes}
    return details, set().union(*(read for _, _, read in outcomes))


def _write_one(
    index: int,
    editions: tuple[Edition, ...],
    temps: dict[int, Path],
    layouts: Layouts,
    writers: dict[str, Writer],
) -> tuple[int, str, set[Path]]:
    edition = editions[index]
    detail = writers[edition.format](edition, layouts, temps[index])
    return index, detail, set(layouts.read)
