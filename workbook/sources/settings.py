"""`workbook.toml`: the workbook's settings, validated once with every problem collected."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from workbook.editions import BUILD_FORMATS, PAPERS
from workbook.errors import Problems, WorkbookError
from workbook.model import DEFAULT_DISCREET_WORDS, DEFAULT_QUICK_EXIT, Brand, BuildSettings
from workbook.notes import note
from workbook.resources import BRAND_FILE, CONFIG_NAME
from workbook.safefiles import read_text
from workbook.sources import bounds
from workbook.sources.brand import parse_brand, read_brand_file
from workbook.sources.located import Located
from workbook.sources.regions import REGIONS
from workbook.sources.schema import TOML, Checker
from workbook.sources.sensitive import PLACEHOLDER, Neutraliser
from workbook.sources.tomldata import load_toml

TEXT_KEYS = ("title", "subtitle", "author", "language", "slug", "description")
# What the copyright page and every printed worksheet say about copying.
RIGHTS_KEYS = ("license", "permission")
BUILD_KEYS = ("paper", "region", "editions")  # what a build makes, unless its flags say
SITE_KEYS = ("quick_exit",)  # the web edition's
DISCREET_KEY = "discreet_words"  # what a discreet edition keeps out of sight
KNOWN_KEYS = (
    *TEXT_KEYS, *RIGHTS_KEYS, "date", "contents", "brand", *BUILD_KEYS, *SITE_KEYS, DISCREET_KEY
)  # fmt: skip
MAX_DISCREET_WORDS = 100
# A web address a reader's browser can open: http(s), a host, no spaces or quotes.
WEB_ADDRESS = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>\\]*)?$")
REQUIRED = ("title", "contents")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_CONFIG_BYTES = 1_000_000
PART_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Config:
    path: Path
    title: str
    subtitle: str
    author: str
    language: str
    slug: str
    date: dt.date | None
    description: str
    contents: tuple[str, ...]
    lines: dict[str, int]
    license: str = ""
    permission: str = ""
    brand: Brand | None = None
    build: BuildSettings = field(default_factory=BuildSettings)

    @property
    def project_dir(self) -> Path:
        return self.path.parent

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


MAX_SLUG = 60  # file names stay well under the 255 bytes file systems allow


# Letters NFKD does not take apart into a plain letter and its accent (the dotless i too).
_LETTERS: dict[str, str | int | None] = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "\u0131": "i",
}  # fmt: skip
_PLAIN_LETTERS = str.maketrans(_LETTERS)


def ascii_words(text: str) -> str:
    """Text in plain ASCII letters, as near as they go: "José Álvarez" -> "Jose Alvarez"."""
    text = text.translate(_PLAIN_LETTERS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, default: str = "workbook") -> str:
    """Lowercase ASCII words joined by '-' ("José Álvarez" -> "jose-alvarez"), at most 60
    characters; `default` when nothing is left (a name in a script with no Latin letters)."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words(text).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug.strip("-") or default


def read_config(project_dir: Path) -> Config:
    path = project_dir / CONFIG_NAME
    if not os.path.lexists(path):
        raise WorkbookError.one(path, "there is no workbook.toml here")
    data = load_toml(read_text(path, CONFIG_NAME, (project_dir,), MAX_CONFIG_BYTES), CONFIG_NAME)
    problems = Problems()
    checker = Checker(CONFIG_NAME, problems, TOML)
    brand = _brand(project_dir, data, checker)
    config = _validate(path, data, checker)
    return dataclasses.replace(config, brand=brand)


def _brand(project_dir: Path, data: Located, checker: Checker) -> Brand | None:
    """The [brand] table, else a brand.toml beside workbook.toml, else no branding."""
    if "brand" in data:
        if os.path.lexists(project_dir / BRAND_FILE):
            note(
                f"{BRAND_FILE} beside workbook.toml is not used: the [brand] table in "
                "workbook.toml comes first; keep one of them"
            )
        table = checker.table(data, "brand")
        return None if table is None else parse_brand(table, checker, project_dir)
    if os.path.lexists(project_dir / BRAND_FILE):  # read_brand_file says if it is unusable
        try:
            return read_brand_file(project_dir / BRAND_FILE, project_dir)
        except WorkbookError as error:
            checker.problems.extend(error)
    return None


def _validate(path: Path, data: Located, checker: Checker) -> Config:
    checker.keys(data, KNOWN_KEYS, "the settings")
    text = {key: checker.text(data, key, required=key in REQUIRED) for key in TEXT_KEYS}
    rights = {key: checker.text(data, key) for key in RIGHTS_KEYS}
    language = text["language"] or "en"
    if not LANGUAGE.match(language):
        message = f"'{language}' is not a language tag like 'en' or 'en-GB'"
        checker.problem(message, data.line_of("language"))
    contents = _contents(data, checker)
    date = checker.date(data, "date")
    build = _build_settings(data, checker)
    checker.problems.raise_if_any()
    return Config(
        path=path,
        title=text["title"],
        subtitle=text["subtitle"],
        author=text["author"],
        language=language,
        slug=slugify(text["slug"] or text["title"]),
        date=date,
        description=text["description"],
        contents=contents,
        lines=dict(data.key_lines),
        license=rights["license"],
        permission=rights["permission"],
        build=build,
    )


