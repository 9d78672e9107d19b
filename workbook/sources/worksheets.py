"""The worksheet schema: YAML data checked field by field into `Worksheet` objects.

A worksheet is `title`, `instructions` and `sections`; each section has an optional `heading`
and `intro` and a list of `fields`. Field types: date, checklist, scale, question, notes, log.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from workbook import model
from workbook.errors import Problems
from workbook.sources import bounds
from workbook.sources.bounds import Tally
from workbook.sources.located import Located
from workbook.sources.schema import Checker

TOP_KEYS = ("title", "instructions", "sections")
SECTION_KEYS = ("heading", "intro", "fields")
FIELD_KEYS = {
    "date": ("type", "label"),
    "checklist": ("type", "label", "items"),
    "scale": ("type", "label", "items", "points", "low", "high"),
    "question": ("type", "label", "hint", "lines"),
    "notes": ("type", "label", "lines"),
    "log": ("type", "label", "rows", "columns"),
}
FIELD_TYPES = tuple(sorted(FIELD_KEYS))
COLUMN_KEYS = ("label", "prompt", "width")


def read_worksheet(
    data: Any, part_id: str, source: Path, file: str, problems: Problems
) -> model.Worksheet | None:
    reader = Checker(file, problems, numbers_as_text=True)
    top = reader.mapping(data, "a worksheet", 1)
    if top is None:
        return None
    reader.keys(top, TOP_KEYS, "the worksheet")
    budget = Tally(reader.problem)
    sections = reader.items(top, "sections", "section")
    within = [item for item in sections if budget.take(bounds.SECTIONS, item[1])]
    return model.Worksheet(
        id=part_id,
        title=reader.text(top, "title", required=True),
        instructions=reader.text(top, "instructions"),
        sections=tuple(_section(reader, budget, *item) for item in within),
        source=source,
    )


def _section(reader: Checker, budget: Tally, value: Any, line: int) -> model.Section:
    data = reader.mapping(value, "a section", line)
    if data is None:
        return model.Section("", "", ())
    reader.keys(data, SECTION_KEYS, "a section")
    items = reader.items(data, "fields", "field")
    fields = [_field(reader, budget, f, n) for f, n in items if budget.take(bounds.FIELDS, n)]
    return model.Section(
        heading=reader.text(data, "heading"),
        intro=reader.text(data, "intro"),
        fields=tuple(f for f in fields if f is not None),
    )


def _field(reader: Checker, budget: Tally, value: Any, line: int) -> model.Field | None:
    data = reader.mapping(value, "a field", line)
    if data is None:
        return None
    kind = reader.choice(data, "type", FIELD_TYPES, required=True, name="field type")
    if kind is None:
        return None
    reader.keys(data, FIELD_KEYS[kind], f"a {kind} field")
    if kind == "log" and not budget.take(bounds.LOGS, line):
        return None
    if kind in ("checklist", "scale") and not _items_fit(data, budget):
        return None
    return BUILDERS[kind](reader, data)


def _items_fit(data: Located, budget: Tally) -> bool:
    """A checklist's or scale's items, counted before they are read."""
    items = data.get("items")
    count = len(items) if isinstance(items, list) else 0
    line = data.line_of("items")
    return budget.alone(bounds.ITEMS, line, count) and budget.take(bounds.SHEET_ITEMS, line, count)


def _date(reader: Checker, data: Located) -> model.DateField:
    return model.DateField(label=reader.text(data, "label") or "Date")


def _checklist(reader: Checker, data: Located) -> model.Checklist:
    return model.Checklist(label=reader.text(data, "label"), items=reader.texts(data, "items"))


def _scale(reader: Checker, data: Located) -> model.Scale:
    return model.Scale(
        label=reader.text(data, "label"),
        items=reader.texts(data, "items"),
        points=reader.number(data, "points", 5, 3, 7),
        low=reader.text(data, "low"),
        high=reader.text(data, "high"),
    )


def _question(reader: Checker, data: Located) -> model.Question:
    return model.Question(
        label_html=escape(reader.text(data, "label", required=True)),
        lines=reader.number(data, "lines", 3, 1, 20),
        hint=reader.text(data, "hint"),
    )


def _notes(reader: Checker, data: Located) -> model.Notes:
    return model.Notes(
        label=reader.text(data, "label") or "Notes", lines=reader.number(data, "lines", 6, 1, 30)
    )


def _log(reader: Checker, data: Located) -> model.Log:
    columns = reader.items(data, "columns", "column")
    if len(columns) > 8:
        reader.problem("a log fits at most 8 columns on a page", data.line_of("columns"))
    parsed = [_column(reader, c, line) for c, line in columns]
    return model.Log(
        columns=tuple(c for c in parsed if c is not None),
        rows=reader.number(data, "rows", 4, 1, 12),
        label=reader.text(data, "label"),
    )


def _column(reader: Checker, value: Any, line: int) -> model.Column | None:
    data = reader.mapping(value, "a column", line)
    if data is None:
        return None
    reader.keys(data, COLUMN_KEYS, "a column")
    width = data.get("width", 1)
    if isinstance(width, bool) or not isinstance(width, int | float) or not 0.2 <= width <= 5:
        reader.problem("'width' must be a number from 0.2 to 5", data.line_of("width"))
        width = 1
    label = reader.text(data, "label", required=True)
    return model.Column(
        label=label, prompt=reader.text(data, "prompt") or label, width=float(width)
    )


BUILDERS: dict[str, Callable[[Checker, Located], model.Field]] = {
    "date": _date,
    "checklist": _checklist,
    "scale": _scale,
    "question": _question,
    "notes": _notes,
    "log": _log,
}
