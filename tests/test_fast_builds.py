"""Fast builds: the build cache (never stale), editions in parallel processes (same bytes as
one after another), progress on a terminal, and a `--help` that loads none of the heavy
libraries. Speed itself is measured by bench/run.py, not here."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image

from tests.conftest import ROOT
from workbook.build import parallel, progress
from workbook.build.cache import sha256_output
from workbook.errors import Problem, WorkbookError

HEAVY = ("weasyprint", "ebooklib", "pikepdf", "PIL", "jinja2", "fontTools", "markdown_it", "yaml")
UP_TO_DATE = "up to date"


# --- start-up ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]])
def test_help_loads_none_of_the_heavy_libraries(args):
    script = (
        "import sys\n"
        "from workbook.cli import main\n"
        f"try:\n    main({args!r})\n"
        "except SystemExit:\n    pass\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = set(done.stderr.split())
    assert "click" in loaded  # the list is real
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


# --- the build cache ---------------------------------------------------------------------


@pytest.fixture
def cached(sample, tmp_path, monkeypatch):
    """The sample workbook with a cache of its own, and a picture in its chapter."""
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    Image.new("RGB", (40, 20), (200, 80, 80)).save(sample.root / "chapters" / "pic.png")
    chapter = (sample.root / "chapters" / "intro.md").read_text(encoding="utf-8")
    sample.write("chapters/intro.md", chapter + "\n![A red block](pic.png)\n")
    return sample


def built(sample, *args: str) -> str:
    """Builds the print edition; returns the summary line."""
    result = sample.build("--edition", "print", *args)
    assert result.exit_code == 0, result.output
    return result.output


def pdf_of(sample):
    return sample.root / "output" / "sample-print-letter.pdf"


@pytest.mark.slow
def test_nothing_changed_nothing_built(cached):
    assert UP_TO_DATE not in built(cached)
    before = pdf_of(cached).stat()
    assert UP_TO_DATE in built(cached)
    after = pdf_of(cached).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert UP_TO_DATE not in built(cached, "--no-cache")


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        "chapter",
        "worksheet",
        "settings",
        "template",
        "style",
        "picture",
        "option",
        "output edited",
        "cache deleted",
        "cache corrupt",
        "epoch",
    ],
)
def test_any_change_builds_again(cached, change, tmp_path, monkeypatch):
    from pypdf import PdfReader

    built(cached)
    assert UP_TO_DATE in built(cached)
    args: tuple[str, ...] = ()
    records = list((tmp_path / "cache").rglob("*.json"))
    assert len(records) == 1
    if change == "chapter":
        text = (cached.root / "chapters" / "intro.md").read_text(encoding="utf-8")
        cached.write("chapters/intro.md", text.replace("Some words", "Other words"))
    elif change == "worksheet":
        text = (cached.root / "chapters" / "sheet.yaml").read_text(encoding="utf-8")
        cached.write("chapters/sheet.yaml", text.replace("What do you notice", "What helps"))
    elif change == "settings":
        cached.config(contents=["intro", "sheet"], extra='subtitle = "New subtitle"\n')
    elif change == "template":
        cached.write("templates/cover.html", '{% extends "default:cover.html" %}\n')
    elif change == "style":
        cached.write("styles/custom.css", "h1 { letter-spacing: 1pt; }\n")
    elif change == "picture":
        Image.new("RGB", (40, 20), (20, 80, 200)).save(cached.root / "chapters" / "pic.png")
    elif change == "option":
        args = ("--region", "uk")
    elif change == "output edited":
        pdf_of(cached).write_bytes(pdf_of(cached).read_bytes() + b"\n")
    elif change == "cache deleted":
        for record in records:
            record.unlink()
    elif change == "cache corrupt":
        records[0].write_text('{"format": 1, "key": ', encoding="utf-8")
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert UP_TO_DATE not in built(cached, *args)
    text = "".join(page.extract_text() for page in PdfReader(pdf_of(cached)).pages)
    if change == "chapter":
        assert "Other words" in text
    if change == "worksheet":
        assert "What helps" in text
    assert UP_TO_DATE in built(cached, *args)  # and now it is fresh again


@pytest.mark.slow
def test_a_record_of_another_shape_is_ignored(cached, tmp_path):
    built(cached)
    (record,) = (tmp_path / "cache").rglob("*.json")
    for text in ("[]", '{"format": 1, "key": 3}', "\x00\xff", json.dumps({"format": 99})):
        record.write_bytes(text.encode("utf-8", "surrogateescape"))
        assert UP_TO_DATE not in built(cached)


# --- editions in parallel ------------------------------------------------------------------


@pytest.mark.slow
def test_parallel_and_serial_builds_are_byte_identical(sample, monkeypatch):
    files = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv(parallel.JOBS_VARIABLE, jobs)
        out = sample.root / f"out-{jobs}"
        result = sample.build("-o", str(out), "--no-cache")
        assert result.exit_code == 0, result.output
        files[jobs] = {p.name: sha256_output(p) for p in out.iterdir()}
    assert sorted(files["1"]) == [
        "sample-fillable-letter.pdf",
        "sample-print-letter.pdf",
        "sample-site",
        "sample.epub",
    ]
    assert files["1"] == files["2"]


@pytest.mark.slow
def test_a_problem_in_a_worker_is_reported_and_nothing_is_written(sample, monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    sample.write("styles/custom.css", "body { background: url(http://example.com/a.png); }\n")
    result = sample.build("--edition", "print", "--edition", "fillable")
    assert result.exit_code == 1
    assert "would be fetched from the web" in result.output
    assert "Traceback" not in result.output
    out = sample.root / "output"
    assert not out.exists() or not any(out.iterdir())


def test_run_all_keeps_the_order_of_the_tasks(monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    tasks = [lambda n=n: (n, os.getpid()) for n in range(5)]
    results = parallel.run_all(tasks)
    assert [n for n, _ in results] == list(range(5))
    if parallel.can_fork():
        assert os.getpid() not in {pid for _, pid in results}


def test_run_all_with_one_job_runs_here(monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    assert parallel.run_all([os.getpid, os.getpid]) == [os.getpid()] * 2


def _bad_content() -> None:
    raise WorkbookError([Problem("chapters/a.md", "something to fix", 3)])


def _bug() -> None:
    raise KeyError("oops")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_run_all_raises_a_workers_problems_and_failures(monkeypatch):
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    with pytest.raises(WorkbookError) as error:
        parallel.run_all([lambda: 1, _bad_content])
    assert error.value.problems == (Problem("chapters/a.md", "something to fix", 3),)
    with pytest.raises(parallel.WorkerFailed, match="KeyError: 'oops'"):
        parallel.run_all([_bug, lambda: 1])


def _big_outcome_ignoring_stop() -> bytes:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as if the stop had come and gone
    time.sleep(0.5)  # the other task fails meanwhile
    return b"x" * 1_000_000  # far more than a pipe holds


def _big_crash_when_stopped() -> None:
    try:
        time.sleep(5)
    except SystemExit:  # the stop, as a worker's _stop raises it
        raise SystemExit("y" * 1_000_000) from None  # would be reported as a huge crash


def _late_problem() -> None:
    time.sleep(0.2)
    _bad_content()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
@pytest.mark.parametrize("other", [_big_outcome_ignoring_stop, _big_crash_when_stopped])
def test_a_worker_stopped_with_a_large_outcome_unread_ends(monkeypatch, other):
    """One worker's problem stops the other, which is writing (or about to write) more than
    a pipe holds: the stop must not wait forever for it. (An alarm turns a hang into a
    failure.)"""
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")

    def hung(signum, frame):
        raise AssertionError("the stopped worker was waited for forever")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with pytest.raises(WorkbookError):
            parallel.run_all([other, _late_problem])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- progress ------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_waits_a_second_then_shows_each_edition_and_step():
    stream, clock = io.StringIO(), FakeClock()
    reporter = progress.Reporter(stream, clock=clock, width=200)
    reporter.update("print PDF", "laying out")
    assert stream.getvalue() == ""  # a quick build shows nothing
    clock.now += 1.5
    reporter.update("fillable PDF", "laying out")
    reporter.update("print PDF", "writing")
    last = stream.getvalue().split(progress.CLEAR)[-1]
    assert last == "Building (2 s) print PDF: writing · fillable PDF: laying out"
    reporter.finish()
    assert stream.getvalue().endswith(progress.CLEAR)


def test_progress_line_fits_the_terminal():
    stream, clock = io.StringIO(), FakeClock()
    reporter = progress.Reporter(stream, clock=clock, width=30)
    clock.now += 2
    reporter.update("print PDF", "laying out")
    assert len(stream.getvalue().split(progress.CLEAR)[-1]) < 30


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("enabled", "stream", "shows"),
    [
        (True, FakeTerminal(), True),
        (False, FakeTerminal(), False),  # --quiet
        (True, io.StringIO(), False),  # not a terminal
    ],
)
def test_progress_only_on_a_terminal_and_not_when_quiet(enabled, stream, shows):
    with progress.showing(enabled, stream) as reporter:
        if reporter is not None:
            reporter.started -= 5  # as if the build had run for a while
        progress.step("EPUB", "packaging")
    assert ("EPUB: packaging" in stream.getvalue()) is shows
    progress.step("EPUB", "packaging")  # after the build: goes nowhere


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="no process groups here")
def test_ctrl_c_stops_every_worker_and_leaves_no_temporary_file(sample):
    import signal
    import time

    out = sample.root / "output"
    env = {**os.environ, parallel.JOBS_VARIABLE: "2"}
    command = [sys.executable, "-m", "workbook", "build", "-p", str(sample.root), "--no-cache"]
    child = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(out.glob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(out.glob(".*.tmp")), "the build never began writing"
    os.killpg(child.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    assert child.wait(timeout=60) != 0
    time.sleep(0.5)
    assert not list(out.iterdir())
    with pytest.raises(ProcessLookupError):
        os.killpg(child.pid, 0)  # every process of the build has ended
