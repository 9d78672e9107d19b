"""The tests' own look at an output, independent of workbook's checks: does anything in it refer
to something outside the book? Used on every PDF and EPUB any test builds (conftest.py).

Written apart from workbook/render/safety.py and kept simple: XML is parsed with lxml, CSS
tokenized with tinycss2 (escapes, comments and strings as a browser reads them), PDFs read
with pikepdf.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import tinycss2
from lxml import etree

FETCHED = {"src", "poster", "data", "background", "action", "formaction", "full-path", "icon"}
LISTS = {"srcset", "imagesrcset", "ping"}
LINK_ELEMENTS = {"a", "area"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def outside_references(path: Path) -> list[str]:
    """'member: address' for every address in `path` that leads outside the book; [] for a
    file that is not a PDF, an EPUB or a page of a web edition at all."""
    if path.suffix == ".epub":
        return _epub(path)
    if path.suffix == ".pdf":
        return _pdf(path)
    if path.suffix == ".html":
        return _site_page(path)
    return []


def _site_page(path: Path) -> list[str]:
    """A page of a web edition (a folder with index.html and assets/): whatever it loads is
    in that folder, and its only script is a file of it."""
    root = next(
        (p for p in path.parents if (p / "index.html").is_file() and (p / "assets").is_dir()),
        path.parent,
    )
    member = path.relative_to(root).as_posix()
    page = etree.fromstring(path.read_bytes(), etree.HTMLParser(no_network=True))
    if page is None:
        return []
    found = [f"{member}: {ref}" for ref in _elements(page, member)]
    for script in page.iter("script"):
        if not script.get("src") or (script.text or "").strip():
            found.append(f"{member}: a script written in the page")
    return found


def _epub(path: Path) -> list[str]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return []
    found = []
    with archive:
        for member in archive.namelist():
            data = archive.read(member)
            if member.endswith(".css"):
                found += [f"{member}: {u}" for u in _css(data.decode(errors="replace"), member)]
            elif member.endswith((".xhtml", ".svg", ".opf", ".ncx", ".xml")):
                found += [f"{member}: {u}" for u in _xml(data, member)]
    return found


def _css(text: str, member: str) -> list[str]:
    """Addresses a stylesheet fetches, from tinycss2's tokens (a CSS tokenizer is the one
    thing a regular expression cannot do well: strings, escapes and broken url(...)s)."""
    return [
        url
        for url in _css_urls(tinycss2.parse_component_value_list(text))
        if not _inside(url, member)
    ]


def _css_urls(tokens: list) -> list[str]:
    urls: list[str] = []
    after = ""  # the last at-keyword, until a ';' or a block
    for token in tokens:
        if token.type == "at-keyword":
            after = token.lower_value
        elif (token.type == "url" and after != "namespace") or (
            token.type == "string" and after == "import"
        ):
            urls.append(token.value)
        elif token.type == "function":
            if token.lower_name in ("url", "src", "image", "image-set", "-webkit-image-set"):
                urls += [arg.value for arg in token.arguments if arg.type == "string"]
            urls += _css_urls(token.arguments)
        elif hasattr(token, "content") and token.content is not None:
            after = ""
            urls += _css_urls(token.content)
        if token.type == "literal" and token.value == ";":
            after = ""
    return urls


def _xml(data: bytes, member: str) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return [f"not XML ({error})"]
    return _elements(root, member)


def _elements(root: etree._Element, member: str) -> list[str]:
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if tag == "style":
            found += _css(element.text or "", member)
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]  # {ns}href, xlink:href
            if local == "style":
                found += _css(value, member)
            elif local == "href" and tag in LINK_ELEMENTS:
                if _scheme(value) in ("javascript", "vbscript"):
                    found.append(value)
            elif local in FETCHED or local == "href":
                found += [value] if not _inside(value, member) else []
            elif local in LISTS:
                urls = [u for u in re.split(r"[\s,]+", value) if u and not u[0].isdigit()]
                found += [u for u in urls if not _inside(u, member)]
            elif local == "base" and ("XML" in name or name == "xml:base"):
                found.append(f"xml:base={value}")
    return found


def _scheme(url: str) -> str:
    url = re.sub(r"[\t\n\r]", "", url.strip())
    match = _SCHEME.match(url)
    return match[1].lower() if match else ""


def _inside(url: str, member: str) -> bool:
    """A fragment, inline data, or a path that stays inside the package."""
    url = re.sub(r"[\t\n\r]", "", url.strip()).replace("\\", "/")
    if url.startswith("#") or _scheme(url) == "data":
        return True
    if _scheme(url) or url.startswith("/"):
        return False
    path = unquote(url.split("#")[0].split("?")[0])
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(member), path))
    return not joined.startswith("..")


def _pdf(path: Path) -> list[str]:
    import pikepdf  # only when a test built a PDF

    try:
        pdf = pikepdf.open(path)
    except Exception:  # not a PDF (a test's stand-in bytes): nothing to look at
        return []
    found = []
    with pdf:
        names = pdf.Root.get("/Names", {})
        found += [f"catalog: {key}" for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
        if "/OpenAction" in pdf.Root or "/AA" in pdf.Root:
            found.append("catalog: an action when the file opens")
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.get("/Annots", []):
                kind = str(annot.get("/Subtype", ""))
                if kind in ("/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia"):
                    found.append(f"page {number}: a {kind} annotation")
                if "/AA" in annot:
                    found.append(f"page {number}: an annotation action")
                action = annot.get("/A")
                if action is None:
                    continue
                step = str(action.get("/S", ""))
                if step not in ("/URI", "/GoTo", "/Named"):
                    found.append(f"page {number}: a {step} action")
                elif step == "/URI" and _scheme(str(action.URI)) in ("javascript", "vbscript"):
                    found.append(f"page {number}: {action.URI}")
    return found
