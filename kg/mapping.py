"""Records to triples: DESIGN.md's modelling contract, one record at a time.

``map_record`` is pure: the same record and context give the same triples, and nothing outside the
returned value changes. Identity is the minter's business; this module only says what is true of
the things the minter names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.identifiers import doi, isbn, issn, orcid
from kg.mint import Minter
from kg.namespaces import BIBO, DCTERMS, FOAF, KG, PROV, RDF, SCHEMA, XSD
from kg.rdf import Object, Subject, Triple
from kg.records import PartialDate, PersonName, Record, Venue, WorkKind
from kg.themes import ThemeVocabulary

WORK_CLASSES = {
    WorkKind.ARTICLE: (SCHEMA.ScholarlyArticle, BIBO.AcademicArticle),
    WorkKind.CHAPTER: (SCHEMA.Chapter, BIBO.Chapter),
}
SECTION_KINDS = {
    "Purpose": KG.Purpose,
    "Design/methodology/approach": KG.DesignMethodologyApproach,
    "Findings": KG.Findings,
    "Research limitations/implications": KG.ResearchLimitationsImplications,
    "Practical implications": KG.PracticalImplications,
    "Social implications": KG.SocialImplications,
    "Originality/value": KG.OriginalityValue,
}
AHEAD_OF_PRINT = "Ahead of print"
_DATE_TYPES = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}
ISSN_PORTAL = "https://portal.issn.org/resource/ISSN/"


@dataclass(frozen=True)
class MappingContext:
    """What mapping needs beyond the record: the IRI rules, the themes, the record's input file."""

    minter: Minter
    themes: ThemeVocabulary
    input_file: URIRef


@dataclass(frozen=True)
class MappedRecord:
    work: URIRef
    triples: list[Triple]
    keyword_concepts: tuple[tuple[URIRef, str], ...]  # (concept, keyword as written), to describe
    vocabulary_concepts: frozenset[URIRef]  # concepts of the theme vocabulary linked


def map_record(record: Record, context: MappingContext) -> MappedRecord:
    """The triples that say what ``record`` says, under ``context``'s IRI rules."""
    minter = context.minter
    work = minter.work(record)
    out: list[Triple] = []

    def add(subject: Subject, predicate: URIRef, value: Object) -> None:
        out.append((subject, predicate, value))

    for cls in WORK_CLASSES[record.kind]:
        add(work, RDF.type, cls)
    add(work, KG.contentType, Literal(record.content_type))
    if record.title:
        add(work, SCHEMA.name, Literal(record.title))
        add(work, DCTERMS.title, Literal(record.title))
    add(work, SCHEMA.datePublished, date_literal(record.published))
    if record.article_type:
        add(work, SCHEMA.genre, Literal(record.article_type))
    if record.doi:
        out.extend(_doi(work, record.doi))
    out.extend(_authors(work, record.authors, minter))
    if record.snippet:
        add(work, KG.snippet, Literal(record.snippet))
    full_abstract = record.full_abstract
    if full_abstract:
        add(work, SCHEMA.abstract, Literal(full_abstract))
    for position, section in enumerate(record.abstract_sections, start=1):
        node = minter.abstract_section(work, position)
        add(work, KG.abstractSection, node)
        add(node, RDF.type, KG.AbstractSection)
        add(node, KG.sectionKind, SECTION_KINDS[section.heading])
        add(node, SCHEMA.name, Literal(section.heading))
        add(node, SCHEMA.text, Literal(section.text))
        add(node, KG.position, Literal(position, datatype=XSD.integer))
    if record.downloads is not None:
        counter = minter.download_counter(work)
        add(work, SCHEMA.interactionStatistic, counter)
        add(counter, RDF.type, SCHEMA.InteractionCounter)
        add(counter, SCHEMA.interactionType, SCHEMA.DownloadAction)
        add(counter, SCHEMA.userInteractionCount, Literal(record.downloads, datatype=XSD.integer))
    if record.venue:
        out.extend(_venue(work, record, record.venue, minter))

    keyword_concepts, vocabulary_concepts = _themes(work, record, context, out)

    source = minter.source_record(context.input_file, record.number)
    add(work, PROV.wasDerivedFrom, source)
    add(source, RDF.type, KG.SourceRecord)
    add(source, KG.sourceFile, context.input_file)
    add(source, KG.sourceLine, Literal(record.source.line, datatype=XSD.integer))
    add(source, KG.recordNumber, Literal(record.number, datatype=XSD.integer))
    return MappedRecord(work, out, keyword_concepts, vocabulary_concepts)


def date_literal(date: PartialDate) -> Literal:
    """``xsd:date``, or ``xsd:gYearMonth``/``xsd:gYear`` when the source gives less."""
    precision = 1 + (date.month is not None) + (date.day is not None and date.month is not None)
    return Literal(date.lexical, datatype=_DATE_TYPES[precision])


def _doi(work: URIRef, written: str) -> Iterator[Triple]:
    if doi.is_valid(written):
        yield work, BIBO.doi, Literal(doi.compact(written))
        yield work, SCHEMA.sameAs, URIRef(doi.to_uri(written))
    else:  # kept as written: the shapes report it
        yield work, BIBO.doi, Literal(written)


