"""The one render path: Book + Edition -> HTML documents and their stylesheet (`Rendered`).

This package is the only place that imports Jinja2. PDF editions get one document holding every
part; packaged (split) editions such as the EPUB get one document per part, around a cover and
the navigation; the web edition gets a page per part around a home page and a downloads page.
Every document is checked for anything that must not reach an output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbook.editions import Download, Edition, Personal
from workbook.errors import Problem, WorkbookError
from workbook.model import Book
from workbook.render.css_lint import css_problems as lint_css
from workbook.render.documents import BACK_PAGE, TITLE_PAGE, Document, Rendered
from workbook.render.environment import Environment, environment, fill, project_templates
from workbook.render.epub_docs import epub_documents, title_page
from workbook.render.fieldfont import field_font_url
from workbook.render.pages import PageMap
from workbook.render.safety import html_findings, html_problems, svg_problems, xml_findings
from workbook.render.site_docs import finish_page, media_names, site_documents, site_images
from workbook.render.stylesheets import edition_css
from workbook.render.view import for_templates
from workbook.resources import bundled_styles, font_dir
from workbook.safefiles import Refused, display_name, read_inside, read_text

__all__ = [
    "BACK_PAGE",
    "TITLE_PAGE",
    "Document",
    "Environment",
    "Rendered",
    "environment",
    "render",
    "render_personal",
]

EPUB_ROOT = "EPUB"  # where ebooklib puts the book's files inside the zip
MAX_LOGO_BYTES = 20_000_000
FONT_FILES = (
    "AtkinsonHyperlegible-Regular.ttf",
    "AtkinsonHyperlegible-Bold.ttf",
    "AtkinsonHyperlegible-Italic.ttf",
    "AtkinsonHyperlegible-BoldItalic.ttf",
)


def render(
    book: Book,
    edition: Edition,
    env: Environment | None = None,
    pages: PageMap | None = None,
    personal: Personal | None = None,
    downloads: tuple[Download, ...] = (),
) -> Rendered:
    """HTML for one edition. A split edition gets print page breaks where `pages` (the print
    edition's layout) says each page starts; `personal` puts a client's name on the cover; a
    site lists `downloads` (the build's other files) on its downloads page."""
    env = env or environment(book.project_dir)
    context = _context(book, edition, personal)
    css = edition_css(env, book.project_dir, edition, context)
    fonts = tuple(font_dir() / name for name in FONT_FILES)
    if edition.site:
        docs = site_documents(book, _bind(env, context), downloads, book.brand is not None)
        _check_safe(book, edition, docs)
        names = media_names(book)
        docs = tuple(finish_page(doc, names, book.meta.slug) for doc in docs)
        return Rendered(edition, docs, css, fonts, site_images(book) + _images(book))
    if edition.record.split:
        template = _bind(env, context)
        title = personal is not None or book.brand is not None
        docs, images = epub_documents(book, pages, template, title, book.brand is not None)
        _check_safe(book, edition, docs)
        source = pages.source if pages else ""
        return Rendered(edition, docs, css, fonts, images + _images(book), source)
    docs = (_whole(env, book, edition, context),)
    if edition.booklet:  # a spare page to pad the booklet to a multiple of four pages
        docs += (Document("notes.html", "Notes", fill(env, "notes.html", context)),)
    _check_safe(book, edition, docs)
    return Rendered(edition=edition, documents=docs, css=css, fonts=fonts)


def _whole(env: Environment, book: Book, edition: Edition, context: dict[str, object]) -> Document:
    """Every part in one document; a handout holds just the worksheets in `edition.parts`
    (ids checked when the build was planned), each copy on fresh pages."""
    by_id = {part.id: part for part in book.worksheets}
    sheets = [by_id[part_id] for part_id in edition.parts]
    name = edition.record.document
    html = fill(env, name, context, sheets=sheets, copies=edition.copies)
    title = ", ".join(s.title for s in sheets) if sheets else book.meta.title
    return Document(name, title, html, kind="book")


def render_personal(
    book: Book, edition: Edition, personal: Personal | None, env: Environment
) -> Document:
    """Only the page that carries a client's name: the cover (PDF) or title page (EPUB).
    It uses the stylesheet of `render(book, edition)`, so it can replace that page."""
    context = _context(book, edition, personal)
    if edition.record.personal_page == "title page":
        return title_page(_bind(env, context))
    html = fill(env, "standalone.html", context, inner="cover.html")
    return Document("cover.html", book.meta.title, html)


def stylesheet_problems(book: Book, editions: list[Edition], env: Environment) -> list[Problem]:
    """Every stylesheet the editions use, read as a browser reads it (css_lint): syntax errors
    and unknown properties, with file and line. A `.css.j2` is read as the first edition that
    uses it renders it."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for edition in editions:
        for name in edition.stylesheets():
            if name in seen:
                continue
            seen.add(name)
            try:
                css, file = _stylesheet_text(book, edition, env, name)
            except WorkbookError:
                continue  # the render of that edition reports it
            problems += lint_css(css, file)
    return problems


def _stylesheet_text(book: Book, edition: Edition, env: Environment, name: str) -> tuple[str, str]:
    if name.endswith(".j2"):
        return fill(env, name, _context(book, edition, None)), f"templates/{name}"
    own = book.project_dir / "styles" / name
    if own.is_file():
        return read_text(own, f"styles/{name}", (book.project_dir,), 1_000_000), f"styles/{name}"
    bundled = bundled_styles() / name
    return bundled.read_text(encoding="utf-8"), f"styles/{name} (bundled)"


def _check_safe(book: Book, edition: Edition, docs: tuple[Document, ...]) -> None:
    """No script, frame, event handler, attachment or fetch from outside the book reaches an
    output: not from the documents, nor from an SVG logo."""
    templates = project_templates(book.project_dir)
    problems: list[Problem] = []
    for doc in docs:
        where = f"templates (making '{doc.part.id if doc.part else doc.name}')"
        if edition.site:  # web pages; a chapter's pictures are still written from a folder down
            findings = html_findings(doc.html, packaged_at=f"site/{doc.name}")
        elif edition.packaged:
            findings = xml_findings(doc.html, packaged_at=f"{EPUB_ROOT}/{doc.name}")
        else:
            findings = html_findings(doc.html)
        problems.extend(html_problems(findings, where, templates, book.project_dir))
    logo = book.brand.logo if book.brand else None
    if logo is not None and logo.suffix.lower() == ".svg":
        problems.extend(_logo_problems(logo, book.project_dir))
    if problems:
        raise WorkbookError(dict.fromkeys(problems))


def _logo_problems(logo: Path, project_dir: Path) -> list[Problem]:
    name = display_name(logo, project_dir.resolve())
    try:
        # Checked when the brand was read: inside the workbook, or beside a --brand file.
        data = read_inside(logo, (project_dir.resolve(), logo.resolve()), MAX_LOGO_BYTES)
    except Refused as refusal:
        return [Problem(name, f"cannot be used: {refusal}")]
    return svg_problems(data, name)


def _bind(env: Environment, context: dict[str, object]) -> Callable[..., str]:
    """A template function for epub_docs: name and extra variables in, HTML out."""
    return lambda name, **extra: fill(env, name, context, **extra)


def _context(book: Book, edition: Edition, personal: Personal | None) -> dict[str, object]:
    """What every template sees."""
    packaged = edition.record.packaged
    helplines = book.helplines
    context: dict[str, object] = {
        "book": for_templates(book),
        "meta": book.meta,
        "edition": edition,
        "font_base": _font_base(edition),
        "brand": for_templates(book.brand),
        "client": personal,
        "logo_src": _logo_src(book, packaged, "" if edition.site else "../"),
        "region": helplines.region(edition.region) if helplines else None,
        "helplines": helplines.services_for(edition.region) if helplines else (),
        "quick_exit": book.settings.quick_exit,
        # How many times a build repeats each worksheet it names (`build --copies ID=N`).
        "repeats": dict(edition.repeat),
    }
    if edition.medium == "form":
        context["field_font_url"] = field_font_url()
    return context


def _images(book: Book) -> tuple[tuple[str, Path], ...]:
    logo = book.brand.logo if book.brand else None
    return ((f"images/logo{logo.suffix.lower()}", logo),) if logo else ()


def _font_base(edition: Edition) -> str:
    """Where the stylesheet finds the fonts: inside the EPUB or the site (its stylesheet is
    assets/site.css, the fonts in assets/fonts/), else the installed font package."""
    if edition.site:
        return "fonts/"
    return "../fonts/" if edition.packaged else font_dir().as_uri() + "/"


def _logo_src(book: Book, packaged: bool, up: str) -> str:
    logo = book.brand.logo if book.brand else None
    if logo is None:
        return ""
    return f"{up}images/logo{logo.suffix.lower()}" if packaged else logo.as_uri()
