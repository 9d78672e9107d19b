"""What may reach a PDF or an EPUB: no scripts, frames, event handlers, `javascript:` links,
attachments, or anything fetched from the web.

Chapters cannot carry markup (raw HTML is off), so anything found here came from a template or
a stylesheet; each problem names the project file and line where it appears, when it can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from workbook.errors import Problem

FORBIDDEN_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "ping",
    "manifest",
}
# A link (`<a href>`) may point at the web: it is only followed when a reader chooses to.
# Everything else with a URL is fetched, so it must be a file packaged with the book.
FOLLOWED_ONLY = {("a", "href"), ("area", "href")}
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|livescript)\s*:", re.IGNORECASE)
REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
LOCAL_SCHEMES = re.compile(r"^\s*(?:data|file|#)", re.IGNORECASE)
SAVE_IT = "save the file in the workbook's folder instead"
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*([^"')\s;]+)""", re.IGNORECASE)


class _Finder(HTMLParser):
    """Collects (needle, message) pairs for everything that must not reach an output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append((f"<{tag}", f"the <{tag}> element is not allowed in a workbook"))
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            message = f"the event handler '{name}' is not allowed (workbooks run no scripts)"
            self.found.append((name, message))
        elif name == "rel" and "attachment" in value.lower().split():
            self.found.append(("attachment", "attachments are not allowed in a workbook"))
        elif name in URL_ATTRIBUTES and SCRIPT_URL.match(value):
            scheme = value.split(":")[0].strip()
            self.found.append((f"{scheme}:", f"a '{scheme}:' address is not allowed"))
        elif name in URL_ATTRIBUTES and (tag, name) not in FOLLOWED_ONLY:
            if REMOTE_URL.match(value) and not LOCAL_SCHEMES.match(value):
                message = f"'{value[:80]}' would be fetched from the web; {SAVE_IT}"
                self.found.append((value, message))
        elif name == "style":
            self.found.extend((url, message) for url, message in css_refusals(value))


def css_refusals(css: str) -> list[tuple[str, str]]:
    """Web addresses in CSS (`url(...)`, `@import`): the build never goes online."""
    found = []
    for match in CSS_URL.finditer(css):
        url = match.group(1)
        if SCRIPT_URL.match(url) or (REMOTE_URL.match(url) and not LOCAL_SCHEMES.match(url)):
            found.append((url, f"'{url[:80]}' would be fetched from the web; {SAVE_IT}"))
    return found


def html_problems(html: str, where: str, templates: Iterable[Path], project: Path) -> list[Problem]:
    """Problems in one rendered document, located in the project's templates when possible."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    problems: list[Problem] = []
    for needle, message in dict.fromkeys(finder.found):
        problems.append(_locate(needle, message, where, templates, project))
    return problems


def css_problems(css: str, file: str) -> list[Problem]:
    problems = []
    for url, message in css_refusals(css):
        line = css[: css.find(url)].count("\n") + 1
        problems.append(Problem(file, message, line))
    return problems


def _locate(
    needle: str, message: str, where: str, templates: Iterable[Path], project: Path
) -> Problem:
    """The first project template line holding `needle`; else the document it was found in."""
    lowered = needle.lower()
    for path in templates:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if lowered in line.lower():
                return Problem(path.relative_to(project).as_posix(), message, number)
    return Problem(where, message)
