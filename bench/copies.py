"""How much faster a batch of client copies is than building each copy on its own.

    .venv/bin/python bench/copies.py [N]        (N clients, default 20)

Measures in one run: a single client's build (print + EPUB; the median of 3), then one batch of
N clients. Prints the batch's time as a share of N single builds. No thresholds: a number to
watch, not a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbook.build import Choices, build
from workbook.editions import Edition
from workbook.sources.clients import Client

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = (Edition("print"), Edition("epub"))


def timed(clients: tuple[Client, ...]) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        build(ROOT, Path(out), EDITIONS, Choices(clients=clients))
        return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    timed((Client("Warm Up"),))  # imports and font caches, not counted
    single = statistics.median(timed((Client(f"Client {i}"),)) for i in range(3))
    batch = timed(tuple(Client(f"Client {i:02d}") for i in range(1, count + 1)))
    print(f"one single-client build:      {single:6.2f} s")
    print(f"{count} single builds (estimate): {single * count:6.2f} s")
    print(f"one batch of {count} copies:      {batch:6.2f} s")
    print(f"batch / {count} single builds:   {batch / (single * count):6.2f}")
    print(f"each extra copy costs:        {(batch - single) / (count - 1) / single:6.2f} x a build")


if __name__ == "__main__":
    main()
