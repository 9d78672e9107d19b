"""The one path every command that makes files takes: request → plan → runner, inside the
build's time limit, with progress on a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbook.build import limits, progress
from workbook.build.plan import make_plan
from workbook.build.request import Request
from workbook.build.runner import Written, run
from workbook.writers.warnings import show_warnings


@dataclass(frozen=True)
class BuildReport:
    written: tuple[Written, ...]
    seconds: float

    def summary(self, relative_to: Path) -> str:
        parts = [f"{_display(w.path, relative_to)} ({w.detail})" for w in self.written]
        return f"Wrote {', '.join(parts)} in {self.seconds:.1f} s."


def build(
    request: Request, show_progress: bool = False, say: Callable[[str], None] | None = None
) -> BuildReport:
    """Every file the request asks for; nothing is written if any problem is found. `say`
    hears what a client build will make, before it starts."""
    started = time.perf_counter()
    show_warnings(request.verbose)
    with progress.showing(show_progress), limits.time_limit(limits.BUILD_SECONDS, "the build"):
        plan = make_plan(request)
        if say is not None and plan.preview:
            say(plan.preview)
        written = run(plan, progress.step)
    return BuildReport(written=written, seconds=time.perf_counter() - started)


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
