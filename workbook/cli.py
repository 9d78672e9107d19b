"""Command line: each command parses its flags into a request, calls one function, and reports.

Heavy modules (the build, WeasyPrint) are imported inside the commands that need them, so
`workbook --help` starts at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import click

from workbook import __version__
from workbook.build.request import Request
from workbook.editions import BUILD_FORMATS, FORMATS, OPTIONS, PAPERS
from workbook.notes import note
from workbook.resources import BRAND_FILE, bundled_root, find_project
from workbook.sources.client_columns import split_ids
from workbook.sources.regions import REGIONS

F = TypeVar("F", bound=Callable[..., Any])

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
    type=click.Choice(tuple(PAPERS), case_sensitive=False),
    help="Paper size of the PDFs. Default: `paper` in workbook.toml, else letter.",
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print nothing when all goes well.")
NO_CACHE = click.option(
    "--no-cache",
    is_flag=True,
    help="Build every file again, even those whose sources have not changed since last time.",
)


def option_flags(*formats: str) -> Callable[[F], F]:
    """A flag for every option (editions.OPTIONS) that changes one of `formats`."""

    def decorate(command: F) -> F:
        for option in reversed(OPTIONS):
            if set(option.formats) & set(formats):
                command = click.option(option.flag, option.name, is_flag=True, help=option.help)(
                    command
                )
        return command

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook")
def main() -> None:
    """Turn a guide and its worksheets into PDFs, an EPUB and a web edition.

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
      workbook serve --open             preview the web edition as you write
    """


BRAND = click.option(
    "--brand",
    "brand_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this brand file instead of the [brand] table or brand.toml. Its logo's path "
    "starts from the brand file's folder.",
)
VERBOSE = click.option(
    "-v", "--verbose", is_flag=True, help="Also show WeasyPrint's own warnings (with --no-cache: "
    "for every file)."
)  # fmt: skip


def client_options(command: F) -> F:
    """The options for client copies, the same on `build` and `handout`."""
    for option in reversed(
        (
            click.option(
                "--client", help='Make a copy with "Prepared for NAME" and the date on it.'
            ),
            click.option(
                "--clients",
                "clients_file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="A CSV file from a spreadsheet (comma, semicolon or tab; UTF-8): a name "
                "per row, or columns headed Name (or First name, Last name) and Parts. Makes "
                "one copy per row.",
            ),
            click.option(
                "--name-files",
                is_flag=True,
                help="Name client copies after the client, not by number.",
            ),
            click.option(
                "--replace",
                is_flag=True,
                help="With --name-files: make a client's copy again over an earlier one of "
                "the same name (numbered copies never replace earlier ones).",
            ),
            click.option(
                "--discreet-keep-brand",
                "keep_brand",
                is_flag=True,
                help="With --discreet: keep the practice's name, details and page.",
            ),
        )
    ):
        command = option(command)
    return command


@main.command()
@PROJECT
@OUTPUT
@click.option(
    "--edition",
    "formats",
    type=click.Choice(BUILD_FORMATS, case_sensitive=False),
    multiple=True,
    help="What to make; repeat for more than one. Default: `editions` in workbook.toml, "
    "else print, fillable, epub and html (the web edition, a folder SLUG-site).",
)
@PAPER
@option_flags(*BUILD_FORMATS)
@BRAND
@client_options
@click.option(
    "--copies",
    "repeat",
    multiple=True,
    metavar="ID=N",
    help="Repeat a worksheet N times (1 to 50) in the PDFs, as one packet; repeat the option "
    "for more.",
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
    type=click.Choice(REGIONS, case_sensitive=False),
    help="Whose helplines the resources page lists. Default: `region` in workbook.toml, the "
    "brand file's, or the workbook's language (en-GB: uk), else every region's.",
)
@VERBOSE
@QUIET
@NO_CACHE
def build(
    project: Path | None,
    output: Path | None,
    formats: tuple[str, ...],
    only: tuple[str, ...],
    skip: tuple[str, ...],
    repeat: tuple[str, ...],
    quiet: bool,
    no_cache: bool,
    **choices: Any,
) -> None:
    """Build the workbook's PDFs, EPUB and web edition into output/.

    \b
    Examples:
      workbook build
      workbook build -p my-workbook -o handouts
      workbook build --edition print --paper a4
      workbook build --edition fillable --large-print
      workbook build --edition print --booklet --low-ink
      workbook build --edition epub --quiet
      workbook build --edition html --large-print
      workbook build --client "Sam Lee" --region uk
      workbook build --clients clients.csv --brand practice.toml
      workbook build --discreet --only welcome,signs-checklist
      workbook build --only welcome,rupture-repair-log --copies rupture-repair-log=4
    """
    request = Request(
        *_folders(project, output, choices.get("brand_file")),
        formats=formats,
        only=split_ids(only),
        skip=split_ids(skip),
        repeat=_repeats(repeat),
        use_cache=not no_cache,
        **_with_options(choices),
    )
    _build_and_report(request, quiet)


def _repeats(values: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """`rupture-repair-log=4` as ("rupture-repair-log", 4); a usage problem otherwise."""
    found: dict[str, int] = {}
    for value in values:
        part_id, sign, times = value.partition("=")
        number = times.strip()
        if not sign or not part_id.strip() or not number.isascii() or not number.isdigit():
            raise click.BadParameter(
                f"'{value[:60]}' must be a worksheet id, '=' and a number, like "
                "rupture-repair-log=4",
                param_hint="'--copies'",
            )
        if not 1 <= int(number) <= 50:
            message = f"'{value[:60]}': a worksheet can be repeated 1 to 50 times"
            raise click.BadParameter(message, param_hint="'--copies'")
        found[part_id.strip().lower()] = int(number)
    return tuple(found.items())


@main.command()
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
@click.option(
    "--copies",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="How many copies of the worksheets (1 to 50): each numbered on its own and, printed "
    "double-sided, starting on a fresh sheet.",
)
@option_flags("handout")
@PAPER
@BRAND
@client_options
@OUTPUT
@PROJECT
@VERBOSE
@QUIET
@NO_CACHE
def handout(
    ids: tuple[str, ...],
    output: Path | None,
    project: Path | None,
    quiet: bool,
    no_cache: bool,
    **choices: Any,
) -> None:
    """Make a PDF of just some worksheets, to print and hand out.

    IDs are worksheet ids as `workbook list` shows them. Each page stands alone: the
    worksheet's title at the top, the workbook's name and "page x of y" at the foot.

    \b
    Examples:
      workbook handout signs-checklist
      workbook handout rupture-repair-log --copies 10
      workbook handout signs-checklist therapist-fit-questions --paper a4 --fillable
      workbook handout rupture-repair-log --client "Priya Sharma" --brand brand.toml
      workbook handout safety-plan --discreet --clients clients.csv
    """
    request = Request(
        *_folders(project, output, choices.get("brand_file")),
        formats=tuple(name for name, record in FORMATS.items() if record.command == "handout"),
        handout=tuple(i.lower() for i in split_ids(ids)),
        use_cache=not no_cache,
        **_with_options(choices),
    )
    _build_and_report(request, quiet)


def _with_options(choices: dict[str, Any]) -> dict[str, Any]:
    """The flags of editions.OPTIONS gathered into the request's `options`."""
    names = tuple(option.name for option in OPTIONS if choices.pop(option.name, False))
    return {**choices, "options": names}


