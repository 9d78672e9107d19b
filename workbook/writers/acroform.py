"""Tidies the form fields WeasyPrint writes, so every PDF reader fills and prints them alike.

- Text fields type in Helvetica, a standard PDF font every reader has, instead of the
  stand-in field font (which is dropped): the file stays small and any tool can draw values.
- A rating row is one radio group whose choices are named by their number ("/3"), with the
  group's tooltip; its buttons are widgets only (WeasyPrint also names them as fields).
- Field order is reading order, for tab order on untagged readers too.
- Answers are never cut off: a box too short for two lines, or too narrow for words to
  wrap, is a one-line field; a taller one is multi-line; both size their text to fit (size
  0: the viewer shrinks it as it fills), except a number's small box, which keeps its size.
- Check boxes draw with ZapfDingbats, named in `/DR` with Helvetica; rectangles are
  normalised (lower left, upper right); every tooltip is unique, and names its copy in a
  handout ("copy 2"), else the page when two fields would share one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from workbook.render.fieldfont import FIELD_FONT_NAME

FIELD_FONT = "/Helv"
SHORT = 4  # fields this short hold a number
MULTILINE = 1 << 12  # the /Ff bit of a multi-line text field
_FONT_SIZE = re.compile(rb"/(\S+)\s+([\d.]+)\s+Tf")
_COPY = re.compile(r"-copy(\d+)-")


def tidy_fields(path: Path) -> int:
    """Rewrite the PDF at `path` in place; returns how many fields it holds."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        acroform = pdf.Root.AcroForm
        helvetica = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Name.WinAnsiEncoding,
            )
        )
        dingbats = pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats)
        )
        acroform.DR = Dictionary(Font=Dictionary(Helv=helvetica, ZaDb=dingbats))
        acroform.DA = String(f"{FIELD_FONT} 0 Tf 0 g")
        fields = [cast(Dictionary, f) for f in acroform.Fields if "/Parent" not in f]
        for field in fields:
            if field.get("/FT") == Name.Tx:
                _use_helvetica(field)
            elif "/Kids" in field:
                _tidy_radio_group(field)
        acroform.Fields = Array(fields)
        _normalise_rectangles(fields)
        _unique_tooltips(pdf, fields)
        _drop_stand_in_font(pdf)
        pdf.save(path, deterministic_id=True)
        return len(fields)


def _use_helvetica(field: pikepdf.Dictionary) -> None:
    match = _FONT_SIZE.search(bytes(field.get("/DA", b"")))
    size = match.group(2).decode() if match else "11"
    flags = int(field.get("/Ff", 0))
    narrow = _width(field) < 6 * float(size)  # a date's column: a word would not wrap
    if flags & MULTILINE and (_height(field) < 2.2 * float(size) or narrow):
        field.Ff = flags & ~MULTILINE  # a one-line box: text on one line, not a sliver
    if flags & MULTILINE or int(field.get("/MaxLen", 1000)) > SHORT:
        size = "0"  # auto: the whole answer shows, smaller as it grows (a date in a narrow
        # column, a long line): a fixed size would run on past the box's edge, unseen
    field.DA = String(f"{FIELD_FONT} {size} Tf 0 g")
    if int(field.get("/MaxLen", 1000)) <= SHORT:
        field.Q = 1  # a number in a small box (a grid cell, a 0 to 10 rating): centred


def _tidy_radio_group(group: pikepdf.Dictionary) -> None:
    """Name each button's 'on' state after its value, and keep names on the group only."""
    values = [str(value) for value in group.get("/Opt", [])]
    for index, kid in enumerate(group.Kids):
        for key in ("/T", "/TU"):
            if key in kid:
                del kid[key]
        if index < len(values) and values[index] != str(index):  # a scale from 0: "/0" at 0
            normal = kid.AP.N
            state = Name("/" + values[index])
            normal[state] = normal[Name(f"/{index}")]
            del normal[Name(f"/{index}")]
    if "/Opt" in group:
        del group["/Opt"]


def _height(field: pikepdf.Dictionary) -> float:
    rect = [float(v) for v in field.get("/Rect", [0, 0, 0, 0])]
    return abs(rect[3] - rect[1])


def _width(field: pikepdf.Dictionary) -> float:
    rect = [float(v) for v in field.get("/Rect", [0, 0, 0, 0])]
    return abs(rect[2] - rect[0])


def _widgets(field: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = field.get("/Kids")
    return [field] if kids is None else [cast(Dictionary, kid) for kid in kids]


def _normalise_rectangles(fields: list[pikepdf.Dictionary]) -> None:
    """[x1 y1 x2 y2] with x1 < x2 and y1 < y2: some viewers skip or misplace others."""
    for field in fields:
        for widget in _widgets(field):
            if "/Rect" in widget:
                x1, y1, x2, y2 = (float(v) for v in widget.Rect)
                widget.Rect = Array([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)])


def _unique_tooltips(pdf: pikepdf.Pdf, fields: list[pikepdf.Dictionary]) -> None:
    """A handout copy's fields name the copy; tooltips two fields share name the page too
    ("Date, page 33"), and a number if they still meet."""
    pages: dict[tuple[int, int], int] = {
        page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)
    }
    tips: dict[str, list[pikepdf.Dictionary]] = {}
    for field in fields:
        if "/TU" in field:
            copy = _COPY.search(str(field.get("/T", "")))
            if copy:
                field.TU = String(f"{field.TU} (copy {copy.group(1)})")
            tips.setdefault(str(field.TU), []).append(field)
    seen: set[str] = set()
    for tip, same in tips.items():
        for index, field in enumerate(same, start=1):
            if len(same) > 1:
                page = _widgets(field)[0].get("/P")
                where = pages.get(page.objgen) if isinstance(page, Dictionary) else None
                tip_here = f"{tip}, page {where}" if where else tip
                field.TU = String(tip_here if tip_here not in seen else f"{tip_here} ({index})")
            seen.add(str(field.TU))


def _drop_stand_in_font(pdf: pikepdf.Pdf) -> None:
    """The stand-in field font draws nothing on the pages; remove it from their resources."""
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
        if not isinstance(fonts, Dictionary):
            continue
        for key in list(fonts.keys()):
            base = str(fonts[key].get("/BaseFont", "")).replace("-", "")
            if base.endswith(FIELD_FONT_NAME):
                del fonts[key]
