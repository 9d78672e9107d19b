"""The page audit: lays out every paper variant of a workbook and lists the pages a book
designer would send back.

    python scripts/page-audit.py [PROJECT] [--png FOLDER] [--only NAME ...]

It fails (exit 1) on a chapter page with fewer than six lines, a worksheet block split across
pages (a question and its lines, a scale, a log entry or row, a section's heading with what
follows it), a heading or label last on a page, a table row or list item alone on a page, a
line longer than 75 characters, or text closer than 10 mm to the sheet's edge. With --png, every
page of every variant is drawn at 60 dpi for a person to look at.

It reads WeasyPrint's laid-out boxes (as workbook/render/pages.py does for the EPUB's page
list): each box knows the element it comes from, so a block seen on two pages was split.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook.editions import Edition
from workbook.render import environment, render
from workbook.sources.loader import load_book
from workbook.writers.fetcher import SafeFetcher
from workbook.writers.handoutcopies import filled_whole
from workbook.writers.paged import PageMaker

MM = 96 / 25.4  # CSS px in a millimetre
EDGE_MM = 10
MAX_CHARS = 75
MIN_LINES = 6
# Blocks that must stay on one page, by class.
WHOLE = {"field-question", "field-notes", "field-scale", "entry-part", "field-date", "reflect"}
WHOLE |= {"content-note"}
WHOLE_TAGS = {"tr"}  # a table row (a scale's, a grid's, a log's)
HEADS = {"h1", "h2", "h3", "h4"}
HEAD_CLASSES = {"label", "intro", "entry-head", "scale-key", "helplines-region", "field-date"}
# Kinds of page, by the class of the part they belong to.
KINDS = ("cover", "toc", "copyright-page", "chapter", "worksheet", "notes-page", "back-page")


@dataclass
class Page:
    number: int
    kind: str = ""
    lines: list[tuple[str, float, float, float, float, bool]] = field(default_factory=list)
    elements: list[Any] = field(default_factory=list)  # in order, each once


def variants(book: Any) -> Iterator[tuple[str, Edition]]:
    sheets = tuple(p.id for p in book.parts if p.kind == "worksheet")
    for paper in ("letter", "a4", "a5"):
        yield f"print-{paper}", Edition.make("print", paper)
        yield f"print-{paper}-large", Edition.make("print", paper, ["large_print"])
    yield "fillable-letter", Edition.make("fillable", "letter")
    yield "fillable-a4", Edition.make("fillable", "a4")
    for paper in ("letter", "a4", "a5"):
        yield f"handout-{paper}", Edition.make("handout", paper, parts=sheets, copies=2)
    yield "handout-a5-large", Edition.make("handout", "a5", ["large_print"], parts=sheets)


def lay_out(book: Any, edition: Edition) -> Any:
    rendered = render(book, edition, environment(book.project_dir))
    roots = (book.project_dir,)
    from workbook.resources import bundled_styles, bundled_templates, font_dir

    fetcher = SafeFetcher((*roots, bundled_templates(), bundled_styles(), font_dir()), set())
    maker = PageMaker(rendered, book.project_dir / "chapters", fetcher)
    # Worksheets as a build lays them out: last pages filled, openings kept with their scales;
    # a handout's copies padded with their notes pages as the build pads them.
    return filled_whole(maker, rendered.documents[0], edition.medium == "form")


def read_pages(layout: Any) -> list[Page]:
    pages = []
    for number, laid in enumerate(layout.pages, start=1):
        page = Page(number)
        _walk(laid._page_box, page, set(), "", False)
        pages.append(page)
    return pages


def _walk(box: Any, page: Page, seen: set[int], kind: str, margin: bool) -> None:
    """Note the page's elements (in order, each once) and its lines of text."""
    from weasyprint.formatting_structure import boxes

    margin = margin or hasattr(box, "at_keyword")  # a running head, a folio
    element = getattr(box, "element", None)
    classes = set((element.get("class") or "").split()) if element is not None else set()
    kind = next((k for k in KINDS if k in classes), kind)
    if element is not None and id(element) not in seen and not margin:
        seen.add(id(element))
        page.elements.append(element)
    if isinstance(box, boxes.LineBox):
        texts = list(_texts(box))
        text = "".join(t.text for t in texts).strip()
        if text:
            x0 = min(t.position_x for t in texts)
            x1 = max(t.position_x + t.width for t in texts)
            y0 = min(t.position_y for t in texts)
            y1 = max(t.position_y + t.height for t in texts)
            page.lines.append((text, x0, y0, x1, y1, margin))
            if not margin:
                page.kind = page.kind or kind
        return
    for child in getattr(box, "children", ()):
        _walk(child, page, seen, kind, margin)


