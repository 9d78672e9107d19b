"""The addresses a stylesheet fetches, found by parsing it with tinycss2: escapes (`h\\74 tps:`)
and comments (`@import/**/"..."`) are read as a browser reads them, so none hides an address.

Every `url(...)`, the strings of `src()`, `image()` and `image-set()`, and every `@import`
anywhere in the sheet (even where a browser would not expect one) counts. `@namespace` names
a vocabulary and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tinycss2

from workbook.errors import Problem
from workbook.render.urls import refusal

URL_FUNCTIONS = frozenset(("url", "src"))
STRING_URL_FUNCTIONS = frozenset(("image", "image-set", "-webkit-image-set"))
QUIET = frozenset(("whitespace", "comment"))


@dataclass(frozen=True)
class CssReference:
    url: str
    line: int
    column: int


def references(css: str) -> list[CssReference]:
    tokens = tinycss2.parse_component_value_list(css, skip_comments=True)
    return list(_walk(tokens))


def _walk(tokens: Iterable[Any]) -> Iterator[CssReference]:
    at_rule = ""  # the at-rule whose prelude this is, until its end
    for token in tokens:
        kind = token.type
        if kind == "at-keyword":
            at_rule = token.lower_value
        elif kind == "literal" and token.value == ";":
            at_rule = ""
        elif (kind == "url" and at_rule != "namespace") or (
            kind == "string" and at_rule == "import"
        ):
            yield _ref(token.value, token)
        elif kind == "function":
            yield from _function(token, at_rule)
        if kind in ("{} block", "[] block", "() block"):
            at_rule = ""
            yield from _walk(token.content)


def _function(token: Any, at_rule: str) -> Iterator[CssReference]:
    name = token.lower_name
    if at_rule != "namespace" and name in URL_FUNCTIONS | STRING_URL_FUNCTIONS:
        for argument in token.arguments:
            if argument.type == "string":
                yield _ref(argument.value, argument)
    yield from _walk(token.arguments)


def _ref(url: str, token: Any) -> CssReference:
    return CssReference(url, token.source_line, token.source_column)


def css_refusals(css: str, packaged_at: str | None = None) -> list[tuple[CssReference, str]]:
    """Each address in `css` that must not reach an output, with the reason."""
    found = []
    for ref in references(css):
        reason = refusal(ref.url, packaged_at=packaged_at)
        if reason:
            found.append((ref, reason))
    return found


def css_problems(css: str, file: str, packaged_at: str | None = None) -> list[Problem]:
    """Problems in a stylesheet, each with its line in `file`."""
    return [Problem(file, reason, ref.line) for ref, reason in css_refusals(css, packaged_at)]
