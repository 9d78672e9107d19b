"""The one render path: Book + Edition -> HTML documents and their stylesheet.

This is the only module that imports Jinja2. A project's own `templates/` and `styles/` override
the bundled ones file by file; an override can extend the one it replaces as "default:NAME".
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from workbook.editions import Edition, Personal
from workbook.errors import Problem, WorkbookError
from workbook.model import Book, Part
from workbook.render.fieldfont import field_font_url
from workbook.render.pages import PageMap, page_keys
from workbook.render.safety import css_problems, html_problems
from workbook.resources import bundled_styles, bundled_templates, font_dir
from workbook.safefiles import read_text

# Stylesheets per format, in cascade order; `.css` files come from styles/, `.css.j2` are
# templates (they need the edition, e.g. the paper size). Print options add theirs in between.
STYLESHEETS = {
    "print": ("fonts.css.j2", "base.css", "print.css"),
    "fillable": ("fonts.css.j2", "base.css", "print.css", "form.css"),
    "handout": ("fonts.css.j2", "base.css", "print.css", "handout.css.j2"),
    "epub": ("fonts.css.j2", "base.css", "epub.css"),
}
MAX_TEMPLATE_BYTES = 2_000_000
FONT_FILES = (
    "AtkinsonHyperlegible-Regular.ttf",
    "AtkinsonHyperlegible-Bold.ttf",
    "AtkinsonHyperlegible-Italic.ttf",
    "AtkinsonHyperlegible-BoldItalic.ttf",
)
# EPUB files around the parts; fixed names that never carry a client's name.
TITLE_PAGE = "text/title-page.xhtml"
BACK_PAGE = "text/from-your-therapist.xhtml"


Environment = jinja2.Environment  # the template environment, for type hints in other modules


@dataclass(frozen=True)
class Document:
    """One HTML document: the whole book (PDF), or one EPUB file (a part, the cover, the nav).
    An EPUB document's `name` is its path inside the EPUB."""

    name: str
    title: str
    html: str
    part: Part | None = None
    kind: str = "part"  # "book", "part", "cover" or "nav"


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    documents: tuple[Document, ...]
    css: str
    fonts: tuple[Path, ...]
    images: tuple[tuple[str, Path], ...] = ()  # EPUB: (path inside the EPUB, source file)
    page_source: str = ""  # EPUB: the print edition its page numbers come from


class _ProjectLoader(jinja2.FileSystemLoader):
    """The project's own templates: only regular files inside its folder, of bounded size
    (a template that is a link to a file elsewhere would copy that file into the book)."""

    def __init__(self, folder: Path, project_dir: Path) -> None:
        super().__init__(folder)
        self.folder = folder
        self.roots = (project_dir.resolve(),)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        text = read_text(path, f"templates/{template}", self.roots, MAX_TEMPLATE_BYTES)
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.stat().st_mtime == mtime


class _Environment(SandboxedEnvironment):
    """Sandboxed: a template handed around with a workbook cannot reach Python's insides.
    It knows its project, to name template files as the reader knows them."""

    project_dir: Path | None = None


