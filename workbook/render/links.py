"""Links within the book, as each edition reaches them.

A chapter links to a part, a heading or a source with `[words](#ID)`; the loader checked that
the id is in the book. An edition holds all its parts in one document (the PDFs: `#ID`) or one
file per part (the EPUB: `PART.xhtml#ID`; the web edition: its page of that part). A link to
a part this edition does not hold (`--only`, `--skip`) keeps its words and loses the link.
Cross-references get `class="xref"` (the PDF adds the page number), citations `class="cite"`
and the biblioref role.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from workbook.sources.anchors import TEXT_LINK

# What markdown-it writes for a link to `#ID` (links never nest, so the first </a> ends it).
LINK = re.compile(r'<a href="#([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def href_in(edition: Any, part: Any, ident: str, page_of: Callable[[Any], str] | None) -> str:
    """Where `ident` in `part` is, seen from a part's document of `edition`."""
    if not edition.packaged:
        return f"#{ident}"
    page = page_of(part) if page_of is not None else f"{part.id}.xhtml"
    return page if ident == part.id else f"{page}#{ident}"


@jinja2.pass_context
def book_links(context: jinja2.runtime.Context, html: str) -> Markup:
    """Jinja filter: every `#ID` link in a chapter's HTML, pointed where this edition has it."""
    book, edition = context["book"], context["edition"]
    page_of = context.get("page_of")
    held = set(edition.parts)  # a handout holds only its worksheets
    parts = {part.id: part for part in book.parts if not held or part.id in held}

    def relink(match: re.Match[str]) -> str:
        ident, more, words = match.groups()
        part_id, kind = book.targets.get(ident, ("", ""))
        if part_id not in parts:
            return words  # the part is not in this edition: the words stay
        href = href_in(edition, parts[part_id], ident, page_of)
        if kind == "source":
            epub_type = ' epub:type="biblioref"' if edition.screen else ""
            return (
                f'<a href="{href}"{more} class="cite"{epub_type} role="doc-biblioref">{words}</a>'
            )
        return f'<a href="{href}"{more} class="xref">{words}</a>'

    return Markup(LINK.sub(relink, str(html)))


@jinja2.pass_context
def text_links(context: jinja2.runtime.Context, text: str) -> Markup:
    """Jinja filter: a worksheet's plain words, escaped, with `[words](#ID)` as links."""
    html = TEXT_LINK.sub(r'<a href="#\2">\1</a>', str(escape(text)))
    return book_links(context, Markup(html))
