"""The part cache: what is kept comes back the same, a damaged or changed entry does not come
back, and the entries used longest ago go when the cache grows too big."""

from __future__ import annotations

import dataclasses
import os

import pytest

from workbook.build import partcache
from workbook.build.partcache import PartCache
from workbook.sources.loader import load_book
from workbook.writers.partrecords import Entry, PageRecord, PartLayout, Reads

RECORD = PageRecord(
    name="landscape",
    blank=False,
    counter_ops=(("reset", ()), ("set", ()), ("increment", (("page", 1),))),
    strings=(("running", "Rupture and repair"),),
    opens_with=("running",),
    bookmarks=((1, "Rupture and repair", 68.0, 729.6, "open"),),
    start=("rupture-and-repair", 0),
)


def part(pdf: bytes = b"%PDF-1.7 pages", files: tuple[str, ...] = ()) -> PartLayout:
    reads = Reads(counters=False, targets=("welcome",), side=False, viewport=True)
    entry = Entry(first=3, targets=(("welcome", (("page", (3,)),)),), complete=True)
    return PartLayout(
        pdf=pdf,
        pages=(RECORD, RECORD),
        anchors=(("rupture-and-repair", 0),),
        reads=reads,
        read_as=reads.of(entry),
        head=("page", "auto"),
        tail=("auto",),
        page_values=("", "landscape"),
        fakes=("welcome",),
        files=files,
        first_size=((816.0, 1056.0), (634.58, 889.7)),
        fonts=(("WJKLAQ", b"a font program"),),
    )


@pytest.fixture
def cache(sample, tmp_path, monkeypatch) -> PartCache:
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    return PartCache(load_book(sample.root), tmp_path / "cache")


def test_a_part_comes_back_as_it_was_kept(cache):
    kept = part()
    cache.put("k" * 64, kept)
    assert cache.get("k" * 64) == kept
    assert cache.get("x" * 64) is None
    (font,) = (cache.folder / "fonts").glob("*.font")  # kept once for all parts
    font.write_bytes(b"another program")
    assert cache.get("k" * 64) is None


def test_a_damaged_entry_or_a_changed_picture_is_no_entry(cache, sample):
    picture = sample.write("chapters/pic.png", b"a picture")
    cache.put("a" * 64, part(files=(str(picture),)))
    cache.put("b" * 64, part())
    assert cache.get("a" * 64) is not None
    picture.write_bytes(b"another picture")
    assert cache.get("a" * 64) is None
    (path,) = (cache.folder / "bb").glob("*.part")
    data = path.read_bytes()
    for damaged in (data[:-3], data.replace(b"pages", b"PAGES"), b"", b"workbook-part 1\n"):
        path.write_bytes(damaged)
        assert cache.get("b" * 64) is None


def test_bytes_come_back_unless_damaged(cache):
    cache.put_bytes("m" * 64, b"margins")
    assert cache.get_bytes("m" * 64) == b"margins"
    (path,) = (cache.folder / "mm").glob("*.bin")
    path.write_bytes(path.read_bytes() + b"!")
    assert cache.get_bytes("m" * 64) is None


def test_the_entries_used_longest_ago_go_first(cache, monkeypatch):
    big = dataclasses.replace(part(pdf=b"%PDF" + b"x" * 1000), fonts=())
    for number, key in enumerate(("1" * 64, "2" * 64, "3" * 64)):
        cache.put(key, big)
        path = cache.folder / key[:2] / f"{key}.part"
        os.utime(path, (1000 + number, 1000 + number))
    monkeypatch.setattr(partcache, "LIMIT", 2 * path.stat().st_size + 10)  # room for two
    cache.stored = 0  # a new build
    cache.put("4" * 64, big)
    assert [cache.get(k * 64) is not None for k in "1234"] == [False, False, True, True]
