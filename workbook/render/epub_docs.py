"""The EPUB's documents: the cover, one file per part and the navigation, each with the print
edition's page breaks, and the images the parts show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from workbook.errors import Problem, WorkbookError
from workbook.model import Book, Part
from workbook.render.documents import (
    BACK_PAGE,
    CONTENTS_PAGE,
    COPYRIGHT_PAGE,
    NAV,
    TITLE_PAGE,
    Document,
)
from workbook.render.pages import PageMap, PageStart, keys_in, mark_page_breaks
from workbook.sources.media import package_name

Template = Callable[..., str]
XHTML_HEAD = "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"


def epub_documents(
    book: Book, pages: PageMap | None, template: Template, with_title: bool, with_back: bool
) -> tuple[tuple[Document, ...], tuple[tuple[str, Path], ...]]:
    """Cover, copyright and contents pages, parts, then the navigation document (out of the
    reading order), and the images to pack: (path in EPUB, file). A branded or client's copy
    adds a title page after the cover and a back page after the parts."""
    starts = pages.starts if pages else ()
    cover = _page(template, "epub-cover.html")
    rights = _page(template, "standalone.html", inner="copyright.html", to_root="../")
    parts = [
        (part, _page(template, "epub-part.html", part=part, to_root="../")) for part in book.parts
    ]
    images: dict[str, Path] = {}
    for part, root in parts:
        images.update(_relink_images(root, part, book.project_dir))
    contents = _page(template, "epub-contents.html")
    where = {key: "cover.xhtml" for key in keys_in(cover)}
    where.update({key: COPYRIGHT_PAGE for key in keys_in(rights)})
    where.update({key: CONTENTS_PAGE for key in keys_in(contents)})
    for part, root in parts:
        where.update({key: f"text/{part.id}.xhtml" for key in keys_in(root)})
    page_list = _page_list(starts, where)
    nav = _page(template, "epub-nav.html", page_list=page_list)
    docs = [_document("cover.xhtml", "Cover", cover, starts, kind="cover")]
    if with_title:
        docs.append(title_page(template))
    docs.append(_document(COPYRIGHT_PAGE, "About this edition", rights, starts, kind="copyright"))
    docs.append(_document(CONTENTS_PAGE, "Contents", contents, starts, kind="contents"))
    for part, root in parts:
        docs.append(_document(f"text/{part.id}.xhtml", part.title, root, starts, part=part))
    if with_back:
        back = _page(template, "standalone.html", inner="back.html", to_root="../")
        docs.append(_document(BACK_PAGE, "From your therapist", back, (), kind="back"))
    # Last, and out of the reading order: the reader's menus (contents, landmarks, pages).
    docs.append(_document(NAV, "Navigation", nav, starts, kind="nav"))
    return tuple(docs), tuple(sorted(images.items()))


def title_page(template: Template) -> Document:
    """The page with the practice and, in a client's copy, "Prepared for NAME"."""
    root = _page(template, "standalone.html", inner="cover.html", to_root="../")
    return _document(TITLE_PAGE, "Title page", root, (), kind="title")


def _page_list(starts: tuple[PageStart, ...], where: dict[str, str]) -> tuple[Any, ...]:
    """(page number, href from nav.xhtml) for every page that has a place in the EPUB."""
    return tuple(
        (start.number, f"{where[start.key]}#page-{start.number}")
        for start in starts
        if start.key in where
    )


def _document(
    name: str,
    title: str,
    root: Any,
    starts: tuple[PageStart, ...],
    kind: str = "part",
    part: Part | None = None,
) -> Document:
    mark_page_breaks(root, starts)
    html = XHTML_HEAD + etree.tostring(root, encoding="unicode") + "\n"
    return Document(name, title, html, part=part, kind=kind)


def _page(template: Template, name: str, **extra: Any) -> Any:
    """The template's page, parsed: an EPUB's pages must be well-formed XHTML."""
    html = template(name, **extra)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(html.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        message = (
            f"makes a page for the EPUB that is not well-formed XHTML ({error.msg}); close "
            "every tag (<br/>, <img .../>) and write & as &amp;"
        )
        raise WorkbookError([Problem(f"templates/{name}", message)]) from None
    if root is None:
        raise WorkbookError([Problem(f"templates/{name}", "makes an empty page for the EPUB")])
    return root


def _relink_images(root: Any, part: Part, project_dir: Path) -> dict[str, Path]:
    """Point each image at its copy inside the EPUB; every image needs a description."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    project = project_dir.resolve()
    file = part.source.resolve().relative_to(project).as_posix()
    for img in root.iter("{http://www.w3.org/1999/xhtml}img"):
        src = img.get("src", "")
        path = (part.source.parent / unquote(src)).resolve()  # encoded once by media.py
        if "://" in src or src.startswith(("data:", "/")) or not path.is_relative_to(project):
            problems.append(Problem(file, f"image '{src}': use a file inside the workbook folder"))
        elif not path.is_file():
            problems.append(Problem(file, f"image '{src}': there is no such file"))
        elif not img.get("alt", "").strip():
            message = (
                f"image '{src}' needs a short description for readers who cannot see it: "
                f"write it in the brackets, like ![A quiet room]({src})"
            )
            problems.append(Problem(file, message))
        else:
            inside = package_name(path.relative_to(project).as_posix())
            img.set("src", "../" + inside)
            found[inside] = path
    if problems:
        raise WorkbookError(problems)
    return found
