"""The EPUB writer: packages rendered documents with ebooklib into a reproducible EPUB 3.

The documents arrive as finished XHTML (page breaks, landmarks, language and all) and are
stored as they are; ebooklib writes the package file, the NCX and the zip. The print page
numbers come from the print edition on the same paper, laid out once for the build.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ebooklib import epub

from workbook.editions import Edition, Personal
from workbook.errors import WorkbookError
from workbook.model import Metadata
from workbook.render import TITLE_PAGE, Document, Rendered, render, render_personal
from workbook.safefiles import Refused, read_limited
from workbook.sources.media import MAX_IMAGE_BYTES
from workbook.writers.cover import draw_cover
from workbook.writers.layouts import BLANK, Layouts
from workbook.writers.logo import packed_bytes

NAMESPACE = uuid.UUID("8a1c2f1e-3f51-4f43-9b9e-6b1e8f1a2d10")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# EPUB Accessibility 1.1: what this book offers and how it can be read.
ACCESS_MODES = (("accessMode", "textual"), ("accessModeSufficient", "textual"))
FEATURES = ("tableOfContents", "readingOrder", "structuralNavigation", "alternativeText")
PAGE_FEATURES = ("printPageNumbers", "pageNavigation")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class EpubResult:
    path: Path
    files: int


def write(edition: Edition, personal: Personal | None, layouts: Layouts, temp: Path) -> str:
    """A client's copy differs only in its title page: the rest is rendered once."""
    book, env = layouts.book, layouts.env
    if personal is None:
        pages = layouts.page_map(edition)
        layouts.step("EPUB", "packaging")
        rendered = render(book, edition, env, pages=pages)
    else:
        shared = layouts.once(
            ("shared epub", edition),
            lambda: render(book, edition, env, layouts.page_map(edition, BLANK), BLANK),
        )
        page = render_personal(book, edition, personal, env)
        documents = tuple(page if d.name == TITLE_PAGE else d for d in shared.documents)
        rendered = replace(shared, documents=documents)
    cover = layouts.once("cover image", lambda: _cover(layouts))
    result = write_epub(rendered, book.meta, cover, temp)
    layouts.step("EPUB", "done")
    return f"EPUB, {result.files} parts"


def _cover(layouts: Layouts) -> bytes:
    """The cover image, drawn once for a workbook's title and kept (drawing it takes a while)."""
    key = layouts.store.key("epub cover", repr(layouts.book.meta))
    if (kept := layouts.store.get_bytes(key)) is not None and kept.startswith(b"\x89PNG"):
        return kept
    image = draw_cover(layouts.book.meta)
    layouts.store.put_bytes(key, image)
    return image


def stable_identifier(meta: Metadata) -> str:
    """Never random: the same workbook always has the same identifier."""
    key = "|".join([meta.slug, meta.title, meta.author, meta.language])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def accessibility_summary(rendered: Rendered) -> str:
    pages = (
        f" Page numbers and a page list follow {rendered.page_source}, so a reader and someone "
        "holding the printed book can find the same place."
        if rendered.page_source
        else ""
    )
    return (
        "This workbook is text with headings, lists and a table of contents, in reading order. "
        "It follows the reader's font, size and colour settings. Worksheets are written as "
        "questions to read, with nothing to fill in on screen: answers can go in a notebook "
        "or in the PDF edition. The cover image has a text description. There are no sounds, "
        f"no moving images and no flashing.{pages}"
    )


def write_epub(rendered: Rendered, meta: Metadata, cover_png: bytes, target: Path) -> EpubResult:
    book = _book_with_metadata(rendered, meta)
    book.set_cover("images/cover.png", cover_png, create_page=False)
    book.add_item(
        epub.EpubItem(
            uid="style", file_name="style/book.css", media_type="text/css", content=rendered.css
        )
    )
    for font in rendered.fonts:
        book.add_item(
            epub.EpubItem(uid=font.stem, file_name=f"fonts/{font.name}", content=font.read_bytes())
        )
    for index, (name, source) in enumerate(rendered.images, start=1):
        book.add_item(
            epub.EpubImage(uid=f"image-{index}", file_name=name, content=_image_bytes(name, source))
        )
    spine = [_add_document(book, document) for document in rendered.documents]
    parts = [d for d in rendered.documents if d.kind == "part"]
    book.toc = [epub.Link(d.name, d.title, _uid(d)) for d in parts]
    book.add_item(epub.EpubNcx())
    book.spine = spine
    mtime = dt.datetime.combine(meta.date, dt.time())
    buffer = io.BytesIO()
    writer = _Writer(buffer, book, {"mtime": mtime, "raise_exceptions": True})
    writer.process()
    writer.write()
    target.write_bytes(_fixed_times(buffer.getvalue(), mtime))
    return EpubResult(path=target, files=len(parts))


def _image_bytes(name: str, source: Path) -> bytes:
    """Checked when the sources were read (media.py); read again with the same limits, in case
    the file was changed since. The logo is downscaled to what it needs (writers/logo.py)."""
    try:
        return packed_bytes(name, source) or read_limited(source, MAX_IMAGE_BYTES)
    except Refused as refusal:
        raise WorkbookError.one(source, f"the image cannot be used: {refusal}") from None


def _book_with_metadata(rendered: Rendered, meta: Metadata) -> Any:
    book = epub.EpubBook()
    book.set_identifier(stable_identifier(meta))
    book.set_title(meta.title)
    book.set_language(meta.language)
    if meta.author:
        book.add_author(meta.author)
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    book.add_metadata("DC", "date", meta.date.isoformat())
    for name, value in ACCESS_MODES:
        book.add_metadata(None, "meta", value, {"property": f"schema:{name}"})
    if rendered.images:  # pictures in the chapters; their descriptions keep text sufficient
        book.add_metadata(None, "meta", "visual", {"property": "schema:accessMode"})
    features = FEATURES + (PAGE_FEATURES if rendered.page_source else ())
    for feature in features:
        book.add_metadata(None, "meta", feature, {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", "none", {"property": "schema:accessibilityHazard"})
    summary = accessibility_summary(rendered)
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
    if rendered.page_source:
        source = f"{meta.title}, {rendered.page_source}"
        book.add_metadata("DC", "source", source)
        book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
    return book


def _add_document(book: Any, document: Document) -> Any:
    """Stored byte for byte: ebooklib's own HTML items would re-serialise the markup."""
    item = epub.EpubItem(
        uid=_uid(document),
        file_name=document.name,
        media_type="application/xhtml+xml",
        content=document.html.encode("utf-8"),
    )
    item.properties = ["nav"] if document.kind == "nav" else []
    book.add_item(item)
    return item


def _uid(document: Document) -> str:
    return document.part.id if document.part else document.kind


class _Writer(epub.EpubWriter):
    """ebooklib's writer, plus `xml:lang` on the package element."""

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


def _fixed_times(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the zip with one fixed time per entry: same sources, same bytes."""
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, 0, 0, 0)  # what zip holds
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
