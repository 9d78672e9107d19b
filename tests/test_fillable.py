"""The fillable PDF, used as a reader would: fields of every kind filled, saved, read back and
seen on the rendered page."""

from __future__ import annotations

import re

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from tests.conftest import ROOT, render_page
from workbook.model import Book, Question
from workbook.sources.loader import load_book

pytestmark = pytest.mark.slow

MULTILINE = 1 << 12
RADIO = 1 << 15
PRINTS = 1 << 2


def expected_names(book: Book) -> list[str]:
    """Every field's name, in reading order: part id, then section and field (or the
    prompt's place in its chapter), then item, or group, item and column, or row and column
    (and option)."""
    names: list[str] = []
    for part in book.parts:
        if part.kind == "chapter":
            names += [
                f"{part.id}-reflect-{i}"
                for i, block in enumerate(part.blocks, 1)
                if isinstance(block, Question)
            ]
            continue
        for s, section in enumerate(part.sections, 1):
            for f, field in enumerate(section.fields, 1):
                names += field_names(field, f"{part.id}-{s}-{f}")
    return names


def field_names(field, name: str) -> list[str]:
    if field.kind in ("checklist", "scale"):
        return [f"{name}-{k}" for k in range(1, len(field.items) + 1)]
    if field.kind == "grid":
        columns = range(1, field.columns + 1)
        names = [f"{name}-date-{c}" for c in columns]
        for g, group in enumerate(field.groups, 1):
            names += [f"{name}-{g}-{i}-{c}" for i in range(1, group.size + 1) for c in columns]
            names += [f"{name}-{g}-total-{c}" for c in columns] if field.total else []
        return names
    if field.kind == "log":
        names = []
        for r in range(1, field.rows + 1):
            for c, column in enumerate(field.columns, 1):
                cell = f"{name}-{r}-{c}"
                if column.answer == "options" and column.pick == "any":
                    names += [f"{cell}-{k}" for k in range(1, len(column.options) + 1)]
                else:
                    names.append(cell)
                names += [f"{cell}-words"] if column.answer == "options" and column.lines else []
        return names
    return [name]


@pytest.fixture(scope="session")
def book() -> Book:
    return load_book(ROOT)


@pytest.fixture(scope="session")
def form(default_fillable):
    with pikepdf.open(default_fillable) as pdf:
        yield pdf


@pytest.fixture(scope="session")
def fields(form) -> dict[str, pikepdf.Dictionary]:
    return {str(f.T): f for f in form.Root.AcroForm.Fields}


def fills_page(name: str, book: Book) -> bool:
    """A field that fills a worksheet's last page (writers/pagefill.py): its notes box, or a
    row or entry of a log that ends it, numbered on from the log's own."""
    for part in book.parts:
        if part.kind != "worksheet":
            continue
        if name == f"{part.id}-more":
            return True
        s, last = len(part.sections), part.sections[-1] if part.sections else None
        if last and last.fields and last.fields[-1].kind == "log":
            found = re.match(rf"{part.id}-{s}-{len(last.fields)}-(\d+)-", name)
            if found and int(found.group(1)) > last.fields[-1].rows:
                return True
    return False


def test_every_field_is_there_once_with_a_stable_name_in_reading_order(form, book):
    names = [str(f.T) for f in form.Root.AcroForm.Fields]
    assert [n for n in names if not fills_page(n, book)] == expected_names(book)
    assert [n for n in names if n.endswith("-more")]  # some last pages hold a notes box
    assert len(set(names)) == len(names)


def test_every_reflection_prompt_is_a_multiline_field_with_its_question(fields, book):
    welcome = next(p for p in book.parts if p.id == "welcome")
    prompts = [b for b in welcome.blocks if not isinstance(b, str)]
    reflect = [f for name, f in fields.items() if name.startswith("welcome-reflect-")]
    assert len(reflect) == len(prompts) > 0
    for field, prompt in zip(reflect, prompts, strict=True):
        assert str(field.TU) == prompt.label_html.replace("&#x27;", "'")
        assert int(field.Ff) & MULTILINE


