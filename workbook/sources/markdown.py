"""Chapters: YAML front matter plus Markdown, with one small extension for reflection prompts.

    ::: reflect lines=5
    What did safety feel like in your body this week?
    :::

A prompt becomes a `Question` in the chapter's blocks, so every edition draws it the way it
draws worksheet questions (ruled lines on paper, a form field, a plain prompt on screen).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from workbook.errors import Problem, Problems, WorkbookError
from workbook.model import HelplineTable, Question
from workbook.sources import bounds
from workbook.sources.bounds import Bound, Tally
from workbook.sources.typography import italic_statistics, mark_references

DEFAULT_PROMPT_LINES = 4
MAX_LINES = 20
MAX_INLINE_DEPTH = 30
MAX_TABLE_COLUMNS = 12
# What a chapter's block count counts: each is a box the layout places (a tight list's
# paragraphs are hidden inside their items, and not counted again).
BLOCK_TOKENS = {
    "paragraph_open",
    "heading_open",
    "list_item_open",
    "tr_open",
    "blockquote_open",
    "hr",
    "fence",
    "code_block",
}
MARK_CHARACTER = r"[*_`\[~]"  # what opens emphasis, code, links and struck text
PLAIN = {"text", "softbreak"}  # inline tokens that are no box of their own
_WHOLE = re.compile("[0-9]{1,6}")
_PARAMS = re.compile(r"^reflect(?:\s+lines\s*=\s*(\S+))?\s*$")


def make_parser() -> MarkdownIt:
    # Raw HTML is off: chapter text is content, never markup to pass through.
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "replacements", "smartquotes", "strikethrough"])
    container_plugin(
        md, "reflect", validate=lambda params, *_: params.strip().startswith("reflect")
    )
    # `::: helplines` marks where the edition's region's support services are shown.
    container_plugin(
        md, "helplines", validate=lambda params, *_: params.strip().startswith("helplines")
    )
    return md


def split_front_matter(text: str, file: str) -> tuple[str, str, int]:
    """Return (front matter, body, first body line). Front matter is required."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        message = "a chapter starts with front matter: a line '---', 'title: ...', then '---'"
        raise WorkbookError([Problem(file, message, 1)])
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise WorkbookError([Problem(file, "the front matter has no closing '---' line", 1)])


CONTAINERS = ("reflect", "helplines")


def render_blocks(
    md: MarkdownIt,
    body: str,
    file: str,
    first_line: int,
    images: Callable[[str, int], str | None] | None = None,
    counts: dict[Bound, int] | None = None,
) -> tuple[Any, ...]:
    """Markdown to a tuple of HTML strings, `Question` prompts and helpline tables, in order.
    `images` checks each image address and gives the one to use (None: refused, and noted);
    `counts` adds up what the chapter holds (blocks, prompts, ...) for the workbook's bounds.
    Every problem in the body is collected and raised together."""
    problems = Problems()
    _check_before_parsing(body, file, first_line)
    tokens = md.parse(body)
    tally = _check_limits(tokens, file, first_line, problems)
    if tally.passed:  # past a bound: not one image is decoded, nothing is rendered
        problems.raise_if_any()
    if counts is not None:
        counts.update({bound: counts.get(bound, 0) + n for bound, n in tally.counts.items()})
    _resolve_images(tokens, first_line, images)
    blocks: list[str | Question | HelplineTable] = []
    pending: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = next((k for k in CONTAINERS if token.type == f"container_{k}_open"), None)
        if kind is None:
            pending.append(token)
            index += 1
            continue
        close = _matching_close(tokens, index, kind)
        if pending:
            blocks.append(_typeset(md.renderer.render(pending, md.options, {})))
            pending = []
        line = first_line + (token.map[0] if token.map else 0)
        if kind == "helplines":
            blocks.append(HelplineTable())
        else:
            try:
                blocks.append(_prompt(md, token.info, tokens[index + 1 : close], file, line))
            except WorkbookError as error:
                problems.extend(error)
        index = close + 1
    if pending:
        blocks.append(_typeset(md.renderer.render(pending, md.options, {})))
    problems.raise_if_any()
    return tuple(blocks)


