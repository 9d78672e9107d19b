"""The web edition as files: a folder that refers to nothing outside itself, with a strict policy
on every page, worksheets as labelled form controls, the build's files on its downloads page,
staged like every other output and skipped when nothing changed. (Pages in a real browser:
tests/test_web_browser.py.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import ROOT, run
from workbook.editions import Edition
from workbook.render import render
from workbook.sources.loader import load_book

SITE = "alliance-workbook-site"
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')


class _Refs(HTMLParser):
    """Every address a page refers to, every inline script or style, and the form controls
    with their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.inline: list[str] = []
        self.controls: list[dict[str, str]] = []
        self.labels: set[str] = set()
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        for name in ("href", "src", "action", "srcset", "poster", "data"):
            if name in values:
                self.refs.append((tag, name, values[name]))
        if "style" in values or tag == "style" or any(n.startswith("on") for n in values):
            self.inline.append(tag)
        if tag == "script" and "src" not in values:
            self.inline.append("script")
        if tag in ("input", "textarea", "select"):
            self.controls.append({"tag": tag, **values})
        if tag == "label" and values.get("for"):
            self.labels.add(values["for"])


def parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The default workbook's web edition alone (no PDF is made: a quick build)."""
    out = tmp_path_factory.mktemp("site")
    result = run("build", "--edition", "html", "-p", str(ROOT), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "web edition" in result.output
    return out / SITE


def test_a_page_per_part_a_home_page_and_a_downloads_page(site):
    book = load_book(ROOT)
    pages = {p.name for p in site.glob("*.html")}
    assert pages == {"index.html", "downloads.html"} | {f"{p.id}.html" for p in book.parts}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert book.meta.title in home and f'href="{book.parts[0].id}.html"' in home
    for part in book.parts:
        assert f'href="{part.id}.html"' in home
    second = (site / f"{book.parts[1].id}.html").read_text(encoding="utf-8")
    assert f'href="{book.parts[0].id}.html" rel="prev"' in second
    assert f'href="{book.parts[2].id}.html" rel="next"' in second


def test_nothing_refers_outside_the_site(site):
    """Every address is a file inside the folder, a place on a page, or one a reader chooses
    to follow: the quick exit, tel: and sms:. No ../, no web fetch, no inline script or style."""
    followed = []
    for page in sorted(site.rglob("*.html")):
        refs = parse(page)
        assert not refs.inline, f"{page.name}: inline {refs.inline}"
        for tag, attribute, value in refs.refs:
            parts = urlsplit(value)
            if parts.scheme in ("tel", "sms") or value.startswith("#"):
                continue
            if parts.scheme or parts.netloc:
                assert (tag, attribute) == ("a", "href"), f"{page.name}: {tag} {value} is fetched"
                followed.append(value)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_relative_to(site.resolve()), f"{page.name}: {value} leads out"
            assert target.is_file(), f"{page.name}: {value} is not in the site"
    assert set(followed) <= {"https://www.google.com/"} | {
        url for url in followed if url.startswith(("https://", "http://")) and "references" in url
    }
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    for url in re.findall(r"url\(\"?([^\")]+)", css):
        assert (site / "assets" / url).is_file(), url


def test_every_page_has_a_strict_policy_and_the_script_file(site):
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        policy = POLICY.search(html)
        assert policy, page.name
        rules = dict(rule.strip().split(" ", 1) for rule in policy.group(1).split(";"))
        assert rules["default-src"] == "'none'"
        assert rules["script-src"] == "'self'" and rules["style-src"] == "'self'"
        assert rules["form-action"] == "'none'"
        assert html.index("Content-Security-Policy") < html.index("<link")
        assert '<script src="assets/site.js" defer></script>' in html
    assert (site / "assets" / "site.js").is_file()
    assert {f.name for f in (site / "assets" / "fonts").iterdir()} >= {
        "AtkinsonHyperlegible-Regular.ttf",
        "OFL.txt",
    }


def test_every_form_control_has_a_label(site):
    book = load_book(ROOT)
    for sheet in book.worksheets:
        refs = parse(site / f"{sheet.id}.html")
        fields = [c for c in refs.controls if c.get("name")]
        assert fields, sheet.id
        for control in fields:
            assert control["id"] in refs.labels, f"{sheet.id}: {control} has no label"
            assert control.get("type") in ("checkbox", "radio", "date", "number", None)
        html = (site / f"{sheet.id}.html").read_text(encoding="utf-8")
        assert html.count("<fieldset") >= 1 and html.count("<legend") == html.count("<fieldset")
    log = (site / "rupture-repair-log.html").read_text(encoding="utf-8")
    assert "data-add-entry" in log and 'name="rupture-repair-log-1-1-1-1"' in log
    scale = (site / "therapist-fit-questions.html").read_text(encoding="utf-8")
    assert 'type="radio"' in scale and 'type="checkbox"' in scale
    grid = (site / "signs-checklist.html").read_text(encoding="utf-8")
    assert 'type="number"' in grid and 'name="signs-checklist-1-1-2-3-1"' in grid


def test_the_leave_button_is_on_every_page_and_goes_where_the_settings_say(sample, tmp_path):
    sample.config(["intro", "sheet"], 'quick_exit = "https://www.bbc.co.uk/weather"\n')
    result = sample.build_to(tmp_path, "--edition", "html")
    assert result.exit_code == 0, result.output
    for page in (tmp_path / "sample-site").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'class="quick-exit"' in html, page.name
        assert 'href="https://www.bbc.co.uk/weather"' in html


@pytest.mark.parametrize(
    "value",
    ['"javascript:alert(1)"', '"www.example.org"', '"https://exa mple.org"', "3"],
)
def test_a_quick_exit_that_is_not_a_web_address_is_refused(sample, value):
    sample.config(["intro", "sheet"], f"quick_exit = {value}\n")
    result = sample.build("--edition", "html")
    assert result.exit_code == 1
    assert "workbook.toml:5: 'quick_exit' must be" in result.output


def test_the_epub_has_no_form_controls():
    book = load_book(ROOT)
    for document in render(book, Edition("epub")).documents:
        assert not re.search(r"<(input|textarea|select|button|fieldset)\b", document.html)


def test_discreet_large_print_and_parts_are_followed(tmp_path):
    args = ["--edition", "html", "--discreet", "--large-print", "--only", "signs-checklist"]
    result = run("build", "-p", str(ROOT), "-o", str(tmp_path), *args)
    assert result.exit_code == 0, result.output
    site = tmp_path / "personal-workbook-site-large-print"
    assert {p.name for p in site.glob("*.html")} == {
        "index.html",
        "downloads.html",
        "signs-checklist.html",
    }
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        assert "narcissis" not in text and "abuse" not in text and "alliance workbook" not in text
    assert "font-size: 131.25%" in (site / "assets" / "site.css").read_text(encoding="utf-8")


def test_region_gives_tel_and_sms_links(tmp_path):
    result = run(
        "build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "html", "--region", "us"
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / SITE / "support-and-crisis-resources.html").read_text(encoding="utf-8")
    assert 'href="tel:911"' in html
    assert 'href="tel:988"' in html and 'href="sms:988"' in html
    assert 'href="sms:88788' in html and 'href="tel:18007997233"' in html


def test_nothing_changed_nothing_built_and_a_changed_site_is_rebuilt(sample, tmp_path):
    assert sample.build_to(tmp_path, "--edition", "html").exit_code == 0
    again = sample.build_to(tmp_path, "--edition", "html")
    assert "up to date" in again.output
    (tmp_path / "sample-site" / "index.html").write_text("changed by hand", encoding="utf-8")
    third = sample.build_to(tmp_path, "--edition", "html")
    assert "up to date" not in third.output
    assert "changed by hand" not in (tmp_path / "sample-site" / "index.html").read_text()


def test_a_site_that_fails_half_written_keeps_the_old_one_and_no_temporary_folder(
    sample, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    assert sample.build_to(out, "--edition", "html").exit_code == 0
    before = (out / "sample-site" / "intro.html").read_text(encoding="utf-8")
    sample.write("chapters/intro.md", "---\ntitle: Changed\n---\nNew text\n")
    # The pages are written, then copying the script fails: the folder is half made.
    monkeypatch.setattr("workbook.writers.html.ASSETS", tmp_path / "gone")
    result = sample.build_to(out, "--edition", "html", "--no-cache")
    assert result.exit_code == 1
    assert "could not write the files here" in result.output
    assert (out / "sample-site" / "intro.html").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in out.iterdir()) == ["sample-site"]


def test_the_site_is_not_made_per_client(sample, tmp_path):
    result = sample.build_to(tmp_path, "--edition", "html", "--client", "Sam")
    assert result.exit_code == 2
    assert "one site for everyone" in result.output
