"""Ids a link can go to, given out once for the whole book, and the links that use them.

A chapter links to a part or a place in one with an ordinary Markdown link to `#ID`:
`[the signs checklist](#signs-checklist)`. The ids are the parts' own (as in `contents`), the
headings' (from their words: "## Give it time" is `give-it-time`, or `{#my-id}` at the end of
the heading), the sources of a reference list (`{#bordin-1979}` at the end of the entry's
first line) and the crisis page's `in-danger` and `helplines`. The PDFs hold every part in one
document, so an id is given only once in a book: a heading whose words are already taken gets
`-2`, `-3`; an id chosen with `{#...}` that is taken is a problem to fix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from workbook.errors import Problems, did_you_mean
from workbook.model import HELPLINE_PLACES
from workbook.sources.located import Located, LocatedList

VALID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# A link in a worksheet's words (its instructions, a section's intro, a question's hint):
# `[the crisis page](#in-danger)`, the same form as in a chapter.
TEXT_LINK = re.compile(r"\[([^\[\]]+)\]\(#([^()\s]*)\)")
PROSE_KEYS = ("instructions", "intro", "hint")
# Ids the templates give to what they draw around the text: never a heading's.
TEMPLATE_IDS = frozenset(
    (
        *("contents", "contents-title", "toc", "toc-title", "landmarks", "landmarks-title"),
        *("page-list", "page-list-title", "copyright", "copyright-title", "main"),
        *HELPLINE_PLACES,
    )
)
PAGE_ID = re.compile(r"page-\d+\Z")
# What the templates add to a part's id: `ID-title`, `ID-2-title` (a worksheet section),
# `ID-reflect-3-label` (a prompt), `ID-2-1-label` (a field).
PART_SUFFIX = re.compile(r"(title|reflect-\d.*|\d.*)\Z")


def slug(words: str) -> str:
    """An id from a heading's words: 'Why it matters, after all' -> 'why-it-matters-after-all';
    a number in front is left out ('1. You feel safe' -> 'you-feel-safe')."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if text[:1].isdigit():  # "## 1. You feel safe": 'you-feel-safe'
        text = re.sub(r"^[0-9-]+", "", text) or f"section-{text}"
    return text or "section"


class Anchors:
    """The ids given so far (and by whom), and every link to check once all parts are read."""

    def __init__(self, part_ids: Iterable[str]) -> None:
        self.parts = tuple(part_ids)
        self.given: dict[str, str] = {part: "the part's own id" for part in self.parts}
        self.links: list[tuple[str, str, int]] = []

    def _free(self, ident: str) -> bool:
        if ident in self.given or ident in TEMPLATE_IDS or PAGE_ID.match(ident):
            return False
        return not any(
            ident.startswith(f"{part}-") and PART_SUFFIX.match(ident[len(part) + 1 :])
            for part in self.parts
        )

    def heading(self, words: str, file: str, line: int) -> str:
        """A free id made from a heading's words."""
        base = slug(words)
        ident, number = base, 1
        while not self._free(ident):
            number += 1
            ident = f"{base}-{number}"
        self.given[ident] = f"the heading '{words}' at {file}:{line}"
        return ident

    def chosen(self, ident: str, file: str, line: int, problems: Problems) -> str | None:
        """An id written as `{#id}`; None (and a problem) if it cannot be used."""
        if not VALID.match(ident):
            message = (
                f"'{{#{ident}}}' is not an id a link can use: start with a letter, then "
                "letters, digits, '-' or '_'"
            )
            problems.add(file, message, line)
            return None
        if not self._free(ident):
            taken = self.given.get(ident, "the book's own pages")
            message = f"the id '{ident}' is already used (by {taken}); choose another"
            problems.add(file, message, line)
            return None
        self.given[ident] = f"{{#{ident}}} at {file}:{line}"
        return ident

    def link(self, target: str, file: str, line: int) -> None:
        self.links.append((target, file, line))

    def check_links(self, targets: Iterable[str], problems: Problems) -> None:
        """Every `[words](#id)` goes to a part, a heading or a source of this book."""
        known = set(targets)
        for target, file, line in self.links:
            if target in known:
                continue
            hint = did_you_mean(target, known)
            message = (
                f"the link '#{target}' goes to no part, heading or source in this workbook"
                f"{hint}; link to a part's id (as in contents) or a heading's"
            )
            problems.add(file, message, line)


def note_text_links(data: object, file: str, anchors: Anchors) -> None:
    """Note the links in a worksheet's prose (`instructions`, `intro`, `hint`, and their
    paper / form / screen / web texts), each with its line, for `check_links`."""
    if isinstance(data, LocatedList):
        for item in data:
            note_text_links(item, file, anchors)
    if not isinstance(data, Located):
        return
    for key, value in data.items():
        if key in PROSE_KEYS:
            texts = value.items() if isinstance(value, Located) else [(key, value)]
            where = value if isinstance(value, Located) else data
            for name, text in texts:
                for match in TEXT_LINK.finditer(text if isinstance(text, str) else ""):
                    anchors.link(match.group(2), file, where.line_of(name))
        else:
            note_text_links(value, file, anchors)
