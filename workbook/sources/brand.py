"""A practice's branding: the `[brand]` table in workbook.toml, a brand.toml beside it, or the
file given with `--brand`. Checked like the rest of the config, every problem collected."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from workbook.errors import Problem, Problems, WorkbookError, did_you_mean
from workbook.model import Brand
from workbook.safefiles import display_name, read_text

BRAND_FILE = "brand.toml"
TEXT_KEYS = (
    "practice",
    "clinician",
    "credentials",
    "phone",
    "email",
    "web",
    "note",
    "disclaimer",
)
KEYS = (*TEXT_KEYS, "logo", "accent", "region")
REGIONS = ("us", "uk", "ca", "au", "ie", "nz")
LOGO_TYPES = (".png", ".svg")
ACCENT = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_TEXT = 600
MAX_BRAND_BYTES = 1_000_000


def table_key_lines(text: str) -> dict[str, int]:
    """Line numbers of keys, as 'table.key' ('key' at the top level); tomllib keeps none."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([A-Za-z_][\w.-]*)\s*\]", line)
        if header:
            table = header.group(1)
            lines.setdefault(table, number)
            continue
        match = re.match(r"\s*([A-Za-z_][\w-]*)\s*=", line)
        if match:
            lines.setdefault(f"{table}.{match.group(1)}" if table else match.group(1), number)
    return lines


def parse_brand(
    data: Any, file: str, lines: dict[str, int], prefix: str, project_dir: Path, problems: Problems
) -> Brand | None:
    """`data` is the brand table; `prefix` is 'brand.' inside workbook.toml, '' in a brand file."""
    if not isinstance(data, dict):
        problems.add(file, "'brand' must be a table: a line [brand], then key = value lines")
        return None

    def line(key: str) -> int | None:
        return lines.get(prefix + key)

    for key in data:
        if key not in KEYS:
            problems.add(file, f"unknown brand key '{key}'{did_you_mean(key, KEYS)}", line(key))
    values: dict[str, str] = {}
    for key in (*TEXT_KEYS, "accent", "region", "logo"):
        value = data.get(key, "")
        if not isinstance(value, str):
            problems.add(file, f"'{key}' must be text in quotes", line(key))
            value = ""
        elif len(value) > MAX_TEXT:
            problems.add(file, f"'{key}' is longer than {MAX_TEXT} characters", line(key))
        values[key] = value.strip()
    if values["accent"] and not ACCENT.match(values["accent"]):
        message = f"accent '{values['accent']}' must be a colour like \"#2a6f74\""
        problems.add(file, message, line("accent"))
        values["accent"] = ""
    region = values["region"].lower() or None
    if region is not None and region not in REGIONS:
        message = f"region '{region}' is not one of {', '.join(REGIONS)}"
        problems.add(file, message + did_you_mean(region, REGIONS), line("region"))
        region = None
    logo = _logo(values["logo"], file, line("logo"), project_dir, problems)
    text = {k: values[k] for k in TEXT_KEYS}
    return Brand(**text, logo=logo, accent=values["accent"], region=region)


def _logo(
    value: str, file: str, line: int | None, project_dir: Path, problems: Problems
) -> Path | None:
    if not value:
        return None
    root = project_dir.resolve()
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        problems.add(file, f"the logo '{value}' must be inside the workbook's folder", line)
        return None
    if path.suffix.lower() not in LOGO_TYPES:
        problems.add(file, f"the logo '{value}' must be a PNG or SVG file", line)
        return None
    if not path.is_file():
        problems.add(file, f"there is no logo file '{value}' in the workbook's folder", line)
        return None
    return path


def read_brand_file(path: Path, project_dir: Path) -> Brand | None:
    """A brand file: the keys at the top, or under a [brand] line. It may live outside the
    workbook (a practice keeps one for all its workbooks), but only as a regular file in its
    own folder, not a link to a file elsewhere."""
    file = display_name(path, project_dir)
    text = read_text(path, file, (project_dir, path.parent), MAX_BRAND_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        message = f"not valid TOML: {str(error).split(' (at line')[0]}"
        raise WorkbookError([Problem(file, message, line)]) from None
    prefix = ""
    if set(data) == {"brand"}:
        data, prefix = data["brand"], "brand."
    problems = Problems()
    brand = parse_brand(data, file, table_key_lines(text), prefix, project_dir, problems)
    problems.raise_if_any()
    return brand
