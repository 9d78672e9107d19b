"""Client copies in a build's plan: one job per client and edition, and an index CSV.

A client's name is printed on the personal page only. Files are numbered (`SLUG-copy-01...`)
unless names are asked for; the index maps numbers to names. Clients who get the same parts
share a packet, whose interior the writers lay out once; each copy only adds its personal page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from workbook.build.jobs import Extra, Job
from workbook.build.packets import UnknownParts, check_ids, select_parts
from workbook.editions import Edition, Personal
from workbook.errors import Problems
from workbook.model import Book
from workbook.sources.clients import Client
from workbook.sources.loader import source_date_epoch
from workbook.sources.settings import slugify


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


def copy_jobs(
    book: Book,
    editions: tuple[Edition, ...],
    clients: tuple[Client, ...],
    choice: tuple[tuple[str, ...], tuple[str, ...]],
    name_files: bool = False,
) -> tuple[tuple[Job, ...], Extra]:
    """Every client's copy of every edition, and the index. `choice` is (only, skip): the
    packet of a client whose row names no parts."""
    tags = file_tags(clients, name_files)
    day = prepared_on()
    jobs: list[Job] = []
    files: dict[int, list[str]] = {i: [] for i in range(len(clients))}
    for parts, members in _packets(clients, choice).items():
        packet = select_parts(book, *parts)
        for edition in editions:
            for index in members:
                name = edition.filename(f"{book.meta.slug}-{tags[index]}")
                personal = Personal(clients[index].name, date_text(day, edition.region))
                jobs.append(Job(name, edition, packet, personal))
                files[index].append(name)
    index_name = f"{book.meta.slug}-index.csv"
    return tuple(jobs), Extra(index_name, _index(clients, files), "index of copies")


def _packets(
    clients: tuple[Client, ...], choice: tuple[tuple[str, ...], tuple[str, ...]]
) -> dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]]:
    """Clients grouped by the parts they get, so each packet is laid out once."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for index, client in enumerate(clients):
        key = (client.parts, ()) if client.parts else choice
        groups.setdefault(key, []).append(index)
    return groups


def _index(clients: tuple[Client, ...], files: dict[int, list[str]]) -> str:
    """Every cell quoted, and one a spreadsheet would take for a formula made plain text
    (OWASP's advice on CSV injection): a name like `=HYPERLINK(...)` opens as words."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["number", "name", "parts", "files"])
    for index, client in enumerate(clients):
        row = [str(index + 1), client.name, " ".join(client.parts), " ".join(files[index])]
        writer.writerow([inert(cell) for cell in row])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell no spreadsheet runs: one that starts like a formula gets a leading quote."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
