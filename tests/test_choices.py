"""Therapists' options checked before anything is built: brand files, client lists, part ids,
helplines data and `workbook new`. Clear messages, right exit codes, nothing written."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from tests.conftest import ROOT, run
from tests.test_cli import assert_content_error
from tests.test_safe_outputs import build_command
from workbook.sources.loader import load_book


def nothing_written(sample) -> bool:
    out = sample.root / "output"
    return not out.exists() or not any(out.iterdir())


def test_brand_table_problems_are_reported_together_with_lines(sample):
    (sample.root.parent / "outside.png").write_bytes(b"\x89PNG")
    sample.write(
        "workbook.toml",
        'title = "Sample"\ncontents = ["intro", "sheet"]\n\n[brand]\npratice = "Harbor"\n'
        'phone = 5550100\nlogo = "../outside.png"\naccent = "blue"\n',
    )
    result = sample.build()
    assert_content_error(
        result,
        "unknown key 'pratice' in the brand settings (did you mean 'practice'?)",
        "'phone' must be text in quotes",
        "must be in the workbook's folder or a folder inside it",
        "accent 'blue' must be a colour",
        "4 problems",
    )
    assert "workbook.toml:5: unknown key" in result.output
    assert "workbook.toml:6: 'phone'" in result.output
    assert nothing_written(sample)


def test_brand_file_logo_must_be_png_jpeg_or_svg_and_exist(sample):
    sample.write("logo.gif", b"not really")
    sample.write("brand.toml", 'practice = "Harbor"\nlogo = "logo.gif"\n')
    assert_content_error(sample.build(), "brand.toml:2", "must be a PNG, JPEG or SVG file")
    sample.write("brand.toml", 'practice = "Harbor"\nlogo = "missing.png"\n')
    assert_content_error(sample.build(), "brand.toml:2", "there is no logo file 'missing.png'")


def test_brand_option_reads_another_file(sample, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text('[brand]\npractise = "Harbor"\n', encoding="utf-8")
    result = sample.build("--brand", str(other))
    assert_content_error(result, "other.toml:2", "did you mean 'practice'?")
    assert sample.build("--brand", str(tmp_path / "missing.toml")).exit_code == 2


# --- --brand and --clients: files from anywhere, read as safely as the workbook's own ---------


def refused_without_waiting(sample, expected: str, *options: str) -> None:
    """The build, in a child process stopped after 60 s, refuses with `expected`: a pipe
    nobody writes to, or /dev/zero, would make a plain read wait or run forever. (An alarm
    cannot guard a build in this process: the build's own time limit takes SIGALRM.)"""
    command = build_command(sample.root, sample.root / "output", *options)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


OPTION_FILES = [("--brand", "brand.toml"), ("--clients", "clients.csv")]
LINK_OUT = "it is a link to a file outside the workbook's folder; copy the file in"


@pytest.mark.parametrize(("option", "name"), OPTION_FILES)
def test_a_pipe_as_brand_or_clients_file_never_hangs(sample, tmp_path, option, name):
    pipe = tmp_path / "elsewhere" / name
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    expected = f"{pipe}: cannot be used: it is a device or pipe, not a file"
    refused_without_waiting(sample, expected, option, str(pipe))
    assert nothing_written(sample)


@pytest.mark.parametrize("option", ["--brand", "--clients"])
def test_a_device_as_brand_or_clients_file(sample, option):
    expected = "/dev/zero: cannot be used: it is a device or pipe, not a file"
    refused_without_waiting(sample, expected, option, "/dev/zero")


@pytest.mark.parametrize(("option", "name"), OPTION_FILES)
def test_a_brand_or_clients_file_linking_elsewhere(sample, tmp_path, option, name):
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text('practice = "Private"\n', encoding="utf-8")
    link = tmp_path / "elsewhere" / name
    link.parent.mkdir()
    link.symlink_to(secret)
    assert_content_error(sample.build(option, str(link)), f"{link}: cannot be used: {LINK_OUT}")


@pytest.mark.parametrize(("option", "name"), OPTION_FILES)
def test_a_brand_or_clients_file_over_the_limit(sample, tmp_path, option, name):
    big = tmp_path / name
    big.write_text("# many words\n" * 80_000, encoding="utf-8")
    result = sample.build(option, str(big))
    assert_content_error(result, f"{big}: cannot be used: it is larger than 1 MB")


def test_a_brand_or_clients_file_in_its_own_folder_or_the_workbook_is_fine(sample, tmp_path):
    """A practice keeps one brand file for every workbook; a link into the workbook is fine."""
    brand = tmp_path / "practice" / "brand.toml"
    brand.parent.mkdir()
    brand.write_text('practice = "Harbor"\n', encoding="utf-8")
    clients = sample.write("lists/clients.csv", "Ana\n")
    (tmp_path / "practice" / "clients.csv").symlink_to(clients)
    result = sample.build(
        "--brand", str(brand), "--clients", str(tmp_path / "practice" / "clients.csv"),
        "--edition", "epub", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_a_brand_value_with_a_control_character(sample, tmp_path):
    escaped = tmp_path / "escaped.toml"
    escaped.write_text('practice = "Harbor"\nphone = "555\\u0007"\n', encoding="utf-8")
    assert_content_error(
        sample.build("--brand", str(escaped)),
        f"{escaped}:2: 'phone' contains an invisible control character (code 0x0007); delete it",
    )
    raw = tmp_path / "raw.toml"
    raw.write_text('practice = "Harbor"\nphone = "555\x07"\n', encoding="utf-8")
    assert_content_error(
        sample.build("--brand", str(raw)),
        f"{raw}:2: contains an invisible control character (code 0x0007); delete it",
    )


def test_a_brand_toml_that_is_a_pipe_or_links_out_of_the_workbook(sample, tmp_path):
    os.mkfifo(sample.root / "brand.toml")
    expected = "brand.toml: cannot be used: it is a device or pipe, not a file"
    refused_without_waiting(sample, expected)
    (sample.root / "brand.toml").unlink()
    outside = tmp_path / "outside.toml"
    outside.write_text('practice = "Harbor"\n', encoding="utf-8")
    (sample.root / "brand.toml").symlink_to(outside)
    assert_content_error(sample.build(), f"brand.toml: cannot be used: {LINK_OUT}")
    assert nothing_written(sample)


def test_a_client_list_that_is_not_utf8_or_has_control_characters(sample):
    clients = sample.write("clients.csv", b"name\nAna\nCaf\xe9\n")
    assert_content_error(
        sample.build("--clients", str(clients)),
        "clients.csv:3: is not saved as UTF-8",
    )
    clients = sample.write("clients.csv", "name\nAna\nBo\x1b[31m\n")
    assert_content_error(
        sample.build("--clients", str(clients)),
        "clients.csv:3: contains an invisible control character (code 0x001b); delete it",
    )
    clients = sample.write("clients.csv", "x" * 200_000 + "\n")
    assert_content_error(
        sample.build("--clients", str(clients)), "clients.csv:1: cannot be read as a list of names"
    )


def test_unknown_part_ids_are_a_usage_error_with_a_hint(sample):
    result = sample.build("--only", "intro,shet")
    assert result.exit_code == 2
    assert "'shet' is not a part (did you mean 'sheet'?)" in result.output
    assert sample.build("--skip", "intro", "--skip", "sheet").exit_code == 2
    assert nothing_written(sample)


def test_client_options_that_do_not_go_together(sample):
    clients = sample.write("clients.csv", "Ana\n")
    assert sample.build("--client", "Ana", "--clients", str(clients)).exit_code == 2
    assert sample.build("--name-files").exit_code == 2
    assert sample.build("--client", "  ").exit_code == 2


def test_client_list_problems_name_the_row(sample):
    clients = sample.write("clients.csv", "name,parts\nAna,intro\nBo,intro outro\n,sheet\n")
    result = sample.build("--clients", str(clients))
    assert_content_error(result, "clients.csv:4: this row has parts but no name", "1 problem")
    clients = sample.write("clients.csv", "Ana,intro\nBo,intro outro\n")
    assert_content_error(
        sample.build("--clients", str(clients)), "clients.csv:2: 'outro' is not a part"
    )
    empty = sample.write("empty.csv", "\n\n")
    assert_content_error(sample.build("--clients", str(empty)), "empty.csv: has no names")
    assert nothing_written(sample)


def test_helplines_need_a_source_and_a_check_date_or_note(sample):
    sample.write(
        "helplines.yaml",
        "regions:\n  uk: {name: United Kingdom, emergency: '999'}\n"
        "services:\n  - region: uk\n    name: A line\n    how: Call 1\n    source: https://x\n"
        "    checked: soon\n  - region: xx\n    nmae: B\n    how: Call 2\n    source: s\n",
    )
    sample.write("chapters/intro.md", "---\ntitle: Help\n---\n\n::: helplines\n:::\n")
    assert_content_error(
        sample.build(),
        "helplines.yaml:8: 'checked' must be a date",
        "helplines.yaml:10: unknown key 'nmae' in a service (did you mean 'name'?)",
        "helplines.yaml:9: 'name' is missing; add a line 'name: ...'",
        "helplines.yaml:9: unknown region 'xx'; use one of: us, uk, ca, au, ie, nz",
        "needs a 'note' saying so",
    )


def test_bundled_helplines_have_sources_and_say_whether_they_were_checked():
    data = yaml.safe_load((ROOT / "helplines.yaml").read_text(encoding="utf-8"))
    regions = {s["region"] for s in data["services"]}
    assert regions == {"us", "uk", "ca", "au", "ie", "nz"} == set(data["regions"])
    for service in data["services"]:
        assert service["source"].startswith("https://"), service["name"]
        assert service["checked"] is not None or "not checked" in service["note"].lower()
        assert service["note"].strip(), service["name"]  # what was compared, and where
        if service["checked"] is None:  # a number nobody could check is marked, or left out
            assert "compare with the source" in service["note"] or "No number" in service["note"]


def test_bundled_helplines_cover_texting_men_lgbtq_canada_and_childhood_abuse():
    services = load_book(ROOT).helplines.services
    for_whom = " ".join(s.for_whom.lower() for s in services)
    assert "men experiencing domestic abuse" in for_whom and "lgbt+" in for_whom
    assert "hurt by a parent" in for_whom
    assert any(s.region == "ca" and "abuse" in s.for_whom for s in services)
    texting = {s.region for s in services if s.text or s.chat}
    assert {"us", "uk", "ca", "au", "nz"} <= texting


def test_a_helpline_needs_a_way_to_reach_it(sample):
    sample.write(
        "helplines.yaml",
        "regions:\n  uk: {name: United Kingdom, emergency: '999'}\n"
        "services:\n  - {region: uk, name: A line, source: 'https://x', note: not checked}\n",
    )
    sample.write("chapters/intro.md", "---\ntitle: Help\n---\n\n::: helplines\n:::\n")
    assert_content_error(
        sample.build(),
        "helplines.yaml:4: a service needs a way to reach it: 'call', 'text', 'chat', 'email'"
        " or 'how'",
    )


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run("new", str(tmp_path / "busy"))
    assert_content_error(result, "already exists and is not empty")
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_new_makes_every_promised_file(tmp_path):
    result = run("new", str(tmp_path / "mine"))
    assert result.exit_code == 0, result.output
    files = {p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*")}
    assert {
        "workbook.toml",
        "chapters/welcome.md",
        "chapters/check-in.yaml",
        "brand.example.toml",
        "templates",
        "styles/custom.css",
    } <= files
    listed = run("list", "-p", str(tmp_path / "mine"))
    assert listed.output.split()[:3] == ["welcome", "chapter", "Welcome"]
