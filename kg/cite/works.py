"""Works read back out of a kg graph, as plain typed values the citation writers share.

A work is an IRI with ``kg:contentType`` or typed as one of the work classes kg writes
(``schema:ScholarlyArticle``, ``schema:Chapter``, ``schema:Thesis``, ``schema:Report``,
``schema:CreativeWork``, their BIBO twins, and ``bibo:Manuscript``); a ``schema:Book`` is a work
only with ``kg:contentType`` (without it, it is the book that chapters are part of).

What is read, and from where (see :mod:`kg.map.record`, which writes it):

- the kind, from the classes: ``schema:Chapter`` chapter, ``bibo:Manuscript`` preprint,
  ``schema:Thesis`` thesis, ``schema:Report`` report, ``schema:Book`` book, a
  ``schema:ScholarlyArticle`` a conference paper when it is part of a ``bibo:Proceedings`` (or
  its ``kg:contentType`` names a conference paper) and an article otherwise, anything else other;
- authors in ``bibo:authorList`` order (else ``kg:authorship``/``kg:position``, else by IRI);
  editors (``schema:editor``, unordered in the graph) by family name, given name and IRI;
  persons' ``schema:givenName``/``familyName``/``name`` and ORCID (``schema:sameAs``),
  organisations' ``schema:name``;
- the journal through the ``schema:isPartOf`` chain work → issue → volume → periodical: issue
  and volume numbers, the periodical's name, its shortest ``schema:alternateName`` that is
  shorter than the name (taken as the abbreviation), ISSNs by medium (``bibo:issn`` stands for
  "print, or not said": kg writes both there; an ISSN-L equal to another ISSN of the journal
  is not repeated); or the book (or proceedings) the work is part of, with its name and ISBNs;
  a book's own ISBNs;
- title, date, DOI, PMID, abstract, keywords, pages, article number, publisher, language, URL,
  licences, genre, funders with award numbers, ahead-of-print status.

Every value is a plain string. The graph holds sets, so anything with no order of its own
(keywords, licences, ISSNs, ISBNs, funders) comes out sorted: the same graph always gives the
same works, in IRI order. Several graph files are read as one graph. Where a graph holds two
values for one field (two files that disagree), the smallest is taken. A work without an IRI
(a blank node) has no id to cite it by and is left out.

The text helpers at the end (one-line values, paragraphs, ISSNs with their medium) are shared by
the writers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from kg.core.graphio import read_triples
from kg.core.namespaces import BIBO, DCTERMS, FOAF, KG, RDF, SCHEMA
from kg.core.rdf import Object, Subject, Triple
from kg.core.records import Issn, IssnKind, PartialDate, WorkKind
from kg.core.text import remove_control_characters
from kg.read.dates import DateError, checked_date

ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/")
DOI_PREFIXES = ("https://doi.org/", "http://dx.doi.org/", "http://doi.org/")
AHEAD_OF_PRINT = "ahead of print"
_WORK_CLASSES = frozenset(
    {SCHEMA.ScholarlyArticle, SCHEMA.Chapter, SCHEMA.Thesis, SCHEMA.Report, SCHEMA.CreativeWork}
    | {BIBO.AcademicArticle, BIBO.Chapter, BIBO.Thesis, BIBO.Report, BIBO.Manuscript}
)
# kg:contentType values (folded) that name a conference paper in the formats kg reads.
_CONFERENCE_TYPES = frozenset(
    {"cpaper", "conf", "inproceedings", "conference", "paper-conference", "conference paper"}
    | {"conference-paper", "proceedings-article", "conference proceedings"}
)
_ISSN_PROPERTIES = (
    (BIBO.issn, IssnKind.UNKNOWN),  # print, or a medium the source did not give: kg writes both
    (BIBO.eissn, IssnKind.ELECTRONIC),
    (KG.issnL, IssnKind.LINKING),
)
_ISSN_ORDER = {IssnKind.UNKNOWN: 0, IssnKind.PRINT: 0, IssnKind.ELECTRONIC: 1, IssnKind.LINKING: 2}
_DATE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?:Z|[+-]\d{2}:\d{2})?")
_MAX_CHAIN = 6  # work → issue → volume → periodical, with room for graphs kg did not write
# The medium, as the note kg's readers (and Scopus, PubMed, Crossref) write after an ISSN.
# A bibo:issn is "print, or not said": it is written bare, claiming no medium.
_ISSN_NOTES = {IssnKind.ELECTRONIC: "Electronic", IssnKind.LINKING: "Linking"}


@dataclass(frozen=True)
class Agent:
    """An author or editor: a person (name parts when known) or an organisation."""

    name: str  # schema:name: "Given Family" for persons
    given: str | None = None
    family: str | None = None
    orcid: str | None = None  # bare: 0000-0002-1825-0097
    organization: bool = False


@dataclass(frozen=True)
class Journal:
    """The periodical a work is in, with the volume and issue numbers of the work."""

    name: str | None
    short_name: str | None = None  # the abbreviation, when the graph holds one
    issns: tuple[Issn, ...] = ()  # UNKNOWN stands for "print or not said": the graph is one
    volume: str | None = None
    issue: str | None = None


@dataclass(frozen=True)
class Book:
    """The book (or conference proceedings) a chapter or paper is part of."""

    name: str | None
    isbns: tuple[str, ...] = ()
    proceedings: bool = False


@dataclass(frozen=True)
class Funder:
    name: str | None
    doi: str | None = None  # 10.13039/…, without the resolver
    awards: tuple[str, ...] = ()


@dataclass(frozen=True)
class CitedWork:
    """One work as the citation formats see it; None and () mean "the graph does not say"."""

    iri: str
    kind: WorkKind
    content_type: str | None = None  # the source's type as written ("JOUR", "Book part" ...)
    title: str | None = None
    authors: tuple[Agent, ...] = ()
    authors_incomplete: bool = False  # the source listed only some ("et al.")
    editors: tuple[Agent, ...] = ()
    published: PartialDate | None = None
    doi: str | None = None
    pmid: str | None = None
    abstract: str | None = None  # paragraphs separated by a blank line
    keywords: tuple[str, ...] = ()
    genre: str | None = None  # the article type ("Research Article", "Case study")
    language: str | None = None  # a BCP 47 tag as kg writes it ("en")
    url: str | None = None
    licenses: tuple[str, ...] = ()
    publisher: str | None = None
    journal: Journal | None = None
    book: Book | None = None
    isbns: tuple[str, ...] = ()  # a book's own ISBNs
    page_start: str | None = None
    page_end: str | None = None
    article_number: str | None = None
    ahead_of_print: bool = False
    funders: tuple[Funder, ...] = ()

    @property
    def container_title(self) -> str | None:
        """The journal's or the book's name."""
        if self.journal is not None:
            return self.journal.name
        return self.book.name if self.book is not None else None

    @property
    def standard_numbers(self) -> tuple[tuple[Issn, ...], tuple[str, ...]]:
        """(ISSNs, ISBNs) that identify where the work appeared (or the book itself)."""
        issns = self.journal.issns if self.journal is not None else ()
        isbns = self.isbns + (self.book.isbns if self.book is not None else ())
        return issns, tuple(dict.fromkeys(isbns))


def read_works(graph_paths: Sequence[Path]) -> list[CitedWork]:
    """The works of the graph files (parsed strictly by :mod:`kg.core.graphio`), in IRI order."""
    return works_from_triples(read_triples(graph_paths))


def works_from_triples(triples: Iterable[Triple]) -> list[CitedWork]:
    graph = _Graph(triples)
    return [_work(graph, iri) for iri in sorted(graph.works(), key=str)]


class _Graph:
    """Subject → predicate → objects, with the look-ups the works need; values deduplicated."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._index: dict[Subject, dict[URIRef, dict[Object, None]]] = {}
        for subject, predicate, value in triples:
            self._index.setdefault(subject, {}).setdefault(predicate, {})[value] = None

    def works(self) -> Iterable[URIRef]:
        for subject, properties in self._index.items():
            if not isinstance(subject, URIRef):
                continue  # a work without an IRI has no stable id to cite it by
            types = properties.get(RDF.type, {})
            if KG.contentType in properties or any(cls in types for cls in _WORK_CLASSES):
                yield subject

    def objects(self, subject: Object, predicate: URIRef) -> list[Object]:
        if isinstance(subject, Literal):
            return []
        return sorted(self._index.get(subject, {}).get(predicate, {}), key=_term_key)

    def texts(self, subject: Object, predicate: URIRef) -> list[str]:
        """The values (literals, or IRIs such as a URL) as strings, sorted; empty ones left out."""
        found = {str(value) for value in self.objects(subject, predicate)}
        found.discard("")
        return sorted(found)

    def text(self, subject: Object, *predicates: URIRef) -> str | None:
        """The first (smallest) literal of the first predicate that has one."""
        for predicate in predicates:
            values = self.texts(subject, predicate)
            if values:
                return values[0]
        return None

    def iris(self, subject: Object, predicate: URIRef) -> list[URIRef]:
        return [value for value in self.objects(subject, predicate) if isinstance(value, URIRef)]

    def types(self, subject: Object) -> set[Object]:
        return set(self.objects(subject, RDF.type))

    def rdf_list(self, head: Object) -> tuple[Object, ...]:
        members: list[Object] = []
        seen: set[Object] = set()
        node = head
        while node != RDF.nil and node not in seen:
            seen.add(node)
            first = self.objects(node, RDF.first)
            if first:
                members.append(first[0])
            rest = self.objects(node, RDF.rest)
            if not rest:
                break
            node = rest[0]
        return tuple(members)


