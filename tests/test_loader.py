"""The loader and its schema: what sources become, and the messages bad sources get."""

from __future__ import annotations

import pytest

from workbook.errors import WorkbookError
from workbook.model import Checklist, DateField, Log, Notes, Question, Scale
from workbook.sources.loader import load_book
from workbook.sources.markdown import make_parser, render_blocks
from workbook.sources.yamldata import load_yaml


def messages(error: pytest.ExceptionInfo[WorkbookError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_yaml_values_remember_their_lines():
    data = load_yaml("title: A\nsections:\n  - heading: B\n", "x.yaml")
    assert data.line_of("sections") == 2
    assert data["sections"].item_lines == [3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "x.yaml:2: the key 'a' appears twice"),
        ("a: &x 1\nb: *x\n", "x.yaml:2: not valid YAML: anchors and aliases"),
        (
            "a: !!python/object:os.system x\n",
            "x.yaml:1: the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
        ),
        ("a: [1\n", "x.yaml:2: not valid YAML"),
        ("[" * 5000, "x.yaml:1: the YAML is nested too deeply"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_location(text, expected):
    with pytest.raises(WorkbookError) as error:
        load_yaml(text, "x.yaml")
    assert messages(error)[0].startswith(expected)


def test_reflect_prompts_become_questions_between_html_blocks():
    body = "Before.\n\n::: reflect lines=6\nWhat do *you* notice?\n:::\n\nAfter.\n"
    blocks = render_blocks(make_parser(), body, "c.md", 5)
    assert blocks[0] == "<p>Before.</p>\n"
    assert blocks[1] == Question(label_html="What do <em>you</em> notice?", lines=6)
    assert blocks[2] == "<p>After.</p>\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("::: reflect lines=99\nQ\n:::\n", "c.md:5: lines=99 must be a whole number from 1 to 20"),
        (
            "::: reflect please\nQ\n:::\n",
            "c.md:5: '::: reflect please' is not understood;"
            " write '::: reflect' or '::: reflect lines=4'",
        ),
        ("::: reflect\n:::\n", "c.md:5: this reflection prompt has no question in it"),
    ],
)
def test_bad_reflect_prompts(body, expected):
    with pytest.raises(WorkbookError) as error:
        render_blocks(make_parser(), body, "c.md", 5)
    assert messages(error) == [expected]


def test_raw_html_in_markdown_is_shown_as_text_not_markup():
    blocks = render_blocks(
        make_parser(), "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n", "c.md", 1
    )
    html = "".join(blocks)
    assert "<script>" not in html and 'href="javascript' not in html


def test_every_field_type_loads(sample):
    sample.write(
        "chapters/sheet.yaml",
        """\
        title: All fields
        instructions: Try each one.
        sections:
          - heading: One
            intro: Hello.
            fields:
              - type: date
              - type: checklist
                label: Tick
                items: [a, b]
              - type: scale
                label: Rate
                points: 4
                low: low
                high: high
                items: [c]
              - type: question
                label: Why <this>?
                lines: 2
                hint: a hint
              - type: notes
                label: Notes
              - type: log
                rows: 3
                columns:
                  - label: Date
                    width: 0.5
                  - label: What
                    prompt: What happened?
        """,
    )
    sheet = load_book(sample.root).parts[1]
    kinds = [type(f) for f in sheet.sections[0].fields]
    assert kinds == [DateField, Checklist, Scale, Question, Notes, Log]
    scale, question, log = (
        sheet.sections[0].fields[2],
        sheet.sections[0].fields[3],
        sheet.sections[0].fields[5],
    )
    assert (scale.points, scale.low, scale.high, scale.items) == (4, "low", "high", ("c",))
    assert question.label_html == "Why &lt;this&gt;?"  # worksheet text is text, never markup
    assert [(c.label, c.prompt, c.width) for c in log.columns] == [
        ("Date", "Date", 0.5),
        ("What", "What happened?", 1.0),
    ]


def test_worksheet_schema_collects_every_problem(sample):
    sample.write(
        "chapters/sheet.yaml",
        """\
        title: T
        instuctions: typo
        sections:
          - fields:
              - type: scale
                label: Rate
                items: []
                points: 12
              - type: log
                columns:
                  - label: A
                    width: big
        """,
    )
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    assert messages(error) == [
        "chapters/sheet.yaml:2: unknown key 'instuctions' in the worksheet"
        " (did you mean 'instructions'?)",
        "chapters/sheet.yaml:7: 'items' must be a list of at least one item, one '- ' line each",
        "chapters/sheet.yaml:8: 'points' must be a whole number from 2 to 11",
        "chapters/sheet.yaml:12: 'width' must be a number from 0.2 to 5",
    ]


def test_bom_and_crlf_are_fine(sample):
    sample.write(
        "chapters/intro.md", "\ufeff---\r\ntitle: Windows\r\n---\r\n\r\nHello.\r\n".encode()
    )
    assert load_book(sample.root).parts[0].title == "Windows"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"---\ntitle: x\n---\n\xff\xfe\n", "chapters/intro.md:4: is not UTF-8 text"),
        (b"---\ntitle: x\n---\nA\x00B\n", "chapters/intro.md:4: contains a NUL byte"),
        (b"  \n", "chapters/intro.md: is empty"),
    ],
)
def test_unreadable_text_is_refused(sample, raw, expected):
    sample.write("chapters/intro.md", raw)
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    assert messages(error)[0].startswith(expected)


def test_unknown_config_key_and_bad_language(sample):
    sample.config(contents=["intro"], extra='titel = "x"\nlanguage = "english!"\n')
    sample.write(
        "workbook.toml",
        sample.root.joinpath("workbook.toml").read_text().replace('language = "en"\n', ""),
    )
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    text = "\n".join(messages(error))
    assert "unknown key 'titel' in the settings (did you mean 'title'?)" in text
    assert "'english!' is not a language tag" in text


def test_source_date_epoch_sets_the_date(sample, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert load_book(sample.root).meta.date.isoformat() == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    assert "SOURCE_DATE_EPOCH='yesterday'" in messages(error)[0]


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        ("workbook.model", "workbook.sources"),  # the model is below the sources
        ("workbook.sources.helplines", "workbook.sources.loader"),  # no loop with the loader
        ("workbook.sources.settings", "workbook.sources.loader"),
    ],
)
def test_imports_run_one_way(module, must_not_load):
    import subprocess
    import sys

    code = (
        f"import sys, {module}\n"
        f"loaded = [m for m in sys.modules if m.startswith({must_not_load!r})]\n"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