def _texts(box: Any) -> Iterator[Any]:
    text = getattr(box, "text", None)
    if text is not None:
        yield box
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def audit(pages: list[Page], width: float, height: float) -> list[str]:
    problems: list[str] = []
    where: dict[int, list[int]] = defaultdict(list)
    elements: dict[int, Any] = {}
    for page in pages:
        for element in page.elements:
            where[id(element)].append(page.number)
            elements[id(element)] = element
    parents = {id(child): element for element in elements.values() for child in element}
    for page in pages:
        n = page.number
        body = [line for line in page.lines if not line[5]]
        if page.kind == "chapter" and len(body) < MIN_LINES:
            problems.append(f"p.{n}: a chapter page with {len(body)} lines")
        for text, x0, y0, x1, y1, margin in page.lines:
            text = text.replace(" .", "")  # a contents entry's leader
            if len(text) > MAX_CHARS and not margin:
                problems.append(f"p.{n}: a line of {len(text)} characters: {text[:40]}…")
            edge = min(x0, y0, width - x1, height - y1) / MM
            if edge < EDGE_MM:
                problems.append(f"p.{n}: text {edge:.1f} mm from the edge: {text[:40]}")
        last = page.elements[-1] if page.elements else None
        if last is not None and n < len(pages):
            for element in _ancestry(last, parents):
                tag = element.tag.rpartition("}")[2]
                classes = set((element.get("class") or "").split())
                if tag in HEADS or classes & HEAD_CLASSES:
                    problems.append(f"p.{n}: a heading or label last on the page: {_text(element)}")
                    break
                if tag in ("section", "body"):
                    break
    parents = {id(child): element for element in elements.values() for child in element}
    for ident, numbers in where.items():
        element = elements[ident]
        tag = element.tag.rpartition("}")[2]
        classes = set((element.get("class") or "").split())
        head = _tag(parents.get(id(element), element)) == "thead"  # repeated on each page
        whole = classes & WHOLE and "scale-split" not in classes  # let split: header repeats
        if len(set(numbers)) > 1 and (whole or tag in WHOLE_TAGS) and not head:
            problems.append(f"p.{numbers[0]} to {numbers[-1]}: a block split: {_text(element)}")
        if len(set(numbers)) > 1 and tag in ("table", "ul", "ol"):
            problems += _alone(element, numbers, where)
    return problems


def _alone(element: Any, numbers: list[int], where: dict[int, list[int]]) -> list[str]:
    """A table's rows or a list's items: one alone on a page of a block that spans pages."""
    tag = element.tag.rpartition("}")[2]
    if tag == "table":
        items = [row for body in element if _tag(body) == "tbody" for row in body]
    else:
        items = [item for item in element if _tag(item) == "li"]
    counts = Counter(where[id(item)][0] for item in items if where.get(id(item)))
    word = "table row" if tag == "table" else "list item"
    return [f"p.{page}: one {word} alone" for page, count in counts.items() if count == 1]


def _tag(element: Any) -> str:
    return str(element.tag).rpartition("}")[2]


def _ancestry(element: Any, parents: dict[int, Any]) -> Iterator[Any]:
    while element is not None:
        yield element
        element = parents.get(id(element))


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())[:50]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=".")
    parser.add_argument("--png", type=Path, help="draw every page into this folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every problem")
    parser.add_argument("--only", nargs="*", default=[], help="only these variants")
    args = parser.parse_args()
    book = load_book(Path(args.project).resolve())
    failed = 0
    for name, edition in variants(book):
        if args.only and name not in args.only:
            continue
        layout = lay_out(book, edition)
        size = layout.pages[0]
        problems = audit(read_pages(layout), size.width, size.height)
        failed += len(problems)
        kinds = Counter(problem.split(": ")[1].split(" of ")[0][:32] for problem in problems)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        print(f"{name}: {len(layout.pages)} pages, {len(problems)} problems ({summary})")
        for problem in problems if args.verbose else []:
            print(f"  {problem}")
        if args.png:
            draw(layout, args.png / name)
    print(f"{failed} problems in all")
    return 1 if failed else 0


def draw(layout: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        pdf = Path(temp) / "pages.pdf"
        layout.write_pdf(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "p")], check=True)


if __name__ == "__main__":
    sys.exit(main())
