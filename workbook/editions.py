"""What can be made: formats and options as records, and the `Edition` that combines them.

A new format is one `Format` record and one writer module (workbook/writers/NAME.py with a
`write` function); a new option is one `Option` record, one field on `Edition` and, if it
changes the look, one stylesheet. Templates ask the edition (`edition.medium`, `edition.screen`,
`edition.paged`, `edition.large_print`, ...) and never compare format names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

# How worksheets show: lines and boxes on paper, form fields in a PDF, prompts to read on an
# e-reader (no controls), or a web page's own form controls (labels, fieldsets, radio groups).
Medium = Literal["paper", "form", "screen", "web"]


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # for the build summary and progress: "print PDF"
    file_word: str  # its word in the file name ("" for none)
    suffix: str
    medium: Medium  # how worksheets show: lines on paper, form fields, prompts on a screen
    split: bool  # one file per part (packaged with its fonts and images), or one document
    stylesheets: tuple[str, ...]  # before the options' stylesheets
    paged: bool  # laid out on pages: paper size, print options, page and brand styles
    writer: str  # the module in workbook/writers/ that writes it
    document: str  # the template of its one document, or of each part's file
    # Where a client's copy names the client: its "cover" or EPUB "title page" (made once and
    # swapped in), the "first page" of a handout (laid out per client), or "" (none).
    personal_page: str
    command: str = "build"  # the command that makes it: `build --edition NAME` or `handout`
    # A folder of web pages, made after the build's other files: its downloads page lists them
    # (the runner passes them in), and it is not made per client.
    site: bool = False

    @property
    def packaged(self) -> bool:
        """Its fonts and images travel inside it, referred to by relative paths."""
        return self.split


PAGE_STYLES = ("fonts.css.j2", "base.css", "print.css")
FORMATS: dict[str, Format] = {
    record.name: record
    for record in (
        Format(
            "print", "print PDF", "print", ".pdf", "paper", False, PAGE_STYLES, True,
            "pdf", "book.html", "cover",
        ),
        Format(
            "fillable", "fillable PDF", "fillable", ".pdf", "form", False,
            (*PAGE_STYLES, "form.css"), True, "pdf", "book.html", "cover",
        ),
        Format(
            "handout", "handout PDF", "handout", ".pdf", "paper", False,
            (*PAGE_STYLES, "handout.css.j2"), True, "pdf", "handout.html", "", "handout",
        ),
        Format(
            "epub", "EPUB", "", ".epub", "screen", True,
            ("fonts.css.j2", "base.css", "epub.css"), False, "epub", "epub-part.html",
            "title page",
        ),
        Format(
            "html", "web edition", "site", "", "web", True,
            ("fonts.css.j2", "base.css", "site.css", "site-options.css.j2"), False, "html",
            "site-part.html", "", site=True,
        ),
    )
}  # fmt: skip
BUILD_FORMATS = tuple(name for name, record in FORMATS.items() if record.command == "build")
DEFAULT_FORMATS = BUILD_FORMATS
PAGED_FORMATS = tuple(name for name, record in FORMATS.items() if record.paged)
SITE_FORMATS = tuple(name for name, record in FORMATS.items() if record.site)


@dataclass(frozen=True)
class Option:
    """A choice that changes how an edition looks, named by its field on `Edition`; its
    command-line flag is the name with dashes (`large_print`: --large-print)."""

    name: str
    help: str
    formats: tuple[str, ...]  # the formats it changes; others ignore it
    stylesheet: str = ""
    file_word: str = ""  # its word in the file name
    summary: str = ""  # its words in the build summary
    medium: Medium | None = None  # a different medium for those formats
    names_format: bool = False  # its word qualifies the format's, before the paper's

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


# In the order their words appear in file names and summaries, and their stylesheets cascade.
OPTIONS: tuple[Option, ...] = (
    Option(
        "fillable", "Form fields to type into, instead of lines.", ("handout",),
        "form.css", "fillable", "fillable", medium="form", names_format=True,
    ),
    Option(
        "booklet", "Impose the print edition as a booklet: two half-size pages to a sheet, "
        "to print double-sided and fold (Letter or A4 sheets).", ("print",),
        file_word="booklet", summary="booklet",
    ),
    Option(
        "large_print", "Text at 16 pt or more, with lines and boxes to match.",
        (*PAGED_FORMATS, *SITE_FORMATS), "large-print.css", "large-print", "large print",
    ),
    Option(
        "low_ink", "No filled areas, black and grey only.", PAGED_FORMATS,
        "low-ink.css", "low-ink", "low ink",
    ),
    Option(
        "discreet", 'A neutral title ("Personal workbook") on the cover, page heads, file '
        "names and metadata; the practice left out; `discreet_words` (workbook.toml) replaced "
        "in headings, contents, bookmarks and field tooltips.", tuple(FORMATS),
    ),
)  # fmt: skip
OPTION_NAMES = tuple(option.name for option in OPTIONS)

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


@dataclass(frozen=True)
class Edition:
    """One thing to make. Options that do not apply to the format are switched off, so two
    editions that make the same file are equal. `parts` and `copies` are for handouts: the
    worksheets, in order, and how many times to repeat them."""

    format: str
    paper: str = "letter"
    large_print: bool = False
    low_ink: bool = False
    booklet: bool = False
    fillable: bool = False
    parts: tuple[str, ...] = ()
    copies: int = 1
    # A build's worksheets repeated in its PDFs (`build --copies ID=N`): (id, times), in order
    repeat: tuple[tuple[str, int], ...] = ()
    # Discreet: a neutral title on the cover, in running heads, file names and metadata.
    discreet: bool = False
    # Which region's helplines the resources page shows; None shows every region's.
    region: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}")
        for option in OPTIONS:
            if self.format not in option.formats and getattr(self, option.name):
                object.__setattr__(self, option.name, False)
        if self.repeat and not (self.paged and not self.parts):
            object.__setattr__(self, "repeat", ())  # one file to print: screens need none
        if self.booklet and self.paper not in BOOKLET_PAPERS:
            raise ValueError(f"a booklet prints on {' or '.join(BOOKLET_PAPERS)} sheets")

    @classmethod
    def make(cls, format: str, paper: str, options: Iterable[str] = (), **more: Any) -> Edition:
        """An edition with the named options on (those that apply to `format`)."""
        switched: dict[str, Any] = dict.fromkeys(options, True)
        return replace(cls(format, paper, **more), **switched)

    @property
    def record(self) -> Format:
        return FORMATS[self.format]

    @property
    def options(self) -> tuple[Option, ...]:
        """The options that are on, in their order."""
        return tuple(option for option in OPTIONS if getattr(self, option.name))

    @property
    def medium(self) -> Medium:
        """How worksheets show: lines and boxes on paper, form fields to type into, or plain
        prompts on a screen."""
        changed = [option.medium for option in self.options if option.medium]
        return changed[-1] if changed else self.record.medium

    @property
    def screen(self) -> bool:
        return self.medium == "screen"

    @property
    def paged(self) -> bool:
        return self.record.paged

    @property
    def site(self) -> bool:
        """A folder of web pages, with the site's own header, quick exit and script."""
        return self.record.site

    @property
    def packaged(self) -> bool:
        """Documents packaged with their fonts and images (an EPUB), not laid out on pages."""
        return self.record.packaged

    @property
    def page_size(self) -> dict[str, str]:
        """The size of one page as laid out (half the sheet for a booklet)."""
        return HALF_PAGES[self.paper] if self.booklet else PAPERS[self.paper]

    @property
    def small_page(self) -> bool:
        """A5 and half-letter pages get narrower margins and a smaller cover."""
        return self.page_size["width"] in ("148mm", "5.5in")

    @property
    def sheet_size(self) -> dict[str, str]:
        return PAPERS[self.paper]

    def stylesheets(self) -> tuple[str, ...]:
        """In cascade order: `.css` files come from styles/, `.css.j2` are templates (they
        need the edition, e.g. the paper size). The workbook's custom.css comes last."""
        names = self.record.stylesheets
        if self.paged:
            names += tuple(option.stylesheet for option in self.options if option.stylesheet)
            names += ("page.css.j2", "brand.css.j2")
        return (*names, "custom.css")

    def describe(self) -> str:
        """A few words for the build summary: 'print PDF, A4, large print'."""
        words = [self.record.label]
        if self.paged:
            words.append(self.sheet_size["label"])
        words += [option.summary for option in self.options if option.summary]
        return ", ".join(words)

    def filename(self, slug: str) -> str:
        words = [slug, self.record.file_word, *self.parts]
        words += [o.file_word for o in self.options if o.names_format and o.file_word]
        if self.paged:
            words.append(self.paper)
        words += [o.file_word for o in self.options if not o.names_format and o.file_word]
        return "-".join(word for word in words if word) + self.record.suffix

    def plain(self) -> Edition:
        """The same edition with no options, parts or copies (for the page map, checks)."""
        return Edition(self.format, self.paper, discreet=self.discreet, region=self.region)


def variants(formats: tuple[str, ...] = tuple(FORMATS)) -> Iterator[Edition]:
    """Every format plain, with each option that applies to it, and on each paper: enough to
    render every branch of every template and stylesheet (`workbook check`)."""
    for name in formats:
        record = FORMATS[name]
        yield Edition(name)
        for option in OPTIONS:
            if name in option.formats:
                switched: dict[str, Any] = {option.name: True}
                yield replace(Edition(name), **switched)
        if record.paged:
            for paper in PAPERS:
                if paper != "letter":
                    yield Edition(name, paper)


@dataclass(frozen=True)
class Personal:
    """A client's copy: shown on its personal page only, never in metadata or file names."""

    name: str
    date_text: str


@dataclass(frozen=True)
class Download:
    """A file made in the same build, which the web edition offers on its downloads page. Its
    edition says what it is for; `source` is where it is now (staged or already in place)."""

    name: str
    size: int  # in bytes
    edition: Edition
    source: Path = field(default=Path(), compare=False, repr=False)
