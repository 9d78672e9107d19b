"""From a request to a plan: read the workbook (every content problem is found before anything
is written), apply the therapist's choices, and list the files to make."""

from __future__ import annotations

import dataclasses
from typing import Any

from workbook.build.copies import check_clients, copy_jobs
from workbook.build.discreet import discreet_book
from workbook.build.jobs import Extra, Job, Plan
from workbook.build.packets import UnknownParts, check_ids, select_parts, unknown_worksheets
from workbook.build.request import Request
from workbook.editions import BOOKLET_PAPERS, DEFAULT_FORMATS, FORMATS, Edition
from workbook.errors import usage_problem
from workbook.model import Book
from workbook.safefiles import display_name
from workbook.sources.brand import read_brand_file
from workbook.sources.clients import Client, read_clients
from workbook.sources.helplines import region_from_language
from workbook.sources.loader import load_book

PART_OPTIONS = "'--only' / '--skip'"
DEFAULT_PAPER = "letter"


def make_plan(request: Request) -> Plan:
    _check_sites(request)
    book = _chosen_book(load_book(request.project_dir), request)
    request = resolved(request, book)
    jobs, extras = _jobs(book, request, tuple(_editions(request)))
    return Plan(book, request.output_dir, jobs, extras, request.use_cache)


def _jobs(
    book: Book, request: Request, editions: tuple[Edition, ...]
) -> tuple[tuple[Job, ...], tuple[Extra, ...]]:
    """A handout of some worksheets; a copy per client, and their index; or one file per
    edition of the parts chosen."""
    if request.handout:
        if problems := unknown_worksheets(book, request.handout):
            raise usage_problem(" ".join(problems), "ID")
        return tuple(Job(e.filename(book.meta.slug), e, book) for e in editions), ()
    if clients := _clients(request):
        check_clients(book, clients, _clients_label(request))
        editions = tuple(edition for edition in editions if not edition.site)
        choice = (request.only, request.skip)
        jobs, index = copy_jobs(book, editions, clients, choice, request.name_files)
        return jobs, (index,)
    packet = _select(book, request)
    return tuple(Job(e.filename(book.meta.slug), e, packet) for e in editions), ()


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
    defaults: the region from the settings, the brand, else the language (en-GB: uk)."""
    settings = book.settings
    brand_region = book.brand.region if book.brand else None
    region = request.region or settings.region or brand_region
    if region is None:
        region = region_from_language(book.meta.language)
    paper = request.paper or settings.paper or DEFAULT_PAPER
    formats = request.formats or settings.editions or DEFAULT_FORMATS
    if "booklet" in request.options and paper not in BOOKLET_PAPERS:
        raise usage_problem("a booklet prints on Letter or A4 sheets.", "--paper")
    return dataclasses.replace(request, region=region, paper=paper, formats=formats)


def _chosen_book(book: Book, request: Request) -> Book:
    """Another brand file, then the discreet title; parts are chosen per packet later."""
    _select(book, request)  # unknown ids are found before any other file is read
    if request.brand_file is not None:
        brand = read_brand_file(request.brand_file, book.project_dir)
        meta = dataclasses.replace(book.meta, publisher=brand.practice if brand else "")
        book = dataclasses.replace(book, brand=brand, meta=meta)
    return discreet_book(book) if request.discreet else book


def _select(book: Book, request: Request) -> Book:
    try:
        check_ids(book, (*request.only, *request.skip))
        return select_parts(book, request.only, request.skip)
    except UnknownParts as error:
        raise usage_problem(str(error), PART_OPTIONS) from None


def _editions(request: Request) -> list[Edition]:
    assert request.paper is not None  # resolved
    more: dict[str, Any] = {"discreet": request.discreet, "region": request.region}
    if request.handout:
        more |= {"parts": request.handout, "copies": request.copies}
    unique = dict.fromkeys(
        Edition.make(name, request.paper, request.options, **more) for name in request.formats
    )
    return list(unique)


def _clients(request: Request) -> tuple[Client, ...]:
    if request.clients_file is not None:
        return read_clients(request.clients_file, request.project_dir)
    if request.client is not None:
        return (Client(name=request.client.strip()),)
    return ()


def _clients_label(request: Request) -> str:
    """Where the clients came from, for messages."""
    if request.clients_file is None:
        return "--client"
    return display_name(request.clients_file, request.project_dir)
