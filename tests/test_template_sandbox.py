"""A downloaded workbook's templates cannot touch files, call what they should not, or run
away: each attempt ends in a message naming the template and line, never a traceback."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest

from tests.conftest import run


def check(sample, *expected: str) -> str:
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


def cover(sample, body: str) -> None:
    sample.write(
        "templates/cover.html",
        '{% extends "default:cover.html" %}\n{% block cover_note %}\n'
        + body
        + "\n{% endblock %}\n",
    )


# --- no files -------------------------------------------------------------------------------


def test_a_template_cannot_read_a_file(sample):
    cover(sample, "{{ book.project_dir.joinpath('/etc/hostname').read_text() }}")
    check(
        sample,
        "templates/cover.html:3: template error: 'workbook.render.view.BookView object' has no "
        "attribute 'project_dir'",
    )


def test_a_template_cannot_write_a_file(sample, tmp_path):
    target = tmp_path / "written.txt"
    cover(sample, f"{{{{ book.parts[0].source.with_name('{target}').write_text('x') }}}}")
    check(sample, "templates/cover.html:3: template error:", "has no attribute 'source'")
    assert not target.exists()


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("meta.date.today()", "'date.today' cannot be called from a template"),
        ("meta.title.format(1)", "'str.format' cannot be called from a template"),
        ("[1].append(2)", "access to attribute 'append' of 'list' object is unsafe"),
        ("edition.make('print', 'a4')", "'Edition.make' cannot be called from a template"),
    ],
)
def test_calls_are_limited_to_what_makes_text(sample, expression, expected):
    cover(sample, "{{ " + expression + " }}")
    check(sample, f"templates/cover.html:3: template error: {expected}")


def test_what_templates_could_do_they_still_can(sample):
    """extends, blocks, super(), macros with caller(), loops, namespaces, text methods, the
    book's own methods and the variables the bundled templates use."""
    sample.write(
        "templates/cover.html",
        """{% extends "default:cover.html" %}
{% macro boxed() %}<div class="box">{{ caller() }}</div>{% endmacro %}
{% block cover_note %}{{ super() }}
{% set ns = namespace(count=0) %}
{% for part in book.parts %}{% set ns.count = ns.count + 1 %}{{ loop.cycle('a', 'b') }}{% endfor %}
{% call boxed() %}{{ meta.title.upper() }} {{ ns.count }} {{ meta.date.isoformat() }}{% endcall %}
{{ edition.describe() }} {{ "a,b".split(",") | join("+") }} {{ dict(a=1).items() | list }}
{{ book.helplines.region("us").name if book.helplines and book.helplines.region("us") }}
{{ self.cover_title() }} {{ "%.1f" | format(2.25) }} {{ range(3) | list }} {{ brand }}
{% endblock %}
""",
    )
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 0, result.output


# --- runaway --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ 'x' * 10**10 }}", "'*' here would repeat something into more than 20,000,000"),
        ("{{ 2 ** (10 ** 7) }}", "'**' here would make a number too large to work with"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range() here would count 1,000,000,000"),
        ("{{ 'x' | center(10**10) }}", "the 'center' filter here would make text longer than"),
        ("{{ '%999999999d' | format(1) }}", "a '%' format here pads text too widely"),
        ("{{ 'x'.ljust(10**10) }}", "'.ljust()' here would make text longer than"),
        (
            "{% set ns = namespace(s='xy') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}{{ ns.s | length }}",
            "this value is longer than 20,000,000 characters",
        ),
        (
            "{% macro deeper(n) %}{{ deeper(n + 1) }}{% endmacro %}{{ deeper(1) }}",
            "it calls itself without end",
        ),
    ],
    ids=["repeat", "power", "range", "center", "format", "ljust", "doubling", "macro"],
)
def test_runaway_templates_stop_with_a_message(sample, body, expected):
    cover(sample, body)
    check(sample, f"templates/cover.html:3: template error: {expected}")


def test_a_template_that_includes_itself_stops(sample):
    sample.write("templates/cover.html", "<section>\n\n{% include 'cover.html' %}\n</section>\n")
    check(sample, "templates/cover.html:3: template error: it calls itself without end")


@pytest.mark.slow
def test_a_template_that_grows_past_memory_stops(sample):
    """Each piece is small; together they are far more than a page: the memory ceiling stops
    it (in a process of its own, which may keep the memory it reached until it ends)."""
    cover(
        sample,
        "{% set big = 'x' * 1000000 %}{% macro many() %}{% for i in range(100000) %}{{ big }}"
        "{% endfor %}{% endmacro %}{{ many() | length }}",
    )
    command = [sys.executable, "-m", "workbook", "check", "-p", str(sample.root)]
    process = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert process.returncode == 1
    assert "Traceback" not in process.stderr
    expected = "templates/cover.html:3: template error: it needs more memory than a workbook"
    assert expected in process.stdout + process.stderr


def test_a_template_that_takes_too_long_stops(sample, monkeypatch):
    # The module, not the function `workbook.render.environment` that shares its name.
    monkeypatch.setattr(
        importlib.import_module("workbook.render.environment"), "TEMPLATE_SECONDS", 0.5
    )
    cover(
        sample, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    check(
        sample,
        "templates/cover.html:3: template error: it took longer than 0.5 seconds and was stopped",
    )


# --- templates that are not files -----------------------------------------------------------


@pytest.mark.parametrize("target", ["/proc/self/mem", "/dev/zero"])
def test_a_template_linking_to_a_device_is_refused(sample, target):
    (sample.root / "templates").mkdir()
    (sample.root / "templates/cover.html").symlink_to(target)
    result = sample.build("--edition", "print")
    assert result.exit_code == 1
    assert "templates/cover.html: cannot be used: it is a link to a file outside" in result.output


def test_a_templates_folder_linking_elsewhere_is_refused(sample):
    (sample.root / "templates").symlink_to("/proc/self")
    os.mkfifo(sample.root / "pipe.css")
    (sample.root / "styles").symlink_to(sample.root / "pipe.css")
    expected = (
        "templates: cannot be used: it is a link to a folder outside the workbook's folder",
        "styles: cannot be used: it is not a folder",
    )
    result = sample.build("--edition", "print")
    assert result.exit_code == 1
    assert all(text in result.output for text in expected), result.output
    check(sample, *expected)
