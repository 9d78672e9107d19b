"""Untrusted templates, styles and images: nothing leaves the machine, no local file leaks in,
no script reaches an output. Checked with `workbook check` (no build) and the fetcher itself."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from tests.conftest import run
from workbook.sources.loader import load_book
from workbook.writers.fetcher import RefusedURL, SafeFetcher


def check(sample, *expected: str) -> str:
    result = run("check", "-p", str(sample.root))
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


def picture(path, size=(40, 20)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 120, 40)).save(path)
    return path


# --- templates ------------------------------------------------------------------------------


def test_template_syntax_error_names_file_and_line(sample):
    sample.write("templates/cover.html", "<p>\n{% if %}\n</p>\n")
    check(sample, "templates/cover.html:2: template error: Expected an expression")


def test_undefined_variable_names_the_included_template_and_line(sample):
    sample.write("templates/toc.html", "<nav>\n\n{{ book.meta.nope }}\n</nav>\n")
    check(
        sample,
        "templates/toc.html:3: template error: 'workbook.model.Metadata object'"
        " has no attribute 'nope'",
    )


def test_missing_included_template(sample):
    sample.write("templates/cover.html", "x\n{% include 'gone.html' %}\n")
    check(sample, "templates/cover.html:2: the template 'gone.html' was not found")


def test_templates_are_sandboxed(sample):
    sample.write("templates/cover.html", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    check(sample, "templates/cover.html:1: template error: access to attribute '__class__'")


def test_a_template_can_extend_the_bundled_one(sample):
    sample.write("templates/cover.html", '{% extends "default:cover.html" %}\n')
    assert run("check", "-p", str(sample.root)).exit_code == 0


def test_a_template_linking_out_of_the_workbook(sample, tmp_path):
    (tmp_path / "elsewhere.html").write_text("private")
    (sample.root / "templates").mkdir()
    (sample.root / "templates/cover.html").symlink_to(tmp_path / "elsewhere.html")
    check(sample, "templates/cover.html: cannot be used: it is a link to a file outside")


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<script>alert(1)</script>", "the <script> element is not allowed"),
        ('<iframe src="x.html"></iframe>', "the <iframe> element is not allowed"),
        ('<p onclick="go()">x</p>', "the event handler 'onclick' is not allowed"),
        ('<a href=" JavaScript:go()">x</a>', "a 'JavaScript:' address is not allowed"),
        (
            '<img src="https://tracker.example/p.png"/>',
            "'https://tracker.example/p.png' would be fetched from the web",
        ),
        ('<link rel="attachment" href="../workbook.toml"/>', "attachments are not allowed"),
        (
            '<p style="background: url(//x.example/a.png)">x</p>',
            "'//x.example/a.png' would be fetched from the web; save the file in the"
            " workbook's folder instead",
        ),
    ],
)
def test_templates_cannot_put_scripts_or_web_fetches_in_outputs(sample, markup, expected):
    sample.write("templates/cover.html", f"<section>\n{markup}\n</section>\n")
    check(sample, f"templates/cover.html:2: {expected}")


def test_links_to_the_web_are_fine(sample):
    sample.write("templates/cover.html", '<a href="https://example.org/help">Help</a>\n')
    assert run("check", "-p", str(sample.root)).exit_code == 0


def test_stylesheets_cannot_fetch_from_the_web(sample):
    sample.write(
        "styles/print.css",
        'body { color: black }\n@import "https://x.example/a.css";\n'
        "p { background: url( 'http://x.example/b.png' ) }\n",
    )
    check(
        sample,
        "styles/print.css:2: 'https://x.example/a.css' would be fetched from the web",
        "styles/print.css:3: 'http://x.example/b.png' would be fetched from the web",
    )


def test_a_stylesheet_linking_out_of_the_workbook(sample, tmp_path):
    (tmp_path / "elsewhere.css").write_text("body { color: red }")
    (sample.root / "styles").mkdir()
    (sample.root / "styles/print.css").symlink_to(tmp_path / "elsewhere.css")
    check(sample, "styles/print.css: cannot be used: it is a link to a file outside")


def test_user_text_is_escaped_in_templates(sample):
    sample.config(contents=["intro", "sheet"], extra="")
    text = (sample.root / "workbook.toml").read_text().replace('"Sample"', '"<script>x</script>"')
    sample.write("workbook.toml", text)
    assert run("check", "-p", str(sample.root)).exit_code == 0  # escaped: text, not a script


# --- chapter images -------------------------------------------------------------------------


def chapter_with(sample, markdown: str) -> None:
    sample.write("chapters/intro.md", f"---\ntitle: Pictures\n---\n\n{markdown}\n")


def test_images_inside_the_workbook_are_kept(sample):
    picture(sample.root / "pictures/sun.png")
    picture(sample.root / "chapters/pics/sky.jpg")
    chapter_with(sample, "![Sun](../pictures/sun.png) ![Sky](pics/sky.jpg)")
    chapter = load_book(sample.root).parts[0]
    assert [m.name for m in chapter.media] == ["pictures/sun.png", "chapters/pics/sky.jpg"]
    assert '<img src="../pictures/sun.png" alt="Sun"' in chapter.blocks[0]


def test_images_that_are_refused_name_the_chapter_and_line(sample, tmp_path):
    picture(tmp_path / "outside.png")
    (sample.root / "pictures").mkdir()
    (sample.root / "pictures/link.png").symlink_to(tmp_path / "outside.png")
    (sample.root / "pictures/zero.png").symlink_to("/dev/zero")
    os.mkfifo(sample.root / "pictures/pipe.png")
    picture(sample.root / "cover.png")
    sample.write("pictures/fake.png", "not an image")
    chapter_with(
        sample,
        "![](https://tracker.example/a.png)\n![](//cdn.example/b.png)\n![](../../outside.png)\n"
        "![](../pictures/link.png)\n![](../pictures/zero.png)\n![](../pictures/pipe.png)\n"
        "![](/etc/passwd)\n![](../workbook.toml)\n![](nothing.png)\n"
        "![](data:image/png;base64,iVBORw0KGgo=)\n![](../cover.png)\n"
        "![](../pictures/fake.png)",
    )
    output = check(sample)
    lines = [line.strip() for line in output.splitlines()[1:]]
    reasons = [line.split(" cannot be used: ")[1] for line in lines]
    assert [line.split(": the image")[0] for line in lines] == [
        f"chapters/intro.md:{n}" for n in range(5, 17)
    ]
    assert reasons == [
        "it is on the web, and workbook never goes online; save it in the folder",
        "it is on the web, and workbook never goes online; save it in the folder",
        "it is outside the workbook's folder",
        "it is a link to a file outside the workbook's folder; copy the file in",
        "it is a link to a file outside the workbook's folder; copy the file in",
        "it is a device or pipe, not a file",
        "give its path from the chapters folder, like ../pictures/name.png",
        "use a PNG, JPEG, GIF or WebP image",
        "there is no such file",
        "only image files saved in the workbook's folder can be used",
        "'cover.png' would take the name of the EPUB's cover or logo; rename the file",
        "it is not an image file Pillow can read",
    ]


def test_an_image_too_large_in_pixels(sample, monkeypatch):
    monkeypatch.setattr("workbook.sources.media.MAX_IMAGE_PIXELS", 100)
    picture(sample.root / "chapters/big.png", size=(20, 20))
    chapter_with(sample, "![](big.png)")
    check(
        sample,
        "chapters/intro.md:5: the image 'big.png' cannot be used: it has more than 100 pixels",
    )


# --- the fetcher: what WeasyPrint may read --------------------------------------------------


@pytest.fixture
def fetcher(sample) -> SafeFetcher:
    return SafeFetcher((sample.root,))


def test_fetcher_serves_files_inside_the_workbook(fetcher, sample):
    png = picture(sample.root / "pictures/a.png")
    response = fetcher.fetch(png.as_uri())
    assert response.read() == png.read_bytes()
    assert response.content_type == "image/png"
    assert fetcher.refused == []
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.org/a.png", "no web addresses"),
        ("http://127.0.0.1/a.css", "no web addresses"),
        ("ftp://example.org/a.png", "no web addresses"),
        ("file://otherhost/etc/passwd", "no web addresses"),
        ("file:///etc/passwd", "it is outside the workbook's folder"),
        ("file:///dev/zero", "it is outside the workbook's folder"),
    ],
)
def test_fetcher_refuses_and_remembers(fetcher, url, reason):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert len(fetcher.refused) == 1
    assert fetcher.refused[0].startswith(f"{url}: ") and reason in fetcher.refused[0]


def test_fetcher_refuses_links_out_devices_and_dotdot(fetcher, sample, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    (sample.root / "link.css").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(sample.root / "pipe.css")
    for name, reason in [
        ("link.css", "a link to a file outside"),
        ("pipe.css", "a device or pipe"),
        ("chapters/../../secret.txt", "outside the workbook's folder"),
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(f"file://{sample.root}/{name}")
        assert reason in fetcher.refused[-1]
