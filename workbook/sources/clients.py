"""The client list for `--clients FILE.csv`: a name per row, then optionally that client's
part ids. Like `--brand`, the file may live outside the workbook, but only as a regular file
in its own folder (not a link to a file elsewhere, a pipe or a device) of bounded size."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import Problems, WorkbookError
from workbook.safefiles import display_name, read_text
from workbook.sources import bounds

MAX_NAME = 120
MAX_CLIENTS_BYTES = 1_000_000
HEADER_NAMES = ("name", "client", "client name")


@dataclass(frozen=True)
class Client:
    name: str
    parts: tuple[str, ...] = ()  # this client's packet; empty: the --only/--skip choice
    line: int | None = None


def split_ids(values: Iterable[str]) -> tuple[str, ...]:
    """'a,b c' and repeated options all give ('a', 'b', 'c')."""
    return tuple(i for value in values for i in re.split(r"[\s,;]+", value) if i)


def read_clients(path: Path, project_dir: Path) -> tuple[Client, ...]:
    """A CSV file: a name per row, then optionally the part ids for that client."""
    file = display_name(path, project_dir)
    text = read_text(path, file, (project_dir, path.parent), MAX_CLIENTS_BYTES)
    problems = Problems()
    clients: list[Client] = []
    rows = csv.reader(io.StringIO(text))
    try:
        for number, row in enumerate(rows, start=1):
            cells = [c.strip() for c in row]
            if not any(cells) or (number == 1 and cells[0].lower() in HEADER_NAMES):
                continue
            if bounds.CLIENTS.over(len(clients) + 1):
                problems.add(file, bounds.CLIENTS.message(), number)
                break
            name, parts = cells[0], split_ids(cells[1:])
            if not name:
                problems.add(file, "this row has parts but no name in the first column", number)
            elif len(name) > MAX_NAME:
                problems.add(file, f"the name is longer than {MAX_NAME} characters", number)
            clients.append(Client(name=name, parts=parts, line=number))
    except csv.Error as error:  # e.g. a cell past csv's field size limit
        message = f"cannot be read as a list of names ({error})"
        raise WorkbookError.one(file, message, rows.line_num) from None
    if not clients and not problems.items:
        problems.add(file, "has no names; write one name per row")
    problems.raise_if_any()
    return tuple(clients)
