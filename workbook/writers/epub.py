"""The EPUB writer: packages rendered parts with ebooklib into a reproducible EPUB 3."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.media import MAX_IMAGE_BYTES
from workbook.model import Metadata
from workbook.render import Rendered
from workbook.safefiles import read_limited

NAMESPACE = uuid.UUID("8a1c2f1e-3f51-4f43-9b9e-6b1e8f1a2d10")


@dataclass(frozen=True)
class EpubResult:
    path: Path
    files: int


def stable_identifier(meta: Metadata) -> str:
    """Never random: the same workbook always has the same identifier."""
    key = "|".join([meta.slug, meta.title, meta.author, meta.language])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def write_epub(rendered: Rendered, meta: Metadata, cover_png: bytes, target: Path) -> EpubResult:
    from ebooklib import epub  # imported only when an EPUB is made

    book = epub.EpubBook()
    book.set_identifier(stable_identifier(meta))
    book.set_title(meta.title)
    book.set_language(meta.language)
    if meta.author:
        book.add_author(meta.author)
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    book.add_metadata("DC", "date", meta.date.isoformat())
    book.set_cover("images/cover.png", cover_png, create_page=True)

    style = epub.EpubItem(
        uid="style", file_name="style/book.css", media_type="text/css", content=rendered.css
    )
    book.add_item(style)
    for font in rendered.fonts:
        book.add_item(
            epub.EpubItem(
                uid=font.stem,
                file_name=f"fonts/{font.name}",
                media_type="font/ttf",
                content=font.read_bytes(),
            )
        )

    _add_media(book, rendered)

    chapters = []
    for document in rendered.documents:
        item = epub.EpubHtml(
            title=document.title,
            file_name=f"text/{document.name}",
            lang=meta.language,
            uid=document.part.id if document.part else None,
        )
        item.content = document.html
        item.add_link(href="../style/book.css", rel="stylesheet", type="text/css")
        book.add_item(item)
        chapters.append(item)

    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.get_item_with_id("cover").is_linear = True  # epubcheck wants the cover reachable
    book.spine = ["cover", "nav", *chapters]
    mtime = dt.datetime.combine(meta.date, dt.time())
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"mtime": mtime, "raise_exceptions": True})
    target.write_bytes(_fixed_times(buffer.getvalue(), mtime))
    return EpubResult(path=target, files=len(chapters))


def _add_media(book: Any, rendered: Rendered) -> None:
    """The chapters' images, under their path in the workbook's folder (see media.py)."""
    from ebooklib import epub

    for number, media in enumerate(rendered.media, start=1):
        # Checked by the loader: a regular file inside the workbook's folder.
        content = read_limited(media.path, MAX_IMAGE_BYTES)
        item = epub.EpubItem(
            uid=f"media-{number}",
            file_name=media.name,
            media_type=media.media_type,
            content=content,
        )
        book.add_item(item)


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