def _build_and_report(request: Request, quiet: bool) -> None:
    from workbook.build.pipeline import build  # brings in WeasyPrint: only when building

    say = None if quiet else partial(click.echo, err=True)
    report = build(request, show_progress=not quiet, say=say)
    if not quiet:
        click.echo(report.summary(Path.cwd()))


def _folders(
    project: Path | None, output: Path | None, brand_file: Path | None = None
) -> tuple[Path, Path]:
    """The project folder, and where its files go."""
    cwd = Path.cwd()
    project_dir = find_project(project, cwd)
    output_dir = output or (cwd if project_dir == bundled_root() else project_dir) / "output"
    _unused_brand_here(cwd, project_dir, brand_file)
    return project_dir, output_dir.resolve()


def _unused_brand_here(cwd: Path, project_dir: Path, brand_file: Path | None) -> None:
    """A brand.toml in this folder that the build will not read says so (it is read only
    beside the workbook's workbook.toml, or when given with --brand)."""
    here = cwd / BRAND_FILE
    if brand_file is not None or project_dir == cwd.resolve() or not here.is_file():
        return
    which = (
        "the bundled default workbook is being built"
        if project_dir == bundled_root()
        else f"it is not beside the workbook's workbook.toml ({project_dir})"
    )
    note(
        f"{BRAND_FILE} in this folder is not used: {which}. Use it with --brand {BRAND_FILE}, "
        "or copy the default workbook out to edit with `workbook new DIR --from-default` and "
        f"put {BRAND_FILE} in it."
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
    from workbook.sources.loader import load_book  # YAML and Markdown: only when reading

    book = load_book(find_project(project, Path.cwd()))
    width = max(len(part.id) for part in book.parts)
    for part in book.parts:
        click.echo(f"{part.id:<{width}}  {part.kind:<9}  {part.title}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from-default",
    is_flag=True,
    help="Copy the bundled default workbook (its chapters, worksheets and settings) to edit, "
    "instead of the small sample.",
)
def new(directory: Path, from_default: bool) -> None:
    """Start your own workbook in a new folder: settings, a sample chapter, a sample
    worksheet, a brand example and folders for your own templates and styles.

    \b
    Examples:
      workbook new my-workbook
      workbook new my-practice-workbook --from-default
      workbook build -p my-workbook
    """
    from workbook.commands.new import new_project  # each command's code loads when it runs

    files = new_project(directory, from_default)
    made = "a copy of the default workbook" if from_default else f"{len(files)} files"
    click.echo(f"Made {directory}/ with {made}. Build it with:")
    click.echo(f"  workbook build -p {directory}")


@main.command("check")
@PROJECT
@BRAND
@VERBOSE
@click.option(
    "--outputs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also check the files built into this folder: each PDF opens and has every part, "
    "each EPUB passes epubcheck (if installed).",
)
def check_command(
    project: Path | None, outputs: Path | None, brand_file: Path | None, verbose: bool
) -> None:
    """Check the workbook without building it: every problem, with file and line.

    Exits 1 if anything needs fixing, 0 if all is well.

    \b
    Examples:
      workbook check
      workbook check -p my-workbook
      workbook check -p my-workbook --outputs my-workbook/output
      workbook check --brand ~/practice/brand.toml --verbose
    """
    from workbook.commands.check import CheckFailed, check  # Jinja2, YAML: when it runs

    cwd = Path.cwd()
    project_dir = find_project(project, cwd)
    if project is None and project_dir != cwd.resolve() and project_dir != bundled_root():
        click.echo(f"Checking the workbook in {project_dir} (found above this folder).", err=True)
    _unused_brand_here(cwd, project_dir, brand_file)
    report = check(project_dir, outputs, brand_file, verbose)
    for line in report.lines:
        click.echo(line)
    for said in report.notes:
        click.echo(f"Note: {said}", err=True)
    if report.problems:
        raise CheckFailed(report.problems)
    notes = f" ({len(report.notes)} notes above)" if report.notes else ""
    click.echo(f"No problems found{notes}.")


@main.command()
@PROJECT
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1 to serve on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in your web browser.")
def serve(project: Path | None, port: int, open_browser: bool) -> None:
    """Preview the web edition as you write: build it, serve it on this computer only, and
    rebuild it (the open page reloads by itself) whenever a chapter, worksheet, template,
    style or setting is saved. Ctrl-C stops.

    \b
    Examples:
      workbook serve
      workbook serve -p my-workbook --open
      workbook serve --port 8080
    """
    from workbook.commands.serve import serve_project  # the build and watchfiles: when it runs

    serve_project(find_project(project, Path.cwd()), port, open_browser, click.echo)
