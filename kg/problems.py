"""Where a problem in the input is, and what it is: the one shape every error message takes."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A line of an input file (1-based), as the user named the file."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Severity(enum.Enum):
    ERROR = "error"  # the record is rejected
    WARNING = "warning"  # the record is kept as written; the problem is reported


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one record (or with the file around records).

    ``record`` is the record's ordinal in its file (1-based), or None for text outside records.
    """

    location: SourceLocation
    record: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: record {self.record}" if self.record else str(self.location)
        return f"{where}: {self.severity.value}: {self.message}"


class KgError(Exception):
    """An error the user can act on; the CLI prints it as one line and exits 2."""


class InputError(KgError):
    """A whole input cannot be read (missing, undecodable, unknown format)."""
