"""The one schema checker for settings, brand, helplines, front matter and worksheets.

It reads `Located` values (from YAML or TOML), notes every problem with its file and line
instead of stopping at the first, and words each kind of problem the same way in every file:

    unknown key 'titel' in the front matter (did you mean 'title'?)
    'title' is missing; add a line 'title: ...'
    'title' is blank; fill it in
    'phone' must be text in quotes
    'lines' must be a whole number from 1 to 30
    'landscape' must be true or false
    use 'points' or 'to', not both
    'pick' goes with 'options'; add 'options' or take 'pick' out
    'labels' must have 5 items, one for each point from 1 to 5; it has 4
    'items' must be a list of at least one item, one '- ' line each
    every item in 'items' must be text in quotes
    'date' must be a date like 2026-11-26 (no quotes)
    unknown region 'xx'; use one of: us, uk, ca, au, ie, nz
    a section must be a set of 'key: value' lines
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from workbook.errors import Problems, did_you_mean
from workbook.safefiles import invisible_character
from workbook.sources.located import Located, LocatedList


@dataclass(frozen=True)
class Syntax:
    """How a format writes a setting and a list, so a message can show the fix as written."""

    setting: str  # a line giving `key` a value
    pairs: str  # what a mapping is made of
    list_hint: str  # how a list is written


YAML = Syntax("{key}: ...", "'key: value' lines", "one '- ' line each")
TOML = Syntax("{key} = ...", "'key = value' lines", 'like ["one", "two"]')


class Checker:
    """Checks the values of one file. `numbers_as_text`: a number is fine where text goes
    (worksheets, where `label: 2024` means the text '2024')."""

    def __init__(
        self, file: str, problems: Problems, syntax: Syntax = YAML, numbers_as_text: bool = False
    ) -> None:
        self.file = file
        self.problems = problems
        self.syntax = syntax
        self.numbers_as_text = numbers_as_text

    def problem(self, message: str, line: int | None) -> None:
        self.problems.add(self.file, message, line)

    def mapping(self, value: object, what: str, line: int) -> Located | None:
        if isinstance(value, Located):
            return value
        self.problem(f"{what} must be a set of {self.syntax.pairs}", line)
        return None

    def table(self, data: Located, key: str) -> Located | None:
        """The mapping under `key`, which must be there."""
        if key not in data:
            self.missing(data, key)
            return None
        return self.mapping(data[key], f"'{key}'", data.line_of(key))

    def keys(self, data: Located, allowed: Iterable[str], where: str) -> None:
        """Every key that is not `allowed`, with the near one it may have meant."""
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.problem(f"unknown key '{key}' in {where}{hint}", data.line_of(key))

    def missing(self, data: Located, key: str) -> None:
        setting = self.syntax.setting.format(key=key)
        self.problem(f"'{key}' is missing; add a line '{setting}'", data.line)

    def text(
        self, data: Located, key: str, required: bool = False, longest: int | None = None
    ) -> str:
        """The text under `key`, stripped; "" when it is absent, empty or wrong."""
        if key not in data:
            if required:
                self.missing(data, key)
            return ""
        value = self._text_value(data[key])
        line = data.line_of(key)
        if value is None:
            self.problem(f"'{key}' must be text in quotes", line)
            return ""
        invisible = invisible_character(value)
        if invisible:
            self.problem(f"'{key}' {invisible}", line)
            return ""
        if longest is not None and len(value) > longest:
            self.problem(f"'{key}' is longer than {longest} characters", line)
        if required and not value.strip():
            self.problem(f"'{key}' is blank; fill it in", line)
        return value.strip()

    def _text_value(self, value: object) -> str | None:
        """`value` as text, or None if it is not text (YAML's empty value counts as "")."""
        if value is None or isinstance(value, str):
            return value or ""
        if self.numbers_as_text and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return None

    def number(self, data: Located, key: str, default: int, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(f"'{key}' must be a whole number from {low} to {high}", data.line_of(key))
            return default
        return value

    def flag(self, data: Located, key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"'{key}' must be true or false", data.line_of(key))
            return default
        return value

    def exclusive(self, data: Located, first: str, second: str) -> bool:
        """True when only one of two keys that say the same thing is given."""
        if first in data and second in data:
            self.problem(f"use '{first}' or '{second}', not both", data.line_of(second))
            return False
        return True

    def needs(self, data: Located, key: str, other: str) -> bool:
        """False (and a problem) when `key` is given without the `other` key it works with."""
        if key in data and other not in data:
            message = f"'{key}' goes with '{other}'; add '{other}' or take '{key}' out"
            self.problem(message, data.line_of(key))
            return False
        return True

    def count(self, data: Located, key: str, found: int, wanted: int, why: str) -> bool:
        """A list that must have exactly `wanted` items (`why` says what each is for)."""
        if found == wanted:
            return True
        message = f"'{key}' must have {wanted} items, {why}; it has {found}"
        self.problem(message, data.line_of(key))
        return False

    def date(self, data: Located, key: str) -> dt.date | None:
        """A date, or None when there is none (absent, or YAML's `null`)."""
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.problem(f"'{key}' must be a date like 2026-11-26 (no quotes)", data.line_of(key))
        return None

    def choice(
        self,
        data: Located,
        key: str,
        choices: tuple[str, ...],
        required: bool = False,
        name: str = "",
    ) -> str | None:
        """One of `choices` (any case), or None when absent, empty or not one of them;
        `name` says what the value is, in messages (the key by default)."""
        value = self.text(data, key, required).lower()
        if not value or not self.one_of(name or key, value, choices, data.line_of(key)):
            return None
        return value

    def one_of(self, name: str, value: str, choices: tuple[str, ...], line: int | None) -> bool:
        if value in choices:
            return True
        hint = did_you_mean(value, choices)
        known = ", ".join(choices)
        self.problem(f"unknown {name} '{value[:60]}'{hint}; use one of: {known}", line)
        return False

    def items(self, data: Located, key: str, thing: str) -> list[tuple[object, int]]:
        """A list of at least one `thing` under `key`, as (item, line) pairs."""
        if key not in data:
            self.missing(data, key)
            return []
        value = data[key]
        if not isinstance(value, LocatedList) or not value:
            hint = self.syntax.list_hint
            self.problem(
                f"'{key}' must be a list of at least one {thing}, {hint}", data.line_of(key)
            )
            return []
        return value.located_items()

    def texts(self, data: Located, key: str, thing: str = "item") -> tuple[str, ...]:
        """A list of at least one text under `key`, each stripped; an empty '- ' is no text."""
        items = [v for v, _ in self.items(data, key, thing)]
        values = [self._text_value(v) if v is not None else None for v in items]
        good = tuple(v.strip() for v in values if v is not None)
        if len(good) != len(values):
            self.problem(f"every item in '{key}' must be text in quotes", data.line_of(key))
        invisible = next(filter(None, map(invisible_character, good)), None)
        if invisible:
            self.problem(f"an item in '{key}' {invisible}", data.line_of(key))
        return good
