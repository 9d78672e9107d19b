"""Hostile inputs, round two (issue 11): logos checked like chapter images, numbers that are
digits but not ASCII, file names with spaces and accents, limits on how much work a source may
ask for, odd files in the build cache, client names, and what killed builds leave behind.

Each case ends in a clear message naming the file (and line) or in a safe build, never a
traceback.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import run


def check(sample, *expected: str) -> str:
    """`workbook check` on the sample: exit 1, every expected text shown, no traceback."""
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


def png_bytes(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (42, 111, 116)).save(out, "PNG")
    return out.getvalue()


def pixel_bomb(side: int = 30000) -> bytes:
    """A valid PNG header claiming side x side grey pixels, with a few KB of compressed rows:
    decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (side + 1) * 64, 9)  # a few rows; the rest never comes
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)


SVG_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#2a6f74"/></svg>'
)


# --- 1. logos get the checks chapter images get ---------------------------------------------


def with_logo(sample, name: str, data: bytes | str) -> None:
    sample.write(name, data)
    sample.write("brand.toml", f'practice = "Harbor"\nlogo = "{name}"\n')


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("logo.png", b"hello, not a picture", "it is not an image file Pillow can read"),
        ("logo.png", png_bytes((400, 400))[:300], "it is damaged or cut short; save it again"),
        ("logo.png", pixel_bomb(), "it has more than 40 million pixels; save a smaller copy"),
        (
            "logo.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><rect',
            "it is not an SVG file that can be read (line 1:",
        ),
        ("logo.svg", "<html/>", "it is not an SVG image"),
    ],
    ids=["not-an-image", "truncated", "pixel-bomb", "malformed-svg", "not-svg"],
)
def test_a_logo_that_is_not_a_whole_image_is_refused(sample, name, data, reason):
    with_logo(sample, name, data)
    check(sample, f"brand.toml:2: the logo '{name}' cannot be used: {reason}")


def test_a_jpeg_named_png_is_refused(sample):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "JPEG")
    with_logo(sample, "logo.png", out.getvalue())
    check(sample, "cannot be used: it is not the PNG image its name says; save it as one")


def test_a_logo_over_20_mb_is_a_message_not_a_traceback(sample):
    with_logo(sample, "logo.png", b"")
    with open(sample.root / "logo.png", "r+b") as handle:  # sparse: no 21 MB written
        handle.truncate(21_000_000)
    check(sample, "brand.toml:2: the logo 'logo.png' cannot be used: it is larger than 20 MB")


def test_a_logo_that_is_a_pipe_device_or_link_out(sample, tmp_path):
    import os

    (tmp_path / "outside.png").write_bytes(png_bytes())
    os.symlink(tmp_path / "outside.png", sample.root / "link.png")
    os.symlink("/dev/zero", sample.root / "zero.png")
    os.mkfifo(sample.root / "pipe.png")
    for name, reason in (
        ("link.png", "it is a link to a file outside the workbook's folder"),
        ("zero.png", "it is a link to a file outside the workbook's folder"),
        ("pipe.png", "it is a device or pipe, not a file"),
    ):
        sample.write("brand.toml", f'practice = "Harbor"\nlogo = "{name}"\n')
        check(sample, f"brand.toml:2: the logo '{name}' cannot be used: {reason}")


def test_chapter_images_get_the_same_checks(sample):
    sample.write("chapters/cut.png", png_bytes((400, 400))[:300])
    sample.write("chapters/bomb.png", pixel_bomb())
    text = (sample.root / "chapters/intro.md").read_text(encoding="utf-8")
    sample.write("chapters/intro.md", text + "\n![Cut](cut.png)\n\n![Bomb](bomb.png)\n")
    check(
        sample,
        "the image 'cut.png' cannot be used: it is damaged or cut short",
        "the image 'bomb.png' cannot be used: it has more than 40 million pixels",
    )


def test_a_brand_file_elsewhere_finds_its_logo_beside_it(sample, tmp_path):
    """A practice keeps one brand file and its logo together, for every workbook."""
    import zipfile

    practice = tmp_path / "practice"
    practice.mkdir()
    (practice / "mark.svg").write_text(SVG_LOGO, encoding="utf-8")
    (practice / "brand.toml").write_text('practice = "Harbor"\nlogo = "mark.svg"\n')
    result = sample.build("--brand", str(practice / "brand.toml"), "--edition", "epub", "-q")
    assert result.exit_code == 0, result.output
    epub = zipfile.ZipFile(sample.root / "output" / "sample.epub")
    assert epub.read("EPUB/images/logo.svg").decode() == SVG_LOGO
    (practice / "brand.toml").write_text('practice = "Harbor"\nlogo = "../elsewhere.svg"\n')
    result = sample.build("--brand", str(practice / "brand.toml"))
    assert result.exit_code == 1
    assert "the logo '../elsewhere.svg' must be in the brand file's folder" in result.output


