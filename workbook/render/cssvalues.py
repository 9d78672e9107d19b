"""Values put into generated stylesheets (`.css.j2` templates), written so that they stay
values: text becomes one quoted CSS string, whatever it holds (quotes, backslashes, line
breaks, braces), and a colour must be a colour."""

from __future__ import annotations

import re

from jinja2.exceptions import SecurityError

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def css_string(value: object) -> str:
    """`value` as a double-quoted CSS string. Backslashes and quotes are escaped, and every
    control character (a line break would end the string) becomes a hex escape: `\\a `."""
    out = ['"']
    for char in str(value):
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def css_colour(value: object) -> str:
    """`value` if it is a colour like #2a6f74 or #276, else a refusal."""
    text = str(value)
    if not _COLOUR.fullmatch(text):
        raise SecurityError(f"'{text[:40]}' is not a colour like #2a6f74")
    return text
