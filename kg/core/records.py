"""The typed record every reader produces and the mapper consumes.

Readers keep values as written (an invalid ISSN stays the string the source gave); deciding what a
value means for the graph is the mapper's job, so nothing is lost between reading and mapping.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kg.core.problems import SourceLocation


class WorkKind(enum.Enum):
    ARTICLE = "article"  # a journal article, case study, viewpoint, review ...
    CHAPTER = "chapter"  # a part of a book
    BOOK = "book"  # a whole book (monograph or edited volume)
    CONFERENCE_PAPER = "conference-paper"  # a paper in conference proceedings
    THESIS = "thesis"  # a doctoral or master's thesis, a dissertation
    PREPRINT = "preprint"  # posted before (or without) peer review: SSRN, arXiv, TechRxiv ...
    REPORT = "report"  # a report or working paper
    OTHER = "other"  # anything else a source calls a work (a dataset, a web page, a component)


class IssnKind(enum.Enum):
    """Which medium an ISSN names, when the source says so."""

    PRINT = "print"
    ELECTRONIC = "electronic"
    LINKING = "linking"  # ISSN-L, shared by all media of one journal
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Issn:
    """An ISSN as written, with its medium when the source tells it."""

    value: str
    kind: IssnKind = IssnKind.UNKNOWN


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
    orcid: str | None = None  # as written (bare or as an https://orcid.org/ address)
    organization: bool = False  # a corporate author ("WHO", "{{The Lancet Group}}")
    honorific: str | None = None  # "Mr", "Dr", "Prof." written before the given names


class SectionKind(enum.Enum):
    """What a section of a structured abstract is about: the seven headings of the structured
    abstracts many publishers print (Emerald's among them), or OTHER for any other heading
    ("Background", "Aims", "Setting" ...), which is kept with its own label."""

    PURPOSE = "Purpose"
    DESIGN = "Design/methodology/approach"
    FINDINGS = "Findings"
    LIMITATIONS = "Research limitations/implications"
    PRACTICAL = "Practical implications"
    SOCIAL = "Social implications"
    ORIGINALITY = "Originality/value"
    OTHER = "other"

    @classmethod
    def of(cls, heading: str) -> SectionKind:
        """The kind a heading names, whatever its case ("FINDINGS"); OTHER for other headings.

        >>> SectionKind.of("findings"), SectionKind.of("Background")
        (<SectionKind.FINDINGS: 'Findings'>, <SectionKind.OTHER: 'other'>)
        """
        return _KINDS_BY_HEADING.get(heading.strip().casefold(), cls.OTHER)


_KINDS_BY_HEADING = {k.value.casefold(): k for k in SectionKind if k is not SectionKind.OTHER}
STRUCTURED_HEADINGS = tuple(k.value for k in SectionKind if k is not SectionKind.OTHER)


@dataclass(frozen=True, slots=True)
class AbstractSection:
    """One heading of a structured abstract ("Purpose", "Findings", "Background" ...), as
    printed, and its text."""

    heading: str
    text: str

    @property
    def kind(self) -> SectionKind:
        return SectionKind.of(self.heading)


@dataclass(frozen=True, slots=True)
class Venue:
    """Where a work appeared: a journal (with volume and issue) or a book."""

    title: str | None
    volume: str | None = None
    issue: str | None = None
    issns: tuple[Issn, ...] = ()  # as written, every ISSN the source gives for this venue
    isbns: tuple[str, ...] = ()  # as written (ISBN-10 or -13; print and electronic)
    ahead_of_print: bool = False
    short_title: str | None = None  # the abbreviated title ("J Vertebr Paleontol")

    @property
    def issn(self) -> str | None:
        """The first ISSN as written."""
        return self.issns[0].value if self.issns else None

    @property
    def isbn(self) -> str | None:
        """The first ISBN as written."""
        return self.isbns[0] if self.isbns else None

    @property
    def is_book(self) -> bool:
        return bool(self.isbns)


@dataclass(frozen=True, slots=True)
class Funder:
    """Who funded the work: a name, the funder's DOI (10.13039/…) and award numbers."""

    name: str | None
    doi: str | None = None
    awards: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """One bibliographic record, as read, with the place it was read from."""

    source: SourceLocation
    number: int  # ordinal of the record in its file, 1-based
    kind: WorkKind
    content_type: str  # the type as written: "Article", "JOUR", "@article", "journal-article" ...
    published: PartialDate | None  # None when the source gives no date
    authors: tuple[PersonName, ...] = ()
    title: str | None = None
    doi: str | None = None  # as written
    authors_incomplete: bool = False  # the source lists only some ("and others", "et al.")
    editors: tuple[PersonName, ...] = ()
    pmid: str | None = None  # PubMed identifier, digits as written
    url: str | None = None  # the landing page the source gives
    language: str | None = None  # as written ("en", "eng", "English")
    publisher: str | None = None
    page_start: str | None = None  # as written: "29", "e1234", "S12"
    page_end: str | None = None
    article_number: str | None = None  # eLocator / article number when there are no pages
    funders: tuple[Funder, ...] = ()
    licenses: tuple[str, ...] = ()  # licence addresses (URLs) as written
    snippet: str | None = None
    downloads: int | None = None
    abstract: str | None = None  # unstructured abstract text
    abstract_sections: tuple[AbstractSection, ...] = ()
    venue: Venue | None = None
    article_type: str | None = None  # "Research Article", "Case Study", "Viewpoint" ...
    keywords: tuple[str, ...] = ()  # author keywords and subject headings (MeSH without qualifiers)

    @property
    def full_abstract(self) -> str | None:
        """The whole abstract as one text; structured sections keep their headings."""
        if self.abstract_sections:
            return "\n\n".join(f"{s.heading}: {s.text}" for s in self.abstract_sections)
        return self.abstract