@pytest.mark.slow
def test_a_helplines_file_that_is_a_pipe_or_links_out(sample, tmp_path):
    """Like brand.toml (tests/test_choices.py): reported, never skipped, never waited on."""
    import os

    from tests.test_choices import LINK_OUT, refused_without_waiting

    os.mkfifo(sample.root / "helplines.yaml")
    refused_without_waiting(sample, "helplines.yaml: cannot be used: it is a device or pipe")
    (sample.root / "helplines.yaml").unlink()
    (tmp_path / "outside.yaml").write_text("regions: {}\n", encoding="utf-8")
    (sample.root / "helplines.yaml").symlink_to(tmp_path / "outside.yaml")
    check(sample, f"helplines.yaml: cannot be used: {LINK_OUT}")


# --- 2. digits that are not ASCII digits ------------------------------------------------------


@pytest.mark.parametrize("written", ["²", "٣٣", "1e3", "99999999999999999999"])
def test_a_reflection_prompt_with_an_odd_line_count(sample, written):
    sample.write(
        "chapters/intro.md", f"---\ntitle: T\n---\n\n::: reflect lines={written}\nQ?\n:::\n"
    )
    check(sample, f"chapters/intro.md:5: lines={written[:20]} must be a whole number from 1 to 20")


@pytest.mark.parametrize("value", ["²", "-1", "abc", "0", "1.5"])
def test_workbook_jobs_that_is_not_a_number_is_ignored_with_a_note(value, monkeypatch, capsys):
    from workbook import notes
    from workbook.build import parallel

    monkeypatch.setattr(notes, "_said", set())
    monkeypatch.setenv("WORKBOOK_JOBS", value)
    assert parallel.jobs() >= 1
    assert parallel.jobs() >= 1  # said once
    err = capsys.readouterr().err
    assert err == (
        f"Note: WORKBOOK_JOBS={value!r} is not a number of processes (1, 2, ...); "
        "using one per core instead\n"
    )
    monkeypatch.setenv("WORKBOOK_JOBS", "3")
    assert parallel.jobs() == 3


