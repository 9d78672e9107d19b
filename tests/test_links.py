"""Links within the book: `[words](#id)` to a part, a heading or a source, checked when the
workbook is read (and by `workbook check`), and pointed where each edition has the place: `#id`
in the PDFs' one document, `PART.xhtml#id` in the EPUB, the part's page in the web edition.
Headings get ids from their words or `{#id}`; `::: bibliography` gives sources theirs."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT, run
from workbook.build.packets import select_parts
from workbook.editions import Edition
from workbook.errors import WorkbookError
from workbook.model import Bibliography, Chapter, link_targets
from workbook.render import render
from workbook.sources.loader import load_book

INTRO = """\
---
title: Intro
---

## Give it time

See [the second chapter](#second), [its plan](#hard-days) and [Bordin](#bordin-1979).
And [the worksheet](#sheet), [its own heading](#give-it-time).

## Give it time
"""

SECOND = """\
---
title: Second
---

## A plan for hard days {#hard-days}

Words ([Bordin, 1979](#bordin-1979)).

## Sources

::: bibliography
- Bordin, E. S. (1979). The working alliance. {#bordin-1979}

  What it found.

- A source with no id.
:::
"""


@pytest.fixture
def linked(sample):
    sample.config(contents=["intro", "second", "sheet"])
    sample.write("chapters/intro.md", INTRO)
    sample.write("chapters/second.md", SECOND)
    return sample


def problems(sample) -> list[str]:
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    return [str(p) for p in error.value.problems]


def test_headings_get_ids_from_their_words_or_braces_unique_in_the_book(linked):
    book = load_book(linked.root)
    intro, second = (p for p in book.parts if isinstance(p, Chapter))
    assert [(h.level, h.id, h.title) for h in intro.headings] == [
        (2, "give-it-time", "Give it time"),
        (2, "give-it-time-2", "Give it time"),  # the same words again: a number
    ]
    assert [h.id for h in second.headings] == ["hard-days", "sources"]
    assert '<h2 id="hard-days">A plan for hard days</h2>' in second.blocks[0]


def test_a_reference_list_gives_each_source_its_id(linked):
    second = load_book(linked.root).parts[1]
    listing = next(b for b in second.blocks if isinstance(b, Bibliography))
    assert [s.id for s in listing.sources] == ["bordin-1979", ""]
    assert listing.heading == "sources"  # the heading just before it names it
    assert (
        listing.sources[0].html
        == "<p>Bordin, E. S. (1979). The working alliance.</p>\n<p>What it found.</p>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](#secnd)", "chapters/intro.md:5: the link '#secnd' goes to no part, heading or "
         "source in this workbook (did you mean 'second'?)"),
        ("[x](#has space)", None),  # not a link at all in Markdown: plain words
        ("[x](#9lives)", "chapters/intro.md:5: the link '#9lives' is not a link to an id; "
         "write it as (#id)"),
        ("[x](second.md)", "chapters/intro.md:5: the link 'second.md' points at a file, which "
         "no edition has; link to the part's id instead: (#second)"),
        ("## Again {#hard-days}", "chapters/second.md:5: the id 'hard-days' is already used "
         "(by {#hard-days} at chapters/intro.md:5); choose another"),
        ("## Sheet {#sheet}", "chapters/intro.md:5: the id 'sheet' is already used (by the "
         "part's own id); choose another"),
        ("## Odd {#no way}", "chapters/intro.md:5: '{#no way}' is not an id a link can use: "
         "start with a letter, then letters, digits, '-' or '_'"),
    ],
)  # fmt: skip
def test_a_link_or_id_that_cannot_work_is_named_with_its_line(linked, text, expected):
    linked.write("chapters/intro.md", f"---\ntitle: Intro\n---\n\n{text}\n")
    if expected is None:
        load_book(linked.root)
        return
    assert any(p.startswith(expected) for p in problems(linked)), problems(linked)


def test_a_missing_id_fails_the_build_and_the_check_with_file_and_line(linked):
    linked.write("chapters/second.md", SECOND.replace("{#bordin-1979}", "{#bordin-79}"))
    result = run("check", "-p", str(linked.root))
    assert result.exit_code == 1
    assert "chapters/intro.md:7: the link '#bordin-1979' goes to no part" in result.output
    assert "chapters/second.md:7: the link '#bordin-1979'" in result.output
    build = linked.build("--edition", "epub")
    assert build.exit_code == 1 and "chapters/intro.md:7" in build.output
    assert not (linked.root / "output" / "sample.epub").exists()


def test_worksheet_words_may_link_too_and_are_checked(linked):
    linked.write(
        "chapters/sheet.yaml",
        "title: S\ninstructions: See [the plan](#hard-days).\nsections:\n  - intro:\n"
        "      paper: Read [this](#nowhere).\n      form: F\n      screen: S\n    fields:\n"
        "      - {type: question, label: Q, hint: 'Try [Intro](#intro).'}\n",
    )
    assert problems(linked) == [
        "chapters/sheet.yaml:5: the link '#nowhere' goes to no part, heading or source in "
        "this workbook; link to a part's id (as in contents) or a heading's"
    ]


def links(html: str) -> list[str]:
    return re.findall(r"<a [^>]*>[^<]*</a>", html)


def test_each_edition_links_where_it_has_the_place(linked):
    book = load_book(linked.root)
    pdf = render(book, Edition("print")).documents[0].html
    assert '<a href="#second" class="xref">the second chapter</a>' in pdf
    assert '<a href="#hard-days" class="xref">its plan</a>' in pdf
    assert '<a href="#bordin-1979" class="cite" role="doc-biblioref">Bordin, 1979</a>' in pdf
    epub = {d.name: d.html for d in render(book, Edition("epub")).documents}
    intro = epub["text/intro.xhtml"]
    assert '<a href="second.xhtml" class="xref">the second chapter</a>' in intro
    assert '<a href="second.xhtml#hard-days" class="xref">its plan</a>' in intro
    assert '<a href="intro.xhtml#give-it-time" class="xref">its own heading</a>' in intro
    assert (
        '<a href="second.xhtml#bordin-1979" class="cite" epub:type="biblioref" '
        'role="doc-biblioref">Bordin, 1979</a>'
    ) in epub["text/second.xhtml"]
    assert '<li id="bordin-1979">' in epub["text/second.xhtml"]
    site = {d.name: d.html for d in render(book, Edition("html")).documents}
    assert '<a href="second.html#hard-days" class="xref">its plan</a>' in site["intro.html"]


def test_a_part_left_out_keeps_the_words_and_loses_the_link(linked):
    book = select_parts(load_book(linked.root), only=("intro",))
    pdf = render(book, Edition("print")).documents[0].html
    intro = pdf.split('<section class="chapter" id="intro"')[1]
    assert "See the second chapter, its plan and Bordin." in intro
    assert links(intro) == ['<a href="#give-it-time" class="xref">its own heading</a>']
    handout = render(load_book(ROOT), Edition("handout", parts=("safety-plan",)))
    assert (
        '<p class="hint">The support and crisis resources page lists' in handout.documents[0].html
    )


def test_the_print_edition_gives_the_page_of_each_cross_reference():
    css = render(load_book(ROOT), Edition("print")).css
    assert 'a.xref::after { content: " (page " target-counter(attr(href), page) ")"; }' in css


def test_every_cross_reference_in_the_default_chapters_is_a_link():
    """A chapter named in quotes is a link, or a link in the same paragraph goes into it; the
    worksheets named in the text and every citation are links."""
    book = load_book(ROOT)
    targets = link_targets(book.parts)
    for part in book.parts:
        if not isinstance(part, Chapter):
            continue
        text = "".join(b for b in part.blocks if isinstance(b, str))
        for paragraph in re.split(r"</p>|</li>", text):
            into = {targets[i][0] for i in re.findall(r'href="#([^"]+)"', paragraph)}
            bare = re.sub(r"<a [^>]*>.*?</a>", "", paragraph)
            for other in book.parts:
                named = f"“{other.title}”" in bare or f"the {other.title.lower()}" in bare
                assert not named or other.id in into, (part.id, other.title, bare[:80])
            assert not re.search(r"\([A-Z][^()]*, (19|20)\d\d\)", bare), (part.id, bare[:80])