def environment(project_dir: Path) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(bundled_templates())
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": defaults}, delimiter=":"),
            _ProjectLoader(project_dir / "templates", project_dir),
            defaults,
        ]
    )
    env = _Environment(
        loader=loader,
        # Everything a user writes is text in HTML; CSS templates are not HTML.
        autoescape=jinja2.select_autoescape(("html", "xhtml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["page_keys"] = page_keys
    env.project_dir = project_dir
    return env


def render(
    book: Book,
    edition: Edition,
    env: jinja2.Environment | None = None,
    pages: PageMap | None = None,
    personal: Personal | None = None,
) -> Rendered:
    """HTML for one edition. An EPUB gets print page breaks where `pages` (the print
    edition's layout) says each page starts; `personal` puts a client's name on the cover."""
    env = env or environment(book.project_dir)
    context = _context(book, edition, personal)
    css = "\n".join(
        _stylesheet(env, book.project_dir, name, context) for name in stylesheet_names(edition)
    )
    fonts = tuple(font_dir() / name for name in FONT_FILES)
    if edition.format == "epub":
        from workbook.render.epub_docs import epub_documents

        template = _bind(env, context)
        title_page = personal is not None or book.brand is not None
        docs, images = epub_documents(book, pages, template, title_page, book.brand is not None)
        _check_safe(book.project_dir, docs)
        source = pages.source if pages else ""
        return Rendered(
            edition, docs, css, fonts, images=images + _images(book), page_source=source
        )
    if edition.format == "handout":
        docs: tuple[Document, ...] = (_handout(env, book, context),)
    else:
        html = _template(env, "book.html", context)
        docs = (Document("book.html", book.meta.title, html, kind="book"),)
    if edition.is_booklet:  # a spare page to pad the booklet to a multiple of four pages
        docs += (Document("notes.html", "Notes", _template(env, "notes.html", context)),)
    _check_safe(book.project_dir, docs)
    return Rendered(edition=edition, documents=docs, css=css, fonts=fonts)


def _check_safe(project_dir: Path, docs: tuple[Document, ...]) -> None:
    """No script, frame, event handler, attachment or web fetch reaches an output."""
    own = project_dir / "templates"
    templates = sorted(p for p in own.rglob("*") if p.is_file() and not p.is_symlink())
    problems: list[Problem] = []
    for doc in docs:
        where = f"templates (making '{doc.part.id if doc.part else doc.name}')"
        problems.extend(html_problems(doc.html, where, templates, project_dir))
    if problems:
        raise WorkbookError(dict.fromkeys(problems))


def render_personal(
    book: Book, edition: Edition, personal: Personal | None, env: jinja2.Environment
) -> Document:
    """Only the page that carries a client's name: the cover (print) or title page (EPUB).
    It uses the stylesheet of `render(book, edition)`, so it can replace that page."""
    context = _context(book, edition, personal)
    if edition.format == "epub":
        from workbook.render.epub_docs import title_page

        return title_page(_bind(env, context))
    html = _template(env, "standalone.html", context, inner="cover.html")
    return Document("cover.html", book.meta.title, html)


def _bind(env: jinja2.Environment, context: dict[str, object]) -> Callable[..., str]:
    """A template function for epub_docs: name and extra variables in, HTML out."""
    return lambda name, **extra: _template(env, name, context, **extra)


def _context(book: Book, edition: Edition, personal: Personal | None) -> dict[str, object]:
    font_base = "../fonts/" if edition.format == "epub" else font_dir().as_uri() + "/"
    helplines = book.helplines
    context: dict[str, object] = {
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
    if edition.medium == "form":
        context["field_font_url"] = field_font_url()
    return context


def _images(book: Book) -> tuple[tuple[str, Path], ...]:
    logo = book.brand.logo if book.brand else None
    return ((f"images/logo{logo.suffix.lower()}", logo),) if logo else ()


def _logo_src(book: Book, edition: Edition) -> str:
    logo = book.brand.logo if book.brand else None
    if logo is None:
        return ""
    return f"../images/logo{logo.suffix.lower()}" if edition.format == "epub" else logo.as_uri()


def stylesheet_names(edition: Edition) -> tuple[str, ...]:
    names = STYLESHEETS[edition.format]
    if edition.format == "epub":
        return (*names, "custom.css")
    if edition.format == "handout" and edition.fillable:
        names += ("form.css",)
    if edition.large_print:
        names += ("large-print.css",)
    if edition.low_ink:
        names += ("low-ink.css",)
    return (*names, "page.css.j2", "brand.css.j2", "custom.css")


def _handout(env: jinja2.Environment, book: Book, context: dict[str, object]) -> Document:
    """Just the chosen worksheets, each copy on fresh pages; ids were checked by the build."""
    edition = context["edition"]
    assert isinstance(edition, Edition)
    by_id = {part.id: part for part in book.worksheets}
    sheets = [by_id[part_id] for part_id in edition.parts]
    html = _template(env, "handout.html", context, sheets=sheets, copies=edition.copies)
    return Document("handout.html", ", ".join(s.title for s in sheets), html)


def _template(
    env: jinja2.Environment, name: str, context: dict[str, object], **extra: object
) -> str:
    try:
        return env.get_template(name).render(**context, **extra)
    except jinja2.TemplateSyntaxError as error:
        where = _template_file(env, error.filename or error.name or name)
        message = f"template error: {error.message}"
        raise WorkbookError([Problem(where, message, error.lineno)]) from None
    except jinja2.TemplateNotFound as error:
        message = f"the template '{error.name}' was not found"
        raise _located(env, name, error, message) from None
    except jinja2.UndefinedError as error:
        raise _located(env, name, error, f"template error: {error.message}") from None
    except jinja2.TemplateError as error:  # e.g. the sandbox refusing unsafe attribute access
        raise _located(env, name, error, f"template error: {error}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as error:
        message = f"template error: {type(error).__name__}: {error}"
        raise _located(env, name, error, message) from None


def _located(env: jinja2.Environment, name: str, error: BaseException, message: str) -> Exception:
    """The template file and line where rendering failed, from the traceback: Jinja maps
    the frames of compiled templates back to their source files and lines."""
    where, line = f"templates/{name}", None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".j2", ".xhtml", ".css")):
            where, line = _template_file(env, filename), lineno
    return WorkbookError([Problem(where, message[:500], line)])


def _template_file(env: jinja2.Environment, filename: str) -> str:
    """A template's path as the reader knows it: templates/NAME, marked when bundled."""
    path = Path(filename)
    project = getattr(env, "project_dir", None)
    if isinstance(project, Path) and path.is_relative_to(project):
        return path.relative_to(project).as_posix()
    if path.is_relative_to(bundled_templates()):
        return f"templates/{path.relative_to(bundled_templates()).as_posix()} (bundled)"
    return filename


def _stylesheet(
    env: jinja2.Environment, project_dir: Path, name: str, context: dict[str, object]
) -> str:
    if name.endswith(".j2"):
        css = _template(env, name, context)
        problems = css_problems(css, f"templates/{name}")
        if problems:
            raise WorkbookError(problems)
        return css
    own = project_dir / "styles" / name
    if os.path.lexists(own):
        css = read_text(own, f"styles/{name}", (project_dir,), MAX_TEMPLATE_BYTES)
        problems = css_problems(css, f"styles/{name}")
        if problems:
            raise WorkbookError(problems)
        return css
    if (bundled_styles() / name).is_file():
        return (bundled_styles() / name).read_text(encoding="utf-8")
    raise WorkbookError([Problem(f"styles/{name}", "stylesheet not found")])
