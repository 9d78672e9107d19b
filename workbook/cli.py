"""Command line: each command only wires the steps together."""

from __future__ import annotations

from pathlib import Path

import click

from workbook import __version__
from workbook.editions import DEFAULT_FORMATS, FORMATS, PAPERS, Edition
from workbook.resources import bundled_root, find_project

PROJECT = click.option(
    "-p",
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The workbook folder (it holds workbook.toml). Default: this folder if it has one, "
    "else the bundled default workbook.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook")
def main() -> None:
    """Turn a guide and its worksheets into a print PDF and an EPUB.

    \b
    Examples:
      workbook build                    build the workbook here (or the default one)
      workbook build --paper a4         print edition on A4 paper
      workbook list                     show the chapters and worksheets in order
      workbook check                    find every problem without building
    """


@main.command()
@PROJECT
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files. Default: output/ in the workbook folder "
    "(or here, for the default workbook).",
)
@click.option(
    "--edition",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="What to make; repeat for more than one. Default: print and epub.",
)
@click.option(
    "--paper",
    type=click.Choice(tuple(PAPERS)),
    default="letter",
    show_default=True,
    help="Paper size of the print PDF.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when all goes well.")
def build(
    project: Path | None, output: Path | None, formats: tuple[str, ...], paper: str, quiet: bool
) -> None:
    """Build the workbook's PDF and EPUB into output/.

    \b
    Examples:
      workbook build
      workbook build -p my-workbook -o handouts
      workbook build --edition print --paper a4
      workbook build --edition epub --quiet
    """
    from workbook.build import build as run_build

    cwd = Path.cwd()
    project_dir = find_project(project, cwd)
    output_dir = output or (cwd if project_dir == bundled_root() else project_dir) / "output"
    editions = [Edition(fmt, paper) for fmt in (formats or DEFAULT_FORMATS)]
    report = run_build(project_dir, output_dir.resolve(), editions)
    if not quiet:
        click.echo(report.summary(cwd))


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
    from workbook.check import CheckFailed, check

    report = check(find_project(project, Path.cwd()), outputs)
    for line in report.lines:
        click.echo(line)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    if report.problems:
        raise CheckFailed(report.problems)
    click.echo("No problems found.")
