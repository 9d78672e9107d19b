"""Every answer of the fillable PDF, filled long, saved, read back by pypdf and printed by
poppler (as a viewer built on it prints: `pdftocairo -pdf` draws the fields into the page),
shows in full inside its box."""

from __future__ import annotations

import collections
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

pytestmark = pytest.mark.slow

MULTILINE = 1 << 12
ANSWER = (
    "When I said the session felt rushed, my therapist stopped, asked what I needed, and we "
    "agreed to leave ten minutes at the end. I felt heard, and a little braver."
)
LINE = "My sister's flat, the library on Mill Road, the bench by the river"
XHTML = {"h": "http://www.w3.org/1999/xhtml"}


def answers(path: Path) -> dict[str, str]:
    """A realistic answer for every text field: a number in a number's box, a whole date in
    a date's, a few sentences where there is room for them, a long line on a line."""
    found = {}
    with pikepdf.open(path) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if field.get("/FT") != "/Tx":
                continue
            length = int(field.get("/MaxLen", 0))
            if 0 < length <= 4:
                answer = "7"
            elif str(field.get("/TU", "")).startswith("Date"):
                answer = "12/03/2026"
            else:
                answer = ANSWER if int(field.get("/Ff", 0)) & MULTILINE else LINE
            found[str(field.T)] = answer[: length or None]
    return found


