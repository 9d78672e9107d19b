"""`workbook new DIR`: a small project that builds at once and shows every feature by example;
`--from-default`: the bundled default workbook, copied out to edit (its chapters, worksheets,
settings and helplines, with the sample's brand example and folders for your own templates
and styles)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workbook.errors import WorkbookError
from workbook.resources import CONFIG_NAME, PACKAGE_DIR, bundled_root

SCAFFOLD_DIR = PACKAGE_DIR / "scaffold"
# What `--from-default` takes from the default workbook, and from the sample project.
DEFAULT_FILES = (CONFIG_NAME, "chapters", "helplines.yaml")
SCAFFOLD_FILES = ("brand.example.toml", "styles", "templates")


def new_project(target: Path, from_default: bool = False) -> list[str]:
    """Copy the sample project (or the default workbook) into `target`, which must be new or
    empty; returns its files. It is copied beside the target first and moved into place whole."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WorkbookError.one(target, "already exists and is not empty; choose a new folder")
    temp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if from_default:
            _copy_default(temp)
        else:
            shutil.copytree(SCAFFOLD_DIR, temp, ignore=shutil.ignore_patterns("__pycache__"))
        if target.exists():
            target.rmdir()
        os.replace(temp, target)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise WorkbookError.one(target, f"cannot be made here ({error.strerror})") from None
    return sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())


def _copy_default(temp: Path) -> None:
    temp.mkdir()
    for name, source in [(n, bundled_root()) for n in DEFAULT_FILES] + [
        (n, SCAFFOLD_DIR) for n in SCAFFOLD_FILES
    ]:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, temp / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(path, temp / name)
