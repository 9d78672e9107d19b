"""Progress on a terminal: once a build has run for a second, one line on stderr, rewritten in
place, says which edition is at which step. Nothing at all when stderr is not a terminal or
with --quiet; the line is wiped before the summary or an error is printed.

The build calls `step(what, doing)` wherever it is. In a worker process (workbook/parallel.py)
the step goes through a pipe to the parent, which owns the line.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

DELAY = 1.0  # a build quicker than this shows nothing
TICK = 0.25  # how often the line is redrawn while workers run
CLEAR = "\r\033[K"
PIPE_BUF = getattr(select, "PIPE_BUF", 512)  # writes this small reach a pipe whole


class Reporter:
    def __init__(
        self,
        stream: TextIO,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
        width: int | None = None,
    ) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.width = width or shutil.get_terminal_size().columns
        self.steps: dict[str, str] = {}  # edition -> what it is doing, in the order they began
        self.shown = False

    def update(self, what: str, doing: str) -> None:
        self.steps[what] = doing
        self.redraw()

    def line(self) -> str:
        seconds = self.clock() - self.started
        doing = " · ".join(f"{what}: {step}" for what, step in self.steps.items())
        return f"Building ({seconds:.0f} s) {doing}"[: max(self.width - 1, 10)]

    def redraw(self) -> None:
        if not self.steps or self.clock() - self.started < self.delay:
            return
        self.stream.write(CLEAR + self.line())
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()


_reporter: Reporter | None = None
_channel: tuple[int, int] | None = None  # (read, write) ends of the pipe from workers
_send_fd: int | None = None  # in a worker: where its steps go


@contextlib.contextmanager
def showing(enabled: bool, stream: TextIO | None = None) -> Iterator[Reporter | None]:
    """Show progress for the work inside, if `enabled` and `stream` (stderr) is a terminal."""
    global _reporter
    stream = stream or sys.stderr
    if not enabled or not stream.isatty():
        yield None
        return
    _reporter = Reporter(stream)
    try:
        yield _reporter
    finally:
        _reporter.finish()
        _reporter = None


def step(what: str, doing: str) -> None:
    """Say what an edition is doing now: `step("print PDF", "laying out pages")`."""
    if _send_fd is not None:
        message = f"{what}\t{doing}\n".encode()[:PIPE_BUF]
        with contextlib.suppress(OSError):
            os.write(_send_fd, message)
    elif _reporter is not None:
        _reporter.update(what, doing)


def open_channel() -> int | None:
    """In the parent, before workers start: the read end of their progress pipe (or None)."""
    global _channel
    if _reporter is None or _channel is not None:
        return None
    _channel = os.pipe()
    return _channel[0]


def as_child() -> None:
    """In a new worker: send steps to the parent instead of drawing them."""
    global _reporter, _send_fd
    _reporter = None
    if _channel is not None:
        _send_fd = _channel[1]


def relay(read_fd: int) -> None:
    """In the parent: draw the steps the workers sent."""
    data = os.read(read_fd, 65536).decode(errors="replace")
    for line in data.splitlines():
        what, _, doing = line.partition("\t")
        if _reporter is not None and doing:
            _reporter.update(what, doing)


def redraw() -> None:
    if _reporter is not None:
        _reporter.redraw()


def close_channel() -> None:
    global _channel
    if _channel is not None:
        for fd in _channel:
            os.close(fd)
        _channel = None
