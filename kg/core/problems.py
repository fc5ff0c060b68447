"""Where a problem in the input is, and what it is: the one shape every error message takes."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A line of an input file (1-based), as the user named the file.

    JSON inputs also give the path to the value (``message.items[3]``): one-line JSON has every
    record on line 1.
    """

    file: str
    line: int
    path: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where} ({self.path})" if self.path else where


class Severity(enum.Enum):
    ERROR = "error"  # the record is rejected
    WARNING = "warning"  # the record is kept as written; the problem is reported
    MERGED = "merged"  # not a problem: the record is one work with an earlier record, said so


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
