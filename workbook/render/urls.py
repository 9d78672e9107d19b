"""Addresses in documents: where each one leads, read the way a browser or e-reader reads it,
and whether it may be in a workbook's output.

A link (`<a href>`) may point anywhere but at a script: it is only followed when a reader
chooses to. Every other address is fetched as the page is shown, so it must lead to something
inside the book: a part of the same page (`#...`), inline data (`data:`), or, in a PDF, a file
the fetcher serves from the workbook's folder; in an EPUB, a file inside the package.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

SCRIPT_SCHEMES = frozenset(("javascript", "vbscript", "livescript"))
WEB_SCHEMES = frozenset(("http", "https", "ftp", "ftps", "ws", "wss"))
SAVE_IT = "save the file in the workbook's folder instead"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROLS_AND_SPACE = "".join(chr(code) for code in range(0x21))


def normalized(url: str) -> str:
    """As the WHATWG URL parser reads it: no leading or trailing controls and spaces, no tab
    or line break anywhere (`java\\tscript:` is `javascript:`), backslashes as slashes."""
    url = url.strip(_CONTROLS_AND_SPACE)
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def scheme(url: str) -> str:
    """The scheme in lower case ('https'), or '' for a relative address."""
    match = _SCHEME.match(normalized(url))
    return match.group(1).lower() if match else ""


def refusal(url: str, followed: bool = False, packaged_at: str | None = None) -> str | None:
    """Why `url` must not be in an output, or None if it may.

    `followed`: a link a reader follows by choice. `packaged_at`: the address is inside an
    EPUB, in the file of that name (then a file must be inside the package), or '' in a file
    that must hold all it shows (a logo); None: in a document the PDF writer lays out, whose
    fetcher keeps to the workbook's folder."""
    clean = normalized(url)
    kind = scheme(clean)
    shown = url.strip()[:80]
    if kind in SCRIPT_SCHEMES:
        return f"a '{clean.split(':')[0]}:' address is not allowed"
    if followed or kind == "data" or clean.startswith("#"):
        return None
    if kind in WEB_SCHEMES or clean.startswith("//"):
        return f"'{shown}' would be fetched from the web; {SAVE_IT}"
    if packaged_at == "":
        return f"'{shown}' is another file; an SVG logo must hold everything it shows"
    if packaged_at is not None:
        if kind or not _inside_package(clean, packaged_at):
            return f"'{shown}' is outside the book; {SAVE_IT}"
        return None
    if kind not in ("", "file"):
        return f"'{shown}' would be fetched from outside the book; {SAVE_IT}"
    return None


def _inside_package(relative: str, base: str) -> bool:
    """Whether `relative`, read from the file `base` of a package, stays inside it."""
    path = unquote(relative.split("#")[0].split("?")[0])
    if path.startswith("/"):
        return False
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    return joined != ".." and not joined.startswith("../")
