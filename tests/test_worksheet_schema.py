"""The worksheet schema's richer kinds: scales of any range with a label per point, grids of
items by dated columns with totals, logs with options to tick, numbers and a worked example,
entries down the page, and text per medium. What they load as, and every message they get."""

from __future__ import annotations

import re

import pytest

from workbook.editions import Edition
from workbook.errors import WorkbookError
from workbook.model import ByMedium, Grid, Log, Scale
from workbook.render import render
from workbook.sources.loader import load_book

RICH = """\
title: Rich
instructions:
  paper: Write a number in each box.
  form: Type a number in each box.
  screen: Note a number for each line.
sections:
  - heading: Part one
    intro:
      paper: Tick what fits.
      form: Tick what fits.
      screen: Choose what fits.
    fields:
      - type: scale
        label: Ten points
        from: 0
        to: 10
        low: calm
        high: very upset
        items: [How upset I am]
      - type: scale
        label: Five labels
        from: 0
        to: 4
        labels: [Not at all, A little, Somewhat, Mostly, Very true]
        items: [I feel safe]
      - type: grid
        label: Every few weeks
        columns: 6
        from: 0
        to: 4
        labels: [Not at all, A little, Somewhat, Mostly, Very true]
        total: Total
        groups:
          - label: Bond
            items: [I feel cared for, I trust them]
          - label: Goals
            items: [We agree on goals]
      - type: log
        label: Moments
        layout: entries
        entry: Moment
        rows: 2
        columns:
          - label: What happened
            lines: 3
            example: She looked at the clock.
          - label: How upset
            from: 0
            to: 10
            example: 6
          - label: What I did
            options: [went quiet, kept the peace, argued]
            lines: 1
            example: [went quiet]
          - label: Repaired?
            pick: one
            options: [Fully, Partly, Not yet]
            example: Not yet
      - type: log
        label: Sessions
        landscape: false
        rows: 2
        columns:
          - label: Date
            lines: 1
          - label: Told them?
            pick: one
            options: ["Yes", Not yet]
"""


def messages(error: pytest.ExceptionInfo[WorkbookError]) -> list[str]:
    return [str(p) for p in error.value.problems]


@pytest.fixture
def rich(sample):
    sample.write("chapters/sheet.yaml", RICH)
    return load_book(sample.root)


def test_rich_worksheet_loads_what_it_says(rich):
    sheet = rich.parts[1]
    assert sheet.instructions == ByMedium(
        "Write a number in each box.", "Type a number in each box.", "Note a number for each line."
    )
    assert sheet.sections[0].intro["screen"] == "Choose what fits."
    wide, labelled, grid, entries, table = sheet.sections[0].fields
    assert isinstance(wide, Scale) and wide.numbers == tuple(range(11)) and wide.wide
    assert wide.key == "0 is calm, 10 is very upset"
    assert isinstance(labelled, Scale) and labelled.point_label(2) == "Somewhat"
    assert isinstance(grid, Grid) and grid.columns == 6 and grid.total == "Total"
    assert [g.label for g in grid.groups] == ["Bond", "Goals"]
    assert [grid.most(g) for g in grid.groups] == [8, 4]
    assert isinstance(entries, Log) and entries.layout == "entries" and entries.entry == "Moment"
    assert [c.answer for c in entries.columns] == ["text", "number", "options", "options"]
    assert [c.example for c in entries.columns] == [
        ("She looked at the clock.",),
        ("6",),
        ("went quiet",),
        ("Not yet",),
    ]
    assert entries.columns[1].range_text == "0 to 10"
    assert entries.columns[3].pick == "one" and entries.columns[2].pick == "any"
    assert isinstance(table, Log) and not table.landscape and not sheet.landscape


def test_the_web_edition_has_its_own_text_or_the_forms(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\ninstructions:\n  paper: Write.\n  form: Type.\n  screen: Note.\n"
        "  web: Enter.\nsections:\n  - intro: {paper: a, form: b, screen: c}\n"
        "    fields:\n      - {type: date}\n",
    )
    sheet = load_book(sample.root).parts[1]
    assert sheet.instructions["web"] == "Enter." and sheet.sections[0].intro["web"] == "b"


