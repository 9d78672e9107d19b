"""Words a discreet edition keeps out of sight, and what shows instead.

Each listed word matches, in any case, a word that starts with it or with its stem (the word
without a final e: "abuse" also matches "abused", "abuser", "abusive"), so a short list covers
the forms a heading uses. A phrase ("narcissistic abuse") matches its words in a row. Longer
entries are tried first. A replacement keeps the capital of the word it replaces.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

PLACEHOLDER = "\u2026"  # what shows for a word listed without a replacement
_TAG = re.compile(r"(<[^>]*>)")


def _pattern(word: str) -> str:
    parts = []
    for piece in word.lower().split():
        stem = piece[:-1] if piece.endswith("e") and len(piece) > 4 else piece
        parts.append(re.escape(stem) + r"[\w\u2019']*")
    return r"(?<![\w])" + r"\s+".join(parts)


@dataclass(frozen=True)
class Neutraliser:
    """`words`: (word or phrase, what shows instead) pairs."""

    words: tuple[tuple[str, str], ...]
    _regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _instead: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = sorted(self.words, key=lambda pair: -len(pair[0]))
        alternatives = [f"(?P<w{i}>{_pattern(word)})" for i, (word, _) in enumerate(ordered)]
        regex = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        object.__setattr__(self, "_regex", regex)
        object.__setattr__(self, "_instead", tuple(instead for _, instead in ordered))

    def found(self, text: str) -> list[str]:
        """The listed words `text` holds, as written there."""
        return [m.group() for m in self._regex.finditer(text)] if self._regex else []

    def text(self, text: str) -> str:
        """Plain text with every listed word replaced."""
        return self._sub(text).strip() if self.found(text) else text

    def _sub(self, text: str) -> str:
        if self._regex is None or not text:
            return text
        return re.sub(r"  +", " ", self._regex.sub(self._replace, text))

    def markup(self, markup: str) -> str:
        """HTML (already escaped) with the words in its text replaced, tags left as they are."""
        pieces = _TAG.split(markup)
        return "".join(
            piece if piece.startswith("<") else html.escape(self._sub(html.unescape(piece)), False)
            for piece in pieces
        )

    def headings(self, markup: str) -> str:
        """HTML with the words replaced inside its headings (h1 to h6) only."""
        return re.sub(
            r"(<h[1-6][^>]*>)(.*?)(</h[1-6]>)",
            lambda m: m.group(1) + self.markup(m.group(2)) + m.group(3),
            markup,
            flags=re.DOTALL,
        )

    def _replace(self, match: re.Match[str]) -> str:
        index = int(next(name for name, value in match.groupdict().items() if value)[1:])
        instead = self._instead[index]
        if match.group()[:1].isupper() and instead:
            instead = instead[0].upper() + instead[1:]
        return instead
