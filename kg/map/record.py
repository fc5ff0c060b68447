"""Records to triples: DESIGN.md's modelling contract, one record at a time.

``map_record`` is pure: the same record and context give the same triples, and nothing outside the
returned value changes. Identity is the minter's business; this module only says what is true of
the things the minter names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.core.languages import known_language_tag, language_tag
from kg.core.namespaces import BIBO, DCTERMS, FOAF, KG, PROV, RDF, SCHEMA, XSD
from kg.core.rdf import Object, Subject, Triple
from kg.core.records import (
    Funder,
    IssnKind,
    PartialDate,
    PersonName,
    Record,
    SectionKind,
    Venue,
    WorkKind,
)
from kg.errors import IriError
from kg.identifiers import doi, isbn, issn, orcid
from kg.map.themes import ThemeVocabulary, is_term
from kg.resolve.identity import display_name, fold, funder_key, organization_key
from kg.resolve.merge import SourcedRecord
from kg.resolve.mint import Minter, check_iri

WORK_CLASSES = {
    WorkKind.ARTICLE: (SCHEMA.ScholarlyArticle, BIBO.AcademicArticle),
    WorkKind.CHAPTER: (SCHEMA.Chapter, BIBO.Chapter),
    WorkKind.BOOK: (SCHEMA.Book, BIBO.Book),
    WorkKind.CONFERENCE_PAPER: (SCHEMA.ScholarlyArticle, BIBO.AcademicArticle),
    WorkKind.THESIS: (SCHEMA.Thesis, BIBO.Thesis),
    WorkKind.PREPRINT: (SCHEMA.ScholarlyArticle, BIBO.Manuscript),
    WorkKind.REPORT: (SCHEMA.Report, BIBO.Report),
    WorkKind.OTHER: (SCHEMA.CreativeWork, BIBO.Document),
}
# Kinds whose venue is a book: chapters, and the proceedings a conference paper is in.
BOOK_PARTS = frozenset({WorkKind.CHAPTER, WorkKind.CONFERENCE_PAPER})
# Kinds whose venue is a journal (or a series known by ISSN).
JOURNAL_PARTS = frozenset({WorkKind.ARTICLE, WorkKind.PREPRINT, WorkKind.REPORT, WorkKind.OTHER})
_ISSN_PROPERTIES = {
    IssnKind.PRINT: BIBO.issn,
    IssnKind.ELECTRONIC: BIBO.eissn,
    IssnKind.LINKING: KG.issnL,
    IssnKind.UNKNOWN: BIBO.issn,
}
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
_ORCID_SHAPE = re.compile(r"[0-9]{15}[0-9X]")
SECTION_KINDS = {
    SectionKind.PURPOSE: KG.Purpose,
    SectionKind.DESIGN: KG.DesignMethodologyApproach,
    SectionKind.FINDINGS: KG.Findings,
    SectionKind.LIMITATIONS: KG.ResearchLimitationsImplications,
    SectionKind.PRACTICAL: KG.PracticalImplications,
    SectionKind.SOCIAL: KG.SocialImplications,
    SectionKind.ORIGINALITY: KG.OriginalityValue,
    SectionKind.OTHER: KG.OtherSection,
}
AHEAD_OF_PRINT = "Ahead of print"
_DATE_TYPES = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}
ISSN_PORTAL = "https://portal.issn.org/resource/ISSN/"


@dataclass(frozen=True)
class MappingContext:
    """What mapping needs beyond the record: the IRI rules (and identities) and the themes."""

    minter: Minter
    themes: ThemeVocabulary


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
    if record.content_type:  # a source with no type at all: the shapes report it
        add(work, KG.contentType, Literal(record.content_type))
    # Titles and abstracts are in the record's language when it says which (a book's title is
    # the name its chapters give it too, so it stays untagged: one name, not two).
    lang = known_language_tag(record.language) if record.language else None
    if record.title:
        title = _work_title(record, minter)
        tagged = lang if record.kind is not WorkKind.BOOK else None
        add(work, SCHEMA.name, Literal(title, lang=tagged))
        add(work, DCTERMS.title, Literal(title, lang=tagged))
    if record.published is not None:
        add(work, SCHEMA.datePublished, date_literal(record.published))
        # One sortable year for every work, whatever the date's precision (see year_literal).
        add(work, KG.publicationYear, year_literal(record.published))
    if record.article_type:
        add(work, SCHEMA.genre, Literal(record.article_type))
    if record.doi:
        out.extend(_doi(work, record.doi))
    if record.pmid:
        add(work, BIBO.pmid, Literal(record.pmid))
        if record.pmid.isdigit():
            add(work, SCHEMA.sameAs, URIRef(check_iri(f"{PUBMED}{record.pmid}/")))
    out.extend(_authors(work, record.authors, minter))
    if record.authors_incomplete:
        add(work, KG.authorListIncomplete, Literal(True))
    for editor in record.editors:
        person = minter.person(editor)
        add(work, SCHEMA.editor, person)
        out.extend(_agent(person, editor, minter))
    if record.snippet:
        add(work, KG.snippet, Literal(record.snippet))
    full_abstract = record.full_abstract
    if full_abstract:
        add(work, SCHEMA.abstract, Literal(full_abstract, lang=lang))
    for position, section in enumerate(record.abstract_sections, start=1):
        node = minter.abstract_section(work, position)
        add(work, KG.abstractSection, node)
        add(node, RDF.type, KG.AbstractSection)
        add(node, KG.sectionKind, SECTION_KINDS[section.kind])
        add(node, SCHEMA.name, Literal(section.heading, lang=lang))
        add(node, SCHEMA.text, Literal(section.text, lang=lang))
        add(node, KG.position, Literal(position, datatype=XSD.integer))
    if record.downloads is not None:
        counter = minter.download_counter(work)
        add(work, SCHEMA.interactionStatistic, counter)
        add(counter, RDF.type, SCHEMA.InteractionCounter)
        add(counter, SCHEMA.interactionType, SCHEMA.DownloadAction)
        add(counter, SCHEMA.userInteractionCount, Literal(record.downloads, datatype=XSD.integer))
    out.extend(_publication_details(work, record, minter))
    if record.venue:
        out.extend(_venue(work, record, record.venue, minter))

    keyword_concepts, vocabulary_concepts = _themes(work, record, context, out)
    return MappedRecord(work, out, keyword_concepts, vocabulary_concepts)


def provenance_triples(work: URIRef, source: SourcedRecord, minter: Minter) -> Iterator[Triple]:
    """The work was derived from this record of this input file (one per record merged)."""
    record = source.record
    node = minter.source_record(source.input_file, record.number)
    yield work, PROV.wasDerivedFrom, node
    yield node, RDF.type, KG.SourceRecord
    yield node, KG.sourceFile, source.input_file
    yield node, KG.sourceLine, Literal(record.source.line, datatype=XSD.integer)
    yield node, KG.recordNumber, Literal(record.number, datatype=XSD.integer)
    if record.source.path:
        yield node, KG.sourcePath, Literal(record.source.path)


def _work_title(record: Record, minter: Minter) -> str:
    """A book's title is the one name the book has in this export (chapters name it too)."""
    if record.kind is WorkKind.BOOK and record.venue is not None:
        key = minter.identities.book(record.venue)
        if key is not None:
            return minter.identities.book_names.get(key, record.title or "")
    return record.title or ""


