"""What `workbook check` finds that a build would quietly let through: a chapter file that is
not in `contents` (no edition shows it), the sample's placeholder text from `workbook new`
left in the settings, the brand or a chapter, and pictures far larger than they print; with
`--verbose`, WeasyPrint's own warnings about the stylesheets."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from workbook.editions import Edition, variants
from workbook.errors import Problem
from workbook.model import Book, Chapter
from workbook.render import Environment, render
from workbook.sources.loader import CHAPTERS_DIR
from workbook.writers.logo import PRINTED_MM, print_pixels

# The sample's placeholders (workbook/scaffold): settings and brand values, and the words of
# its sample chapter that tell how to write one.
SAMPLE_SETTINGS = {
    "title": "My workbook",
    "subtitle": "A short guide and worksheets",
    "author": "Your name or your practice",
}
SAMPLE_BRAND = {
    "practice": "Your practice",
    "clinician": "Your name",
    "credentials": "Your credentials",
    "phone": "555-0100",
    "email": "hello@example.org",
    "web": "example.org",
}
SAMPLE_LINES = (
    "This is your first chapter.",
    "Use `##` for headings.",
    "A reflection question. On paper it gets four lines to write on.",
    "A bigger question gets more lines.",
)
TEXT_WIDTH_MM = 160  # the widest a picture prints (a Letter or A4 page's text)
MAX_PPI = 600
LARGE_BYTES = 5_000_000


def unlisted_parts(book: Book) -> list[Problem]:
    """Chapter and worksheet files in chapters/ that `contents` does not list."""
    listed = {part.source.name for part in book.parts}
    folder = book.project_dir / CHAPTERS_DIR
    found = sorted(p for p in folder.glob("*") if p.suffix in (".md", ".yaml", ".yml"))
    return [
        Problem(
            f"{CHAPTERS_DIR}/{path.name}",
            f"is not in 'contents' in workbook.toml, so no edition shows it; add "
            f'"{path.stem}" to contents, or move the file out of {CHAPTERS_DIR}/',
        )
        for path in found
        if path.name not in listed and path.is_file()
    ]


def sample_text(book: Book, brand_file: str = "brand.toml") -> list[Problem]:
    problems = []
    meta = {"title": book.meta.title, "subtitle": book.meta.subtitle, "author": book.meta.author}
    for key, sample in SAMPLE_SETTINGS.items():
        if meta[key] == sample:
            problems.append(Problem("workbook.toml", _left(key, sample)))
    if book.brand is not None:
        for key, sample in SAMPLE_BRAND.items():
            if getattr(book.brand, key) == sample:
                problems.append(Problem(brand_file, _left(key, sample)))
    for part in book.parts:
        if isinstance(part, Chapter):
            problems += _sample_lines(part.source, book.project_dir)
    return problems


def _left(key: str, sample: str) -> str:
    return f"'{key}' is still the sample's \"{sample}\" from `workbook new`; write your own"


def _sample_lines(path: Path, project_dir: Path) -> list[Problem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    file = path.relative_to(project_dir).as_posix()
    for number, line in enumerate(lines, start=1):
        if any(sample in line for sample in SAMPLE_LINES):
            message = (
                "this is the sample chapter's text from `workbook new`; write your own "
                "(or take the part out of contents)"
            )
            return [Problem(file, message, number)]
    return []


def oversized_pictures(book: Book) -> list[str]:
    """Notes (a build copes) for pictures with far more pixels or bytes than they print."""
    notes = []
    for part in book.parts:
        if isinstance(part, Chapter):
            for media in part.media:
                notes += _picture_note(media.path, media.name, TEXT_WIDTH_MM, None)
    logo = book.brand.logo if book.brand else None
    if logo is not None and logo.suffix.lower() != ".svg":
        notes += _picture_note(logo, f"the logo {logo.name}", PRINTED_MM[0], PRINTED_MM[1])
    return notes


def _picture_note(path: Path, name: str, width_mm: float, height_mm: float | None) -> list[str]:
    from PIL import Image  # Pillow: only for the pictures' sizes

    try:
        size = path.stat().st_size
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # the loader reported a picture it cannot read
        return []
    if height_mm is not None:
        wanted = print_pixels(width, height)
        if width > wanted[0]:
            return [
                f"{name} is {width} x {height} pixels ({size / 1e6:.1f} MB); it prints at "
                f"most {width_mm:g} x {height_mm:g} mm, so the outputs carry a copy of "
                f"{wanted[0]} x {wanted[1]} pixels (600 ppi)"
            ]
        return []
    most = round(width_mm / 25.4 * MAX_PPI)
    if width > most or size > LARGE_BYTES:
        return [
            f"{name} is {width} x {height} pixels ({size / 1e6:.1f} MB); it prints at most "
            f"{width_mm:g} mm wide, where {most} pixels are plenty: a smaller copy keeps the "
            "PDF and the EPUB small"
        ]
    return []


def weasyprint_warnings(book: Book, env: Environment) -> list[str]:
    """What WeasyPrint says when it reads each paged edition's stylesheet (values it ignores,
    properties it does not support), as notes."""
    from weasyprint import CSS  # WeasyPrint: only with --verbose

    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # The same rule is read in every edition's stylesheet, at another line each time.
            text = re.sub(r" at [0-9]+:[0-9]+,", ",", record.getMessage())
            message = f"WeasyPrint: {text}"
            if message not in said:
                said.append(message)

    logger = logging.getLogger("weasyprint")
    handler, level = Collect(logging.WARNING), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        for edition in _paged(variants()):
            CSS(string=render(book, edition, env).css)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return said


def _paged(editions: Iterable[Edition]) -> list[Edition]:
    return [edition for edition in editions if edition.paged and not edition.parts]
