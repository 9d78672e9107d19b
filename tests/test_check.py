"""`workbook check`: problems without building, and the built files when asked."""

from __future__ import annotations

import builtins

from tests.conftest import run


def test_a_good_workbook_checks_clean(sample):
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Checked 1 chapter, 1 worksheet, their templates and styles.\nNo problems found.\n"
    )
    assert not (sample.root / "output").exists()  # nothing is built


def test_every_problem_is_listed_with_file_and_line(sample):
    sample.config(contents=["intro", "sheet", "missing"])
    sample.write("chapters/intro.md", "---\ntitel: x\n---\n\n::: reflect lines=50\nQ\n:::\n")
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1
    assert "the check found 4 problems to fix:" in result.output
    for text in (
        "workbook.toml:5: the part 'missing' has no file",
        "chapters/intro.md:2: unknown key 'titel' in the front matter",
        "chapters/intro.md:2: 'title' is missing; add a line 'title: ...'",
        "chapters/intro.md:5: lines=50 must be a whole number from 1 to 20",
    ):
        assert text in result.output


def test_outputs_folder_without_built_files(sample, tmp_path):
    result = run("check", "-p", str(sample.root), "--outputs", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: no built files for 'sample' here; run 'workbook build' first" in (
        result.output
    )


def test_damaged_outputs_are_reported(sample, tmp_path):
    (tmp_path / "sample-print-letter.pdf").write_bytes(b"%PDF-1.7\nnot really")
    (tmp_path / "sample.epub").write_bytes(b"not a zip")
    result = run("check", "-p", str(sample.root), "--outputs", str(tmp_path))
    assert result.exit_code == 1
    assert "sample-print-letter.pdf: cannot be opened as a PDF" in result.output
    assert "sample.epub: cannot be opened as an EPUB" in result.output


def test_without_epubcheck_a_note_says_the_epub_was_not_fully_checked(
    sample, tmp_path, monkeypatch
):
    import zipfile

    with zipfile.ZipFile(tmp_path / "sample.epub", "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("EPUB/text/intro.xhtml", "<html/>")
        archive.writestr("EPUB/text/sheet.xhtml", "<html/>")
    real_import = builtins.__import__

    def no_epubcheck(name, *args, **kwargs):
        if name == "epubcheck":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_epubcheck)
    result = run("check", "-p", str(sample.root), "--outputs", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Note: sample.epub: opened, but not fully checked: epubcheck is not installed" in (
        result.output
    )


def test_usage_errors_exit_2(sample):
    assert run("check", "-p", str(sample.root / "nowhere")).exit_code == 2
    assert run("check", "--outputs", str(sample.root / "nowhere")).exit_code == 2


def test_every_format_and_option_is_checked(sample):
    """Templates and stylesheets that only some editions use fail `check` as they would fail
    the build of those editions."""
    sample.write(
        "templates/handout.html",
        '{% extends "default:handout.html" %}{% block title %}{{ nosuch.thing }}{% endblock %}',
    )
    sample.write("styles/large-print.css", "body { background: url(http://example.com/x.png); }")
    sample.write("styles/low-ink.css", "@import url('https://example.com/ink.css');")
    sample.write(
        "templates/cover.html",
        '{% extends "default:cover.html" %}'
        "{% block cover_client %}{% if client %}{{ client.nme }}{% endif %}{% endblock %}",
    )
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in (
        "templates/handout.html:1: template error: 'nosuch' is undefined",
        "styles/large-print.css:1: 'http://example.com/x.png' would be fetched from the web",
        "styles/low-ink.css:1: 'https://example.com/ink.css' would be fetched from the web",
        "templates/cover.html:1: template error:",
    ):
        assert text in result.output
    assert "nme" in result.output


def test_check_renders_every_variant_the_records_name():
    from workbook.editions import FORMATS, OPTIONS, PAPERS, variants

    made = list(variants())
    for name, record in FORMATS.items():
        assert any(e.format == name and not e.options for e in made)
        for option in OPTIONS:
            if name in option.formats:
                assert any(e.format == name and e.options == (option,) for e in made), option
        if record.paged:
            assert {e.paper for e in made if e.format == name} == set(PAPERS)
