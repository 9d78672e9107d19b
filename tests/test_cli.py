"""The command line: what people type, what they see, and the exit codes scripts rely on."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run
from workbook import __version__


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["list"], ["new"], ["handout"], ["check"]])
def test_every_command_has_help_with_examples(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output


def test_list_shows_parts_in_reading_order(default_config):
    result = run("list", "-p", str(ROOT))
    assert result.exit_code == 0
    rows = [line.split(None, 2) for line in result.output.splitlines()]
    assert [r[0] for r in rows] == default_config["contents"]
    assert rows[0][1:] == ["chapter", "How to use this workbook"]
    assert ["signs-checklist", "worksheet", "Signs checklist"] in rows


def test_list_without_project_uses_the_bundled_default(tmp_path, default_config):
    result = run("list", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.output.split()[0] == default_config["contents"][0]


@pytest.mark.slow
def test_build_writes_every_edition_and_one_summary_line(sample):
    result = sample.build()
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    for name in ("sample-print-letter.pdf", "sample-fillable-letter.pdf", "sample.epub"):
        assert name in lines[0]
    assert "sample-site (web edition, 4 pages, 3 downloads)" in lines[0]
    assert "pages" in lines[0] and "fields" in lines[0] and lines[0].endswith(" s.")
    assert sorted(p.name for p in (sample.root / "output").iterdir()) == [
        "sample-fillable-letter.pdf",
        "sample-print-letter.pdf",
        "sample-site",
        "sample.epub",
    ]


@pytest.mark.slow
def test_build_in_a_project_folder_writes_to_its_output(sample):
    result = run("build", "--edition", "epub", "--quiet", cwd=sample.root)
    assert result.exit_code == 0, result.output
    assert (sample.root / "output" / "sample.epub").is_file()


def test_usage_errors_exit_2(sample):
    assert sample.build("--paper", "tabloid").exit_code == 2
    assert sample.build("--edition", "scroll").exit_code == 2
    assert run("build", "--nonsense").exit_code == 2
    assert run("list", "-p", str(sample.root / "missing")).exit_code == 2


def assert_content_error(result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output
    assert "Traceback" not in result.output


def test_bad_front_matter_names_file_and_line(sample):
    sample.write("chapters/intro.md", "---\ntitle: [unclosed\n---\nText\n")
    result = sample.build()
    assert_content_error(result, "chapters/intro.md:2", "not valid YAML")
    assert not (sample.root / "output").exists() or not any((sample.root / "output").iterdir())


def test_missing_front_matter(sample):
    sample.write("chapters/intro.md", "Just text, no front matter.\n")
    assert_content_error(sample.build(), "chapters/intro.md:1", "front matter")


def test_unknown_front_matter_key_suggests_the_near_one(sample):
    sample.write("chapters/intro.md", "---\ntitel: Hello\n---\nText\n")
    assert_content_error(
        sample.build(),
        "chapters/intro.md:2",
        "unknown key 'titel' in the front matter (did you mean 'title'?)",
    )


def test_unknown_worksheet_field_type(sample):
    sample.write(
        "chapters/sheet.yaml",
        "title: T\nsections:\n  - fields:\n      - type: checkbox\n        label: x\n",
    )
    assert_content_error(
        sample.build(), "chapters/sheet.yaml:4", "unknown field type 'checkbox'", "checklist"
    )


def test_part_in_toml_that_does_not_exist(sample):
    sample.config(contents=["intro", "sheet", "outro"])
    assert_content_error(sample.build(), "workbook.toml:", "the part 'outro' has no file")


def test_all_problems_are_reported_together(sample):
    sample.config(contents=["intro", "sheet", "missing-one"])
    sample.write("chapters/intro.md", "---\nsummary: no title\n---\nText\n")
    sample.write(
        "chapters/sheet.yaml",
        "title: T\nsections:\n  - fields:\n      - type: scale\n        points: 12\n",
    )
    result = sample.build()
    assert_content_error(
        result,
        "missing-one",
        "chapters/intro.md:2",
        "chapters/sheet.yaml:5",
        "chapters/sheet.yaml:4",
        "4 problems",
    )
    assert result.output.count("chapters/") >= 3


def test_invalid_toml(sample):
    sample.write("workbook.toml", 'title = "Sample"\ncontents = [\n')
    assert_content_error(sample.build(), "workbook.toml:", "not valid TOML")


def test_a_failed_build_leaves_earlier_outputs_untouched(sample):
    assert sample.build("--edition", "epub").exit_code == 0
    epub = sample.root / "output" / "sample.epub"
    before = epub.read_bytes()
    sample.write("chapters/sheet.yaml", "title: T\nsections: 3\n")
    assert sample.build("--edition", "epub").exit_code == 1
    assert epub.read_bytes() == before
    assert [p.name for p in epub.parent.iterdir()] == ["sample.epub"]


@pytest.mark.slow
def test_all_editions_share_one_load_of_the_sources(sample, monkeypatch):
    import workbook.build
    import workbook.sources.loader

    calls = []
    real = workbook.sources.loader.load_book

    def counting(project_dir):
        calls.append(project_dir)
        return real(project_dir)

    monkeypatch.setattr(workbook.build.plan, "load_book", counting)
    monkeypatch.setattr(workbook.sources.loader, "load_book", counting)
    result = sample.build("--large-print")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert len(list((sample.root / "output").iterdir())) == 4  # the PDFs, EPUB and the site


def test_booklet_needs_letter_or_a4_sheets(sample):
    result = sample.build("--booklet", "--paper", "a5")
    assert result.exit_code == 2
    assert "a booklet prints on Letter or A4 sheets" in result.output
