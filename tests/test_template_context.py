"""What templates see: plain data only. Every value any template is given, for every format,
option and paper, a client's page and a branded book with a logo and a picture, is walked
(dataclass fields, properties, mappings, sequences); none may have a method that touches files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from types import ModuleType

import jinja2
import pytest
from PIL import Image

from workbook.commands.check import _editions, _render
from workbook.render import environment
from workbook.sources.loader import load_book

# Methods that read, write, list or remove files, or run programs.
FILE_METHODS = {
    *("open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir"),
    *("rmdir", "touch", "rename", "symlink_to", "hardlink_to", "chmod", "iterdir", "glob"),
    *("rglob", "readlink", "write", "read", "readlines", "fileno", "truncate", "makedirs"),
    *("system", "popen", "exec_module", "load_module", "spawn"),
}
# Functions that do, by name (a list's `remove` and a dict's `copy` are no danger as methods).
FILE_FUNCTIONS = FILE_METHODS | {"remove", "copy", "copyfile", "rmtree"}
PLAIN = (str, bytes, int, float, bool, type(None), dt.date, jinja2.runtime.Undefined)


def file_methods(value: object, where: str, seen: set[int], found: list[str]) -> None:
    """Every way to reach a file from `value`, as 'where.attribute: what'."""
    if isinstance(value, PLAIN) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, PurePath | ModuleType):
        found.append(f"{where}: a {type(value).__name__}")
        return
    if callable(value) and getattr(value, "__name__", "") in FILE_FUNCTIONS:
        found.append(f"{where}: the function {value.__name__}")
    for name in FILE_METHODS:
        if callable(getattr(value, name, None)):
            found.append(f"{where}: {type(value).__name__}.{name}()")
    for key, item in children(value):
        file_methods(item, f"{where}{key}", seen, found)


def children(value: object) -> list[tuple[str, object]]:
    if isinstance(value, Mapping):
        return [(f"[{key!r}]", item) for key, item in value.items()] + [
            (f"[key {key!r}]", key) for key in value
        ]
    if isinstance(value, list | tuple | set | frozenset):
        return [(f"[{index}]", item) for index, item in enumerate(value)]
    found = []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found += [(f".{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value)]
    for name in dir(type(value)):
        if not name.startswith("_") and isinstance(getattr(type(value), name, None), property):
            found.append((f".{name}", getattr(value, name)))
    return found


def picture(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), (200, 120, 40)).save(path)


@pytest.fixture
def contexts(sample, monkeypatch):
    """Every context any template is rendered with, by `workbook check`'s renders."""
    picture(sample.root / "logo.png")
    picture(sample.root / "chapters/sun.png")
    sample.write("brand.toml", 'practice = "Harbor"\nlogo = "logo.png"\nnote = "Hello"\n')
    sample.write("chapters/intro.md", "---\ntitle: Pictures\n---\n\n![The sun](sun.png)\n")
    seen: list[dict[str, object]] = []
    original = jinja2.Template.new_context

    def recording(self, vars=None, shared=False, locals=None):
        seen.append(dict(vars or {}))
        return original(self, vars, shared, locals)

    monkeypatch.setattr(jinja2.Template, "new_context", recording)
    book = load_book(sample.root)
    env = environment(book.project_dir)
    for edition in _editions(book):
        _render(book, edition, env)
    assert len(seen) > 50
    return seen, env


def test_templates_are_given_plain_data_only(contexts):
    seen, env = contexts
    found: list[str] = []
    for context in seen:
        file_methods(context, "context", set(), found)
    file_methods(dict(env.globals), "globals", set(), found)
    assert not found, "\n".join(sorted(set(found)))


def test_the_walk_finds_a_path_however_deep(tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Inner:
        files: tuple[object, ...]

    class Holder:
        @property
        def inner(self):
            return Inner(({"x": [tmp_path]},))

    found: list[str] = []
    file_methods({"holder": Holder()}, "context", set(), found)
    assert found == ["context['holder'].inner.files[0]['x'][0]: a PosixPath"]