@pytest.mark.slow
def test_a_build_with_workbook_jobs_superscript_two(sample, monkeypatch):
    from workbook import notes

    monkeypatch.setattr(notes, "_said", set())
    monkeypatch.setenv("WORKBOOK_JOBS", "²")
    result = sample.build("--edition", "print", "--edition", "epub", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Note: WORKBOOK_JOBS='²' is not a number of processes" in result.output


@pytest.mark.parametrize("value", ["²", "\uff11\uff12", "-5", " 12 34"])
def test_source_date_epoch_that_is_not_ascii_digits(sample, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    check(sample, f"environment: SOURCE_DATE_EPOCH='{value}' must be a whole number of seconds")


# --- 3. image names with a space or an accent ---------------------------------------------------


@pytest.mark.slow
def test_image_names_with_a_space_or_an_accent_show_in_the_pdf_and_the_epub(sample):
    import zipfile

    import pikepdf

    from tests.conftest import epubcheck_counts

    Image.new("RGB", (40, 20), (200, 80, 80)).save(sample.root / "chapters/quiet path.png")
    Image.new("RGB", (40, 20), (80, 80, 200)).save(sample.root / "chapters/café.png")
    sample.write(
        "chapters/intro.md",
        "---\ntitle: Pictures\n---\n\n![A quiet path](quiet%20path.png)\n\n"
        "![A café](café.png)\n\n![The same café](caf%C3%A9.png)\n",
    )
    result = sample.build("--edition", "print", "--edition", "epub", "--no-cache")
    assert result.exit_code == 0, result.output
    pdf = pikepdf.open(sample.root / "output/sample-print-letter.pdf")
    shown = {
        bytes(image.read_raw_bytes()) for page in pdf.pages for image in page.get_images().values()
    }
    assert len(shown) == 2  # both pictures, the café once
    epub = zipfile.ZipFile(sample.root / "output/sample.epub")
    text = epub.read("EPUB/text/intro.xhtml").decode()
    images = [n for n in epub.namelist() if n.startswith("EPUB/images/chapters/")]
    assert len(images) == 2
    for name in images:
        assert name.isascii() and " " not in name
        assert f'src="../{name.removeprefix("EPUB/")}"' in text
    originals = {
        (sample.root / "chapters" / n).read_bytes() for n in ("quiet path.png", "café.png")
    }
    assert {epub.read(name) for name in images} == originals
    counts, messages = epubcheck_counts(sample.root / "output/sample.epub")
    assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages


def test_package_names_are_safe_and_never_meet():
    from workbook.sources.media import package_name

    assert package_name("chapters/pic.png") == "images/chapters/pic.png"  # unchanged
    names = ["chapters/a b.png", "chapters/a-b.png", "chapters/café.png", "chapters/cafe.png"]
    packed = [package_name(n) for n in names]
    assert len(set(packed)) == 4
    assert all(p.isascii() and " " not in p for p in packed)
    assert packed[2].startswith("images/chapters/cafe-") and packed[2].endswith(".png")


# --- 4. bounds on the work a source may ask for -----------------------------------------------


def problems_of(sample) -> list[str]:
    from workbook.errors import WorkbookError
    from workbook.sources.loader import load_book

    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    return [str(p) for p in error.value.problems]


def chapter(sample, body: str) -> None:
    sample.write("chapters/intro.md", "---\ntitle: T\n---\n\n" + body)  # the body starts on line 5


def sheet(sample, fields: str, sections: int = 1) -> None:
    """A worksheet of `sections` sections, each with `fields` (YAML lines at field level)."""
    section = "  - fields:\n" + fields
    sample.write("chapters/sheet.yaml", "title: T\nsections:\n" + section * sections)


PARAGRAPH_MARKS = "a paragraph may hold at most 500 marks (bold, italics, links, code, line breaks)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x\n" * 20_001, "intro.md:20004: a chapter may hold at most 20,000 lines"),
        (
            "Words.\n\n" * 3_001,
            "intro.md:6005: a chapter may hold at most 3,000 paragraphs, headings, list items and "
            "table rows; split it into two chapters",
        ),
        ("- a\n" * 3_001, "intro.md:3005: a chapter may hold at most 3,000 paragraphs"),
        (
            "| a |\n|---|\n" + "| x |\n" * 301,
            "intro.md:306: a table may hold at most 300 rows; split it into two tables",
        ),
        ("*a* " * 501, f"intro.md:5: {PARAGRAPH_MARKS}; simplify it"),
        (
            ("*a* " * 400 + "\n\n") * 13,
            "intro.md:19: a chapter may hold at most 3,000 marks (bold, italics, links, code, "
            "line breaks); split it into two chapters",
        ),
        (
            "::: reflect\nQ?\n:::\n" * 51,
            "intro.md:155: a chapter may hold at most 50 reflection prompts",
        ),
        ("![A dot](dot.png)\n\n" * 101, "intro.md:205: a chapter may hold at most 100 images"),
    ],
    ids=["lines", "paragraphs", "list-items", "table-rows", "paragraph-marks", "marks",
         "prompts", "images"],
)  # fmt: skip
def test_a_chapter_past_a_bound(sample, body, expected):
    sample.write("chapters/dot.png", png_bytes())
    chapter(sample, body)
    found = problems_of(sample)
    assert len(found) == 1, found
    assert found[0] == f"chapters/{expected}" or found[0].startswith(f"chapters/{expected}")


SCALE = "    - type: scale\n      items:\n" + "        - a\n" * 50


@pytest.mark.parametrize(
    ("fields", "sections", "expected"),
    [
        ("    - type: date\n", 31, "sheet.yaml:63: a worksheet may hold at most 30 sections; "
         "split it into two worksheets"),
        ("    - type: date\n" * 61, 1, "sheet.yaml:64: a worksheet may hold at most 60 fields"),
        ("    - type: date\n" * 31, 2, "sheet.yaml:65: a worksheet may hold at most 60 fields"),
        ("    - type: checklist\n      items:\n" + "        - a\n" * 61, 1,
         "sheet.yaml:5: a checklist, scale or grid may hold at most 60 items; split it into two"),
        (SCALE * 7, 1, "sheet.yaml:317: a worksheet may hold at most 300 checklist, scale and "
         "grid items"),
        ("    - type: log\n      columns: [{label: A}]\n" * 11, 1,
         "sheet.yaml:24: a worksheet may hold at most 10 logs"),
    ],
    ids=["sections", "fields", "fields-across-sections", "items", "sheet-items", "logs"],
)  # fmt: skip
def test_a_worksheet_past_a_bound(sample, fields, sections, expected):
    sheet(sample, fields, sections)
    found = problems_of(sample)
    assert len(found) == 1, found
    assert found[0].startswith(f"chapters/{expected}")


