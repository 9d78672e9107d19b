"""The template sandbox: templates handed around with a workbook see plain data and may call
only what makes text, never anything that reaches files, the network or Python's insides.

On top of Jinja's own sandbox:
- attributes are read only from plain data (text, numbers, lists, mappings, dates) and the
  workbook's own records (render/view.py, the model's path-free records, the edition), and
  only give such values or something callable;
- calls are allowed to macros, `range`, Jinja's helpers, the records' own methods and a list
  of text, list and date methods that change nothing;
- text cannot grow without end: `*`, `**`, `+` and `%` on big operands, the methods and
  filters that pad or repeat, and `range` are refused past set sizes (render/runaway.py
  catches what is left: time and memory).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import re
import types
import typing
from collections.abc import Callable, Sized
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, TemplateReference
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum

from workbook import editions, model
from workbook.render.view import BookView, BrandView, ChapterView, DownloadView, WorksheetView

MAX_TEXT = 20_000_000  # characters (or items) in one value a template makes
MAX_RANGE = 100_000  # steps of one range()
MAX_NUMBER_BITS = 100_000  # a number of about 30,000 digits


def path_free_records(module: types.ModuleType) -> tuple[type, ...]:
    """The records (dataclasses) a module defines with no field that holds a path: a new
    record of the model reaches templates without a list to keep up to date, and one that
    holds a path never does (Book, Chapter, Worksheet, Brand and Media: templates get their
    views instead)."""
    records: list[type] = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == module.__name__
    ]
    return tuple(
        record
        for record in records
        if not any("Path" in str(hint) for hint in typing.get_type_hints(record).values())
    )


RECORDS: tuple[type, ...] = (
    *(BookView, BrandView, ChapterView, WorksheetView, DownloadView),
    *path_free_records(model),
    *path_free_records(editions),
)
JINJA_PARTS = (
    LoopContext,
    Macro,
    Namespace,
    Cycler,
    Joiner,
    TemplateModule,
    TemplateReference,
    BlockReference,
)
DATA: tuple[type, ...] = (
    *(str, int, float, bool, type(None), dt.date, tuple, list, dict, set, frozenset, range),
    *RECORDS,
    *JINJA_PARTS,
)
# Methods of plain data a template may call: each reads, none changes anything.
STR_METHODS = frozenset(
    (
        *("capitalize", "casefold", "center", "count", "endswith", "expandtabs", "find"),
        *("index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier"),
        *("islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join"),
        *("ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace"),
        *("rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines"),
        *("startswith", "strip", "swapcase", "title", "upper", "zfill"),
        *("escape", "striptags", "unescape"),  # Markup's
    )
)
METHODS: tuple[tuple[tuple[type, ...], frozenset[str]], ...] = (
    ((str,), STR_METHODS),
    ((dict,), frozenset(("get", "items", "keys", "values"))),
    ((list, tuple, range), frozenset(("count", "index"))),
    ((set, frozenset), frozenset(("isdisjoint", "issubset", "issuperset"))),
    ((dt.date,), frozenset(("isoformat", "strftime", "weekday", "isoweekday"))),
    ((int, float), frozenset(("is_integer", "bit_length"))),
)


class TooMuch(SecurityError):
    """A template asking for more than any workbook needs (the message says what)."""


def is_data(value: object) -> bool:
    return isinstance(value, DATA)


def capped_range(*args: int) -> range:
    steps = range(*args)
    if len(steps) > MAX_RANGE:
        raise TooMuch(
            f"range() here would count {len(steps):,} steps; a template may count to "
            f"{MAX_RANGE:,} at most"
        )
    return steps


def capped_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n * max > 100_000:
        raise TooMuch("lipsum() here would make more sample text than a page can hold")
    return str(generate_lorem_ipsum(n, html, min, max))


FUNCTIONS: tuple[object, ...] = (capped_range, capped_lipsum, dict, Namespace, Cycler, Joiner)


class Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(("*", "**", "+", "%"))

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = capped_range
        self.globals["lipsum"] = capped_lipsum
        for name, measure in FILTER_SIZES.items():
            self.filters[name] = _bounded_filter(name, self.filters[name], measure)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value) or modifies_known_mutable(obj, attr):
            return False
        return is_data(obj) and (is_data(value) or callable(value))

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, Macro | BlockReference | Joiner) or any(obj is f for f in FUNCTIONS):
            return True
        if isinstance(obj, types.FunctionType):  # the render step's own helpers (page_of)
            return (obj.__module__ or "").startswith("workbook.render.")
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or name.startswith("_") or not is_data(owner):
            return False
        for kind, names in METHODS:
            if isinstance(owner, kind):
                return name in names
        return True  # the workbook's records and Jinja's loop, cycler and namespace

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        if isinstance(obj, Namespace):  # the one place a template keeps what it grows
            _check_size(value, "this value")
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        if isinstance(value, jinja2.Undefined) or is_data(value) or callable(value):
            return value
        return self.unsafe_undefined(obj, str(argument))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(
                f"{_describe(__obj)} cannot be called from a template (templates may call "
                "macros, range() and the methods of text, lists and dates)"
            )
        for value in (*args, *kwargs.values()):
            _check_size(value, "a value given to a call")
        if isinstance(getattr(__obj, "__self__", None), str):
            args = _check_str_method(__obj, args)
        result = __context.call(__obj, *args, **kwargs)
        _check_size(result, "the result of this call")
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "+" and isinstance(left, Sized) and isinstance(right, Sized):
            if len(left) + len(right) > MAX_TEXT:
                raise TooMuch(f"'+' here would make text longer than {MAX_TEXT:,} characters")
        elif operator == "%" and isinstance(left, str):
            _format_room(left)
        return super().call_binop(context, operator, left, right)


def _describe(obj: object) -> str:
    name = getattr(obj, "__qualname__", None) or type(obj).__name__
    return f"'{name}'"


def _check_size(value: object, what: str) -> None:
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_TEXT:
        raise TooMuch(f"{what} is longer than {MAX_TEXT:,} characters; a workbook never needs that")


def _check_repeat(left: object, right: object) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
            raise TooMuch("'*' here would make a number too large to work with")
        return
    sequence, times = (left, right) if isinstance(right, int) else (right, left)
    if not (isinstance(sequence, str | list | tuple) and isinstance(times, int)):
        return
    if len(sequence) * times > MAX_TEXT:
        raise TooMuch(f"'*' here would repeat something into more than {MAX_TEXT:,} characters")


def _check_power(base: object, exponent: object) -> None:
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return
    if exponent > 0 and abs(base) > 1 and exponent * base.bit_length() > MAX_NUMBER_BITS:
        raise TooMuch("'**' here would make a number too large to work with")


_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?")


def _format_room(text: str) -> int:
    """The padding `text % values` could add; refused when it is more than a page holds."""
    room = 0
    for match in _SPEC.finditer(text):
        for number in match.groups():
            if number == "*" or (number and len(number) > 7):
                raise TooMuch("a '%' format here pads text too widely; use a width under 10000")
            room += int(number or 0)
    if room > MAX_TEXT:
        raise TooMuch("a '%' format here pads text too widely; use a width under 10000")
    return room


def _check_str_method(method: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Refuse a text method that would pad or repeat past MAX_TEXT; `join` gets a list."""
    text: str = method.__self__  # type: ignore[attr-defined]
    name = method.__name__
    if name == "join" and args and not isinstance(args[0], Sized):
        args = (list(args[0]), *args[1:])
    size = _str_method_size(name, text, args)
    if size > MAX_TEXT:
        raise TooMuch(f"'.{name}()' here would make text longer than {MAX_TEXT:,} characters")
    return args


