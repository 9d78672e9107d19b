"""Editions: what is being made (format, paper, print options) and what its file is called."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["print", "fillable", "handout", "epub"]
# What `workbook build --edition` can make; handouts have their own command.
FORMATS: tuple[Format, ...] = ("print", "fillable", "epub")
DEFAULT_FORMATS: tuple[Format, ...] = ("print", "fillable", "epub")

# Page size and margins per paper; margins leave room for a home printer's unprintable edge.
PAPERS: dict[str, dict[str, str]] = {
    "letter": {"width": "8.5in", "height": "11in", "label": "US Letter", "margin": "22mm 24mm"},
    "a4": {"width": "210mm", "height": "297mm", "label": "A4", "margin": "22mm 24mm"},
    "a5": {"width": "148mm", "height": "210mm", "label": "A5", "margin": "15mm 15mm 16mm"},
}
# A booklet folds each sheet in half: its pages are half the sheet (A5 on A4, half-letter on
# Letter), placed two to a side.
HALF_PAGES: dict[str, dict[str, str]] = {
    "letter": {**PAPERS["a5"], "width": "5.5in", "height": "8.5in", "label": "half Letter"},
    "a4": PAPERS["a5"],
}
BOOKLET_PAPERS: tuple[str, ...] = tuple(HALF_PAGES)

Medium = Literal["paper", "form", "screen"]


@dataclass(frozen=True)
class Edition:
    """One thing to make. `parts` and `copies` are for handouts: the worksheets, in order, and
    how many times to repeat them."""

    format: Format
    paper: str = "letter"
    large_print: bool = False
    low_ink: bool = False
    booklet: bool = False
    fillable: bool = False
    parts: tuple[str, ...] = ()
    copies: int = 1
    # Discreet: a neutral title on the cover, in running heads, file names and metadata.
    discreet: bool = False
    # Which region's helplines the resources page shows; None shows every region's.
    region: str | None = None

    def __post_init__(self) -> None:
        if self.booklet and self.paper not in BOOKLET_PAPERS:
            raise ValueError(f"a booklet prints on {' or '.join(BOOKLET_PAPERS)} sheets")

    @property
    def medium(self) -> Medium:
        """How worksheets show: lines and boxes on paper, form fields to type into, or plain
        prompts on a screen."""
        if self.format == "epub":
            return "screen"
        if self.format == "fillable" or (self.format == "handout" and self.fillable):
            return "form"
        return "paper"

    @property
    def is_booklet(self) -> bool:
        """Only the print edition is imposed; a fillable form is used on a screen."""
        return self.booklet and self.format == "print"

    @property
    def page_size(self) -> dict[str, str]:
        """The size of one page as laid out (half the sheet for a booklet)."""
        return HALF_PAGES[self.paper] if self.is_booklet else PAPERS[self.paper]

    @property
    def small_page(self) -> bool:
        """A5 and half-letter pages get narrower margins and a smaller cover."""
        return self.page_size["width"] in ("148mm", "5.5in")

    @property
    def sheet_size(self) -> dict[str, str]:
        return PAPERS[self.paper]

    def describe(self) -> str:
        """A few words for the build summary: 'print PDF, A4, large print'."""
        words = [f"{self.format} PDF" if self.format != "epub" else "EPUB"]
        if self.format != "epub":
            words.append(self.sheet_size["label"])
        words += [name for name, on in self._options() if on]
        return ", ".join(words)

    def _options(self) -> tuple[tuple[str, bool], ...]:
        return (
            ("fillable", self.format == "handout" and self.fillable),
            ("booklet", self.is_booklet),
            ("large print", self.large_print),
            ("low ink", self.low_ink),
        )

    def filename(self, slug: str) -> str:
        if self.format == "epub":
            return f"{slug}.epub"
        name = [slug, self.format]
        if self.format == "handout":
            name += [*self.parts, *(["fillable"] if self.fillable else [])]
        name.append(self.paper)
        name += [word.replace(" ", "-") for word, on in self._options()[1:] if on]
        return "-".join(name) + ".pdf"


@dataclass(frozen=True)
class Personal:
    """A client's copy: shown on its personal page only, never in metadata or file names."""

    name: str
    date_text: str
