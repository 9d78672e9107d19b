"""Reading files the user points at, safely: only regular files inside the allowed folders,
never more than a set number of bytes (a device such as /dev/zero never ends).

`read_text` is the one way a source text (settings, brand, helplines, chapters, worksheets,
client lists, templates, stylesheets) is read; `checked_path` and `read_limited` serve the
fetcher and images, which read bytes."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from workbook.errors import Problem, WorkbookError

MAX_FILE_BYTES = 50_000_000
# Characters no document should hold: controls (C0, DEL, C1), surrogates, non-characters.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class Refused(ValueError):
    """A file that must not be read; the message says why, in plain words."""


class TooLarge(Refused):
    """A file over its size limit: the caller may add advice (split it, ...)."""


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


# The probe `make_writable` leaves for a moment (a killed build's is swept by writers/staging).
WRITE_PROBE = ".workbook-write-test"


def make_writable(folder: Path) -> None:
    """Make `folder` if need be and prove a file can be written in it; OSError if not (a file
    stands there, no permission, a full or read-only disk)."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f"{WRITE_PROBE}.{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink()


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most `limit` bytes; `Refused` if the file is larger or cannot be read. O_NONBLOCK:
    a pipe swapped in after `checked_path` still cannot make the open wait."""
    chunks = list(read_chunks(path, limit))
    return b"".join(chunks)


def read_chunks(path: Path, limit: int, size: int = 1 << 20) -> Iterator[bytes]:
    """A regular file's bytes, a piece at a time, never more than `limit` in all: `Refused`
    for anything else (a pipe or device, even one swapped in for the file: the open never
    waits), for a file that cannot be read, and `TooLarge` past `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise Refused(f"it cannot be read ({error.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a device or pipe, not a file"
        raise Refused(f"it is {kind}")
    with os.fdopen(fd, "rb") as handle:
        total = 0
        while True:
            try:
                chunk = handle.read(min(size, limit + 1 - total))
            except OSError as error:  # /proc/self/mem, a disk that fails
                raise Refused(f"it cannot be read ({error.strerror})") from None
            if not chunk:
                return
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"it is larger than {_size(limit)}")
            yield chunk


def sha256_of(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The sha256 of a regular file of at most `limit` bytes, read as `read_chunks` reads."""
    digest = hashlib.sha256()
    for chunk in read_chunks(path, limit):
        digest.update(chunk)
    return digest.hexdigest()


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"


def read_inside(path: Path, roots: tuple[Path, ...], limit: int = MAX_FILE_BYTES) -> bytes:
    return read_limited(checked_path(path, roots), limit)


def display_name(path: Path, folder: Path) -> str:
    """How messages name a file: from `folder` (the workbook's) if it is in there, else as
    given (`--brand ../practice.toml`, `--clients /dev/zero`)."""
    try:
        name = path.relative_to(folder).as_posix()
    except ValueError:
        name = str(path)
    # A name is printed on the terminal: a control character in it (an escape that recolours
    # or clears the screen) is shown as its code instead.
    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", name)


def read_text(
    path: Path, file: str, roots: tuple[Path, ...], limit: int, too_large: str = ""
) -> str:
    """The text of a regular file inside one of `roots` (links followed only while they stay
    inside), at most `limit` bytes: UTF-8 (a BOM is fine), line ends made '\\n', no NUL or
    invisible control character. Otherwise a `WorkbookError` naming `file` and, where it can,
    the line; `too_large` is advice added when the file is over the limit."""
    raw = read_bytes(path, file, roots, limit, too_large)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = "is not UTF-8 text; save it as UTF-8 in your editor"
        raise WorkbookError([Problem(file, message, line)]) from None
    return checked_text(text, file)


def read_bytes(
    path: Path, file: str, roots: tuple[Path, ...], limit: int, too_large: str = ""
) -> bytes:
    """The bytes `read_text` decodes, read the same safe way."""
    try:
        return read_inside(path, tuple(root.resolve() for root in roots), limit)
    except Refused as refusal:
        advice = f"; {too_large}" if too_large and isinstance(refusal, TooLarge) else ""
        raise WorkbookError([Problem(file, f"cannot be used: {refusal}{advice}")]) from None


def checked_text(text: str, file: str) -> str:
    """Decoded text with line ends made '\\n'; a `WorkbookError` for a NUL or an invisible
    control character, naming its line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise WorkbookError([Problem(file, "contains a NUL byte; is it really a text file?", line)])
    invisible = invisible_character(text)
    if invisible:
        raise WorkbookError([Problem(file, invisible, invisible_character_line(text))])
    return text


def invisible_character(text: str) -> str | None:
    """A plain-words problem if `text` holds a character no document can carry, else None."""
    match = _NOT_TEXT.search(text)
    if match is None:
        return None
    return f"contains an invisible control character (code {ord(match.group()):#06x}); delete it"


def invisible_character_line(text: str) -> int | None:
    match = _NOT_TEXT.search(text)
    return None if match is None else text[: match.start()].count("\n") + 1
