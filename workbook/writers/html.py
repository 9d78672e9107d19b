"""The web edition's writer: the rendered pages, their stylesheet, the site's script, fonts and
images, and a copy of every file of the build on the downloads page, into one folder.

The folder is made at the staged temporary path (writers/staging.py moves it into place when the
whole build is complete). Every reference in it is relative and inside it, so the site works
opened from the file system and from any static host. A download is a hard link to the built
file when the file system allows it (no second copy on disk), else a copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from workbook.editions import Download, Edition, Personal
from workbook.render import Rendered, render
from workbook.safefiles import read_limited
from workbook.sources.media import MAX_IMAGE_BYTES
from workbook.writers.layouts import Layouts
from workbook.writers.logo import packed_bytes

ASSETS = Path(__file__).resolve().parent / "site_assets"
FONT_LICENCE = "LICENSE"  # the SIL Open Font License travels with the fonts


def write(edition: Edition, personal: Personal | None, layouts: Layouts, temp: Path) -> str:
    """`personal` is never given: a site is not made per client (see build/plan.py)."""
    layouts.step("web edition", "writing pages")
    rendered = render(layouts.book, edition, layouts.env, downloads=layouts.downloads)
    write_site(rendered, layouts.downloads, temp)
    layouts.step("web edition", "done")
    pages = len(rendered.documents)
    files = f", {len(layouts.downloads)} downloads" if layouts.downloads else ""
    return f"web edition, {pages} pages{files}"


def write_site(rendered: Rendered, downloads: tuple[Download, ...], folder: Path) -> None:
    folder.mkdir()
    for document in rendered.documents:
        (folder / document.name).write_text(document.html, encoding="utf-8")
    assets = folder / "assets"
    (assets / "fonts").mkdir(parents=True)
    (assets / "site.css").write_text(rendered.css, encoding="utf-8")
    shutil.copyfile(ASSETS / "site.js", assets / "site.js")
    for font in rendered.fonts:
        shutil.copyfile(font, assets / "fonts" / font.name)
    licence = rendered.fonts[0].parent.parent / FONT_LICENCE if rendered.fonts else None
    if licence is not None and licence.is_file():
        shutil.copyfile(licence, assets / "fonts" / "OFL.txt")
    for name, source in rendered.images:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # Checked by the loader (media.py): a regular image file inside the workbook.
        target.write_bytes(packed_bytes(name, source) or read_limited(source, MAX_IMAGE_BYTES))
    if downloads:
        (folder / "downloads").mkdir()
    for download in downloads:
        _place(download.source, folder / "downloads" / download.name)


def _place(source: Path, target: Path) -> None:
    """A hard link where the file system has them, else a copy."""
    with contextlib.suppress(OSError):
        os.link(source, target)
        return
    shutil.copyfile(source, target)