def _term_key(term: Object) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, Literal) else 2, str(term))


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """``…/author/2`` before ``…/author/10``."""
    return tuple((1, int(p)) if p.isdigit() else (0, p) for p in re.split(r"(\d+)", text) if p)


def _work(graph: _Graph, work: URIRef) -> CitedWork:
    types = graph.types(work)
    content_type = graph.text(work, KG.contentType)
    journal, book = _container(graph, work)
    own_isbns = tuple(graph.texts(work, SCHEMA.isbn))
    return CitedWork(
        iri=str(work),
        kind=_kind(types, content_type, book),
        content_type=content_type,
        title=graph.text(work, SCHEMA.name, DCTERMS.title),
        authors=_authors(graph, work),
        authors_incomplete=graph.text(work, KG.authorListIncomplete) in ("true", "1"),
        editors=_editors(graph, work),
        published=_date(graph.text(work, SCHEMA.datePublished)),
        doi=graph.text(work, BIBO.doi),
        pmid=graph.text(work, BIBO.pmid),
        abstract=graph.text(work, SCHEMA.abstract),
        keywords=tuple(sorted(graph.texts(work, SCHEMA.keywords), key=lambda k: (k.casefold(), k))),
        genre=graph.text(work, SCHEMA.genre),
        language=graph.text(work, SCHEMA.inLanguage),
        url=graph.text(work, SCHEMA.url),
        licenses=tuple(graph.texts(work, SCHEMA.license)),
        publisher=_name(graph, work, SCHEMA.publisher),
        journal=journal,
        book=book,
        isbns=own_isbns,
        page_start=graph.text(work, SCHEMA.pageStart, BIBO.pageStart),
        page_end=graph.text(work, SCHEMA.pageEnd, BIBO.pageEnd),
        article_number=graph.text(work, BIBO.locator),
        ahead_of_print=KG.aheadOfPrint in graph.objects(work, BIBO.status)
        or any(
            s.casefold() == AHEAD_OF_PRINT for s in graph.texts(work, SCHEMA.creativeWorkStatus)
        ),
        funders=_funders(graph, work),
    )


