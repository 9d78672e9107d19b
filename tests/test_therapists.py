"""A therapist's workflow without surprises, checked before anything is laid out: client lists
as spreadsheets save them, copies that never replace earlier ones, an index kept apart, a
discreet edition that says nothing of its subject, settings in workbook.toml, brand files
that work beside the bundled workbook, and what `workbook check` finds."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run
from tests.test_cli import assert_content_error
from workbook.build.discreet import discreet_book, sensitive_words
from workbook.build.plan import make_plan
from workbook.build.request import Request
from workbook.editions import Edition, variants
from workbook.model import DEFAULT_DISCREET_WORDS
from workbook.render import environment, render
from workbook.sources.loader import load_book
from workbook.sources.sensitive import Neutraliser
from workbook.sources.settings import slugify


def plan_for(sample, **choices):
    return make_plan(Request(sample.root, sample.root / "output", **choices))


def names(plan) -> list[str]:
    return [job.name for job in plan.jobs]


# --- client lists as spreadsheets save them -----------------------------------------------


def test_a_semicolon_list_with_a_bom_first_and_last_names_and_other_columns(sample, tmp_path):
    clients = tmp_path / "clients.csv"
    text = "First name;Last name;Email;Parts\nJosé;Álvarez;j@x.example;intro\nPriya;Sharma;;\n"
    clients.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    plan = plan_for(sample, formats=("print",), clients_file=clients, name_files=True)
    assert [job.personal.name for job in plan.jobs] == ["José Álvarez", "Priya Sharma"]
    assert names(plan) == [
        "sample-jose-alvarez-print-letter.pdf",
        "sample-priya-sharma-print-letter.pdf",
    ]
    assert [len(job.packet.parts) for job in plan.jobs] == [1, 2]
    assert "semicolon-separated, UTF-8 with a BOM" in plan.preview
    assert "names from 'First name' + 'Last name'" in plan.preview
    assert "not used: 'Email'" in plan.preview and "José Álvarez, Priya Sharma" in plan.preview


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_found(sample, tmp_path, delimiter):
    clients = tmp_path / "clients.csv"
    clients.write_text(f"name{delimiter}parts\nSam Lee{delimiter}intro sheet\nBo{delimiter}\n")
    plan = plan_for(sample, formats=("epub",), clients_file=clients)
    assert [job.personal.name for job in plan.jobs] == ["Sam Lee", "Bo"]


def test_utf16_with_its_mark_is_read_and_other_encodings_are_explained(sample, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_bytes("Name\tParts\nZoë Ng\t\n".encode("utf-16"))
    plan = plan_for(sample, formats=("epub",), clients_file=clients)
    assert plan.jobs[0].personal.name == "Zoë Ng" and "UTF-16" in plan.preview
    clients.write_bytes("José Álvarez\n".encode("cp1252"))
    result = sample.build("--clients", str(clients))
    assert_content_error(result, "clients.csv:1: is not saved as UTF-8", "CSV UTF-8")


def test_a_column_heading_that_is_nearly_known_and_a_list_without_headings(sample, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("Frist name,Surname\nAna,Lee\n")
    result = sample.build("--clients", str(clients))
    assert_content_error(
        result, "clients.csv:1: the column 'Frist name'", "(did you mean 'first name'?)"
    )
    clients.write_text("Sam,Lee\n")
    result = sample.build("--clients", str(clients))
    assert_content_error(result, "'lee' is not a part", "add a first row that names the columns")


def test_names_become_ascii_file_names():
    assert slugify("José Álvarez") == "jose-alvarez"
    assert slugify("Łukasz Straße", "") == "lukasz-strasse"
    assert slugify("王芳", "copy-03") == "copy-03"


# --- nothing overwritten ----------------------------------------------------------------


def test_numbers_go_on_from_the_folder_and_the_index(sample):
    out = sample.root / "output"
    out.mkdir()
    (out / "sample-copy-03-print-letter.pdf").write_bytes(b"%PDF")
    plan = plan_for(sample, formats=("print",), client="Tom Reed")
    assert names(plan) == ["sample-copy-04-print-letter.pdf"]
    private = sample.root / "private"
    private.mkdir()
    (private / "sample-clients.csv").write_text('"number","name"\n"11","Priya"\n')
    plan = plan_for(sample, formats=("print",), client="Tom Reed")
    assert names(plan) == ["sample-copy-12-print-letter.pdf"]
    (index,) = plan.extras
    assert index.text.startswith('"number","name"\n"11","Priya"\n"12","Tom Reed",')
    assert index.folder == private and "Priya" not in str(out)


def test_a_named_copy_never_replaces_an_earlier_one_unless_asked(sample):
    out = sample.root / "output"
    out.mkdir()
    (out / "sample-tom-reed.epub").write_bytes(b"earlier")
    result = sample.build("--client", "Tom Reed", "--name-files", "--edition", "epub")
    assert_content_error(result, "sample-tom-reed.epub: is already there", "--replace")
    assert (out / "sample-tom-reed.epub").read_bytes() == b"earlier"
    plan = plan_for(sample, formats=("epub",), client="Tom Reed", name_files=True, replace=True)
    assert names(plan) == ["sample-tom-reed.epub"]
    result = sample.build("--replace", "--edition", "epub")
    assert result.exit_code == 2 and "--replace is for client copies" in result.output


def test_handout_copies_for_clients_take_their_own_worksheets(sample, tmp_path):
    sample.write("chapters/second.yaml", (sample.root / "chapters/sheet.yaml").read_text())
    sample.config(["intro", "sheet", "second"])
    clients = tmp_path / "c.csv"
    clients.write_text("name,parts\nAna,second\nBo,\n")
    plan = plan_for(sample, formats=("handout",), handout=("sheet",), clients_file=clients)
    assert names(plan) == [
        "sample-copy-01-handout-second-letter.pdf",
        "sample-copy-02-handout-sheet-letter.pdf",
    ]
    clients.write_text("name,parts\nAna,intro\n")
    result = run("handout", "sheet", "-p", str(sample.root), "--clients", str(clients))
    assert_content_error(result, "c.csv:2: 'intro' is a chapter; a handout holds worksheets")


# --- settings in workbook.toml ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "paper"),
    [
        ("en-GB", "a4"),
        ("en-IE", "a4"),
        ("en-AU", "a4"),
        ("en-NZ", "a4"),
        ("en-US", "letter"),
        ("en-CA", "letter"),
        ("en", "letter"),
    ],
)
def test_paper_follows_the_languages_region(sample, language, paper):
    sample.write("workbook.toml", f'title = "S"\nlanguage = "{language}"\ncontents = ["intro"]\n')
    assert plan_for(sample, formats=("print",)).jobs[0].edition.paper == paper
    assert plan_for(sample, formats=("print",), paper="a5").jobs[0].edition.paper == "a5"


def test_the_settings_paper_wins_over_the_language(sample):
    sample.write(
        "workbook.toml", 'title = "S"\nlanguage = "en-GB"\npaper = "Letter"\ncontents = ["intro"]\n'
    )
    assert plan_for(sample, formats=("print",)).jobs[0].edition.paper == "letter"


def test_ids_and_choices_on_the_command_line_ignore_case(sample):
    result = run("list", "-p", str(sample.root))
    assert result.exit_code == 0
    plan = plan_for(sample, formats=("print",), only=("intro",))
    assert len(plan.jobs[0].packet.parts) == 1
    result = run(
        "build",
        "-p",
        str(sample.root),
        "--only",
        "INTRO",
        "--edition",
        "HTML",
        "-o",
        str(sample.root / "out"),
    )
    assert result.exit_code == 0, result.output


# --- TOML mistakes people make -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("phone = 020 7946 0000", 'a phone number must be in quotes: phone = "020 7946 0000"'),
        ("phone = 07700900123", 'a phone number must be in quotes: phone = "07700900123"'),
        (
            "practice = Harbor Counselling",
            'text must be in quotes: practice = "Harbor Counselling"',
        ),
        ('practice: "Harbor"', "write 'practice = ...' with '='"),
        ("practice = \u201cHarbor\u201d", "use straight ones"),
        ('logo = "C:\\logos\\x.png"', "write the path with forward slashes"),
        ('practice = "Harbor', 'a quote (") is not closed'),
        ('phone = "1"\nphone = "2"', "2: the key 'phone' appears twice"),
    ],
)
def test_common_toml_mistakes_get_plain_advice(sample, tmp_path, line, message):
    brand = tmp_path / "brand.toml"
    brand.write_text(f"{line}\n", encoding="utf-8")
    result = sample.build("--brand", str(brand))
    assert_content_error(result, message)
    assert "not valid TOML" not in result.output


# --- discreet means discreet ----------------------------------------------------------------


def test_listed_words_and_their_endings_are_replaced():
    neutral = Neutraliser(DEFAULT_DISCREET_WORDS)
    assert neutral.text("Why does it matter so much after narcissistic abuse?") == (
        "Why does it matter so much after a hurtful relationship?"
    )
    assert neutral.text("Abusive partners and trauma") == "Harmful partners and stress"
    assert neutral.headings('<p>abuse</p><h2 class="a">After <em>abuse</em> &amp; more</h2>') == (
        '<p>abuse</p><h2 class="a">After <em>harm</em> &amp; more</h2>'
    )


def test_discreet_words_in_workbook_toml(sample):
    sample.write("workbook.toml", 'title = "S"\ncontents = ["intro"]\ndiscreet_words = ["small"]\n')
    book = discreet_book(load_book(sample.root))
    assert book.parts[0].title == "A \u2026 chapter"
    sample.write(
        "workbook.toml", 'title = "S"\ncontents = ["intro"]\n[discreet_words]\nsmall = "tiny"\n'
    )
    assert discreet_book(load_book(sample.root)).parts[0].title == "A tiny chapter"
    sample.write(
        "workbook.toml", 'title = "S"\ncontents = ["intro"]\n[discreet_words]\nsmall = "smaller"\n'
    )
    assert_content_error(sample.build(), "workbook.toml:4: what shows instead of 'small'")


def test_a_part_id_with_a_listed_word_is_renamed(sample):
    sample.write("chapters/abuse-notes.md", "---\ntitle: Notes\n---\n\nText.\n")
    sample.config(["intro", "abuse-notes", "sheet"])
    plan = plan_for(sample, formats=("epub",), options=("discreet",), only=("abuse-notes",))
    assert [part.id for part in plan.jobs[0].packet.parts] == ["part-2"]


@pytest.fixture(scope="module")
def default_book():
    return load_book(ROOT)


@pytest.fixture(scope="module")
def discreet_renders(default_book):
    """Every format of the default workbook, discreet, with a practice's brand given."""
    from workbook.model import Brand

    branded = default_book.__class__(
        **{**default_book.__dict__, "brand": Brand(practice="Priory Lane", phone="020 7946 0000")}
    )
    book = discreet_book(branded)
    env = environment(book.project_dir)
    sheets = tuple(part.id for part in book.worksheets)
    editions = [e for e in variants() if not e.parts and e.record.command == "build"]
    editions += [Edition("handout", parts=sheets, copies=2, discreet=True, fillable=True)]
    return [render(book, edition, env) for edition in editions]


