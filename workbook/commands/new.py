"""`workbook new DIR`: a small project that builds at once and shows every feature by example."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workbook.errors import WorkbookError
from workbook.resources import PACKAGE_DIR

SCAFFOLD_DIR = PACKAGE_DIR / "scaffold"


def new_project(target: Path) -> list[str]:
    """Copy the sample project into `target` (which must be new or empty); returns its files.
    It is copied beside the target first and moved into place whole."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WorkbookError.one(target, "already exists and is not empty; choose a new folder")
    temp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(SCAFFOLD_DIR, temp, ignore=shutil.ignore_patterns("__pycache__"))
        if target.exists():
            target.rmdir()
        os.replace(temp, target)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise WorkbookError.one(target, f"cannot be made here ({error.strerror})") from None
    return sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
