"""The worksheet schema: YAML data checked field by field into `Worksheet` objects.

A worksheet is `title`, `instructions` and `sections`; each section has an optional `heading`
and `intro` and a list of `fields`. Field types: date, checklist, scale, grid, question, notes,
log. `instructions` and `intro` are text, or one text each for paper, form and screen.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any, Literal, cast

from workbook import model
from workbook.errors import Problems
from workbook.sources import bounds
from workbook.sources.bounds import Tally
from workbook.sources.located import Located, LocatedList
from workbook.sources.schema import Checker

TOP_KEYS = ("title", "instructions", "sections")
SECTION_KEYS = ("heading", "intro", "fields")
MEDIA = ("paper", "form", "screen")
RATING_KEYS = ("points", "from", "to", "labels", "low", "high")
FIELD_KEYS = {
    "date": ("type", "label"),
    "checklist": ("type", "label", "items"),
    "scale": ("type", "label", "items", *RATING_KEYS),
    "grid": ("type", "label", "items", "groups", "columns", "heading", "total", *RATING_KEYS),
    "question": ("type", "label", "hint", "lines"),
    "notes": ("type", "label", "lines"),
    "log": ("type", "label", "rows", "columns", "layout", "landscape", "entry"),
}
FIELD_TYPES = tuple(sorted(FIELD_KEYS))
GROUP_KEYS = ("label", "items")
COLUMN_KEYS = (
    "label", "prompt", "width", "lines", "options", "pick", "from", "to", "low", "high", "example",
)  # fmt: skip
LAYOUTS = ("table", "entries")
MOST_POINTS = 11  # 0 to 10: circles still fit across an A5 page
MOST_COLUMNS = {"table": 8, "entries": 16}  # a table's columns fit across a landscape page


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
        instructions=by_medium(reader, top, "instructions"),
        sections=tuple(_section(reader, budget, *item) for item in within),
        source=source,
    )


def by_medium(reader: Checker, data: Located, key: str) -> model.ByMedium:
    """Text for every medium, or a `paper`, `form` and `screen` line each ("write", "type",
    "note in a notebook"), and a `web` line if the web edition's differs from the form's."""
    value = data.get(key)
    if not isinstance(value, Located):
        return model.ByMedium.same(reader.text(data, key))
    reader.keys(value, (*MEDIA, "web"), f"'{key}'")
    texts = {medium: reader.text(value, medium, required=True) for medium in MEDIA}
    return model.ByMedium(**texts, web=reader.text(value, "web"))


def _section(reader: Checker, budget: Tally, value: Any, line: int) -> model.Section:
    data = reader.mapping(value, "a section", line)
    if data is None:
        return model.Section("", model.NO_TEXT, ())
    reader.keys(data, SECTION_KEYS, "a section")
    items = reader.items(data, "fields", "field")
    fields = [_field(reader, budget, f, n) for f, n in items if budget.take(bounds.FIELDS, n)]
    return model.Section(
        heading=reader.text(data, "heading"),
        intro=by_medium(reader, data, "intro"),
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
    if kind in ("checklist", "scale", "grid") and not _items_fit(data, budget):
        return None
    return BUILDERS[kind](reader, data)


def _items_fit(data: Located, budget: Tally) -> bool:
    """A checklist's, scale's or grid's items (a grid's in all its groups), counted before
    they are read."""
    count = _count(data.get("items"))
    groups = data.get("groups")
    if isinstance(groups, list):
        count += sum(_count(g.get("items")) for g in groups if isinstance(g, Located))
    line = data.line_of("items" if "items" in data else "groups")
    return budget.alone(bounds.ITEMS, line, count) and budget.take(bounds.SHEET_ITEMS, line, count)


def _count(items: object) -> int:
    return len(items) if isinstance(items, list) else 0


def _date(reader: Checker, data: Located) -> model.DateField:
    return model.DateField(label=reader.text(data, "label") or "Date")


def _checklist(reader: Checker, data: Located) -> model.Checklist:
    return model.Checklist(label=reader.text(data, "label"), items=reader.texts(data, "items"))


def _rating(reader: Checker, data: Located) -> dict[str, Any]:
    """The numbers to rate with and what they mean: `from` (1) to `to`, or `points` of them
    (5), with a label for every point (`labels`) or for the ends (`low`, `high`)."""
    first = reader.number(data, "from", 1, -10, 10)
    if "to" in data and reader.exclusive(data, "points", "to"):
        top = first + MOST_POINTS - 1
        points = reader.number(data, "to", first + 4, first + 1, top) - first + 1
    else:
        points = reader.number(data, "points", 5, 2, MOST_POINTS)
    labels: tuple[str, ...] = ()
    if "labels" in data:
        labels = reader.texts(data, "labels", "label")
        why = f"one for each point from {first} to {first + points - 1}"
        if not reader.count(data, "labels", len(labels), points, why):
            labels = ()
        reader.exclusive(data, "labels", "low")
        reader.exclusive(data, "labels", "high")
    return {
        "first": first,
        "points": points,
        "labels": labels,
        "low": reader.text(data, "low"),
        "high": reader.text(data, "high"),
    }


def _scale(reader: Checker, data: Located) -> model.Scale:
    return model.Scale(
        label=reader.text(data, "label"), items=reader.texts(data, "items"), **_rating(reader, data)
    )


def _grid(reader: Checker, data: Located) -> model.Grid:
    groups: tuple[model.GridGroup, ...]
    if "groups" in data and reader.exclusive(data, "items", "groups"):
        found = [_group(reader, g, line) for g, line in reader.items(data, "groups", "group")]
        groups = tuple(g for g in found if g is not None)
    else:
        groups = (model.GridGroup("", reader.texts(data, "items")),)
    return model.Grid(
        label=reader.text(data, "label"),
        groups=groups,
        columns=reader.number(data, "columns", 6, 1, 12),
        heading=reader.text(data, "heading") or "Date",
        total=reader.text(data, "total"),
        **_rating(reader, data),
    )


def _group(reader: Checker, value: Any, line: int) -> model.GridGroup | None:
    data = reader.mapping(value, "a group", line)
    if data is None:
        return None
    reader.keys(data, GROUP_KEYS, "a group")
    return model.GridGroup(label=reader.text(data, "label"), items=reader.texts(data, "items"))


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
    layout = cast(Literal["table", "entries"], reader.choice(data, "layout", LAYOUTS) or "table")
    columns = reader.items(data, "columns", "column")
    most = MOST_COLUMNS[layout]
    if len(columns) > most:
        where = "a log" if layout == "table" else "an entry of a log"
        reader.problem(f"{where} fits at most {most} columns on a page", data.line_of("columns"))
    parsed = [_column(reader, c, line) for c, line in columns]
    return model.Log(
        columns=tuple(c for c in parsed if c is not None),
        rows=reader.number(data, "rows", 4, 1, 12),
        label=reader.text(data, "label"),
        layout=layout,
        landscape=reader.flag(data, "landscape", layout == "table"),
        entry=reader.text(data, "entry") or "Entry",
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
    answer = _answer(reader, data)
    return model.Column(
        label=label,
        prompt=reader.text(data, "prompt") or label,
        width=float(width),
        **answer,
        example=_example(reader, data, answer),
    )


def _answer(reader: Checker, data: Located) -> dict[str, Any]:
    """How a column is answered: written on `lines`, ticked from `options` (`pick` one or
    any), or a whole number `from` ... `to` (whose ends `low` and `high` may name)."""
    for key, other in (("pick", "options"), ("from", "to"), ("low", "to"), ("high", "to")):
        reader.needs(data, key, other)
    options: tuple[str, ...] = ()
    if "options" in data and reader.exclusive(data, "options", "to"):
        options = reader.texts(data, "options", "option")
    first = last = None
    if "to" in data and not options:
        first = reader.number(data, "from", 0, -10, 10)
        last = reader.number(data, "to", first + 10, first + 1, first + 100)
    written = not options and first is None
    pick = cast(Literal["one", "any"], reader.choice(data, "pick", ("one", "any")) or "any")
    return {
        "lines": reader.number(data, "lines", 2 if written else 0, 1 if written else 0, 12),
        "options": options,
        "pick": pick,
        "first": first,
        "last": last,
        "low": reader.text(data, "low"),
        "high": reader.text(data, "high"),
    }


def _example(reader: Checker, data: Located, answer: dict[str, Any]) -> tuple[str, ...]:
    """The worked example's answer, checked against how the column is answered."""
    if "example" not in data:
        return ()
    line = data.line_of("example")
    options: tuple[str, ...] = answer["options"]
    if options:
        if isinstance(data["example"], LocatedList):
            ticked = reader.texts(data, "example", "option")
        else:
            ticked = (reader.text(data, "example"),)
        if answer["pick"] == "one" and len(ticked) > 1:
            reader.problem("'example' can tick only one option when 'pick' is one", line)
        return tuple(t for t in ticked if reader.one_of("option", t, options, line))
    if answer["first"] is not None:
        number = reader.number(data, "example", answer["first"], answer["first"], answer["last"])
        return (str(number),)
    return (reader.text(data, "example"),)


BUILDERS: dict[str, Callable[[Checker, Located], model.Field]] = {
    "date": _date,
    "checklist": _checklist,
    "scale": _scale,
    "grid": _grid,
    "question": _question,
    "notes": _notes,
    "log": _log,
}
