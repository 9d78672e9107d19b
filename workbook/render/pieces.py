"""A paged edition's one document cut into pieces that can be laid out apart: each top-level
element of its body (the cover, the contents, each chapter and worksheet, the back page) in a
document of its own, with the same head.

The cut is made in the HTML text itself, so each piece holds exactly the markup the whole
document holds: nothing is parsed and written again. Whether the pieces really start on fresh
pages is only known once they are laid out (writers/apart.py checks it, and lays out the whole
document when they do not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import NamedTuple

# Elements that never have an end tag.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# Elements that make a piece of their own; any other top-level element joins the next piece.
SECTIONS = frozenset({"section", "article", "nav", "aside", "div", "header", "footer", "main"})
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


class Pieces(NamedTuple):
    shell: str  # the document with an empty body
    bodies: tuple[str, ...]  # each piece's markup, in order

    def document(self, first: int, last: int) -> str:
        """Pieces `first` to `last` (included) as one document."""
        head, _, tail = self.shell.partition(_HOLE)
        return head + "".join(self.bodies[first : last + 1]) + tail

    def select(self, chosen: Sequence[int]) -> str:
        """The pieces in `chosen` (in that order) as one document."""
        head, _, tail = self.shell.partition(_HOLE)
        return head + "".join(self.bodies[k] for k in chosen) + tail


_HOLE = "\x00"


def split_document(html: str) -> Pieces | None:
    """One piece per top-level element of the body, or None if the body cannot be cut
    cleanly (text outside any element, tags that do not pair up)."""
    start = _BODY_START.search(html)
    ends = list(_BODY_END.finditer(html))
    if start is None or not ends or ends[-1].start() < start.end() or _HOLE in html:
        return None
    body = html[start.end() : ends[-1].start()]
    spans = _top_level_spans(body)
    if not spans:
        return None
    shell = html[: start.end()] + _HOLE + html[ends[-1].start() :]
    return Pieces(shell, tuple(body[begin:end] for begin, end in spans))


class _Spans(HTMLParser):
    """Where each top-level element begins and ends, as character offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.stack: list[str] = []
        self.spans: list[tuple[int, str]] = []  # where each top-level element begins, its tag
        self.begin = 0
        self.tag = ""
        self.broken = False
        self.stray_text = False

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if not self.stack:
            self.begin, self.tag = self._at(), tag
        if tag in VOID:
            if not self.stack:
                self._close_top()
            return
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        if not self.stack:
            self.begin, self.tag = self._at(), tag
            self._close_top()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.broken = True
            return
        self.stack.pop()
        if not self.stack:
            self._close_top()

    def handle_data(self, data: str) -> None:
        if not self.stack and data.strip():
            self.stray_text = True

    def _close_top(self) -> None:
        self.spans.append((self.begin, self.tag))


def _top_level_spans(body: str) -> list[tuple[int, int]]:
    parser = _Spans(body)
    parser.feed(body)
    parser.close()
    if parser.broken or parser.stray_text or parser.stack:
        return []
    # Each top-level element runs until the next one begins (or the body ends): what lies
    # between is whitespace or comments.
    # A lead-in that is not a section of its own (a client's name above the first worksheet)
    # stays with what follows it: rules such as `p + section` must see them together.
    begins = [
        begin
        for k, (begin, _) in enumerate(parser.spans)
        if k == 0 or parser.spans[k - 1][1] in SECTIONS
    ]
    return [(begin, end) for begin, end in zip(begins, [*begins[1:], len(body)], strict=True)]
