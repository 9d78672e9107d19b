"""WeasyPrint's own warnings (a CSS property it does not know, a value it ignores, an image it
could not load): kept quiet, or shown on stderr with `--verbose`. Worker processes are forked
after this is chosen, so they show them too."""

from __future__ import annotations

import logging
import sys

_handler = logging.StreamHandler()
_handler.setFormatter(logging.Formatter("WeasyPrint: %(message)s"))
_chosen = {"verbose": False}


def show_warnings(verbose: bool) -> None:
    """Choose for this process (and the workers it starts) whether warnings are shown."""
    _chosen["verbose"] = verbose
    apply()


def apply() -> None:
    """Set WeasyPrint's logger as chosen (each layout does, in case something changed it)."""
    logger = logging.getLogger("weasyprint")
    verbose = _chosen["verbose"]
    logger.setLevel(logging.WARNING if verbose else logging.ERROR)
    _handler.setStream(sys.stderr)  # the stderr of now (a test may have replaced it)
    if verbose and _handler not in logger.handlers:
        logger.addHandler(_handler)
    elif not verbose and _handler in logger.handlers:
        logger.removeHandler(_handler)
