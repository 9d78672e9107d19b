"""Tasks in parallel processes, one per core: each runs in a forked child that starts with
everything already loaded (the Book, the templates, WeasyPrint), so nothing is sent to it; only
its small result comes back, pickled, through a pipe.

A WorkbookError in a child is raised again here with the same problems, an OSError (a full
disk) with the same error; anything else that goes wrong in a child is raised as a
WorkerFailed carrying the child's traceback. If this process stops (an error, Ctrl-C), the
children still running are stopped and reaped first.
Without fork, with one core or one task, the tasks run here, one after another.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import re
import selectors
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from workbook.build import progress
from workbook.errors import Problem, WorkbookError
from workbook.notes import note

T = TypeVar("T")
STOPPING = {signal.SIGINT, signal.SIGTERM}
JOBS_VARIABLE = "WORKBOOK_JOBS"
QUEUE_BYTES = 60_000  # run_each's queue of items, written at once: less than a pipe holds


class WorkerFailed(RuntimeError):
    """A bug, not bad content: a child process failed with something other than a
    WorkbookError."""


def jobs() -> int:
    """How many processes at once: WORKBOOK_JOBS if set, else the cores this process may use.
    A value that is not a whole number from 1 up is ignored, with a note."""
    chosen = os.environ.get(JOBS_VARIABLE, "").strip()
    if re.fullmatch("[0-9]{1,4}", chosen) and int(chosen) >= 1:  # ASCII: '²'.isdigit() too
        return int(chosen)
    if chosen:
        note(
            f"{JOBS_VARIABLE}={chosen[:20]!r} is not a number of processes (1, 2, ...); "
            "using one per core instead"
        )
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and jobs() > 1


# Run in a worker just before it ends with os._exit (which runs no clean-up of its own):
# what a worker made for itself and must not leave behind (WeasyPrint's font folders).
_AT_CHILD_EXIT: list[Callable[[], None]] = []


def at_child_exit(clean_up: Callable[[], None]) -> None:
    if clean_up not in _AT_CHILD_EXIT:
        _AT_CHILD_EXIT.append(clean_up)


def run_all(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Every task's result, in the order of `tasks`."""
    if len(tasks) <= 1 or not can_fork():
        return [task() for task in tasks]
    return _Pool(jobs()).run(tasks)


def run_each(work: Callable[[int], T], items: Sequence[int]) -> dict[int, T]:
    """`work(item)` for every item, shared out among a few worker processes that each take
    the next item as they finish one (so a long item does not hold up the others), in the
    order given: the longest first balances best. Fewer processes than items: each starts
    once, and what it loads (fonts, caches) serves every item it takes."""
    if len(items) <= 1 or not can_fork() or len(items) * 4 > QUEUE_BYTES:
        return {item: work(item) for item in items}
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b"".join(item.to_bytes(4, "big") for item in items))
        os.close(write_fd)
        write_fd = -1

        def drain() -> dict[int, T]:
            done = {}
            while chunk := os.read(read_fd, 4):  # whole items: all were written at once
                item = int.from_bytes(chunk, "big")
                done[item] = work(item)
            return done

        results = run_all([drain] * min(jobs(), len(items)))
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    return {item: result for done in results for item, result in done.items()}


@dataclass
class _Child:
    index: int
    fd: int
    data: bytearray = field(default_factory=bytearray)


