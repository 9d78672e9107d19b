"""The discreet edition: a book that can sit on a shared device without saying what it is about.

The title, file names and metadata become neutral ("Personal workbook"); the practice's name,
phone, web address and "From your therapist" page are left out (unless the therapist keeps
them); and the words listed in `discreet_words` (workbook.toml; by default the subject's own:
narcissist, abuse, trauma, ...) are replaced wherever a glance finds them: the parts' titles
(contents, running heads, bookmarks), headings in chapters, worksheets' labels, items and
options (the fillable PDF's tooltips), the footer's permission line, and part ids (file names
inside the EPUB and the site, form field names). The chapters' text is unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from workbook.model import (
    DEFAULT_DISCREET_WORDS,
    Book,
    ByMedium,
    Chapter,
    Part,
    Question,
    Worksheet,
)
from workbook.sources.sensitive import Neutraliser

NEUTRAL_TITLE = "Personal workbook"
NEUTRAL_SLUG = "personal-workbook"
# A worksheet's text that is read as it is written, not glanced at: left unchanged.
BODY_FIELDS = frozenset(("hint", "intro", "instructions"))


def neutral_ids(book: Book) -> dict[str, str]:
    """New ids for the parts whose ids hold a listed word (an id names files inside the EPUB
    and the site, and form fields): `part-N`, N its place in the workbook."""
    neutral = Neutraliser(book.settings.discreet_words)
    taken = {part.id for part in book.parts}
    names = {}
    for index, part in enumerate(book.parts, start=1):
        if neutral.found(part.id.replace("-", " ")):
            new_id, n = f"part-{index}", index
            while new_id in taken:
                n += 100
                new_id = f"part-{n}"
            taken.add(new_id)
            names[part.id] = new_id
    return names


def discreet_book(
    book: Book, keep_brand: bool = False, names: dict[str, str] | None = None
) -> Book:
    """`names`: new ids for some parts (`neutral_ids`)."""
    neutral = Neutraliser(book.settings.discreet_words)
    names = neutral_ids(book) if names is None else names
    meta = dataclasses.replace(
        book.meta,
        title=NEUTRAL_TITLE,
        subtitle="",
        author="",
        description="",
        publisher="",
        slug=NEUTRAL_SLUG,
        license=neutral.text(book.meta.license),
        permission=neutral.text(book.meta.permission),
    )
    parts = tuple(_part(part, neutral, names.get(part.id, part.id)) for part in book.parts)
    brand = book.brand if keep_brand else None
    return dataclasses.replace(book, meta=meta, parts=parts, brand=brand)


def _part(part: Part, neutral: Neutraliser, new_id: str) -> Part:
    if isinstance(part, Chapter):
        blocks = tuple(_block(block, neutral) for block in part.blocks)
        return dataclasses.replace(part, id=new_id, title=neutral.text(part.title), blocks=blocks)
    assert isinstance(part, Worksheet)
    sections = tuple(_texts(section, neutral) for section in part.sections)
    return dataclasses.replace(part, id=new_id, title=neutral.text(part.title), sections=sections)


def _block(block: object, neutral: Neutraliser) -> Any:
    if isinstance(block, str):
        return neutral.headings(block)
    if isinstance(block, Question):
        return dataclasses.replace(block, label_html=neutral.markup(block.label_html))
    return block


def _texts(value: Any, neutral: Neutraliser) -> Any:
    """A worksheet's section or field with its labels, items and options made neutral."""
    if isinstance(value, str):
        return neutral.text(value)
    if isinstance(value, tuple):
        return tuple(_texts(item, neutral) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type | ByMedium):
        return value
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        if field.name in BODY_FIELDS or field.name == "kind":
            continue
        if field.name == "label_html":
            changes[field.name] = neutral.markup(getattr(value, field.name))
        else:
            changes[field.name] = _texts(getattr(value, field.name), neutral)
    return dataclasses.replace(value, **changes)


def sensitive_words(text: str) -> list[str]:
    """The default list's words that `text` holds (for checks of a discreet edition)."""
    return Neutraliser(DEFAULT_DISCREET_WORDS).found(text)