def test_a_workbook_of_too_many_parts(sample):
    sample.config(contents=[f"part-{n}" for n in range(201)])
    assert problems_of(sample) == [
        "workbook.toml:5: 'contents' may hold at most 200 parts; make two workbooks"
    ]


@pytest.mark.parametrize(
    ("name", "write", "expected"),
    [
        ("BOOK_BLOCKS", lambda s: chapter(s, "A.\n\nB.\n\nC.\n"),
         "the chapters together may hold at most 2 paragraphs, headings, list items and table "
         "rows; make two workbooks"),
        ("BOOK_MARKS", lambda s: chapter(s, "*a* *b* *c*\n"),
         "the chapters together may hold at most 2 marks"),
        ("BOOK_PROMPTS", lambda s: chapter(s, "::: reflect\nQ?\n:::\n" * 3),
         "the chapters together may hold at most 2 reflection prompts"),
        ("BOOK_IMAGES", lambda s: chapter(s, "![A](a.png) ![B](b.png) ![C](c.png)\n"),
         "the chapters together may hold at most 2 different images"),
        ("BOOK_IMAGE_MB", lambda s: chapter(s, "![A](a.png)\n"),
         "the chapters together may hold at most 2 MB of images; save smaller copies"),
        ("BOOK_FIELDS", lambda s: sheet(s, "    - type: date\n" * 3),
         "the worksheets together may hold at most 2 fields"),
        ("BOOK_ITEMS", lambda s: sheet(s, "    - type: checklist\n      items: [a, b, c]\n"),
         "the worksheets together may hold at most 2 checklist, scale and grid items"),
        ("BOOK_LOGS", lambda s: sheet(s, "    - type: log\n      columns: [{label: A}]\n" * 3),
         "the worksheets together may hold at most 2 logs"),
    ],
)  # fmt: skip
def test_a_workbook_past_a_bound_it_holds_as_a_whole(sample, monkeypatch, name, write, expected):
    """The workbook's own bounds add up every part; a small bound stands in for the real one
    (the real ones need megabytes of parts: bench/largest.py builds those)."""
    from workbook.sources import bounds

    monkeypatch.setattr(bounds, name, dataclasses.replace(getattr(bounds, name), most=2))
    for letter in "abc":
        sample.write(f"chapters/{letter}.png", png_bytes())
    if name == "BOOK_IMAGE_MB":
        with open(sample.root / "chapters/a.png", "ab") as handle:
            handle.truncate(2_500_000)  # a PNG with 2.5 MB of trailing bytes Pillow ignores
    write(sample)
    assert problems_of(sample) == [f"workbook.toml:5: {expected}"] or any(
        p.startswith(f"workbook.toml:5: {expected}") for p in problems_of(sample)
    )


def test_the_issues_flood_is_refused_at_once(sample):
    """A 2 MB worksheet whose log has 200,000 rows ran for ten minutes at 7 GB."""
    rows = "          - {label: R}\n" * 200_000
    sample.write("chapters/sheet.yaml", f"title: T\nsections:\n  - fields:\n      - type: log\n"
                 f"        columns:\n{rows}")  # fmt: skip
    assert problems_of(sample) == [
        "chapters/sheet.yaml: cannot be used: it is larger than 1 MB; split it into smaller parts"
    ]
    rows = "| x | y |\n" * 3_100  # under 1 MB and 20,000 lines: parsed, then counted
    chapter(sample, "| a | b |\n|---|---|\n" + rows)
    assert problems_of(sample)[:2] == [
        "chapters/intro.md:306: a table may hold at most 300 rows; split it into two tables",
        "chapters/intro.md:3006: a chapter may hold at most 3,000 paragraphs, headings, list "
        "items and table rows; split it into two chapters",
    ]


