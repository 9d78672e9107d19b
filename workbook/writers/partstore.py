"""Where laid-out parts are kept between builds: the interface writers/apart.py asks of the
part cache (build/partcache.py), and a store that keeps nothing (`--no-cache`)."""

from __future__ import annotations

import hashlib
from typing import Protocol

from workbook.writers.partrecords import PartLayout


class PartStore(Protocol):
    def key(self, *texts: str) -> str: ...

    def get(self, key: str) -> PartLayout | None: ...

    def put(self, key: str, part: PartLayout) -> None: ...

    def get_bytes(self, key: str) -> bytes | None: ...

    def put_bytes(self, key: str, data: bytes) -> None: ...


class NoStore:
    """No cache: every part is laid out."""

    def key(self, *texts: str) -> str:
        return digest(*texts)

    def get(self, key: str) -> PartLayout | None:
        return None

    def put(self, key: str, part: PartLayout) -> None:
        pass

    def get_bytes(self, key: str) -> bytes | None:
        return None

    def put_bytes(self, key: str, data: bytes) -> None:
        pass


def digest(*texts: str) -> str:
    """A sha256 over texts, each ended by a zero byte (so that no two lists run together)."""
    hashed = hashlib.sha256()
    for text in texts:
        hashed.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()
