"""What may reach a PDF or an EPUB: no scripts, frames, event handlers, `javascript:` links,
attachments, page refreshes, or anything fetched from outside the book.

Documents are parsed with lxml (no network, no entities): the EPUB's XHTML and every SVG as
XML, as e-readers read them, and the PDF's HTML with lxml's HTML parser (quick; what WeasyPrint
then fetches goes through its fetcher, which keeps to the workbook's folder, and the written
PDF is checked again, writers/final_check.py); stylesheets, `<style>` elements and `style`
attributes with tinycss2 (render/css_refs.py). Chapters cannot
carry markup (raw HTML is off), so anything found here came from a template, a stylesheet or a
logo; each problem names the project file and line where it appears, when it can.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from workbook.errors import Problem
from workbook.render.css_refs import css_refusals
from workbook.render.urls import refusal
from workbook.safefiles import Refused, checked_path, read_limited

FORBIDDEN_ELEMENTS = frozenset(
    (
        *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"),
        *("foreignobject", "handler", "listener", "portal", "noembed"),
    )
)
URL_ATTRIBUTES = frozenset(
    (
        *("href", "src", "action", "formaction", "poster", "data", "background", "cite"),
        *("longdesc", "manifest", "codebase", "profile", "icon", "lowsrc", "dynsrc"),
        *("full-path",),  # an EPUB's container.xml
    )
)
LIST_ATTRIBUTES = frozenset(("srcset", "imagesrcset", "ping", "archive"))  # several addresses
# A link may point at the web: it is only followed when a reader chooses to.
FOLLOWED_ONLY = frozenset(("a", "area"))
# SVG attributes that are CSS values, where url(...) fetches.
SVG_CSS_ATTRIBUTES = frozenset(
    (
        *("fill", "stroke", "filter", "clip-path", "mask", "marker", "marker-start"),
        *("marker-mid", "marker-end", "cursor", "color-profile"),
    )
)
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# A Content-Security-Policy only takes abilities away (the web edition sets one).
HTTP_EQUIV_ALLOWED = frozenset(("content-type", "content-language", "content-security-policy"))
SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_DESCRIPTOR = re.compile(r"^\d+(\.\d+)?[wxh]$")
_CSS_LINES = re.compile(r"\r\n|\r|\n|\f")  # what tinycss2 counts as a new line


@dataclass(frozen=True)
class Finding:
    """Something that must not reach an output: the reason, and text to find it by in the
    templates (`needle`) or the line in the parsed file."""

    message: str
    needle: str
    line: int | None = None


def html_findings(html: str, packaged_at: str | None = None) -> list[Finding]:
    """In HTML for a PDF, or a web page of the site at `packaged_at` (made by the templates,
    so of bounded size: no limit on depth)."""
    root = etree.fromstring(html, etree.HTMLParser(no_network=True, huge_tree=True))
    return [] if root is None else element_findings(root.iter(), packaged_at)


def xml_findings(data: bytes | str, packaged_at: str | None) -> list[Finding]:
    """In an XML document (XHTML, SVG, an EPUB's package files), parsed with no network and
    no entities. Not well-formed XML, a DOCTYPE declaring entities or naming an outside DTD,
    and `<?xml-stylesheet?>` are refused too."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        tree = etree.ElementTree(etree.fromstring(raw, SAFE_XML))
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        return [Finding(f"is not well-formed XML ({error.msg})", "", line)]
    found = list(_document_findings(tree))
    root = tree.getroot()
    found += _instruction_findings(root)
    found += element_findings(root.iter(), packaged_at)
    return found


# DTDs readers know by name and never fetch.
KNOWN_DTDS = frozenset(
    (
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd",
        "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd",
        "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd",
        "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd",
        "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd",
        "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd",
    )
)


def _document_findings(tree: Any) -> Iterator[Finding]:
    info = tree.docinfo
    declared = info.internalDTD
    if declared is not None and (any(declared.iterentities()) or any(declared.iterelements())):
        message = "a DOCTYPE that declares entities is not allowed; delete its [...] part"
        yield Finding(message, "<!ENTITY")
    if info.system_url and info.system_url not in KNOWN_DTDS:
        yield Finding(f"the DOCTYPE names '{info.system_url[:80]}', outside the book", "DOCTYPE")


def _instruction_findings(root: Any) -> Iterator[Finding]:
    nodes = [*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter()]
    for node in nodes:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            message = "<?xml-stylesheet?> is not allowed: stylesheets come from styles/"
            yield Finding(message, "xml-stylesheet", getattr(node, "sourceline", None))


def element_findings(elements: Iterable[Any], packaged_at: str | None) -> list[Finding]:
    """The problems in these elements (an ElementTree or lxml tree, walked), their attributes
    and their styles."""
    found: list[Finding] = []
    for element in elements:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            continue
        tag = _split(element.tag)[1]
        line = getattr(element, "sourceline", None)
        if tag.lower() in FORBIDDEN_ELEMENTS:
            found.append(
                Finding(f"the <{tag}> element is not allowed in a workbook", f"<{tag}", line)
            )
        if tag == "style":
            css = "".join(element.itertext())
            found += _css_findings(css, packaged_at, line, _first_line(css))
        for name, value in element.attrib.items():
            found += _attribute(tag, name, value, packaged_at, line)
    return found


def _attribute(
    tag: str, name: str, value: str, packaged_at: str | None, line: int | None
) -> list[Finding]:
    space, local = _split(name)
    local = local.lower().removeprefix("xlink:")
    if local.startswith("on"):
        message = f"the event handler '{local}' is not allowed (workbooks run no scripts)"
        return [Finding(message, local, line)]
    if local == "xml:base" or (local == "base" and space == XML_NAMESPACE):
        return [Finding("xml:base is not allowed: it would send addresses elsewhere", "base", line)]
    if local == "rel" and "attachment" in value.lower().split():
        return [Finding("attachments are not allowed in a workbook", "attachment", line)]
    if tag.lower() == "meta" and local == "http-equiv" and value.lower() not in HTTP_EQUIV_ALLOWED:
        message = (
            f'<meta http-equiv="{value[:40]}"> is not allowed: a workbook\'s pages never '
            "reload or go elsewhere by themselves"
        )
        return [Finding(message, "http-equiv", line)]
    if local == "attributename" and value.lower().removeprefix("xlink:") == "href":
        message = f"<{tag}> may not change where a link leads"
        return [Finding(message, value, line)]
    if local == "style" or local in SVG_CSS_ATTRIBUTES:
        return _css_findings(value, packaged_at, line, value.strip()[:40])
    followed = tag.lower() in FOLLOWED_ONLY
    if local in URL_ATTRIBUTES:
        return _url_findings([value], followed and local == "href", packaged_at, line)
    if local in LIST_ATTRIBUTES:
        urls = [u for u in re.split(r"[\s,]+", value) if u and not _DESCRIPTOR.match(u)]
        return _url_findings(urls, False, packaged_at, line)
    return []


def _url_findings(
    urls: list[str], followed: bool, packaged_at: str | None, line: int | None
) -> list[Finding]:
    found = []
    for url in urls:
        reason = refusal(url, followed=followed, packaged_at=packaged_at)
        if reason:
            found.append(Finding(reason, url.strip(), line))
    return found


def _css_findings(
    css: str, packaged_at: str | None, line: int | None, needle: str
) -> list[Finding]:
    found = []
    for ref, reason in css_refusals(css, packaged_at):
        where = line + ref.line - 1 if line is not None else None
        source = _CSS_LINES.split(css)[ref.line - 1]
        found.append(Finding(reason, source[ref.column - 1 :][:40].strip() or needle, where))
    return found


def _first_line(css: str) -> str:
    return next((line.strip() for line in css.splitlines() if line.strip()), "")


def _split(name: str) -> tuple[str, str]:
    """('namespace', 'local') from '{namespace}local'."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def svg_problems(data: bytes, file: str) -> list[Problem]:
    """A logo (or any SVG) that would run a script, show foreign content or fetch anything:
    only parts of itself (`#id`) and inline data may be referred to."""
    return [Problem(file, f.message, f.line) for f in xml_findings(data, packaged_at="")]


def html_problems(
    findings: Iterable[Finding], where: str, templates: Iterable[Path], project: Path
) -> list[Problem]:
    """Problems in one rendered document, located in the project's templates when possible."""
    problems: list[Problem] = []
    for finding in dict.fromkeys(findings):
        problems.append(_locate(finding, where, templates, project))
    return problems


def _locate(finding: Finding, where: str, templates: Iterable[Path], project: Path) -> Problem:
    """The first project template line holding the finding's needle, as it was parsed or as
    a template writes it (`&#9;` for a tab); else the document."""
    needles = {finding.needle.lower(), _as_written(finding.needle).lower()} - {""}
    roots = (project.resolve(),)
    for path in templates if needles else ():
        try:
            text = read_limited(checked_path(path, roots)).decode("utf-8", errors="replace")
        except Refused:
            continue
        for number, line in enumerate(text.lower().splitlines(), start=1):
            if any(needle in line for needle in needles):
                return Problem(path.relative_to(project).as_posix(), finding.message, number)
    return Problem(where, finding.message)


def _as_written(text: str) -> str:
    """`text` with markup's own characters and invisible ones as character references."""
    escaped = html.escape(text, quote=True)
    return "".join(f"&#{ord(c)};" if ord(c) < 0x20 else c for c in escaped)
