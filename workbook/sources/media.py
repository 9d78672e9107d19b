"""Images in chapters: only files inside the workbook's folder, of a kind every e-reader shows.

`![A quiet path](pictures/path.jpg)` in `chapters/walk.md` is checked when the chapter is read.
Its address is percent-decoded once (`quiet%20path.png` is the file `quiet path.png`; an accent
written as it is arrives encoded from the Markdown parser) and rewritten to
`../pictures/path.jpg` (the workbook-relative path, from a document one folder down), which the
PDF resolves from `chapters/`; the EPUB packs the image under `images/` and a name every reader
accepts (`package_name`). Web addresses, other folders, links that lead out and devices are
refused, naming the chapter and line.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from workbook.errors import Problems
from workbook.model import Media
from workbook.safefiles import Refused, TooLarge, checked_path, read_limited

SVG = "image/svg+xml"
NAMES = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    SVG: "SVG",
}
# What Pillow finds in a file, as the media type its name must give.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# A logo's kinds: a photo-like JPEG, a PNG, or an SVG drawing.
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": SVG}
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000
# The EPUB's own pictures (writers/epub.py, render's logo): no chapter image may take their name.
RESERVED = {"images/cover.png"} | {f"images/logo{suffix}" for suffix in LOGO_TYPES}
_SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


class MediaCollector:
    """Checks each image a chapter uses; remembers the good ones, notes the others."""

    def __init__(self, project_dir: Path, file: str, problems: Problems) -> None:
        self.project_dir = project_dir
        self.root = project_dir.resolve()
        self.file = file
        self.problems = problems
        self.found: dict[str, Media] = {}
        self.checked: dict[str, Media | Refused] = {}

    def __call__(self, src: str, line: int) -> str | None:
        """The address to use for `src`, or None (and a problem noted) if it is refused. Each
        address is checked once, however often the chapter shows it."""
        if src not in self.checked:
            try:
                self.checked[src] = self.check(src)
            except Refused as refusal:
                self.checked[src] = refusal
        media = self.checked[src]
        if isinstance(media, Refused):
            self.problems.add(self.file, f"the image '{src[:100]}' cannot be used: {media}", line)
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
        if real.suffix.lower() not in MEDIA_TYPES:
            raise Refused(_kinds_advice(MEDIA_TYPES))
        name = real.relative_to(self.root).as_posix()
        if package_name(name) in RESERVED:
            message = f"'{name}' would take the name of the EPUB's cover or logo; rename the file"
            raise Refused(message)
        return Media(name=name, path=real, media_type=check_image(real, MEDIA_TYPES))


def package_name(name: str) -> str:
    """Where an image goes inside the EPUB (`images/` + its path in the workbook), in
    characters every e-reader and epubcheck accept: ASCII letters, digits, '.', '_', '-'. A
    name that has to change (a space, an accent) keeps its letters as near as they go
    (`café` -> `cafe`) and gets a short hash of the real name, so two can never meet."""
    if _SAFE_NAME.fullmatch(name):
        return f"images/{name}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folder, _, file = ascii_name.rpartition("/")
    stem, dot, suffix = file.rpartition(".")
    tag = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    parts = [_tidy(segment) for segment in folder.split("/") if folder]
    parts.append(f"{_tidy(stem if dot else file)}-{tag}" + (f".{_tidy(suffix)}" if dot else ""))
    return "images/" + "/".join(parts)


def _tidy(segment: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", segment).strip("-") or "image"


def check_image(path: Path, kinds: dict[str, str]) -> str:
    """The media type of the image at `path` (a regular file, already checked to be inside the
    folders it may come from), or `Refused`: a kind not in `kinds` (suffix to media type), a
    file over 20 MB, more than 40 million pixels (refused before any pixel is decoded), or
    anything that does not decode fully (not an image, truncated, a format other than its
    name says). Chapter images and logos both come through here."""
    kind = kinds.get(path.suffix.lower())
    if kind is None:
        raise Refused(_kinds_advice(kinds))
    try:
        data = read_limited(path, MAX_IMAGE_BYTES)
    except TooLarge:
        raise Refused("it is larger than 20 MB; save a smaller copy") from None
    if kind == SVG:
        _check_svg(data)
    else:
        _check_raster(data, kind)
    return kind


def _kinds_advice(kinds: dict[str, str]) -> str:
    names = list(dict.fromkeys(NAMES[kind] for kind in kinds.values()))
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return f"use a {listed} image"


def _check_raster(data: bytes, kind: str) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint

    # Pillow's own guard, set to ours on purpose (and put back after): past it, open()
    # refuses a pixel bomb from its header alone (a 30000 x 30000 PNG of a few KB), before a
    # pixel is decoded.
    with _pixel_limit(Image, MAX_IMAGE_PIXELS), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                found = image.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            message = f"it has more than {_pixels(MAX_IMAGE_PIXELS)}; save a smaller copy"
            raise Refused(message) from None
        except Exception:  # Pillow raises many kinds for files that are not images
            raise Refused("it is not an image file Pillow can read") from None
        if FORMATS.get(found or "") != kind:
            raise Refused(f"it is not the {NAMES[kind]} image its name says; save it as one")
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()  # the file's own checksums (PNG), without decoding
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # every pixel: a file cut short fails here
        except Exception:
            raise Refused("it is damaged or cut short; save it again") from None


@contextlib.contextmanager
def _pixel_limit(image_module: Any, limit: int) -> Iterator[None]:
    previous = image_module.MAX_IMAGE_PIXELS
    image_module.MAX_IMAGE_PIXELS = limit
    try:
        yield
    finally:
        image_module.MAX_IMAGE_PIXELS = previous


def _pixels(count: int) -> str:
    return f"{count / 1_000_000:g} million pixels" if count >= 1_000_000 else f"{count} pixels"


def _check_svg(data: bytes) -> None:
    """A real XML parser, with no entities, no DTD and nothing fetched: a malformed SVG is
    refused here (what an SVG may hold is checked where it reaches an output)."""
    from lxml import etree  # comes with WeasyPrint's dependencies; only when a logo is SVG

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        detail = re.sub(r"(, )?line \d+, column \d+$", "", error.msg or "").strip()
        raise Refused(
            f"it is not an SVG file that can be read (line {error.lineno}: {detail})"
        ) from None
    if not isinstance(root.tag, str) or root.tag != "{http://www.w3.org/2000/svg}svg":
        raise Refused(
            "it is not an SVG image (its first element is not <svg> in the SVG namespace)"
        )
