"""A practice's branding: the `[brand]` table in workbook.toml, a brand.toml beside it, or the
file given with `--brand`. Checked like the rest of the config, every problem collected."""

from __future__ import annotations

import re
from pathlib import Path

from workbook.errors import Problems
from workbook.model import Brand
from workbook.safefiles import Refused, checked_path, display_name, read_text
from workbook.sources.located import Located
from workbook.sources.media import LOGO_TYPES, check_image
from workbook.sources.regions import REGIONS
from workbook.sources.schema import TOML, Checker
from workbook.sources.tomldata import load_toml

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
ACCENT = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_TEXT = 600
MAX_BRAND_BYTES = 1_000_000
WHERE = "the brand settings"  # for "unknown key 'x' in the brand settings"


def parse_brand(
    data: Located, checker: Checker, project_dir: Path, folder: Path | None = None
) -> Brand:
    """`data` is the brand table (or a brand file's top level). The logo's path starts from
    `folder`, the folder of the file that names it (default: the workbook's)."""
    checker.keys(data, KEYS, WHERE)
    text = {key: checker.text(data, key, longest=MAX_TEXT) for key in TEXT_KEYS}
    accent = checker.text(data, "accent", longest=MAX_TEXT)
    if accent and not ACCENT.match(accent):
        message = f"accent '{accent}' must be a colour like \"#2a6f74\""
        checker.problem(message, data.line_of("accent"))
        accent = ""
    region = checker.choice(data, "region", REGIONS)
    logo_name = checker.text(data, "logo", longest=MAX_TEXT)
    logo = None
    if logo_name:
        logo = _logo(logo_name, checker, data.line_of("logo"), folder or project_dir, project_dir)
    return Brand(**text, logo=logo, accent=accent, region=region)


def _logo(value: str, checker: Checker, line: int, folder: Path, project_dir: Path) -> Path | None:
    """A logo gets the checks a chapter's image gets: a regular file inside the folder of the
    file that names it (the workbook's, or a --brand file's), at most 20 MB and 40 million
    pixels, that decodes fully. Its path starts from that folder."""
    roots = tuple(dict.fromkeys((project_dir.resolve(), folder.resolve())))
    if Path(value).suffix.lower() not in LOGO_TYPES:
        checker.problem(f"the logo '{value}' must be a PNG, JPEG or SVG file", line)
        return None
    try:
        path = checked_path(folder / value, roots)
        check_image(path, LOGO_TYPES)
    except Refused as refusal:
        checker.problem(_logo_refusal(value, str(refusal), folder, project_dir), line)
        return None
    return path


def _logo_refusal(value: str, reason: str, folder: Path, project_dir: Path) -> str:
    """Says where the logo was looked for: the brand file's folder, as an absolute path."""
    in_workbook = folder.resolve() == project_dir.resolve()
    where = "the workbook's folder" if in_workbook else "the brand file's folder"
    looked = f"(looked for {(folder / value).absolute()})"
    if reason == "there is no such file":
        return f"there is no logo file '{value}' in {where} {looked}"
    if reason == "it is outside the workbook's folder":
        return (
            f"the logo '{value}' must be in {where} or a folder inside it {looked}; "
            "copy it in beside the brand file"
        )
    return f"the logo '{value}' cannot be used: {reason}"


def read_brand_file(path: Path, project_dir: Path) -> Brand | None:
    """A brand file: the keys at the top, or under a [brand] line. It may live outside the
    workbook (a practice keeps one for all its workbooks), but only as a regular file in its
    own folder, not a link to a file elsewhere."""
    file = display_name(path, project_dir)
    data = load_toml(read_text(path, file, (project_dir, path.parent), MAX_BRAND_BYTES), file)
    problems = Problems()
    checker = Checker(file, problems, TOML)
    if set(data) == {"brand"}:
        data = checker.table(data, "brand") or Located()
    brand = parse_brand(data, checker, project_dir, path.parent)
    problems.raise_if_any()
    return brand
