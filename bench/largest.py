"""What the largest input the bounds allow costs to build, against the default workbook.

    .venv/bin/python bench/largest.py [--skip-workbook]

Builds every default edition (print, fillable, EPUB; --no-cache) of: the default workbook; a
small workbook holding the largest worksheet `workbook/sources/bounds.py` allows (30 sections,
60 fields: 10 full logs, 5 scales of 60 items, 45 notes of 30 lines); and (unless
--skip-workbook) the largest workbook, every workbook-wide bound at its limit. Prints wall
time and peak memory of each, and the ratio to the default workbook measured in the same run:
the bounds are meant to keep the largest allowed input far inside the build's 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook.sources import bounds  # noqa: E402

WORKBOOK = [sys.executable, "-m", "workbook"]


def largest_worksheet(title: str = "The largest worksheet", logs: int = bounds.LOGS.most) -> str:
    """Every worksheet bound at its limit (`logs` fewer, to keep a workbook's logs in bounds)."""
    columns = [{"label": f"Column {c + 1}", "prompt": "What happened?"} for c in range(8)]
    fields: list[dict[str, object]] = [
        {"type": "log", "label": f"Log {i + 1}", "rows": 12, "columns": columns}
        for i in range(logs)
    ]
    scales = bounds.SHEET_ITEMS.most // bounds.ITEMS.most
    items = [f"A statement, number {j + 1}, about how it feels" for j in range(bounds.ITEMS.most)]
    fields += [
        {"type": "scale", "label": f"Scale {i + 1}", "points": 7, "items": items}
        for i in range(scales)
    ]
    notes = bounds.FIELDS.most - len(fields)
    fields += [{"type": "notes", "label": f"Notes {i + 1}", "lines": 30} for i in range(notes)]
    count = bounds.SECTIONS.most
    sections = [{"heading": f"Section {n + 1}", "fields": fields[n::count]} for n in range(count)]
    sheet = {
        "title": title,
        "instructions": "Every field a worksheet may hold.",
        "sections": sections,
    }
    return yaml.dump(sheet, Dumper=_Plain, sort_keys=False)


class _Plain(yaml.SafeDumper):
    """Writes shared lists out in full: workbook refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def largest_chapter(blocks: int, marks: int, prompts: int) -> str:
    """`blocks` paragraphs (some with marks), then `prompts` reflection prompts of 20 lines."""
    words = "Some plain words that fill a line of a page and then some more of them."
    marked = "A *few* **marked** words. " * 5  # 10 marks
    body = []
    for n in range(blocks - prompts):
        body.append(marked if n < marks // 10 else words)
    body += ["::: reflect lines=20\nWhat do you notice?\n:::"] * prompts
    return "---\ntitle: A long chapter\n---\n\n" + "\n\n".join(body) + "\n"


def project(folder: Path, sheets: int, chapters: int) -> Path:
    """A workbook of `chapters` long chapters and `sheets` largest worksheets."""
    (folder / "chapters").mkdir(parents=True)
    blocks = min(bounds.BLOCKS.most, bounds.BOOK_BLOCKS.most // max(chapters, 1))
    marks = min(bounds.MARKS.most, bounds.BOOK_MARKS.most // max(chapters, 1))
    prompts = min(bounds.PROMPTS.most, bounds.BOOK_PROMPTS.most // max(chapters, 1))
    ids = []
    for n in range(chapters):
        ids.append(f"chapter-{n + 1}")
        text = largest_chapter(blocks, marks, prompts)
        (folder / "chapters" / f"{ids[-1]}.md").write_text(text, encoding="utf-8")
    logs = min(bounds.LOGS.most, bounds.BOOK_LOGS.most // max(sheets, 1))
    for n in range(sheets):
        ids.append(f"sheet-{n + 1}")
        text = largest_worksheet(f"Worksheet {n + 1}", logs)
        (folder / "chapters" / f"{ids[-1]}.yaml").write_text(text, encoding="utf-8")
    listed = ", ".join(f'"{i}"' for i in ids)
    config = f'title = "Largest"\ndate = 2026-01-01\ncontents = [{listed}]\n'
    (folder / "workbook.toml").write_text(config, encoding="utf-8")
    return folder


def build(project_dir: Path, out: Path) -> tuple[float, float, str]:
    """Wall seconds, peak MB of the largest process, and the summary line."""
    command = [*WORKBOOK, "build", "-p", str(project_dir), "-o", str(out), "--no-cache"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    output = (child.stdout.read() if child.stdout else b"").decode()
    errors = (child.stderr.read() if child.stderr else b"").decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{errors}")
    return seconds, usage.ru_maxrss / 1024, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-workbook", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        os.environ["WORKBOOK_CACHE_DIR"] = str(base / "cache")
        rows = [("the default workbook", ROOT)]
        rows.append(("the largest worksheet", project(base / "sheet", sheets=1, chapters=0)))
        if not args.skip_workbook:
            sheets = bounds.BOOK_FIELDS.most // bounds.FIELDS.most
            chapters = max(
                -(-bounds.BOOK_BLOCKS.most // bounds.BLOCKS.most),
                -(-bounds.BOOK_PROMPTS.most // bounds.PROMPTS.most),
            )
            rows.append(("the largest workbook", project(base / "book", sheets, chapters)))
        results = [(label, *build(path, base / f"out-{n}")) for n, (label, path) in enumerate(rows)]
    first = results[0][1]
    print(f"load average: {' / '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("| input | time | / default | peak memory | what it wrote |")
    print("|---|---|---|---|---|")
    for label, seconds, peak, summary in results:
        print(f"| {label} | {seconds:.1f} s | {seconds / first:.1f} | {peak:.0f} MB | {summary} |")


if __name__ == "__main__":
    main()
