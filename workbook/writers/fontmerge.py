"""Fonts of a document laid out in parts, embedded once.

WeasyPrint cuts each font down to the glyphs a document uses (HarfBuzz's subsetter), once per
document: laid out in parts, that is once per part, which costs time and leaves a copy of each
font in every part of the joined PDF. So while a part is written (`whole_programs`), its fonts
are not cut down: the part's PDF names the glyphs it uses (its widths and its ToUnicode map) and
carries no font program, and the whole program is kept aside. The join (`merge`) then makes one
font of each: the glyphs every part uses, cut down once with WeasyPrint's own subsetter, as a
whole document would have it.

HarfBuzz reads a font from bytes with two functions WeasyPrint does not declare; they are
declared here. Without them (another WeasyPrint, another HarfBuzz), parts keep their own fonts.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name
from weasyprint.pdf import fonts
from weasyprint.text.ffi import ffi, harfbuzz

LARGEST = 4_000_000  # bytes: a bigger font is cut down part by part, not kept whole
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>")


@functools.cache
def available() -> bool:
    """Whether HarfBuzz can read a font from bytes here."""
    try:
        ffi.cdef(
            "hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode,"
            " void *user_data, void *destroy);"
            "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);"
        )
        return bool(harfbuzz.hb_blob_create and harfbuzz.hb_face_create)
    except Exception:  # declared already, or not in this HarfBuzz: no merging
        return False


@contextlib.contextmanager
def whole_programs() -> Iterator[dict[str, bytes]]:
    """While a part is written: the programs of the fonts it uses, by WeasyPrint's name for
    them (their hash), instead of a cut-down copy in its PDF."""
    kept: dict[str, bytes] = {}
    original = fonts.Font.subset

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and _mergeable(font):
            kept[font.hash] = font.file_content
            font.file_content = b""
        else:
            original(font, to_unicode, hinting)

    fonts.Font.subset = subset
    try:
        yield kept
    finally:
        fonts.Font.subset = original


def _mergeable(font: Any) -> bool:
    """A TrueType font used as WeasyPrint usually embeds one: not a variable or colour font,
    no glyph missing from it, not for form fields."""
    return (
        available()
        and not font.used_in_forms
        and not font.missing
        and "fvar" not in font.tables
        and not (font.png or font.svg or font.colr or font.bitmap)
        and font.file_content[:4] != b"OTTO"
        and len(font.file_content) <= LARGEST
    )


def merge(out: pikepdf.Pdf, programs: dict[str, bytes]) -> None:
    """Each font whose program was kept aside, made once for every page that uses it."""
    groups: dict[str, list[tuple[Any, Name, Any]]] = {}
    seen: set[tuple[int, int]] = set()
    for page in out.pages:
        resources = page.obj.get("/Resources")
        holder = resources.get("/Font") if resources is not None else None
        if holder is None or holder.objgen in seen:
            continue
        seen.add(holder.objgen)
        for resource, font in holder.items():
            key = str(font.get("/BaseFont", "/"))[1:].split("+")[0]
            if key in programs:
                groups.setdefault(key, []).append((holder, Name(resource), font))
    for key, uses in groups.items():
        merged = _merged(out, [font for _, _, font in uses], programs[key])
        for where, resource_name, _ in uses:
            where[resource_name] = merged


def _merged(out: pikepdf.Pdf, copies: list[Any], program: bytes) -> Any:
    """One font from the parts' copies: every glyph any of them uses, with its width and
    the text it stands for."""
    widths: dict[int, Any] = {}
    texts: dict[int, bytes] = {}
    for font in {font.objgen: font for font in copies}.values():
        widths.update(_widths(font.DescendantFonts[0].get("/W", Array())))
        texts.update(_texts(font.ToUnicode.read_bytes()))
    first = copies[0]
    descendant, descriptor = first.DescendantFonts[0], first.DescendantFonts[0].FontDescriptor
    data = _subset(program, sorted(widths))
    new_descriptor = out.make_indirect(Dictionary(descriptor))
    new_descriptor.FontFile2 = out.make_indirect(pikepdf.Stream(out, data, Length1=len(data)))
    box = list(descriptor.FontBBox)
    box[2] = max((float(w) for w in widths.values()), default=0)
    new_descriptor.FontBBox = Array(box)
    new_descriptor.CapHeight = box[3]
    flags = int(descriptor.Flags) & ~1
    if len(widths) > 1 and len({float(w) for w in widths.values()}) == 1:
        flags |= 1  # FixedPitch
    new_descriptor.Flags = flags
    new_descendant = out.make_indirect(Dictionary(descendant))
    new_descendant.W = _width_array(widths)
    new_descendant.FontDescriptor = new_descriptor
    font = out.make_indirect(Dictionary(first))
    font.DescendantFonts = Array([new_descendant])
    font.ToUnicode = out.make_indirect(pikepdf.Stream(out, _cmap(texts)))
    return font


def _widths(array: Any) -> Iterator[tuple[int, Any]]:
    """A CID font's /W array: a first glyph, then the widths from it on."""
    for index in range(0, len(array) - 1, 2):
        start = int(array[index])
        for offset, width in enumerate(array[index + 1]):
            yield start + offset, width


def _width_array(widths: dict[int, Any]) -> Array:
    """Runs of consecutive glyphs, as WeasyPrint writes them."""
    result = Array()
    current: Array | None = None
    for glyph in sorted(widths):
        if current is None or glyph - 1 not in widths:
            current = Array()
            result.append(glyph)
            result.append(current)
        current.append(widths[glyph])
    return result


def _texts(cmap: bytes) -> Iterator[tuple[int, bytes]]:
    for glyph, text in _BFCHAR.findall(cmap):
        yield int(glyph, 16), text.lower()


def _cmap(texts: dict[int, bytes]) -> bytes:
    """A ToUnicode map, as WeasyPrint writes one."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(texts.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (glyph, text) for glyph, text in batch]
        lines.append(b"endbfchar")
    lines += [
        b"endcmap",
        b"CMapName currentdict /CMap defineresource pop",
        b"end",
        b"end",
    ]
    return b"\n".join(lines)


def _subset(program: bytes, glyphs: list[int]) -> bytes:
    """The program cut down to `glyphs`, keeping their numbers (WeasyPrint's own subsetter)."""
    available()  # declares HarfBuzz's functions in this process
    blob = ffi.gc(
        harfbuzz.hb_blob_create(program, len(program), 0, ffi.NULL, ffi.NULL),  # 0: a copy
        harfbuzz.hb_blob_destroy,
    )
    face = ffi.gc(harfbuzz.hb_face_create(blob, 0), harfbuzz.hb_face_destroy)
    font = _Program(face, program)
    fonts.Font._harfbuzz_subset(font, dict.fromkeys(glyphs, ""), False)
    return font.file_content


class _Program:
    """What WeasyPrint's subsetter reads of a font."""

    def __init__(self, face: Any, program: bytes) -> None:
        self.hb_face = face
        self.file_content = program
        self.missing: dict[int, int] = {}
        self.family = "font"
