"""The read-only Book: metadata and an ordered list of parts (chapters and worksheets)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class ByMedium:
    """Text that can differ by medium: "write" on paper, "type" in a form, "note" on a screen.
    Templates pick one with `text[edition.medium]`; plain text is the same in all three."""

    paper: str = ""
    form: str = ""
    screen: str = ""
    web: str = ""  # a web page's, when it differs from the form's

    @classmethod
    def same(cls, text: str) -> ByMedium:
        return cls(text, text, text, text)

    def __getitem__(self, medium: str) -> str:
        """The text for `medium`; a web page is typed into like a form unless it says."""
        web = self.web or self.form
        return {"paper": self.paper, "form": self.form, "screen": self.screen, "web": web}[medium]

    def __bool__(self) -> bool:
        return bool(self.paper or self.form or self.screen)


NO_TEXT = ByMedium()


class Rated:
    """A range of whole numbers to rate with (`first` to `last`), and what the points mean:
    a label for every point, or for the two ends (`low`, `high`)."""

    first: int
    points: int
    labels: tuple[str, ...]
    low: str
    high: str

    @property
    def last(self) -> int:
        return self.first + self.points - 1

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.last + 1))

    def point_label(self, number: int) -> str:
        """What `number` means: its own label, or the end's; "" for a point between ends."""
        if self.labels:
            return self.labels[number - self.first]
        if number == self.first:
            return self.low
        return self.high if number == self.last else ""

    @property
    def key(self) -> str:
        """The points in words, for tooltips and screens: '0 is Not at all, ..., 4 is Very
        true' (every labelled point), or '1 to 5, 5 is the most' when nothing is labelled."""
        named = [(n, self.point_label(n)) for n in self.numbers if self.point_label(n)]
        if not named:
            return f"{self.first} to {self.last}, {self.last} is the most"
        if len(named) == 1 and named[0][0] == self.first:
            named.append((self.last, "the most"))
        return ", ".join(f"{n} is {label}" for n, label in named)


@dataclass(frozen=True)
class DateField:
    label: str = "Date"
    kind: Literal["date"] = "date"


@dataclass(frozen=True)
class Checklist:
    label: str
    items: tuple[str, ...]
    kind: Literal["checklist"] = "checklist"


@dataclass(frozen=True)
class Scale(Rated):
    """Each item rated from `first` to `last` (1 to `points` unless it says)."""

    label: str
    items: tuple[str, ...]
    points: int = 5
    low: str = ""
    high: str = ""
    first: int = 1
    labels: tuple[str, ...] = ()
    kind: Literal["scale"] = "scale"

    @property
    def wide(self) -> bool:
        """More points than fit beside a statement: the statement goes above its circles."""
        return self.points > 7


@dataclass(frozen=True)
class GridGroup:
    """A part of a grid: its items, and (if the grid has totals) a total row."""

    label: str
    items: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Grid(Rated):
    """Items down the side, `columns` dated columns across: a number from the range in every
    cell, so the same items can be rated again every few weeks and compared."""

    label: str
    groups: tuple[GridGroup, ...]
    columns: int = 6
    heading: str = "Date"
    total: str = ""  # the total rows' label; "" for no totals
    points: int = 5
    low: str = ""
    high: str = ""
    first: int = 1
    labels: tuple[str, ...] = ()
    kind: Literal["grid"] = "grid"

    def most(self, group: GridGroup) -> int:
        """The highest total a group can have."""
        return group.size * self.last


@dataclass(frozen=True)
class Question:
    """A question with ruled write-in lines. `label_html` is trusted, already-escaped HTML."""

    label_html: str
    lines: int = 3
    hint: str = ""
    kind: Literal["question"] = "question"


@dataclass(frozen=True)
class Notes:
    label: str
    lines: int = 6
    kind: Literal["notes"] = "notes"


