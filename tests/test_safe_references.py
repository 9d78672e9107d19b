"""Outputs refer to nothing outside the book: stylesheets, `<style>` elements, `style`
attributes, `<meta>` and SVG logos are parsed (tinycss2, lxml), so an address hidden by a CSS
escape or a comment is found; and the final bytes of every output are checked again."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest

from tests.conftest import run
from workbook.writers.final_check import epub_problems, pdf_problems


def check(sample, *expected: str) -> str:
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


WEB = "would be fetched from the web; save the file in the workbook's folder instead"


# --- stylesheets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "address"),
    [
        ("p { background: url(h\\74 tps://x.example/a.png) }", "https://x.example/a.png"),
        ('@import/**/"http://x.example/a.css";', "http://x.example/a.css"),
        ("@import url(//x.example/b.css) screen;", "//x.example/b.css"),
        ('p { background: u\\72l("http://x.example/c.png") }', "http://x.example/c.png"),
        ('p { background: image-set("http://x.example/d.png" 1x) }', "http://x.example/d.png"),
        ("@media print { p { background: URL(//x.example/e.png) } }", "//x.example/e.png"),
    ],
    ids=["escape", "comment-in-import", "import-url", "escaped-function", "image-set", "nested"],
)
def test_stylesheet_addresses_are_read_as_a_browser_reads_them(sample, css, address):
    sample.write("styles/custom.css", "body { color: black }\n" + css + "\n")
    check(sample, f"styles/custom.css:2: '{address}' {WEB}")


def test_a_stylesheet_may_name_a_namespace_and_local_fonts(sample):
    sample.write(
        "styles/custom.css",
        '@namespace svg url(http://www.w3.org/2000/svg);\n@font-face { src: local("x") }\n'
        'p { content: "url(http://not.fetched/)" }\n',
    )
    assert run("check", "-p", str(sample.root)).exit_code == 0


def test_a_file_address_in_a_stylesheet_is_outside_the_epub(sample):
    sample.write("styles/custom.css", "p { background: url(file:///etc/hostname) }\n")
    check(sample, "styles/custom.css:1: 'file:///etc/hostname' is outside the book")


# --- templates: <style>, style="", <meta>, srcset, xml:base ---------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            "<style>p { background: url(http://x.example/b.png) }</style>",
            f"'http://x.example/b.png' {WEB}",
        ),
        ('<style>@import/**/"http://x.example/a.css";</style>', f"'http://x.example/a.css' {WEB}"),
        (
            '<p style="background: url(h\\74 tps://x.example/c.png)">x</p>',
            f"'https://x.example/c.png' {WEB}",
        ),
        (
            '<meta http-equiv="refresh" content="0;url=https://x.example/"/>',
            '<meta http-equiv="refresh"> is not allowed: a workbook\'s pages never reload or go '
            "elsewhere by themselves",
        ),
        (
            '<img alt="" src="a.png" srcset="a.png 1x, https://x.example/big.png 2x"/>',
            f"'https://x.example/big.png' {WEB}",
        ),
        (
            '<p xml:base="https://x.example/">x</p>',
            "xml:base is not allowed: it would send addresses elsewhere",
        ),
        ('<a href="java&#9;script:go()">x</a>', "a 'javascript:' address is not allowed"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/t.png"/></svg>',
            f"'https://x.example/t.png' {WEB}",
        ),
    ],
    ids=[
        "style",
        "style-import",
        "style-attribute",
        "meta-refresh",
        "srcset",
        "xml-base",
        "tab",
        "svg-image",
    ],
)
def test_templates_cannot_refer_outside_the_book(sample, markup, expected):
    sample.write("templates/cover.html", f"<section>\n{markup}\n</section>\n")
    check(sample, f"templates/cover.html:2: {expected}")


# --- SVG logos ------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        ("<script>alert(1)</script>", "logo.svg:2: the <script> element is not allowed"),
        (
            "<foreignObject><p>hi</p></foreignObject>",
            "logo.svg:2: the <foreignObject> element is not allowed",
        ),
        ('<rect onclick="go()"/>', "logo.svg:2: the event handler 'onclick' is not allowed"),
        (
            '<image href="https://x.example/track.png"/>',
            f"logo.svg:2: 'https://x.example/track.png' {WEB}",
        ),
        (
            '<image xlink:href="other.png"/>',
            "logo.svg:2: 'other.png' is another file; an SVG logo must hold everything it shows",
        ),
        (
            '<style>@import url("http://x.example/a.css");</style>',
            f"logo.svg:2: 'http://x.example/a.css' {WEB}",
        ),
        ('<rect fill="u\\72l(http://x.example/#g)"/>', f"logo.svg:2: 'http://x.example/#g' {WEB}"),
        (
            '<a href="#x"><set attributeName="href" to="javascript:go()"/></a>',
            "logo.svg:2: <set> may not change where a link leads",
        ),
    ],
    ids=[
        "script",
        "foreignObject",
        "handler",
        "remote-image",
        "other-file",
        "import",
        "fill-url",
        "set-href",
    ],
)
def test_svg_logos_are_parsed_and_refused_when_unsafe(sample, inside, expected):
    sample.write("logo.svg", f"{SVG}{inside}\n</svg>\n")
    sample.write("brand.toml", 'practice = "Harbor"\nlogo = "logo.svg"\n')
    check(sample, expected)


def test_svg_logo_entities_and_stylesheets_are_refused(sample):
    sample.write(
        "logo.svg",
        '<?xml-stylesheet href="http://x.example/a.css"?>\n'
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
        f"{SVG}<text>&x;</text></svg>\n",
    )
    sample.write("brand.toml", 'logo = "logo.svg"\n')
    check(
        sample,
        "logo.svg: a DOCTYPE that declares entities is not allowed",
        "logo.svg:1: <?xml-stylesheet?> is not allowed",
    )


def test_a_plain_svg_logo_with_its_doctype_is_fine(sample):
    sample.write(
        "logo.svg",
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'{SVG}<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="4" height="4"/>'
        '<a href="https://harbor.example/"><text>Harbor</text></a></svg>\n',
    )
    sample.write("brand.toml", 'practice = "Harbor"\nlogo = "logo.svg"\n')
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 0, result.output


# --- the final bytes ------------------------------------------------------------------------


def epub_with(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


XHTML = (
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{}</body></html>'
)


def test_every_epub_member_is_checked(tmp_path):
    path = tmp_path / "hostile-outputs/book.epub"
    path.parent.mkdir()
    path.write_bytes(
        epub_with(
            {
                "EPUB/text/a.xhtml": XHTML.format('<img alt="" src="../../../etc/passwd"/>'),
                "EPUB/text/b.xhtml": XHTML.format('<a href="https://help.example/">help</a>'),
                "EPUB/style/book.css": "p {}\n@import 'h\\74 tp://x.example/a.css';",
                "EPUB/images/logo.svg": f"{SVG}<script>go()</script></svg>",
                "EPUB/content.opf": '<package xmlns="http://www.idpf.org/2007/opf"><metadata/>'
                '<manifest><item id="r" href="https://x.example/r.css" media-type="text/css"/>'
                "</manifest></package>",
                "../outside.txt": "x",
            }
        )
    )
    found = [str(p) for p in epub_problems(path, "book.epub")]
    assert found == [
        "book.epub/EPUB/text/a.xhtml:1: '../../../etc/passwd' is outside the book; save the "
        "file in the workbook's folder instead",
        f"book.epub/EPUB/style/book.css:2: 'http://x.example/a.css' {WEB}",
        "book.epub/EPUB/images/logo.svg:2: the <script> element is not allowed in a workbook",
        f"book.epub/EPUB/content.opf:1: 'https://x.example/r.css' {WEB}",
        "book.epub: '../outside.txt' is a file name outside the book",
    ]


def test_the_default_outputs_pass_the_final_check(default_build):
    for path in sorted(default_build.iterdir()):
        if path.suffix == ".pdf":
            assert pdf_problems(path, path.name) == []
        elif path.suffix == ".epub":
            assert epub_problems(path, path.name) == []


def pdf_with(annotation: dict) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(annotation)]))
    return pdf


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ({"/S": pikepdf.Name.URI, "/URI": "https://help.example/"}, None),
        (
            {"/S": pikepdf.Name.URI, "/URI": "javascript:app.alert(1)"},
            "a link in it: a 'javascript:' address is not allowed",
        ),
        ({"/S": pikepdf.Name.JavaScript, "/JS": "app.alert(1)"}, "it holds a script"),
        ({"/S": pikepdf.Name.Launch, "/F": "/bin/sh"}, "a Launch action is not allowed"),
        ({"/S": pikepdf.Name.GoToR, "/F": "other.pdf"}, "a GoToR action is not allowed"),
    ],
    ids=["web-link", "javascript", "script", "launch", "other-file"],
)
def test_pdf_links_may_open_web_pages_and_nothing_else(tmp_path, action, expected):
    path = tmp_path / "hostile-outputs/x.pdf"
    path.parent.mkdir()
    pdf_with({"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name.Link, "/A": action}).save(path)
    found = [str(p) for p in pdf_problems(path, "x.pdf")]
    if expected is None:
        assert found == []
    else:
        assert any(p.startswith("x.pdf: " + expected) for p in found), found


def test_pdf_attachments_are_refused(tmp_path):
    path = tmp_path / "hostile-outputs/x.pdf"
    path.parent.mkdir()
    pdf = pdf_with({"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name.FileAttachment})
    pdf.save(path)
    assert [str(p) for p in pdf_problems(path, "x.pdf")] == [
        "x.pdf: a FileAttachment annotation is not allowed (no attachments or media)"
    ]


@pytest.mark.slow
def test_the_final_check_stops_the_build_with_nothing_written(sample, monkeypatch):
    """With the check at render time switched off, the EPUB's own bytes are still checked."""
    monkeypatch.setattr("workbook.render._check_safe", lambda *args: None)
    monkeypatch.setenv("WORKBOOK_JOBS", "1")
    sample.write(
        "templates/epub-part.html",
        '{% extends "default:epub-part.html" %}{% block body %}{{ super() }}'
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/t.png"/></svg>'
        "{% endblock %}",
    )
    result = sample.build()
    assert result.exit_code == 1
    assert "sample.epub/EPUB/text/intro.xhtml:" in result.output
    assert f"'https://x.example/t.png' {WEB}" in result.output
    assert not (sample.root / "output").exists() or not any((sample.root / "output").iterdir())


