"""What a cold build cannot go below: the start-up and WeasyPrint's import (one core, before
anything is laid out), the parts' layouts (shared out among the cores, but never less than the
longest), the margins and join beside the EPUB. Measured in one process, without a profiler.

    .venv/bin/python bench/limits.py

Used by run.py for the paragraph under the profile in bench/results.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process: times the imports, then a serial print + EPUB build, part by part.
SCRIPT = r"""
import json, sys, time
started = time.perf_counter()
import workbook.build.pipeline, workbook.writers.epub
based = time.perf_counter()
import weasyprint
imported = time.perf_counter()
from pathlib import Path
from workbook.writers import apart, epub, layouts
times = {"parts": [], "margins": 0.0, "join": 0.0, "epub": 0.0, "render": 0.0}

def timed(module, name, key, label=None):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent = time.perf_counter() - begun
            if key == "parts":
                times["parts"].append(spent)
            else:
                times[key] += spent
    setattr(module, name, wrapper)

timed(apart, "lay_out_part", "parts")
timed(apart, "draw_margins", "margins")
timed(apart, "join", "join")
timed(epub, "write", "epub")
timed(layouts.Layouts, "request", "render")
from workbook.build.pipeline import build
from workbook.build.request import Request
built = time.perf_counter()
build(Request(Path(sys.argv[1]), Path(sys.argv[2]), ("print", "epub"), use_cache=False))
times.update(base=based - started, weasyprint=imported - based, build=time.perf_counter() - built)
print(json.dumps(times))
"""


def measure(env: dict[str, str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        serial = {**env, "WORKBOOK_JOBS": "1"}
        command = [sys.executable, "-c", SCRIPT, str(ROOT), str(Path(folder) / "out")]
        done = subprocess.run(command, env=serial, check=True, capture_output=True, text=True)
        start = [sys.executable, "-c", "pass"]
        begun = os.times().elapsed
        subprocess.run(start, env=env, check=True)
        python = os.times().elapsed - begun
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["python"] = python
    return result


def limit_lines(env: dict[str, str], cores: int, pandoc: float) -> list[str]:
    times = measure(env)
    parts = [float(t) for t in times["parts"]]  # type: ignore[union-attr]
    startup = float(times["python"]) + float(times["base"])  # type: ignore[arg-type]
    weasy = float(times["weasyprint"])  # type: ignore[arg-type]
    render = float(times["render"])  # type: ignore[arg-type]
    tail = max(float(times["margins"]) + float(times["join"]), float(times["epub"]))  # type: ignore[arg-type]
    shared = max(sum(parts) / cores, max(parts))
    floor = startup + weasy + render + shared + tail
    return [
        "### What stands between a cold build and the limit",
        "",
        f"Measured in one process, without the profiler, for the print PDF and the EPUB: "
        f"starting Python and loading workbook takes {startup:.2f} s and importing WeasyPrint "
        f"{weasy:.2f} s, on one core, before anything can be laid out; rendering and reading "
        f"the stylesheet {render:.2f} s. The print edition's {len(parts)} parts take "
        f"{sum(parts):.2f} s to lay out and write in all, the longest {max(parts):.2f} s: on "
        f"{cores} cores, {shared:.2f} s at best. Then the margins and the join "
        f"({float(times['margins']) + float(times['join']):.2f} s) beside the EPUB "  # type: ignore[arg-type]
        f"({float(times['epub']):.2f} s). So this build cannot take less than about "  # type: ignore[arg-type]
        f"{floor:.2f} s here, {floor / pandoc:.2f} times pandoc's pair ({pandoc:.2f} s): "
        "the import and the parts' layouts are most of it, and more cores would only shrink "
        "the second, down to the longest part.",
    ]


if __name__ == "__main__":
    print(json.dumps(measure(dict(os.environ)), indent=1))
