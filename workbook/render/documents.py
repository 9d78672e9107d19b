"""What rendering makes: HTML documents and the stylesheet they share, ready for a writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.editions import Edition
from workbook.model import Part

# EPUB files around the parts; fixed names that never carry a client's name.
TITLE_PAGE = "text/title-page.xhtml"
BACK_PAGE = "text/from-your-therapist.xhtml"
COPYRIGHT_PAGE = "text/copyright.xhtml"
CONTENTS_PAGE = "contents.xhtml"  # the contents page to read; NAV is for the reader's menus
NAV = "nav.xhtml"


@dataclass(frozen=True)
class Document:
    """One HTML document: the whole book (PDF), or one EPUB file (a part, the cover, the nav).
    An EPUB document's `name` is its path inside the EPUB."""

    name: str
    title: str
    html: str
    part: Part | None = None
    # "book", "part", "cover", "title", "copyright", "contents", "nav" or "back"
    kind: str = "part"


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    documents: tuple[Document, ...]
    css: str
    fonts: tuple[Path, ...]
    images: tuple[tuple[str, Path], ...] = ()  # EPUB: (path inside the EPUB, source file)
    page_source: str = ""  # EPUB: the print edition its page numbers come from
