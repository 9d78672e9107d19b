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
from workbook.safefiles import display_name, invisible_character, read_text
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


# Characters that change the direction text is shown in: a name holding one can show as
# something else (in the index, a file manager, a spreadsheet).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def name_problem(name: str) -> str | None:
    """What is wrong with a client's name, in plain words, or None: it goes on a cover (one
    line, at most 120 characters) and in the index, so no line break, tab, invisible
    control character or direction control."""
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters; shorten it"
    if any(c in name for c in "\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        return "the name has a line break or tab in it; write it on one line"
    if invisible := invisible_character(name):
        return f"the name {invisible}"
    bidi = next((c for c in name if c in BIDI_CONTROLS), None)
    if bidi is not None:
        return (
            f"the name contains a text-direction control (U+{ord(bidi):04X}), which can make "
            "it show as something else; delete it"
        )
    return None


def read_clients(path: Path, project_dir: Path) -> tuple[Client, ...]:
    """A CSV file: a name per row, then optionally the part ids for that client."""
    file = display_name(path, project_dir)
    text = read_text(path, file, (project_dir, path.parent), MAX_CLIENTS_BYTES)
    problems = Problems()
    clients: list[Client] = []
    rows = csv.reader(io.StringIO(text))
    try:
        end = 0  # the line the last row ended on: a quoted name may hold a line break
        for row in rows:
            number, end = end + 1, rows.line_num
            cells = [c.strip() for c in row]
            if not any(cells) or (number == 1 and cells[0].lower() in HEADER_NAMES):
                continue
            if bounds.CLIENTS.over(len(clients) + 1):
                problems.add(file, bounds.CLIENTS.message(), number)
                break
            name, parts = cells[0], split_ids(cells[1:])
            if not name:
                problems.add(file, "this row has parts but no name in the first column", number)
            elif wrong := name_problem(name):
                problems.add(file, wrong, number)
            clients.append(Client(name=name, parts=parts, line=number))
    except csv.Error as error:  # e.g. a cell past csv's field size limit
        message = f"cannot be read as a list of names ({error})"
        raise WorkbookError.one(file, message, rows.line_num) from None
    if not clients and not problems.items:
        problems.add(file, "has no names; write one name per row")
    problems.raise_if_any()
    return tuple(clients)
