"""A worksheet section's opening kept with its scale.

A section's heading, intro and date line ask to stay with the scale that follows (print.css),
and a scale stays whole. When the opening and the whole scale are taller than a page (an A5
page, large print), WeasyPrint leaves the opening alone at the foot of one page and the scale
on the next: no break it may take keeps them together. Seen in a first layout, such a scale is
let split (`scale-split`: its header and first two rows stay with the opening, its last two
rows stay together) for the layout that is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

OPENING_CLASSES = frozenset({"intro", "field-date"})


def stranded_scales(page_boxes: list[Any]) -> list[str]:
    """The scales (their `data-at`) whose section's opening sits alone on the page before."""
    on_page: list[dict[int, set[Any]]] = []  # per page: section (id()) -> its children there
    sections: dict[int, Any] = {}
    for page in page_boxes:
        found: dict[int, set[Any]] = {}
        for section, child in _children(page):
            sections[id(section)] = section
            found.setdefault(id(section), set()).add(child)
        on_page.append(found)
    stranded = []
    for index in range(1, len(on_page)):
        for key, children in on_page[index].items():
            before = on_page[index - 1].get(key, set())
            if not before or not all(_opening(child) for child in before):
                continue
            first = next((c for c in sections[key] if c in children and c not in before), None)
            if first is not None and "field-scale" in classes_of(first):
                stranded.append(str(first.get("data-at")))
    return stranded


def let_split(html: str, names: list[str]) -> str:
    for name in names:
        pattern = re.compile(
            r'(class="field field-scale[^"]*)(" data-at="' + re.escape(name) + '")'
        )
        html = pattern.sub(r"\1 scale-split\2", html, count=1)
    return html


def _opening(element: Any) -> bool:
    return element.tag == "h2" or bool(OPENING_CLASSES & set(classes_of(element)))


def _children(box: Any, section: Any = None) -> Iterator[tuple[Any, Any]]:
    """(worksheet section, its child element) for every laid-out box in one."""
    element = getattr(box, "element", None)
    if element is not None and element is not section:
        if "ws-section" in classes_of(element):
            section = element
        elif section is not None and any(element is child for child in section):
            yield section, element
    for child in getattr(box, "children", ()):
        yield from _children(child, section)


def classes_of(element: Any) -> list[str]:
    return str(element.get("class") or "").split()