def _kind(types: set[Object], content_type: str | None, book: Book | None) -> WorkKind:
    if SCHEMA.Chapter in types or BIBO.Chapter in types:
        return WorkKind.CHAPTER
    if BIBO.Manuscript in types:
        return WorkKind.PREPRINT
    if SCHEMA.Thesis in types or BIBO.Thesis in types:
        return WorkKind.THESIS
    if SCHEMA.Report in types or BIBO.Report in types:
        return WorkKind.REPORT
    if SCHEMA.Book in types or BIBO.Book in types:
        return WorkKind.BOOK
    if SCHEMA.ScholarlyArticle in types or BIBO.AcademicArticle in types:
        conference = (book is not None and book.proceedings) or (
            (content_type or "").casefold() in _CONFERENCE_TYPES
        )
        return WorkKind.CONFERENCE_PAPER if conference else WorkKind.ARTICLE
    return WorkKind.OTHER


def _date(text: str | None) -> PartialDate | None:
    """``2012``, ``2012-06`` or ``2012-06-15`` (a time zone is ignored); else no date."""
    match = _DATE.fullmatch(text.strip()) if text else None
    if match is None:
        return None
    month, day = match["m"], match["d"]
    try:
        return checked_date(
            int(match["y"]), int(month) if month else None, int(day) if day else None
        )
    except DateError:
        return None


