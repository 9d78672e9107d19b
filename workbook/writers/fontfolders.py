"""WeasyPrint's temporary font folders, removed by the process that made them.

A FontConfiguration keeps the fonts a stylesheet loads in a folder in $TMPDIR that only its
__del__ removes; a worker process ends with os._exit, which collects nothing, so every parallel
build left folders behind. Each configuration is remembered with the process that made it, and
a worker removes its own just before it ends (those it inherited are its parent's, still in
use there). Kept apart from paged.py so that the runner can ask for it without loading
WeasyPrint.
"""

from __future__ import annotations

import os
import shutil
import weakref
from typing import Any

_MADE: list[tuple[int, weakref.ref[Any]]] = []


def remember(config: Any) -> None:
    _MADE.append((os.getpid(), weakref.ref(config)))


def remove_mine() -> None:
    """Remove the font folders of the configurations this process made."""
    pid = os.getpid()
    for made_by, ref in list(_MADE):
        config = ref()
        if made_by != pid or config is None:
            continue
        folder = getattr(config, "_folder", None)  # WeasyPrint's own, made on first use
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None  # its __del__ has nothing left to do
    _MADE[:] = [(m, r) for m, r in _MADE if m != pid and r() is not None]
