"""Chapters: YAML front matter plus Markdown, with a few small extensions.

    ::: reflect lines=5
    What did safety feel like in your body this week?
    :::

A prompt becomes a `Question` in the chapter's blocks, so every edition draws it the way it
draws worksheet questions (ruled lines on paper, a form field, a plain prompt on screen).
`::: helplines` marks where the helplines go, and `::: bibliography` holds a reference list
(one `- ` item per source, ending `{#id}` for citations to link to). Headings get ids, and links
to `#ID` are noted for checking once every part is read (sources/anchors.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from workbook.errors import Problem, Problems, WorkbookError
from workbook.model import Bibliography, Block, Heading, HelplineTable, Question, Source
from workbook.sources import bounds
from workbook.sources.anchors import VALID, Anchors
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
_CHOSEN_ID = re.compile(r"\s*\{#([^{}]*)\}\s*$")  # `{#my-id}` at the end of a heading or source


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
    # `::: bibliography` holds a reference list: one source per list item.
    container_plugin(
        md, "bibliography", validate=lambda params, *_: params.strip() == "bibliography"
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


CONTAINERS = ("reflect", "helplines", "bibliography")


@dataclass(frozen=True)
class Body:
    """A chapter's text: its blocks, and its headings with their ids."""

    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]


def render_blocks(
    md: MarkdownIt,
    body: str,
    file: str,
    first_line: int,
    images: Callable[[str, int], str | None] | None = None,
    counts: dict[Bound, int] | None = None,
) -> tuple[Block, ...]:
    """The blocks of `render_body`, for a text on its own."""
    return render_body(md, body, file, first_line, images, None, counts).blocks


def render_body(
    md: MarkdownIt,
    body: str,
    file: str,
    first_line: int,
    images: Callable[[str, int], str | None] | None = None,
    anchors: Anchors | None = None,
    counts: dict[Bound, int] | None = None,
) -> Body:
    """Markdown to HTML strings, `Question` prompts, helpline tables and reference lists, in
    order. `images` checks each image address and gives the one to use (None: refused, and
    noted); `anchors` gives the headings' ids and notes the links (a fresh one: this text is
    all there is); `counts` adds up what the chapter holds (blocks, prompts, ...) for the
    workbook's bounds. Every problem in the body is collected and raised together."""
    problems = Problems()
    anchors = anchors if anchors is not None else Anchors(())
    _check_before_parsing(body, file, first_line)
    tokens = md.parse(body)
    tally = _check_limits(tokens, file, first_line, problems)
    if tally.passed:  # past a bound: not one image is decoded, nothing is rendered
        problems.raise_if_any()
    if counts is not None:
        counts.update({bound: counts.get(bound, 0) + n for bound, n in tally.counts.items()})
    _resolve_images(tokens, first_line, images)
    headings = _name_headings(tokens, file, first_line, anchors, problems)
    _note_links(tokens, file, first_line, anchors, problems)
    blocks: list[Block] = []
    pending: list[Token] = []
    heading = ""  # the id of the last heading so far: it names a reference list after it
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = next((k for k in CONTAINERS if token.type == f"container_{k}_open"), None)
        if kind is None:
            heading = str(token.attrGet("id")) if token.type == "heading_open" else heading
            pending.append(token)
            index += 1
            continue
        close = _matching_close(tokens, index, kind)
        if pending:
            blocks.append(_typeset(md.renderer.render(pending, md.options, {})))
            pending = []
        line = first_line + (token.map[0] if token.map else 0)
        inner = tokens[index + 1 : close]
        try:
            if kind == "helplines":
                blocks.append(HelplineTable())
            elif kind == "bibliography":
                where = (file, first_line, line)
                blocks.append(_bibliography(md, inner, where, anchors, heading))
            else:
                blocks.append(_prompt(md, token.info, inner, file, line))
        except WorkbookError as error:
            problems.extend(error)
        index = close + 1
    if pending:
        blocks.append(_typeset(md.renderer.render(pending, md.options, {})))
    problems.raise_if_any()
    return Body(tuple(blocks), tuple(headings))


def _take_chosen_id(inline: Token) -> str | None:
    """The `{#id}` at the end of a heading's or list item's words, taken out of them."""
    match = _CHOSEN_ID.search(inline.content)
    last = inline.children[-1] if inline.children else None
    if match is None or last is None or last.type != "text":
        return None
    found = _CHOSEN_ID.search(last.content)
    if found is None:
        return None
    last.content = last.content[: found.start()]
    inline.content = inline.content[: match.start()]
    return found.group(1).strip()


def _words(inline: Token) -> str:
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def _name_headings(
    tokens: list[Token], file: str, first_line: int, anchors: Anchors, problems: Problems
) -> list[Heading]:
    """Give every heading an id: the one written as `{#id}`, else one from its words."""
    headings = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        line = first_line + (token.map[0] if token.map else 0)
        inline = tokens[index + 1]
        chosen = _take_chosen_id(inline)
        words = _words(inline).strip()
        ident = (
            anchors.chosen(chosen, file, line, problems)
            if chosen is not None
            else anchors.heading(words, file, line)
        )
        if ident is None:
            continue
        token.attrSet("id", ident)
        headings.append(Heading(int(token.tag[1:]), ident, words))
    return headings


def _note_links(
    tokens: list[Token], file: str, first_line: int, anchors: Anchors, problems: Problems
) -> None:
    """Links within the book (`#ID`) are checked once every part is read; a link to a
    chapter's file will not work in any edition, so it says how to write one that does."""
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            if href.startswith("#"):
                if VALID.match(href[1:]):
                    anchors.link(href[1:], file, line)
                else:
                    message = f"the link '{href}' is not a link to an id; write it as (#id)"
                    problems.add(file, message, line)
            elif "://" not in href and href.split("#")[0].endswith((".md", ".yaml", ".yml")):
                stem = href.split("#")[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
                message = (
                    f"the link '{href}' points at a file, which no edition has; link to the "
                    f"part's id instead: (#{stem})"
                )
                problems.add(file, message, line)


def _bibliography(
    md: MarkdownIt, inner: list[Token], where: tuple[str, int, int], anchors: Anchors, heading: str
) -> Bibliography:
    """One list, each item a source: its first paragraph may end with `{#id}`. `where`: the
    file, the body's first line and the container's line."""
    file, first_line, line = where
    opens = ("bullet_list_open", "ordered_list_open")
    if not inner or inner[0].type not in opens or inner[-1].type != inner[0].type[:-5] + "_close":
        message = "a bibliography holds one list: a '- ' line for each source, and nothing else"
        raise WorkbookError([Problem(file, message, line)])
    problems = Problems()
    sources = []
    level = inner[0].level + 1
    starts = [i for i, t in enumerate(inner) if t.type == "list_item_open" and t.level == level]
    for start in starts:
        close = next(
            i
            for i in range(start, len(inner))
            if inner[i].type == "list_item_close" and inner[i].level == level
        )
        item = inner[start + 1 : close]
        first = next((t for t in item if t.type == "inline"), None)
        chosen = _take_chosen_id(first) if first is not None else None
        opened = inner[start].map
        at = first_line + (opened[0] if opened else 0)
        ident = anchors.chosen(chosen, file, at, problems) if chosen else None
        html = md.renderer.render(item, md.options, {}).strip()
        sources.append(Source(ident or "", html))
    problems.raise_if_any()
    return Bibliography(tuple(sources), heading)


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
