"""Typographer's quotes and dashes in the text of YAML sources (worksheets, helplines), done
once as they are read: straight quotes and apostrophes become curly ones, two hyphens an en
dash and three an em dash, three dots an ellipsis (SmartyPants rules). Chapters get the same
from their Markdown."""

from __future__ import annotations

import re
from typing import Any

import smartypants  # type: ignore[import-untyped]  # no type hints of its own

from workbook.sources.located import Located, LocatedList

_RULES = smartypants.Attr.q | smartypants.Attr.D | smartypants.Attr.e | smartypants.Attr.u


def typeset(value: Any) -> Any:
    """`value` with every string in it typeset; mappings and lists keep their lines."""
    if isinstance(value, str):
        return smartypants.smartypants(value, _RULES) if _worth_it(value) else value
    if isinstance(value, Located):
        for key in list(value):
            value[key] = typeset(value[key])
    elif isinstance(value, LocatedList):
        for index, item in enumerate(value):
            value[index] = typeset(item)
    return value


def _worth_it(text: str) -> bool:
    return any(mark in text for mark in ("'", '"', "--", "..."))


# A statistic's letter before "=", "<" or ">" in running text: "r = .29", "p < .05".
_STATISTIC = re.compile(r"(?<![\w.])([rp])(?= ?(?:=|&lt;|&gt;|<|>) ?[\u2212-]?\.?\d)")
_TEXT = re.compile(r"(>|^)([^<]*)")


def italic_statistics(html: str) -> str:
    """Statistics' letters in italic (APA style), in the text of rendered HTML, never inside a
    tag or a word."""
    return _TEXT.sub(lambda m: m.group(1) + _STATISTIC.sub(r"<em>\1</em>", m.group(2)), html)


# A reference list's entry: "Bordin, E. S. (1979). Title ..." (authors, then the year).
_REFERENCE = re.compile(r"<p>(?=[^<]{2,300}?\(\d{4}[a-z]?(?:, [^)]{1,40})?\)\. )")


def mark_references(html: str) -> str:
    """Mark the entries of a reference list (`class="reference"`), for their hanging indent."""
    return _REFERENCE.sub('<p class="reference">', html)