def test_a_helplines_file_or_client_list_past_its_bound(sample):
    service = (
        "  - {region: us, name: N, how: call, source: https://example.org, checked: null,"
        " note: not yet}\n"
    )
    sample.write("helplines.yaml", "regions: {us: {name: US, emergency: '911'}}\nservices:\n"
                 + service * 301)  # fmt: skip
    chapter(sample, "::: helplines\n:::\n")
    assert problems_of(sample) == [
        "helplines.yaml:303: the helplines file may hold at most 300 services; keep the ones "
        "your readers need"
    ]
    clients = sample.write("clients.csv", "".join(f"Client {n}\n" for n in range(501)))
    from workbook.sources.clients import read_clients

    with pytest.raises(Exception) as error:
        read_clients(clients, sample.root)
    assert str(error.value.problems[0]) == (
        "clients.csv:501: a client list may hold at most 500 names; split it into smaller lists"
    )


def test_the_default_workbook_is_far_inside_every_bound():
    """Generous for real workbooks: the default one uses a fifth or less of each."""
    from tests.conftest import ROOT
    from workbook.sources import bounds
    from workbook.sources.loader import _items, load_book

    book = load_book(ROOT)
    fields = [f for s in book.worksheets for sec in s.sections for f in sec.fields]
    items = sum(_items(f) for f in fields)
    prompts = sum(1 for p in book.parts if p.kind == "chapter" for b in p.blocks
                  if getattr(b, "kind", "") == "question")  # fmt: skip
    assert len(book.parts) * 5 <= bounds.PARTS.most
    assert len(fields) * 5 <= bounds.BOOK_FIELDS.most
    assert items * 5 <= bounds.BOOK_ITEMS.most
    assert sum(f.kind == "log" for f in fields) * 5 <= bounds.BOOK_LOGS.most
    assert prompts * 5 <= bounds.BOOK_PROMPTS.most
    for sheet_ in book.worksheets:
        assert len(sheet_.sections) * 5 <= bounds.SECTIONS.most


# --- 5 and 7c. the build cache: odd files never hang it, odd states never stop a build ---------


