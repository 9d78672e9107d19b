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
        raise WorkbookError([_decode_problem(error, file, text)]) from None
    except RecursionError:
        message = f"values are nested too deeply; {file} needs only plain settings"
        raise WorkbookError([Problem(file, message)]) from None


def _decode_problem(error: tomllib.TOMLDecodeError, file: str, text: str) -> Problem:
    """tomllib's message, or a plain one for the mistakes people make most (a value without
    quotes, curly quotes, ':' for '=', a backslash in a Windows path, a key given twice)."""
    detail = str(error)
    found = re.search(r"at line (\d+)", detail)
    line = int(found.group(1)) if found else None
    lines = text.splitlines()
    if detail.startswith("Cannot overwrite a value"):
        return _duplicate(lines, file) or Problem(file, f"not valid TOML: {detail}", line)
    if line is None and detail.startswith("Unterminated string"):
        line = next((n for n, s in enumerate(lines, 1) if s.count('"') % 2), None)
        return Problem(file, 'a quote (") is not closed; end the text with a quote', line)
    if line is not None and line <= len(lines):
        advice = common_mistake(lines[line - 1])
        if advice:
            return Problem(file, advice, line)
    return Problem(file, f"not valid TOML: {detail.split(' (at ')[0]}", line)


_SETTING = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*([=:])\s*(.*?)\s*$")
# Values TOML reads without quotes: true, false, numbers (no leading 0), dates.
_PLAIN = re.compile(
    r"^(true|false|[+-]?(0|[1-9][0-9_]*)(\.[0-9_]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}.*)$"
)


def common_mistake(line: str) -> str | None:
    """Advice for a line tomllib could not read, or None if it is none of the usual slips."""
    setting = _SETTING.match(line.split(" #")[0])
    if setting is None:
        return None
    key, sign, value = setting.groups()
    if sign == ":":
        return f"write '{key} = ...' with '=' (TOML uses '=' where YAML uses ':')"
    if any(q in value for q in "\u201c\u201d\u2018\u2019"):
        return (
            f"'{key}' has curly quotes (\u201c \u201d); use straight ones: {key} = \"...\" "
            "(a word processor may have changed them)"
        )
    if value[:1] in "\"'" and value.count(value[0]) % 2:
        return f"a quote ({value[0]}) is not closed; end the text of '{key}' with one"
    if value.startswith('"') and "\\" in value:
        return (
            f"in '{key}', a backslash starts a special character inside \"...\"; write the "
            f"path with forward slashes (a/b.png), or in single quotes: {key} = '...'"
        )
    if value and value[0] not in "\"'[{" and not _PLAIN.match(value):
        kind = "a phone number" if re.fullmatch(r"[+()0-9 .-]+", value) else "text"
        return f'{kind} must be in quotes: {key} = "{value}"'
    return None


def _duplicate(lines: list[str], file: str) -> Problem | None:
    """The second line that gives a key already given in the same table."""
    seen: set[str] = set()
    table = ""
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            continue
        match = _KEY.match(line)
        if match:
            name = f"{table}.{match.group(1)}"
            if name in seen:
                return Problem(
                    file, f"the key '{match.group(1)}' appears twice; keep only one", number
                )
            seen.add(name)
    return None


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
