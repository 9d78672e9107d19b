"""A practice's logo as the outputs carry it: a PNG or JPEG with more pixels than 600 ppi at
the largest size it prints (60 x 24 mm, the cover's and back page's box in print.css) is
downscaled, once per build, so a photo straight from a camera does not make a 20 MB PDF. SVG
is drawn as it is. The same logo makes the same bytes on every build (Pillow, fixed settings,
no metadata)."""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

from workbook.safefiles import read_limited
from workbook.sources.media import LOGO_TYPES, MAX_IMAGE_BYTES, RESERVED

PRINTED_MM = (60.0, 24.0)  # the logo's box on paper, width and height
MAX_PPI = 600
# Where the EPUB and the web edition pack the logo (chapter images may not take these names).
PACKED_NAMES = frozenset(name for name in RESERVED if name.startswith("images/logo."))


def print_pixels(width: int, height: int) -> tuple[int, int]:
    """The most pixels the logo needs: 600 ppi at the size it prints (fitted to the box)."""
    scale = min(PRINTED_MM[0] / width, PRINTED_MM[1] / height)  # mm per pixel
    return (
        max(1, math.ceil(width * scale / 25.4 * MAX_PPI)),
        max(1, math.ceil(height * scale / 25.4 * MAX_PPI)),
    )


def logo_bytes(path: Path) -> bytes:
    """The logo's bytes for an output: downscaled when it has more pixels than it needs."""
    stat = path.stat()
    return _prepared(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _prepared(path: Path, mtime: int, size: int) -> bytes:
    data = read_limited(path, MAX_IMAGE_BYTES)  # checked when the brand was read
    if LOGO_TYPES.get(path.suffix.lower()) not in ("image/png", "image/jpeg"):
        return data
    from PIL import Image  # comes with WeasyPrint; only for a raster logo

    with Image.open(io.BytesIO(data)) as image:
        wanted = print_pixels(*image.size)
        if image.width <= wanted[0]:
            return data
        return _downscaled(image, wanted)


def _downscaled(image: object, size: tuple[int, int]) -> bytes:
    from PIL import Image  # Pillow: only when a raster logo is downscaled

    assert isinstance(image, Image.Image)
    kind = image.format or "PNG"
    modes = ("L", "RGB", "CMYK") if kind == "JPEG" else ("L", "LA", "RGB", "RGBA")
    source = image if image.mode in modes else image.convert("RGB" if kind == "JPEG" else "RGBA")
    smaller = source.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        smaller.save(out, format="JPEG", quality=90, optimize=False, progressive=False)
    else:
        smaller.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def packed_bytes(name: str, source: Path) -> bytes | None:
    """The bytes to pack under `name` in an EPUB or a site when it is the logo, else None."""
    return logo_bytes(source) if name in PACKED_NAMES else None
