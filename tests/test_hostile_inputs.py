"""Hostile inputs, round two (issue 11): logos checked like chapter images, numbers that are
digits but not ASCII, file names with spaces and accents, limits on how much work a source may
ask for, odd files in the build cache, client names, and what killed builds leave behind.

Each case ends in a clear message naming the file (and line) or in a safe build, never a
traceback.
"""

from __future__ import annotations

import io
import struct
import zlib

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
    assert "the logo '../elsewhere.svg' must be inside the brand file's folder" in result.output


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
    from workbook.build import notes, parallel

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
    from workbook.build import notes

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
