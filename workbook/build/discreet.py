"""The discreet edition: a book that can sit on a shared device without saying what it is about.

The title, file names and metadata become neutral; words that name the subject stay off the cover
and out of every metadata field. The chapters themselves are unchanged.
"""

from __future__ import annotations

import dataclasses

from workbook.model import Book

NEUTRAL_TITLE = "Personal workbook"
NEUTRAL_SLUG = "personal-workbook"
# Words that must not show on a discreet cover or in its metadata (matched in lowercase).
SENSITIVE_WORDS = ("abuse", "abusive", "narcissis", "trauma", "violence")


def discreet_book(book: Book) -> Book:
    meta = dataclasses.replace(
        book.meta,
        title=NEUTRAL_TITLE,
        subtitle="",
        author="",
        description="",
        publisher="",
        subjects=(),
        slug=NEUTRAL_SLUG,
    )
    return dataclasses.replace(book, meta=meta)


def sensitive_words(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in SENSITIVE_WORDS if word in lowered]
