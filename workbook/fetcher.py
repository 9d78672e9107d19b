"""The only way a document reaches a file: local files under allowed folders, nothing else.

No network, ever. Anything outside the workbook's folder and the bundled templates, styles and
fonts (http, other folders, symlinks that lead out) is refused and reported by the build.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    pass


class SafeFetcher(URLFetcher):
    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data, nothing is fetched
        try:
            path = self.resolve(url)
        except RefusedURL as refusal:
            self.refused.append(f"{url}: {refusal}")
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def resolve(self, url: str) -> Path:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise RefusedURL(
                "only files inside the workbook's folder can be used (no web addresses)"
            )
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL("this file is outside the workbook's folder")
        if not path.is_file():
            raise RefusedURL("there is no such file")
        return path
