"""Command line: each command only wires the steps together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbook import __version__
from workbook.editions import BOOKLET_PAPERS, DEFAULT_FORMATS, FORMATS, PAPERS, Edition
from workbook.resources import bundled_root, find_project
from workbook.sources.regions import REGIONS

if TYPE_CHECKING:
    from workbook.build import Choices

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
NO_CACHE = click.option(
    "--no-cache",
    is_flag=True,
    help="Build every file again, even those whose sources have not changed since last time.",
)


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
      workbook build --client "Sam"     a copy with "Prepared for Sam" on the cover
      workbook new my-workbook          start your own workbook
      workbook check                    find every problem without building
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
@click.option(
    "--brand",
    "brand_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this brand file instead of the [brand] table or brand.toml.",
)
@click.option("--client", help='Make a copy with "Prepared for NAME" and the date on the cover.')
@click.option(
    "--clients",
    "clients_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV file: one name per row (then, optionally, that client's part ids). "
    "Makes one copy per row.",
)
@click.option(
    "--name-files",
    is_flag=True,
    help="Name client copies after the client, not by number.",
)
@click.option(
    "--discreet",
    is_flag=True,
    help='A neutral title ("Personal workbook") on the cover, page heads, file names and metadata.',
)
@click.option(
    "--only",
    multiple=True,
    metavar="ID",
    help="Only these parts (ids from `workbook list`); repeat, or separate with commas.",
)
@click.option(
    "--skip", multiple=True, metavar="ID", help="Leave these parts out; repeat, or use commas."
)
@click.option(
    "--region",
    type=click.Choice(REGIONS),
    help="Whose helplines the resources page lists. Default: from the brand file or the "
    "workbook's language (en-GB: uk), else every region's.",
)
@QUIET
@NO_CACHE
def build(
    project: Path | None,
    output: Path | None,
    formats: tuple[str, ...],
    paper: str,
    booklet: bool,
    large_print: bool,
    low_ink: bool,
    quiet: bool,
    no_cache: bool,
    **therapist: object,
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
      workbook build --client "Sam Lee" --region uk
      workbook build --clients clients.csv --brand practice.toml
      workbook build --discreet --only welcome,signs-checklist
    """
    from workbook.build import build as run_build
    from workbook.build import progress
    from workbook.build.packets import UnknownParts

    if booklet and paper not in BOOKLET_PAPERS:
        raise click.BadParameter("a booklet prints on Letter or A4 sheets.", param_hint="--paper")
    project_dir, output_dir = _folders(project, output)
    options = {"large_print": large_print, "low_ink": low_ink, "booklet": booklet}
    editions = [Edition(fmt, paper, **options) for fmt in (formats or DEFAULT_FORMATS)]
    choices = _choices(project_dir, **therapist)  # type: ignore[arg-type]
    if booklet and choices.clients:
        raise click.UsageError("client copies are not made as booklets; leave out --booklet")
    try:
        with progress.showing(not quiet):
            report = run_build(project_dir, output_dir, editions, choices, not no_cache)
    except UnknownParts as error:
        raise click.BadParameter(str(error), param_hint="'--only' / '--skip'") from None
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
@NO_CACHE
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
    no_cache: bool,
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
    from workbook.build import build_handout, progress
    from workbook.build.packets import unknown_worksheets
    from workbook.sources.loader import load_book

    project_dir, output_dir = _folders(project, output)
    book = load_book(project_dir)
    if problems := unknown_worksheets(book, ids):
        raise click.BadParameter(" ".join(problems), param_hint="ID")
    edition = Edition(
        "handout", paper, large_print, low_ink, fillable=fillable, parts=ids, copies=copies
    )
    with progress.showing(not quiet):
        report = build_handout(book, output_dir, edition, not no_cache)
    if not quiet:
        click.echo(report.summary(Path.cwd()))


def _folders(project: Path | None, output: Path | None) -> tuple[Path, Path]:
    """The project folder, and where its files go."""
    cwd = Path.cwd()
    project_dir = find_project(project, cwd)
    output_dir = output or (cwd if project_dir == bundled_root() else project_dir) / "output"
    return project_dir, output_dir.resolve()


def _choices(
    project_dir: Path,
    brand_file: Path | None,
    client: str | None,
    clients_file: Path | None,
    name_files: bool,
    discreet: bool,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    region: str | None,
) -> Choices:
    from workbook.build import Choices
    from workbook.safefiles import display_name
    from workbook.sources.clients import Client, read_clients, split_ids

    if client is not None and clients_file is not None:
        raise click.UsageError("use --client or --clients, not both")
    if name_files and client is None and clients_file is None:
        raise click.UsageError("--name-files is for client copies (--client or --clients)")
    if client is not None and not client.strip():
        raise click.BadParameter("the name is empty", param_hint="'--client'")
    clients = read_clients(clients_file, project_dir) if clients_file else ()
    if client is not None:
        clients = (Client(name=client.strip()),)
    return Choices(
        brand_file=brand_file,
        discreet=discreet,
        region=region,
        only=split_ids(only),
        skip=split_ids(skip),
        clients=clients,
        clients_file=display_name(clients_file, project_dir) if clients_file else "--client",
        name_files=name_files,
    )


@main.command("list")
@PROJECT
def list_parts(project: Path | None) -> None:
    """List the parts in reading order: id, kind, title.

    \b
    Examples:
      workbook list
      workbook list -p my-workbook
    """
    from workbook.sources.loader import load_book

    book = load_book(find_project(project, Path.cwd()))
    width = max(len(part.id) for part in book.parts)
    for part in book.parts:
        click.echo(f"{part.id:<{width}}  {part.kind:<9}  {part.title}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Start your own workbook in a new folder: settings, a sample chapter, a sample
    worksheet, a brand example and folders for your own templates and styles.

    \b
    Examples:
      workbook new my-workbook
      workbook build -p my-workbook
    """
    from workbook.commands.new import new_project

    files = new_project(directory)
    click.echo(f"Made {directory}/ with {len(files)} files. Build it with:")
    click.echo(f"  workbook build -p {directory}")


@main.command("check")
@PROJECT
@click.option(
    "--outputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also check the files built into this folder: each PDF opens and has every part, "
    "each EPUB passes epubcheck (if installed).",
)
def check_command(project: Path | None, outputs: Path | None) -> None:
    """Check the workbook without building it: every problem, with file and line.

    Exits 1 if anything needs fixing, 0 if all is well.

    \b
    Examples:
      workbook check
      workbook check -p my-workbook
      workbook check -p my-workbook --outputs my-workbook/output
    """
    from workbook.commands.check import CheckFailed, check

    report = check(find_project(project, Path.cwd()), outputs)
    for line in report.lines:
        click.echo(line)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    if report.problems:
        raise CheckFailed(report.problems)
    click.echo("No problems found.")
