"""Runs a plan: skips the jobs the cache says are fresh, then lays out and writes the rest, in
parallel processes when there are cores to spare, and stages every file so that nothing
half-written reaches the output folder.

First every layout the jobs need is made, all their parts in the same worker processes
(writers/apart.py; parts laid out in an earlier build come from the part cache). Then jobs that
share a layout are written in one process: the EPUB's page list comes from the print edition's
layout, so the EPUB goes with the print edition on the same paper, and client copies go with
their packet's edition. Each process writes its own staged temporary files; they are moved into
place together once every one is complete, so the files are the same bytes however many
processes made them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from workbook.build import parallel
from workbook.build.cache import BuildCache
from workbook.build.jobs import Job, Plan
from workbook.build.partcache import part_cache
from workbook.editions import Download, Edition, Personal
from workbook.errors import WorkbookError
from workbook.render import environment
from workbook.writers import fontfolders, writer_for
from workbook.writers.final_check import output_problems
from workbook.writers.laidout import LaidOut
from workbook.writers.layouts import BLANK, Layouts, Pending, lay_out_editions, print_edition_for
from workbook.writers.partstore import NoStore, PartStore
from workbook.writers.staging import staging

Step = Callable[[str, str], None]
# What a process sends back: the words for each file it wrote, and the files it read.
GroupResult = tuple[dict[str, str], set[Path]]


@dataclass(frozen=True)
class Written:
    path: Path
    detail: str


def run(plan: Plan, step: Step) -> tuple[Written, ...]:
    """Every file of the plan, built or still fresh from last time, in the plan's order.

    Two rounds inside one staging: first every file, then the sites (`Format.site`), which
    list those files on their downloads page. A site's job gets them as `downloads` (name,
    size, edition, and where each is now: staged, or in place when fresh), so its cache key
    changes whenever the set of files does."""
    jobs = tuple({job.name: job for job in plan.jobs}.values())  # asked twice, made once
    cache = BuildCache(plan.output_dir, plan.book) if plan.use_cache else None
    files = [job for job in jobs if not job.edition.record.site]
    details = _fresh(cache, files)
    todo = [job for job in files if job.name not in details]
    sites = [job for job in jobs if job.edition.record.site]
    made: list[Job] = []
    with staging(plan.output_dir) as stage:
        for extra in plan.extras:
            stage.temp_for(extra.name, extra.folder).write_text(extra.text, encoding="utf-8")
        temps = {job.name: stage.temp_for(job.name) for job in todo}
        read = _build(plan, todo, temps, step, details)
        where = {job.name: temps.get(job.name, plan.output_dir / job.name) for job in files}
        sites = [replace(job, downloads=_downloads(files, where)) for job in sites]
        details.update(_fresh(cache, sites))
        made = [job for job in sites if job.name not in details]
        temps = {job.name: stage.temp_for(job.name) for job in made}
        read |= _build(plan, made, temps, step, details)
        stage.commit()
    if cache is not None:
        for job in (*todo, *made):
            cache.store(job, details[job.name], read)
    written = [Written(plan.output_dir / job.name, details[job.name]) for job in jobs]
    written += [
        Written((extra.folder or plan.output_dir) / extra.name, extra.detail)
        for extra in plan.extras
    ]
    return tuple(written)


def _fresh(cache: BuildCache | None, jobs: list[Job]) -> dict[str, str]:
    """The summary's words for each job whose file need not be made again."""
    details: dict[str, str] = {}
    if cache is not None:
        for job in jobs:
            if (detail := cache.fresh(job)) is not None:
                details[job.name] = f"{detail}, up to date"
    return details


def _downloads(files: list[Job], where: dict[str, Path]) -> tuple[Download, ...]:
    """The build's files for a site to offer: a client's copy is never among them."""
    return tuple(
        Download(job.name, where[job.name].stat().st_size, job.edition, where[job.name])
        for job in files
        if job.personal is None
    )


