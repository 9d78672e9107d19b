"""Where a cold build's time goes: one serial build of the default workbook under cProfile.

    .venv/bin/python bench/profile_build.py

cProfile slows Python code down, so the shares matter more than the seconds. Used by run.py
for the profile in bench/results.md.
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (what, file the function is in, its name): cumulative time of every call.
STEPS = (
    ("import WeasyPrint", "weasyprint/__init__.py", "<module>"),
    ("load the sources (Markdown, YAML)", "workbook/sources/loader.py", "load_book"),
    ("render HTML (Jinja2), all editions", "workbook/render/__init__.py", "render"),
    (
        "parse the stylesheets (WeasyPrint), print + fillable",
        "workbook/writers/paged.py",
        "__init__",
    ),
    (
        "styles and boxes of each part (WeasyPrint)",
        "workbook/writers/partlayout.py",
        "build_context",
    ),
    ("lay out the parts' pages (WeasyPrint)", "workbook/writers/partlayout.py", "_paginate"),
    (
        "write PDFs (WeasyPrint): the parts, tagged, and margins",
        "weasyprint/document.py",
        "write_pdf",
    ),
    ("draw the margins: page numbers, running heads", "workbook/writers/folios.py", "draw_margins"),
    ("join the parts (pikepdf)", "workbook/writers/join.py", "join"),
    ("lay out a whole document (WeasyPrint), if any", "weasyprint/__init__.py", "render"),
    ("tidy the form fields (pikepdf)", "workbook/writers/acroform.py", "tidy_fields"),
    ("draw the EPUB cover (Pillow)", "workbook/writers/cover.py", "draw_cover"),
    ("package the EPUB (ebooklib)", "workbook/writers/epub.py", "write_epub"),
    ("write the web edition", "workbook/writers/html.py", "write"),
)


def profile(folder: Path, env: dict[str, str]) -> pstats.Stats:
    """Profile one cold, serial build of every default edition."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(data), "-m", "workbook", "build"]
    options = ["-p", str(ROOT), "-o", str(folder / "out"), "--quiet", "--no-cache"]
    serial = {**env, "WORKBOOK_JOBS": "1"}
    subprocess.run([*command, *options], check=True, env=serial, cwd=folder)
    return pstats.Stats(str(data))


def cumulative(stats: pstats.Stats, file: str, name: str) -> float:
    return sum(
        row[3]
        for (path, _, function), row in stats.stats.items()  # type: ignore[attr-defined]
        if path.replace(os.sep, "/").endswith(file) and function == name
    )


def profile_table(folder: Path, env: dict[str, str]) -> list[str]:
    stats = profile(folder, env)
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [
        "## Profile of one cold build",
        "",
        "Every default edition, one process (`WORKBOOK_JOBS=1`), under cProfile "
        f"(which slows Python code down: {total:.1f} s in all). Steps overlap where one calls "
        "another (the margins are drawn and written with WeasyPrint too; styles and boxes "
        "count the margins' page too).",
        "",
        "| step | seconds | share |",
        "|---|---|---|",
    ]
    for what, file, name in STEPS:
        seconds = cumulative(stats, file, name)
        lines.append(f"| {what} | {seconds:.2f} | {seconds / total:.0%} |")
    return lines


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as work:
        print("\n".join(profile_table(Path(work), dict(os.environ))))
