"""Phone numbers in a helpline's "how to reach them" as links a phone can follow: `tel:` to call,
`sms:` where the words say to text ("text START to 88788", "call or text 988"). The web edition
uses both; the EPUB only `tel:` (epubcheck warns on `sms:`), so a number to text stays text in
a span that keeps it on one line. The text itself is kept as written, and escaped; a number
that is part of a word number ("0800 REFUGE") is not a link."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Digits on their own: not inside a word or an address ("988lifeline.org", "jo@1.org").
NUMBER = re.compile(r"(?<![\w+.@])\+?\d[\d \-]*\d(?![\w@]|\.\w)|(?<![\w+.@])\d(?![\w@]|\.\w)")
TEXT_WORD_TO = re.compile(r"\btext\s+(\w+)\s+to\s*$", re.IGNORECASE)
TEXT_ALSO = re.compile(r"\btext\s*$", re.IGNORECASE)
TEXT_ONLY = re.compile(r"^\s*text\s*$", re.IGNORECASE)  # "Text 0477 13 11 14": a number to text
SPELLED = re.compile(r"[ -]?[A-Z]{3,}")  # "0800 REFUGE": the rest of the number is letters
SHORTEST = 3  # digits: "000" is a number to call, "24/7" is not


def reach_links(how: str, texts: bool = True) -> Markup:
    """`how` with its numbers as links; `texts=False`: numbers to text as plain text."""
    out: list[str] = []
    done = 0
    for match in NUMBER.finditer(how):
        number = match.group(0).strip()
        digits = re.sub(r"[^\d+]", "", number)
        spelled = SPELLED.match(how, match.start() + len(match.group(0).rstrip()))
        if len(digits.lstrip("+")) < SHORTEST or spelled:
            continue
        before = how[done : match.start()]
        out.append(str(escape(before)))
        lead = how[: match.start()]
        word = TEXT_WORD_TO.search(lead)
        if (word or TEXT_ONLY.match(lead)) and not texts:
            out.append(f'<span class="number">{escape(number)}</span>')
        elif word:
            body = escape(word.group(1))
            out.append(f'<a href="sms:{digits}?&amp;body={body}">{escape(number)}</a>')
        elif TEXT_ONLY.match(lead):
            out.append(f'<a href="sms:{digits}">{escape(number)}</a>')
        else:
            out.append(f'<a href="tel:{digits}">{escape(number)}</a>')
            if TEXT_ALSO.search(lead) and texts:
                out.append(f' (<a href="sms:{digits}">send a text</a>)')
        done = match.start() + len(match.group(0).rstrip())
    out.append(str(escape(how[done:])))
    return Markup("".join(out))