@pytest.fixture
def hang_guard():
    """Fails the test after 20 s instead of letting a read that waits forever hang the run."""
    import signal

    def expire(signum, frame):
        raise AssertionError("a read waited: the cache must never wait on a file")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def odd_files(folder):
    """A pipe, a link to /dev/zero, /proc/self/mem, a folder and a missing file."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe")
    (folder / "zero").symlink_to("/dev/zero")
    (folder / "mem").symlink_to("/proc/self/mem")
    (folder / "folder").mkdir()
    return [folder / n for n in ("pipe", "zero", "mem", "folder", "missing")]


def test_the_cache_hashes_nothing_odd(tmp_path, hang_guard):
    from workbook.build.cache import sha256_file, sha256_output

    for path in odd_files(tmp_path):
        assert sha256_file(path) is None, path
        if path.name != "folder":  # a folder is a site: see below
            assert sha256_output(path) is None, path
    assert sha256_file(tmp_path / "a\0b") is None  # a path from a damaged record
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("hello", encoding="utf-8")
    assert sha256_output(site) is not None
    (site / "feed").symlink_to(tmp_path / "pipe")
    assert sha256_output(site) is None


@pytest.mark.parametrize(
    "record",
    ["pipe", "folder", "not json", "[]", "nested", "wrong types", "nul path", "dev zero"],
)
def test_a_damaged_cache_record_only_means_not_fresh(sample, tmp_path, monkeypatch, record,
                                                     hang_guard):  # fmt: skip
    import json
    import os

    from workbook.build.cache import BuildCache
    from workbook.build.plan import make_plan
    from workbook.build.request import Request

    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    plan = make_plan(Request(sample.root, sample.root / "output", ("print",)))
    cache = BuildCache(plan.output_dir, plan.book)
    (job,) = plan.jobs
    target = cache.folder / f"{job.name}.json"
    fine = {"format": 1, "key": cache.key(job), "output": None, "deps": {}, "detail": "x"}
    if record == "pipe":
        os.mkfifo(target)
    elif record == "folder":
        target.mkdir()
    elif record == "dev zero":
        target.symlink_to("/dev/zero")
    else:
        text = {
            "not json": '{"format": 1, "key": ',
            "[]": "[]",
            "nested": "[" * 100_000,
            "wrong types": json.dumps({**fine, "deps": [1, 2], "detail": 3}),
            "nul path": json.dumps({**fine, "deps": {"/a\u0000b": "0"}}),
        }[record]
        target.write_text(text, encoding="utf-8")
    assert cache.fresh(job) is None


@pytest.mark.slow
def test_a_dependency_that_becomes_a_pipe_or_a_device_is_not_fresh(sample, tmp_path):
    """A picture only a stylesheet uses (so the loader never looks at it) is recorded by the
    layout; when it becomes a pipe or a link to /dev/zero, the next build must not wait."""
    import os
    import subprocess

    from tests.test_safe_outputs import build_command

    sample.write("pictures/bg.png", png_bytes())
    sample.write("styles/custom.css", "body { background: url(../pictures/bg.png) }\n")
    env = {**os.environ, "WORKBOOK_CACHE_DIR": str(tmp_path / "cache")}
    command = build_command(sample.root, sample.root / "output", "--edition", "print")
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    records = list((tmp_path / "cache").rglob("*.json"))
    assert any("bg.png" in r.read_text(encoding="utf-8") for r in records)
    for swap in ("pipe", "zero"):
        (sample.root / "pictures/bg.png").unlink()
        if swap == "pipe":
            os.mkfifo(sample.root / "pictures/bg.png")
        else:
            (sample.root / "pictures/bg.png").symlink_to("/dev/zero")
        again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        assert "Traceback" not in again.stderr, again.stderr[-2000:]
        assert "up to date" not in again.stdout
        assert "bg.png" in again.stderr  # the stylesheet's picture is refused, by name


@pytest.mark.slow
@pytest.mark.parametrize("state", ["a file", "unwritable", "no home", "home nowhere"])
def test_a_cache_that_cannot_be_used_is_a_note_not_a_traceback(sample, tmp_path, monkeypatch,
                                                                state):  # fmt: skip
    import os
    import pwd

    from workbook import notes

    monkeypatch.setattr(notes, "_said", set())
    if state == "a file":
        (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
        monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
        expected = f"the build cache folder {tmp_path / 'cache'} cannot be used (Not a directory)"
    elif state == "unwritable":
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o500)
        if os.geteuid() == 0:  # root writes anywhere a mode says no: use a folder nobody can
            folder = Path("/proc/workbook-cache")
        monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(folder))
        expected = f"the build cache folder {folder} cannot be used"
    else:
        monkeypatch.delenv("WORKBOOK_CACHE_DIR")
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        if state == "no home":
            monkeypatch.delenv("HOME", raising=False)

            def unknown(uid):
                raise KeyError(uid)

            monkeypatch.setattr(pwd, "getpwuid", unknown)
        else:
            monkeypatch.setenv("HOME", str(tmp_path / "nowhere"))
        expected = "your home folder is unknown or missing (HOME); building without the cache"
    result = sample.build("--edition", "print")
    assert result.exit_code == 0, result.output
    assert f"Note: {expected}" in result.output
    assert result.output.count("Note:") == 1
    assert not (tmp_path / "nowhere").exists()  # a home folder is never made


# --- 6. client names and the index ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sam\x01Lee", "the name contains an invisible control character (code 0x0001)"),
        ("Sam\nLee", "the name has a line break or tab in it; write it on one line"),
        ("Sam\tLee", "the name has a line break or tab in it"),
        ("x" * 5000, "the name is longer than 120 characters; shorten it"),
        ("Sam \u202eeeL", "the name contains a text-direction control (U+202E)"),
        ("\u2066Sam\u2069", "the name contains a text-direction control (U+2066)"),
    ],
    ids=["control", "newline", "tab", "5000-characters", "rlo", "isolate"],
)
def test_a_client_name_from_the_command_line_is_checked(sample, name, expected):
    result = sample.build("--client", name)
    assert result.exit_code == 2, result.output
    assert "'--client'" in result.output and expected in result.output
    assert "Traceback" not in result.output
    assert not (sample.root / "output").exists()


def test_client_names_from_a_list_are_checked_naming_the_row(sample):
    clients = sample.write(
        "clients.csv",
        'name,parts\nAna,\n"Bo\nLee",\nSam \u202eeeL,\n"' + "x" * 200 + '",\n',
    )
    result = sample.build("--clients", str(clients))
    assert result.exit_code == 1, result.output
    for line in (
        "clients.csv:3: the name has a line break or tab in it",
        "clients.csv:5: the name contains a text-direction control (U+202E)",
        "clients.csv:6: the name is longer than 120 characters",
    ):
        assert line in result.output, result.output
    assert "Traceback" not in result.output


FORMULAS = ('=HYPERLINK("http://evil.example","Sam")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
            "-2+3", "=1+1")  # fmt: skip


def test_the_index_neutralises_formulas():
    import csv
    import io

    from workbook.build.copies import Index, index_extra
    from workbook.sources.clients import Client

    clients = tuple(Client(name) for name in (*FORMULAS, 'Robin "Rob" Marsh', "Ana"))
    files = {i: [f"f-{i}.pdf"] for i in range(len(clients))}
    text = index_extra(Index("", 0), Path("private"), "x", clients, 1, files).text
    lines = text.splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)  # quoted
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in rows] == [f"'{f}" for f in FORMULAS] + ['Robin "Rob" Marsh', "Ana"]
    assert not any(r[key].startswith(("=", "+", "-", "@")) for r in rows for key in r)


@pytest.mark.slow
def test_formula_names_come_out_inert_in_a_real_batch(sample):
    import csv

    clients = sample.write("clients.csv", "".join(f'"{f.replace(chr(34), 2 * chr(34))}"\n'
                                                  for f in FORMULAS[:3]))  # fmt: skip
    result = sample.build("--clients", str(clients), "--edition", "epub")
    assert result.exit_code == 0, result.output
    with (sample.root / "private/sample-clients.csv").open(encoding="utf-8") as index:
        rows = list(csv.DictReader(index))
    assert [r["name"] for r in rows] == [f"'{f}" for f in FORMULAS[:3]]
    raw = (sample.root / "private/sample-clients.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in raw


# --- 7d. part ids that would take the name of a page workbook makes ----------------------------


@pytest.mark.parametrize(
    "part", ["from-your-therapist", "title-page", "nav", "cover", "index", "contents", "image-3"]
)
def test_a_part_id_that_is_a_built_in_page_is_refused(sample, part):
    sample.write(f"chapters/{part}.md", "---\ntitle: Mine\n---\n\nWords.\n")
    sample.config(contents=["intro", "sheet", part])
    assert problems_of(sample) == [
        f"workbook.toml:5: the part id '{part}' is the name of a page workbook makes itself; "
        "rename the file and its line in 'contents'"
    ]


def test_part_ids_whose_form_fields_would_share_names_are_refused(sample):
    sample.write("chapters/sheet-1.yaml", (sample.root / "chapters/sheet.yaml").read_text())
    sample.write("chapters/intro-reflect-1.md", "---\ntitle: R\n---\n\nWords.\n")
    sample.config(contents=["intro", "sheet", "sheet-1", "intro-reflect-1"])
    assert problems_of(sample) == [
        "workbook.toml:5: the part id 'sheet-1' starts with the part 'sheet' and a number, so "
        "their form fields would share names; rename one of them",
        "workbook.toml:5: the part id 'intro-reflect-1' starts with the part 'intro' and a "
        "number, so their form fields would share names; rename one of them",
    ]


def test_every_id_in_the_bundled_templates_is_reserved():
    """A new landmark or page in a template must be added to RESERVED_IDS, or a part could
    take its id."""
    import re

    from tests.conftest import ROOT
    from workbook.sources.settings import PART_ID, RESERVED_IDS

    found = set()
    for template in (ROOT / "templates").glob("*.html"):
        found |= set(re.findall(r'\bid="([a-z0-9-]+)"', template.read_text(encoding="utf-8")))
    bases = {i.removesuffix("-title") for i in found if PART_ID.match(i)}
    assert bases and bases <= RESERVED_IDS, sorted(bases - RESERVED_IDS)


# --- 7a and 7b. what killed and parallel builds leave behind -----------------------------------


def a_dead_pid() -> int:
    """A process id no process has now."""
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_next_build_sweeps_what_a_killed_build_left(sample):
    import os

    out = sample.root / "output"
    out.mkdir()
    dead, alive = a_dead_pid(), os.getppid()
    stale = [
        f".sample-print-letter.pdf.{dead}.tmp",
        f".sample.epub.{dead}.tmp",
        f".sample-print-a4-booklet.pdf.{dead}.tmp.pages",
        f".sample-index.csv.{dead}.tmp",
        f".workbook-write-test.{dead}",
    ]
    for name in stale:
        (out / name).write_bytes(b"%PDF- complete, but never moved into place")
    (out / f".sample-site.{dead}.old").mkdir()
    (out / f".sample-site.{dead}.old" / "index.html").write_text("old", encoding="utf-8")
    kept = [
        f".sample-print-letter.pdf.{alive}.tmp",  # a build writing here now
        f".notes.{dead}.tmp",  # not a name of ours
        "my-notes.txt",
        f".sample.epub.{dead}.tmp.bak",
    ]
    for name in kept:
        (out / name).write_text("someone's", encoding="utf-8")
    result = sample.build("--edition", "epub")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*kept, "sample.epub"])


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_stop_when_their_parent_is_killed(tmp_path):
    """`kill -9` of the build: its workers stop at once instead of finishing files nobody
    moves into place, and the next build finds the folder clean."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    out = tmp_path / "out"
    env = {**os.environ, "WORKBOOK_JOBS": "2"}
    command = [sys.executable, "-m", "workbook", "build", "-p", str(ROOT), "-o", str(out),
               "--no-cache"]  # fmt: skip
    build = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def children(pid):
        try:
            return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def alive(pid):
        try:
            return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 120
    while not children(build.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = children(build.pid)
    assert workers, "the build never started its workers"
    time.sleep(0.5)  # laying out
    workers += [g for w in workers for g in children(w)]
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 60  # they would run on for the rest of the build (~20 s)
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]
    time.sleep(0.5)
    assert not list(out.glob(".*.tmp")), "a worker finished a file after its parent was gone"