def _build(
    plan: Plan, todo: list[Job], temps: dict[str, Path], step: Step, details: dict[str, str]
) -> set[Path]:
    """Make `todo` into their staged temporary files; adds their words to `details` and
    returns the files they read.

    The parts of every layout the jobs need are laid out together (writers/apart.py); then
    each layout is finished (margins, joined PDF) and its PDFs written in one process, beside
    the EPUBs, which only need to know where its pages begin."""
    if not todo:
        return set()
    env = environment(plan.book.project_dir)
    parallel.at_child_exit(fontfolders.remove_mine)  # a worker leaves no font folder behind
    groups = layout_groups(todo)
    kept = part_cache(plan.book) if plan.use_cache else None
    store: PartStore = NoStore() if kept is None else kept
    layouts = [Layouts(g[0].packet, env, step, g[0].downloads, store) for g in groups]
    wanted = [(each, *_layout_of(group[0])) for each, group in zip(layouts, groups, strict=True)]
    pending = lay_out_editions([w for w in wanted if w[1].record.paged], parallel.run_each, store)
    finishing = {id(w[0]): task for w, task in zip(pending.wanted, pending.tasks, strict=True)}
    tasks: list[Callable[[], Any]] = []
    after: list[tuple[list[Job], Layouts]] = []  # EPUBs of a layout made whole: they wait
    for group, each in zip(groups, layouts, strict=True):
        finish = finishing.get(id(each))
        if finish is None:
            tasks.append(partial(_run_group, group, each, temps))
            continue
        epubs = [job for job in group if job.edition.record.split and not job.edition.record.site]
        if epubs and each.starts_known(*_layout_of(group[0])):
            tasks.append(partial(_run_group, epubs, each, temps))
        elif epubs:
            after.append((epubs, each))
        others = [job for job in group if job not in epubs]
        tasks.append(partial(_finish_and_write, finish, pending, others, each, temps))
    results: list[GroupResult] = []
    for outcome in parallel.run_all(tasks):
        if isinstance(outcome, _Finished):
            outcome.install(layouts, pending)
            outcome = outcome.result
        results.append(outcome)
    results += parallel.run_all([partial(_run_group, jobs, each, temps) for jobs, each in after])
    read: set[Path] = set().union(*(each.read for each in layouts))  # what the layouts fetched
    for group_details, group_read in results:
        details.update(group_details)
        read |= group_read
    return read


@dataclass(frozen=True)
class _Finished:
    """A layout finished in a worker process, and the files written from it there."""

    owner: int  # id() of the Layouts it is for, in the parent process
    laid: LaidOut
    result: GroupResult

    def install(self, layouts: list[Layouts], pending: Pending) -> None:
        pending.install_for(next(each for each in layouts if id(each) == self.owner), self.laid)


def _finish_and_write(
    finish: Callable[[], LaidOut],
    pending: Pending,
    jobs: list[Job],
    layouts: Layouts,
    temps: dict[str, Path],
) -> _Finished:
    owner = id(layouts)  # the same object's id as in the parent (a fork keeps addresses)
    laid = finish()
    pending.install_for(layouts, laid)
    result = _run_group(jobs, layouts, temps) if jobs else ({}, set())
    return _Finished(owner, laid, result)


def layout_groups(jobs: list[Job]) -> list[list[Job]]:
    """The jobs to make, grouped so that no layout is made twice: by packet and by the
    layout each needs (its own, or for an EPUB the print edition's on the same paper)."""
    groups: dict[tuple[object, ...], list[Job]] = {}
    for job in sorted(jobs, key=lambda job: job.edition.record.split):  # layouts first
        groups.setdefault(_layout_key(job), []).append(job)
    return list(groups.values())


def _layout_key(job: Job) -> tuple[object, ...]:
    return (job.packet_key, _layout_edition(job), job.personal is None)


def _layout_of(job: Job) -> tuple[Edition, Personal | None]:
    """The layout a job needs: its own, or for an EPUB the print edition's on the same
    paper; a client's copy has the shared interior's, with a blank client line."""
    return _layout_edition(job), None if job.personal is None else BLANK


def _run_group(group: list[Job], layouts: Layouts, temps: dict[str, Path]) -> GroupResult:
    """Jobs that share a layout, made before: each edition's files (the print PDF, the EPUB,
    their client copies) are written side by side, each edition in its own process."""
    by_edition: dict[Edition, list[Job]] = {}
    for job in group:
        by_edition.setdefault(job.edition, []).append(job)
    write = partial(_write_all, layouts=layouts, temps=temps)
    if len(by_edition) > 1 and parallel.can_fork():
        outcomes = parallel.run_all([partial(write, jobs) for jobs in by_edition.values()])
    else:
        outcomes = [write(jobs) for jobs in by_edition.values()]
    details = {name: detail for outcome in outcomes for name, detail in outcome[0].items()}
    return details, set().union(*(read for _, read in outcomes))


def _layout_edition(job: Job) -> Edition:
    """The edition whose layout the job reads: an EPUB's page list follows the print
    edition's; a site needs none (its own edition keeps it in a group of its own)."""
    record = job.edition.record
    return print_edition_for(job.edition) if record.split and not record.site else job.edition


def _write_all(jobs: list[Job], layouts: Layouts, temps: dict[str, Path]) -> GroupResult:
    """Write each job's file, then check its final bytes: a problem there stops the build
    before anything is moved into the output folder."""
    details = {}
    for job in jobs:
        write = writer_for(job.edition)
        details[job.name] = write(job.edition, job.personal, layouts, temps[job.name])
        problems = output_problems(temps[job.name], job.name)
        if problems:
            raise WorkbookError(problems)
    return details, set(layouts.read)