def _build_settings(data: Located, checker: Checker) -> BuildSettings:
    """paper = "a4", region = "uk", editions = ["print", "epub"]: any case."""
    listed = checker.texts(data, "editions", "edition") if "editions" in data else ()
    line = data.line_of("editions")
    editions = [e.lower() for e in listed]
    editions = [e for e in editions if checker.one_of("edition", e, BUILD_FORMATS, line)]
    return BuildSettings(
        paper=checker.choice(data, "paper", tuple(PAPERS)),
        region=checker.choice(data, "region", REGIONS),
        editions=tuple(dict.fromkeys(editions)),
        quick_exit=_quick_exit(data, checker),
        discreet_words=_discreet_words(data, checker),
    )


def _discreet_words(data: Located, checker: Checker) -> tuple[tuple[str, str], ...]:
    """`discreet_words = ["narcissist", "abuse"]` (each shows as "…"), or a table of words
    and what shows instead: `[discreet_words]` then `abuse = "harm"`."""
    if DISCREET_KEY not in data:
        return DEFAULT_DISCREET_WORDS
    value, line = data[DISCREET_KEY], data.line_of(DISCREET_KEY)
    if isinstance(value, Located):
        pairs = [(word, checker.text(value, word, longest=80)) for word in value]
    else:
        pairs = [(word, PLACEHOLDER) for word in checker.texts(data, DISCREET_KEY, "word")]
    if len(pairs) > MAX_DISCREET_WORDS:
        checker.problem(f"'{DISCREET_KEY}' may list at most {MAX_DISCREET_WORDS} words", line)
        return ()
    words = tuple((word.strip(), instead) for word, instead in pairs)
    for word, _ in words:
        if not re.fullmatch(r"[^\W\d_]+(?:[ '\u2019-][^\W\d_]+)*", word):
            checker.problem(f"'{word[:60]}' in '{DISCREET_KEY}' must be a word or words", line)
            return ()
    neutral = Neutraliser(words)
    for word, instead in words:
        if neutral.found(instead):
            if isinstance(value, Located):
                line = value.line_of(word)
            message = (
                f"what shows instead of '{word}' ('{instead}') holds a word of "
                f"'{DISCREET_KEY}' itself; choose other words"
            )
            checker.problem(message, line)
    return words


def _quick_exit(data: Located, checker: Checker) -> str:
    """Where "Leave this site" goes: a web address like https://www.bbc.co.uk/weather."""
    address = checker.text(data, "quick_exit")
    if not address:
        return DEFAULT_QUICK_EXIT
    if not WEB_ADDRESS.match(address):
        message = (
            f"'quick_exit' must be a web address like \"https://www.bbc.co.uk/weather\", "
            f"not '{address[:80]}'"
        )
        checker.problem(message, data.line_of("quick_exit"))
        return DEFAULT_QUICK_EXIT
    return address


def _contents(data: Located, checker: Checker) -> tuple[str, ...]:
    line = data.line_of("contents")
    listed = data.get("contents")
    if isinstance(listed, list) and bounds.PARTS.over(len(listed)):
        checker.problem(bounds.PARTS.message(), line)
        return ()
    parts = checker.texts(data, "contents", "part id")
    for part in parts:
        if not PART_ID.match(part):
            message = f"'{part}' is not a part id (lowercase words joined by -)"
            checker.problem(message, line)
    for part in sorted({p for p in parts if parts.count(p) > 1}):
        checker.problem(f"the part '{part}' is listed twice in 'contents'", line)
    for message in _collisions(parts):
        checker.problem(message, line)
    return parts


# Names workbook gives its own pages, files and landmarks: the EPUB's cover, navigation,
# title page and back page (and their package ids), the site's home, downloads and back page,
# and the ids in the bundled templates (a part's id is its element's id, and its file's name).
# A part with one of them would make two EPUB entries with one name, or two elements with
# one id. tests/test_hostile_inputs.py checks the templates' ids are all here.
RESERVED_IDS = frozenset(
    (
        "cover", "cover-img", "nav", "ncx", "style", "title", "title-page", "back",
        "from-your-therapist", "index", "downloads", "notes", "contents", "toc", "helplines",
        "main", "landmarks", "page-list", "quick-exit", "e-readers", "about", "copyright",
    )
)  # fmt: skip
_PACKAGED = re.compile(r"^image-[0-9]+$")  # the EPUB's ids for pictures


def _collisions(parts: tuple[str, ...]) -> list[str]:
    """Part ids that would share a name with a page of workbook's own, or whose form fields
    would share names with another part's (`sheet-1-2` is field 2 of section 1 of `sheet`)."""
    messages = []
    for part in parts:
        if part in RESERVED_IDS or _PACKAGED.match(part):
            messages.append(
                f"the part id '{part}' is the name of a page workbook makes itself; "
                "rename the file and its line in 'contents'"
            )
        for other in parts:
            rest = part.removeprefix(f"{other}-")
            if rest != part and re.match(r"(?:[0-9]|reflect-)", rest):
                messages.append(
                    f"the part id '{part}' starts with the part '{other}' and a number, so "
                    "their form fields would share names; rename one of them"
                )
    return messages
