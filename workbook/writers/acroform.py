"""Tidies the form fields WeasyPrint writes, so every PDF reader fills and prints them alike.

- Text fields type in Helvetica, a standard PDF font every reader has, instead of the
  stand-in field font (which is dropped): the file stays small and any tool can draw values.
- A rating row is one radio group whose choices are named by their number ("/3"), with the
  group's tooltip; its buttons are widgets only (WeasyPrint also names them as fields).
- Field order is reading order, for tab order on untagged readers too.
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
_FONT_SIZE = re.compile(rb"/(\S+)\s+([\d.]+)\s+Tf")


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
        acroform.DR = Dictionary(Font=Dictionary(Helv=helvetica))
        acroform.DA = String(f"{FIELD_FONT} 0 Tf 0 g")
        fields = [cast(Dictionary, f) for f in acroform.Fields if "/Parent" not in f]
        for field in fields:
            if field.get("/FT") == Name.Tx:
                _use_helvetica(field)
            elif "/Kids" in field:
                _tidy_radio_group(field)
        acroform.Fields = Array(fields)
        _drop_stand_in_font(pdf)
        pdf.save(path, deterministic_id=True)
        return len(fields)


def _use_helvetica(field: pikepdf.Dictionary) -> None:
    match = _FONT_SIZE.search(bytes(field.get("/DA", b"")))
    size = match.group(2).decode() if match else "11"
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