def _str_method_size(name: str, text: str, args: tuple[Any, ...]) -> int:
    try:
        if name in ("center", "ljust", "rjust", "zfill") and args:
            return max(len(text), int(args[0]))
        if name == "replace" and len(args) >= 2:
            return len(text) + (len(text) + 1) * len(str(args[1]))
        if name == "join" and args:
            items = list(args[0])
            return sum(len(str(item)) for item in items) + len(text) * len(items)
        if name == "expandtabs":
            return len(text) * max(1, int(args[0]) if args else 8)
    except (TypeError, ValueError):  # the call itself will say what is wrong
        return 0
    return len(text)


# The filters that can make text much longer than what they are given: how long, at most.
Measure = Callable[[dict[str, Any]], int]


def _indent_size(a: dict[str, Any]) -> int:
    text, width = str(a["s"]), a["width"]
    each = width if isinstance(width, int) else len(str(width))
    return len(text) + (text.count("\n") + 1) * each


def _join_size(a: dict[str, Any]) -> int:
    if not isinstance(a["value"], Sized):
        a["value"] = list(a["value"])  # a generator is read once: measure and join the list
    items = a["value"]
    joined = 0 if a["attribute"] is not None else sum(len(str(item)) for item in items)
    return joined + len(str(a["d"])) * len(items)


FILTER_SIZES: dict[str, Measure] = {
    "center": lambda a: max(len(str(a["value"])), int(a["width"])),
    "indent": _indent_size,
    "format": lambda a: len(str(a["value"])) + _format_room(str(a["value"])),
    "replace": lambda a: len(str(a["s"])) + (len(str(a["s"])) + 1) * len(str(a["new"])),
    "join": _join_size,
    "wordwrap": lambda a: len(str(a["s"])) * (1 + len(str(a["wrapstring"] or "\n"))),
    "batch": lambda a: int(a["linecount"]),
    "slice": lambda a: int(a["slices"]),
}


def _bounded_filter(name: str, function: Callable[..., Any], measure: Measure) -> Any:
    """`function` (a Jinja filter), refused when `measure` says its result would be too big."""
    signature = inspect.signature(function)

    @functools.wraps(function)  # keeps Jinja's mark for filters that take the context
    def bounded(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return function(*args, **kwargs)  # Jinja says what is wrong with the arguments
        bound.apply_defaults()
        try:
            size = measure(bound.arguments)
        except (TypeError, ValueError):
            size = 0  # the filter itself will say what is wrong
        if size > MAX_TEXT:
            raise TooMuch(
                f"the '{name}' filter here would make text longer than {MAX_TEXT:,} characters"
            )
        return function(*bound.args, **bound.kwargs)

    return bounded
