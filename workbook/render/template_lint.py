"""`workbook check` finds a block in a workbook's own template that changes nothing: a
template that changes part of a bundled one (`{% extends "default:cover.html" %}`) shows only
the blocks the bundled one has, so `{% block cover_notes %}` (a slip for `cover_note`) is
silently ignored."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from workbook.errors import Problem, did_you_mean
from workbook.render.environment import project_templates
from workbook.safefiles import display_name

MAX_CHAIN = 20  # extends inside extends: far past any real template


def block_problems(env: jinja2.Environment, project_dir: Path) -> list[Problem]:
    problems = []
    for path in project_templates(project_dir):
        if path.suffix not in (".html", ".j2", ".xhtml"):
            continue
        file = display_name(path, project_dir)
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
            continue  # the render reports it, with its line
        parent = _extends(tree)
        if parent is None or not parent.startswith("default:"):
            continue  # a template of its own may add blocks for the ones that extend it
        known = _blocks_of(env, parent)
        if known is None:
            continue
        for block in tree.find_all(nodes.Block):
            if block.name not in known:
                hint = did_you_mean(block.name, sorted(known))
                message = (
                    f"the block '{block.name}' is not in {parent}, so it changes nothing{hint}"
                )
                problems.append(Problem(file, message, block.lineno))
    return problems


def _extends(tree: nodes.Template) -> str | None:
    found = next(tree.find_all(nodes.Extends), None)
    if found is None or not isinstance(found.template, nodes.Const):
        return None
    name = found.template.value
    return name if isinstance(name, str) else None


def _blocks_of(env: jinja2.Environment, name: str) -> set[str] | None:
    """Every block in `name` and the templates it extends; None if one cannot be read."""
    blocks: set[str] = set()
    for _ in range(MAX_CHAIN):
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            tree = env.parse(source)
        except jinja2.TemplateError:
            return None
        blocks |= {block.name for block in tree.find_all(nodes.Block)}
        parent = _extends(tree)
        if parent is None:
            return blocks
        name = parent
    return blocks