# Headings, page titles, links within the book (contents, navigation, pagers), and tooltips,
# labels and descriptions.
GLANCED = re.compile(
    r'<(h[1-6]|title)\b[^>]*>(.*?)</\1>|<a href="(?!https?:|mailto:|tel:|sms:)[^"]*"[^>]*>(.*?)</a>'
    r'|\b(?:title|aria-label|alt)="([^"]*)"',
    re.S,
)


def test_a_discreet_edition_shows_no_listed_word_where_a_glance_finds_it(discreet_renders):
    """Headings (running heads and bookmarks come from them), contents, links, tooltips
    (title attributes), labels, metadata: every format, with the practice left out."""
    for rendered in discreet_renders:
        for doc in rendered.documents:
            for match in GLANCED.finditer(doc.html):
                text = match.group(2) or match.group(3) or match.group(4) or ""
                assert not sensitive_words(text), (rendered.edition.describe(), doc.name, text)
            metadata = " ".join(re.findall(r'<meta[^>]*content="([^"]*)"', doc.html))
            assert not sensitive_words(metadata)
            assert "Priory" not in doc.html and "7946" not in doc.html
            assert "From your therapist" not in doc.html


def test_keep_brand_keeps_the_practice(sample):
    sample.write("brand.toml", 'practice = "Priory Lane"\n')
    plan = plan_for(sample, formats=("print",), options=("discreet",), keep_brand=True)
    assert plan.jobs[0].packet.brand.practice == "Priory Lane"
    assert plan_for(sample, formats=("print",), options=("discreet",)).jobs[0].packet.brand is None
    result = sample.build("--discreet-keep-brand")
    assert result.exit_code == 2 and "goes with --discreet" in result.output