def test_plain_text_is_the_same_in_every_medium(sample):
    sheet = load_book(sample.root).parts[1]
    assert sheet.instructions["paper"] == sheet.instructions["screen"] == sheet.instructions.form


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            "{type: scale, items: [a], from: 0, to: 11}",
            "'to' must be a whole number from 1 to 10",
        ),
        ("{type: scale, items: [a], points: 5, to: 5}", "use 'points' or 'to', not both"),
        (
            "{type: scale, items: [a], points: 3, labels: [x, y]}",
            "'labels' must have 3 items, one for each point from 1 to 3; it has 2",
        ),
        (
            "{type: scale, items: [a], points: 2, labels: [x, y], low: z}",
            "use 'labels' or 'low', not both",
        ),
        ("{type: scale, items: [a], from: -11}", "'from' must be a whole number from -10 to 10"),
        ("{type: grid, items: [a], columns: 13}", "'columns' must be a whole number from 1 to 12"),
        ("{type: grid, items: [a], groups: [{items: [b]}]}", "use 'items' or 'groups', not both"),
        ("{type: grid, groups: [{label: A}]}", "'items' is missing; add a line 'items: ...'"),
        (
            "{type: grid, groups: [{label: A, items: [b], totl: x}]}",
            "unknown key 'totl' in a group",
        ),
        ("{type: grid, label: x}", "'items' is missing; add a line 'items: ...'"),
        (
            "{type: log, layout: cards, columns: [{label: A}]}",
            "unknown layout 'cards'; use one of: table, entries",
        ),
        (
            "{type: log, landscape: maybe, columns: [{label: A}]}",
            "'landscape' must be true or false",
        ),
        (
            "{type: log, columns: [{label: A, pick: one}]}",
            "'pick' goes with 'options'; add 'options' or take 'pick' out",
        ),
        (
            "{type: log, columns: [{label: A, options: [x], pick: all}]}",
            "unknown pick 'all'; use one of: one, any",
        ),
        (
            "{type: log, columns: [{label: A, options: [x], to: 10}]}",
            "use 'options' or 'to', not both",
        ),
        (
            "{type: log, columns: [{label: A, from: 0}]}",
            "'from' goes with 'to'; add 'to' or take 'from' out",
        ),
        (
            "{type: log, columns: [{label: A, options: [Often, Never], example: Maybe}]}",
            "unknown option 'Maybe'; use one of: Often, Never",
        ),
        (
            "{type: log, columns: [{label: A, options: [x, y], pick: one, example: [x, y]}]}",
            "'example' can tick only one option when 'pick' is one",
        ),
        (
            "{type: log, columns: [{label: A, to: 10, example: 11}]}",
            "'example' must be a whole number from 0 to 10",
        ),
        (
            "{type: log, columns: [{label: A, lines: 0}]}",
            "'lines' must be a whole number from 1 to 12",
        ),
        (
            "{type: log, layout: entries, columns: ["
            + ", ".join("{label: C}" for _ in range(17))
            + "]}",
            "an entry of a log fits at most 16 columns on a page",
        ),
    ],
)
def test_bad_values_get_one_message_each(sample, field, expected):
    sample.write("chapters/sheet.yaml", f"title: T\nsections:\n  - fields:\n      - {field}\n")
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    assert [m.removeprefix("chapters/sheet.yaml:4: ") for m in messages(error)] == [expected]


def test_text_per_medium_needs_all_three(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\ninstructions:\n  paper: Write.\n  print: Type.\n"
        "sections:\n  - fields:\n      - {type: date}\n",
    )
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    assert messages(error) == [
        "chapters/sheet.yaml:4: unknown key 'print' in 'instructions'",
        "chapters/sheet.yaml:3: 'form' is missing; add a line 'form: ...'",
        "chapters/sheet.yaml:3: 'screen' is missing; add a line 'screen: ...'",
    ]


# ---- how each kind draws, in each medium ------------------------------------------------


def html_of(book, format: str) -> str:
    rendered = render(book, Edition(format))
    return "".join(d.html for d in rendered.documents if d.part is None or d.part.id == "sheet")


def worksheet_html(book, format: str) -> str:
    html = html_of(book, format)
    return html[html.index('<section class="worksheet') :]