@pytest.mark.slow
def test_a_parallel_build_leaves_tmpdir_as_it_was(sample, tmp_path):
    import os
    import subprocess

    from tests.test_safe_outputs import build_command

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "WORKBOOK_JOBS": "2", "TMPDIR": str(tmpdir)}
    clients = sample.write("clients.csv", "Ana\nBo\n")
    for options in ((), ("--clients", str(clients))):
        command = build_command(sample.root, tmp_path / "out", "--no-cache", *options)
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in tmpdir.iterdir()) == []


# --- and: messages stay readable whatever the input ------------------------------------------


def test_thousands_of_problems_show_the_first_hundred(sample):
    sample.write("chapters/sheet.yaml", "title: T\n" + "title: U\n" * 5_000 + "sections: []\n")
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) < 110
    assert "the check found 5,000 problems to fix" in lines[0]
    assert lines[-1] == "  ... and 4,900 more"


def test_a_file_name_with_an_escape_is_shown_as_its_code(sample, tmp_path):
    brand = tmp_path / "\x1b[2Jbrand.toml"
    brand.write_text('pratice = "Harbor"\n', encoding="utf-8")
    result = sample.build("--brand", str(brand))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert f"{tmp_path}/\\x1b[2Jbrand.toml:1: unknown key 'pratice'" in result.output


