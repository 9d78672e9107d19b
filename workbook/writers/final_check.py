"""The written files, checked once more as their readers will open them: nothing in an output
may refer to something outside the book, run a script (but the web edition's own) or carry an
attachment.

The documents were checked when they were rendered (render/safety.py); this looks at the final
bytes, after WeasyPrint, ebooklib and the page-break and copy steps have done their work.
- An EPUB: every member that can hold an address (XHTML, CSS, SVG, the package file, the NCX,
  container.xml) is parsed and every address must stay inside the package; its file names
  must too.
- The web edition: every page and stylesheet keeps to the site's folder; its one script is
  the site's own file, loaded by its address, and the downloads are checked as files.
- A PDF: links may open web pages (a reader chooses to follow them), as `<a href>` may; no
  other action (scripts, launching programs, opening other files, submitting forms), no
  attachment and no stream kept in another file.
"""

from __future__ import annotations

import os
import posixpath
import stat
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

from workbook.errors import Problem
from workbook.render.css_refs import css_refusals
from workbook.render.safety import Finding, element_findings, xml_findings
from workbook.render.site_docs import SCRIPT
from workbook.render.urls import refusal
from workbook.writers.html import ASSETS

SITE_SCRIPT = ASSETS / "site.js"
XML_MEMBERS = (".xhtml", ".html", ".htm", ".xml", ".opf", ".ncx", ".svg")
MAX_MEMBER_BYTES = 200_000_000
# PDF actions a reader may take within the document: go to a page, or a named page step.
PDF_ACTIONS_INSIDE = frozenset(("/GoTo", "/Named"))
PDF_ACTIONS = frozenset(
    (
        *("/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound"),
        *("/Movie", "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData"),
        *("/JavaScript", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"),
        *("/RichMediaExecute",),
    )
)
PDF_MEDIA_ANNOTATIONS = frozenset(("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia"))


def output_problems(path: Path, name: str) -> list[Problem]:
    """What is wrong with the output at `path` (a file, or the web edition's folder), to be
    called `name`."""
    if name.endswith(".epub"):
        return epub_problems(path, name)
    if name.endswith(".pdf"):
        return pdf_problems(path, name)
    if path.is_dir():
        return site_problems(path, name)
    return []


def site_problems(folder: Path, name: str) -> list[Problem]:
    """The web edition: every page and stylesheet keeps to the site's folder; the one script
    is the site's own, unchanged, loaded from its file; the files offered for download are
    checked like any others."""
    problems: list[Problem] = []
    for path in _site_files(folder):
        member = path.relative_to(folder).as_posix()
        where = f"{name}/{member}"
        if path.suffix == ".html":
            findings = _site_page_findings(path.read_bytes(), member)
            problems += [Problem(where, f.message, f.line) for f in findings]
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
            found = css_refusals(css, packaged_at=member)
            problems += [Problem(where, reason, ref.line) for ref, reason in found]
        elif path.suffix == ".js" and path.read_bytes() != SITE_SCRIPT.read_bytes():
            problems.append(Problem(where, "is not the web edition's own script"))
        elif path.suffix in (".pdf", ".epub"):
            problems += output_problems(path, where)
    return problems


def _site_files(folder: Path) -> list[Path]:
    found = []
    for root, _, names in os.walk(folder, followlinks=False):
        found += [Path(root, n) for n in names if stat.S_ISREG(os.lstat(Path(root, n)).st_mode)]
    return sorted(found)


def _site_page_findings(html: bytes, member: str) -> list[Finding]:
    """A page's problems; its one allowed script element is the site's own file, empty."""
    root = etree.fromstring(html, etree.HTMLParser(no_network=True, huge_tree=True))
    if root is None:
        return [Finding("is an empty page", "")]
    for script in list(root.iter("script")):
        if script.get("src") == SCRIPT and not (script.text or "").strip() and len(script) == 0:
            script.getparent().remove(script)
    return element_findings(root.iter(), member)


def epub_problems(path: Path, name: str) -> list[Problem]:
    problems: list[Problem] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            member = info.filename
            where = f"{name}/{member}"
            if not _safe_member_name(member):
                problems.append(Problem(name, f"'{member[:80]}' is a file name outside the book"))
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                continue  # only fonts and pictures are this large; they hold no addresses
            if member.endswith(XML_MEMBERS):
                findings = xml_findings(archive.read(member), packaged_at=member)
                problems += [Problem(where, f.message, f.line) for f in findings]
            elif member.endswith(".css"):
                css = archive.read(member).decode("utf-8", errors="replace")
                found = css_refusals(css, packaged_at=member)
                problems += [Problem(where, reason, ref.line) for ref, reason in found]
    return problems


def _safe_member_name(member: str) -> bool:
    if member.startswith("/") or "\\" in member or ":" in member:
        return False
    normal = posixpath.normpath(member)
    return normal != ".." and not normal.startswith("../")


def pdf_problems(path: Path, name: str) -> list[Problem]:
    """Every object of the PDF: actions, attachments, scripts, outside streams."""
    messages: dict[str, None] = {}
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                messages["it holds scripts, which a workbook never runs"] = None
            if "/EmbeddedFiles" in names:
                messages["attachments are not allowed in a workbook"] = None
        for obj in pdf.objects:
            for message in _object_problems(obj):
                messages[message] = None
    return [Problem(name, message) for message in messages]


# Keys that hold structure, geometry or fonts, never an action or a file: not walked into.
LAYOUT_KEYS = frozenset(
    (
        *("/K", "/P", "/Pg", "/Parent", "/Kids", "/Nums", "/Names", "/Limits", "/Rect"),
        *("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/BBox", "/Matrix"),
        *("/Dest", "/D", "/ID", "/W", "/Widths", "/Font", "/ColorSpace", "/Contents"),
    )
)


def _object_problems(obj: Any, depth: int = 0) -> list[str]:
    """Problems in `obj` and what it holds in place (other objects are visited on their own)."""
    if isinstance(obj, pikepdf.Stream):
        if "/F" in obj.stream_dict or "/FFilter" in obj.stream_dict:
            return ["part of it would be read from another file"]
        return []
    found = []
    if isinstance(obj, pikepdf.Dictionary):
        found += _dictionary_problems(obj)
        inner = [obj.get(str(key)) for key in obj if key not in LAYOUT_KEYS]
    elif isinstance(obj, pikepdf.Array):
        inner = list(obj)
    else:
        return []
    for value in inner:
        held = isinstance(value, pikepdf.Dictionary | pikepdf.Array)
        if held and not value.is_indirect and depth < 50:  # type: ignore[union-attr]
            found += _object_problems(value, depth + 1)
    return found


def _dictionary_problems(obj: Any) -> list[str]:
    found = []
    if "/JS" in obj:
        found.append("it holds a script, which a workbook never runs")
    subtype = obj.get("/Subtype")
    if subtype in PDF_MEDIA_ANNOTATIONS:
        found.append(f"a {str(subtype)[1:]} annotation is not allowed (no attachments or media)")
    if obj.get("/Type") == "/Filespec" or "/EF" in obj:
        found.append("attachments are not allowed in a workbook")
    action = obj.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in PDF_ACTIONS:
        found += _action_problems(str(action), obj)
    if "/XFA" in obj:
        found.append("XFA forms are not allowed: they can fetch and run things")
    return found


def _action_problems(action: str, obj: Any) -> list[str]:
    if action in PDF_ACTIONS_INSIDE:
        return []
    if action == "/URI":
        uri = str(obj.get("/URI", ""))
        reason = refusal(uri, followed=True)
        return [f"a link in it: {reason}"] if reason else []
    return [
        f"a {action[1:]} action is not allowed: a workbook's links only go to pages and web pages"
    ]