def test_field_kinds_match_the_worksheet_data(fields):
    date = fields["therapist-fit-questions-1-1"]
    assert date.FT == "/Tx" and not int(date.get("/Ff", 0)) & MULTILINE
    assert re.fullmatch(r"Date, page \d+", str(date.TU)) and int(date.MaxLen) > 0  # unique
    for name in ("therapist-fit-questions-1-2", "rupture-repair-log-1-1-3-2"):
        assert fields[name].FT == "/Tx" and int(fields[name].Ff) & MULTILINE
    box = fields["therapist-fit-questions-2-1-1"]
    assert box.FT == "/Btn" and not int(box.get("/Ff", 0)) & RADIO
    assert str(box.TU).startswith("touched me in a way I did not want")
    scale = fields["therapist-fit-questions-3-2-2"]
    assert scale.FT == "/Btn" and int(scale.Ff) & RADIO
    assert str(scale.TU).startswith("I feel that my therapist understands me.")
    assert "0 is Not at all, 1 is A little" in str(scale.TU)
    states = [next(iter(kid.AP.N.keys())) for kid in scale.Kids]
    assert states == ["/0", "/1", "/2", "/3", "/4"]
    assert all("/T" not in kid for kid in scale.Kids)  # the group is the field
    # a grid: a short field per cell, centred, and one above each dated column
    cell = fields["signs-checklist-1-1-2-3-4"]
    assert cell.FT == "/Tx" and int(cell.MaxLen) <= 4 and int(cell.Q) == 1
    assert str(cell.TU).startswith("I feel understood., column 4: 0 is Not at all")
    assert re.fullmatch(r"Date, column 6, page \d+", str(fields["signs-checklist-1-1-date-6"].TU))
    assert "out of 20" in str(fields["signs-checklist-1-1-2-total-1"].TU)
    # a log: options to tick (any), one to choose (radio), a number, written answers
    went_quiet = fields["rupture-repair-log-1-1-2-5-1"]
    assert went_quiet.FT == "/Btn" and not int(went_quiet.get("/Ff", 0)) & RADIO
    assert str(went_quiet.TU) == "went quiet (Did I pull away?, entry 2)"
    repaired = fields["rupture-repair-log-1-1-2-10"]
    assert repaired.FT == "/Btn" and int(repaired.Ff) & RADIO
    assert [next(iter(k.AP.N.keys())) for k in repaired.Kids] == ["/1", "/2", "/3"]
    assert "choose one of Fully; Partly; Not yet" in str(repaired.TU)
    upset = fields["rupture-repair-log-1-1-2-4"]
    assert upset.FT == "/Tx" and "0 to 10" in str(upset.TU)
    assert str(fields["session-check-in-2-1-3-2"].TU) == (
        "One thing I want to tell my therapist, session 3"
    )


def test_every_field_has_a_tooltip_prints_and_tabs_in_structure_order(form, fields):
    for name, field in fields.items():
        assert str(field.get("/TU", "")).strip(), name
        for widget in field.get("/Kids", [field]):
            assert int(widget.F) & PRINTS, name
    for page in form.pages:
        if "/Annots" in page.obj:
            assert page.obj.Tabs == "/S"


def test_fields_type_in_helvetica_and_no_field_font_is_embedded(form, fields):
    acroform = form.Root.AcroForm
    assert acroform.DR.Font.Helv.BaseFont == "/Helvetica"
    for field in fields.values():
        if field.FT == "/Tx":
            assert str(field.DA).startswith("/Helv ")
    embedded = {str(f.BaseFont) for page in form.pages for f in page.Resources.Font.values()}
    assert embedded and all("Atkinson" in name for name in embedded)


def test_fillable_is_at_most_120_kb_bigger_than_print(default_fillable, default_pdf):
    # 100 kB before the notes boxes and log rows that fill worksheets' last pages (issue 13).
    extra = default_fillable.stat().st_size - default_pdf.stat().st_size
    assert extra <= 120_000, f"{extra} bytes more than the print edition"


FILL = {
    "therapist-fit-questions-1-1": "26 Nov 2026",  # date
    "therapist-fit-questions-1-2": "Dr Lee, from my GP",  # question
    "therapist-fit-questions-4-1-1-1": "/2",  # a choice in a box: "raise it"
    "changing-therapy-1-1-3": "/on",  # checkbox
    "my-goals-3-2-1": "/3",  # rating scale (radio group)
    "signs-checklist-1-1-date-1": "3/12",  # a grid's date
    "signs-checklist-1-1-1-1-1": "3",  # a grid cell
    "signs-checklist-1-1-1-total-1": "17",  # a group's total
    "rupture-repair-log-1-1-1-2": "She was late and did not say sorry.",  # log, written
    "rupture-repair-log-1-1-1-4": "10",  # log, a number
    "rupture-repair-log-1-1-1-5-1": "/on",  # log, an option to tick
    "rupture-repair-log-1-1-1-10": "/2",  # log, one option to choose
    "welcome-reflect-2": "To feel less alone.",  # reflection prompt in a chapter
}


