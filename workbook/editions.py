"""Editions: what is being made (format, paper) and what its file is called."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["print", "epub"]
FORMATS: tuple[Format, ...] = ("print", "epub")
DEFAULT_FORMATS: tuple[Format, ...] = ("print", "epub")

# Page size and margins per paper; margins leave room for a home printer's unprintable edge.
PAPERS: dict[str, dict[str, str]] = {
    "letter": {"width": "8.5in", "height": "11in", "label": "US Letter"},
    "a4": {"width": "210mm", "height": "297mm", "label": "A4"},
}


@dataclass(frozen=True)
class Edition:
    format: Format
    paper: str = "letter"
    # Discreet: a neutral title on the cover, in running heads, file names and metadata.
    discreet: bool = False
    # Which region's helplines the resources page shows; None shows every region's.
    region: str | None = None

    @property
    def medium(self) -> Literal["paper", "screen"]:
        """How worksheets show: ruled lines and boxes on paper, plain prompts on a screen."""
        return "screen" if self.format == "epub" else "paper"

    @property
    def page_size(self) -> dict[str, str]:
        return PAPERS[self.paper]

    def filename(self, slug: str) -> str:
        if self.format == "epub":
            return f"{slug}.epub"
        return f"{slug}-print-{self.paper}.pdf"


@dataclass(frozen=True)
class Personal:
    """A client's copy: shown on its personal page only, never in metadata or file names."""

    name: str
    date_text: str
