"""`helplines.yaml`: support and crisis services by region, each with its source and the day its
number was checked. A chapter shows them with a `::: helplines` block."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from workbook.errors import Problems, did_you_mean
from workbook.model import Helpline, Helplines, Region
from workbook.resources import bundled_root
from workbook.safefiles import read_text
from workbook.sources.brand import REGIONS
from workbook.sources.yamldata import Located, LocatedList, load_yaml, text_values, unknown_keys

HELPLINES_FILE = "helplines.yaml"
MAX_HELPLINES_BYTES = 5_000_000
REGION_KEYS = ("name", "emergency")
SERVICE_KEYS = ("region", "name", "how", "source", "checked", "note")

# A workbook's language tag names its region: en-GB -> uk. Other tags give every region.
LANGUAGE_REGIONS = {
    "us": "us",
    "gb": "uk",
    "uk": "uk",
    "ca": "ca",
    "au": "au",
    "ie": "ie",
    "nz": "nz",
}


def region_from_language(language: str) -> str | None:
    parts = language.lower().split("-")
    return LANGUAGE_REGIONS.get(parts[-1]) if len(parts) > 1 else None


def read_helplines(project_dir: Path, problems: Problems) -> Helplines | None:
    """The project's helplines.yaml, else the bundled one, so any workbook can list them."""
    path = project_dir / HELPLINES_FILE
    if not os.path.lexists(path):  # one that is there but unusable is reported, not skipped
        path = bundled_root() / HELPLINES_FILE
        if not path.is_file():
            return None
    text = read_text(path, HELPLINES_FILE, (path.parent,), MAX_HELPLINES_BYTES)
    data = load_yaml(text, HELPLINES_FILE)
    if not isinstance(data, Located):
        problems.add(HELPLINES_FILE, "must have 'regions:' and 'services:'", 1)
        return None
    for key in data:
        if key not in ("regions", "services"):
            hint = did_you_mean(key, ("regions", "services"))
            problems.add(HELPLINES_FILE, f"unknown key '{key}'{hint}", data.line_of(key))
    regions = _regions(data.get("regions"), data.line_of("regions"), problems)
    services = _services(data.get("services"), data.line_of("services"), problems)
    return Helplines(regions=regions, services=services)


def _regions(value: Any, line: int, problems: Problems) -> tuple[Region, ...]:
    if not isinstance(value, Located):
        problems.add(HELPLINES_FILE, "'regions' must list region codes with a name", line)
        return ()
    regions = []
    for code, entry in value.items():
        where = value.line_of(code)
        if code not in REGIONS:
            message = f"region '{code}' is not one of {', '.join(REGIONS)}"
            problems.add(HELPLINES_FILE, message + did_you_mean(code, REGIONS), where)
        fields = _texts(entry, REGION_KEYS, where, problems)
        regions.append(Region(code=code, name=fields["name"], emergency=fields["emergency"]))
    return tuple(regions)


def _services(value: Any, line: int, problems: Problems) -> tuple[Helpline, ...]:
    if not isinstance(value, LocatedList):
        problems.add(HELPLINES_FILE, "'services' must be a list of services", line)
        return ()
    services = []
    for entry, where in zip(value, value.item_lines, strict=True):
        fields = _texts(entry, ("region", "name", "how", "source", "note"), where, problems)
        if fields["region"] not in REGIONS:
            problems.add(HELPLINES_FILE, f"region '{fields['region']}' is not known", where)
        checked = entry.get("checked") if isinstance(entry, Located) else None
        if checked is not None and not isinstance(checked, dt.date):
            message = "'checked' must be a date like 2026-11-26, or null if not checked yet"
            problems.add(HELPLINES_FILE, message, entry.line_of("checked"))
            checked = None
        if checked is None and not fields["note"]:
            message = "a service not checked yet needs a 'note' saying so"
            problems.add(HELPLINES_FILE, message, where)
        services.append(Helpline(**fields, checked=checked))
    return tuple(services)


def _texts(entry: Any, keys: tuple[str, ...], line: int, problems: Problems) -> dict[str, str]:
    if not isinstance(entry, Located):
        problems.add(HELPLINES_FILE, "each entry must be 'key: value' lines", line)
        return dict.fromkeys(keys, "")
    known = REGION_KEYS if "emergency" in keys else SERVICE_KEYS
    unknown_keys(entry, known, HELPLINES_FILE, problems)
    values = text_values(entry, keys, HELPLINES_FILE, problems)
    for key, value in values.items():
        if not value and key != "note" and isinstance(entry.get(key, ""), str):
            problems.add(HELPLINES_FILE, f"'{key}' is missing", entry.line)
    return values
