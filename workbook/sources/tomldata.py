"""TOML (workbook.toml, brand.toml) read into the same located values as YAML.

tomllib keeps no line numbers, so the line of each key comes from scanning the text: good
enough for messages, which is all it is used for."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from workbook.errors import Problem, WorkbookError
from workbook.sources.located import Located, LocatedList

_HEADER = re.compile(r"\s*\[\[?\s*([A-Za-z_][\w.-]*)\s*\]")
_KEY = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=")


def load_toml(text: str, file: str) -> Located:
    """The document as a `Located` mapping; one problem naming the line if it is not TOML."""
    try:
        located: Located = _located(tomllib.loads(text), "", 1, key_lines(text))
        return located
    except tomllib.TOMLDecodeError as error:
        raise WorkbookError([_decode_problem(error, file)]) from None
    except RecursionError:
        message = f"values are nested too deeply; {file} needs only plain settings"
        raise WorkbookError([Problem(file, message)]) from None


def _decode_problem(error: tomllib.TOMLDecodeError, file: str) -> Problem:
    text = str(error)
    found = re.search(r"at line (\d+)", text)
    line = int(found.group(1)) if found else None
    return Problem(file, f"not valid TOML: {text.split(' (at line')[0]}", line)


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of keys, as 'table.key' ('key' at the top level) and of table headers."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            lines.setdefault(table, number)
            continue
        match = _KEY.match(line)
        if match:
            lines.setdefault(f"{table}.{match.group(1)}" if table else match.group(1), number)
    return lines


def _located(value: Any, path: str, line: int, lines: dict[str, int]) -> Any:
    """Tables become `Located`, arrays `LocatedList`; `path` is the table's dotted name."""
    if isinstance(value, dict):
        table = Located(line)
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            table.key_lines[key] = lines.get(name, line)
            table[key] = _located(item, name, table.key_lines[key], lines)
        return table
    if isinstance(value, list):
        items = LocatedList((_located(item, path, line, lines) for item in value), line)
        items.item_lines = [line] * len(items)
        return items
    return value
