"""From a request to a plan: read the workbook (every content problem is found before anything
is written), apply the therapist's choices, and list the files to make."""

from __future__ import annotations

import dataclasses
from typing import Any

from workbook.build import copies
from workbook.build.discreet import discreet_book, neutral_ids
from workbook.build.jobs import Extra, Job, Plan
from workbook.build.packets import UnknownParts, check_ids, select_parts, unknown_worksheets
from workbook.build.request import Request
from workbook.editions import BOOKLET_PAPERS, DEFAULT_FORMATS, FORMATS, Edition
from workbook.errors import usage_problem
from workbook.model import Book
from workbook.safefiles import display_name
from workbook.sources.brand import read_brand_file
from workbook.sources.clients import Client, ClientList, read_client_list
from workbook.sources.helplines import region_from_language
from workbook.sources.loader import load_book
from workbook.sources.regions import paper_for

PART_OPTIONS = "'--only' / '--skip'"
DEFAULT_PAPER = "letter"


def make_plan(request: Request) -> Plan:
    _check_sites(request)
    book = load_book(request.project_dir)
    _check_ids(book, request)  # unknown ids are found before any other file is read
    book = _with_brand(book, request)
    request = resolved(request, book)  # the brand's region, before a discreet book drops it
    listed = _clients(request)
    if listed.clients:
        file = _clients_label(request)
        headed = listed.headed or request.clients_file is None
        copies.check_clients(book, listed.clients, file, bool(request.handout), headed)
    if request.discreet:
        names = neutral_ids(book)
        book = discreet_book(book, request.keep_brand, names)
        request, listed = _renamed(request, listed, names)
    jobs, extras = _jobs(book, request, tuple(_editions(request)), listed.clients)
    preview = _preview(request, listed, jobs, extras)
    return Plan(book, request.output_dir, jobs, extras, request.use_cache, preview)


def _jobs(
    book: Book, request: Request, editions: tuple[Edition, ...], clients: tuple[Client, ...]
) -> tuple[tuple[Job, ...], tuple[Extra, ...]]:
    """A handout of some worksheets; a copy per client (of a build or a handout), and the
    index; or one file per edition of the parts chosen."""
    if clients:
        return _copy_jobs(book, request, editions, clients)
    if request.handout:
        return tuple(Job(e.filename(book.meta.slug), e, book) for e in editions), ()
    packet = _select(book, request)
    return tuple(Job(e.filename(book.meta.slug), e, packet) for e in editions), ()


def _copy_jobs(
    book: Book, request: Request, editions: tuple[Edition, ...], clients: tuple[Client, ...]
) -> tuple[tuple[Job, ...], tuple[Extra, ...]]:
    slug, output = book.meta.slug, request.output_dir
    folder = copies.private_dir(output)
    index = copies.read_index(folder, slug, output)
    first = copies.first_number(output, slug, index)
    tags = copies.file_tags(clients, first, request.name_files)
    editions = tuple(edition for edition in editions if not edition.site)
    choice = (request.only, request.skip)
    jobs, files = copies.copy_jobs(book, editions, clients, choice, tags)
    if not request.replace:
        copies.refuse_replacing(jobs, output)
    return jobs, (copies.index_extra(index, folder, slug, clients, first, files),)


def _check_sites(request: Request) -> None:
    """A site is one for everyone, never a copy per client: asked for by name with --client
    or --clients, that is a usage problem (by default it is just left out of client builds)."""
    if request.copies_for_clients and any(FORMATS[name].site for name in request.formats):
        raise usage_problem(
            "the web edition is one site for everyone, not a copy per client; client copies "
            "are the PDFs and the EPUB",
            "--edition",
        )


