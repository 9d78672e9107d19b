"""Reads a project folder into a `Book`: config, then every part it lists, problems collected."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbook import model
from workbook.errors import Problem, Problems, WorkbookError, did_you_mean
from workbook.safefiles import read_text
from workbook.sources import bounds
from workbook.sources.anchors import Anchors, note_text_links
from workbook.sources.bounds import Bound
from workbook.sources.helplines import HELPLINES_FILE, read_helplines
from workbook.sources.markdown import make_parser, render_body, split_front_matter
from workbook.sources.media import MediaCollector
from workbook.sources.schema import Checker
from workbook.sources.settings import Config, read_config
from workbook.sources.typography import typeset
from workbook.sources.worksheets import read_worksheet
from workbook.sources.yamldata import load_yaml

CHAPTERS_DIR = "chapters"
FRONT_MATTER_KEYS = ("title", "summary", "content_note")
# A part of 1 MB is some 170,000 words, far past any real chapter; past that, even reading
# it takes long (markdown-it parses a 1 MB chapter in up to 15 s, 5 MB in over a minute).
MAX_SOURCE_BYTES = 1_000_000
# Some 1,200 printed pages: as much as the bounds on blocks and fields let through.
MAX_BOOK_BYTES = 4_000_000


def load_book(project_dir: Path) -> model.Book:
    config = read_config(project_dir)
    problems = Problems()
    parts: list[model.Part] = []
    sources: list[Path] = [config.path]
    md = make_parser()
    anchors = Anchors(config.contents)
    counts: dict[Bound, int] = {}  # what the chapters hold, for the workbook's bounds
    total = 0
    for part_id in config.contents:
        path = _find_part(config, part_id, problems)
        if path is None:
            continue
        sources.append(path)
        size = _size(path)
        total += size if size <= MAX_SOURCE_BYTES else 0  # too large alone: read_source says
        if total > MAX_BOOK_BYTES:  # no need to read on: say so once, now
            message = "the chapters and worksheets are more than 4 MB together; make two workbooks"
            problems.add("workbook.toml", message)
            break
        try:
            parts.append(_load_part(path, part_id, config, md, (problems, anchors), counts))
        except WorkbookError as error:
            problems.extend(error)
    anchors.check_links([*config.contents, *model.link_targets(tuple(parts))], problems)
    parts = _back_matter(parts, config.backmatter)
    helplines = _helplines(config, parts, problems)
    _check_book_bounds(parts, counts, problems, config.line_of("contents"))
    problems.raise_if_any()
    meta = model.Metadata(
        title=config.title,
        subtitle=config.subtitle,
        author=config.author,
        language=config.language,
        slug=config.slug,
        date=_edition_date(config, sources),
        description=config.description or config.subtitle,
        publisher=config.brand.practice if config.brand else "",
        license=config.license,
        permission=config.permission,
        subjects=config.subjects,
    )
    return model.Book(
        meta=meta,
        parts=tuple(parts),
        project_dir=project_dir,
        sources=tuple(sources),
        brand=config.brand,
        helplines=helplines,
        settings=config.build,
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # read_source says what is wrong with it
        return 0


def _check_book_bounds(
    parts: list[model.Part], counts: dict[Bound, int], problems: Problems, line: int | None
) -> None:
    """What every part holds, added up, against the workbook's bounds (bounds.py)."""
    fields = [
        f for part in parts if part.kind == "worksheet" for s in part.sections for f in s.fields
    ]
    images = {m.path for part in parts if isinstance(part, model.Chapter) for m in part.media}
    totals = {
        bounds.BOOK_BLOCKS: counts.get(bounds.BLOCKS, 0),
        bounds.BOOK_MARKS: counts.get(bounds.MARKS, 0),
        bounds.BOOK_PROMPTS: counts.get(bounds.PROMPTS, 0),
        bounds.BOOK_IMAGES: len(images),
        bounds.BOOK_IMAGE_MB: -(-sum(_size(path) for path in images) // 1_000_000),
        bounds.BOOK_FIELDS: len(fields),
        bounds.BOOK_ITEMS: sum(_items(f) for f in fields),
        bounds.BOOK_LOGS: sum(1 for f in fields if f.kind == "log"),
    }
    for bound, count in totals.items():
        if bound.over(count):
            problems.add("workbook.toml", bound.message(), line)


def _items(field: model.Field) -> int:
    """The items a field rates or ticks: a checklist's, a scale's, a grid's in every group."""
    if isinstance(field, model.Grid):
        return sum(group.size for group in field.groups)
    return len(field.items) if isinstance(field, model.Checklist | model.Scale) else 0


def _helplines(
    config: Config, parts: list[model.Part], problems: Problems
) -> model.Helplines | None:
    try:
        helplines = read_helplines(config.project_dir, problems)
    except WorkbookError as error:
        problems.extend(error)
        return None
    for part in parts:
        uses = isinstance(part, model.Chapter) and any(
            isinstance(b, model.HelplineTable) for b in part.blocks
        )
        if uses and helplines is None:
            message = f"'::: helplines' needs a {HELPLINES_FILE} beside workbook.toml"
            problems.add(part.source.relative_to(config.project_dir).as_posix(), message)
    return helplines


def _back_matter(parts: list[model.Part], first: str) -> list[model.Part]:
    """The parts from `first` on are the back matter (the EPUB's landmark goes to the first
    of them that a packet holds)."""
    ids = [part.id for part in parts]
    if first not in ids:
        return parts
    start = ids.index(first)
    return [replace(part, back=True) if i >= start else part for i, part in enumerate(parts)]


def _find_part(config: Config, part_id: str, problems: Problems) -> Path | None:
    folder = config.project_dir / CHAPTERS_DIR
    for suffix in (".md", ".yaml", ".yml"):
        if os.path.lexists(folder / f"{part_id}{suffix}"):  # read_source says if it is unusable
            return folder / f"{part_id}{suffix}"
    known = [p.stem for p in folder.glob("*") if p.suffix in (".md", ".yaml", ".yml")]
    hint = did_you_mean(part_id, known)
    message = f"the part '{part_id}' has no file chapters/{part_id}.md or .yaml{hint}"
    problems.add("workbook.toml", message, config.line_of("contents"))
    return None


def read_source(path: Path, file: str, root: Path) -> str:
    """A chapter's or worksheet's text (see `read_text`): at most 1 MB, and not empty."""
    text = read_text(path, file, (root,), MAX_SOURCE_BYTES, too_large="split it into smaller parts")
    if not text.strip():
        raise WorkbookError([Problem(file, "is empty")])
    return text


def _load_part(
    path: Path,
    part_id: str,
    config: Config,
    md: Any,
    found: tuple[Problems, Anchors],
    counts: dict[Bound, int],
) -> model.Part:
    """A chapter or worksheet; `found` collects the problems and the ids given and linked to,
    `counts` what the chapters hold, for the workbook's bounds."""
    problems, anchors = found
    file = path.relative_to(config.project_dir).as_posix()
    text = read_source(path, file, config.project_dir)
    if path.suffix == ".md":
        where = (path, part_id, file)
        return _load_chapter(text, where, md, config.project_dir, (anchors, counts))
    data = typeset(load_yaml(text, file))
    worksheet = read_worksheet(data, part_id, path, file, problems)
    note_text_links(data, file, anchors)
    if worksheet is None:
        raise WorkbookError([])
    return worksheet


def _load_chapter(
    text: str,
    where: tuple[Path, str, str],
    md: Any,
    project_dir: Path,
    found: tuple[Anchors, dict[Bound, int]],
) -> model.Chapter:
    """Front matter and body are both checked, so one run lists the problems of each.
    `where`: the file's path, its part id and its name to show."""
    path, part_id, file = where
    front_text, body, body_line = split_front_matter(text, file)
    problems = Problems()
    try:
        values = _front_matter(load_yaml(front_text, file, first_line=2), file, problems)
    except WorkbookError as error:
        problems.extend(error)
        values = dict.fromkeys(FRONT_MATTER_KEYS, "")
    images = MediaCollector(project_dir, file, problems)
    try:
        text_body = render_body(md, body, file, body_line, images, *found)
    except WorkbookError as error:
        problems.extend(error)
    problems.raise_if_any()
    return model.Chapter(
        id=part_id,
        title=values["title"],
        summary=values["summary"],
        content_note=values["content_note"],
        blocks=text_body.blocks,
        source=path,
        media=tuple(images.found.values()),
        headings=text_body.headings,
    )


def _front_matter(front: Any, file: str, problems: Problems) -> dict[str, str]:
    checker = Checker(file, problems)
    data = checker.mapping(front, "the front matter", 2)
    if data is None:
        return dict.fromkeys(FRONT_MATTER_KEYS, "")
    checker.keys(data, FRONT_MATTER_KEYS, "the front matter")
    return {key: checker.text(data, key, required=key == "title") for key in FRONT_MATTER_KEYS}


def source_date_epoch() -> dt.date | None:
    """The day SOURCE_DATE_EPOCH names (for reproducible builds), or None when it is unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    if not re.fullmatch("[0-9]{1,30}", epoch.strip()):  # ASCII: '²'.isdigit() is true
        message = f"SOURCE_DATE_EPOCH='{epoch[:30]}' must be a whole number of seconds since 1970"
        raise WorkbookError([Problem("environment", message)])
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        message = f"SOURCE_DATE_EPOCH='{epoch[:30]}' is too far in the future to be a date"
        raise WorkbookError([Problem("environment", message)]) from None


def _edition_date(config: Config, sources: list[Path]) -> dt.date:
    """SOURCE_DATE_EPOCH, else the config's date, else the newest source: never 'now'."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if config.date is not None:
        return config.date
    newest = max(p.stat().st_mtime for p in sources)
    return dt.datetime.fromtimestamp(newest, dt.UTC).date()