# --- one packet, one file -------------------------------------------------------------------


def test_copies_repeat_a_worksheet_inside_the_pdf(default_book):
    edition = Edition("fillable", repeat=(("rupture-repair-log", 3),))
    html = render(default_book, edition).documents[0].html
    assert html.count('<h1 id="rupture-repair-log') == 3
    assert 'id="rupture-repair-log-copy3"' in html and 'name="rupture-repair-log-copy2-' in html
    assert Edition("epub", repeat=(("rupture-repair-log", 3),)).repeat == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("rupture-repair-log", "like rupture-repair-log=4"),
        ("rupture-repair-log=0", "1 to 50"),
        ("welcome=2", "'welcome' is a chapter"),
        ("nope=2", "there is no worksheet 'nope'"),
    ],
)
def test_copies_that_cannot_be_made_are_usage_errors(value, message):
    result = run("build", "-p", str(ROOT), "--copies", value, "-o", "/nonexistent/out")
    assert result.exit_code == 2 and message in result.output, result.output


# --- authoring ------------------------------------------------------------------------------


def test_a_wide_log_among_other_fields_gets_a_page_of_its_own(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\nsections:\n  - fields:\n      - type: question\n        label: Q?\n"
        "      - type: log\n        columns:\n          - label: When\n",
    )
    book = load_book(sample.root)
    assert not book.worksheets[0].landscape
    html = render(book, Edition("print")).documents[0].html
    assert "log-landscape" in html and "has-log" not in html
    sample.write(
        "chapters/sheet.yaml",
        "title: T\nsections:\n  - fields:\n      - type: date\n      - type: log\n"
        "        columns:\n          - label: When\n",
    )
    assert load_book(sample.root).worksheets[0].landscape


