"""SHACL shapes (shapes/*.ttl): every node shape sees a graph that conforms and one that must not.

The conforming graph is the bundled example, built once. Each case copies it, breaks (or, for the
accepted cases, changes without breaking) one thing picked by a SPARQL query, validates with all
shipped shapes and asserts the specific result: focus node, severity, constraint component, path,
and for SPARQL-based constraints the constraint (recognised by its sh:message template, because a
result's sh:sourceShape names the node shape that holds the constraint).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import processor as sparql_processor
from rdflib.term import Node

from kg.core import namespaces as ns
from kg.core.namespaces import (
    BIBO,
    DCTERMS,
    KG,
    KG_VOCAB_IRI,
    PREFIXES,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    VOID,
)
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.map.provenance import Catalogue, catalogue_record
from kg.validate.reference import ValidationOutcome, ValidationResult, load_shapes, validate
from kg.validate.reference import _stable_label as stable_label
from kg.validate.scalable import validate_export
from tests.conftest import EXAMPLES

SH = "http://www.w3.org/ns/shacl#"
KGSH = "https://w3id.org/kg/shapes#"
SHAPES_DIR = Path(__file__).resolve().parents[1] / "shapes"


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


def kgsh(name: str) -> URIRef:
    return URIRef(KGSH + name)


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module", autouse=True)
def _reuse_parsed_sparql() -> Iterator[None]:
    """pySHACL hands rdflib each SPARQL constraint's text once per focus node, and rdflib parses it
    anew every time (about 80% of a validation). Translate each distinct text once while these
    tests run; rdflib's prepared queries are made to be evaluated many times."""

    @functools.cache
    def prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Any:
        parsed = sparql_processor.parseQuery(text)
        return sparql_processor.translateQuery(parsed, base, dict(namespaces) or None)

    original = sparql_processor.SPARQLProcessor.query

    signature = inspect.signature(original)

    def query(*args: Any, **kwargs: Any) -> Any:
        call = signature.bind(*args, **kwargs)
        text = call.arguments["strOrQuery"]
        if isinstance(text, str):
            namespaces = tuple(sorted((call.arguments.get("initNs") or {}).items()))
            call.arguments["strOrQuery"] = prepared(text, call.arguments.get("base"), namespaces)
        return original(*call.args, **call.kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sparql_processor.SPARQLProcessor, "query", query)
        yield


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


# Everything a catalogue record may say, so that every catalogue shape has nodes to check.
CATALOGUE = Catalogue(
    license="https://creativecommons.org/licenses/by/4.0/",
    publisher="Example University Library",
    sparql_endpoint="https://data.example.edu/sparql",
)


@pytest.fixture(scope="module")
def base() -> Graph:
    """The bundled example's graph, with dataset.ttl's distributions (as a store holding both
    files has them)."""
    built = build_graph(list(EXAMPLES), ExportOptions(catalogue=CATALOGUE))
    assert not built.errors
    graph = built.graph.to_rdflib()
    sizes = {"graph.ttl": 52_000, "graph.nt": 150_000}
    for triple in catalogue_record(built.minter, [], sizes, CATALOGUE):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def base_outcome(base: Graph, shapes: Graph) -> ValidationOutcome:
    return validate(base, shapes)


# --------------------------------------------------------------------------------------------
# Picking nodes and changing graphs

Mutation = Callable[[Graph], Node]  # changes the graph in place, returns the expected focus node

WORK = "?n a ?class . VALUES ?class { schema:ScholarlyArticle schema:Chapter }"
ARTICLE_IN_ISSUE = "?n a schema:ScholarlyArticle ; schema:isPartOf/a schema:PublicationIssue"
AHEAD_OF_PRINT = "?n bibo:status kg:aheadOfPrint"
CHAPTER = "?n a schema:Chapter ; schema:isPartOf ?book"
CO_AUTHORED = "?n bibo:authorList/rdf:rest/rdf:first ?second"
AUTHORSHIP = "?n a kg:Authorship"
SOLE_AUTHORSHIP = "?w kg:authorship ?n FILTER NOT EXISTS { ?w kg:authorship ?o FILTER (?o != ?n) }"
PERSON = "?n a schema:Person"
ORGANIZATION = "?n a schema:Organization ; schema:name ?name"
GRANT = "?n a schema:MonetaryGrant"
JOURNAL = "?n a schema:Periodical"
VOLUME = "?n a schema:PublicationVolume"
ISSUE = "?n a schema:PublicationIssue"
BOOK = "?n a schema:Book"
CONCEPT = "?n a skos:Concept ; skos:prefLabel ?label . FILTER (LANG(?label) = 'en')"
SCHEME = "?n a skos:ConceptScheme"
COUNTER = "?n a schema:InteractionCounter"
SECTION = "?n a kg:AbstractSection"
THEME_MATCH = "?n a kg:ThemeMatch"
SOURCE_RECORD = "?n a kg:SourceRecord"
INPUT_FILE = "?n a kg:InputFile"
DATASET = "?n prov:wasGeneratedBy ?activity"
ACTIVITY = "?n a prov:Activity"
SOFTWARE = "?n a prov:SoftwareAgent"
CLASS_PARTITION = "?dataset void:classPartition ?n"
DISTRIBUTION = "?n a dcat:Distribution"
PUBLISHER = "?dataset dcterms:publisher ?n"


def pick_all(graph: Graph, where: str) -> list[URIRef]:
    """The nodes (in IRI order) that match ``where``, which binds ``?n``."""
    query = f"SELECT DISTINCT ?n WHERE {{ {where} }} ORDER BY STR(?n)"
    nodes = [row[0] for row in graph.query(query, initNs=PREFIXES)]  # type: ignore[index]
    assert nodes, f"the example graph has no node for: {where}"
    assert all(isinstance(node, URIRef) for node in nodes)
    return nodes  # type: ignore[return-value]