def _check_before_parsing(body: str, file: str, first_line: int) -> None:
    """Counts that bound how long parsing takes, found without parsing: markdown-it needs
    a minute for a flood of 5 MB of lines or of emphasis marks."""
    for bound, pattern in ((bounds.LINES, "\n"), (bounds.MARK_CHARACTERS, MARK_CHARACTER)):
        found = re.finditer(pattern, body)
        passing = next(itertools.islice(found, bound.most, None), None)
        if passing is not None:
            line = first_line + body.count("\n", 0, passing.start())
            raise WorkbookError([Problem(file, bound.message(), line)])


def _check_limits(tokens: list[Token], file: str, first_line: int, problems: Problems) -> Tally:
    """Text nested past what a page can show (thousands of '*' or '['), tables too wide to
    print, and more blocks, table rows, prompts or images than a chapter may hold
    (bounds.py) would make the layout run out of depth or time: say so instead. The tally
    holds the chapter's counts, for the workbook's own bounds."""
    tally = Tally(lambda message, line: problems.add(file, message, line))
    line, columns, rows = first_line, 0, 0
    for token in tokens:
        line = first_line + token.map[0] if token.map else line
        if token.type in BLOCK_TOKENS and not token.hidden:
            tally.take(bounds.BLOCKS, line)
        if token.type == "table_open":
            columns = rows = 0
        elif token.type == "tr_open":
            rows += 1
            if rows == bounds.TABLE_ROWS.most + 1:
                tally.alone(bounds.TABLE_ROWS, line, rows)
        elif token.type == "container_reflect_open":
            tally.take(bounds.PROMPTS, line)
        elif token.type == "th_open":
            columns += 1
            if columns == MAX_TABLE_COLUMNS + 1:
                message = f"this table has more than {MAX_TABLE_COLUMNS} columns; split it"
                problems.add(file, message, line)
        elif token.children and _depth(token.children) > MAX_INLINE_DEPTH:
            message = "this paragraph nests emphasis or links too deeply to lay out; simplify it"
            problems.add(file, message, line)
        elif token.children:
            images = sum(1 for child in token.children if child.type == "image")
            if images:
                tally.take(bounds.IMAGES, line, images)
            marks = sum(1 for c in token.children if c.nesting >= 0 and c.type not in PLAIN)
            if marks and tally.alone(bounds.PARAGRAPH_MARKS, line, marks):
                tally.take(bounds.MARKS, line, marks)
    return tally


def _resolve_images(
    tokens: list[Token], first_line: int, images: Callable[[str, int], str | None] | None
) -> None:
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            if child.type != "image":
                continue
            src = images(str(child.attrGet("src") or ""), line) if images else None
            if src is None:  # no image without a checked file: keep the words, drop the picture
                child.type, child.tag, child.nesting, child.attrs = "text", "", 0, {}
            else:
                child.attrSet("src", src)


def _depth(children: list[Token]) -> int:
    depth = deepest = 0
    for child in children:
        depth += child.nesting
        deepest = max(deepest, depth)
    return deepest


def _matching_close(tokens: list[Token], start: int, kind: str) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].type == f"container_{kind}_open":
            depth += 1
        elif tokens[index].type == f"container_{kind}_close":
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1


def _prompt(md: MarkdownIt, info: str, inner: list[Token], file: str, line: int) -> Question:
    match = _PARAMS.match(info.strip())
    if not match:
        message = (
            f"'::: {info.strip()}' is not understood; write '::: reflect' or '::: reflect lines=4'"
        )
        raise WorkbookError([Problem(file, message, line)])
    lines = DEFAULT_PROMPT_LINES
    if match.group(1):
        # ASCII digits only: '²' is a digit to str.isdigit() but not to int().
        written = match.group(1)
        if not _WHOLE.fullmatch(written) or not 1 <= int(written) <= MAX_LINES:
            message = f"lines={written[:20]} must be a whole number from 1 to {MAX_LINES}"
            raise WorkbookError([Problem(file, message, line)])
        lines = int(written)
    label = md.renderer.render(inner, md.options, {}).strip()
    if not label:
        raise WorkbookError([Problem(file, "this reflection prompt has no question in it", line)])
    return Question(label_html=_unwrap_paragraph(label), lines=lines)


def _unwrap_paragraph(html: str) -> str:
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _typeset(html: str) -> str:
    return mark_references(italic_statistics(html))