@pytest.mark.slow
def test_check_outputs_finds_addresses_outside_the_book(sample, tmp_path):
    folder = tmp_path / "hostile-outputs"
    folder.mkdir()
    (folder / "sample.epub").write_bytes(
        epub_with({"EPUB/style/book.css": "p { background: url(//x.example/a.png) }"})
    )
    result = run("check", "-p", str(sample.root), "--outputs", str(folder))
    assert result.exit_code == 1
    assert f"sample.epub/EPUB/style/book.css:1: '//x.example/a.png' {WEB}" in result.output


def test_every_page_of_the_web_edition_is_checked(tmp_path):
    from workbook.writers.final_check import SITE_SCRIPT, site_problems

    site = tmp_path / "hostile-outputs/book-site"
    (site / "assets").mkdir(parents=True)
    (site / "assets/site.js").write_bytes(SITE_SCRIPT.read_bytes() + b"\nfetch('//x.example')")
    (site / "assets/site.css").write_text("p { background: url(../../secret.png) }")
    (site / "index.html").write_text(
        "<!DOCTYPE html><html><head>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'"/>'
        '<script src="assets/site.js" defer></script></head><body>\n'
        '<a href="tel:+15550100">call</a><img alt="" src="https://x.example/p.png"/>\n'
        "<script>go()</script></body></html>"
    )
    assert [str(p) for p in site_problems(site, "book-site")] == [
        "book-site/assets/site.css:1: '../../secret.png' is outside the book; save the file in "
        "the workbook's folder instead",
        "book-site/assets/site.js: is not the web edition's own script",
        f"book-site/index.html:2: 'https://x.example/p.png' {WEB}",
        "book-site/index.html:3: the <script> element is not allowed in a workbook",
    ]


@pytest.mark.slow
def test_the_final_check_reads_the_web_edition_too(sample, monkeypatch):
    monkeypatch.setattr("workbook.render._check_safe", lambda *args: None)
    monkeypatch.setenv("WORKBOOK_JOBS", "1")
    sample.write(
        "templates/site-part.html",
        '{% extends "default:site-part.html" %}{% block main %}{{ super() }}'
        "<script>go()</script>{% endblock %}",
    )
    result = sample.build("--edition", "html")
    assert result.exit_code == 1, result.output
    assert "sample-site/intro.html:" in result.output
    assert "the <script> element is not allowed in a workbook" in result.output
    assert not (sample.root / "output").exists() or not any((sample.root / "output").iterdir())