def _publication_details(work: URIRef, record: Record, minter: Minter) -> Iterator[Triple]:
    if record.url and _is_iri(record.url):
        yield work, SCHEMA.url, URIRef(record.url)
    if record.language:
        yield work, SCHEMA.inLanguage, Literal(language_tag(record.language))
    if record.publisher:
        publisher = minter.organization(record.publisher)
        yield work, SCHEMA.publisher, publisher
        yield from _organization(
            publisher, organization_key(record.publisher), record.publisher, minter
        )
    if record.page_start:
        yield work, SCHEMA.pageStart, Literal(record.page_start)
        yield work, BIBO.pageStart, Literal(record.page_start)
    if record.page_end:
        yield work, SCHEMA.pageEnd, Literal(record.page_end)
        yield work, BIBO.pageEnd, Literal(record.page_end)
    if record.article_number:
        yield work, BIBO.locator, Literal(record.article_number)
    for license_url in record.licenses:
        if _is_iri(license_url):
            yield work, SCHEMA.license, URIRef(license_url)
    yield from _funding(work, record.funders, minter)


def _is_iri(text: str) -> bool:
    try:
        check_iri(text)
    except IriError:
        return False
    return text.startswith(("http://", "https://"))


def _funding(work: URIRef, funders: tuple[Funder, ...], minter: Minter) -> Iterator[Triple]:
    position = 0
    for funder in funders:
        if funder.doi and doi.is_valid(funder.doi):
            node, key = minter.funder(funder.doi), funder_key(funder.doi)
            yield node, SCHEMA.sameAs, URIRef(doi.to_uri(funder.doi))
        elif funder.name:
            node, key = minter.organization(funder.name), organization_key(funder.name)
        else:
            continue
        yield work, SCHEMA.funder, node
        if funder.name:
            yield from _organization(node, key, funder.name, minter)
        else:  # a registry DOI without a name: the shapes ask for the name
            yield node, RDF.type, SCHEMA.Organization
            yield node, RDF.type, FOAF.Organization
        for award in funder.awards:
            position += 1
            grant = minter.grant(work, position)
            yield work, SCHEMA.funding, grant
            yield grant, RDF.type, SCHEMA.MonetaryGrant
            yield grant, SCHEMA.identifier, Literal(award)
            yield grant, SCHEMA.funder, node


