"""The part cache: parts of paged editions, laid out in an earlier build, kept for the next.

A part's key is a sha256 over everything its layout depends on besides where it begins in
the book: its HTML and the edition's stylesheet (so the templates, styles, content, options and
paper are in it), the document's head, whether it has form fields, this tool's code and
version, the libraries that lay it out, the fonts and the project's folder. Pictures it showed
are recorded with their own sha256 and checked. What it read of where it begins (page numbers,
the pages of other parts' anchors) is kept with it: writers/apart.py lays it out again if that
has moved.

Entries live in the user's cache folder, beside the build records (build/cache.py), in
`parts/`: one file each, a header with a checksum, the records as JSON, then the PDF of the
part's pages. An entry that cannot be read, or whose checksum is wrong, is ignored and
replaced. The entries used longest ago are removed when all of them take more than `LIMIT`
bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbook import __version__
from workbook.build.cache import add_tree, cache_root, cache_versions, sha256_file, usable_folder
from workbook.model import Book
from workbook.resources import PACKAGE_DIR, font_dir
from workbook.safefiles import Refused, read_limited
from workbook.writers.partrecords import PageRecord, PartLayout, Reads

MAGIC = b"workbook-part 1\n"
LIMIT = 100_000_000  # bytes kept; a default workbook's three editions take about 3 MB


def part_cache(book: Book) -> PartCache | None:
    """The part cache beside the build records, or None when there is nowhere to keep it
    (cache_root has said so in a note)."""
    root = cache_root()
    if root is None or usable_folder(root / "parts") is None:  # a file there, no permission: noted
        return None
    return PartCache(book, root)


class PartCache:
    def __init__(self, book: Book, root: Path) -> None:
        self.folder = root / "parts"
        self.base = _base_key(book)
        self.project = book.project_dir.resolve()
        self.stored = 0

    def key(self, *texts: str) -> str:
        digest = hashlib.sha256(self.base.encode() + b"\0")
        for text in texts:
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> PartLayout | None:
        """The part kept under `key`, or None (none kept, unreadable, or a picture changed)."""
        path = self._path(key)
        try:
            data = read_limited(path, LIMIT)  # a regular file only, never waited on
            part, deps = _decode(data)
            part = dataclasses.replace(part, fonts=tuple(self._fonts(part.fonts)))
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if any(sha256_file(Path(name)) != digest for name, digest in deps.items()):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest
        return part

    def put(self, key: str, part: PartLayout) -> None:
        """Keep a part; a cache that cannot be written is no cache."""
        for _, program in part.fonts:  # once for every part that uses them
            path = self._font_path(hashlib.sha256(program).hexdigest())
            if not path.exists() and not self._write(path, program):
                return
        if not self._write(self._path(key), _encode(part, self.project)):
            return
        self.stored += 1
        if self.stored == 1:
            self._prune()

    def get_bytes(self, key: str) -> bytes | None:
        """Bytes kept under `key` (a book's margins), or None."""
        try:
            data = read_limited(self._path(key, ".bin"), LIMIT)
        except Refused:
            return None
        checksum, _, payload = data.partition(b"\n")
        return payload if hashlib.sha256(payload).hexdigest().encode() == checksum else None

    def put_bytes(self, key: str, data: bytes) -> None:
        """Keep bytes; a cache that cannot be written is no cache."""
        self._write(
            self._path(key, ".bin"), hashlib.sha256(data).hexdigest().encode() + b"\n" + data
        )

    def _fonts(self, names: Any) -> Iterator[tuple[str, bytes]]:
        """The font programs a part's record names by their sha256."""
        for name, digest in names:
            program = read_limited(self._font_path(digest), LIMIT)
            if hashlib.sha256(program).hexdigest() != digest:
                raise ValueError("damaged")
            yield name, program

    def _font_path(self, digest: str) -> Path:
        return self.folder / "fonts" / f"{digest}.font"

    def _path(self, key: str, suffix: str = ".part") -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def _write(self, path: Path, data: bytes) -> bool:
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError:
            temp.unlink(missing_ok=True)
            return False
        return True

    def _prune(self) -> None:
        """Once a build: the entries used longest ago go, down to `LIMIT` bytes in all."""
        try:
            entries = sorted(
                ((s.st_mtime, s.st_size, p) for p in self.folder.glob("*/*.*") if (s := p.stat())),
                reverse=True,
            )
        except OSError:
            return
        total = 0
        for _, size, path in entries:
            total += size
            if total > LIMIT:
                path.unlink(missing_ok=True)


def _encode(part: PartLayout, project: Path) -> bytes:
    """Pictures (inside the project) are checked by their bytes; the fonts and the bundled
    files are in the base key."""
    fields = dataclasses.asdict(part)
    del fields["pdf"]
    fields["fonts"] = [[name, hashlib.sha256(program).hexdigest()] for name, program in part.fonts]
    deps = {
        name: sha256_file(Path(name)) for name in part.files if Path(name).is_relative_to(project)
    }
    body = json.dumps({"part": fields, "deps": deps}, separators=(",", ":")).encode()
    payload = len(body).to_bytes(8, "big") + body + part.pdf
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _decode(data: bytes) -> tuple[PartLayout, dict[str, str]]:
    if not data.startswith(MAGIC):
        raise ValueError("not a part")
    checksum, payload = data[len(MAGIC) : len(MAGIC) + 64], data[len(MAGIC) + 65 :]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        raise ValueError("damaged")
    size = int.from_bytes(payload[:8], "big")
    record = json.loads(payload[8 : 8 + size])
    fields = _tuples(record["part"])
    fields["pdf"] = payload[8 + size :]
    fields["pages"] = tuple(PageRecord(*page) for page in fields["pages"])
    fields["reads"] = Reads(*fields["reads"])
    deps = record["deps"]
    if not isinstance(deps, dict):
        raise ValueError("damaged")
    return PartLayout(**fields), deps


def _tuples(value: Any) -> Any:
    """JSON's lists back to the tuples the records hold (dataclass fields as dicts)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {
            k: _tuples(v) if k not in ("pages", "reads") else _fields(v) for k, v in value.items()
        }
    return value


def _fields(value: Any) -> Any:
    """A dataclass asdict made: a dict (one record) or a list of dicts, as field tuples."""
    if isinstance(value, dict):
        return tuple(_tuples(v) for v in value.values())
    return tuple(_fields(v) for v in value)


def _base_key(book: Book) -> str:
    """What every part's layout depends on besides its own HTML and stylesheet."""
    digest = hashlib.sha256()
    for text in (f"workbook {__version__}", sys.version, cache_versions(), str(book.project_dir)):
        digest.update(text.encode() + b"\0")
    add_tree(digest, PACKAGE_DIR)
    for font in sorted(font_dir().glob("*")):
        digest.update(f"{font.name}:{font.stat().st_size}".encode() + b"\0")
    return digest.hexdigest()