def _authors(work: URIRef, authors: tuple[PersonName, ...], minter: Minter) -> Iterator[Triple]:
    people = [minter.person(name) for name in authors]
    for position, (name, person) in enumerate(zip(authors, people, strict=True), start=1):
        yield work, SCHEMA.author, person
        authorship = minter.authorship(work, position)
        yield work, KG.authorship, authorship
        yield authorship, RDF.type, KG.Authorship
        yield authorship, KG.person, person
        yield authorship, KG.position, Literal(position, datatype=XSD.integer)
        yield from _person(person, name)
    if people:
        cells = [minter.list_cell(work, position) for position in range(1, len(people) + 1)]
        yield work, BIBO.authorList, cells[0]
        for index, (cell, person) in enumerate(zip(cells, people, strict=True)):
            yield cell, RDF.first, person
            yield cell, RDF.rest, cells[index + 1] if index + 1 < len(cells) else RDF.nil


def _person(person: URIRef, name: PersonName) -> Iterator[Triple]:
    yield person, RDF.type, SCHEMA.Person
    yield person, RDF.type, FOAF.Person
    yield person, SCHEMA.name, Literal(name.written)
    yield person, FOAF.name, Literal(name.written)
    if name.given:
        yield person, SCHEMA.givenName, Literal(name.given)
    if name.family:
        yield person, SCHEMA.familyName, Literal(name.family)
    if name.orcid and orcid.is_valid(name.orcid):
        yield person, SCHEMA.sameAs, URIRef(orcid.to_uri(name.orcid))


def _venue(work: URIRef, record: Record, venue: Venue, minter: Minter) -> Iterator[Triple]:
    if record.kind is WorkKind.CHAPTER or venue.is_book:
        book = minter.book(venue)
        if book is not None:
            yield work, SCHEMA.isPartOf, book
            yield from _book(book, venue)
        return
    periodical = minter.periodical(venue)
    if venue.ahead_of_print:
        yield work, SCHEMA.creativeWorkStatus, Literal(AHEAD_OF_PRINT)
        yield work, BIBO.status, KG.aheadOfPrint
    if periodical is None:
        return
    yield from _periodical(periodical, venue)
    container = periodical
    if venue.volume:
        volume = minter.volume(periodical, venue.volume)
        yield volume, RDF.type, SCHEMA.PublicationVolume
        yield volume, SCHEMA.volumeNumber, Literal(venue.volume)
        yield volume, SCHEMA.isPartOf, container
        container = volume
    if venue.issue:
        issue = minter.issue(container, venue.issue)
        yield issue, RDF.type, SCHEMA.PublicationIssue
        yield issue, RDF.type, BIBO.Issue
        yield issue, SCHEMA.issueNumber, Literal(venue.issue)
        yield issue, SCHEMA.isPartOf, container
        container = issue
    yield work, SCHEMA.isPartOf, container


def _periodical(periodical: URIRef, venue: Venue) -> Iterator[Triple]:
    yield periodical, RDF.type, SCHEMA.Periodical
    yield periodical, RDF.type, BIBO.Journal
    if venue.title:
        yield periodical, SCHEMA.name, Literal(venue.title)
    if venue.issn and issn.is_valid(venue.issn):
        formatted = issn.format(venue.issn)
        yield periodical, SCHEMA.issn, Literal(formatted)
        yield periodical, BIBO.issn, Literal(formatted)
        yield periodical, SCHEMA.sameAs, URIRef(ISSN_PORTAL + formatted)
    elif venue.issn:  # kept as written: the shapes report it
        yield periodical, SCHEMA.issn, Literal(venue.issn)
        yield periodical, BIBO.issn, Literal(venue.issn)


def _book(book: URIRef, venue: Venue) -> Iterator[Triple]:
    yield book, RDF.type, SCHEMA.Book
    yield book, RDF.type, BIBO.Book
    if venue.title:
        yield book, SCHEMA.name, Literal(venue.title)
    if venue.isbn and isbn.is_valid(venue.isbn):
        isbn13 = isbn.to_isbn13(venue.isbn)
        yield book, SCHEMA.isbn, Literal(isbn13)
        yield book, BIBO.isbn13, Literal(isbn13)
        isbn10 = isbn.to_isbn10(venue.isbn)
        if isbn10:
            yield book, BIBO.isbn10, Literal(isbn10)
    elif venue.isbn:
        yield book, SCHEMA.isbn, Literal(venue.isbn)


def _themes(
    work: URIRef, record: Record, context: MappingContext, out: list[Triple]
) -> tuple[tuple[tuple[URIRef, str], ...], frozenset[URIRef]]:
    keyword_concepts: list[tuple[URIRef, str]] = []
    linked: dict[URIRef, None] = {}  # ordered set
    vocabulary: set[URIRef] = set()
    for keyword in record.keywords:
        out.append((work, SCHEMA.keywords, Literal(keyword)))
        iri = context.minter.theme(keyword)
        concept = context.themes.concept_for_keyword(keyword, iri)
        if concept is not None:
            vocabulary.add(concept.iri)
            linked[concept.iri] = None
        else:
            keyword_concepts.append((iri, keyword))
            linked[iri] = None
    text = " ".join(filter(None, (record.title, record.full_abstract, *record.keywords)))
    for concept in context.themes.concepts_in(text):
        vocabulary.add(concept.iri)
        linked[concept.iri] = None
    for iri in linked:
        out.append((work, SCHEMA.about, iri))
        out.append((work, DCTERMS.subject, iri))
    return tuple(keyword_concepts), frozenset(vocabulary)