def resolved(request: Request, book: Book) -> Request:
    """The request with what it left open taken from the workbook's settings, then from the
    defaults: the region from the settings, the brand, else the language (en-GB: uk); the
    paper from the settings, else the language's region (en-GB: A4), else the region's."""
    settings = book.settings
    brand_region = book.brand.region if book.brand else None
    region = request.region or settings.region or brand_region
    if region is None:
        region = region_from_language(book.meta.language)
    paper = request.paper or settings.paper or paper_for(book.meta.language)
    paper = paper or paper_for(None, settings.region or brand_region) or DEFAULT_PAPER
    formats = request.formats or settings.editions or DEFAULT_FORMATS
    if "booklet" in request.options and paper not in BOOKLET_PAPERS:
        raise usage_problem("a booklet prints on Letter or A4 sheets.", "--paper")
    return dataclasses.replace(request, region=region, paper=paper, formats=formats)


def _with_brand(book: Book, request: Request) -> Book:
    """Another brand file, given with --brand."""
    if request.brand_file is None:
        return book
    brand = read_brand_file(request.brand_file, book.project_dir)
    meta = dataclasses.replace(book.meta, publisher=brand.practice if brand else "")
    return dataclasses.replace(book, brand=brand, meta=meta)


def _check_ids(book: Book, request: Request) -> None:
    _select(book, request)
    if request.handout and (problems := unknown_worksheets(book, request.handout)):
        raise usage_problem(" ".join(problems), "ID")
    repeated = tuple(part_id for part_id, _ in request.repeat)
    if problems := unknown_worksheets(book, repeated):
        raise usage_problem(" ".join(problems), "--copies")
    chosen = {part.id for part in _select(book, request).parts}
    left_out = [part_id for part_id in repeated if part_id not in chosen]
    if left_out:
        message = f"'{left_out[0]}' is left out by --only or --skip, so it cannot be repeated"
        raise usage_problem(message, "--copies")


def _select(book: Book, request: Request) -> Book:
    try:
        check_ids(book, (*request.only, *request.skip))
        return select_parts(book, request.only, request.skip)
    except UnknownParts as error:
        raise usage_problem(str(error), PART_OPTIONS) from None


def _renamed(
    request: Request, listed: ClientList, names: dict[str, str]
) -> tuple[Request, ClientList]:
    """The ids a request and a client list name, after a discreet book renamed some."""

    def new(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names.get(part_id, part_id) for part_id in ids)

    request = dataclasses.replace(
        request,
        only=new(request.only),
        skip=new(request.skip),
        handout=new(request.handout),
        repeat=tuple((names.get(i, i), n) for i, n in request.repeat),
    )
    clients = tuple(dataclasses.replace(c, parts=new(c.parts)) for c in listed.clients)
    return request, dataclasses.replace(listed, clients=clients)


def _editions(request: Request) -> list[Edition]:
    assert request.paper is not None  # resolved
    more: dict[str, Any] = {"discreet": request.discreet, "region": request.region}
    if request.handout:
        more |= {"parts": request.handout, "copies": request.copies}
    else:
        more |= {"repeat": request.repeat}
    unique = dict.fromkeys(
        Edition.make(name, request.paper, request.options, **more) for name in request.formats
    )
    return list(unique)


def _clients(request: Request) -> ClientList:
    if request.clients_file is not None:
        return read_client_list(request.clients_file, request.project_dir)
    if request.client is not None:
        return ClientList((Client(name=" ".join(request.client.split())),), "")
    return ClientList((), "")


def _clients_label(request: Request) -> str:
    """Where the clients came from, for messages."""
    if request.clients_file is None:
        return "--client"
    return display_name(request.clients_file, request.project_dir)


def _preview(
    request: Request, listed: ClientList, jobs: tuple[Job, ...], extras: tuple[Extra, ...]
) -> str:
    """What a client build will make, said before it starts: how many copies, for whom, and
    how the list was read."""
    clients = listed.clients
    if not clients:
        return ""
    shown = ", ".join(c.name for c in clients[:5]) + (
        f" and {len(clients) - 5} more" if len(clients) > 5 else ""
    )
    count = "1 copy" if len(clients) == 1 else f"{len(clients)} copies"
    source = ""
    if request.clients_file is not None:
        source = f" from {_clients_label(request)} ({listed.how})"
    first = jobs[0].name if jobs else ""
    index = extras[0] if extras else None
    where = f"; the index goes to {index.folder}/" if index and index.folder else ""
    return f"Making {count}{source}: {shown}. First file: {first}{where}."
