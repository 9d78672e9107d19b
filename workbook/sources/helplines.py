"""`helplines.yaml`: support and crisis services by region, each with its source and the day its
number was checked. A chapter shows them with a `::: helplines` block."""

from __future__ import annotations

import os
from pathlib import Path

from workbook.errors import Problems
from workbook.model import Helpline, Helplines, Region
from workbook.resources import bundled_root
from workbook.safefiles import read_text
from workbook.sources import bounds
from workbook.sources.located import Located
from workbook.sources.regions import REGIONS
from workbook.sources.schema import Checker
from workbook.sources.typography import typeset
from workbook.sources.yamldata import load_yaml

HELPLINES_FILE = "helplines.yaml"
MAX_HELPLINES_BYTES = 5_000_000
REGION_KEYS = ("name", "emergency")
# `for` is who the service is for; call, text, chat and email are ways to reach it (`how` says
# it in words); hours say when.
WAYS = ("call", "text", "chat", "email", "how")
SERVICE_KEYS = ("region", "name", "for", *WAYS, "hours", "source", "checked", "note")
REQUIRED_TEXT = ("name", "source")  # a service's region is a choice, the rest optional

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
    checker = Checker(HELPLINES_FILE, problems)
    data = checker.mapping(typeset(load_yaml(text, HELPLINES_FILE)), "the helplines", 1)
    if data is None:
        return None
    checker.keys(data, ("regions", "services"), "the helplines")
    return Helplines(regions=_regions(checker, data), services=_services(checker, data))


def _regions(checker: Checker, data: Located) -> tuple[Region, ...]:
    table = checker.table(data, "regions")
    if table is None:
        return ()
    regions = []
    for code, value in table.items():
        line = table.line_of(code)
        checker.one_of("region", code, REGIONS, line)
        entry = checker.mapping(value, "a region", line)
        if entry is None:
            continue
        checker.keys(entry, REGION_KEYS, "a region")
        texts = {key: checker.text(entry, key, required=True) for key in REGION_KEYS}
        regions.append(Region(code=code, **texts))
    return tuple(regions)


def _services(checker: Checker, data: Located) -> tuple[Helpline, ...]:
    services = []
    for index, (value, line) in enumerate(checker.items(data, "services", "service")):
        if bounds.SERVICES.over(index + 1):
            checker.problem(bounds.SERVICES.message(), line)
            break
        entry = checker.mapping(value, "a service", line)
        if entry is None:
            continue
        checker.keys(entry, SERVICE_KEYS, "a service")
        texts = {key: checker.text(entry, key, required=True) for key in REQUIRED_TEXT}
        ways = {key: checker.text(entry, key) for key in WAYS}
        if not any(ways.values()):
            checker.problem(
                "a service needs a way to reach it: 'call', 'text', 'chat', 'email' or 'how'", line
            )
        region = checker.choice(entry, "region", REGIONS, required=True) or ""
        checked = checker.date(entry, "checked")
        note = checker.text(entry, "note")
        if checked is None and not note:
            checker.problem("a service not checked yet needs a 'note' saying so", line)
        services.append(
            Helpline(
                region=region,
                **texts,
                **ways,
                checked=checked,
                note=note,
                for_whom=checker.text(entry, "for"),
                hours=checker.text(entry, "hours"),
            )
        )
    return tuple(services)
