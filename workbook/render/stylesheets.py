"""An edition's stylesheet: its files and CSS templates joined in cascade order, each checked
for anything that would reach outside the book."""

from __future__ import annotations

import os
from pathlib import Path

from workbook.editions import Edition
from workbook.errors import Problem, WorkbookError
from workbook.render.css_refs import css_problems
from workbook.render.environment import MAX_TEMPLATE_BYTES, Environment, fill
from workbook.resources import bundled_styles
from workbook.safefiles import read_text

# Where an EPUB's and the web edition's stylesheet are (their addresses are read from there).
EPUB_STYLESHEET = "EPUB/style/book.css"
SITE_STYLESHEET = "assets/site.css"


def edition_css(
    env: Environment, project_dir: Path, edition: Edition, context: dict[str, object]
) -> str:
    at = SITE_STYLESHEET if edition.site else EPUB_STYLESHEET if edition.packaged else None
    sheets = (_stylesheet(env, project_dir, name, context, at) for name in edition.stylesheets())
    return "\n".join(sheets)


def _stylesheet(
    env: Environment, project_dir: Path, name: str, context: dict[str, object], at: str | None
) -> str:
    """`.css.j2` names are templates; `.css` files come from the workbook's styles/ folder,
    else from the bundled one. Each is checked where it will be: in the EPUB (`at`) or the
    PDF."""
    if name.endswith(".j2"):
        return _checked(fill(env, name, context), f"templates/{name}", at)
    own = project_dir / "styles" / name
    if os.path.lexists(own):
        css = read_text(own, f"styles/{name}", (project_dir,), MAX_TEMPLATE_BYTES)
        return _checked(css, f"styles/{name}", at)
    if (bundled_styles() / name).is_file():
        return (bundled_styles() / name).read_text(encoding="utf-8")
    raise WorkbookError([Problem(f"styles/{name}", "stylesheet not found")])


def _checked(css: str, file: str, at: str | None) -> str:
    problems = css_problems(css, file, at)
    if problems:
        raise WorkbookError(problems)
    return css
