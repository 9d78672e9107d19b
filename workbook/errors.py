"""The one exception family: problems a non-programmer can read and fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


MAX_SHOWN = 100


class WorkbookError(click.ClickException):
    """Bad content: every problem found, reported together; exit code 1."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    headline = "the workbook could not be built ({count} to fix):"

    def format_message(self) -> str:
        count = len(self.problems)
        head = self.headline.format(count="1 problem" if count == 1 else f"{count:,} problems")
        shown = self.problems[:MAX_SHOWN]  # a file with thousands of mistakes: the first ones
        body = "\n".join(f"  {p}" for p in shown)
        more = f"\n  ... and {count - len(shown):,} more" if count > len(shown) else ""
        return f"{head}\n{body}{more}"

    @classmethod
    def one(cls, file: str | Path, message: str, line: int | None = None) -> WorkbookError:
        return cls([Problem(str(file), message, line)])


class Problems:
    """Collects problems so one run reports all of them, then raises once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.items.append(Problem(str(file), message, line))

    def extend(self, error: WorkbookError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise WorkbookError(self.items)


def usage_problem(message: str, option: str | None = None) -> click.UsageError:
    """A choice on the command line that cannot be made (exit code 2), wherever it is found:
    in the request, or once the workbook is read (a part id that is not there)."""
    return click.BadParameter(message, param_hint=option) if option else click.UsageError(message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