@dataclass(frozen=True)
class Column:
    """One column of a log. Its answer is written (`lines` tall in entries), ticked from
    `options` (`pick` one or any), or a number from `first` to `last`. `example` is the
    worked example's answer: its text, its number, or the options it ticks."""

    label: str
    prompt: str
    width: float = 1.0
    lines: int = 2
    options: tuple[str, ...] = ()
    pick: Literal["one", "any"] = "any"
    first: int | None = None
    last: int | None = None
    low: str = ""
    high: str = ""
    example: tuple[str, ...] = ()

    @property
    def answer(self) -> Literal["text", "options", "number"]:
        if self.options:
            return "options"
        return "text" if self.first is None else "number"

    @property
    def range_text(self) -> str:
        """'0 to 10', with what the ends mean when it says: '0 is calm, 10 is the worst'."""
        if self.first is None or self.last is None:
            return ""
        ends = [f"{n} is {w}" for n, w in ((self.first, self.low), (self.last, self.high)) if w]
        return f"{self.first} to {self.last}" + (f" ({', '.join(ends)})" if ends else "")


@dataclass(frozen=True)
class Log:
    """One entry per moment. `table`: a row per entry, `rows` of them on a page (landscape
    unless `landscape` is off); `entries`: a box per entry down the page, `rows` entries."""

    columns: tuple[Column, ...]
    rows: int = 4
    label: str = ""
    layout: Literal["table", "entries"] = "table"
    landscape: bool = True
    entry: str = "Entry"  # what an entry is called: "Entry 1", "Goal 1"
    kind: Literal["log"] = "log"

    @property
    def example(self) -> bool:
        return any(c.example for c in self.columns)

    @property
    def wide(self) -> bool:
        """A table on a landscape page."""
        return self.layout == "table" and self.landscape


Field = DateField | Checklist | Scale | Grid | Question | Notes | Log


@dataclass(frozen=True)
class Section:
    heading: str
    intro: ByMedium
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class HelplineTable:
    """Where a chapter shows the helplines of the edition's region (`::: helplines`)."""

    kind: Literal["helplines"] = "helplines"


@dataclass(frozen=True)
class Media:
    """An image a chapter uses: `name` is its path inside the workbook's folder."""

    name: str
    path: Path
    media_type: str


@dataclass(frozen=True)
class Chapter:
    """A guide chapter. `blocks` are body HTML (str), reflection prompts and helpline tables."""

    id: str
    title: str
    summary: str
    content_note: str
    blocks: tuple[str | Question | HelplineTable, ...]
    source: Path
    kind: Literal["chapter"] = "chapter"
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Worksheet:
    id: str
    title: str
    instructions: ByMedium
    sections: tuple[Section, ...]
    source: Path
    kind: Literal["worksheet"] = "worksheet"

    @property
    def has_log(self) -> bool:
        return any(f.kind == "log" for s in self.sections for f in s.fields)

    @property
    def landscape(self) -> bool:
        """A worksheet that is a wide log (and perhaps a date) goes on landscape pages in
        print; one with other fields too stays upright, and each wide log in it gets a
        landscape page of its own."""
        fields = [f for s in self.sections for f in s.fields if f.kind != "date"]
        return bool(fields) and all(isinstance(f, Log) and f.wide for f in fields)


Part = Chapter | Worksheet


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str


@dataclass(frozen=True)
class Helpline:
    """One service: who it is for, how to reach it (call, text, chat, email, or `how` in words)
    and when. `checked` is the day its number was checked against the organisation's own
    site, or None when it has not been (then `note` says so)."""

    region: str
    name: str
    how: str
    source: str
    checked: dt.date | None
    note: str = ""
    for_whom: str = ""
    call: str = ""
    text: str = ""
    chat: str = ""
    email: str = ""
    hours: str = ""

    @property
    def ways(self) -> tuple[str, ...]:
        """How to reach it, one way a line: 'Call 116 123', 'Text SHOUT to 85258', ..."""
        ways = (
            f"Call {self.call}" if self.call else "",
            f"Text {self.text}" if self.text else "",
            f"Chat at {self.chat}" if self.chat else "",
            f"Email {self.email}" if self.email else "",
            self.how,
        )
        return tuple(way for way in ways if way)


