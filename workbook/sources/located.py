"""Values that remember where they were written, so a message can say `file:line`.

The YAML reader (yamldata) and the TOML reader (tomldata) both return them, and the schema
checker (schema) reads them without caring which format they came from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Located(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    def __init__(self, items: Iterable[object] = (), line: int = 1) -> None:
        super().__init__(items)
        self.line = line
        self.item_lines: list[int] = []

    def located_items(self) -> list[tuple[object, int]]:
        """(item, line) pairs; an item without a known line gets the list's."""
        lines = self.item_lines
        return [(item, lines[i] if i < len(lines) else self.line) for i, item in enumerate(self)]
