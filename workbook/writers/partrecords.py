"""What a part of a paged edition is laid out from (its `Entry`: where it begins in the whole
document), what it read of that, and what its layout holds for the join: its pages' records and
its PDF. Plain data, kept in the part cache (build/partcache.py); writers/partlayout.py makes it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

Counters = tuple[tuple[str, tuple[int, ...]], ...]  # page counters: name, stacked values
UNKNOWN = "?"  # a value not known yet (another part not laid out yet)


@dataclass(frozen=True)
class Entry:
    """Where a part begins in the whole document."""

    first: int = 1  # the number of its first page
    right: bool = True  # its first page is a right-hand page
    counters: Counters = ()  # page counters (page, and any a stylesheet keeps) before it
    total: int = 0  # pages in the whole document: counter(pages)
    targets: tuple[tuple[str, Counters], ...] = ()  # anchors in other parts, their page counters
    complete: bool = False  # every other part's anchors are known
    viewport: tuple[tuple[float, float], tuple[float, float]] | None = None  # the first page's

    @functools.cached_property
    def _targets(self) -> dict[str, Counters]:
        return dict(self.targets)

    def target(self, name: str) -> Counters | str | None:
        found = self._targets.get(name)
        if found is not None:
            return found
        return None if self.complete else UNKNOWN


@dataclass(frozen=True)
class Reads:
    """What a part's layout took from its entry."""

    counters: bool = False  # its page counters or the page total show in its content
    targets: tuple[str, ...] = ()  # anchors in other parts it refers to
    side: bool = False  # its stylesheet sets left and right pages apart
    viewport: bool = False  # it has lengths in viewport units (vh, vw)

    def of(self, entry: Entry) -> tuple[object, ...]:
        """The values it read: equal values, same layout."""
        return (
            (entry.first, entry.counters, entry.total) if self.counters else None,
            tuple((name, entry.target(name)) for name in self.targets),
            entry.right if self.side else None,
            entry.viewport if self.viewport else None,
        )


@dataclass(frozen=True)
class PageRecord:
    name: str  # its page name (`page: landscape`), "" for none
    blank: bool
    counter_ops: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # its @page counter-*
    strings: tuple[tuple[str, str], ...]  # string-set assignments on it, in order
    opens_with: tuple[str, ...]  # strings set by the box it begins with
    bookmarks: tuple[tuple[int, str, float, float, str], ...]  # level, label, x, y, state
    start: tuple[str, int] | None  # where it begins, for the EPUB's page list (key, offset)


@dataclass(frozen=True)
class PartLayout:
    pdf: bytes  # its pages, tagged, without margins (b"" if laid out from a provisional entry)
    pages: tuple[PageRecord, ...]
    anchors: tuple[tuple[str, int], ...]  # anchors defined here and the page they are on
    reads: Reads
    read_as: tuple[object, ...]  # `reads.of(entry)` for the entry it was laid out from
    head: tuple[str, ...]  # break-before values it begins with
    tail: tuple[str, ...]  # break-after values it ends with
    page_values: tuple[str, str]  # the page names of its first and last boxes
    fakes: tuple[str, ...] = ()  # anchors added so that links to other parts are kept
    unsupported: str = ""  # why it cannot be joined to the others
    files: tuple[str, ...] = ()  # files the layout read (pictures)
    first_size: tuple[tuple[float, float], tuple[float, float]] | None = None  # for viewports
    starts_right: bool = True  # a document of it would begin on a right-hand page
    fonts: tuple[tuple[str, bytes], ...] = ()  # programs of fonts its PDF names but lacks
