"""The first row of a client list, when it names its columns: which hold the name (one column,
or a first and a last name to join), which the parts, and which are not used (an email, a
phone: a practice's own export has many). A heading that is nearly a known one is reported
with "did you mean"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbook.errors import Problems, did_you_mean

# Headings, as a spreadsheet may write them (any case, spaces, _ or -), for each column.
KNOWN = {
    "name": ("name", "client", "client name", "full name", "clients"),
    "first": ("first name", "first", "given name", "forename", "first names"),
    "last": ("last name", "last", "surname", "family name", "second name"),
    "parts": ("parts", "part", "part ids", "chapters", "worksheets", "packet"),
}
EVERY_HEADING = tuple(heading for headings in KNOWN.values() for heading in headings)


def split_ids(values: Iterable[str]) -> tuple[str, ...]:
    """'a,b c' and repeated options all give ('a', 'b', 'c')."""
    return tuple(i.lower() for value in values for i in re.split(r"[\s,;]+", value) if i)


def _plain(heading: str) -> str:
    return re.sub(r"[\s_-]+", " ", heading.strip().lower())


@dataclass(frozen=True)
class Columns:
    """Where each kind of cell is (column numbers), and the headings as written."""

    headings: tuple[str, ...]
    name: int | None
    first: int | None
    last: int | None
    parts: int | None

    def read(self, cells: list[str]) -> tuple[str, tuple[str, ...]]:
        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        if self.name is not None:
            name = cell(self.name)
        else:
            name = " ".join(part for part in (cell(self.first), cell(self.last)) if part)
        return name.strip(), split_ids([cell(self.parts)])

    def describe(self) -> str:
        used = {i for i in (self.name, self.first, self.last, self.parts) if i is not None}
        if self.name is not None:
            words = [f"names from '{self.headings[self.name]}'"]
        else:
            names = [self.headings[i] for i in (self.first, self.last) if i is not None]
            words = ["names from " + " + ".join(f"'{h}'" for h in names)]
        if self.parts is not None:
            words.append(f"parts from '{self.headings[self.parts]}'")
        unused = [f"'{h}'" for i, h in enumerate(self.headings) if i not in used and h]
        if unused:
            words.append(f"not used: {', '.join(unused)}")
        return "; ".join(words)


def header(cells: list[str], file: str, problems: Problems) -> Columns | None:
    """The columns, if this first row names them (any cell is a known heading), else None."""
    plain = [_plain(cell) for cell in cells]
    found = {kind: _index(plain, headings) for kind, headings in KNOWN.items()}
    if all(index is None for index in found.values()):
        return None
    for cell, heading in zip(cells, plain, strict=True):
        if heading and heading not in EVERY_HEADING:
            hint = did_you_mean(heading, EVERY_HEADING)
            if hint:
                problems.add(file, f"the column '{cell}' is not one workbook reads{hint}", 1)
    if found["name"] is None and found["first"] is None and found["last"] is None:
        message = (
            "the first row names no column of names; head it 'Name', or 'First name' and "
            "'Last name'"
        )
        problems.add(file, message, 1)
    return Columns(tuple(cells), found["name"], found["first"], found["last"], found["parts"])


def _index(plain: list[str], headings: tuple[str, ...]) -> int | None:
    return next((i for i, cell in enumerate(plain) if cell in headings), None)
