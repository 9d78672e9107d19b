"""Writers package what render made into files; they never read sources or templates.

Each format's record (workbook/editions.py) names its writer module here; the module's
`write(edition, personal, layouts, temp)` writes one file (a client's copy when `personal` is
given) and returns a few words for the build summary.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from workbook.editions import Edition, Personal

if TYPE_CHECKING:  # the type only: importing Layouts brings in WeasyPrint
    from workbook.writers.layouts import Layouts

Writer = Callable[[Edition, "Personal | None", "Layouts", Path], str]


def writer_for(edition: Edition) -> Writer:
    """Imported when first used, so a command that writes no PDF never loads WeasyPrint."""
    module = importlib.import_module(f"{__name__}.{edition.record.writer}")
    return cast(Writer, module.write)