class _Pool:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running: dict[int, _Child] = {}  # pid -> child
        self.selector = selectors.DefaultSelector()

    def run(self, tasks: Sequence[Callable[[], T]]) -> list[T]:
        results: dict[int, T] = {}
        waiting = list(enumerate(tasks))
        events = progress.open_channel()
        if events is not None:
            self.selector.register(events, selectors.EVENT_READ, None)
        # Objects made so far are left alone by the collector, here and in the children: a
        # collection would touch (and so copy) every page of memory the children share.
        gc.freeze()
        try:
            while waiting or self.running:
                while waiting and len(self.running) < self.limit:
                    self._start(*waiting.pop(0))
                self._collect(results, events)
        finally:
            self._stop_all()
            progress.close_channel()
            self.selector.close()
            gc.unfreeze()
        return [results[index] for index in range(len(tasks))]

    def _start(self, index: int, task: Callable[[], Any]) -> None:
        read_fd, write_fd = os.pipe()
        # Ctrl-C or a kill held back until the child is on the list of those to stop: one
        # that came between fork and the list would leave a child working on, unknown.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        try:
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # the child: run, send the outcome, and leave without any clean-up
                os.close(read_fd)
                _child_main(task, write_fd, held, parent)
            os.close(write_fd)
            self.running[pid] = _Child(index, read_fd)
            self.selector.register(read_fd, selectors.EVENT_READ, pid)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def _collect(self, results: dict[int, Any], events: int | None) -> None:
        """Read what is ready; a child whose pipe closed has finished: reap it."""
        for key, _ in self.selector.select(timeout=progress.TICK):
            if key.data is None and events is not None:
                progress.relay(events)
                continue
            child = self.running[key.data]
            chunk = os.read(child.fd, 65536)
            if chunk:
                child.data += chunk
                continue
            self._finish(key.data, child, results)
        progress.redraw()

    def _finish(self, pid: int, child: _Child, results: dict[int, Any]) -> None:
        # Reaped before it leaves the list: a Ctrl-C in between would leave it unreaped.
        _, status = os.waitpid(pid, 0)
        del self.running[pid]
        self.selector.unregister(child.fd)
        os.close(child.fd)
        outcome = pickle.loads(child.data) if child.data else ("crash", _ended(status))
        kind, value = outcome
        if kind == "ok":
            results[child.index] = value
        elif kind == "problems":
            raise WorkbookError(cast(tuple[Problem, ...], value))
        elif kind == "os":
            raise OSError(*value)
        else:
            raise WorkerFailed(str(value))

    def _stop_all(self) -> None:
        for pid, child in list(self.running.items()):
            # Its pipe first: a child blocked writing a large outcome nobody will read gets
            # EPIPE and ends, instead of waiting for this waitpid forever.
            with contextlib.suppress(OSError):
                os.close(child.fd)
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.running.clear()


def _child_main(
    task: Callable[[], Any], write_fd: int, mask: set[int | signal.Signals], parent: int
) -> None:
    code = 0
    try:
        # Ctrl-C reaches every process: the parent stops its children, and they theirs.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _stop)
        _stop_with_parent(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        progress.as_child()
        try:
            outcome: tuple[str, Any] = ("ok", task())
        except (SystemExit, KeyboardInterrupt):
            raise  # stopped (_stop): the parent reads no outcome; end at once
        except WorkbookError as error:
            outcome = ("problems", error.problems)
        except OSError as error:  # a full disk, say: the caller says so plainly
            outcome = ("os", (error.errno, error.strerror, error.filename))
        except BaseException:
            outcome = ("crash", traceback.format_exc())
        data = pickle.dumps(outcome)
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
    except BaseException:
        code = 1
    finally:
        for clean_up in _AT_CHILD_EXIT:
            with contextlib.suppress(BaseException):
                clean_up()
        os._exit(code)  # never return into the parent's code (pytest, click, staging)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _stop_with_parent(parent: int) -> None:
    """A worker whose parent is gone (`kill -9`) stops too, instead of finishing files nobody
    will move into place: on Linux the kernel sends it SIGTERM; elsewhere a thread looks
    once a second. (Leftovers of a parent that went are swept by the next build: staging.)"""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent:  # gone before the request was made
                raise SystemExit(128 + signal.SIGTERM)
            return
    watch = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watch.start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through run_all, which stops this one's children


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"a worker process was stopped by signal {os.WTERMSIG(status)}"
    return f"a worker process ended with code {os.waitstatus_to_exitcode(status)} and no result"
