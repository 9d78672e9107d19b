"""From flags to a plan: the request, merged over workbook.toml's settings, and the jobs."""

from __future__ import annotations

import pytest

from tests.conftest import run
from workbook.build.plan import make_plan
from workbook.build.request import Request
from workbook.editions import FORMATS, OPTIONS, Edition


def plan_for(sample, **choices):
    return make_plan(Request(sample.root, sample.root / "output", **choices))


def names(plan) -> list[str]:
    return [job.name for job in plan.jobs]


def test_defaults_make_every_build_format_on_letter(sample):
    plan = plan_for(sample)
    assert names(plan) == [
        "sample-print-letter.pdf",
        "sample-fillable-letter.pdf",
        "sample.epub",
        "sample-site",
    ]
    assert {job.edition.region for job in plan.jobs} == {None}  # language "en": every region


def test_settings_in_workbook_toml_choose_paper_region_and_editions(sample):
    sample.config(["intro", "sheet"], 'paper = "A4"\nregion = "UK"\neditions = ["print", "EPUB"]\n')
    plan = plan_for(sample)
    assert names(plan) == ["sample-print-a4.pdf", "sample.epub"]
    assert {job.edition.region for job in plan.jobs} == {"uk"}


def test_flags_override_the_settings(sample):
    sample.config(["intro", "sheet"], 'paper = "a4"\nregion = "uk"\neditions = ["epub"]\n')
    plan = plan_for(sample, paper="letter", region="us", formats=("fillable",))
    assert names(plan) == ["sample-fillable-letter.pdf"]
    assert plan.jobs[0].edition.region == "us"


def test_bad_settings_name_the_line(sample):
    sample.config(["intro", "sheet"], 'paper = "tabloid"\neditions = ["print", "scroll"]\n')
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1
    assert "workbook.toml:5: unknown paper 'tabloid'; use one of: letter, a4, a5" in result.output
    assert "workbook.toml:6: unknown edition 'scroll'; use one of: print, fillable, epub" in (
        result.output
    )


def test_choices_on_the_command_line_ignore_case(sample):
    result = run("build", "-p", str(sample.root), "--paper", "A4", "--edition", "EPUB", "--help")
    assert result.exit_code == 0


def test_client_copies_are_jobs_with_an_index(sample, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("name,parts\nAna,intro\nBo,\n", encoding="utf-8")
    plan = plan_for(sample, formats=("print", "epub"), clients_file=clients)
    assert names(plan) == [
        "sample-copy-01-print-letter.pdf",
        "sample-copy-01.epub",
        "sample-copy-02-print-letter.pdf",
        "sample-copy-02.epub",
    ]
    assert [job.personal.name for job in plan.jobs] == ["Ana", "Ana", "Bo", "Bo"]
    assert [len(job.packet.parts) for job in plan.jobs] == [1, 1, 2, 2]
    (index,) = plan.extras
    assert index.name == "sample-clients.csv" and "Ana" in index.text
    assert index.folder == plan.output_dir.parent / "private"  # never among the files to send


def test_a_handout_is_one_job_of_the_handout_format(sample):
    plan = plan_for(sample, formats=("handout",), handout=("sheet",), copies=3)
    (job,) = plan.jobs
    assert job.name == "sample-handout-sheet-letter.pdf"
    assert job.edition.parts == ("sheet",) and job.edition.copies == 3


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"client": "A", "clients_file": "x.csv"}, "use --client or --clients, not both"),
        ({"name_files": True}, "--name-files is for client copies"),
        ({"client": "  "}, "the name is empty"),
        ({"client": "A", "options": ("booklet",)}, "client copies are not made as booklets"),
    ],
)
def test_choices_that_do_not_go_together_are_usage_errors(sample, choices, message):
    import click

    with pytest.raises(click.UsageError, match=message):
        Request(sample.root, sample.root / "output", **choices)


def test_options_apply_only_to_their_formats():
    epub = Edition.make("epub", "a4", ("large_print", "low_ink", "booklet", "discreet"))
    assert epub.options == (next(o for o in OPTIONS if o.name == "discreet"),)
    assert epub.filename("s") == "s.epub"
    handout = Edition.make("handout", "a4", ("fillable", "large_print"), parts=("x",))
    assert handout.medium == "form"
    assert handout.filename("s") == "s-handout-x-fillable-a4-large-print.pdf"
    assert handout.describe() == "handout PDF, A4, fillable, large print"
    assert Edition.make("print", "letter", ("booklet",)).stylesheets()[-3:] == (
        "page.css.j2",
        "brand.css.j2",
        "custom.css",
    )


def test_every_option_is_a_field_of_edition():
    fields = Edition.__dataclass_fields__
    assert all(option.name in fields for option in OPTIONS)
    assert all(record.writer for record in FORMATS.values())
