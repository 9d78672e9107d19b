"""Golden tests: the HTML and CSS that `render(book, edition)` makes for the default workbook,
compared with the files checked in under tests/golden/FORMAT/ (pelican's golden folders).

A PDF format renders one document (book.html, handout.html). It is stored in pieces, one file
per element directly inside <body> (the cover, the contents, each part: `book/welcome.html`),
and a skeleton (`book.html`: the head, then a marker line where each piece goes), so a diff
names the part that changed. Putting the pieces back gives the document exactly; when that
would not hold, the document is stored whole. An EPUB renders a document per part already
(`text/welcome.xhtml`), and so does the web edition (`welcome.html`). Each format's stylesheet
is `style.css`.

After an intended change to templates, styles or content, `make golden` writes the files
again; review them with `git diff tests/golden` before committing.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbook.editions import Edition
from workbook.model import Book
from workbook.render import render
from workbook.resources import bundled_root, bundled_styles, bundled_templates, font_dir
from workbook.sources.loader import load_book

GOLDEN = ROOT / "tests" / "golden"
FORMATS = ("print", "fillable", "epub", "handout", "html")
REGENERATE = "make golden  (or: .venv/bin/python -m pytest tests/test_golden.py --update-golden)"
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01, so the dates do not follow the clock or config
STYLE = "style.css"
MAX_DIFF_LINES = 40
MAX_LINE = 300


def editions(worksheets: tuple[str, ...]) -> dict[str, Edition]:
    return {
        "print": Edition("print"),
        "fillable": Edition("fillable"),
        "epub": Edition("epub"),
        "handout": Edition("handout", parts=worksheets, copies=2),
        "html": Edition("html"),
    }


# --- Machine-independent text -----------------------------------------------------------------

DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+);base64,([A-Za-z0-9+/=]+)")


def _machine_paths() -> list[tuple[str, str]]:
    """Folders of this machine that rendered text names, with their placeholders; longest
    first, so a folder inside another (the bundled templates in a checkout) keeps its name."""
    places = {
        "{FONTS}": font_dir(),
        "{TEMPLATES}": bundled_templates(),
        "{STYLES}": bundled_styles(),
        "{PROJECT}": ROOT,
        "{BUNDLED}": bundled_root(),
    }
    pairs: dict[str, str] = {}
    for token, folder in places.items():
        for form in (folder, folder.resolve()):
            pairs.setdefault(form.as_uri(), token)
            pairs.setdefault(str(form), token)
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def _data_placeholder(match: re.Match[str]) -> str:
    digest = hashlib.sha256(match.group(2).encode("ascii")).hexdigest()[:12]
    return f"data:{match.group(1)};base64,{{DATA {len(match.group(2))} chars sha256:{digest}}}"


def normalize(text: str) -> str:
    """Machine folders become {FONTS}, {PROJECT}, ...; a base64 data: URL (the form fields'
    font) becomes its length and a short hash."""
    for path, token in _machine_paths():
        text = text.replace(path, token)
    return DATA_URL.sub(_data_placeholder, text)


# --- One file per part --------------------------------------------------------------------

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
MARKER = re.compile(r"<!-- golden file: (\S+) -->\n")


class _BodyChildren(HTMLParser):
    """Where each element directly inside <body> starts and ends (offsets into the text),
    named by its id, else its tag. A handout's copy (`<div class="copy">`) is looked into:
    its worksheets are the pieces."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.open: list[str] = []
        self.wrappers: set[int] = set()  # depths in `open` of copies, looked into
        self.spans: list[tuple[str, int, int]] = []
        self.start, self.name = 0, ""
        self.broken = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _at_top(self) -> bool:
        return [t for i, t in enumerate(self.open) if i not in self.wrappers] == ["html", "body"]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._at_top() and tag == "div" and "copy" in (dict(attrs).get("class") or "").split():
            self.wrappers.add(len(self.open))
            self.open.append(tag)
            return
        if self._at_top():
            self.start, self.name = self._offset(), dict(attrs).get("id") or tag
            if tag in VOID:
                end = self.start + len(self.get_starttag_text() or "")
                self.spans.append((self.name, self.start, end))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._at_top():
            start = self._offset()
            name = dict(attrs).get("id") or tag
            self.spans.append((name, start, start + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.broken = True  # an end tag left out or misplaced: do not guess
            return
        self.open.pop()
        if len(self.open) in self.wrappers:
            self.wrappers.discard(len(self.open))
            return
        if self._at_top():
            end = self.text.index(">", self._offset()) + 1
            self.spans.append((self.name, self.start, end))


def split_document(name: str, html: str) -> dict[str, str]:
    """`book.html` -> {"book.html": skeleton, "book/cover.html": ..., "book/welcome.html": ...};
    the whole document, unsplit, when the pieces would not give it back exactly."""
    parser = _BodyChildren(html)
    parser.feed(html)
    parser.close()
    if parser.broken or parser.open or not parser.spans:
        return {name: html}
    folder = name.rsplit(".", 1)[0]
    files: dict[str, str] = {}
    skeleton, done = [], 0
    for element, start, end in parser.spans:
        stem = re.sub(r"[^\w.-]", "_", element)
        path, copy = f"{folder}/{stem}.html", 1
        while path in files:  # a handout repeats its worksheets: the second copy is NAME--2
            copy += 1
            path = f"{folder}/{stem}--{copy}.html"
        files[path] = html[start:end]
        skeleton += [html[done:start], f"<!-- golden file: {path} -->\n"]
        done = end
    files = {name: "".join(skeleton) + html[done:], **files}
    if join_document(name, files) != html:
        return {name: html}
    return files


def join_document(name: str, files: dict[str, str]) -> str:
    """The document again, from its skeleton and pieces."""
    return MARKER.sub(lambda match: files[match.group(1)], files[name])


def golden_files(format_name: str, book: Book) -> dict[str, str]:
    """Every golden file of one format: path inside tests/golden/FORMAT/ -> text."""
    sheets = tuple(part.id for part in book.worksheets)
    rendered = render(book, editions(sheets)[format_name])
    files: dict[str, str] = {}
    for document in rendered.documents:
        html = normalize(document.html)
        if Edition(format_name).record.split:  # a file per part already (EPUB, web pages)
            files[document.name] = html
        else:
            files.update(split_document(document.name, html))
    files[STYLE] = normalize(rendered.css)
    return files


# --- Compare and update ---------------------------------------------------------------------


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # bytes: no newline translation on any system


def _short_diff(old: str, new: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"{name} (golden)",
            f"{name} (rendered now)",
            n=2,
        )
    )
    shown = [
        line if len(line) <= MAX_LINE else line[:MAX_LINE] + " [...]\n"
        for line in lines[:MAX_DIFF_LINES]
    ]
    if len(lines) > MAX_DIFF_LINES:
        shown.append(f"... and {len(lines) - MAX_DIFF_LINES} more diff lines\n")
    return "".join(line if line.endswith("\n") else line + "\n" for line in shown)


def _on_disk(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def compare(files: dict[str, str], folder: Path) -> list[str]:
    """What differs between the files rendered now and the golden folder, one entry per file:
    changed (with a short diff), missing, or no longer made."""
    problems = []
    for name, text in files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{_shown(path)}: missing (render() makes it now)")
            continue
        old = _read(path)
        if old != text:
            diff = _short_diff(old, text, name)
            problems.append(f"{_shown(path)}: differs from what render() makes now\n{diff}")
    for name in sorted(_on_disk(folder) - files.keys()):
        problems.append(f"{_shown(folder / name)}: render() no longer makes it")
    return problems


def failure_message(format_name: str, problems: list[str]) -> str:
    return (
        f"the {format_name} edition's HTML or CSS is not what tests/golden/{format_name}/ holds "
        f"({len(problems)} file{'s' if len(problems) != 1 else ''}):\n\n"
        + "\n".join(problems)
        + "\nIf the change is intended (templates, styles or content), regenerate with\n"
        f"    {REGENERATE}\n"
        "and review the result with `git diff tests/golden` before committing."
    )


def write_golden(files: dict[str, str], folder: Path) -> None:
    """Make the folder hold exactly these files (changed ones rewritten, stale ones removed)."""
    for name in _on_disk(folder) - files.keys():
        (folder / name).unlink()
    for name, text in files.items():
        path = folder / name
        if path.is_file() and _read(path) == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(empty.iterdir()):
            empty.rmdir()


# --- The tests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    """Every format's golden files as rendered now, with a fixed date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        book = load_book(ROOT)
        return {name: golden_files(name, book) for name in FORMATS}


@pytest.mark.parametrize("format_name", FORMATS)
def test_rendered_html_and_css_match_the_golden_files(rendered, format_name, request):
    files, folder = rendered[format_name], GOLDEN / format_name
    if request.config.getoption("--update-golden"):
        write_golden(files, folder)
    problems = compare(files, folder)
    if problems:
        pytest.fail(failure_message(format_name, problems), pytrace=False)


def test_pdf_documents_are_stored_one_file_per_part(rendered):
    book = load_book(ROOT)
    for format_name in ("print", "fillable"):
        files = rendered[format_name]
        assert {f"book/{part.id}.html" for part in book.parts} <= files.keys()
        assert {"book.html", "book/cover.html", "book/contents.html"} <= files.keys()
    sheets = [f"handout/{part.id}.html" for part in book.worksheets]
    copies = [f"handout/{part.id}-copy2.html" for part in book.worksheets]  # ids of their own
    assert {"handout.html", *sheets, *copies} <= rendered["handout"].keys()
    assert {f"text/{part.id}.xhtml" for part in book.parts} <= rendered["epub"].keys()


def test_golden_files_name_no_folder_of_this_machine(rendered):
    machine = [path for path, _ in _machine_paths()]
    for format_name, files in rendered.items():
        for name, text in files.items():
            where = f"{format_name}/{name}"
            assert "file://" not in text, where
            assert not re.search(r";base64,[A-Za-z0-9+/]{40}", text), where
            assert not [path for path in machine if path in text], where
    assert 'url("{FONTS}/AtkinsonHyperlegible-Regular.ttf")' in rendered["print"][STYLE]
    assert ";base64,{DATA " in rendered["fillable"][STYLE]
    assert 'content="2026-01-01T00:00:00Z"' in rendered["print"]["book.html"]


def test_splitting_gives_the_document_back_or_keeps_it_whole():
    html = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'/></head>\n<body>\n"
        '<section id="a"><p>One<br/>two</p></section><nav id="n">x</nav>\n'
        '<section id="a">again</section><hr/><div>no id</div>\n</body>\n</html>\n'
    )
    files = split_document("book.html", html)
    assert list(files) == [
        "book.html",
        "book/a.html",
        "book/n.html",
        "book/a--2.html",
        "book/hr.html",
        "book/div.html",
    ]
    assert files["book/a.html"] == '<section id="a"><p>One<br/>two</p></section>'
    assert join_document("book.html", files) == html
    unclosed = "<html><body><section id='a'><p>open</section></body></html>"
    assert split_document("book.html", unclosed) == {"book.html": unclosed}


def test_a_changed_golden_file_fails_with_a_short_diff_and_the_command(rendered, tmp_path):
    files = rendered["print"]
    folder = tmp_path / "print"
    write_golden(files, folder)
    assert compare(files, folder) == []

    welcome = folder / "book" / "welcome.html"
    lines = _read(welcome).split("\n")
    golden_line, lines[3] = lines[3], "<p>A line the templates never wrote.</p>"
    welcome.write_bytes("\n".join(lines).encode())
    (folder / STYLE).unlink()
    (folder / "book" / "retired-part.html").write_text("<section>old</section>")

    problems = compare(files, folder)
    assert len(problems) == 3
    changed, missing, stale = problems
    assert changed.startswith(f"{welcome}: differs from what render() makes now\n")
    assert "--- book/welcome.html (golden)" in changed
    assert "\n-<p>A line the templates never wrote.</p>\n" in changed
    assert f"\n+{golden_line[: MAX_LINE - 1]}" in changed
    assert len(changed.splitlines()) <= MAX_DIFF_LINES + 2
    assert missing == f"{folder / STYLE}: missing (render() makes it now)"
    assert stale == f"{folder / 'book' / 'retired-part.html'}: render() no longer makes it"
    message = failure_message("print", problems)
    assert "make golden" in message and "--update-golden" in message
    assert "git diff tests/golden" in message

    write_golden(files, folder)  # what --update-golden does: the folder matches again
    assert compare(files, folder) == []
    assert not (folder / "book" / "retired-part.html").exists()


def test_a_long_diff_is_cut_short():
    old = "".join(f"line {n}\n" for n in range(200))
    new = "".join(f"line {n} changed\n" for n in range(200))
    diff = _short_diff(old, new, "book/welcome.html")
    assert len(diff.splitlines()) == MAX_DIFF_LINES + 1
    assert diff.endswith("more diff lines\n")