def pick(graph: Graph, where: str) -> URIRef:
    return pick_all(graph, where)[0]


def works_of(graph: Graph) -> set[Node]:
    return set(pick_all(graph, WORK))


def untitled_works_of(graph: Graph) -> set[Node]:
    return {w for w in works_of(graph) if (w, SCHEMA.name, None) not in graph}


def replace(where: str, predicate: URIRef, *values: Node) -> Mutation:
    """Give the picked node exactly ``values`` for ``predicate`` (none: remove the property)."""

    def mutate(graph: Graph) -> Node:
        node = pick(graph, where)
        assert (node, predicate, None) in graph or values, f"{node} has no {predicate} to remove"
        graph.remove((node, predicate, None))
        for value in values:
            graph.add((node, predicate, value))
        return node

    return mutate


def add(where: str, predicate: URIRef, value: Node) -> Mutation:
    def mutate(graph: Graph) -> Node:
        node = pick(graph, where)
        assert (node, predicate, None) in graph, f"{node} has no {predicate} to add to"
        assert (node, predicate, value) not in graph
        graph.add((node, predicate, value))
        return node

    return mutate


def link(where: str, predicate: URIRef, target: str, *, keep: bool = False) -> Mutation:
    """Point the picked node's ``predicate`` at a node of kind ``target`` (added when ``keep``)."""

    def mutate(graph: Graph) -> Node:
        node = pick(graph, where)
        value = next(t for t in pick_all(graph, target) if (node, predicate, t) not in graph)
        if not keep:
            graph.remove((node, predicate, None))
        graph.add((node, predicate, value))
        return node

    return mutate


def orphan(where: str, predicate: URIRef) -> Mutation:
    """Cut the picked node off from everything that points at it with ``predicate``."""

    def mutate(graph: Graph) -> Node:
        node = pick(graph, where)
        assert (None, predicate, node) in graph
        graph.remove((None, predicate, node))
        return node

    return mutate


def drop_second_list_member(graph: Graph) -> Node:
    """Unlink the second cell of a work's author list: one author too few in the list."""
    work = pick(graph, CO_AUTHORED)
    head = graph.value(work, BIBO.authorList)
    second = graph.value(head, RDF.rest)
    graph.set((head, RDF.rest, graph.value(second, RDF.rest)))
    graph.remove((second, None, None))
    return work


def second_list_member_twice(graph: Graph) -> Node:
    """The head cell of an author list gets a second rdf:first."""
    work = pick(graph, CO_AUTHORED)
    head = graph.value(work, BIBO.authorList)
    graph.add((head, RDF.first, graph.value(graph.value(head, RDF.rest), RDF.first)))
    return work


def repeat_first_position(graph: Graph) -> Node:
    """The second authorship of a work claims position 1 too."""
    work = pick(graph, CO_AUTHORED)
    one, two = (Literal(n, datatype=ns.XSD.integer) for n in (1, 2))
    second = next(a for a in graph.objects(work, KG.authorship) if (a, KG.position, two) in graph)
    graph.set((second, KG.position, one))
    return work


def skip_second_position(graph: Graph) -> Node:
    """Authorship positions 1, 3, ...: the second author's position jumps by two."""
    work = pick(graph, CO_AUTHORED)
    two, three = (Literal(n, datatype=ns.XSD.integer) for n in (2, 3))
    second = next(a for a in graph.objects(work, KG.authorship) if (a, KG.position, two) in graph)
    graph.set((second, KG.position, three))
    return work


def title_all_but_one(graph: Graph) -> Node:
    """Every work gets a title except the picked one."""
    untitled = pick(graph, WORK + " FILTER NOT EXISTS { ?n schema:name ?title }")
    for work in untitled_works_of(graph) - {untitled}:
        graph.add((work, SCHEMA.name, Literal(f"Title of {work}")))
    return untitled


def miscount_records(graph: Graph) -> Node:
    activity = pick(graph, ACTIVITY)
    written = graph.value(activity, KG.recordsWritten).toPython()  # type: ignore[union-attr]
    graph.set((activity, KG.recordsWritten, Literal(written - 1, datatype=ns.XSD.integer)))
    return activity


def publisher_without_name(graph: Graph) -> Node:
    graph.remove((pick(graph, PUBLISHER), ns.FOAF.name, None))
    return pick(graph, DATASET)


def partition_without_entities(graph: Graph) -> Node:
    dataset = pick(graph, DATASET)
    partition = pick(graph, CLASS_PARTITION)
    graph.remove((partition, VOID.entities, None))
    return dataset


# --------------------------------------------------------------------------------------------
# Cases that must be reported


@dataclass(frozen=True)
class Case:
    id: str  # "<shape file>-<what is wrong>"
    shape: URIRef  # the node shape that reports it
    mutate: Mutation
    component: URIRef  # sh:sourceConstraintComponent
    path: URIRef | None = None  # sh:resultPath, when the constraint has one
    severity: str = "Violation"
    source: URIRef | None = None  # a named property shape reporting it, else ``shape``
    constraint: URIRef | None = None  # the SPARQL constraint (None: any of the shape's)
    bug: str | None = None  # a known bug in the shapes: the case is xfail(strict=True)


def typed(value: str, datatype: URIRef) -> Literal:
    return Literal(value, datatype=datatype)


