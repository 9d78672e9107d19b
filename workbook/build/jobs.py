"""A build's plan: every file to make, as a job (which parts, which edition, whose copy), and
the small text files made beside them (the index of client copies)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.editions import Download, Edition, Personal
from workbook.model import Book


@dataclass(frozen=True)
class Job:
    name: str  # the file it writes, inside the output folder
    edition: Edition
    packet: Book  # the book with just the parts this file holds
    personal: Personal | None = None  # a client's copy
    # A site: the other files of the build, which it lists (set by the runner once they exist)
    downloads: tuple[Download, ...] = ()

    @property
    def packet_key(self) -> tuple[str, ...]:
        """Jobs with the same parts share one packet, laid out once."""
        return tuple(part.id for part in self.packet.parts)


@dataclass(frozen=True)
class Extra:
    """A small text file written with the others, such as the index of client copies."""

    name: str
    text: str
    detail: str
    folder: Path | None = None  # None: the output folder; else a folder of its own


@dataclass(frozen=True)
class Plan:
    book: Book  # after --brand and --discreet
    output_dir: Path
    jobs: tuple[Job, ...]
    extras: tuple[Extra, ...] = ()
    use_cache: bool = True
    preview: str = ""  # what a client build will make, said before it starts
