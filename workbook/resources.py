"""Where the bundled default workbook, templates, styles and fonts live."""

from __future__ import annotations

from pathlib import Path

import fontpkg_atkinson_hyperlegible

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_NAME = "workbook.toml"
BRAND_FILE = "brand.toml"  # a practice's branding, beside workbook.toml


def bundled_root() -> Path:
    """The default workbook: inside the wheel, or the source checkout when run from it."""
    installed = PACKAGE_DIR / "_default"
    if (installed / CONFIG_NAME).is_file():
        return installed
    return PACKAGE_DIR.parent


def bundled_templates() -> Path:
    return bundled_root() / "templates"


def bundled_styles() -> Path:
    return bundled_root() / "styles"


def font_dir() -> Path:
    """Atkinson Hyperlegible (OFL), shipped as a Python package."""
    return Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"


def find_project(explicit: Path | None, cwd: Path) -> Path:
    """The project folder: `-p DIR`, else the nearest folder from here up that has a
    workbook.toml (so a command run inside `chapters/` finds its workbook), else the bundled
    default workbook."""
    if explicit is not None:
        return explicit.resolve()
    found = project_above(cwd)
    return found if found is not None else bundled_root()


def project_above(cwd: Path) -> Path | None:
    """This folder or the nearest one above it with a workbook.toml, or None."""
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None