@dataclass(frozen=True)
class Helplines:
    regions: tuple[Region, ...]
    services: tuple[Helpline, ...]

    def region(self, code: str | None) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def services_for(self, code: str | None) -> tuple[Helpline, ...]:
        """The region's services; every region's when there is no region."""
        if code is None:
            return self.services
        return tuple(s for s in self.services if s.region == code)

    def by_region(self, code: str | None) -> tuple[tuple[Region, tuple[Helpline, ...]], ...]:
        """The services to show, grouped by region in the order of `regions`."""
        listed = self.services_for(code)
        groups = ((r, tuple(s for s in listed if s.region == r.code)) for r in self.regions)
        return tuple((region, services) for region, services in groups if services)


@dataclass(frozen=True)
class Brand:
    """Who hands the workbook over. Every field is plain text, shown escaped."""

    practice: str = ""
    clinician: str = ""
    credentials: str = ""
    phone: str = ""
    email: str = ""
    web: str = ""
    note: str = ""
    disclaimer: str = ""
    logo: Path | None = None
    accent: str = ""
    region: str | None = None

    @property
    def contact(self) -> tuple[str, ...]:
        return tuple(v for v in (self.phone, self.email, self.web) if v)

    @property
    def byline(self) -> str:
        """'Dr Ana Ruiz, PhD' or ''."""
        return ", ".join(v for v in (self.clinician, self.credentials) if v)

    @property
    def footer(self) -> str:
        """One short line for worksheet footers."""
        return " · ".join(v for v in (self.practice or self.clinician, self.phone, self.web) if v)


@dataclass(frozen=True)
class Metadata:
    title: str
    subtitle: str
    author: str
    language: str
    slug: str
    date: dt.date
    description: str = ""
    publisher: str = ""
    license: str = ""  # the content's licence, on the copyright page
    permission: str = ""  # a line on every printed worksheet: who may copy it


# Where the web edition's "Leave this site" button goes: a busy, neutral page that says
# nothing about why someone was here (workbook.toml's `quick_exit` chooses another).
DEFAULT_QUICK_EXIT = "https://www.google.com/"


# Words a discreet edition keeps out of its headings, running heads, contents, bookmarks,
# footers, field tooltips, file names and metadata, each with what shows instead (workbook.toml's
# `discreet_words` chooses others). A word also stands for its endings ("abuse": abuses); the
# longer entries come first, so "narcissistic abuse" is one phrase.
DEFAULT_DISCREET_WORDS: tuple[tuple[str, str], ...] = (
    ("narcissistic abuse", "a hurtful relationship"),
    ("narcissistic", "hurtful"),
    ("narcissism", "…"),
    ("narcissist", "…"),
    ("abusive", "harmful"),
    ("abuser", "other person"),
    ("abused", "harmed"),
    ("abuse", "harm"),
    ("traumatic", "stressful"),
    ("trauma", "stress"),
    ("violence", "harm"),
    ("violent", "harmful"),
)


@dataclass(frozen=True)
class BuildSettings:
    """What workbook.toml chooses for its builds; a command line's flags override each one.
    None (or no editions) leaves the choice to the defaults."""

    paper: str | None = None
    region: str | None = None
    editions: tuple[str, ...] = ()
    quick_exit: str = DEFAULT_QUICK_EXIT
    discreet_words: tuple[tuple[str, str], ...] = DEFAULT_DISCREET_WORDS


@dataclass(frozen=True)
class Book:
    meta: Metadata
    parts: tuple[Part, ...]
    project_dir: Path
    sources: tuple[Path, ...] = field(default=())
    brand: Brand | None = None
    helplines: Helplines | None = None
    settings: BuildSettings = field(default_factory=BuildSettings)

    @property
    def worksheets(self) -> tuple[Worksheet, ...]:
        return tuple(p for p in self.parts if isinstance(p, Worksheet))