def year_literal(date: PartialDate) -> Literal:
    """The year as an ``xsd:integer``: every SPARQL store compares and sorts integers, while
    ``xsd:gYear`` comparison is an extension few stores have, and schema:datePublished mixes
    three datatypes (a filter on YEAR() of it drops year-only works in strict stores)."""
    return Literal(date.year, datatype=XSD.integer)


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
    # One person holds one place in an author list, the first (the readers report repeats):
    # two spellings the identity resolution finds to be one person are one author here too.
    first: dict[URIRef, PersonName] = {}
    for name in authors:
        first.setdefault(minter.person(name), name)
    people = list(first)
    authors = tuple(first.values())
    for position, (name, person) in enumerate(zip(authors, people, strict=True), start=1):
        yield work, SCHEMA.author, person
        authorship = minter.authorship(work, position)
        yield work, KG.authorship, authorship
        yield authorship, RDF.type, KG.Authorship
        yield authorship, KG.person, person
        yield authorship, KG.position, Literal(position, datatype=XSD.integer)
        yield from _agent(person, name, minter)
    if people:
        cells = [minter.list_cell(work, position) for position in range(1, len(people) + 1)]
        yield work, BIBO.authorList, cells[0]
        for index, (cell, person) in enumerate(zip(cells, people, strict=True)):
            yield cell, RDF.first, person
            yield cell, RDF.rest, cells[index + 1] if index + 1 < len(cells) else RDF.nil


def _agent(node: URIRef, name: PersonName, minter: Minter) -> Iterator[Triple]:
    if name.organization:
        yield from _organization(node, organization_key(name.written), name.written, minter)
        return
    known_as = minter.identities.canonical_person(name)
    yield node, RDF.type, SCHEMA.Person
    yield node, RDF.type, FOAF.Person
    shown = display_name(known_as)
    yield node, SCHEMA.name, Literal(shown)
    yield node, FOAF.name, Literal(shown)
    if known_as.given:
        yield node, SCHEMA.givenName, Literal(known_as.given)
    if known_as.family:
        yield node, SCHEMA.familyName, Literal(known_as.family)
    if name.honorific:  # "Mr", "Dr": kept, but never part of the given names or the IRI
        yield node, SCHEMA.honorificPrefix, Literal(name.honorific)
    written = display_name(name)
    if fold(written) != fold(shown):  # another spelling of the same person: kept, not lost
        yield node, SCHEMA.alternateName, Literal(written)
    key = minter.identities.person(name)
    if key.startswith("orcid-") and orcid.is_valid(key.removeprefix("orcid-")):
        yield node, SCHEMA.sameAs, URIRef(orcid.to_uri(key.removeprefix("orcid-")))
    elif name.orcid:  # kept as written, where an ORCID goes: the shapes check its check digit
        yield node, SCHEMA.sameAs, _unverified_orcid(name.orcid)


def _unverified_orcid(written: str) -> URIRef | Literal:
    """An ORCID that fails its check digit as the orcid.org address it claims to be; text that is
    not even shaped like one stays a literal (the shapes want an IRI there, and say so)."""
    digits = orcid.compact(written)
    if _ORCID_SHAPE.fullmatch(digits):
        return URIRef("https://orcid.org/" + "-".join(digits[i : i + 4] for i in range(0, 16, 4)))
    return Literal(written)


def _organization(node: URIRef, key: str, written: str, minter: Minter) -> Iterator[Triple]:
    name = minter.identities.organization_name(key, written)
    yield node, RDF.type, SCHEMA.Organization
    yield node, RDF.type, FOAF.Organization
    yield node, SCHEMA.name, Literal(name)
    yield node, FOAF.name, Literal(name)
    if written != name:  # another spelling ("PEERJ INC"), kept
        yield node, SCHEMA.alternateName, Literal(written)


def _venue(work: URIRef, record: Record, venue: Venue, minter: Minter) -> Iterator[Triple]:
    if record.kind is WorkKind.BOOK:  # the work is the book: its ISBNs are its own
        yield from _isbns(work, venue)
        return
    if record.kind in BOOK_PARTS or venue.is_book:
        book = minter.book(venue)
        if book is not None:
            yield work, SCHEMA.isPartOf, book
            yield from _book(
                book, venue, minter, proceedings=record.kind is WorkKind.CONFERENCE_PAPER
            )
        return
    if venue.ahead_of_print:
        yield work, SCHEMA.creativeWorkStatus, Literal(AHEAD_OF_PRINT)
        yield work, BIBO.status, KG.aheadOfPrint
    if record.kind not in JOURNAL_PARTS or not (venue.issns or record.kind is WorkKind.ARTICLE):
        return  # a thesis's university, a preprint server without ISSN: reported, not a journal
    periodical = minter.periodical(venue)
    if periodical is None:
        return
    yield from _periodical(periodical, venue, minter)
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


