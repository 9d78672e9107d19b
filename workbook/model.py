"""The read-only Book: metadata and an ordered list of parts (chapters and worksheets)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


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
class Scale:
    """Each item rated from 1 to `points`; `low` and `high` name the ends."""

    label: str
    items: tuple[str, ...]
    points: int = 5
    low: str = ""
    high: str = ""
    kind: Literal["scale"] = "scale"


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
    label: str
    prompt: str
    width: float = 1.0


@dataclass(frozen=True)
class Log:
    """A table with one row per entry; `rows` rows fit on a printed page."""

    columns: tuple[Column, ...]
    rows: int = 4
    label: str = ""
    kind: Literal["log"] = "log"


Field = DateField | Checklist | Scale | Question | Notes | Log


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
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
    instructions: str
    sections: tuple[Section, ...]
    source: Path
    kind: Literal["worksheet"] = "worksheet"

    @property
    def has_log(self) -> bool:
        """Logs are wide tables: print puts such a worksheet on landscape pages."""
        return any(f.kind == "log" for s in self.sections for f in s.fields)


Part = Chapter | Worksheet


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str


@dataclass(frozen=True)
class Helpline:
    """One service. `checked` is the day its number was checked against the organisation's own
    site, or None when it has not been (then `note` says so)."""

    region: str
    name: str
    how: str
    source: str
    checked: dt.date | None
    note: str = ""


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


# Where the web edition's "Leave this site" button goes: a busy, neutral page that says
# nothing about why someone was here (workbook.toml's `quick_exit` chooses another).
DEFAULT_QUICK_EXIT = "https://www.google.com/"


@dataclass(frozen=True)
class BuildSettings:
    """What workbook.toml chooses for its builds; a command line's flags override each one.
    None (or no editions) leaves the choice to the defaults."""

    paper: str | None = None
    region: str | None = None
    editions: tuple[str, ...] = ()
    quick_exit: str = DEFAULT_QUICK_EXIT


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
