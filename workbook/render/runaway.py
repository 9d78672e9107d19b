"""Ceilings for one template's rendering, so a template that never ends or grows without end
stops with a message naming it: a time limit and a memory ceiling.

The sandbox (render/sandbox.py) refuses the usual ways to make huge text before they start;
these catch the rest. Both work on Unix in the main thread (a worker process's only thread);
elsewhere the build's own time limit still applies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

TEMPLATE_SECONDS = 60.0  # the largest workbook the loader accepts renders in a few seconds
MEMORY_BYTES = 2_000_000_000  # more room than the largest workbook's pages need


class TemplateTimeout(BaseException):
    """Not an Exception, so no `except Exception` inside Jinja swallows it on the way out."""


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TemplateTimeout inside the work after `seconds`. A time limit already running
    (the build's) keeps its own alarm: it is set again, less the time spent here."""
    if not _usable():
        yield
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer and outer <= seconds:  # the build's limit comes first: leave it be
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TemplateTimeout

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


@contextlib.contextmanager
def memory_ceiling(extra: int) -> Iterator[None]:
    """Allocations past `extra` bytes more than this process holds now fail with MemoryError,
    instead of the system running out of memory (Linux lets a process ask for more than
    there is, and ends it later). Nothing changes where the limit cannot be set."""
    try:
        import resource  # Unix only
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    now = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = now + extra if now else 0
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if not ceiling or (soft != resource.RLIM_INFINITY and soft <= ceiling):
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    except (ValueError, OSError):  # not allowed here (some systems): no ceiling
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """The bytes of address space this process holds (Linux), or 0 if unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")