def _periodical(periodical: URIRef, venue: Venue, minter: Minter) -> Iterator[Triple]:
    yield periodical, RDF.type, SCHEMA.Periodical
    yield periodical, RDF.type, BIBO.Journal
    key = minter.identities.journal(venue)
    name = minter.identities.journal_names.get(key or "", venue.title)
    if name:
        yield periodical, SCHEMA.name, Literal(name)
    for other in (venue.title, venue.short_title):
        if other and fold(other) != fold(name):
            yield periodical, SCHEMA.alternateName, Literal(other)
    for written in venue.issns:
        if issn.is_valid(written.value):
            formatted = issn.format(written.value)
            yield periodical, SCHEMA.issn, Literal(formatted)
            kind = minter.identities.issn_kinds.get(formatted, written.kind)
            yield periodical, _ISSN_PROPERTIES[kind], Literal(formatted)
            yield periodical, SCHEMA.sameAs, URIRef(ISSN_PORTAL + formatted)
        else:  # kept as written: the shapes report it
            yield periodical, SCHEMA.issn, Literal(written.value)
            yield periodical, BIBO.issn, Literal(written.value)


def _book(book: URIRef, venue: Venue, minter: Minter, *, proceedings: bool) -> Iterator[Triple]:
    yield book, RDF.type, SCHEMA.Book
    yield book, RDF.type, BIBO.Book
    if proceedings:
        yield book, RDF.type, BIBO.Proceedings
    key = minter.identities.book(venue)
    name = minter.identities.book_names.get(key or "", venue.title)
    if name:
        yield book, SCHEMA.name, Literal(name)
    if venue.title and name and fold(venue.title) != fold(name):
        yield book, SCHEMA.alternateName, Literal(venue.title)
    yield from _isbns(book, venue)


def _isbns(book: URIRef, venue: Venue) -> Iterator[Triple]:
    for written in venue.isbns:
        if isbn.is_valid(written):
            isbn13 = isbn.to_isbn13(written)
            yield book, SCHEMA.isbn, Literal(isbn13)
            yield book, BIBO.isbn13, Literal(isbn13)
            isbn10 = isbn.to_isbn10(written)
            if isbn10:
                yield book, BIBO.isbn10, Literal(isbn10)
        else:
            yield book, SCHEMA.isbn, Literal(written)


def _themes(
    work: URIRef, record: Record, context: MappingContext, out: list[Triple]
) -> tuple[tuple[tuple[URIRef, str], ...], frozenset[URIRef]]:
    """What the source says (keywords, and the concepts they name: schema:about) apart from
    what kg finds (vocabulary labels in the text: kg:matchedTheme, with the evidence)."""
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
        elif is_term(keyword):  # "DOI:" stays a keyword, and names no concept
            keyword_concepts.append((iri, keyword))
            linked[iri] = None
    for iri in linked:
        out.append((work, SCHEMA.about, iri))
        out.append((work, DCTERMS.subject, iri))
    vocabulary.update(_theme_matches(work, record, context, out))
    return tuple(keyword_concepts), frozenset(vocabulary)


def _theme_matches(
    work: URIRef, record: Record, context: MappingContext, out: list[Triple]
) -> set[URIRef]:
    """One kg:ThemeMatch per concept and field whose text holds one of its labels."""
    fields = (
        (SCHEMA.name, record.title),
        (SCHEMA.abstract, record.full_abstract),
        # " ; " keeps a label from matching across two keywords
        (SCHEMA.keywords, " ; ".join(record.keywords)),
    )
    found: dict[URIRef, list[tuple[URIRef, tuple[str, ...]]]] = {}
    for field, text in fields:
        if text:
            for concept, words in context.themes.matches_in(text):
                found.setdefault(concept.iri, []).append((field, words))
    position = 0
    for concept_iri, evidence in found.items():
        out.append((work, KG.matchedTheme, concept_iri))
        for field, words in evidence:
            position += 1
            node = context.minter.theme_match(work, position)
            out.append((work, KG.themeMatch, node))
            out.append((node, RDF.type, KG.ThemeMatch))
            out.append((node, KG.theme, concept_iri))
            out.append((node, KG.matchedIn, field))
            out.extend((node, KG.matchedText, Literal(word)) for word in words)
    return set(found)
