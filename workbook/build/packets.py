"""Tailored packets: `--only` and `--skip` choose the parts before anything is rendered, so the
contents, page numbers and bookmarks follow on their own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from workbook.errors import did_you_mean
from workbook.model import Book

MAX_NAMED = 10


class UnknownParts(ValueError):
    """Part ids that are not in the workbook; the message names them and the nearest ones."""


def check_ids(book: Book, ids: Iterable[str]) -> None:
    known = [part.id for part in book.parts]
    wrong = list(dict.fromkeys(i for i in ids if i not in known))
    if wrong:
        shown = wrong[:MAX_NAMED]  # a list of thousands is named by its first few
        hints = "; ".join(f"'{i[:60]}' is not a part{did_you_mean(i, known)}" for i in shown)
        more = f" (and {len(wrong) - len(shown):,} more)" if len(wrong) > len(shown) else ""
        raise UnknownParts(f"{hints}{more}. `workbook list` shows the part ids.")


def select_parts(book: Book, only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Book:
    """The book with only the chosen parts, in the workbook's order."""
    if not only and not skip:
        return book
    check_ids(book, (*only, *skip))
    parts = tuple(p for p in book.parts if (not only or p.id in only) and p.id not in skip)
    if not parts:
        raise UnknownParts("nothing is left to build; choose at least one part")
    return dataclasses.replace(book, parts=parts)


def unknown_worksheets(book: Book, ids: tuple[str, ...]) -> list[str]:
    """What is wrong with the worksheet ids asked for, in plain words (empty if all is well)."""
    worksheets = [part.id for part in book.worksheets]
    problems = []
    for part_id in ids:
        if part_id in worksheets:
            continue
        if any(part.id == part_id for part in book.parts):
            problems.append(f"'{part_id}' is a chapter; a handout holds worksheets.")
        else:
            hint = did_you_mean(part_id, worksheets)
            problems.append(f"there is no worksheet '{part_id}'{hint}.")
    if problems:
        problems.append(f"The worksheets in this workbook are: {', '.join(worksheets) or 'none'}.")
    return problems
