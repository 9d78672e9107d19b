"""One-line notes on stderr: settings the build had to ignore (WORKBOOK_JOBS that is not a
number, a cache folder it cannot use), a brand.toml that is not used. The build goes on, and
each note is said once."""

from __future__ import annotations

import sys

_said: set[str] = set()


def note(message: str) -> None:
    """`Note: message` on stderr, the first time it is asked for in this process."""
    if message in _said:
        return
    _said.add(message)
    sys.stderr.write(f"Note: {message}\n")
    sys.stderr.flush()
