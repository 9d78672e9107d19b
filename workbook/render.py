"""The one render path: Book + Edition -> HTML documents and their stylesheet.

This is the only module that imports Jinja2. A project's own `templates/` and `styles/` override
the bundled ones file by file; an override can extend the one it replaces as "default:NAME".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from workbook.editions import Edition, Personal
from workbook.errors import Problem, WorkbookError
from workbook.model import Book, Part
from workbook.resources import bundled_styles, bundled_templates, font_dir

# Stylesheets per format, in cascade order; `.css` files come from styles/, `.css.j2` are
# templates (they need the edition, e.g. the paper size).
STYLESHEETS = {
    "print": ("fonts.css.j2", "base.css", "print.css", "page.css.j2", "brand.css.j2", "custom.css"),
    "epub": ("fonts.css.j2", "base.css", "epub.css", "custom.css"),
}
FONT_FILES = (
    "AtkinsonHyperlegible-Regular.ttf",
    "AtkinsonHyperlegible-Bold.ttf",
    "AtkinsonHyperlegible-Italic.ttf",
    "AtkinsonHyperlegible-BoldItalic.ttf",
)
# EPUB files around the parts; fixed names that never carry a client's name.
TITLE_PAGE = "title-page.xhtml"
Environment = jinja2.Environment
BACK_PAGE = "from-your-therapist.xhtml"


@dataclass(frozen=True)
class Document:
    """One HTML document: the whole book (PDF) or one part (EPUB)."""

    name: str
    title: str
    html: str
    part: Part | None = None


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    documents: tuple[Document, ...]
    css: str
    fonts: tuple[Path, ...]
    images: tuple[tuple[str, Path], ...] = ()  # (name in the EPUB, file), e.g. the logo


def environment(project_dir: Path) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(bundled_templates())
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": defaults}, delimiter=":"),  # "default:cover.html"
            jinja2.FileSystemLoader(project_dir / "templates"),
            defaults,
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        # Everything a user writes is text in HTML; CSS templates are not HTML.
        autoescape=jinja2.select_autoescape(("html", "xhtml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(
    book: Book,
    edition: Edition,
    env: jinja2.Environment | None = None,
    personal: Personal | None = None,
) -> Rendered:
    env = env or environment(book.project_dir)
    context = _context(book, edition, personal)
    css = "\n".join(
        _stylesheet(env, book.project_dir, name, context) for name in STYLESHEETS[edition.format]
    )
    if edition.format == "epub":
        docs = _epub_documents(book, env, context)
    else:
        docs = (Document("book.html", book.meta.title, _template(env, "book.html", context)),)
    fonts = tuple(font_dir() / name for name in FONT_FILES)
    return Rendered(edition=edition, documents=docs, css=css, fonts=fonts, images=_images(book))


def render_personal(
    book: Book, edition: Edition, personal: Personal | None, env: jinja2.Environment
) -> Document:
    """Only the page that carries a client's name: the cover (print) or title page (EPUB).
    It uses the stylesheet of `render(book, edition)`, so it can replace that page."""
    context = _context(book, edition, personal)
    html = _template(env, "standalone.html", context, inner="cover.html")
    name = TITLE_PAGE if edition.format == "epub" else "cover.html"
    return Document(name, book.meta.title, html)


def _context(book: Book, edition: Edition, personal: Personal | None) -> dict[str, object]:
    font_base = "../fonts/" if edition.format == "epub" else font_dir().as_uri() + "/"
    helplines = book.helplines
    return {
        "book": book,
        "meta": book.meta,
        "edition": edition,
        "font_base": font_base,
        "brand": book.brand,
        "client": personal,
        "logo_src": _logo_src(book, edition),
        "region": helplines.region(edition.region) if helplines else None,
        "helplines": helplines.services_for(edition.region) if helplines else (),
    }


def _epub_documents(
    book: Book, env: jinja2.Environment, context: dict[str, object]
) -> tuple[Document, ...]:
    docs = [
        Document(
            f"{part.id}.xhtml",
            part.title,
            _template(env, "epub-part.html", context, part=part),
            part,
        )
        for part in book.parts
    ]
    if context["client"] is not None or book.brand is not None:
        html = _template(env, "standalone.html", context, inner="cover.html")
        docs.insert(0, Document(TITLE_PAGE, book.meta.title, html))
    if book.brand is not None:
        html = _template(env, "standalone.html", context, inner="back.html")
        docs.append(Document(BACK_PAGE, "From your therapist", html))
    return tuple(docs)


def _images(book: Book) -> tuple[tuple[str, Path], ...]:
    logo = book.brand.logo if book.brand else None
    return ((f"images/logo{logo.suffix.lower()}", logo),) if logo else ()


def _logo_src(book: Book, edition: Edition) -> str:
    logo = book.brand.logo if book.brand else None
    if logo is None:
        return ""
    return f"../images/logo{logo.suffix.lower()}" if edition.format == "epub" else logo.as_uri()


def _template(
    env: jinja2.Environment, name: str, context: dict[str, object], **extra: object
) -> str:
    try:
        return env.get_template(name).render(**context, **extra)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise WorkbookError(
            [Problem(where, f"template error: {error.message}", error.lineno)]
        ) from None
    except jinja2.UndefinedError as error:
        raise WorkbookError(
            [Problem(f"templates/{name}", f"template error: {error.message}")]
        ) from None
    except jinja2.TemplateNotFound as error:
        raise WorkbookError([Problem(f"templates/{error.name}", "template not found")]) from None


def _stylesheet(
    env: jinja2.Environment, project_dir: Path, name: str, context: dict[str, object]
) -> str:
    if name.endswith(".j2"):
        return _template(env, name, context)
    for folder in (project_dir / "styles", bundled_styles()):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    raise WorkbookError([Problem(f"styles/{name}", "stylesheet not found")])
