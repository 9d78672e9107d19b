"""A laid-out paged edition, ready for its writer: the PDF of its pages and where each page
begins (for the EPUB's page list)."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.render.pages import PageStart


@dataclass(frozen=True)
class LaidOut:
    pdf: bytes  # tagged, every page, with its margins
    pages: int
    starts: tuple[PageStart, ...]
    read: frozenset[str] = frozenset()  # files the layout read (pictures, fonts), for the cache
    notes: bytes | None = None  # a booklet's notes page, to pad it to whole sheets
