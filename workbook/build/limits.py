"""Bounded work: a build that runs past its time limit stops with a clear message."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from workbook.errors import Problem, WorkbookError

BUILD_SECONDS = 600  # the largest workbook the loader accepts builds in a few minutes


class OutOfTime(BaseException):
    """Not an Exception, so no library's `except Exception` swallows it on the way out."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the work inside after `seconds` (Unix, main thread; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except OutOfTime:
        minutes = f"{seconds / 60:g} minutes" if seconds >= 60 else f"{seconds:g} seconds"
        message = (
            f"{what} took longer than {minutes} and was stopped; look for a very long chapter, "
            "a huge table or an extreme value in a stylesheet"
        )
        raise WorkbookError([Problem("workbook.toml", message)]) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
