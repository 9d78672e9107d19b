"""The client list for `--clients FILE.csv`: a name per row, then optionally that client's
part ids. Like `--brand`, the file may live outside the workbook, but only as a regular file
in its own folder (not a link to a file elsewhere, a pipe or a device) of bounded size."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import Problems, WorkbookError
from workbook.safefiles import checked_text, display_name, invisible_character, read_bytes
from workbook.sources import bounds
from workbook.sources.client_columns import Columns, header, split_ids

MAX_NAME = 120
MAX_CLIENTS_BYTES = 1_000_000


@dataclass(frozen=True)
class Client:
    name: str
    parts: tuple[str, ...] = ()  # this client's packet; empty: the --only/--skip choice
    line: int | None = None


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


@dataclass(frozen=True)
class ClientList:
    """The clients a list names, and how it was read, for the preview line."""

    clients: tuple[Client, ...]
    how: str  # 'semicolon-separated, UTF-8 with a BOM; the names from "First name" + ...'
    headed: bool = False  # its first row names the columns


def read_clients(path: Path, project_dir: Path) -> tuple[Client, ...]:
    return read_client_list(path, project_dir).clients


def read_client_list(path: Path, project_dir: Path) -> ClientList:
    """A list as a spreadsheet saves it: comma, semicolon or tab between cells (csv.Sniffer
    tells which), UTF-8 with or without a BOM (or UTF-16 with one). A first row that names
    columns ("First name", "Last name", "Parts", ...) says where the names are; without one,
    each row is a name, then optionally that client's part ids."""
    file = display_name(path, project_dir)
    raw = read_bytes(path, file, (project_dir, path.parent), MAX_CLIENTS_BYTES)
    text, encoding = _decoded(raw, file)
    text = checked_text(text, file)
    delimiter = _delimiter(text)
    problems = Problems()
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        clients, columns = _rows(rows, file, problems)
    except csv.Error as error:  # e.g. a cell past csv's field size limit
        message = f"cannot be read as a list of names ({error})"
        raise WorkbookError.one(file, message, rows.line_num) from None
    if not clients and not problems.items:
        problems.add(file, "has no names; write one name per row")
    problems.raise_if_any()
    how = f"{DELIMITERS[delimiter]}, {encoding}" + (f"; {columns.describe()}" if columns else "")
    return ClientList(tuple(clients), how, columns is not None)


DELIMITERS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}


def _decoded(raw: bytes, file: str) -> tuple[str, str]:
    """The text and the words for its encoding. UTF-16 is read only with its BOM, which says
    it is; other encodings (a Windows or older Mac spreadsheet's) cannot be told apart from
    the bytes, and a wrong guess would print a client's name wrongly on their cover."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw[:200]:
        raise WorkbookError.one(file, f"is saved as UTF-16 without its mark; {SAVE_AS_UTF8}")
    try:
        bom = raw.startswith(codecs.BOM_UTF8)
        return raw.decode("utf-8-sig"), "UTF-8 with a BOM" if bom else "UTF-8"
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = (
            "is not saved as UTF-8 (a Windows or older Mac spreadsheet may save another "
            f"encoding, in which names with accents would come out wrong); {SAVE_AS_UTF8}"
        )
        raise WorkbookError.one(file, message, line) from None


SAVE_AS_UTF8 = (
    "save it again as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8; Numbers: Export To > "
    "CSV, Unicode (UTF-8); LibreOffice: tick 'Edit filter settings', then Unicode (UTF-8))"
)


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab, as csv.Sniffer finds it; a comma when it cannot tell (a list
    of names alone has no delimiter to find)."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _rows(
    rows: Iterable[list[str]], file: str, problems: Problems
) -> tuple[list[Client], Columns | None]:
    clients: list[Client] = []
    columns: Columns | None = None
    end = 0  # the line the last row ended on: a quoted name may hold a line break
    for row in rows:
        number, end = end + 1, getattr(rows, "line_num", end + 1)
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and (columns := header(cells, file, problems)) is not None:
            continue
        if bounds.CLIENTS.over(len(clients) + 1):
            problems.add(file, bounds.CLIENTS.message(), number)
            break
        name, parts = columns.read(cells) if columns else (cells[0], split_ids(cells[1:]))
        if not name:
            problems.add(file, "this row has parts but no name", number)
        elif wrong := name_problem(name):
            problems.add(file, wrong, number)
        clients.append(Client(name=name, parts=parts, line=number))
    return clients, columns