MIN = sh("MinCountConstraintComponent")
MAX = sh("MaxCountConstraintComponent")
DATATYPE = sh("DatatypeConstraintComponent")
CLASS = sh("ClassConstraintComponent")
PATTERN = sh("PatternConstraintComponent")
SPARQL = sh("SPARQLConstraintComponent")
IN = sh("InConstraintComponent")
MIN_LENGTH = sh("MinLengthConstraintComponent")
MIN_INCLUSIVE = sh("MinInclusiveConstraintComponent")
OR = sh("OrConstraintComponent")
NODE = sh("NodeConstraintComponent")
NODE_KIND = sh("NodeKindConstraintComponent")
FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
WORKS, ARTICLES, CHAPTERS = kgsh("WorkShape"), kgsh("ArticleShape"), kgsh("ChapterShape")
PERIODICALS = kgsh("PeriodicalShape")

CASES: list[Case] = [
    # works.ttl: kgsh:WorkShape and its named property shapes
    Case("works-date-not-a-real-date", WORKS,
         replace(WORK, SCHEMA.datePublished, typed("2020-02-31", ns.XSD.date)),
         OR, SCHEMA.datePublished, source=kgsh("WorkDate")),
    Case("works-date-not-a-leap-year", WORKS,
         replace(WORK, SCHEMA.datePublished, typed("2019-02-29", ns.XSD.date)),
         OR, SCHEMA.datePublished, source=kgsh("WorkDate")),
    Case("works-date-plain-string", WORKS,
         replace(WORK, SCHEMA.datePublished, Literal("15 June 2012")),
         OR, SCHEMA.datePublished, source=kgsh("WorkDate")),
    Case("works-two-dates", WORKS,
         add(WORK, SCHEMA.datePublished, typed("1999-01-01", ns.XSD.date)),
         MAX, SCHEMA.datePublished, source=kgsh("WorkDate")),
    Case("works-no-date-is-a-warning", WORKS, replace(WORK, SCHEMA.datePublished),
         MIN, SCHEMA.datePublished, severity="Warning", source=kgsh("WorkHasDate")),
    Case("works-title-missing-is-a-warning", WORKS, title_all_but_one,
         MIN, SCHEMA.name, severity="Warning", source=kgsh("WorkTitle")),
    Case("works-two-titles", WORKS,
         replace(WORK, SCHEMA.name, Literal("One title"), Literal("Another title")),
         MAX, SCHEMA.name),
    Case("works-author-list-shorter-than-authors", WORKS, drop_second_list_member,
         SPARQL, constraint=kgsh("AuthorListLength")),
    Case("works-author-list-cell-with-two-members", kgsh("ListShape"), second_list_member_twice,
         NODE, BIBO.authorList, source=kgsh("WorkAuthorList")),
    Case("works-authorship-positions-repeat", WORKS, repeat_first_position,
         SPARQL, constraint=kgsh("AuthorshipPositions")),
    Case("works-authorship-positions-gap", WORKS, skip_second_position,
         SPARQL, constraint=kgsh("AuthorshipPositions")),
    Case("works-ahead-of-print-in-an-issue", WORKS, link(AHEAD_OF_PRINT, SCHEMA.isPartOf, ISSUE),
         SPARQL, SCHEMA.isPartOf, constraint=kgsh("AheadOfPrintHasNoIssue")),
    Case("works-page-end-before-start-is-a-warning", kgsh("WorkPagesShape"),
         replace("?n schema:pageEnd ?end", SCHEMA.pageEnd, Literal("5")), SPARQL, SCHEMA.pageEnd,
         severity="Warning", constraint=kgsh("PageEndBeforePageStart")),
    Case("works-doi-with-prefix", WORKS, replace(WORK, BIBO.doi, Literal("doi:10.1108/x")),
         PATTERN, BIBO.doi, source=kgsh("WorkDoi")),
    Case("works-doi-resolver-iri", WORKS,
         replace(WORK, BIBO.doi, Literal("https://doi.org/10.1108/JMHTEP-09-2011-0012")),
         PATTERN, BIBO.doi, source=kgsh("WorkDoi")),
    Case("works-no-source-record", WORKS, replace(WORK, PROV.wasDerivedFrom),
         MIN, PROV.wasDerivedFrom, source=kgsh("WorkDerivedFrom")),
    Case("works-about-not-a-concept", WORKS, link(WORK, SCHEMA.about, JOURNAL, keep=True),
         CLASS, SCHEMA.about, source=kgsh("WorkAbout")),
    Case("works-author-not-a-person", WORKS, link(WORK, SCHEMA.author, JOURNAL, keep=True),
         OR, SCHEMA.author, source=kgsh("WorkAuthor")),
    Case("works-no-content-type", WORKS, replace(WORK, KG.contentType),
         MIN, KG.contentType, source=kgsh("WorkContentType")),
    Case("works-pmid-not-digits", WORKS,
         replace("?n bibo:pmid ?pmid", BIBO.pmid, Literal("PMC123")),
         PATTERN, BIBO.pmid, source=kgsh("WorkPmid")),
    Case("works-url-as-literal", WORKS,
         replace("?n schema:url ?url", SCHEMA.url, Literal("https://example.org/x")),
         NODE_KIND, SCHEMA.url, source=kgsh("WorkUrl")),
    Case("works-license-as-literal", WORKS,
         replace("?n schema:license ?l", SCHEMA.license, Literal("CC BY 4.0")),
         NODE_KIND, SCHEMA.license, source=kgsh("WorkLicense")),
    Case("works-publisher-not-an-organization", WORKS,
         link("?n schema:publisher ?p", SCHEMA.publisher, JOURNAL),
         CLASS, SCHEMA.publisher, source=kgsh("WorkPublisher")),
    Case("periodicals-eissn-without-hyphen", PERIODICALS,
         replace(JOURNAL, BIBO.eissn, Literal("17556228")), PATTERN, BIBO.eissn),
    Case("periodicals-linking-issn-as-number", PERIODICALS,
         replace(JOURNAL, KG.issnL, typed("17556228", ns.XSD.integer)), DATATYPE, KG.issnL),
    Case("works-unknown-status", WORKS,
         replace(AHEAD_OF_PRINT, BIBO.status, URIRef(KG_VOCAB_IRI + "published")),
         IN, BIBO.status, source=kgsh("WorkStatus")),
    Case("works-chapter-in-a-journal", CHAPTERS, link(CHAPTER, SCHEMA.isPartOf, JOURNAL),
         CLASS, SCHEMA.isPartOf),
    Case("works-chapter-not-bibo-chapter", CHAPTERS,
         replace(CHAPTER, RDF.type, SCHEMA.Chapter), CLASS),
    Case("works-article-in-two-issues", ARTICLES,
         link(ARTICLE_IN_ISSUE, SCHEMA.isPartOf, ISSUE, keep=True),
         MAX, SCHEMA.isPartOf),
    Case("works-article-in-a-book", ARTICLES, link(ARTICLE_IN_ISSUE, SCHEMA.isPartOf, BOOK),
         OR, SCHEMA.isPartOf),
    # authorship.ttl
    Case("authorship-no-person", kgsh("AuthorshipShape"), replace(AUTHORSHIP, KG.person),
         MIN, KG.person),
    Case("authorship-person-not-a-person", kgsh("AuthorshipShape"),
         link(AUTHORSHIP, KG.person, JOURNAL), OR, KG.person),
    Case("authorship-position-zero", kgsh("AuthorshipShape"),
         replace(SOLE_AUTHORSHIP, KG.position, typed("0", ns.XSD.integer)),
         MIN_INCLUSIVE, KG.position),
    Case("authorship-position-string", kgsh("AuthorshipShape"),
         replace(SOLE_AUTHORSHIP, KG.position, Literal("1")), DATATYPE, KG.position),
    Case("authorship-no-work", kgsh("AuthorshipShape"), orphan(SOLE_AUTHORSHIP, KG.authorship),
         MIN),
    # persons.ttl
    Case("persons-no-name", kgsh("PersonShape"), replace(PERSON, SCHEMA.name), MIN, SCHEMA.name),
    Case("persons-empty-name", kgsh("PersonShape"), replace(PERSON, SCHEMA.name, Literal("")),
         MIN_LENGTH, SCHEMA.name),
    Case("persons-no-foaf-name", kgsh("PersonShape"), replace(PERSON, FOAF_NAME),
         MIN, FOAF_NAME),
    Case("persons-same-as-not-orcid", kgsh("PersonShape"),
         replace(PERSON, SCHEMA.sameAs, URIRef("https://example.org/people/jr")),
         PATTERN, SCHEMA.sameAs),
    Case("persons-orcid-http", kgsh("PersonShape"),
         replace(PERSON, SCHEMA.sameAs, URIRef("http://orcid.org/0000-0002-1825-0097")),
         PATTERN, SCHEMA.sameAs),
    Case("persons-orcid-check-digit", kgsh("PersonShape"),
         replace(PERSON, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1825-0098")),
         SPARQL, SCHEMA.sameAs, constraint=kgsh("OrcidCheckDigit")),
    Case("persons-orcid-check-character-x", kgsh("PersonShape"),
         replace(PERSON, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1694-2330")),
         SPARQL, SCHEMA.sameAs, constraint=kgsh("OrcidCheckDigit")),
    Case("persons-orcid-as-literal", kgsh("PersonShape"),
         replace(PERSON, SCHEMA.sameAs, Literal("https://orcid.org/0000-0002-1825-0097")),
         NODE_KIND, SCHEMA.sameAs),
    Case("persons-organization-two-names", kgsh("OrganizationShape"),
         add(ORGANIZATION, SCHEMA.name, Literal("Another name")), MAX, SCHEMA.name),
    Case("persons-organization-no-name", kgsh("OrganizationShape"),
         replace(ORGANIZATION, SCHEMA.name), MIN, SCHEMA.name),
    Case("persons-organization-not-foaf", kgsh("OrganizationShape"),
         replace(ORGANIZATION, RDF.type, SCHEMA.Organization), CLASS),
    Case("persons-organization-same-as-not-a-funder-doi", kgsh("OrganizationShape"),
         replace(ORGANIZATION, SCHEMA.sameAs, URIRef("https://example.org/funders/1")),
         PATTERN, SCHEMA.sameAs),
    Case("persons-grant-no-award-number", kgsh("GrantShape"), replace(GRANT, SCHEMA.identifier),
         MIN, SCHEMA.identifier),
    Case("persons-grant-funder-not-an-organization", kgsh("GrantShape"),
         link(GRANT, SCHEMA.funder, JOURNAL), CLASS, SCHEMA.funder),
    # periodicals.ttl
    Case("periodicals-issn-check-digit", PERIODICALS,
         replace(JOURNAL, SCHEMA.issn, Literal("1755-6229")),
         SPARQL, SCHEMA.issn, constraint=kgsh("IssnCheckDigit")),
    Case("periodicals-issn-check-digit-x", PERIODICALS,
         replace(JOURNAL, BIBO.issn, Literal("1050-1240")),
         SPARQL, BIBO.issn, constraint=kgsh("IssnCheckDigit")),
    Case("periodicals-issn-no-hyphen", PERIODICALS, replace(JOURNAL, SCHEMA.issn,
         Literal("17556228")), PATTERN, SCHEMA.issn, source=kgsh("IssnFormat")),
    Case("periodicals-bibo-issn-no-hyphen", PERIODICALS, replace(JOURNAL, BIBO.issn,
         Literal("17556228")), PATTERN, BIBO.issn),
    Case("periodicals-two-names", PERIODICALS, add(JOURNAL, SCHEMA.name, Literal("Other name")),
         MAX, SCHEMA.name),
    Case("periodicals-no-name-is-a-warning", PERIODICALS, replace(JOURNAL, SCHEMA.name),
         MIN, SCHEMA.name, severity="Warning"),
    Case("periodicals-same-as-not-issn-portal", PERIODICALS,
         replace(JOURNAL, SCHEMA.sameAs, URIRef("https://example.org/journal")),
         PATTERN, SCHEMA.sameAs),
    Case("periodicals-not-bibo-journal", PERIODICALS, replace(JOURNAL, RDF.type, SCHEMA.Periodical),
         CLASS),
    # volumes-issues.ttl
    Case("volumes-issues-issue-without-number", kgsh("IssueShape"),
         replace(ISSUE, SCHEMA.issueNumber), MIN, SCHEMA.issueNumber),
    Case("volumes-issues-issue-number-integer", kgsh("IssueShape"),
         replace(ISSUE, SCHEMA.issueNumber, typed("4", ns.XSD.integer)),
         DATATYPE, SCHEMA.issueNumber),
    Case("volumes-issues-issue-in-a-book", kgsh("IssueShape"),
         link(ISSUE, SCHEMA.isPartOf, BOOK), OR, SCHEMA.isPartOf),
    Case("volumes-issues-issue-not-bibo-issue", kgsh("IssueShape"),
         replace(ISSUE, RDF.type, SCHEMA.PublicationIssue), CLASS),
    Case("volumes-issues-volume-in-a-book", kgsh("VolumeShape"),
         link(VOLUME, SCHEMA.isPartOf, BOOK), CLASS, SCHEMA.isPartOf),
    Case("volumes-issues-volume-in-two-journals", kgsh("VolumeShape"),
         link(VOLUME, SCHEMA.isPartOf, JOURNAL, keep=True),
         MAX, SCHEMA.isPartOf),
    Case("volumes-issues-volume-without-number", kgsh("VolumeShape"),
         replace(VOLUME, SCHEMA.volumeNumber), MIN, SCHEMA.volumeNumber),
    # books.ttl
    Case("books-isbn-check-digit", kgsh("BookShape"),
         replace(BOOK, SCHEMA.isbn, Literal("9781837975625")),
         SPARQL, SCHEMA.isbn, constraint=kgsh("Isbn13CheckDigit")),
    Case("books-bibo-isbn13-check-digit", kgsh("BookShape"),
         replace(BOOK, BIBO.isbn13, Literal("9780306406150")),
         SPARQL, BIBO.isbn13, constraint=kgsh("Isbn13CheckDigit")),
    Case("books-isbn-hyphens", kgsh("BookShape"),
         replace(BOOK, SCHEMA.isbn, Literal("978-1-83797-562-4")), PATTERN, SCHEMA.isbn),
    Case("books-isbn10-check-digit", kgsh("BookShape"),
         replace(BOOK, BIBO.isbn10, Literal("1837975621")), SPARQL, BIBO.isbn10,
         constraint=kgsh("Isbn10CheckDigit")),
    Case("books-no-name-is-a-warning", kgsh("BookShape"), replace(BOOK, SCHEMA.name),
         MIN, SCHEMA.name, severity="Warning"),
    Case("books-two-names", kgsh("BookShape"), add(BOOK, SCHEMA.name, Literal("Other title")),
         MAX, SCHEMA.name),
    Case("books-not-bibo-book", kgsh("BookShape"), replace(BOOK, RDF.type, SCHEMA.Book), CLASS),
    # themes.ttl
    Case("themes-no-pref-label", kgsh("ConceptShape"), replace(CONCEPT, SKOS.prefLabel),
         MIN, SKOS.prefLabel),
    Case("themes-two-pref-labels-one-language", kgsh("ConceptShape"),
         add(CONCEPT, SKOS.prefLabel, Literal("Another label", lang="en")),
         SPARQL, SKOS.prefLabel, constraint=kgsh("OnePrefLabelPerLanguage")),
    Case("themes-no-scheme", kgsh("ConceptShape"), replace(CONCEPT, SKOS.inScheme),
         MIN, SKOS.inScheme),
    Case("themes-scheme-not-a-scheme", kgsh("ConceptShape"), link(CONCEPT, SKOS.inScheme, JOURNAL),
         CLASS, SKOS.inScheme),
    Case("themes-scheme-without-label-is-a-warning", kgsh("ConceptSchemeShape"),
         replace(SCHEME, SKOS.prefLabel), MIN, SKOS.prefLabel, severity="Warning"),
    Case("themes-match-without-concept", kgsh("ThemeMatchShape"), replace(THEME_MATCH, KG.theme),
         MIN, KG.theme),
    Case("themes-match-in-unknown-field", kgsh("ThemeMatchShape"),
         replace(THEME_MATCH, KG.matchedIn, SCHEMA.genre), IN, KG.matchedIn),
    Case("themes-match-without-words", kgsh("ThemeMatchShape"),
         replace(THEME_MATCH, KG.matchedText), MIN, KG.matchedText),
    Case("themes-match-no-work", kgsh("ThemeMatchShape"), orphan(THEME_MATCH, KG.themeMatch), MIN),
    # counters.ttl
    Case("counters-negative-count", kgsh("InteractionCounterShape"),
         replace(COUNTER, SCHEMA.userInteractionCount, typed("-5", ns.XSD.integer)),
         MIN_INCLUSIVE, SCHEMA.userInteractionCount),
    Case("counters-count-as-string", kgsh("InteractionCounterShape"),
         replace(COUNTER, SCHEMA.userInteractionCount, Literal("12")),
         DATATYPE, SCHEMA.userInteractionCount),
    Case("counters-two-counts", kgsh("InteractionCounterShape"),
         add(COUNTER, SCHEMA.userInteractionCount, typed("7", ns.XSD.integer)),
         MAX, SCHEMA.userInteractionCount),
    Case("counters-view-action", kgsh("InteractionCounterShape"),
         replace(COUNTER, SCHEMA.interactionType, URIRef("http://schema.org/ViewAction")),
         IN, SCHEMA.interactionType),
    Case("counters-no-work", kgsh("InteractionCounterShape"),
         orphan(COUNTER, SCHEMA.interactionStatistic), MIN),
    # abstracts.ttl
    Case("abstracts-unknown-section-kind", kgsh("AbstractSectionShape"),
         replace(SECTION, KG.sectionKind, URIRef(KG_VOCAB_IRI + "Nonsense")), IN, KG.sectionKind),
    Case("abstracts-empty-text", kgsh("AbstractSectionShape"),
         replace(SECTION, SCHEMA.text, Literal("")), MIN_LENGTH, SCHEMA.text),
    Case("abstracts-no-heading", kgsh("AbstractSectionShape"), replace(SECTION, SCHEMA.name),
         MIN, SCHEMA.name),
    Case("abstracts-position-string", kgsh("AbstractSectionShape"),
         replace(SECTION, KG.position, Literal("1")), DATATYPE, KG.position),
    Case("abstracts-no-work", kgsh("AbstractSectionShape"), orphan(SECTION, KG.abstractSection),
         MIN),
    # provenance.ttl
    Case("provenance-sha256-not-hex", kgsh("InputFileShape"),
         replace(INPUT_FILE, KG.sha256, Literal("XYZ")), PATTERN, KG.sha256),
    Case("provenance-input-file-without-title", kgsh("InputFileShape"),
         replace(INPUT_FILE, DCTERMS.title), MIN, DCTERMS.title),
    Case("provenance-record-without-line", kgsh("SourceRecordShape"),
         replace(SOURCE_RECORD, KG.sourceLine), MIN, KG.sourceLine),
    Case("provenance-record-line-zero", kgsh("SourceRecordShape"),
         replace(SOURCE_RECORD, KG.sourceLine, typed("0", ns.XSD.integer)),
         MIN_INCLUSIVE, KG.sourceLine),
    Case("provenance-record-file-not-an-input-file", kgsh("SourceRecordShape"),
         link(SOURCE_RECORD, KG.sourceFile, JOURNAL), CLASS, KG.sourceFile),
    Case("provenance-records-do-not-add-up", kgsh("ExportActivityShape"), miscount_records,
         SPARQL),
    Case("provenance-activity-without-agent", kgsh("ExportActivityShape"),
         replace(ACTIVITY, PROV.wasAssociatedWith), MIN, PROV.wasAssociatedWith),
    Case("provenance-activity-start-not-a-real-time", kgsh("ExportActivityShape"),
         replace(ACTIVITY, PROV.startedAtTime, typed("2024-13-01T00:00:00Z", ns.XSD.dateTime)),
         DATATYPE, PROV.startedAtTime),
    Case("provenance-dataset-created-as-date", kgsh("DatasetShape"),
         replace(DATASET, DCTERMS.created, typed("2024-01-01", ns.XSD.date)),
         DATATYPE, DCTERMS.created),
    Case("provenance-dataset-without-source", kgsh("DatasetShape"),
         replace(DATASET, DCTERMS.source), MIN, DCTERMS.source),
    Case("provenance-dataset-triples-as-string", kgsh("DatasetShape"),
         replace(DATASET, VOID.triples, Literal("1289")), DATATYPE, VOID.triples),
    Case("provenance-dataset-not-dcat", kgsh("DatasetDcatShape"),
         replace(DATASET, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")), CLASS),
    Case("provenance-class-partition-without-count", kgsh("ClassPartitionShape"),
         partition_without_entities, NODE, VOID.classPartition),
    Case("provenance-software-without-version", kgsh("SoftwareShape"),
         replace(SOFTWARE, SCHEMA.softwareVersion), MIN, SCHEMA.softwareVersion),
    # catalogue.ttl
    Case("catalogue-dataset-without-description", kgsh("CatalogueDatasetShape"),
         replace(DATASET, DCTERMS.description), MIN, DCTERMS.description),
    Case("catalogue-dataset-two-licences", kgsh("CatalogueDatasetShape"),
         add(DATASET, ns.DCTERMS.license, URIRef("https://example.org/another-licence")),
         MAX, ns.DCTERMS.license),
    Case("catalogue-dataset-without-uri-space", kgsh("CatalogueDatasetShape"),
         replace(DATASET, VOID.uriSpace), MIN, VOID.uriSpace),
    Case("catalogue-dataset-vocabulary-as-text", kgsh("CatalogueDatasetShape"),
         replace(DATASET, VOID.vocabulary, Literal("http://schema.org/")),
         NODE_KIND, VOID.vocabulary),
    Case("catalogue-dataset-endpoint-as-text", kgsh("CatalogueDatasetShape"),
         replace(DATASET, VOID.sparqlEndpoint, Literal("https://data.example.edu/sparql")),
         NODE_KIND, VOID.sparqlEndpoint),
    Case("catalogue-publisher-without-name", kgsh("AgentShape"), publisher_without_name,
         NODE, ns.DCTERMS.publisher),
    Case("catalogue-distribution-without-access-url", kgsh("DistributionShape"),
         replace(DISTRIBUTION, ns.DCAT.accessURL), MIN, ns.DCAT.accessURL),
    Case("catalogue-distribution-size-as-integer", kgsh("DistributionShape"),
         replace(DISTRIBUTION, ns.DCAT.byteSize, typed("52000", ns.XSD.integer)),
         DATATYPE, ns.DCAT.byteSize),
]  # fmt: skip


def params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(case, id=case.id, marks=[pytest.mark.xfail(reason=case.bug, strict=True)])
        if case.bug
        else pytest.param(case, id=case.id)
        for case in cases
    ]


def mutated(base: Graph, mutate: Mutation) -> tuple[Graph, Node]:
    graph = Graph()
    graph += base
    return graph, mutate(graph)


def message_pattern(shapes: Graph, constraint: Node) -> re.Pattern[str]:
    """The constraint's sh:message as a pattern: each {?variable} stands for any text."""
    template = str(shapes.value(constraint, sh("message")))
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def reporting_shapes(case: Case, shapes: Graph) -> set[Node]:
    """The shapes that may appear as sh:sourceShape of the expected result: the node shape itself,
    or a property shape on the expected path that belongs to it or validates with it (sh:node).
    Anonymous property shapes carry the labels kg.validate.reference gives them."""
    if case.component == SPARQL:
        return {case.shape}
    candidates = {
        *shapes.objects(case.shape, sh("property")),
        *shapes.subjects(sh("node"), case.shape),
    }
    found: set[Node] = {case.shape} if case.path is None else set()
    for shape in candidates:
        path = shapes.value(shape, sh("path"))
        if not (path == case.path if case.path is not None else not isinstance(path, URIRef)):
            continue
        found.add(stable_label(shapes, shape) if isinstance(shape, BNode) else shape)
    if case.source is not None:
        assert case.source in found, f"{case.source} is not a property shape of {case.shape}"
        return {case.source}
    return found


def expected_result(case: Case, shapes: Graph, focus: Node) -> Callable[[ValidationResult], bool]:
    sources = reporting_shapes(case, shapes)
    assert sources, f"{case.id}: no shape of {case.shape} could report this"
    patterns: list[re.Pattern[str]] = []
    if case.component == SPARQL:
        constraints = list(shapes.objects(case.shape, sh("sparql")))
        if case.constraint is not None:
            assert case.constraint in constraints, f"{case.shape} has no {case.constraint}"
            constraints = [case.constraint]
        patterns = [message_pattern(shapes, constraint) for constraint in constraints]
        assert patterns, f"{case.shape} has no SPARQL constraint"

    def matches(result: ValidationResult) -> bool:
        return (
            (result.focus, result.severity, result.component)
            == (focus, case.severity, case.component)
            and (case.path is None or result.path == case.path)
            and result.source_shape in sources
            and (not patterns or any(p.fullmatch(result.message) for p in patterns))
        )

    return matches


def test_cases_have_unique_ids_and_name_their_shape_file() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    files = {path.stem for path in SHAPES_DIR.glob("*.ttl")} - {"prefixes"}
    named = {next(f for f in files if case.id.startswith(f + "-")) for case in CASES}
    assert named == files


# Every case runs on kg's own engine, the one kg export and kg validate use (milliseconds); the
# slow set runs each on pySHACL, the reference, too, and holds the two equal (seconds a case).
ENGINES = ["compiled", pytest.param("pyshacl", marks=pytest.mark.slow)]


def validated(graph: Graph, shapes: Graph, engine: str) -> ValidationOutcome:
    outcome = validate_export(ExportGraph(graph), shapes, chunk_triples=300, workers=1)
    if engine == "pyshacl":
        reference = validate(graph, shapes)
        assert outcome.results == reference.results  # kg's engine says exactly what pySHACL says
        return reference
    return outcome


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", params(CASES))
def test_shape_reports_broken_graph(
    case: Case, engine: str, base: Graph, shapes: Graph, base_outcome: ValidationOutcome
) -> None:
    graph, focus = mutated(base, case.mutate)
    assert (case.shape, RDF.type, sh("NodeShape")) in shapes
    outcome = validated(graph, shapes, engine)
    matches = expected_result(case, shapes, focus)
    found = [result for result in outcome.results if matches(result)]
    new = sorted(set(outcome.results) - set(base_outcome.results))
    assert found, f"expected a {case.severity} {case.component} at {focus}; new results: {new}"
    assert outcome.conforms is (case.severity != "Violation")
    if case.severity != "Violation":
        assert outcome.violations == []
    # The break is reported where it was made (or on the node that owns it), nowhere else.
    owners = set(graph.subjects(None, focus))
    assert {result.focus for result in new} <= {focus, *owners}, new


# --------------------------------------------------------------------------------------------
# The conforming graph


def test_example_conforms_with_only_missing_title_warnings(
    base: Graph, base_outcome: ValidationOutcome
) -> None:
    assert base_outcome.conforms
    assert base_outcome.violations == []
    reported = {(r.path, r.component, r.severity, r.source_shape) for r in base_outcome.results}
    assert reported == {(SCHEMA.name, MIN, "Warning", kgsh("WorkTitle"))}
    untitled = untitled_works_of(base)
    assert len(untitled) == 6  # page records no other input gave a title
    assert {r.focus for r in base_outcome.results} == untitled
    # The check-digit constraints saw every identifier of the example and stayed silent.
    assert len(set(base.objects(None, SCHEMA.issn))) >= 3
    assert len(set(base.objects(None, SCHEMA.isbn))) >= 1


def test_titled_example_has_no_results_at_all(base: Graph, shapes: Graph) -> None:
    graph = Graph()
    graph += base
    for work in untitled_works_of(graph):
        graph.add((work, SCHEMA.name, Literal("A title")))
    assert validate(graph, shapes).results == ()


def node_shapes(shapes: Graph) -> set[URIRef]:
    found = {s for s in shapes.subjects(RDF.type, sh("NodeShape")) if isinstance(s, URIRef)}
    assert found
    return found


def focus_nodes(shapes: Graph, shape: URIRef, graph: Graph) -> set[Node]:
    """The nodes a shape validates in ``graph``: its targets, or, for a shape without targets,
    the values it reaches through sh:node from the property shapes of a targeted shape."""
    found: set[Node] = set()
    for target in shapes.objects(shape, sh("targetClass")):
        found.update(graph.subjects(RDF.type, target))
    for predicate in shapes.objects(shape, sh("targetSubjectsOf")):
        found.update(graph.subjects(predicate, None))
    for user in shapes.subjects(sh("node"), shape):
        path = shapes.value(user, sh("path"))
        for owner in shapes.subjects(sh("property"), user):
            for node in focus_nodes(shapes, owner, graph) if isinstance(owner, URIRef) else ():
                found.update(graph.objects(node, path))
    return found


def test_every_shape_has_focus_nodes_in_the_example(base: Graph, shapes: Graph) -> None:
    empty = sorted(s for s in node_shapes(shapes) if not focus_nodes(shapes, s, base))
    assert empty == []


def test_every_shape_has_a_case_that_must_not_conform(shapes: Graph) -> None:
    untested = node_shapes(shapes) - {case.shape for case in CASES if not case.bug}
    assert sorted(untested) == []


def test_every_sparql_constraint_has_a_case(shapes: Graph) -> None:
    named = {c for c in shapes.objects(None, sh("sparql")) if isinstance(c, URIRef)}
    assert named - {case.constraint for case in CASES if not case.bug} == set()


# --------------------------------------------------------------------------------------------
# Changes that must still conform, with nothing new reported


def identifier(where: str, predicates: tuple[URIRef, ...], value: str) -> Mutation:
    def mutate(graph: Graph) -> Node:
        node = pick(graph, where)
        for predicate in predicates:
            graph.set((node, predicate, Literal(value)))
        return node

    return mutate


ISSN = (SCHEMA.issn, BIBO.issn)
ISBN13 = (SCHEMA.isbn, BIBO.isbn13)
VALID_ISSNS = ["0378-5955", "2041-1723", "1050-124X", "2049-3630"]  # 2049-3630: check digit 0
VALID_ISBNS = ["9780306406157", "9780306406140"]  # 9780306406140: check digit 0

ACCEPTED: list[tuple[str, Mutation]] = [
    *((f"periodicals-issn-{value}", identifier(JOURNAL, ISSN, value)) for value in VALID_ISSNS),
    *((f"books-isbn-{value}", identifier(BOOK, ISBN13, value)) for value in VALID_ISBNS),
    ("works-date-leap-day", replace(WORK, SCHEMA.datePublished, typed("2020-02-29", ns.XSD.date))),
    ("works-date-year-month",
     replace(WORK, SCHEMA.datePublished, typed("2012-06", ns.XSD.gYearMonth))),
    ("works-date-year", replace(WORK, SCHEMA.datePublished, typed("2012", ns.XSD.gYear))),
    ("works-doi", replace(WORK, BIBO.doi, Literal("10.1108/jmhtep-09-2011-0012"))),
    ("works-pages-not-numbers", replace("?n schema:pageEnd ?end", SCHEMA.pageEnd, Literal("e5"))),
    ("works-issue-directly-in-journal", link(ISSUE, SCHEMA.isPartOf, JOURNAL)),
    ("persons-orcid", replace(PERSON, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1694-233X"))),
    ("persons-orcid-check-digit-7",
     replace(PERSON, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1825-0097"))),
    ("persons-orcid-check-digit-0",
     replace(PERSON, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0001-5109-3700"))),
    ("themes-pref-labels-in-two-languages",
     add(CONCEPT, SKOS.prefLabel, Literal("Soutien par les pairs", lang="fr"))),
    ("counters-zero", replace(COUNTER, SCHEMA.userInteractionCount, typed("0", ns.XSD.integer))),
]  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mutate", [pytest.param(m, id=i) for i, m in ACCEPTED])
def test_shape_accepts_valid_change(
    mutate: Mutation, engine: str, base: Graph, shapes: Graph, base_outcome: ValidationOutcome
) -> None:
    graph, focus = mutated(base, mutate)
    outcome = validated(graph, shapes, engine)
    assert outcome.conforms
    assert [r for r in outcome.results if r not in base_outcome.results] == [], focus


# --------------------------------------------------------------------------------------------
# The identifiers in these cases, checked by an independent implementation


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        *((value, True) for value in [*VALID_ISSNS, *VALID_ISBNS, "1755-6228", "9781837975624"]),
        *((value, False) for value in ["1755-6229", "1050-1240", "9781837975625", "9780306406150"]),
        ("1837975620", True),
        ("1837975621", False),
    ],
)
def test_case_identifiers_agree_with_python_stdnum(number: str, valid: bool) -> None:
    module = pytest.importorskip("stdnum.issn" if "-" in number else "stdnum.isbn")
    assert module.is_valid(number) is valid


@pytest.mark.parametrize(
    ("orcid", "valid"),
    [
        ("0000-0002-1694-233X", True),
        ("0000-0002-1825-0097", True),
        ("0000-0001-5109-3700", True),
        ("0000-0002-1825-0098", False),
        ("0000-0002-1694-2330", False),
    ],
)
def test_case_orcids_agree_with_python_stdnum(orcid: str, valid: bool) -> None:
    mod_11_2 = pytest.importorskip("stdnum.iso7064.mod_11_2")
    assert mod_11_2.is_valid(orcid.replace("-", "")) is valid
