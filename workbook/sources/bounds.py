"""How much layout work the sources may ask for, counted when they are read.

A few bytes can ask for pages of work: `- {type: log, rows: 12, ...}` is a page of table, a
Markdown table row is four characters, a client list's row is a copy of the whole book. Each
count here is far above what a real workbook holds (the default one uses a fifth or less of
every limit) and far below what would make a build run for minutes or take gigabytes: the
largest worksheet these limits allow builds in seconds (see the README's "Safe with any
input"). Past a limit, the message names the file, the line and the limit, and says how to
split the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    most: int
    what: str  # what is counted, in the plural: "sections"
    where: str  # what holds them: "a worksheet"
    advice: str  # what to do: "split it into two worksheets"

    def message(self) -> str:
        return f"{self.where} may hold at most {self.most:,} {self.what}; {self.advice}"

    def over(self, count: int) -> bool:
        return count > self.most


class Tally:
    """Counts what a file asks to lay out against its bounds; past one, notes the problem
    once (`note(message, line)`) and says no, so the rest need not even be read."""

    def __init__(self, note: Callable[[str, int | None], None]) -> None:
        self.note = note
        self.counts: dict[Bound, int] = {}
        self.passed = False

    def take(self, bound: Bound, line: int | None, count: int = 1) -> bool:
        before = self.counts.get(bound, 0)
        self.counts[bound] = before + count
        if not bound.over(before + count):
            return True
        if not bound.over(before):
            self.note(bound.message(), line)
        self.passed = True
        return False

    def alone(self, bound: Bound, line: int | None, count: int) -> bool:
        """One thing's own count (a table's rows, a checklist's items), not added up."""
        if not bound.over(count):
            return True
        self.note(bound.message(), line)
        self.passed = True
        return False


SPLIT_WORKBOOK = "make two workbooks"
SPLIT_CHAPTER = "split it into two chapters"
SPLIT_SHEET = "split it into two worksheets"
# Each is a box of its own on the page, which costs the layout ten times a plain word.
MARKS_WHAT = "marks (bold, italics, links, code, line breaks)"

# A workbook.
PARTS = Bound(200, "parts", "'contents'", SPLIT_WORKBOOK)
BOOK_BLOCKS = Bound(
    4_000, "paragraphs, headings, list items and table rows", "the chapters together",
    SPLIT_WORKBOOK,
)  # fmt: skip
BOOK_MARKS = Bound(4_000, MARKS_WHAT, "the chapters together", SPLIT_WORKBOOK)
BOOK_PROMPTS = Bound(200, "reflection prompts", "the chapters together", SPLIT_WORKBOOK)
BOOK_IMAGES = Bound(100, "different images", "the chapters together", SPLIT_WORKBOOK)
BOOK_IMAGE_MB = Bound(
    100, "MB of images", "the chapters together", "save smaller copies or make two workbooks"
)
BOOK_FIELDS = Bound(400, "fields", "the worksheets together", SPLIT_WORKBOOK)
BOOK_ITEMS = Bound(
    600, "checklist, scale and grid items", "the worksheets together", SPLIT_WORKBOOK
)
BOOK_LOGS = Bound(40, "logs", "the worksheets together", SPLIT_WORKBOOK)

# A chapter.
# Counted before a chapter is parsed: they bound how long parsing takes.
LINES = Bound(20_000, "lines", "a chapter", SPLIT_CHAPTER)
MARK_CHARACTERS = Bound(
    30_000, "of the characters that mark text (* _ ` [ ~)", "a chapter", SPLIT_CHAPTER
)
BLOCKS = Bound(3_000, "paragraphs, headings, list items and table rows", "a chapter", SPLIT_CHAPTER)
MARKS = Bound(3_000, MARKS_WHAT, "a chapter", SPLIT_CHAPTER)
PARAGRAPH_MARKS = Bound(500, MARKS_WHAT, "a paragraph", "simplify it")  # they cost more there
TABLE_ROWS = Bound(300, "rows", "a table", "split it into two tables")
PROMPTS = Bound(50, "reflection prompts", "a chapter", SPLIT_CHAPTER)
IMAGES = Bound(100, "images", "a chapter", SPLIT_CHAPTER)

# A worksheet.
SECTIONS = Bound(30, "sections", "a worksheet", SPLIT_SHEET)
FIELDS = Bound(60, "fields", "a worksheet", SPLIT_SHEET)
ITEMS = Bound(60, "items", "a checklist, scale or grid", "split it into two")
SHEET_ITEMS = Bound(300, "checklist, scale and grid items", "a worksheet", SPLIT_SHEET)
LOGS = Bound(10, "logs", "a worksheet", SPLIT_SHEET)

# Other files.
SERVICES = Bound(300, "services", "the helplines file", "keep the ones your readers need")
CLIENTS = Bound(500, "names", "a client list", "split it into smaller lists")

ALL = (
    PARTS, BOOK_BLOCKS, BOOK_MARKS, BOOK_PROMPTS, BOOK_IMAGES, BOOK_IMAGE_MB,
    BOOK_FIELDS, BOOK_ITEMS, BOOK_LOGS,
    LINES, MARK_CHARACTERS, BLOCKS, MARKS, PARAGRAPH_MARKS, TABLE_ROWS, PROMPTS, IMAGES,
    SECTIONS, FIELDS, ITEMS, SHEET_ITEMS, LOGS,
    SERVICES, CLIENTS,
)  # fmt: skip