def test_a_flood_of_marks_is_refused_before_it_is_parsed(sample):
    """A megabyte of `*a* ` took markdown-it some 12 s to parse, and the layout ten minutes."""
    chapter(sample, "Fine.\n\n" + "*a* " * 240_000 + "\n")
    assert problems_of(sample) == [
        "chapters/intro.md:7: a chapter may hold at most 30,000 of the characters that mark "
        "text (* _ ` [ ~); split it into two chapters"
    ]


# --- and: the hostile cases of the issue that issue 10's safe reader already covers ----------


@pytest.mark.parametrize("where", ["brand.toml", "workbook.toml"])
def test_a_control_character_in_a_brand_value_is_a_message(sample, where):
    if where == "brand.toml":
        sample.write("brand.toml", 'practice = "Harbor"\nphone = "555\\u001b[2J"\n')
        expected = "brand.toml:2: 'phone' contains an invisible control character (code 0x001b)"
    else:
        sample.config(["intro", "sheet"], '[brand]\npractice = "Harbor\\u0085"\n')
        expected = (
            "workbook.toml:6: 'practice' contains an invisible control character (code 0x0085)"
        )
    check(sample, expected)


@pytest.mark.slow
def test_a_template_linking_to_proc_self_mem_is_a_message(sample):
    """It ended in an OSError from the build cache, which hashed every template."""
    (sample.root / "templates").mkdir()
    (sample.root / "templates/cover.html").symlink_to("/proc/self/mem")
    (sample.root / "templates/unused.html").symlink_to("/proc/self/mem")
    result = sample.build("--edition", "print")
    assert result.exit_code == 1, result.output
    assert "templates/cover.html: cannot be used: it is a link to a file outside" in result.output