def test_paper_draws_boxes_circles_and_the_example_in_grey(rich):
    html = worksheet_html(rich, "print")
    assert "Write a number in each box." in html and "Tick what fits." in html
    assert html.count('class="circle"') == 11 + 5  # a circle per point per item
    assert html.count('<td class="grid-cell">') == 6 * (3 + 2)  # items and totals, 6 columns
    assert "(out of 8)" in html and "(out of 4)" in html
    assert 'class="entry example-entry"' in html and "She looked at the clock." in html
    assert html.count('class="option ticked"') == 2  # "went quiet", "Not yet"
    assert "Moment 1" in html and "Moment 2" in html
    assert "<input" not in html and "<textarea" not in html


def test_form_fields_have_unique_names_and_a_tooltip_each(rich):
    html = worksheet_html(rich, "fillable")
    assert "Type a number in each box." in html
    controls = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
    names = [re.search(r'name="([^"]+)"', c).group(1) for c in controls]
    radios = [n for c, n in zip(controls, names, strict=True) if 'type="radio"' in c]
    assert len(set(names) - set(radios)) == len(names) - len(radios)  # one field each
    assert all(re.search(r'title="[^"]+"', c) for c in controls)
    assert "sheet-1-3-date-6" in names and "sheet-1-3-2-total-6" in names
    assert "sheet-1-4-2-3-1" in names  # entry 2, "What I did", first option
    assert "sheet-1-4-2-3-words" in names  # ... and its own words
    assert radios.count("sheet-1-4-1-4") == 3  # entry 1, "Repaired?": one of three
    assert "She looked at the clock." in html  # the example is printed, never a field
    assert not any("She looked" in c for c in controls)


def test_screen_has_numbered_prompts_and_no_drawing_or_ticking(rich):
    html = worksheet_html(rich, "epub")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Note a number for each line." in text and "Choose what fits." in text
    for word in ("tick", "write on the lines", "circle", "<input", "<textarea", "<table"):
        assert word not in html.lower(), word
    # The fields are one numbered list: a list per section, its numbers going on.
    prompts = r'<ol class="prompts"(?: start="(\d+)")?>(.*?)</ol>\s*</section>'
    lists = re.findall(prompts, html, re.S)
    sizes = [body.count('<li class="prompt">') for _, body in lists]
    starts = [int(start or 1) for start, _ in lists]
    assert sum(sizes) == 5 and starts == [1 + sum(sizes[:i]) for i in range(len(sizes))]
    assert "Give each one a number from 0 to 10 (0 is calm, 10 is very upset)." in text
    assert "Total for bond: add up these 2 numbers. The most is 8." in " ".join(text.split())
    assert "Choose one: Fully; Partly; Not yet." in text
    assert "Here is one person's moment, as an example" in text
    assert re.search(r'<ol class="scale-items" type="a" start="3"', html)  # letters go on


def test_a_landscape_table_log_still_turns_its_page(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\nsections:\n  - fields:\n      - {type: log, columns: [{label: A}]}\n",
    )
    sheet = load_book(sample.root).parts[1]
    assert sheet.landscape and 'class="worksheet has-log"' in worksheet_html(
        load_book(sample.root), "print"
    )


def test_web_pages_have_a_control_for_every_answer_with_a_label(rich):
    html = worksheet_html(rich, "html")
    assert "Type a number in each box." in html  # a web page is typed into, like a form
    controls = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
    ids = [re.search(r'id="([^"]+)"', c).group(1) for c in controls]
    assert len(ids) == len(set(ids))
    assert all(f'for="{i}"' in html for i in ids)
    assert 'id="sheet-1-3-date-1"' in html and 'name="sheet-1-3-2-total-1"' in html
    assert 'type="number" id="sheet-1-3-1-2-1" name="sheet-1-3-1-2-1" min="0" max="4"' in html
    assert 'type="radio" id="sheet-1-1-1-0"' in html  # a scale from 0
    assert 'name="sheet-1-4-1-3-1"' in html and 'name="sheet-1-4-1-3-words"' in html
    assert html.count('name="sheet-1-4-1-4"') == 3  # one choice of three
    assert 'data-entry-name="Moment"' in html and "Add another moment" in html
    assert "<dt>What happened</dt><dd>She looked at the clock.</dd>" in html
    assert html.count("<fieldset") == html.count("<legend")
