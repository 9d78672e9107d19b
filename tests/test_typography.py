"""Typographer's quotes, dashes and italic statistics, done once where sources are read."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from tests.conftest import ROOT
from workbook.sources.loader import load_book
from workbook.sources.typography import italic_statistics, typeset
from workbook.sources.yamldata import load_yaml


def test_yaml_text_gets_curly_quotes_and_real_dashes_and_keeps_its_lines():
    data = typeset(load_yaml('a: He said "it\'s fine" -- then...\nb:\n  - "don\'t"\n', "x.yaml"))
    assert data["a"] == "He said \u201cit\u2019s fine\u201d \u2013 then\u2026"
    assert data["b"] == ["don\u2019t"] and data.key_lines["b"] == 2


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def test_no_straight_quote_in_any_worksheet():
    book = load_book(ROOT)
    for part in book.worksheets:
        text = " ".join(strings(dataclasses.asdict(part)))
        assert "'" not in text and '"' not in text, part.id


def test_statistics_are_italic_in_text_only():
    html = '<p>went with (r = .29), p &lt; .05 <a title="r = 1">a r = x</a></p>'
    assert italic_statistics(html) == (
        '<p>went with (<em>r</em> = .29), <em>p</em> &lt; .05 <a title="r = 1">a r = x</a></p>'
    )


def test_reference_entries_hang_and_their_notes_stay_in():
    """The references are a bibliography: each source's entry hangs (its first paragraph),
    and the note under it does not."""
    book = load_book(ROOT)
    references = next(part for part in book.parts if part.id == "references")
    sources = references.sources
    assert len(sources) >= 9
    bordin = next(s for s in sources if s.id == "bordin-1979")
    assert bordin.html.startswith("<p>Bordin, E. S. (1979).")
    css = (ROOT / "styles" / "print.css").read_text()
    assert ".bibliography .source > p:first-child { text-indent: -2em; }" in css
