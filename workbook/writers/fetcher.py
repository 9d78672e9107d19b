"""The only way a document reaches a file: local files under allowed folders, nothing else.

No network, ever. Anything outside the workbook's folder and the bundled templates, styles and
fonts (http, other folders, symlinks that lead out, devices) is refused and reported by the build.
Every file fetched is remembered, so the build cache can tell when one of them changes.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from workbook.safefiles import Refused, checked_path, read_limited
from workbook.writers.logo import logo_bytes


class RefusedURL(ValueError):
    """Raised to WeasyPrint, which then leaves the resource out; the build reports it."""


class _Served(URLFetcherResponse):
    """The bytes this fetcher read, and no path: given a file: URL's path, WeasyPrint would
    read a raster image again from the disk when writing the PDF, past this fetcher (the
    original of a downscaled logo, or a file swapped since it was checked)."""

    @property
    def path(self) -> None:
        return None


class SafeFetcher(URLFetcher):
    def __init__(
        self,
        roots: tuple[Path, ...],
        read: set[Path] | None = None,
        logo: Path | None = None,
    ) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(root.resolve() for root in roots)
        self.logo = logo.resolve() if logo is not None else None  # served downscaled
        self.refused: list[str] = []
        self.read = read if read is not None else set()  # every file fetched

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data, nothing is fetched
        try:
            path = self.resolve(url)
            body = logo_bytes(path) if path == self.logo else read_limited(path)
        except Refused as refusal:
            self.refused.append(f"{url[:200]}: {refusal}")
            raise RefusedURL(str(refusal)) from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return _Served(url, body=body, headers={"Content-Type": content_type})

    def resolve(self, url: str) -> Path:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise Refused("only files inside the workbook's folder can be used (no web addresses)")
        path = checked_path(Path(unquote(parsed.path)), self.roots)
        self.read.add(path)
        return path
