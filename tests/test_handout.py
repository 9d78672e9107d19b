"""Handout packets: just the chosen worksheets, in order, repeated, each page standing alone."""

from __future__ import annotations

import re
import tomllib

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, run

pytestmark = pytest.mark.slow

TITLES = {"rupture-repair-log": "Rupture-repair log", "signs-checklist": "Signs checklist"}
PERMISSION = tomllib.loads((ROOT / "workbook.toml").read_text(encoding="utf-8"))["permission"]


def without_permission(text: str) -> str:
    """A page's text without the permission line at its foot, however it wraps."""
    return re.sub(r"\s+".join(map(re.escape, PERMISSION.split())), "", text)


@pytest.fixture(scope="session")
def packet(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    ids = ["rupture-repair-log", "signs-checklist"]
    result = run("handout", *ids, "--copies", "2", "--paper", "a4", "-p", str(ROOT), "-o", str(out))
    assert result.exit_code == 0, result.output
    path = out / "alliance-workbook-handout-rupture-repair-log-signs-checklist-a4.pdf"
    assert path.name in result.output
    return path


@pytest.fixture(scope="session")
def texts(packet) -> list[str]:
    return [page.extract_text() for page in PdfReader(packet).pages]


def test_holds_the_worksheets_in_order_repeated_and_no_chapters(texts):
    starts = [t for t in texts if "WORKSHEET" in t.splitlines()[:3]]
    order = [
        next(title for title in TITLES.values() if title in t.splitlines()[:4]) for t in starts
    ]
    assert order == ["Rupture-repair log", "Signs checklist"] * 2
    everything = "\n".join(texts)
    assert "Contents" not in everything and "How to use this workbook" not in everything


def test_each_log_entry_fits_on_one_page(texts):
    """The rupture-repair log has an entry a page: its first and last questions share it."""
    entries = [t for t in texts if re.search(r"^ENTRY \d$", t, re.MULTILINE)]
    assert len(entries) == 2 * 3  # two copies of three blank entries
    for text in entries:
        assert "What happened" in text and "What I want to say next session" in text


def test_every_page_has_its_title_its_copy_and_page_x_of_y(texts):
    """Each copy's pages are numbered on their own: two copies of eight pages."""
    half = len(texts) // 2
    assert half == 8
    current = None
    for number, text in enumerate(texts, start=1):
        assert PERMISSION in " ".join(text.split()), f"page {number} has no permission line"
        lines = [line.strip() for line in without_permission(text).splitlines()]
        copy, page = divmod(number - 1, half)
        assert f"Copy {copy + 1} of 2 · page {page + 1} of {half}" in lines
        head = next(line for line in lines if line in TITLES.values())
        if "WORKSHEET" in lines[:3]:
            current = head
        assert head == current, f"page {number} is headed {head!r}"


def test_first_page_of_each_worksheet_has_its_instructions(texts):
    firsts = [t for t in texts if "WORKSHEET" in t.splitlines()[:3]]
    assert "Use this log when something feels off" in firsts[0]
    assert "Use this every few weeks to notice how things feel" in firsts[1]


def test_paper_is_a4(packet):
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(packet).pages
    }
    assert sizes == {(595, 842)}  # the log's entries go down upright pages


def test_fillable_copies_have_their_own_fields(tmp_path):
    result = run(
        "handout",
        "signs-checklist",
        "--copies",
        "2",
        "--fillable",
        "-p",
        str(ROOT),
        "-o",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    with pikepdf.open(
        tmp_path / "alliance-workbook-handout-signs-checklist-fillable-letter.pdf"
    ) as pdf:
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
    assert len(names) == len(set(names))
    first = [n for n in names if not n.startswith("signs-checklist-copy2-")]
    second = [n for n in names if n.startswith("signs-checklist-copy2-")]
    assert [n.replace("-copy2", "") for n in second] == first
    assert "signs-checklist-1-1-date-1" in first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing-here"], "there is no worksheet 'nothing-here'"),
        (["signs-checklst"], "did you mean 'signs-checklist'?"),
        (["welcome"], "'welcome' is a chapter"),
        (["signs-checklist", "--copies", "0"], "--copies"),
        ([], "Missing argument"),
    ],
)
def test_wrong_ids_or_copies_are_usage_errors(args, message, tmp_path):
    result = run("handout", *args, "-p", str(ROOT), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.output
    assert not any(tmp_path.iterdir())


def test_handout_help_has_examples():
    result = run("handout", "--help")
    assert result.exit_code == 0 and "Examples:" in result.output
    assert re.search(r"--copies", result.output)
