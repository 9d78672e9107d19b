"""Images in chapters: only files inside the workbook's folder, of a kind every e-reader shows.

`![A quiet path](pictures/path.jpg)` in `chapters/walk.md` is checked when the chapter is read.
Its address is rewritten to `../pictures/path.jpg` (the workbook-relative path, from a document
one folder down), which the PDF resolves from `chapters/` and the EPUB from `text/`, where the
image is packaged under the same relative path. Web addresses, other folders, links that lead
out and devices are refused, naming the chapter and line.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from workbook.errors import Problems
from workbook.model import Media
from workbook.safefiles import Refused, checked_path

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000
RESERVED = {"images/cover.png"}  # the EPUB's own cover


class MediaCollector:
    """Checks each image a chapter uses; remembers the good ones, notes the others."""

    def __init__(self, project_dir: Path, file: str, problems: Problems) -> None:
        self.project_dir = project_dir
        self.root = project_dir.resolve()
        self.file = file
        self.problems = problems
        self.found: dict[str, Media] = {}

    def __call__(self, src: str, line: int) -> str | None:
        """The address to use for `src`, or None (and a problem noted) if it is refused."""
        try:
            media = self.check(src)
        except Refused as refusal:
            self.problems.add(self.file, f"the image '{src[:100]}' cannot be used: {refusal}", line)
            return None
        self.found.setdefault(media.name, media)
        return "../" + quote(media.name)

    def check(self, src: str) -> Media:
        parts = urlsplit(src)
        if parts.scheme in ("http", "https", "ftp") or parts.netloc:
            raise Refused("it is on the web, and workbook never goes online; save it in the folder")
        if parts.scheme:
            raise Refused("only image files saved in the workbook's folder can be used")
        relative = unquote(parts.path)
        if relative.startswith("/"):
            raise Refused("give its path from the chapters folder, like ../pictures/name.png")
        real = checked_path(self.project_dir / "chapters" / relative, (self.root,))
        kind = MEDIA_TYPES.get(real.suffix.lower())
        if kind is None:
            raise Refused("use a PNG, JPEG, GIF or WebP image")
        name = real.relative_to(self.root).as_posix()
        if name in RESERVED:
            raise Refused(f"'{name}' is the name of the EPUB's cover; rename the file")
        _check_image(real)
        return Media(name=name, path=real, media_type=kind)


def _check_image(path: Path) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint

    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise Refused("it is larger than 20 MB; save a smaller copy")
    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # Pillow raises many kinds for files that are not images
        raise Refused("it is not an image file Pillow can read") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise Refused(f"it is {width} x {height} pixels; save a smaller copy")