@pytest.fixture(scope="module")
def filled(default_fillable, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    values = answers(default_fillable)
    writer = PdfWriter(clone_from=PdfReader(default_fillable))
    writer.set_need_appearances_writer(True)  # viewers draw each field from its value
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
    target = tmp_path_factory.mktemp("filled-long") / "filled.pdf"
    writer.write(target)
    return target, values


def test_pypdf_reads_every_long_answer_back(filled):
    path, values = filled
    fields = PdfReader(path).get_fields() or {}
    assert len(values) > 300
    assert {name: str(fields[name].get("/V")) for name in values} == values


def printed_words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points from the top left), as poppler prints it."""
    printed = path.with_name("printed.pdf")
    subprocess.run(["pdftocairo", "-pdf", str(path), str(printed)], check=True)
    xml = subprocess.run(["pdftotext", "-bbox", str(printed), "-"], capture_output=True)
    pages = etree.fromstring(xml.stdout).findall(".//h:page", XHTML)
    return [
        [
            (*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
            for w in page.findall(".//h:word", XHTML)
        ]
        for page in pages
    ]


def test_poppler_prints_every_long_answer_whole_inside_its_box(filled):
    path, values = filled
    pages = printed_words(path)
    cut: list[str] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            height = float(page.mediabox[3])
            for widget in page.obj.get("/Annots", []):
                name = str(widget.get("/T", widget.get("/Parent", {}).get("/T", "")))
                if name not in values:
                    continue
                x1, y1, x2, y2 = (float(v) for v in widget.Rect)
                top, bottom = height - y2, height - y1
                inside = [
                    word
                    for left, upper, right, lower, word in pages[number]
                    if x1 - 1 <= left
                    and right <= x2 + 1
                    and top - 1 <= upper
                    and lower <= bottom + 1
                ]
                want = values[name].split()
                if collections.Counter(inside) != collections.Counter(want):
                    cut.append(f"{name} (page {number + 1}): {' '.join(inside)!r}")
    assert not cut, "\n".join(cut)


PDFJS = Path(__file__).parent.parent / "tools" / "pdfjs" / "node_modules" / "pdfjs-dist" / "build"
SCALE = 2  # pixels per point
VIEWER = """<!doctype html><html><body><script type="module">
import * as pdfjs from "./pdf.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "./pdf.worker.mjs";
const loading = pdfjs.getDocument({url: "./filled.pdf", isEvalSupported: false}).promise;
async function draw(page, viewport, mode) {
  const canvas = document.createElement("canvas");
  canvas.width = viewport.width; canvas.height = viewport.height;
  const context = canvas.getContext("2d", {willReadFrequently: true});
  await page.render({canvas, canvasContext: context, viewport, annotationMode: mode}).promise;
  document.body.replaceChildren(canvas);
  return context.getImageData(0, 0, canvas.width, canvas.height).data;
}
// Each text field on page n: its value as pdf.js reads it, its box, and the box around the
// pixels its answer inked (the page drawn with its fields less the page drawn without).
window.answers = async (n) => {
  const page = await (await loading).getPage(n);
  const viewport = page.getViewport({scale: %SCALE%});
  const bare = await draw(page, viewport, pdfjs.AnnotationMode.DISABLE);
  const filled = await draw(page, viewport, pdfjs.AnnotationMode.ENABLE);
  const found = [];
  for (const a of await page.getAnnotations()) {
    if (a.fieldType !== "Tx") continue;
    const t = viewport.transform;
    const at = (x, y) => [t[0] * x + t[2] * y + t[4], t[1] * x + t[3] * y + t[5]];
    const [[x1, y1], [x2, y2]] = [at(a.rect[0], a.rect[1]), at(a.rect[2], a.rect[3])];
    const box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
    let ink = null;
    for (let y = Math.floor(box[1]) - 4; y < box[3] + 4; y++) {
      for (let x = Math.floor(box[0]) - 4; x < box[2] + 4; x++) {
        const i = 4 * (y * viewport.width + x);
        if (Math.abs(filled[i] - bare[i]) > 96) {
          ink = ink ? [Math.min(ink[0], x), Math.min(ink[1], y), Math.max(ink[2], x + 1),
                       Math.max(ink[3], y + 1)] : [x, y, x + 1, y + 1];
        }
      }
    }
    found.push({name: a.fieldName, value: a.fieldValue, box, ink});
  }
  return found;
};
window.ready = true;
</script></body></html>""".replace("%SCALE%", str(SCALE))


def pdfjs_answers(browser, path: Path, pages: list[int], picture: Path) -> list[dict]:
    """Open `path` in PDF.js in Chromium, served from a made-up address that never reaches
    the network; a screenshot of the last page goes to `picture`."""

    def serve(route) -> None:
        name = route.request.url.rsplit("/", 1)[1]
        if name == "viewer.html":
            route.fulfill(body=VIEWER, content_type="text/html")
        elif name == "filled.pdf":
            route.fulfill(body=path.read_bytes(), content_type="application/pdf")
        elif (PDFJS / name).is_file():
            route.fulfill(body=(PDFJS / name).read_bytes(), content_type="text/javascript")
        else:
            route.abort()

    page = browser.new_page()
    page.route("http://pdfjs.invalid/**", serve)
    page.goto("http://pdfjs.invalid/viewer.html")
    page.wait_for_function("window.ready === true")
    found = [answer for n in pages for answer in page.evaluate(f"window.answers({n})")]
    page.locator("canvas").screenshot(path=picture)
    page.close()
    return found


def test_pdfjs_reads_and_draws_every_long_answer_inside_its_box(filled, browser):
    """PDF.js reads every answer back and draws each one inside its box, off its edges: an
    answer cut off at the box's edge would ink right up to it (a whole date in a narrow
    column did, before one-line fields sized their text to fit)."""
    assert (PDFJS / "pdf.mjs").is_file(), "PDF.js is missing: run scripts/install-test-deps.sh"
    path, values = filled
    with pikepdf.open(path) as pdf:
        pages = [
            number
            for number, page in enumerate(pdf.pages, 1)
            if any(str(w.get("/T", "")) in values for w in page.obj.get("/Annots", []))
        ]
    found = pdfjs_answers(browser, path, pages, path.with_name("pdfjs-last-page.png"))
    assert {a["name"]: a["value"] for a in found} == values
    cut = []
    for answer in found:
        (x1, y1, x2, y2), ink = answer["box"], answer["ink"]
        # off the sides by a pixel (text cut there would ink right up to them); a descender
        # may touch the bottom
        inside = ink and x1 + 1 <= ink[0] and ink[2] <= x2 - 1 and y1 <= ink[1] < ink[3] <= y2 + 1
        if not inside:
            cut.append(f"{answer['name']}: box {answer['box']}, ink {ink}")
    assert not cut, "\n".join(cut)