# --- people -------------------------------------------------------------------------------------


def _authors(graph: _Graph, work: URIRef) -> tuple[Agent, ...]:
    lists = {graph.rdf_list(head) for head in graph.objects(work, BIBO.authorList)}
    if lists:  # one list per graph file read: the same list, or the fullest one
        nodes = max(lists, key=lambda members: (len(members), [str(m) for m in members]))
    else:
        nodes = _authorship_order(graph, work) or tuple(graph.objects(work, SCHEMA.author))
    agents = (_agent(graph, node) for node in dict.fromkeys(nodes))
    return tuple(agent for agent in agents if agent is not None)


def _authorship_order(graph: _Graph, work: URIRef) -> tuple[Object, ...]:
    ranked: list[tuple[tuple[int, str], Object]] = []
    for authorship in graph.objects(work, KG.authorship):
        position = graph.text(authorship, KG.position)
        for person in graph.objects(authorship, KG.person):
            rank = int(position) if position and position.isdigit() else 1 << 30
            ranked.append(((rank, str(person)), person))
    return tuple(person for _, person in sorted(ranked, key=lambda item: item[0]))


def _editors(graph: _Graph, work: URIRef) -> tuple[Agent, ...]:
    found = [
        (agent, str(node))
        for node in graph.objects(work, SCHEMA.editor)
        if (agent := _agent(graph, node)) is not None
    ]
    found.sort(
        key=lambda item: ((item[0].family or item[0].name).casefold(), item[0].name, item[1])
    )
    return tuple(agent for agent, _ in found)


def _agent(graph: _Graph, node: Object) -> Agent | None:
    if isinstance(node, Literal):
        return Agent(str(node)) if str(node) else None
    types = graph.types(node)
    name = graph.text(node, SCHEMA.name, FOAF.name)
    if SCHEMA.Organization in types or FOAF.Organization in types:
        return Agent(name, organization=True) if name else None
    given = graph.text(node, SCHEMA.givenName)
    family = graph.text(node, SCHEMA.familyName)
    name = name or " ".join(part for part in (given, family) if part)
    if not name:
        return None
    orcid = next(
        (
            str(iri).removeprefix(prefix)
            for iri in graph.iris(node, SCHEMA.sameAs)
            for prefix in ORCID_PREFIXES
            if str(iri).startswith(prefix)
        ),
        None,
    )
    return Agent(name, given, family, orcid)


def _name(graph: _Graph, work: URIRef, predicate: URIRef) -> str | None:
    """The name of the thing ``predicate`` points at (or the literal it holds)."""
    for value in graph.objects(work, predicate):
        name = str(value) if isinstance(value, Literal) else graph.text(value, SCHEMA.name)
        if name:
            return name
    return None


