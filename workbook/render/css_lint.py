"""`workbook check` reads every stylesheet the way a browser would (tinycss2) and reports what
would be silently ignored: a syntax error (a rule or declaration that cannot be read, a `{`
never closed) and a property no browser, e-reader or WeasyPrint knows (`colour: red`), each
with its file and line, and the property it may have meant."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tinycss2

from workbook.errors import Problem, did_you_mean

# Descriptors of at-rules, which are not properties.
DESCRIPTORS = {
    "font-face": {"src", "font-family", "font-style", "font-weight", "font-stretch",
                  "font-display", "unicode-range", "font-feature-settings",
                  "font-variation-settings", "size-adjust", "ascent-override",
                  "descent-override", "line-gap-override"},
    "page": {"size", "marks", "bleed", "page-orientation"},
    "counter-style": {"system", "symbols", "additive-symbols", "negative", "prefix", "suffix",
                      "range", "pad", "speak-as", "fallback"},
}  # fmt: skip


@functools.cache
def known_properties() -> frozenset[str]:
    """known-css-properties' list, and every property WeasyPrint reads (`bleed`, `anchor`)."""
    lines = (Path(__file__).parent / "css_properties.txt").read_text(encoding="utf-8")
    names = {line for line in lines.splitlines() if line and not line.startswith("#")}
    try:
        from weasyprint.css.validation import expanders, properties  # WeasyPrint: at check only

        names |= set(properties.PROPERTIES) | set(expanders.EXPANDERS)
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        pass
    return frozenset(names)


def css_problems(css: str, file: str) -> list[Problem]:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    problems = [*_unclosed(css, file), *_in_rules(rules, file, None)]
    return sorted(problems, key=lambda p: p.line or 0)


def _in_rules(rules: Iterable[Any], file: str, at_rule: str | None) -> Iterator[Problem]:
    for rule in rules:
        kind = getattr(rule, "type", "")
        if kind == "error":
            yield _syntax(rule, file)
        elif kind == "qualified-rule":
            yield from _in_block(rule.content, file, None)
        elif kind == "at-rule" and rule.content is not None:
            name = rule.lower_at_keyword
            if name in ("media", "supports", "layer", "container", "document"):
                inner = tinycss2.parse_rule_list(rule.content, True, True)
                yield from _in_rules(inner, file, None)
            else:
                yield from _in_block(rule.content, file, name)


def _in_block(content: list[Any], file: str, at_rule: str | None) -> Iterator[Problem]:
    """Declarations, and the at-rules inside an @page (its margin boxes)."""
    items = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    allowed = DESCRIPTORS.get(at_rule or "", set())
    for item in items:
        kind = getattr(item, "type", "")
        if kind == "error":
            yield _syntax(item, file)
        elif kind == "declaration":
            name = item.lower_name
            if name.startswith("--") or name in allowed or name in known_properties():
                continue
            if at_rule == "font-face":
                continue
            hint = did_you_mean(name, sorted(known_properties()))
            message = f"unknown property '{item.name}'{hint}; browsers and WeasyPrint ignore it"
            yield Problem(file, message, item.source_line)
        elif kind == "at-rule" and item.content is not None:
            yield from _in_block(item.content, file, "page-margin")
        elif kind == "qualified-rule":  # CSS nesting
            yield from _in_block(item.content, file, None)


def _syntax(error: object, file: str) -> Problem:
    message = getattr(error, "message", "")
    return Problem(file, f"CSS that cannot be read: {message}", getattr(error, "source_line", None))


def _unclosed(css: str, file: str) -> Iterator[Problem]:
    """A `{` never closed, found by counting outside comments and strings: tinycss2 closes
    it quietly at the end of the file, and every rule after it would be lost inside it."""
    opened: list[int] = []
    line, i, quote = 1, 0, ""
    while i < len(css):
        char = css[i]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = len(css) if end < 0 else end
            line += css.count("\n", i, end)
            i = end + 1
        elif char in "\"'":
            quote = char
        elif char == "{":
            opened.append(line)
        elif char == "}" and opened:
            opened.pop()
        i += 1
    for where in opened[:1]:
        yield Problem(file, "this '{' is never closed with '}'; the rules after it are lost", where)
