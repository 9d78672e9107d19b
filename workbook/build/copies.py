"""Client copies: one PDF and EPUB per client, and an index CSV beside them.

A client's name is printed on the personal page only. Files are numbered (`SLUG-copy-01...`)
unless names are asked for; the index maps numbers to names. The shared interior is rendered
and laid out once per packet; each copy only adds its own personal page.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbook.build.packets import UnknownParts, check_ids, select_parts
from workbook.editions import Edition, Personal
from workbook.errors import Problems
from workbook.model import Book
from workbook.render import TITLE_PAGE, environment, render, render_personal
from workbook.sources.clients import Client
from workbook.sources.loader import source_date_epoch
from workbook.sources.settings import slugify
from workbook.writers.layouts import Layouts
from workbook.writers.staging import staging

# Writes one copy for a client into a temporary file; returns a few words on what it wrote.
CopyWriter = Callable[[Personal, Path], str]


@dataclass(frozen=True)
class CopyFile:
    path: Path
    detail: str


def check_clients(book: Book, clients: tuple[Client, ...], file: str) -> None:
    problems = Problems()
    for client in clients:
        try:
            check_ids(book, client.parts)
        except UnknownParts as error:
            problems.add(file, str(error), client.line)
    problems.raise_if_any()


def prepared_on() -> dt.date:
    """The date on a client's cover: today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    return source_date_epoch() or dt.date.today()


def date_text(day: dt.date, region: str | None) -> str:
    if region == "us":
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def file_tags(clients: tuple[Client, ...], name_files: bool) -> tuple[str, ...]:
    """'copy-01', 'copy-02', ... or, when asked, the names as file-safe words (made unique)."""
    if not name_files:
        width = max(2, len(str(len(clients))))
        return tuple(f"copy-{n:0{width}d}" for n in range(1, len(clients) + 1))
    tags: list[str] = []
    for client in clients:
        base = slugify(client.name)
        tag, n = base, 2
        while tag in tags:
            tag, n = f"{base}-{n}", n + 1
        tags.append(tag)
    return tuple(tags)


def write_copies(
    book: Book,
    output_dir: Path,
    editions: tuple[Edition, ...],
    clients: tuple[Client, ...],
    choice: tuple[tuple[str, ...], tuple[str, ...]],
    name_files: bool = False,
) -> tuple[CopyFile, ...]:
    """Every client's copy of every edition, and the index. `choice` is (only, skip)."""
    env = environment(book.project_dir)
    tags = file_tags(clients, name_files)
    day = prepared_on()
    written: list[CopyFile] = []
    files: dict[int, list[str]] = {i: [] for i in range(len(clients))}
    with staging(output_dir) as stage:
        for parts, members in _packets(clients, choice).items():
            packet = select_parts(book, *parts)
            layouts = Layouts(packet, env)
            for edition in editions:
                write = COPY_WRITERS[edition.format](packet, edition, layouts)
                for index in members:
                    client = clients[index]
                    name = edition.filename(f"{book.meta.slug}-{tags[index]}")
                    personal = Personal(client.name, date_text(day, edition.region))
                    detail = write(personal, stage.temp_for(name))
                    written.append(CopyFile(output_dir / name, detail))
                    files[index].append(name)
        index_name = f"{book.meta.slug}-index.csv"
        _write_index(stage.temp_for(index_name), clients, files)
        written.append(CopyFile(output_dir / index_name, "index of copies"))
        stage.commit()
    return tuple(written)


def _packets(
    clients: tuple[Client, ...], choice: tuple[tuple[str, ...], tuple[str, ...]]
) -> dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]]:
    """Clients grouped by the parts they get, so each packet is laid out once."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for index, client in enumerate(clients):
        key = (client.parts, ()) if client.parts else choice
        groups.setdefault(key, []).append(index)
    return groups


def _write_index(temp: Path, clients: tuple[Client, ...], files: dict[int, list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["number", "name", "parts", "files"])
    for index, client in enumerate(clients):
        parts = " ".join(client.parts)
        writer.writerow([index + 1, client.name, parts, " ".join(files[index])])
    temp.write_text(out.getvalue(), encoding="utf-8")


def _pdf_writer(book: Book, edition: Edition, layouts: Layouts) -> CopyWriter:
    """The shared interior is laid out and written once; each copy swaps in its own cover.
    The shared cover has a blank client line, so each copy's cover has the same shape."""
    from workbook.build import describe_pdf
    from workbook.writers.pdf import PageMaker, write_pdf
    from workbook.writers.pdfcopies import write_with_cover

    rendered, layout = layouts.get(edition, BLANK)
    with tempfile.TemporaryDirectory() as folder:
        shared_path = Path(folder) / "shared.pdf"
        pdf = write_pdf(rendered, layout, shared_path)
        shared = shared_path.read_bytes()
    maker = PageMaker(rendered, book.project_dir / "chapters", layouts.fetcher())

    def write(personal: Personal, temp: Path) -> str:
        cover = maker.make(render_personal(book, edition, personal, layouts.env))
        write_with_cover(shared, cover, temp)
        return describe_pdf(edition, pdf)

    return write


def _epub_writer(book: Book, edition: Edition, layouts: Layouts) -> CopyWriter:
    """Only the title page differs from copy to copy."""
    from workbook.writers.cover import draw_cover
    from workbook.writers.epub import write_epub

    rendered = render(book, edition, layouts.env, layouts.page_map(edition), BLANK)
    cover_png = draw_cover(book.meta)

    def write(personal: Personal, temp: Path) -> str:
        page = render_personal(book, edition, personal, layouts.env)
        documents = tuple(page if d.name == TITLE_PAGE else d for d in rendered.documents)
        copy = dataclasses.replace(rendered, documents=documents)
        result = write_epub(copy, book.meta, cover_png, temp)
        return f"EPUB, {result.files} parts"

    return write


# A client line with no name, for the shared interior: each copy replaces that page.
BLANK = Personal("\u2003", "")

COPY_WRITERS: dict[str, Callable[[Book, Edition, Layouts], CopyWriter]] = {
    "print": _pdf_writer,
    "fillable": _pdf_writer,
    "epub": _epub_writer,
}
