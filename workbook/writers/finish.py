"""The last touches on a finished PDF, whatever wrote it: printed at its own size.

`/PrintScaling /None` asks the print dialogue not to shrink the pages to fit the printer's
margins, so ruled lines keep their spacing and a box its size; a booklet also asks for
double-sided printing flipped on the short edge, the way its sheets fold.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name


def viewer_preferences(pdf: pikepdf.Pdf, booklet: bool = False) -> None:
    preferences = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        preferences = pdf.Root.ViewerPreferences = Dictionary()
    preferences.PrintScaling = Name("/None")
    preferences.DisplayDocTitle = True
    if booklet:
        preferences.Duplex = Name.DuplexFlipShortEdge


def finish(path: Path, booklet: bool = False) -> None:
    """Set the viewer preferences of the PDF at `path`, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        viewer_preferences(pdf, booklet)
        pdf.save(path, deterministic_id=True)
