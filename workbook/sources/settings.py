"""`workbook.toml`: the workbook's settings, validated once with every problem collected."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.errors import Problem, Problems, WorkbookError, did_you_mean
from workbook.model import Brand
from workbook.resources import CONFIG_NAME
from workbook.safefiles import invisible_character, read_text
from workbook.sources.brand import BRAND_FILE, parse_brand, read_brand_file, table_key_lines

KNOWN_KEYS = (
    "title",
    "subtitle",
    "author",
    "language",
    "slug",
    "date",
    "description",
    "contents",
    "brand",
)
NOT_TEXT = ("date", "contents", "brand")
REQUIRED = ("title", "contents")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_CONFIG_BYTES = 1_000_000
PART_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Config:
    path: Path
    title: str
    subtitle: str
    author: str
    language: str
    slug: str
    date: dt.date | None
    description: str
    contents: tuple[str, ...]
    lines: dict[str, int]
    brand: Brand | None = None

    @property
    def project_dir(self) -> Path:
        return self.path.parent

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


MAX_SLUG = 60  # file names stay well under the 255 bytes file systems allow


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug.strip("-") or "workbook"


def read_config(project_dir: Path) -> Config:
    path = project_dir / CONFIG_NAME
    if not os.path.lexists(path):
        raise WorkbookError.one(path, "there is no workbook.toml here")
    text = read_text(path, CONFIG_NAME, (project_dir,), MAX_CONFIG_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        message = f"not valid TOML: {str(error).split(' (at line')[0]}"
        raise WorkbookError([Problem(CONFIG_NAME, message, line)]) from None
    except RecursionError:
        message = "values are nested too deeply; workbook.toml needs only plain settings"
        raise WorkbookError([Problem(CONFIG_NAME, message)]) from None
    problems = Problems()
    brand = _brand(path.parent, data, text, problems)
    config = _validate(path, data, _key_lines(text), problems)
    return dataclasses.replace(config, brand=brand)


def _brand(project_dir: Path, data: dict[str, Any], text: str, problems: Problems) -> Brand | None:
    """The [brand] table, else a brand.toml beside workbook.toml, else no branding."""
    if "brand" in data:
        lines = table_key_lines(text)
        return parse_brand(data["brand"], CONFIG_NAME, lines, "brand.", project_dir, problems)
    if os.path.lexists(project_dir / BRAND_FILE):  # read_brand_file says if it is unusable
        try:
            return read_brand_file(project_dir / BRAND_FILE, project_dir)
        except WorkbookError as error:
            problems.extend(error)
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _key_lines(text: str) -> dict[str, int]:
    """Top-level keys' line numbers, for messages (tomllib does not keep them)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*([A-Za-z_][\w-]*)\s*=", line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = number
    return lines


def _validate(
    path: Path, data: dict[str, Any], lines: dict[str, int], problems: Problems
) -> Config:
    name = CONFIG_NAME
    for key in data:
        if key not in KNOWN_KEYS:
            problems.add(
                name, f"unknown key '{key}'{did_you_mean(key, KNOWN_KEYS)}", lines.get(key)
            )
    for key in REQUIRED:
        if key not in data:
            problems.add(name, f"'{key}' is missing; add {key} = ... at the top")
    text = {k: _text(data, k, problems, lines) for k in KNOWN_KEYS if k not in NOT_TEXT}
    language = text["language"] or "en"
    if not LANGUAGE.match(language):
        problems.add(
            name, f"'{language}' is not a language tag like 'en' or 'en-GB'", lines.get("language")
        )
    contents = _contents(data.get("contents", []), problems, lines.get("contents"))
    date = _date(data.get("date"), problems, lines.get("date"))
    problems.raise_if_any()
    return Config(
        path=path,
        title=text["title"],
        subtitle=text["subtitle"],
        author=text["author"],
        language=language,
        slug=slugify(text["slug"] or text["title"]),
        date=date,
        description=text["description"],
        contents=contents,
        lines=lines,
    )


def _text(data: dict[str, Any], key: str, problems: Problems, lines: dict[str, int]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        problems.add(CONFIG_NAME, f"'{key}' must be text in quotes", lines.get(key))
        return ""
    invisible = invisible_character(value)
    if invisible:
        problems.add(CONFIG_NAME, f"'{key}' {invisible}", lines.get(key))
        return ""
    return value.strip()


def _contents(value: Any, problems: Problems, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(CONFIG_NAME, "'contents' must be a list of part ids in quotes", line)
        return ()
    for part in value:
        if not PART_ID.match(part):
            problems.add(
                CONFIG_NAME, f"'{part}' is not a part id (lowercase words joined by -)", line
            )
    seen = {p for p in value if value.count(p) > 1}
    for part in sorted(seen):
        problems.add(CONFIG_NAME, f"the part '{part}' is listed twice in 'contents'", line)
    if not value:
        problems.add(CONFIG_NAME, "'contents' is empty; list at least one chapter", line)
    return tuple(value)


def _date(value: Any, problems: Problems, line: int | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    problems.add(CONFIG_NAME, "'date' must be a date like 2026-11-26 (no quotes)", line)
    return None
