"""A stand-in font for form fields, so a fillable PDF stays small.

WeasyPrint embeds the whole font of every form field (it cannot know what will be typed), and
the same font then stops being subset for the page text too. So fields get their own tiny font
(the body font cut down to a space, under another name), and the PDF writer then points the
fields at Helvetica, one of the PDF standard fonts every viewer has, and drops the stand-in.
"""

from __future__ import annotations

import base64
import functools
import io

from workbook.resources import font_dir

FIELD_FONT_FAMILY = "Workbook Field"
FIELD_FONT_NAME = "WorkbookField"


@functools.cache
def field_font_url() -> str:
    """The stand-in font as a data: URL for @font-face (built once, never fetched)."""
    # fontTools' subsetter takes a tenth of a second to load: only fillable editions need it.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The source font's own dates, not today's: the same sources give the same PDF bytes.
    font = TTFont(font_dir() / "AtkinsonHyperlegible-Regular.ttf", recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = []  # names are set below
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[0x20])
    subsetter.subset(font)
    names = font["name"]
    for name_id, value in ((1, FIELD_FONT_FAMILY), (4, FIELD_FONT_FAMILY), (6, FIELD_FONT_NAME)):
        names.setName(value, name_id, 3, 1, 0x409)
    buffer = io.BytesIO()
    font.save(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:font/ttf;base64,{encoded}"
