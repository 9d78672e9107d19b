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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from workbook import __version__
from workbook.build.jobs import Job
from workbook.model import Book
from workbook.resources import PACKAGE_DIR, bundled_styles, bundled_templates, font_dir

FORMAT = 1  # bump when a record's shape changes
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "ebooklib", "pikepdf", "pillow")


def cache_root() -> Path:
    chosen = os.environ.get("WORKBOOK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "workbook"


def sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def sha256_output(path: Path) -> str | None:
    """A file's sha256, or a folder's (a site): every file's path and bytes, in order."""
    if path.is_symlink() or not path.is_dir():
        return sha256_file(path)
    digest = hashlib.sha256()
    try:
        for file in sorted(p for p in path.rglob("*") if not p.is_dir()):
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


class BuildCache:
    def __init__(self, output_dir: Path, book: Book) -> None:
        where = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:20]
        self.folder = cache_root() / where
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
        target = self.folder / f"{name}.json"
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp.write_text(json.dumps(record, indent=1), encoding="utf-8")
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)

    def _read(self, name: str) -> dict[str, object] | None:
        try:
            record = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable or not JSON: build it
            return None
        return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def _base_key(book: Book) -> str:
    """Everything but the job: one hash for the whole build."""
    digest = hashlib.sha256()
    for part in (
        f"workbook {__version__}",
        sys.version,
        _versions(),
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
        _add_tree(digest, folder)
    for font in sorted(font_dir().glob("*")):  # big files: their names and sizes
        digest.update(f"{font.name}:{font.stat().st_size}".encode() + b"\0")
    return digest.hexdigest()


def _add_tree(digest: hashlib._Hash, folder: Path) -> None:
    """Every file under `folder`, its name and bytes (Python's bytecode caches aside)."""
    if not folder.is_dir():
        digest.update(f"{folder}: none".encode() + b"\0")
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if "__pycache__" in relative.parts:
            continue
        if path.is_file():
            digest.update(f"{folder}/{relative.as_posix()}".encode() + b"\0")
            digest.update(path.read_bytes())


def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)
