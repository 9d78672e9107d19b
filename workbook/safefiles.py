"""Reading files the user points at, safely: only regular files inside the allowed folders,
never more than a set number of bytes (a device such as /dev/zero never ends)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MAX_FILE_BYTES = 50_000_000
# Characters no document should hold: controls (C0, DEL, C1), surrogates, non-characters.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class Refused(ValueError):
    """A file that must not be read; the message says why, in plain words."""


def inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def checked_path(path: Path, roots: tuple[Path, ...]) -> Path:
    """The real path behind `path` (links followed), or `Refused` if it is not a regular file
    inside one of `roots` (themselves already resolved)."""
    real = path.resolve()
    if not inside(real, roots):
        if real != Path(os.path.abspath(path)):
            raise Refused("it is a link to a file outside the workbook's folder; copy the file in")
        raise Refused("it is outside the workbook's folder")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        raise Refused("there is no such file") from None
    except OSError as error:
        raise Refused(f"it cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device or pipe, not a file"
        raise Refused(f"it is {kind}")
    return real


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most `limit` bytes; `Refused` if the file is larger or cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise Refused(f"it cannot be read ({error.strerror})") from None
    if len(data) > limit:
        raise Refused(f"it is larger than {limit // 1_000_000} MB")
    return data


def read_inside(path: Path, roots: tuple[Path, ...], limit: int = MAX_FILE_BYTES) -> bytes:
    return read_limited(checked_path(path, roots), limit)


def invisible_character(text: str) -> str | None:
    """A plain-words problem if `text` holds a character no document can carry, else None."""
    match = _NOT_TEXT.search(text)
    if match is None:
        return None
    return f"contains an invisible control character (code {ord(match.group()):#06x}); delete it"


def invisible_character_line(text: str) -> int | None:
    match = _NOT_TEXT.search(text)
    return None if match is None else text[: match.start()].count("\n") + 1
