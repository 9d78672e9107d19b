"""The Book as templates see it: its words and numbers, never a path.

The model holds where each file is (`Book.project_dir`, `Chapter.source`, `Brand.logo`, ...);
a `pathlib.Path` has methods that read and write files, so those fields stay out of templates.
These views carry everything else, with the same names, so a template written for the model
reads the same. tests/test_template_context.py walks all a template is given to keep it so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal, TypeVar

from workbook.editions import Download, Edition
from workbook.model import (
    Block,
    Book,
    Brand,
    ByMedium,
    Chapter,
    Heading,
    Helplines,
    Metadata,
    Section,
    Worksheet,
    link_targets,
)

V = TypeVar("V")


@dataclass(frozen=True)
class ChapterView:
    id: str
    title: str
    summary: str
    content_note: str
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    back: bool
    helplines: bool
    kind: Literal["chapter"] = "chapter"


@dataclass(frozen=True)
class WorksheetView:
    id: str
    title: str
    instructions: ByMedium
    sections: tuple[Section, ...]
    has_log: bool
    landscape: bool
    back: bool
    kind: Literal["worksheet"] = "worksheet"


PartView = ChapterView | WorksheetView


@dataclass(frozen=True)
class BrandView:
    """`logo` is the logo's name inside the workbook ('' for none); templates show it with
    `logo_src`."""

    practice: str
    clinician: str
    credentials: str
    phone: str
    email: str
    web: str
    note: str
    disclaimer: str
    logo: str
    accent: str
    region: str | None
    contact: tuple[str, ...]
    byline: str
    footer: str


@dataclass(frozen=True)
class DownloadView:
    """A file of the same build, as the web edition's downloads page lists it."""

    name: str
    size: int
    edition: Edition


@dataclass(frozen=True)
class BookView:
    """`targets`: where a link to each id goes, (part id, 'part', 'heading', 'source' or
    'place'), for the parts this edition holds."""

    meta: Metadata
    parts: tuple[PartView, ...]
    worksheets: tuple[WorksheetView, ...]
    brand: BrandView | None
    helplines: Helplines | None
    targets: dict[str, tuple[str, str]]


def for_templates(value: object) -> object:
    """`value` with every model object that knows a path replaced by its view."""
    if isinstance(value, Book):
        parts = tuple(_part(part) for part in value.parts)
        sheets = tuple(part for part in parts if isinstance(part, WorksheetView))
        brand = _brand(value.brand) if value.brand else None
        targets = link_targets(value.parts)
        return BookView(value.meta, parts, sheets, brand, value.helplines, targets)
    if isinstance(value, Chapter | Worksheet):
        return _part(value)
    if isinstance(value, Brand):
        return _brand(value)
    if isinstance(value, Download):
        return DownloadView(value.name, value.size, value.edition)
    if isinstance(value, list | tuple):
        return tuple(for_templates(item) for item in value)
    return value


def _part(part: Chapter | Worksheet) -> PartView:
    if isinstance(part, Chapter):
        return _copy(ChapterView, part)
    return _copy(WorksheetView, part)


def _brand(brand: Brand) -> BrandView:
    return _copy(BrandView, brand, logo=brand.logo.name if brand.logo else "")


def _copy(view: type[V], source: object, **given: Any) -> V:
    """A `view` with the values of the same names (fields or properties) from `source`."""
    names = [f.name for f in fields(view) if f.name not in given]  # type: ignore[arg-type]
    return view(**{name: getattr(source, name) for name in names}, **given)
