"""A SafeFetcher that remembers every file a layout read (images, a logo, fonts), so the build
cache can tell when one of them changes. Imports WeasyPrint: only used when a PDF is laid out."""

from __future__ import annotations

from pathlib import Path

from workbook.writers.fetcher import SafeFetcher


class RecordingFetcher(SafeFetcher):
    def __init__(self, roots: tuple[Path, ...], read: set[Path]) -> None:
        super().__init__(roots)
        self.read = read

    def resolve(self, url: str) -> Path:
        path = super().resolve(url)
        self.read.add(path)
        return path
