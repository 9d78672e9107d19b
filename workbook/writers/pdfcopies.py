"""Client copies of a print PDF: the shared interior, laid out once, with a personal cover.

Only page 1's drawing (its content stream and resources) is swapped, so the page objects, the
contents' links, the bookmarks and the metadata of the shared PDF stay exactly as they were.
The metadata never holds a client's name: it comes from the shared interior.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf


def write_with_cover(shared: bytes, cover: bytes, target: Path) -> None:
    with pikepdf.open(io.BytesIO(shared)) as pdf, pikepdf.open(io.BytesIO(cover)) as front:
        page, source = pdf.pages[0].obj, front.pages[0].obj
        page.Contents = pdf.copy_foreign(source.Contents)
        page.Resources = pdf.copy_foreign(source.Resources)
        if "/Annots" in page:
            del page.Annots  # the shared cover's links, if any, belong to its old drawing
        pdf.save(target, deterministic_id=True)
