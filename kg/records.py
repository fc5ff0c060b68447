"""The typed record every reader produces and the mapper consumes.

Readers keep values as written (an invalid ISSN stays the string the source gave); deciding what a
value means for the graph is the mapper's job, so nothing is lost between reading and mapping.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kg.problems import SourceLocation


class WorkKind(enum.Enum):
    ARTICLE = "article"  # a journal article, case study, viewpoint ...
    CHAPTER = "chapter"  # a part of a book


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A publication date to the precision the source gives (year, month or day)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def lexical(self) -> str:
        """ISO 8601 form: ``2012``, ``2012-06`` or ``2012-06-15``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class PersonName:
    """An author as written, with name parts where they can be told apart."""

    written: str
    given: str | None = None
    family: str | None = None
    orcid: str | None = None


@dataclass(frozen=True, slots=True)
class AbstractSection:
    """One heading of a structured abstract ("Purpose", "Findings" ...) and its text."""

    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class Venue:
    """Where a work appeared: a journal (with volume and issue) or a book."""

    title: str | None
    volume: str | None = None
    issue: str | None = None
    issn: str | None = None  # as written
    isbn: str | None = None  # as written
    ahead_of_print: bool = False

    @property
    def is_book(self) -> bool:
        return self.isbn is not None


@dataclass(frozen=True, slots=True)
class Record:
    """One bibliographic record, as read, with the place it was read from."""

    source: SourceLocation
    number: int  # ordinal of the record in its file, 1-based
    kind: WorkKind
    content_type: str  # the type line as written: "Article", "Book part", "Case study" ...
    published: PartialDate
    authors: tuple[PersonName, ...] = ()
    title: str | None = None
    doi: str | None = None  # as written
    snippet: str | None = None
    downloads: int | None = None
    abstract: str | None = None  # unstructured abstract text
    abstract_sections: tuple[AbstractSection, ...] = ()
    venue: Venue | None = None
    article_type: str | None = None  # "Research Article", "Case Study", "Viewpoint" ...
    keywords: tuple[str, ...] = ()

    @property
    def full_abstract(self) -> str | None:
        """The whole abstract as one text; structured sections keep their headings."""
        if self.abstract_sections:
            return "\n\n".join(f"{s.heading}: {s.text}" for s in self.abstract_sections)
        return self.abstract
