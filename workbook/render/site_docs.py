"""The web edition's pages: a home page, one page per part with previous and next links, a
downloads page and, for a branded copy, the therapist's page.

Every page is checked like any other document (no script, frame or web fetch from a template),
and only then gets what the site itself brings: a strict Content-Security-Policy (nothing from
another origin, no inline script or style, no form sent anywhere) and its one script file, as
the first and last things in its head. Images a chapter shows are linked inside the site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import lxml.html

from workbook.editions import Download
from workbook.model import Book, Part
from workbook.render.documents import Document

Template = Callable[..., str]

# The site's only outside references are links a reader chooses to follow (the quick exit,
# tel: and sms:); everything it loads is a file of the site.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; form-action 'none'; base-uri 'none'"
)
SCRIPT = "assets/site.js"
HOME, DOWNLOADS, BACK = "index.html", "downloads.html", "from-your-therapist.html"


def page_name(part: Part) -> str:
    return f"{part.id}.html"


def site_documents(
    book: Book, template: Template, downloads: tuple[Download, ...], with_back: bool
) -> tuple[Document, ...]:
    """Every page, in reading order: home, the parts, the therapist's page, downloads."""
    parts = book.parts
    pages = [Document(HOME, book.meta.title, template("site-index.html"), kind="index")]
    for index, part in enumerate(parts):
        links = {
            "previous": parts[index - 1] if index > 0 else None,
            "next": parts[index + 1] if index + 1 < len(parts) else None,
        }
        html = template("site-part.html", part=part, page_of=page_name, **links)
        pages.append(Document(page_name(part), part.title, html, part=part))
    if with_back:
        html = template("site-back.html", page_of=page_name)
        pages.append(Document(BACK, "From your therapist", html, kind="back"))
    html = template("site-downloads.html", downloads=downloads)
    pages.append(Document(DOWNLOADS, "Downloads", html, kind="downloads"))
    return tuple(pages)


def finish_page(document: Document, media_names: set[str], slug: str) -> Document:
    """After the safety check: the policy and the script in the head, and each image a chapter
    shows linked to its copy in the site (the loader wrote `../NAME`, from one folder down)."""
    root = lxml.html.document_fromstring(document.html)
    root.set("data-site", slug)  # names the answers a reader keeps, one store per workbook
    head = root.find("head")
    assert head is not None  # lxml's parser always makes one
    policy = lxml.html.Element(
        "meta", {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY}
    )
    head.insert(1, policy)  # right after <meta charset>, before anything that loads
    head.append(lxml.html.Element("script", {"src": SCRIPT, "defer": "defer"}))
    for img in root.iter("img"):
        src = img.get("src", "")
        if src.startswith("../") and unquote(src[3:]) in media_names:
            img.set("src", "images/" + src[3:])
    html = lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode")
    return Document(document.name, document.title, html + "\n", document.part, document.kind)


def site_images(book: Book) -> tuple[tuple[str, Path], ...]:
    """(path inside the site, source) for every image a chapter shows."""
    found: dict[str, Path] = {}
    for part in book.parts:
        for media in getattr(part, "media", ()):
            found["images/" + media.name] = media.path
    return tuple(sorted(found.items()))


def media_names(book: Book) -> set[str]:
    return {media.name for part in book.parts for media in getattr(part, "media", ())}
