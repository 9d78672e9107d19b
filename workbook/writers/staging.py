"""Nothing half-written: outputs go to temporary files beside their targets and are moved into
place together, only when every one of them is complete."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from workbook.errors import WorkbookError
from workbook.safefiles import make_writable


class Staging:
    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.pending: list[tuple[Path, Path]] = []

    def temp_for(self, name: str, folder: Path | None = None) -> Path:
        """A temporary file beside `name` in the output folder, or in `folder` (made if need
        be): the index of client copies lives in a folder of its own."""
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            sweep_stale(folder)
        where = folder or self.output_dir
        target = where / name
        temp = where / f".{name}.{os.getpid()}.tmp"
        self.pending.append((temp, target))
        return temp

    def commit(self) -> list[Path]:
        for temp, target in self.pending:
            if temp.is_dir() and not temp.is_symlink():
                _replace_folder(temp, target)
            else:
                os.replace(temp, target)
        done = [target for _, target in self.pending]
        self.pending = []
        return done

    def discard(self) -> None:
        for temp, _ in self.pending:
            _remove(temp)
        self.pending = []


def _replace_folder(temp: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    _remove(old)  # left by an earlier build that was stopped at this very step
    if os.path.lexists(target):
        os.replace(target, old)
    try:
        os.replace(temp, target)
    except OSError:
        if os.path.lexists(old):
            os.replace(old, target)  # the old site back where it was
        raise
    _remove(old)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


# What staging leaves in the output folder while it works, named with its process id: a
# temporary file or site (`.NAME.PID.tmp`, a booklet's `.NAME.PID.tmp.pages`), a site put
# aside while the new one moves in (`.NAME.PID.old`), the write probe. NAME is one of ours.
STAGED = re.compile(
    r"^\.(?:.+(?:\.pdf|\.epub|\.csv|-site)\.(?P<pid>[0-9]{1,10})\.(?:tmp(?:\.pages)?|old)"
    r"|workbook-write-test\.(?P<probe>[0-9]{1,10}))$"
)


def sweep_stale(output_dir: Path) -> list[Path]:
    """Remove what a build that was killed (`kill -9`, a power cut) left staged: names of
    ours whose process is no longer running. A running one's (another build writing here
    now) and every other file stay. Returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(output_dir):
            found = STAGED.match(entry.name)
            if found is None:
                continue
            pid = int(found.group("pid") or found.group("probe"))
            if pid > 1 and not running(pid):
                _remove(Path(entry.path))
                removed.append(Path(entry.path))
    return removed


def running(pid: int) -> bool:
    """Whether process `pid` is alive (a zombie, ended but not yet reaped, is not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's: alive
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # no /proc here: alive, as far as we can tell
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


@contextlib.contextmanager
def staging(output_dir: Path) -> Iterator[Staging]:
    try:
        make_writable(output_dir)
    except OSError as error:
        message = f"cannot write here ({error.strerror}); choose another folder with -o"
        raise WorkbookError.one(output_dir, message) from None
    sweep_stale(output_dir)
    stage = Staging(output_dir)
    try:
        with _terminate_as_exit():
            yield stage
    except OSError as error:  # a full disk, a folder that went away
        stage.discard()
        message = f"could not write the files here ({error.strerror}); earlier files are kept"
        raise WorkbookError.one(output_dir, message) from None
    except BaseException:  # Ctrl-C and termination too: earlier outputs stay, temp files go
        stage.discard()
        raise


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """A polite `kill` (SIGTERM) unwinds like Ctrl-C, so temporary files are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
