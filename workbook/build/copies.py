"""Client copies in a build's plan: one job per client and edition, and the index of who has
which copy.

A client's name is printed on the personal page only. Files are numbered (`SLUG-copy-04...`)
unless names are asked for. Numbers go on from the highest already used, in the output folder
or in the index, so a copy or batch never replaces an earlier one; a copy named after its
client does not replace an earlier file of that name unless asked (--replace). The index
lives in a folder of its own beside the output folder (`private/`), never among the files to
send, and each build adds its rows to it. Clients who get the same parts share a packet, whose
interior the writers lay out once; each copy only adds its personal page.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from workbook.build.jobs import Extra, Job
from workbook.build.packets import UnknownParts, check_ids, select_parts
from workbook.editions import Edition, Personal
from workbook.errors import Problem, Problems, WorkbookError
from workbook.model import Book
from workbook.safefiles import display_name, read_text
from workbook.sources.clients import Client
from workbook.sources.loader import source_date_epoch
from workbook.sources.settings import slugify

PRIVATE_DIR = "private"  # beside the output folder: the index of who has which copy
INDEX_HEADER = ["number", "name", "prepared", "parts", "files"]
MAX_INDEX_BYTES = 20_000_000


HEADING_HINT = (
    " If the second column holds last names, add a first row that names the columns: "
    "First name,Last name"
)


def check_clients(
    book: Book, clients: tuple[Client, ...], file: str, worksheets: bool, headed: bool = True
) -> None:
    """Every client's parts are in the workbook (and worksheets, for a handout)."""
    problems = Problems()
    sheets = {part.id for part in book.worksheets}
    for client in clients:
        try:
            check_ids(book, client.parts)
        except UnknownParts as error:
            hint = "" if headed or not client.line else HEADING_HINT
            problems.add(file, f"{error}{hint}", client.line)
            continue
        chapters = [part for part in client.parts if part not in sheets]
        if worksheets and chapters:
            message = f"'{chapters[0]}' is a chapter; a handout holds worksheets"
            problems.add(file, message, client.line)
    problems.raise_if_any()


def prepared_on() -> dt.date:
    """The date on a client's cover: today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    return source_date_epoch() or dt.date.today()


def date_text(day: dt.date, region: str | None) -> str:
    if region == "us":
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def private_dir(output_dir: Path) -> Path:
    return output_dir.parent / PRIVATE_DIR


def index_name(slug: str) -> str:
    return f"{slug}-clients.csv"


@dataclasses.dataclass(frozen=True)
class Index:
    """The index as it is: its text (to add to) and the highest copy number it names."""

    text: str
    highest: int


def read_index(folder: Path, slug: str, output_dir: Path) -> Index:
    path = folder / index_name(slug)
    if not path.exists():
        return Index("", 0)
    file = display_name(path, output_dir.parent)
    text = read_text(path, file, (folder,), MAX_INDEX_BYTES)
    numbers = [int(m) for m in re.findall(r'^"?\'?([0-9]{1,9})"?[,;\t]', text, re.MULTILINE)]
    return Index(text, max(numbers, default=0))


def first_number(output_dir: Path, slug: str, index: Index) -> int:
    """One past the highest copy number in the output folder's names and in the index."""
    pattern = re.compile(rf"^{re.escape(slug)}-copy-([0-9]{{1,9}})(?![0-9])")
    found = [index.highest]
    if output_dir.is_dir():
        found += [int(m.group(1)) for p in output_dir.iterdir() if (m := pattern.match(p.name))]
    return max(found) + 1


def file_tags(clients: tuple[Client, ...], first: int, name_files: bool) -> tuple[str, ...]:
    """'copy-04', 'copy-05', ... or, when asked, the names as file-safe words (made unique;
    a name with no Latin letters keeps its number)."""
    width = max(2, len(str(first + len(clients) - 1)))
    numbers = [f"copy-{n:0{width}d}" for n in range(first, first + len(clients))]
    if not name_files:
        return tuple(numbers)
    tags: list[str] = []
    for client, number in zip(clients, numbers, strict=True):
        base = slugify(client.name, default=number)
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
    tags: tuple[str, ...],
) -> tuple[tuple[Job, ...], dict[int, list[str]]]:
    """Every client's copy of every edition, and the files each client gets. `choice` is
    (only, skip): the packet of a client whose row names no parts. A handout's edition holds
    its worksheets: a client's own list of them replaces the command's."""
    day = prepared_on()
    jobs: list[Job] = []
    files: dict[int, list[str]] = {i: [] for i in range(len(clients))}
    for parts, members in _packets(clients, choice).items():
        for edition in editions:
            packet = book if edition.parts else select_parts(book, *parts)
            for index in members:
                mine = edition
                if edition.parts and clients[index].parts:
                    mine = dataclasses.replace(edition, parts=clients[index].parts)
                name = mine.filename(f"{book.meta.slug}-{tags[index]}")
                personal = Personal(clients[index].name, date_text(day, edition.region))
                jobs.append(Job(name, mine, packet, personal))
                files[index].append(name)
    return tuple(jobs), files


def refuse_replacing(jobs: tuple[Job, ...], output_dir: Path) -> None:
    """A copy named after a client never silently replaces an earlier one of that name."""
    there = [job.name for job in jobs if (output_dir / job.name).exists()]
    if there:
        message = (
            "is already there, from an earlier copy for this client; nothing was written. "
            "Add --replace to make it again, or move the earlier copy away first"
        )
        raise WorkbookError([Problem(str(output_dir / name), message) for name in there])


def index_extra(
    index: Index,
    folder: Path,
    slug: str,
    clients: tuple[Client, ...],
    first: int,
    files: dict[int, list[str]],
) -> Extra:
    """The index with this build's rows added: every cell quoted, and one a spreadsheet would
    take for a formula made plain text (OWASP's advice on CSV injection)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    if not index.text.strip():
        writer.writerow(INDEX_HEADER)
    day = prepared_on().isoformat()
    for number, client in enumerate(clients):
        parts = " ".join(client.parts)
        row = [str(first + number), client.name, day, parts, " ".join(files[number])]
        writer.writerow([inert(cell) for cell in row])
    before = index.text if not index.text or index.text.endswith("\n") else index.text + "\n"
    detail = "who has which copy: keep it private, never send it"
    return Extra(index_name(slug), before + out.getvalue(), detail, folder)


def _packets(
    clients: tuple[Client, ...], choice: tuple[tuple[str, ...], tuple[str, ...]]
) -> dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]]:
    """Clients grouped by the parts they get, so each packet is laid out once."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for index, client in enumerate(clients):
        key = (client.parts, ()) if client.parts else choice
        groups.setdefault(key, []).append(index)
    return groups


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell no spreadsheet runs: one that starts like a formula gets a leading quote."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
