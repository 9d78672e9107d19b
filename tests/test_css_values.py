"""Values put into generated CSS stay values: a title cannot end its string and add rules."""

from __future__ import annotations

import dataclasses
import json

import pytest
import tinycss2
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.test_properties import SETTINGS
from workbook.editions import Edition
from workbook.render import render
from workbook.render.cssvalues import css_string
from workbook.sources.loader import load_book

HOSTILE_TITLE = 'Ours" } @page { size: 1in }\n} @page { size: 2in } p { x: "y \\ done'


@SETTINGS
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\0")))
def test_any_text_becomes_one_css_string(text):
    """Any text a workbook can hold (no NUL: the reader refuses it, and CSS has no way to
    write one)."""
    rules = tinycss2.parse_stylesheet(f"p {{ content: {css_string(text)}; }}")
    assert len(rules) == 1
    declarations = tinycss2.parse_declaration_list(rules[0].content, skip_whitespace=True)
    assert [d.name for d in declarations] == ["content"]
    values = [t for t in declarations[0].value if t.type != "whitespace"]
    assert [(t.type, t.value) for t in values] == [("string", text)]


def page_rules(css: str) -> list[str]:
    return [
        tinycss2.serialize(rule.prelude).strip()
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        if rule.type == "at-rule" and rule.lower_at_keyword == "page"
    ]


@pytest.mark.parametrize(
    "edition", [Edition("handout", parts=("sheet",)), Edition("print", discreet=True)]
)
def test_a_hostile_title_adds_no_rule_to_the_stylesheet(sample, edition):
    sample.config(["intro", "sheet"])
    text = (sample.root / "workbook.toml").read_text()
    sample.write("workbook.toml", text.replace('"Sample"', json.dumps(HOSTILE_TITLE)))
    book = load_book(sample.root)
    if edition.discreet:  # the discreet title (made by the plan) is the one in its CSS
        book = dataclasses.replace(book, meta=dataclasses.replace(book.meta, title=HOSTILE_TITLE))
    css = render(book, edition).css
    with_title = [rule for rule in page_rules(css) if "size" in rule]
    assert with_title == []
    assert css_string(HOSTILE_TITLE)[1:-1] in css


@pytest.mark.slow
def test_a_handout_title_cannot_change_the_page_size(sample):
    text = (sample.root / "workbook.toml").read_text()
    sample.write("workbook.toml", text.replace('"Sample"', json.dumps(HOSTILE_TITLE)))
    result = sample.build_to(sample.root / "out", "--edition", "print")
    assert result.exit_code == 0, result.output
    from tests.conftest import run

    result = run("handout", "sheet", "-p", str(sample.root), "-o", str(sample.root / "out"))
    assert result.exit_code == 0, result.output
    (handout,) = (sample.root / "out").glob("*-handout-*.pdf")
    page = PdfReader(handout).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    assert 'Ours" } @page { size: 1in }' in page.extract_text()
