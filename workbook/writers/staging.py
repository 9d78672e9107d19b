"""Nothing half-written: outputs go to temporary files beside their targets and are moved into
place together, only when every one of them is complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from workbook.errors import WorkbookError


class Staging:
    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.pending: list[tuple[Path, Path]] = []

    def temp_for(self, name: str) -> Path:
        target = self.output_dir / name
        temp = self.output_dir / f".{name}.{os.getpid()}.tmp"
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


@contextlib.contextmanager
def staging(output_dir: Path) -> Iterator[Staging]:
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        probe = output_dir / f".workbook-write-test.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        message = f"cannot write here ({error.strerror}); choose another folder with -o"
        raise WorkbookError.one(output_dir, message) from None
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
