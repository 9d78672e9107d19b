"""Phone numbers in a helpline's "how to reach them" as links a phone can follow: `tel:` to call,
`sms:` where the words say to text ("text START to 88788", "call or text 988"). The web edition
uses them; the text itself is kept as written, and escaped."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

NUMBER = re.compile(r"(?<![\w+])\+?\d[\d \-]*\d|(?<![\w+])\d")
TEXT_WORD_TO = re.compile(r"\btext\s+(\w+)\s+to\s*$", re.IGNORECASE)
TEXT_ALSO = re.compile(r"\btext\s*$", re.IGNORECASE)
TEXT_ONLY = re.compile(r"^\s*text\s*$", re.IGNORECASE)  # "Text 0477 13 11 14": a number to text
SHORTEST = 3  # digits: "000" is a number to call, "24/7" is not


def reach_links(how: str) -> Markup:
    out: list[str] = []
    done = 0
    for match in NUMBER.finditer(how):
        number = match.group(0).strip()
        digits = re.sub(r"[^\d+]", "", number)
        if len(digits.lstrip("+")) < SHORTEST:
            continue
        before = how[done : match.start()]
        out.append(str(escape(before)))
        lead = how[: match.start()]
        if word := TEXT_WORD_TO.search(lead):
            body = escape(word.group(1))
            out.append(f'<a href="sms:{digits}?&amp;body={body}">{escape(number)}</a>')
        elif TEXT_ONLY.match(lead):
            out.append(f'<a href="sms:{digits}">{escape(number)}</a>')
        else:
            out.append(f'<a href="tel:{digits}">{escape(number)}</a>')
            if TEXT_ALSO.search(lead):
                out.append(f' (<a href="sms:{digits}">send a text</a>)')
        done = match.start() + len(match.group(0).rstrip())
    out.append(str(escape(how[done:])))
    return Markup("".join(out))
