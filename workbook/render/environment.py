"""The template environment: sandboxed Jinja2, the workbook's own templates over the bundled
ones, and template failures turned into problems that name the template file and line.

A project's own `templates/` override the bundled ones file by file; an override can extend the
one it replaces as "default:NAME". Templates see plain data (render/view.py), run in the
sandbox (render/sandbox.py) and within a time and memory ceiling (render/runaway.py).
"""

from __future__ import annotations

import os
import stat
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2

from workbook.errors import Problem, WorkbookError
from workbook.render.contact import reach_links
from workbook.render.cssvalues import css_colour, css_string
from workbook.render.links import book_links, text_links
from workbook.render.pages import page_keys
from workbook.render.runaway import (
    MEMORY_BYTES,
    TEMPLATE_SECONDS,
    TemplateTimeout,
    deadline,
    memory_ceiling,
)
from workbook.render.sandbox import Sandbox, TooMuch
from workbook.render.view import for_templates
from workbook.resources import bundled_templates
from workbook.safefiles import read_text

MAX_TEMPLATE_BYTES = 2_000_000
MAX_OUTPUT = 100_000_000  # characters one template may make: many times the largest book
PROJECT_FOLDERS = ("templates", "styles")
Environment = jinja2.Environment  # for type hints in other modules


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


class _Environment(Sandbox):
    """Sandboxed: a template handed around with a workbook cannot reach Python's insides.
    It knows its project, to name template files as the reader knows them."""

    project_dir: Path | None = None


def environment(project_dir: Path) -> jinja2.Environment:
    check_project_folders(project_dir)
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
    env.filters["css_string"] = css_string
    env.filters["css_colour"] = css_colour
    env.filters["reach_links"] = reach_links
    env.filters["book_links"] = book_links
    env.filters["text_links"] = text_links
    env.project_dir = project_dir
    return env


def check_project_folders(project_dir: Path) -> None:
    """The workbook's templates/ and styles/, if there, must be folders inside it: a link to a
    folder elsewhere (or to /proc, a device) would bring outside files into the book."""
    root = project_dir.resolve()
    problems = []
    for name in PROJECT_FOLDERS:
        folder = project_dir / name
        if not os.path.lexists(folder):
            continue
        real = folder.resolve()
        if not real.is_relative_to(root):
            message = "cannot be used: it is a link to a folder outside the workbook's folder"
            problems.append(Problem(name, f"{message}; copy the files in"))
        elif not stat.S_ISDIR(_mode(real)):
            problems.append(Problem(name, "cannot be used: it is not a folder"))
    if problems:
        raise WorkbookError(problems)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode
    except OSError:
        return 0


def project_templates(project_dir: Path) -> list[Path]:
    """The workbook's own template files: regular files in templates/, not followed into
    linked folders."""
    found = []
    for folder, _, names in os.walk(project_dir / "templates", followlinks=False):
        for name in names:
            path = Path(folder, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
    return sorted(found)


class TemplateRunaway(WorkbookError):
    """A template that would not stop or grew past its limits: `workbook check` stops at the
    first, as every other render of that template would run away the same way."""


RUNAWAY = (
    (
        TemplateTimeout,
        "it took longer than {seconds:g} seconds and was stopped; look for a loop inside a "
        "loop, or one that never ends",
    ),
    (
        MemoryError,
        "it needs more memory than a workbook may use; look for a loop or a repeat that makes "
        "very long text",
    ),
    (
        RecursionError,
        "it calls itself without end (a macro, include or extends that leads back to itself)",
    ),
)


def fill(env: jinja2.Environment, name: str, context: dict[str, object], **extra: object) -> str:
    """The template `name` filled in with plain data; any failure is a problem naming the
    template and line."""
    given = {key: for_templates(value) for key, value in {**context, **extra}.items()}
    try:
        with deadline(TEMPLATE_SECONDS), memory_ceiling(MEMORY_BYTES):
            return _generate(env.get_template(name), given)
    except (TemplateTimeout, MemoryError, RecursionError, TooMuch) as error:
        said = [text for kind, text in RUNAWAY if isinstance(error, kind)]
        message = f"template error: {said[0].format(seconds=TEMPLATE_SECONDS) if said else error}"
        raise TemplateRunaway([_located(env, name, error, message, own_first=True)]) from None
    except jinja2.TemplateSyntaxError as error:
        where = _template_file(env, error.filename or error.name or name)
        message = f"template error: {error.message}"
        raise WorkbookError([Problem(where, message, error.lineno)]) from None
    except jinja2.TemplateNotFound as error:
        message = f"the template '{error.name}' was not found"
        raise WorkbookError([_located(env, name, error, message)]) from None
    except jinja2.UndefinedError as error:
        message = f"template error: {error.message}"
        raise WorkbookError([_located(env, name, error, message)]) from None
    except jinja2.TemplateError as error:  # e.g. the sandbox refusing unsafe attribute access
        raise WorkbookError([_located(env, name, error, f"template error: {error}")]) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        message = f"template error: {type(error).__name__}: {error}"
        raise WorkbookError([_located(env, name, error, message)]) from None


def _generate(template: jinja2.Template, context: dict[str, object]) -> str:
    """The template's text, refused once it passes MAX_OUTPUT characters."""
    pieces: list[str] = []
    size = 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TooMuch(f"it makes more than {MAX_OUTPUT:,} characters; look for a loop")
        pieces.append(piece)
    return "".join(pieces)


def _located(
    env: jinja2.Environment, name: str, error: BaseException, message: str, own_first: bool = False
) -> Problem:
    """The template file and line where rendering failed, from the traceback: Jinja maps
    the frames of compiled templates back to their source files and lines. `own_first`: the
    workbook's own template, if any is on the way (a loop through a bundled one is still
    the workbook's doing)."""
    where, line = f"templates/{name}", None
    own: tuple[str, int | None] | None = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".j2", ".xhtml", ".css")):
            # A frame Jinja has not mapped back (a BaseException passes by it) still knows its
            # template, which knows which of its lines this is.
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                lineno = template.get_corresponding_lineno(lineno)
            where, line = _template_file(env, filename), lineno
            if not where.endswith("(bundled)"):
                own = where, line
    if own_first and own is not None:
        where, line = own
    return Problem(where, message[:500], line)


def _template_file(env: jinja2.Environment, filename: str) -> str:
    """A template's path as the reader knows it: templates/NAME, marked when bundled."""
    path = Path(filename)
    project = getattr(env, "project_dir", None)
    if isinstance(project, Path) and path.is_relative_to(project):
        return path.relative_to(project).as_posix()
    if path.is_relative_to(bundled_templates()):
        return f"templates/{path.relative_to(bundled_templates()).as_posix()} (bundled)"
    return filename