def test_check_finds_what_a_build_would_quietly_let_through(tmp_path):
    project = tmp_path / "mine"
    assert run("new", str(project)).exit_code == 0
    (project / "styles/custom.css").write_text("h2 { colour: red; }\n.x { color: blue\n")
    (project / "templates/cover.html").write_text(
        '{% extends "default:cover.html" %}\n{% block cover_notes %}x{% endblock %}\n'
    )
    (project / "chapters/draft.md").write_text("---\ntitle: Draft\n---\n\nText.\n")
    result = run("check", "--brand", str(project / "brand.example.toml"), cwd=project / "chapters")
    assert_content_error(
        result,
        "styles/custom.css:1: unknown property 'colour' (did you mean 'color'?)",
        "styles/custom.css:2: this '{' is never closed",
        "templates/cover.html:2: the block 'cover_notes' is not in default:cover.html",
        "(did you mean 'cover_note'?)",
        "chapters/draft.md: is not in 'contents'",
        "workbook.toml: 'author' is still the sample's \"Your name or your practice\"",
        "brand.example.toml: 'practice' is still the sample's",
        "chapters/welcome.md:6: this is the sample chapter's text",
    )
    assert (
        f"Checking the workbook in {project.resolve()} (found above this folder)" in result.output
    )


def test_the_default_workbook_and_a_copy_of_it_check_clean(tmp_path):
    copy = tmp_path / "mine"
    result = run("new", str(copy), "--from-default")
    assert result.exit_code == 0, result.output
    assert (copy / "chapters/welcome.md").read_bytes() == (
        ROOT / "chapters/welcome.md"
    ).read_bytes()
    assert {"brand.example.toml", "helplines.yaml", "styles", "templates"} <= {
        p.name for p in copy.iterdir()
    }
    result = run("check", "-p", str(copy))
    assert result.exit_code == 0 and "No problems found" in result.output, result.output


def test_an_oversized_logo_is_a_note_and_a_jpeg_logo_is_fine(sample):
    from PIL import Image

    Image.new("RGB", (6000, 2400), "white").save(sample.root / "logo.jpg")
    sample.write("brand.toml", 'practice = "Priory Lane"\nlogo = "logo.jpg"\n')
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 0, result.output
    assert "the logo logo.jpg is 6000 x 2400 pixels" in result.output
    assert "a copy of 1418 x 567 pixels (600 ppi)" in result.output


def test_logos_are_downscaled_to_600_ppi_the_same_every_time(tmp_path):
    from PIL import Image

    from workbook.writers.logo import _prepared, logo_bytes

    for name in ("logo.png", "logo.jpg"):
        Image.new("RGB", (6000, 2400), "teal").save(tmp_path / name)
        first = logo_bytes(tmp_path / name)
        _prepared.cache_clear()
        assert logo_bytes(tmp_path / name) == first
        assert Image.open(io.BytesIO(first)).size == (1418, 567)
    Image.new("RGB", (300, 120)).save(tmp_path / "small.png")
    assert logo_bytes(tmp_path / "small.png") == (tmp_path / "small.png").read_bytes()


def test_a_brand_toml_here_that_is_not_used_says_so(tmp_path, sample):
    (tmp_path / "brand.toml").write_text('practice = "Priory Lane"\n')
    from workbook import notes

    notes._said.clear()
    result = run(
        "build",
        "-p",
        str(sample.root),
        "--edition",
        "html",
        "-o",
        str(tmp_path / "o"),
        cwd=tmp_path,
    )
    assert "brand.toml in this folder is not used" in result.output
    assert "--brand brand.toml" in result.output


def test_a_logo_beside_a_brand_file_says_where_it_looked(sample, tmp_path):
    brand = tmp_path / "practice" / "brand.toml"
    brand.parent.mkdir()
    brand.write_text('logo = "logo.png"\n')
    result = sample.build("--brand", str(brand))
    looked = Path(brand.parent, "logo.png")
    assert_content_error(
        result, "there is no logo file 'logo.png' in the brand file's folder", str(looked)
    )
