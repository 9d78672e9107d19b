"""A request: what a command asked for, as one typed value. Choices left open (None) are
taken from the workbook's own settings once it is read, then from the defaults
(`plan.resolved`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.editions import OPTION_NAMES
from workbook.errors import usage_problem
from workbook.sources.clients import name_problem


@dataclass(frozen=True)
class Request:
    project_dir: Path
    output_dir: Path
    formats: tuple[str, ...] = ()  # none chosen: the workbook's `editions`, else the default
    paper: str | None = None
    options: tuple[str, ...] = ()  # names of editions.OPTIONS that are on
    region: str | None = None  # None: from the brand, else from the workbook's language
    brand_file: Path | None = None
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    client: str | None = None
    clients_file: Path | None = None
    name_files: bool = False
    handout: tuple[str, ...] = ()  # worksheet ids: a handout packet of just these
    copies: int = 1  # how many times a handout repeats its worksheets
    repeat: tuple[tuple[str, int], ...] = ()  # a build's worksheets to repeat: (id, times)
    keep_brand: bool = False  # discreet, but with the practice's name and details
    replace: bool = False  # a client's copy named after them may replace an earlier one
    verbose: bool = False  # show WeasyPrint's own warnings
    use_cache: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.options) - set(OPTION_NAMES)
        if unknown:
            raise ValueError(f"unknown options {sorted(unknown)}")
        if self.client is not None and self.clients_file is not None:
            raise usage_problem("use --client or --clients, not both")
        if self.name_files and not self.copies_for_clients:
            raise usage_problem("--name-files is for client copies (--client or --clients)")
        if self.client is not None and not self.client.strip():
            raise usage_problem("the name is empty", "'--client'")
        if self.client is not None and (wrong := name_problem(self.client.strip())):
            raise usage_problem(wrong, "'--client'")
        if "booklet" in self.options and self.copies_for_clients:
            raise usage_problem("client copies are not made as booklets; leave out --booklet")
        if self.keep_brand and not self.discreet:
            raise usage_problem("--discreet-keep-brand goes with --discreet")
        if self.replace and not self.name_files:
            raise usage_problem(
                "--replace is for client copies named after the client (--name-files); "
                "numbered copies never replace earlier ones"
            )

    @property
    def copies_for_clients(self) -> bool:
        return self.client is not None or self.clients_file is not None

    @property
    def discreet(self) -> bool:
        return "discreet" in self.options
