"""Property-based tests: whatever the input, the loader, the schema checker (worksheets, brand
files, helplines), the Markdown extension, templates and stylesheets either succeed or raise
the project's own `WorkbookError`, never another exception; and what templates and stylesheets
make never refers to anything outside the book.

`bench/fuzz_loader.py` runs the same properties with many more examples.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.errors import Problems, WorkbookError
from workbook.sources.loader import load_book
from workbook.sources.markdown import make_parser, render_blocks
from workbook.sources.worksheets import FIELD_KEYS, read_worksheet
from workbook.sources.yamldata import load_yaml

# bench/fuzz_loader.py sets WORKBOOK_FUZZ_EXAMPLES to run many more.
SETTINGS = settings(
    max_examples=int(os.environ.get("WORKBOOK_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
MD = make_parser()

# Text made of the characters that matter to Markdown, YAML and our `::: reflect` extension.
MARKUP = st.text(
    alphabet=st.sampled_from(list("[]()!*_`~>#-+:|&;<>/\\\"'= \n\t\r\x00aZ1é\u2028\ufeff")),
    max_size=400,
)
LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "::: reflect",
                "::: reflect lines=3",
                "::: reflect lines=x",
                "::: reflecting",
                ":::",
                "---",
                "title: T",
                "- item",
                "![a](../pic.png)",
                "![b](https://x.example/y.png)",
                "| a | b |",
                "|---|---|",
                "> quote",
                "```",
            ]
        ),
        MARKUP,
    ),
    max_size=30,
).map("\n".join)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(sorted(FIELD_KEYS)),
)
KEYS = st.sampled_from(
    [
        "title",
        "instructions",
        "sections",
        "heading",
        "intro",
        "fields",
        "type",
        "label",
        "items",
        "points",
        "low",
        "high",
        "hint",
        "lines",
        "rows",
        "columns",
        "prompt",
        "width",
        "titel",
        "x",
    ]
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


def loads_or_workbook_error(function, *args) -> None:
    try:
        function(*args)
    except WorkbookError as error:
        assert error.problems, "a WorkbookError always says what is wrong"
        assert all(p.message for p in error.problems)


@SETTINGS
@given(LINES)
def test_markdown_extension_never_fails_another_way(body):
    loads_or_workbook_error(render_blocks, MD, body, "c.md", 5)


@SETTINGS
@given(st.one_of(MARKUP, LINES, st.text(max_size=300)))
def test_yaml_loader_never_fails_another_way(text):
    loads_or_workbook_error(load_yaml, text, "x.yaml")


@SETTINGS
@given(DATA)
def test_worksheet_schema_never_fails_another_way(data):
    text = yaml.safe_dump(data, allow_unicode=True)

    def read(text: str) -> None:
        problems = Problems()
        read_worksheet(load_yaml(text, "s.yaml"), "s", Path("s.yaml"), "s.yaml", problems)
        problems.raise_if_any()

    loads_or_workbook_error(read, text)


@SETTINGS
@given(
    chapter=st.one_of(st.binary(max_size=300), LINES.map(str.encode)),
    sheet=st.one_of(st.binary(max_size=300), DATA.map(lambda d: yaml.safe_dump(d).encode())),
    config=st.one_of(
        st.just(b'title = "T"\ncontents = ["c", "s"]\n'),
        st.binary(max_size=200),
        MARKUP.map(lambda t: f'title = "T"\ncontents = ["c", "s"]\n{t}'.encode()),
        st.integers(0, 5000).map(lambda n: ('contents = ["c"]\nx = ' + "[" * n).encode()),
    ),
)
def test_loader_never_fails_another_way(chapter, sheet, config):
    root = Path(tempfile.mkdtemp(prefix="workbook-fuzz-"))
    try:
        (root / "chapters").mkdir()
        (root / "workbook.toml").write_bytes(config)
        (root / "chapters/c.md").write_bytes(chapter)
        (root / "chapters/s.yaml").write_bytes(sheet)
        loads_or_workbook_error(load_book, root)
    finally:
        shutil.rmtree(root)


TOML_VALUES = st.sampled_from(
    [
        *('"x"', "3", "true", "2026-01-02", "12:00:00", "[]", '["a", 1]', "{a = 1}"),
        *('"\\u0007"', '"us"', '"xx"', '"#2a6f74"', '"blue"', '"logo.png"', '"../x.png"', '""'),
    ]
)
BRAND_KEYS = st.sampled_from(["practice", "phone", "region", "accent", "logo", "note", "pratice"])
BRAND_TOML = st.lists(
    st.one_of(
        st.tuples(BRAND_KEYS, TOML_VALUES).map(" = ".join),
        st.sampled_from(["[brand]", "[other]", "[[brand]]", "brand = 3"]),
        MARKUP,
    ),
    max_size=10,
).map("\n".join)
HELPLINE_KEYS = st.sampled_from(
    [
        *("regions", "services", "uk", "us", "xx", "name", "emergency", "region", "how"),
        *("source", "checked", "note", "nmae"),
    ]
)
HELPLINES = st.recursive(
    st.one_of(SCALARS, st.dates()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HELPLINE_KEYS, inner, max_size=6),
    max_leaves=25,
)


@SETTINGS
@given(brand=BRAND_TOML, helplines=HELPLINES)
def test_brand_and_helplines_never_fail_another_way(brand, helplines):
    root = Path(tempfile.mkdtemp(prefix="workbook-fuzz-"))
    try:
        (root / "chapters").mkdir()
        (root / "workbook.toml").write_text('title = "T"\ncontents = ["c"]\n', encoding="utf-8")
        (root / "chapters/c.md").write_text("---\ntitle: C\n---\nText\n", encoding="utf-8")
        (root / "brand.toml").write_text(brand, encoding="utf-8", errors="surrogatepass")
        (root / "helplines.yaml").write_text(yaml.safe_dump(helplines), encoding="utf-8")
        loads_or_workbook_error(load_book, root)
    finally:
        shutil.rmtree(root)


@pytest.mark.slow
@settings(SETTINGS, max_examples=max(10, SETTINGS.max_examples // 5))
@given(title=st.text(max_size=60), label=st.text(max_size=60), body=st.text(max_size=200))
def test_any_text_that_loads_also_renders_and_packages(title, label, body):
    """Text that passes the loader must not break the templates or the EPUB writer (control
    characters once did)."""
    from tests.outside_refs import outside_references
    from workbook.editions import Edition
    from workbook.render import render
    from workbook.writers.cover import draw_cover
    from workbook.writers.epub import write_epub

    root = Path(tempfile.mkdtemp(prefix="workbook-any-text-"))
    try:
        (root / "chapters").mkdir()
        config = f'title = {json.dumps(title)}\ncontents = ["c", "s"]\n'
        (root / "workbook.toml").write_text(config, encoding="utf-8", errors="surrogatepass")
        chapter = f"---\ntitle: {json.dumps(title or 'T')}\n---\n\n{body}\n"
        (root / "chapters/c.md").write_text(chapter, encoding="utf-8", errors="surrogatepass")
        field = {"type": "question", "label": label or "Q"}
        sheet = {"title": label or "S", "sections": [{"fields": [field]}]}
        (root / "chapters/s.yaml").write_text(json.dumps(sheet), encoding="utf-8")
        try:
            book = load_book(root)
        except WorkbookError:
            return
        rendered = render(book, Edition("epub"))
        write_epub(rendered, book.meta, draw_cover(book.meta), root / "out.epub")
        assert outside_references(root / "out.epub") == []
    finally:
        shutil.rmtree(root)


# --- templates and stylesheets --------------------------------------------------------------
# Any text a user may put in a template or a stylesheet renders safely or gives a WorkbookError:
# never another exception, and never an address outside the book in the EPUB it makes (looked
# at by the tests' own reader, tests/outside_refs.py, and by workbook's final check).

CSS_PIECES = st.sampled_from(
    [
        *("p ", "{ ", "} ", "; ", ": ", ", ", "\n", " ", "'", '"', "\\", "/**/", "/*", "*/"),
        *("background: ", "content: ", "url(", ")", "@import ", "@media print ", "@namespace "),
        *("image-set(", "src(", "u\\72l(", "h\\74 tp", "://", "//x.example/a.png", "http:"),
        *("https://x.example/b.css", "data:image/png;base64,iVBO", "#frag", "../../etc/passwd"),
        *("file:///etc/passwd", "javascript:go()", "fonts/x.ttf", "\\2f\\2f x.example", "<"),
        *("color: red", "@font-face ", "local(x)", "\\0", "\\A", "!important", "@page "),
    ]
)
TEMPLATE_PIECES = st.sampled_from(
    [
        *("{{ ", " }}", "{% ", " %}", "{# ", " #}", "if ", "for x in ", "endfor", "endif"),
        *("book.", "meta.title", "project_dir", "parts[0]", ".source", ".read_text()", "range("),
        *("10**9", " * ", "'x'", "|center(", "|format(", ")", "(", "namespace(", "super()"),
        *("<p>", "</p>", "<style>", "</style>", "<svg xmlns='http://www.w3.org/2000/svg'>"),
        *("</svg>", "<image href='", "https://x.example/t.png", "'/>", "<a href='"),
        *("javascript:go()", "<meta http-equiv='refresh' content='0;url=//x.example'/>"),
        *("<img alt='' src='", "<script>", "</script>", " onload='go()'", " style='"),
        *("url(", "h\\74 tp://x.example", "@import 'http://x.example/a.css';", "&#9;", "&"),
        *("<p xml:base='http://x.example/'>", "<foreignObject>", "</foreignObject>", "\n"),
    ]
)
_PROJECTS: dict[str, Path] = {}


def small_project(kind: str) -> Path:
    """One project per kind of property, made once and changed in one file per example."""
    if kind not in _PROJECTS:
        root = Path(tempfile.mkdtemp(prefix=f"workbook-{kind}-"))
        atexit.register(shutil.rmtree, root, True)
        (root / "chapters").mkdir()
        (root / "workbook.toml").write_text('title = "T"\ncontents = ["c", "s"]\n')
        (root / "chapters/c.md").write_text("---\ntitle: C\n---\n\nSome words.\n")
        sheet = {"title": "S", "sections": [{"fields": [{"type": "question", "label": "Q"}]}]}
        (root / "chapters/s.yaml").write_text(json.dumps(sheet))
        _PROJECTS[kind] = root
    return _PROJECTS[kind]


def renders_safely_or_says_why(kind: str, file: str, text: str) -> None:
    from tests.outside_refs import outside_references
    from workbook.editions import Edition
    from workbook.render import environment, render
    from workbook.writers.cover import draw_cover
    from workbook.writers.epub import write_epub
    from workbook.writers.final_check import output_problems

    root = small_project(kind)
    (root / file).parent.mkdir(exist_ok=True)
    (root / file).write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        book = load_book(root)
        env = environment(root)
        render(book, Edition("print"), env)
        rendered = render(book, Edition("epub"), env)
    except WorkbookError as error:
        assert error.problems and all(p.message for p in error.problems)
        return
    out = root / "out.epub"
    write_epub(rendered, book.meta, draw_cover(book.meta), out)
    assert outside_references(out) == []
    assert output_problems(out, "out.epub") == []


@contextlib.contextmanager
def quick_templates():
    """A template that runs long stops after a second here, not a minute."""
    module = importlib.import_module("workbook.render.environment")  # not the function
    saved = module.TEMPLATE_SECONDS
    module.TEMPLATE_SECONDS = 1.0
    try:
        yield
    finally:
        module.TEMPLATE_SECONDS = saved


@pytest.mark.slow
@settings(SETTINGS, max_examples=max(20, SETTINGS.max_examples // 5))
@given(st.lists(CSS_PIECES, max_size=40).map("".join))
def test_any_stylesheet_renders_safely_or_says_why(css):
    renders_safely_or_says_why("css", "styles/custom.css", css)


@pytest.mark.slow
@settings(SETTINGS, max_examples=max(20, SETTINGS.max_examples // 5))
@given(st.lists(TEMPLATE_PIECES, max_size=40).map("".join))
def test_any_template_renders_safely_or_says_why(template):
    with quick_templates():
        renders_safely_or_says_why("template", "templates/epub-part.html", template)
