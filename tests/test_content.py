"""The default workbook's words: its own, plain, complete, and long enough to help."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from workbook.model import Bibliography, Chapter, Question
from workbook.sources.loader import load_book

SEED_TOOL = ROOT.parent / "shared" / "tools" / "seed_overlap.py"


def block_html(block: object) -> str:
    if isinstance(block, str):
        return block
    if isinstance(block, Question):
        return block.label_html
    if isinstance(block, Bibliography):
        return "".join(source.html for source in block.sources)
    return ""


def plain_text(chapter: Chapter) -> str:
    html = "".join(block_html(b) for b in chapter.blocks)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture(scope="module")
def chapters() -> list[Chapter]:
    return [p for p in load_book(ROOT).parts if isinstance(p, Chapter)]


@pytest.mark.skipif(not SEED_TOOL.exists(), reason="../shared is not beside this checkout")
def test_no_sentence_is_copied_from_the_source_guide():
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), "chapters", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_at_least_5000_words_of_guide_prose(chapters):
    words = sum(len(plain_text(c).split()) for c in chapters if c.id != "references")
    assert words >= 5000


def test_reading_grade_is_5_to_7_overall_and_at_most_8_in_any_chapter(chapters):
    """Plain but not childish: Flesch-Kincaid grade 5 to 7 for the whole guide, no chapter
    above 8 (citations are not prose, so the references page is left out)."""
    textstat = pytest.importorskip("textstat")
    prose = [c for c in chapters if c.id != "references"]
    too_hard = {
        c.id: grade for c in prose if (grade := textstat.flesch_kincaid_grade(plain_text(c))) > 8
    }
    assert not too_hard
    overall = textstat.flesch_kincaid_grade(" ".join(plain_text(c) for c in prose))
    assert 5.0 <= overall <= 7.0


def sentences(text: str) -> list[str]:
    """Each sentence as lower-case words (curly apostrophes straightened)."""
    parts = re.split(r"(?<=[.!?])\s+|\n", text.replace("\u2019", "'"))
    return [" ".join(re.findall(r"[a-z0-9']+", part.lower())) for part in parts]


def test_no_sentence_of_five_or_more_words_appears_in_two_chapters(chapters):
    """Stock phrases read as filler when they come back chapter after chapter."""
    where: dict[str, set[str]] = {}
    for chapter in chapters:
        for sentence in sentences(plain_text(chapter)):
            if len(sentence.split()) >= 5:
                where.setdefault(sentence, set()).add(chapter.id)
    repeated = {sentence: sorted(ids) for sentence, ids in where.items() if len(ids) > 1}
    assert not repeated


PAINFUL = re.compile(r"hurt|growing up|childhood|abuse|harm|past therapist|leave a therapist")


def test_every_prompt_about_painful_history_says_it_can_be_skipped(chapters):
    prompts = [
        (c.id, text)
        for c in chapters
        for b in c.blocks
        if isinstance(b, Question) and PAINFUL.search(text := b.label_html.lower())
    ]
    assert len(prompts) >= 4
    unskippable = [p for p in prompts if not re.search(r"skip|leave this blank", p[1])]
    assert not unskippable


def test_every_topic_of_the_source_guide_is_covered(chapters):
    text = " ".join(plain_text(c) for c in chapters).lower()
    topics = [
        "working alliance",
        "relational",
        "corrective emotional experience",
        "earned secure",
        "bond",
        "goals",
        "tasks",
        "feel safe",
        "feel seen",
        "rupture",
        "repair",
        "give it time",
        "gut",
        "okay to change",
        "trauma-informed",
        "your pace",
        "bordin",
        "alexander",
        "safran",
        "flückiger",
        "horvath",
        "eubanks",
        # when therapy harms, safety first, what to expect
        "harm",
        "registration",
        "complain",
        "grounding",
        "privacy",
        "confidential",
        "first appointment",
        "fees",
        "couples",
        "code word",
        "plain cover",
        "narcissistic personality disorder",
        "norcross",
    ]
    missing = [t for t in topics if t not in text]
    assert not missing


def test_chapters_have_reflection_prompts_and_an_opening_on_how_to_use_it(chapters):
    welcome = chapters[0]
    assert welcome.id == "welcome"
    text = plain_text(welcome).lower()
    assert "pace" in text and "skip" in text and "stop" in text
    prompts = sum(1 for c in chapters for b in c.blocks if isinstance(b, Question))
    assert prompts >= 15


def test_resources_note_that_numbers_differ_by_country():
    text = (ROOT / "templates" / "helplines.html").read_text(encoding="utf-8").lower()
    assert "country" in text and "check" in text
    data = (ROOT / "helplines.yaml").read_text(encoding="utf-8")
    assert "988" in data and "116 123" in data
