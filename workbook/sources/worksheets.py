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
from workbook.errors import Problems, did_you_mean
from workbook.sources.yamldata import Located, LocatedList

TOP_KEYS = {"title", "instructions", "sections"}
SECTION_KEYS = {"heading", "intro", "fields"}
FIELD_KEYS = {
    "date": {"type", "label"},
    "checklist": {"type", "label", "items"},
    "scale": {"type", "label", "items", "points", "low", "high"},
    "question": {"type", "label", "hint", "lines"},
    "notes": {"type", "label", "lines"},
    "log": {"type", "label", "rows", "columns"},
}
COLUMN_KEYS = {"label", "prompt", "width"}


class _Reader:
    """Reads one worksheet file, noting every problem instead of stopping at the first."""

    def __init__(self, file: str, problems: Problems) -> None:
        self.file = file
        self.problems = problems

    def problem(self, message: str, line: int | None) -> None:
        self.problems.add(self.file, message, line)

    def mapping(self, value: Any, what: str, line: int) -> Located | None:
        if isinstance(value, Located):
            return value
        self.problem(f"{what} must be a set of 'key: value' lines", line)
        return None

    def keys(self, data: Located, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.problem(f"unknown key '{key}' in {what}{hint}", data.line_of(key))

    def text(self, data: Located, key: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing", data.line)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"'{key}' must be text", data.line_of(key))
            return ""
        return str(value).strip()

    def number(self, data: Located, key: str, default: int, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(f"'{key}' must be a whole number from {low} to {high}", data.line_of(key))
            return default
        return value

    def texts(self, data: Located, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, LocatedList) or not value:
            self.problem(f"'{key}' must be a list of at least one '- item' line", data.line_of(key))
            return ()
        good = [str(v).strip() for v in value if isinstance(v, str | int | float)]
        if len(good) != len(value):
            self.problem(f"every item in '{key}' must be text", data.line_of(key))
        return tuple(good)


def read_worksheet(
    data: Any, part_id: str, source: Path, file: str, problems: Problems
) -> model.Worksheet | None:
    reader = _Reader(file, problems)
    top = reader.mapping(data, "a worksheet", 1)
    if top is None:
        return None
    reader.keys(top, TOP_KEYS, "the worksheet")
    sections = top.get("sections")
    if not isinstance(sections, LocatedList) or not sections:
        reader.problem(
            "'sections' must be a list with at least one section", top.line_of("sections")
        )
        sections = LocatedList()
    worksheet = model.Worksheet(
        id=part_id,
        title=reader.text(top, "title", required=True),
        instructions=reader.text(top, "instructions"),
        sections=tuple(_section(reader, s, line) for s, line in _items(sections)),
        source=source,
    )
    return worksheet


def _items(values: LocatedList) -> list[tuple[Any, int]]:
    return list(
        zip(values, getattr(values, "item_lines", [values.line] * len(values)), strict=False)
    )


def _section(reader: _Reader, value: Any, line: int) -> model.Section:
    data = reader.mapping(value, "a section", line)
    if data is None:
        return model.Section("", "", ())
    reader.keys(data, SECTION_KEYS, "a section")
    fields = data.get("fields")
    if not isinstance(fields, LocatedList) or not fields:
        reader.problem(
            "a section needs 'fields': a list of at least one field", data.line_of("fields")
        )
        fields = LocatedList()
    parsed = [_field(reader, f, field_line) for f, field_line in _items(fields)]
    return model.Section(
        heading=reader.text(data, "heading"),
        intro=reader.text(data, "intro"),
        fields=tuple(f for f in parsed if f is not None),
    )


def _field(reader: _Reader, value: Any, line: int) -> model.Field | None:
    data = reader.mapping(value, "a field", line)
    if data is None:
        return None
    kind = data.get("type")
    if kind not in FIELD_KEYS:
        known = ", ".join(sorted(FIELD_KEYS))
        hint = did_you_mean(str(kind), FIELD_KEYS) if isinstance(kind, str) else ""
        reader.problem(
            f"unknown field type '{kind}'{hint}; use one of: {known}", data.line_of("type")
        )
        return None
    reader.keys(data, FIELD_KEYS[kind], f"a {kind} field")
    return BUILDERS[kind](reader, data)


def _date(reader: _Reader, data: Located) -> model.DateField:
    return model.DateField(label=reader.text(data, "label") or "Date")


def _checklist(reader: _Reader, data: Located) -> model.Checklist:
    return model.Checklist(label=reader.text(data, "label"), items=reader.texts(data, "items"))


def _scale(reader: _Reader, data: Located) -> model.Scale:
    return model.Scale(
        label=reader.text(data, "label"),
        items=reader.texts(data, "items"),
        points=reader.number(data, "points", 5, 3, 7),
        low=reader.text(data, "low"),
        high=reader.text(data, "high"),
    )


def _question(reader: _Reader, data: Located) -> model.Question:
    return model.Question(
        label_html=escape(reader.text(data, "label", required=True)),
        lines=reader.number(data, "lines", 3, 1, 20),
        hint=reader.text(data, "hint"),
    )


def _notes(reader: _Reader, data: Located) -> model.Notes:
    return model.Notes(
        label=reader.text(data, "label") or "Notes", lines=reader.number(data, "lines", 6, 1, 30)
    )


def _log(reader: _Reader, data: Located) -> model.Log:
    columns = data.get("columns")
    if not isinstance(columns, LocatedList) or not columns:
        reader.problem("'columns' must be a list of at least one column", data.line_of("columns"))
        columns = LocatedList()
    if len(columns) > 8:
        reader.problem("a log fits at most 8 columns on a page", data.line_of("columns"))
    parsed = [_column(reader, c, line) for c, line in _items(columns)]
    return model.Log(
        columns=tuple(c for c in parsed if c is not None),
        rows=reader.number(data, "rows", 4, 1, 12),
        label=reader.text(data, "label"),
    )


def _column(reader: _Reader, value: Any, line: int) -> model.Column | None:
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


BUILDERS: dict[str, Callable[[_Reader, Located], model.Field]] = {
    "date": _date,
    "checklist": _checklist,
    "scale": _scale,
    "question": _question,
    "notes": _notes,
    "log": _log,
}