def _funders(graph: _Graph, work: URIRef) -> tuple[Funder, ...]:
    awards: dict[Object, list[tuple[tuple[tuple[int, int | str], ...], str]]] = {}
    for grant in graph.objects(work, SCHEMA.funding):
        for node in graph.objects(grant, SCHEMA.funder):
            for award in graph.texts(grant, SCHEMA.identifier):
                awards.setdefault(node, []).append((_natural_key(str(grant)), award))
    found = []
    for node in graph.objects(work, SCHEMA.funder):
        doi = next(
            (
                str(iri).removeprefix(prefix)
                for iri in graph.iris(node, SCHEMA.sameAs)
                for prefix in DOI_PREFIXES
                if str(iri).startswith(prefix)
            ),
            None,
        )
        ranked = sorted(awards.get(node, []))
        funder = Funder(graph.text(node, SCHEMA.name), doi, tuple(a for _, a in ranked))
        first = ranked[0][0] if ranked else ((2, ""),)
        found.append(((first, funder.name or "", funder.doi or ""), funder))
    return tuple(funder for _, funder in sorted(found, key=lambda item: item[0]))


# --- where the work appeared ----------------------------------------------------------------


def _container(graph: _Graph, work: URIRef) -> tuple[Journal | None, Book | None]:
    volume = issue = None
    node: Object = work
    seen = {node}
    for _ in range(_MAX_CHAIN):
        parents = [p for p in graph.iris(node, SCHEMA.isPartOf) if p not in seen]
        if not parents:
            break
        node = parents[0]
        seen.add(node)
        types = graph.types(node)
        if SCHEMA.Periodical in types or BIBO.Journal in types:
            return _journal(graph, node, volume, issue), None
        if SCHEMA.Book in types or BIBO.Book in types:
            book = Book(
                graph.text(node, SCHEMA.name),
                tuple(graph.texts(node, SCHEMA.isbn)),
                proceedings=BIBO.Proceedings in types,
            )
            return None, book
        issue = issue or graph.text(node, SCHEMA.issueNumber)
        volume = volume or graph.text(node, SCHEMA.volumeNumber)
    if volume or issue:
        return Journal(None, volume=volume, issue=issue), None
    return None, None


def _journal(graph: _Graph, node: URIRef, volume: str | None, issue: str | None) -> Journal:
    name = graph.text(node, SCHEMA.name)
    shorter = [alt for alt in graph.texts(node, SCHEMA.alternateName) if len(alt) < len(name or "")]
    short_name = min(shorter, key=lambda alt: (len(alt), alt)) if shorter else None
    issns: dict[str, IssnKind] = {}
    for predicate, kind in _ISSN_PROPERTIES:
        for value in graph.texts(node, predicate):
            issns.setdefault(value, kind)
    for value in graph.texts(node, SCHEMA.issn):
        issns.setdefault(value, IssnKind.UNKNOWN)
    ordered = sorted(issns.items(), key=lambda item: (_ISSN_ORDER[item[1]], item[0]))
    return Journal(
        name=name,
        short_name=short_name,
        issns=tuple(Issn(value, kind) for value, kind in ordered),
        volume=volume or graph.text(node, SCHEMA.volumeNumber),
        issue=issue,
    )


# --- text helpers the writers share -----------------------------------------------------------


def one_line(text: str) -> str:
    """Control characters removed and every run of white space (line breaks too) one space."""
    return " ".join(remove_control_characters(text).split())


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text (separated by blank lines), each on one line."""
    return [kept for part in re.split(r"\n\s*\n", text) if (kept := one_line(part))]


def issn_text(issn: Issn) -> str:
    """``2345-6789 (Electronic)``, ``3456-7890 (Linking)``, or the bare ISSN."""
    note = _ISSN_NOTES.get(issn.kind)
    return f"{issn.value} ({note})" if note else issn.value
