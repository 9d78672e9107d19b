"""The build cache: a file whose inputs have not changed since it was last written, and which is
still the one written then, is not built again.

A job's key is a sha256 over everything that can change its bytes: this tool's code and
version, the libraries that lay out and package it, the job's packet (the loaded Book: its
settings, every chapter and worksheet, brand and helplines, after --only/--skip/--brand/
--discreet), its edition and options, the client it is for, every template and stylesheet (the
workbook's own and the bundled ones), the fonts, SOURCE_DATE_EPOCH and today's date. Files the
layout fetched (images, logo, fonts) are recorded with their own sha256 and checked too. A
record also holds the sha256 of the file written, so a file changed or replaced by hand is
rebuilt (a site's record holds one sha256 over all its files).

Records live in the user's cache folder ($WORKBOOK_CACHE_DIR, else $XDG_CACHE_HOME/workbook or
~/.cache/workbook), one folder per output folder; they hold hashes, file names and the summary's
few words, never content. Deleting them is always safe; a record that cannot be read is ignored.
Every file is read the safe way (regular files only, never waited on, up to a limit): a record,
a picture or a template that became a pipe, a device or a link to /dev/zero only means "not
fresh". A cache folder that cannot be used, or no home folder to put it in, means no cache,
with a note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from workbook import __version__
from workbook.build.jobs import Job
from workbook.model import Book
from workbook.notes import note
from workbook.resources import PACKAGE_DIR, bundled_styles, bundled_templates, font_dir
from workbook.safefiles import MAX_FILE_BYTES, Refused, make_writable, read_limited, sha256_of

FORMAT = 1  # bump when a record's shape changes
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "ebooklib", "pikepdf", "pillow")


MAX_RECORD_BYTES = 4_000_000  # a record is hashes and names: a few KB
MAX_OUTPUT_BYTES = 4_000_000_000  # hashed as it is read, a piece at a time
MAX_TREE_FILES = 20_000  # templates or styles past this are hashed by their names only


def cache_root() -> Path | None:
    """Where records go, or None (with a note) when there is nowhere sensible: the home
    folder is unknown or names no folder, and no WORKBOOK_CACHE_DIR or XDG_CACHE_HOME says.
    A home folder is never made; the cache folder inside it is."""
    chosen = os.environ.get("WORKBOOK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG rules: a relative one is to be ignored
        return Path(xdg) / "workbook"
    home = os.path.expanduser("~")
    if not os.path.isabs(home) or not os.path.isdir(home):
        note(
            "your home folder is unknown or missing (HOME); building without the cache "
            "(set WORKBOOK_CACHE_DIR to keep one)"
        )
        return None
    return Path(home) / ".cache" / "workbook"


def sha256_file(path: Path, limit: int = MAX_FILE_BYTES) -> str | None:
    """A file's sha256, or None for anything odd: missing, unreadable, a folder, a pipe or
    device (never waited on), over `limit`. For the cache, None only means "not fresh"."""
    try:
        return sha256_of(Path(path), limit)
    except (Refused, ValueError):  # ValueError: a NUL in a path from a damaged record
        return None


def sha256_output(path: Path) -> str | None:
    """A file's sha256, or a folder's (a site): every file's path and bytes, in order. Links
    and anything but folders and regular files in it give None: not fresh."""
    if path.is_symlink() or not path.is_dir():
        return sha256_file(path, MAX_OUTPUT_BYTES)
    digest = hashlib.sha256()
    for relative, kind in _walk(path):
        if kind != "file":
            return None
        file_digest = sha256_file(path / relative, MAX_OUTPUT_BYTES)
        if file_digest is None:
            return None
        digest.update(relative.encode() + b"\0" + file_digest.encode())
    return digest.hexdigest()


def _walk(folder: Path, most: int = MAX_TREE_FILES) -> list[tuple[str, str]]:
    """(path from `folder`, kind) for everything under it, in order, links not followed:
    kind is "file", "link", "other" (a pipe, a device), or "too many" past `most` entries."""
    found: list[tuple[str, str]] = []
    for top, folders, files in os.walk(folder, followlinks=False):
        folders.sort()
        for name in sorted(files) + [f for f in folders if os.path.islink(os.path.join(top, f))]:
            full = os.path.join(top, name)
            relative = os.path.relpath(full, folder).replace(os.sep, "/")
            try:
                mode = os.lstat(full).st_mode
            except OSError:  # gone since it was listed
                mode = 0
            kind = "link" if stat.S_ISLNK(mode) else "file" if stat.S_ISREG(mode) else "other"
            found.append((relative, kind))
            if len(found) > most:
                return [*found[:most], ("", "too many")]
    return sorted(found)


class BuildCache:
    def __init__(self, output_dir: Path, book: Book) -> None:
        where = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:20]
        root = cache_root()
        self.folder = None if root is None else usable_folder(root / where)
        self.output_dir = output_dir
        self.base = _base_key(book)
        self._packets: dict[int, str] = {}  # id of a packet: its repr, made once

    def key(self, job: Job) -> str:
        packet = self._packets.setdefault(id(job.packet), repr(job.packet))
        mixed = f"{self.base}|{packet}|{job.edition!r}|{job.personal!r}|{job.downloads!r}"
        return hashlib.sha256(mixed.encode()).hexdigest()

    def fresh(self, job: Job) -> str | None:
        """The summary's words for the job's file if it need not be built again, else None."""
        name = job.name
        record = self._read(name)
        if record is None or record.get("key") != self.key(job):
            return None
        deps = record.get("deps")
        detail = record.get("detail")
        if not isinstance(deps, dict) or not isinstance(detail, str):
            return None
        if any(sha256_file(Path(path)) != digest for path, digest in deps.items()):
            return None
        written = sha256_output(self.output_dir / name)
        if written is None or written != record.get("output"):
            return None
        return detail

    def store(self, job: Job, detail: str, deps: Iterable[Path]) -> None:
        """Remember a file just written; a cache that cannot be written is no cache."""
        name = job.name
        record = {
            "format": FORMAT,
            "key": self.key(job),
            "output": sha256_output(self.output_dir / name),
            "deps": {str(path): sha256_file(path) for path in sorted(set(deps))},
            "detail": detail,
        }
        if self.folder is None:
            return
        target = self.folder / f"{name}.json"
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps(record, indent=1), encoding="utf-8")
            os.replace(temp, target)
        except OSError:  # a full disk, a folder that went away or was made a file
            with contextlib.suppress(OSError):
                temp.unlink()

    def _read(self, name: str) -> dict[str, object] | None:
        """The record, or None for anything else: missing, a folder, a pipe, too large, not
        JSON, nested past reason, of another shape."""
        if self.folder is None:
            return None
        try:
            text = read_limited(self.folder / f"{name}.json", MAX_RECORD_BYTES)
            record = json.loads(text.decode("utf-8"))
        except (Refused, ValueError, RecursionError):
            return None
        return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def usable_folder(folder: Path) -> Path | None:
    """The cache folder, made if need be; None, with a note, if it cannot be (a file stands
    there, no permission): the build goes on without the cache."""
    try:
        make_writable(folder)
    except OSError as error:
        note(
            f"the build cache folder {folder.parent} cannot be used ({error.strerror}); "
            "every file is made again"
        )
        return None
    return folder


def _base_key(book: Book) -> str:
    """Everything but the job: one hash for the whole build."""
    digest = hashlib.sha256()
    for part in (
        f"workbook {__version__}",
        sys.version,
        cache_versions(),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        dt.date.today().isoformat(),
    ):
        digest.update(part.encode() + b"\0")
    folders = (
        PACKAGE_DIR,  # the tool's own code, also between releases
        book.project_dir / "templates",
        book.project_dir / "styles",
        bundled_templates(),
        bundled_styles(),
    )
    for folder in folders:
        add_tree(digest, folder)
    for font in sorted(font_dir().glob("*")):  # big files: their names and sizes
        digest.update(f"{font.name}:{font.stat().st_size}".encode() + b"\0")
    return digest.hexdigest()


def add_tree(digest: hashlib._Hash, folder: Path) -> None:
    """Every file under `folder`, its name and bytes (Python's bytecode caches aside), read
    the safe way: a pipe, a device, a link out or a file past the limit adds only its name
    and kind (the build refuses to use it), so making the key never waits or runs away."""
    if folder.is_symlink() or not folder.is_dir():
        digest.update(f"{folder}: {'link' if folder.is_symlink() else 'none'}".encode() + b"\0")
        return
    for relative, kind in _walk(folder):
        if "__pycache__" in relative.split("/"):
            continue
        digest.update(f"{folder}/{relative}: {kind}".encode() + b"\0")
        if kind in ("file", "link"):  # a link's target, if it is a regular file
            digest.update((sha256_file(folder / relative) or "unreadable").encode())


def cache_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)
