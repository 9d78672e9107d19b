"""Every bad input in the README's table gets its message: file, line, what to do; exit 1.

Each test breaks one thing in a small sample workbook and checks the message a person sees.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import run
from workbook.build import limits
from workbook.errors import WorkbookError
from workbook.sources.loader import load_book
from workbook.sources.settings import read_config


def problems_of(sample) -> list[str]:
    with pytest.raises(WorkbookError) as error:
        load_book(sample.root)
    return [str(p) for p in error.value.problems]


def check(sample, *expected: str) -> str:
    """`workbook check` on the sample: exit 1, every expected text shown, no traceback."""
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output
    assert "Traceback" not in result.output
    return result.output


# --- YAML: front matter and worksheets ------------------------------------------------------


def test_worksheet_yaml_that_does_not_parse(sample):
    sample.write("chapters/sheet.yaml", "title: T\nsections:\n  - fields: [\n")
    assert problems_of(sample)[0].startswith("chapters/sheet.yaml:4: not valid YAML")


def test_every_duplicate_key_and_refused_tag_in_a_file_is_listed(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\ntitle: U\ninstructions: !!python/name:os.system\nsections: []\n"
        "sections: []\nbad_date: 2021-02-30\n",
    )
    found = problems_of(sample)
    assert found[:4] == [
        "chapters/sheet.yaml:2: the key 'title' appears twice; keep only one",
        "chapters/sheet.yaml:3: the tag 'tag:yaml.org,2002:python/name:os.system' is not"
        " allowed here; write plain text instead",
        "chapters/sheet.yaml:5: the key 'sections' appears twice; keep only one",
        "chapters/sheet.yaml:6: '2021-02-30' is not a real date; put it in quotes if it is text",
    ]


def test_front_matter_and_body_problems_are_listed_together(sample):
    sample.write(
        "chapters/intro.md",
        "---\ntitle: 12\ntitel: x\n---\n\n::: reflect lines=0\nQ\n:::\n\n"
        "::: reflect often\nQ\n:::\n",
    )
    assert problems_of(sample) == [
        "chapters/intro.md:3: unknown key 'titel' in the front matter (did you mean 'title'?)",
        "chapters/intro.md:2: 'title' must be text in quotes",
        "chapters/intro.md:6: lines=0 must be a whole number from 1 to 20",
        "chapters/intro.md:10: '::: reflect often' is not understood;"
        " write '::: reflect' or '::: reflect lines=4'",
    ]


def test_wrong_types_in_a_worksheet(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: [a, b]\nsections:\n  - fields:\n      - type: notes\n        lines: many\n"
        "      - type: checklist\n        items: yes\n",
    )
    assert problems_of(sample) == [
        "chapters/sheet.yaml:1: 'title' must be text in quotes",
        "chapters/sheet.yaml:5: 'lines' must be a whole number from 1 to 30",
        "chapters/sheet.yaml:7: 'items' must be a list of at least one item, one '- ' line each",
    ]


def test_a_worksheet_that_is_not_a_mapping(sample):
    sample.write("chapters/sheet.yaml", "- just\n- a list\n")
    assert problems_of(sample) == [
        "chapters/sheet.yaml:1: a worksheet must be a set of 'key: value' lines"
    ]


# --- one wording per kind of problem, in every file ------------------------------------------

CONFIG = 'title = "Sample"\ncontents = ["intro", "sheet"]\n'
SERVICE = "services:\n  - {region: uk, name: A, how: Call 1, source: s, note: not checked}\n"
REGIONS = "regions:\n  uk: {name: United Kingdom, emergency: '999'}\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # unknown key, with where it is and the near one
        ("workbook.toml", CONFIG + 'titel = "x"\n',
         "workbook.toml:3: unknown key 'titel' in the settings (did you mean 'title'?)"),
        ("brand.toml", 'pratice = "x"\n',
         "brand.toml:1: unknown key 'pratice' in the brand settings (did you mean 'practice'?)"),
        ("chapters/intro.md", "---\ntitle: T\nsumary: s\n---\nText\n",
         "chapters/intro.md:3: unknown key 'sumary' in the front matter"
         " (did you mean 'summary'?)"),
        ("chapters/sheet.yaml", "title: T\ntitel: x\nsections: [{fields: [{type: date}]}]\n",
         "chapters/sheet.yaml:2: unknown key 'titel' in the worksheet (did you mean 'title'?)"),
        ("helplines.yaml", REGIONS + SERVICE + "sevices: []\n",
         "helplines.yaml:5: unknown key 'sevices' in the helplines (did you mean 'services'?)"),
        # not text
        ("workbook.toml", CONFIG + "author = 3\n",
         "workbook.toml:3: 'author' must be text in quotes"),
        ("brand.toml", "phone = 5550100\n", "brand.toml:1: 'phone' must be text in quotes"),
        ("chapters/intro.md", "---\ntitle: [a]\n---\nText\n",
         "chapters/intro.md:2: 'title' must be text in quotes"),
        ("chapters/sheet.yaml", "title: {a: b}\nsections: [{fields: [{type: date}]}]\n",
         "chapters/sheet.yaml:1: 'title' must be text in quotes"),
        ("helplines.yaml", REGIONS + SERVICE.replace("name: A", "name: [A]"),
         "helplines.yaml:4: 'name' must be text in quotes"),
        # missing, and blank
        ("workbook.toml", 'contents = ["intro", "sheet"]\n',
         "workbook.toml:1: 'title' is missing; add a line 'title = ...'"),
        ("chapters/intro.md", "---\nsummary: s\n---\nText\n",
         "chapters/intro.md:2: 'title' is missing; add a line 'title: ...'"),
        ("chapters/sheet.yaml", "sections: [{fields: [{type: date}]}]\n",
         "chapters/sheet.yaml:1: 'title' is missing; add a line 'title: ...'"),
        ("helplines.yaml", REGIONS, "helplines.yaml:1: 'services' is missing; add a line"),
        ("workbook.toml", CONFIG.replace('"Sample"', '"  "'),
         "workbook.toml:1: 'title' is blank; fill it in"),
        ("chapters/intro.md", "---\ntitle:\n---\nText\n",
         "chapters/intro.md:2: 'title' is blank; fill it in"),
        # a list
        ("workbook.toml", 'title = "T"\ncontents = []\n',
         "workbook.toml:2: 'contents' must be a list of at least one part id, like"),
        ("chapters/sheet.yaml", "title: T\nsections: []\n",
         "chapters/sheet.yaml:2: 'sections' must be a list of at least one section,"
         " one '- ' line each"),
        ("helplines.yaml", REGIONS + "services: {}\n",
         "helplines.yaml:3: 'services' must be a list of at least one service, one '- ' line"),
        # a date
        ("workbook.toml", CONFIG + 'date = "soon"\n',
         "workbook.toml:3: 'date' must be a date like 2026-11-26 (no quotes)"),
        ("helplines.yaml", REGIONS + SERVICE.replace("note: not checked", "checked: soon"),
         "helplines.yaml:4: 'checked' must be a date like 2026-11-26 (no quotes)"),
        # one of a fixed set
        ("brand.toml", 'region = "xx"\n',
         "brand.toml:1: unknown region 'xx'; use one of: us, uk, ca, au, ie, nz"),
        ("helplines.yaml", REGIONS.replace("uk:", "gb:") + SERVICE,
         "helplines.yaml:2: unknown region 'gb'; use one of: us, uk, ca, au, ie, nz"),
        ("chapters/sheet.yaml", "title: T\nsections: [{fields: [{type: datum}]}]\n",
         "chapters/sheet.yaml:2: unknown field type 'datum' (did you mean 'date'?); use one of:"),
        # 'key: value' lines
        ("workbook.toml", 'brand = "Harbor"\n' + CONFIG,
         "workbook.toml:1: 'brand' must be a set of 'key = value' lines"),
        ("chapters/intro.md", "---\n- a list\n---\nText\n",
         "chapters/intro.md:2: the front matter must be a set of 'key: value' lines"),
        ("helplines.yaml", REGIONS + "services:\n  - just a name\n",
         "helplines.yaml:4: a service must be a set of 'key: value' lines"),
    ],
)  # fmt: skip
def test_each_kind_of_problem_reads_the_same_in_every_file(sample, name, text, expected):
    sample.write(name, text)
    found = problems_of(sample)
    assert any(p.startswith(expected) for p in found), found


# --- files ----------------------------------------------------------------------------------


def test_a_folder_where_a_chapter_should_be(sample):
    (sample.root / "chapters/intro.md").unlink()
    (sample.root / "chapters/intro.md").mkdir()
    assert problems_of(sample) == ["chapters/intro.md: cannot be used: it is a folder"]


def test_a_file_that_cannot_be_read(sample, monkeypatch):
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("intro.md"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("workbook.safefiles.os.open", refuse)
    assert problems_of(sample) == [
        "chapters/intro.md: cannot be used: it cannot be read (Permission denied)"
    ]


def test_a_chapter_linking_out_of_the_workbook(sample, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\nPrivate words.\n")
    (sample.root / "chapters/intro.md").unlink()
    (sample.root / "chapters/intro.md").symlink_to(secret)
    assert problems_of(sample) == [
        "chapters/intro.md: cannot be used: it is a link to a file outside the workbook's"
        " folder; copy the file in"
    ]


def test_a_chapter_that_is_a_device_never_hangs(sample):
    (sample.root / "chapters/intro.md").unlink()
    (sample.root / "chapters/intro.md").symlink_to("/dev/zero")
    (sample.root / "chapters/sheet.yaml").unlink()
    os.mkfifo(sample.root / "chapters/sheet.yaml")  # a pipe nobody writes to: open() would wait
    assert problems_of(sample) == [
        "chapters/intro.md: cannot be used: it is a link to a file outside the workbook's"
        " folder; copy the file in",
        "chapters/sheet.yaml: cannot be used: it is a device or pipe, not a file",
    ]


def test_a_chapter_larger_than_1_mb(sample):
    sample.write("chapters/intro.md", "---\ntitle: Big\n---\n" + "word " * 220_000)
    assert problems_of(sample) == [
        "chapters/intro.md: cannot be used: it is larger than 1 MB; split it into smaller parts"
    ]


def test_a_workbook_too_large_altogether(sample, monkeypatch):
    monkeypatch.setattr("workbook.sources.loader.MAX_BOOK_BYTES", 100)
    assert problems_of(sample) == [
        "workbook.toml: the chapters and worksheets are more than 4 MB together; make two workbooks"
    ]


def test_workbook_toml_not_utf8(sample):
    sample.write("workbook.toml", b'title = "Caf\xe9"\ncontents = ["intro"]\n')
    assert problems_of(sample) == [
        "workbook.toml:1: is not UTF-8 text; save it as UTF-8 in your editor"
    ]


def test_workbook_toml_wrong_types(sample):
    sample.write("workbook.toml", 'title = 3\ndate = "soon"\ncontents = "intro"\n')
    assert problems_of(sample) == [
        "workbook.toml:1: 'title' must be text in quotes",
        'workbook.toml:3: \'contents\' must be a list of at least one part id, like ["one", "two"]',
        "workbook.toml:2: 'date' must be a date like 2026-11-26 (no quotes)",
    ]


def test_workbook_toml_nested_too_deeply(sample):
    sample.write("workbook.toml", 'title = "T"\ncontents = ["intro"]\nx = ' + "[" * 50000)
    assert problems_of(sample) == [
        "workbook.toml: values are nested too deeply; workbook.toml needs only plain settings"
    ]


def test_no_workbook_toml(tmp_path):
    result = run("list", "-p", str(tmp_path))
    assert result.exit_code == 1
    assert "there is no workbook.toml here" in result.output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("soon", "SOURCE_DATE_EPOCH='soon' must be a whole number of seconds since 1970"),
        ("-1", "SOURCE_DATE_EPOCH='-1' must be a whole number of seconds since 1970"),
        ("99999999999999999999", "is too far in the future to be a date"),
    ],
)
def test_invalid_source_date_epoch(sample, monkeypatch, value, expected):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert expected in problems_of(sample)[0]


# --- Markdown that would make the layout run out of depth or time ---------------------------


def test_deeply_nested_emphasis_is_refused_with_its_line(sample):
    sample.write(
        "chapters/intro.md", "---\ntitle: T\n---\n\nFine.\n\n" + "*" * 10000 + "x" + "*" * 10000
    )
    assert problems_of(sample) == [
        "chapters/intro.md:7: this paragraph nests emphasis or links too deeply to lay out;"
        " simplify it"
    ]


def test_a_table_too_wide_to_print(sample):
    table = "|a" * 40 + "|\n" + "|-" * 40 + "|\n" + "|x" * 40 + "|\n"
    sample.write("chapters/intro.md", "---\ntitle: T\n---\n\n" + table)
    assert problems_of(sample) == [
        "chapters/intro.md:5: this table has more than 12 columns; split it"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 30000 + "x" + "]" * 30000,
        "> " * 30000 + "x",
        "\n".join("  " * i + "- x" for i in range(1500)),
        "`" * 30000,
        "::: reflect\n" * 3000 + "Q\n" + ":::\n" * 3000,
    ],
    ids=["brackets", "quotes", "list-levels", "backticks", "nested-prompts"],
)
def test_pathological_markdown_loads_without_recursion(sample, body):
    sample.write("chapters/intro.md", "---\ntitle: T\n---\n\n" + body)
    try:
        book = load_book(sample.root)
    except WorkbookError as error:  # refusing with a message is fine too
        assert all(p.file == "chapters/intro.md" for p in error.problems)
    else:
        assert book.parts[0].title == "T"


# --- output folder and time limit -----------------------------------------------------------


def test_an_output_folder_that_cannot_be_written(sample):
    blocker = sample.write("not-a-folder", "x")
    result = sample.build_to(blocker / "output")
    assert result.exit_code == 1
    assert "cannot write here (Not a directory); choose another folder with -o" in result.output


def test_a_build_past_its_time_limit_stops_with_a_message(sample, monkeypatch):
    monkeypatch.setattr(limits, "BUILD_SECONDS", 0.001)
    monkeypatch.setattr("workbook.sources.loader.read_config", slow(read_config))
    result = sample.build("--edition", "epub")
    assert result.exit_code == 1
    assert "the build took longer than 0.001 seconds and was stopped" in result.output
    assert not (sample.root / "output").exists() or not any((sample.root / "output").iterdir())


def slow(function):
    def wrapper(*args, **kwargs):
        import time

        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # busy, like a layout that never ends
            pass
        return function(*args, **kwargs)

    return wrapper


def test_invisible_control_characters_anywhere(sample):
    sample.write("chapters/intro.md", "---\ntitle: Hi\n---\n\nText\n\nA \x0b B\n")
    sample.write(
        "chapters/sheet.yaml", 'title: "Sheet\\x01"\nsections:\n  - fields:\n      - type: date\n'
    )
    assert problems_of(sample) == [
        "chapters/intro.md:7: contains an invisible control character (code 0x000b); delete it",
        "chapters/sheet.yaml:1: contains an invisible control character (code 0x0001); delete it",
    ]
    sample.write("workbook.toml", 'title = "A\\u0007"\ncontents = ["intro"]\n')
    assert problems_of(sample) == [
        "workbook.toml:1: 'title' contains an invisible control character (code 0x0007); delete it"
    ]


def test_a_very_long_title_gives_a_file_name_that_fits(sample):
    sample.write("workbook.toml", f'title = "{"Many long words " * 500}"\ncontents = ["intro"]\n')
    slug = load_book(sample.root).meta.slug
    assert len(slug) <= 60 and slug.startswith("many-long-words-") and not slug.endswith("-")


def test_a_full_disk_mid_write_is_a_message_and_keeps_earlier_files(sample, monkeypatch):
    out = sample.root / "output"
    out.mkdir()
    (out / "sample.epub").write_bytes(b"the earlier EPUB")

    def disk_full(edition, personal, layouts, temp):
        temp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("workbook.writers.epub.write", disk_full)
    result = sample.build("--edition", "epub")
    assert result.exit_code == 1
    assert "could not write the files here (No space left on device); earlier files are kept" in (
        result.output
    )
    assert [p.name for p in out.iterdir()] == ["sample.epub"]
    assert (out / "sample.epub").read_bytes() == b"the earlier EPUB"


def test_dates_outside_what_a_zip_can_hold_still_build(sample):
    for date in ("0001-01-01", "9999-12-31"):
        sample.config(contents=["intro", "sheet"])
        text = (sample.root / "workbook.toml").read_text().replace("2026-01-02", date)
        sample.write("workbook.toml", text)
        result = sample.build("--edition", "epub", "-q")
        assert result.exit_code == 0, result.output


def test_c1_control_characters_are_named_too(sample):
    """U+0085 once broke the EPUB cover's text layout (found by the property tests)."""
    sample.write("workbook.toml", 'title = "0\\u00850"\ncontents = ["intro"]\n')
    assert problems_of(sample) == [
        "workbook.toml:1: 'title' contains an invisible control character (code 0x0085); delete it"
    ]


def test_a_title_the_cover_cannot_draw(sample, monkeypatch):
    def refuse(meta):
        raise RuntimeError("raqm_layout() failed.")

    monkeypatch.setattr("workbook.writers.cover._draw", refuse)
    result = sample.build("--edition", "epub")
    assert result.exit_code == 1
    assert (
        "workbook.toml: the title, subtitle or author could not be drawn on the EPUB cover"
        " (raqm_layout() failed.); look for unusual characters in them"
    ) in result.output
