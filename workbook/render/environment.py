"""The template environment: sandboxed Jinja2, the workbook's own templates over the bundled
ones, and template failures turned into problems that name the template file and line.

A project's own `templates/` override the bundled ones file by file; an override can extend the
one it replaces as "default:NAME".
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from workbook.errors import Problem, WorkbookError
from workbook.render.contact import reach_links
from workbook.render.pages import page_keys
from workbook.resources import bundled_templates
from workbook.safefiles import read_text

MAX_TEMPLATE_BYTES = 2_000_000
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
    env.filters["reach_links"] = reach_links
    env.project_dir = project_dir
    return env


def fill(env: jinja2.Environment, name: str, context: dict[str, object], **extra: object) -> str:
    """The template `name` filled in; any failure is a problem naming the template and line."""
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