@pytest.fixture(scope="session")
def filled(default_fillable, tmp_path_factory):
    writer = PdfWriter(clone_from=PdfReader(default_fillable))
    writer.update_page_form_field_values(None, FILL, auto_regenerate=False)
    target = tmp_path_factory.mktemp("filled") / "filled.pdf"
    writer.write(target)
    return target


def test_filled_values_read_back(filled):
    values = {name: field.get("/V") for name, field in PdfReader(filled).get_fields().items()}
    for name, value in FILL.items():
        assert str(values[name]) == value, name
    assert str(values["changing-therapy-1-1-1"]) == "/Off"  # untouched fields stay empty


def widget_boxes(pdf_path, name: str) -> list[tuple[int, tuple[float, ...], float]]:
    """(page number, rectangle, page height) of each widget of a field."""
    with pikepdf.open(pdf_path) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == name)
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        boxes = []
        for widget in field.get("/Kids", [field]):
            if "/AS" in widget and widget.AS == "/Off" and field.get("/V") not in (None, "/Off"):
                continue  # only the chosen radio button
            number = pages[widget.P.objgen]
            height = float(pdf.pages[number - 1].mediabox[3])
            boxes.append((number, tuple(float(v) for v in widget.Rect), height))
        return boxes


def ink(image, rect: tuple[float, ...], page_height: float, dpi: int = 50) -> int:
    """How many dark pixels are inside a widget's rectangle (PDF points, origin bottom left)."""
    scale = dpi / 72
    (x1, x2), (y1, y2) = sorted(rect[::2]), sorted(rect[1::2])
    box = (x1 * scale, (page_height - y2) * scale, x2 * scale, (page_height - y1) * scale)
    region = image.crop(tuple(round(v) for v in box))
    return sum(region.histogram()[:128])


def test_filled_values_show_on_the_rendered_page(filled, default_fillable):
    for name in FILL:
        for page, rect, height in widget_boxes(filled, name):
            before = ink(render_page(default_fillable, page), rect, height)
            after = ink(render_page(filled, page), rect, height)
            assert after > before + 5, f"{name}: nothing new drawn on page {page}"


def test_every_worksheet_page_says_it_may_be_copied(default_fillable, book):
    """The permission line is at the foot of every page of every worksheet, and only there."""
    permission = book.meta.permission
    wrapped = re.compile(r"\s+".join(map(re.escape, permission.split())))
    titles = {part.title for part in book.worksheets}
    seen = set()
    for page in PdfReader(default_fillable).pages[3:]:  # after cover, copyright, contents
        text = page.extract_text()
        head = [line.strip() for line in wrapped.sub("", text).splitlines() if line.strip()][-2]
        assert bool(wrapped.search(text)) == (head in titles), head
        seen.add(head)
    assert titles <= seen


def test_answers_are_never_cut_off_and_fields_are_tidy(form, fields):
    """One-line boxes are one-line fields; taller ones are multi-line with the text sized to
    fit (size 0), so a long answer shrinks instead of losing its end; rectangles run from
    lower left to upper right; ZapfDingbats is in /DR for the check boxes; tooltips are
    unique."""
    assert form.Root.AcroForm.DR.Font.ZaDb.BaseFont == "/ZapfDingbats"
    multiline = 0
    for name, field in fields.items():
        for widget in field.get("/Kids", [field]):
            x1, y1, x2, y2 = (float(v) for v in widget.Rect)
            assert x1 <= x2 and y1 <= y2, name
        if field.FT != "/Tx":
            continue
        height = float(field.Rect[3]) - float(field.Rect[1])
        size = float(str(field.DA).split()[1])
        if int(field.get("/Ff", 0)) & MULTILINE:
            multiline += 1
            assert size == 0, f"{name}: a multi-line field in a fixed size"
        else:
            assert size <= height, name
    assert multiline > 50
    assert int(fields["rupture-repair-log-1-1-1-2"].get("/Ff", 0)) & MULTILINE  # a log answer
    tips = [str(field.TU) for field in fields.values()]
    assert len(tips) == len(set(tips)), [t for t in tips if tips.count(t) > 1][:5]
