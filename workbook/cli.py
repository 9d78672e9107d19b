"""Command line: each command only wires the steps together."""

from __future__ import annotations

from pathlib import Path

import click

from workbook import __version__
from workbook.editions import BOOKLET_PAPERS, DEFAULT_FORMATS, FORMATS, PAPERS, Edition
from workbook.resources import bundled_root, find_project

PROJECT = click.option(
    "-p",
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The workbook folder (it holds workbook.toml). Default: this folder if it has one, "
    "else the bundled default workbook.",
)
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files. Default: output/ in the workbook folder "
    "(or here, for the default workbook).",
)
PAPER = click.option(
    "--paper",
    type=click.Choice(tuple(PAPERS)),
    default="letter",
    show_default=True,
    help="Paper size of the PDFs.",
)
LARGE_PRINT = click.option(
    "--large-print", is_flag=True, help="Text at 16 pt or more, with lines and boxes to match."
)
LOW_INK = click.option("--low-ink", is_flag=True, help="No filled areas, black and grey only.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print nothing when all goes well.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook")
def main() -> None:
    """Turn a guide and its worksheets into a print PDF and an EPUB.

    \b
    Examples:
      workbook build                    build the workbook here (or the default one)
      workbook build --paper a4         PDFs on A4 paper
      workbook handout rupture-repair-log --copies 10
                                        ten blank log pages to hand out
      workbook list                     show the chapters and worksheets in order
    """


@main.command()
@PROJECT
@OUTPUT
@click.option(
    "--edition",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="What to make; repeat for more than one. Default: print, fillable and epub.",
)
@PAPER
@click.option(
    "--booklet",
    is_flag=True,
    help="Impose the print edition as a booklet: two half-size pages to a sheet, "
    "to print double-sided and fold (Letter or A4 sheets).",
)
@LARGE_PRINT
@LOW_INK
@QUIET
def build(
    project: Path | None,
    output: Path | None,
    formats: tuple[str, ...],
    paper: str,
    booklet: bool,
    large_print: bool,
    low_ink: bool,
    quiet: bool,
) -> None:
    """Build the workbook's PDFs and EPUB into output/.

    \b
    Examples:
      workbook build
      workbook build -p my-workbook -o handouts
      workbook build --edition print --paper a4
      workbook build --edition fillable --large-print
      workbook build --edition print --booklet --low-ink
      workbook build --edition epub --quiet
    """
    from workbook.build import build as run_build

    if booklet and paper not in BOOKLET_PAPERS:
        raise click.BadParameter("a booklet prints on Letter or A4 sheets.", param_hint="--paper")
    project_dir, output_dir = _folders(project, output)
    options = {"large_print": large_print, "low_ink": low_ink, "booklet": booklet}
    editions = [Edition(fmt, paper, **options) for fmt in (formats or DEFAULT_FORMATS)]
    report = run_build(project_dir, output_dir, editions)
    if not quiet:
        click.echo(report.summary(Path.cwd()))


@main.command()
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
@click.option(
    "--copies",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="How many times to repeat the worksheets (1 to 50).",
)
@click.option("--fillable", is_flag=True, help="Form fields to type into, instead of lines.")
@PAPER
@LARGE_PRINT
@LOW_INK
@OUTPUT
@PROJECT
@QUIET
def handout(
    ids: tuple[str, ...],
    copies: int,
    fillable: bool,
    paper: str,
    large_print: bool,
    low_ink: bool,
    output: Path | None,
    project: Path | None,
    quiet: bool,
) -> None:
    """Make a PDF of just some worksheets, to print and hand out.

    IDs are worksheet ids as `workbook list` shows them. Each page stands alone: the
    worksheet's title at the top, the workbook's name and "page x of y" at the foot.

    \b
    Examples:
      workbook handout signs-checklist
      workbook handout rupture-repair-log --copies 10
      workbook handout signs-checklist therapist-fit-questions --paper a4 --fillable
    """
    from workbook.build import build_handout, unknown_ids
    from workbook.loader import load_book

    project_dir, output_dir = _folders(project, output)
    book = load_book(project_dir)
    if problems := unknown_ids(book, ids):
        raise click.BadParameter(" ".join(problems), param_hint="ID")
    edition = Edition(
        "handout", paper, large_print, low_ink, fillable=fillable, parts=ids, copies=copies
    )
    report = build_handout(book, output_dir, edition)
    if not quiet:
        click.echo(report.summary(Path.cwd()))


def _folders(project: Path | None, output: Path | None) -> tuple[Path, Path]:
    """The project folder, and where its files go."""
    cwd = Path.cwd()
    project_dir = find_project(project, cwd)
    output_dir = output or (cwd if project_dir == bundled_root() else project_dir) / "output"
    return project_dir, output_dir.resolve()


@main.command("list")
@PROJECT
def list_parts(project: Path | None) -> None:
    """List the parts in reading order: id, kind, title.

    \b
    Examples:
      workbook list
      workbook list -p my-workbook
    """
    from workbook.loader import load_book

    book = load_book(find_project(project, Path.cwd()))
    width = max(len(part.id) for part in book.parts)
    for part in book.parts:
        click.echo(f"{part.id:<{width}}  {part.kind:<9}  {part.title}")
