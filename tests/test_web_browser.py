"""The web edition in a real browser: Playwright for Python driving Debian's Chromium (installed
by scripts/install-test-deps.sh; nothing downloads a browser), with axe-core (pinned in
tools/axe/package-lock.json). One browser for the session; each test has its own context.

Every page loads with nothing outside the site requested and no console error, axe-core finds
nothing (best practices included), nothing scrolls sideways at 320 px with text at 200%, each
worksheet can be filled with the keyboard alone, printed answers are in the PDF, the quick exit
leaves, answers are stored only when the switch is on and erased on request, and `workbook
serve` reloads an open page when a chapter is saved.
"""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, SampleWorkbook
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# axe reads the page's own stylesheets (no `preload`: it would fetch them again).
AXE_RUN = """async (tags) => {
  const found = await axe.run(document, {preload: false, runOnly: {type: 'tag', values: tags}});
  return found.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""
QUICK_EXIT = "https://www.google.com/"
BOOK = load_book(ROOT)


@pytest.fixture(scope="session")
def site(default_build) -> Path:
    """The default build's site: it lists the PDFs and the EPUB built beside it."""
    return default_build / "alliance-workbook-site"


class Watched:
    """A page whose every request and console error is noted; anything outside the site is
    refused before it leaves."""

    def __init__(self, context, site: Path) -> None:
        self.inside = site.resolve().as_uri() + "/"
        self.outside: list[str] = []
        self.errors: list[str] = []
        context.route(re.compile(r"^(?!file:).*"), self._refuse)
        self.page = context.new_page()
        self.page.on("request", self._noted)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _refuse(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def _noted(self, request) -> None:
        if not request.url.startswith(self.inside):
            self.outside.append(request.url)

    def open(self, name: str):
        self.page.goto(self.inside + name)
        self.page.wait_for_load_state("load")
        return self.page


def pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


def test_every_page_loads_alone_with_no_error_and_axe_finds_nothing(browser, site):
    context = browser.new_context()
    context.add_init_script(path=str(AXE))  # by the browser, not the page: the policy holds
    watched = Watched(context, site)
    found = {}
    for name in pages(site):
        page = watched.open(name)
        assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')"), name
        result = page.evaluate(
            AXE_RUN,
            AXE_TAGS,
        )
        if result:
            found[name] = result
    context.close()
    assert len(pages(site)) == 2 + len(BOOK.parts)
    assert not found, found
    assert watched.outside == [], watched.outside
    assert watched.errors == [], watched.errors


def test_dark_pages_pass_axe_colour_contrast_too(browser, site):
    context = browser.new_context(color_scheme="dark")
    context.add_init_script(path=str(AXE))
    watched = Watched(context, site)
    found = {}
    for name in ("index.html", "signs-checklist.html", "support-and-crisis-resources.html"):
        page = watched.open(name)
        result = page.evaluate(
            AXE_RUN,
            ["cat.color"],
        )
        if result:
            found[name] = result
    context.close()
    assert not found, found


def test_nothing_scrolls_sideways_at_320_px_and_200_percent_text(browser, site):
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    wide = {}
    for name in pages(site):
        page.goto((site / name).as_uri())
        page.add_style_tag(content="html { font-size: 200% !important; }")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[name] = width
    context.close()
    assert not wide, wide


def fill_with_keyboard(page) -> None:
    """Tab through the page; type, tick or choose in every worksheet control, and add a second
    entry to each log. Only keys are pressed."""
    page.keyboard.press("Tab")
    added: set[str] = set()
    for _ in range(600):
        kind = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || !el.closest('.ws-section')) {
                return el && el.closest('.pager') ? 'end' : '';
              }
              if (el.matches('[data-add-entry]')) {
                return 'add:' + el.closest('[data-log]').dataset.log;
              }
              if (el.type === 'checkbox') return el.checked ? '' : 'tick';
              if (el.type === 'radio') return document.querySelector(
                  `input[name="${el.name}"]:checked`) ? '' : 'choose';
              if (el.type === 'date') return el.value ? '' : 'date';
              if (el.type === 'number') return el.value ? '' : 'number';
              if (el.tagName === 'TEXTAREA') return el.value ? '' : 'type:' + el.name;
              return '';
            }"""
        )
        if kind == "end":
            return
        if kind == "tick":
            page.keyboard.press("Space")
        elif kind == "choose":
            page.keyboard.press("ArrowRight")  # moves to 2 and chooses it
        elif kind == "date":
            page.keyboard.type("01022026")
        elif kind == "number":
            page.keyboard.type("2")
        elif kind.startswith("type:"):
            page.keyboard.type(f"Typed into {kind[5:]}")
        elif kind.startswith("add:") and kind not in added:
            added.add(kind)
            page.keyboard.press("Enter")  # the new entry's first box has the focus
            continue
        page.keyboard.press("Tab")
    raise AssertionError("the keyboard never reached the end of the worksheet")


def unfilled(page) -> list[str]:
    return page.evaluate(
        """() => {
          const missing = [];
          const controls = document.querySelectorAll('.ws-section [name]');
          for (const el of controls) {
            if (el.type === 'radio') {
              const chosen = document.querySelector(`input[name="${el.name}"]:checked`);
              if (!chosen) missing.push(el.name);
            } else if (el.type === 'checkbox' ? !el.checked : !el.value) missing.push(el.name);
          }
          document.querySelectorAll('[data-log]').forEach(log => {
            const entries = log.querySelectorAll('[data-entry]').length;
            if (entries < 2) missing.push(log.dataset.log + ' entry 2');
          });
          return [...new Set(missing)];
        }"""
    )


@pytest.mark.parametrize("sheet", [s.id for s in BOOK.worksheets])
def test_each_worksheet_can_be_filled_with_the_keyboard_alone(browser, site, sheet):
    context = browser.new_context()
    watched = Watched(context, site)
    page = watched.open(f"{sheet}.html")
    assert unfilled(page), "nothing to fill?"
    fill_with_keyboard(page)
    assert unfilled(page) == []
    assert page.evaluate("localStorage.length") == 0  # nothing kept unless asked
    context.close()
    assert watched.outside == [] and watched.errors == []


def test_a_filled_worksheet_prints_with_its_answers_and_blank_without(browser, site, tmp_path):
    context = browser.new_context()
    page = Watched(context, site).open("therapist-fit-questions.html")
    first = page.locator(".ws-section textarea").first
    first.fill("Someone who listens without rushing")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "filled.pdf"))
    page.evaluate("document.querySelectorAll('textarea').forEach(t => t.value = '')")
    page.pdf(path=str(tmp_path / "blank.pdf"))
    context.close()
    filled = subprocess.run(["pdftotext", str(tmp_path / "filled.pdf"), "-"], capture_output=True)
    blank = subprocess.run(["pdftotext", str(tmp_path / "blank.pdf"), "-"], capture_output=True)
    assert "Someone who listens without rushing" in filled.stdout.decode()
    assert "Someone who listens" not in blank.stdout.decode()
    assert "Leave this site" not in filled.stdout.decode()  # the site around it is not printed
    assert "Therapist-fit questions".lower() in filled.stdout.decode().lower()


def test_print_blank_empties_the_page_for_printing_and_puts_the_answers_back(browser, site):
    context = browser.new_context()
    page = Watched(context, site).open("therapist-fit-questions.html")
    page.evaluate(
        "() => { window.printed = []; window.print = () => window.printed.push("
        "[...document.querySelectorAll('textarea')].map(t => t.value).join('')); }"
    )
    page.locator(".ws-section textarea").first.fill("kept on the page")
    page.get_by_role("button", name="Print it blank").click()
    page.get_by_role("button", name="Print with my answers").click()
    printed = page.evaluate("window.printed")
    assert printed == ["", "kept on the page"]
    assert page.locator(".ws-section textarea").first.input_value() == "kept on the page"
    context.close()


@pytest.mark.parametrize("how", ["button", "escape"])
def test_the_quick_exit_leaves_the_page(browser, site, how):
    context = browser.new_context()
    left = []

    def neutral(route):
        left.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Neutral</title>")

    context.route(QUICK_EXIT, neutral)
    page = context.new_page()
    page.goto((site / "signs-checklist.html").as_uri())
    entries = page.evaluate("history.length")
    if how == "button":
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the title
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Leave this site"
        page.keyboard.press("Enter")
    else:
        page.locator("textarea").first.fill("private")
        page.keyboard.press("Escape")
    page.wait_for_url(QUICK_EXIT)
    assert left == [QUICK_EXIT]
    assert page.title() == "Neutral"
    assert page.evaluate("history.length") == entries  # replaced: Back does not return here
    context.close()


def test_answers_are_stored_only_when_asked_and_erased(browser, site):
    context = browser.new_context()
    page = Watched(context, site).open("therapist-fit-questions.html")
    box = page.locator(".ws-section textarea").first
    box.fill("only on this page")
    page.locator(".ws-section input[type=checkbox]").first.check()
    assert page.evaluate("localStorage.length") == 0
    page.get_by_label("Keep my answers on this device").check()
    stored = page.evaluate("JSON.stringify(localStorage)")
    assert "only on this page" in stored
    page.reload()
    assert page.locator(".ws-section textarea").first.input_value() == "only on this page"
    assert page.get_by_label("Keep my answers on this device").is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Erase my answers").click()
    assert page.evaluate("localStorage.length") == 0
    assert page.locator(".ws-section textarea").first.input_value() == ""
    assert not page.locator(".ws-section input[type=checkbox]").first.is_checked()
    page.reload()
    assert page.locator(".ws-section textarea").first.input_value() == ""
    context.close()


def test_the_downloads_page_lists_every_file_of_the_build_inside_the_site(browser, site):
    context = browser.new_context()
    page = Watched(context, site).open("downloads.html")
    links = page.locator(".downloads a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    built = sorted(p.name for p in site.parent.iterdir() if p.is_file() and p.name[0] != ".")
    assert sorted(link.removeprefix("downloads/") for link in links) == built
    for name in built:
        assert (site / "downloads" / name).read_bytes() == (site.parent / name).read_bytes()
    text = page.locator("main").inner_text()
    assert "Send to Kindle" in text and "Kobo" in text
    assert re.search(r"\d+(\.\d)? [KM]B", text)
    context.close()


def _serve_url(process: subprocess.Popen, timeout: float) -> str:
    """The address `workbook serve` prints, read line by line as it comes."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if found := re.search(r"http://127\.0\.0\.1:\d+/", line):
            return found.group(0)
    raise AssertionError("workbook serve never said where it serves")


def test_serve_reloads_the_open_page_when_a_chapter_is_saved(browser, tmp_path):
    sample = SampleWorkbook(tmp_path / "sample")
    command = [sys.executable, "-m", "workbook", "serve", "-p", str(sample.root), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = _serve_url(process, 60)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "intro.html")
        expect(page.get_by_role("region", name="Preview")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Some words to read.")
        sample.write("chapters/intro.md", SAMPLE_BODY.format(words="Words saved just now."))
        expect(page.locator("main")).to_contain_text("Words saved just now.")
        sample.write("chapters/intro.md", "---\ntitle: [broken\n---\nText\n")
        expect(page.get_by_role("alert")).to_contain_text("chapters/intro.md:2")
        expect(page.locator("main")).to_contain_text("Words saved just now.")  # the last good
        sample.write("chapters/intro.md", SAMPLE_BODY.format(words="Fixed again."))
        expect(page.locator("main")).to_contain_text("Fixed again.")
        expect(page.get_by_role("alert")).to_be_empty()
        context.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 0


SAMPLE_BODY = """\
---
title: A small chapter
---

{words}
"""
