"""The vocabularies kg writes, as namespaces that fail on a misspelt term.

schema.org is ``http://schema.org/``: the IRIs schema.org's own JSON-LD context expands to.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

KG_VOCAB_IRI = "https://w3id.org/kg/vocab#"


class SCHEMA(DefinedNamespace):
    _NS = Namespace("http://schema.org/")
    _fail = True

    Book: URIRef
    Chapter: URIRef
    CreativeWork: URIRef
    DefinedTerm: URIRef
    DefinedTermSet: URIRef
    DownloadAction: URIRef
    InteractionCounter: URIRef
    MonetaryGrant: URIRef
    Organization: URIRef
    Periodical: URIRef
    Person: URIRef
    PublicationIssue: URIRef
    PublicationVolume: URIRef
    Report: URIRef
    ScholarlyArticle: URIRef
    SoftwareApplication: URIRef
    Thesis: URIRef
    about: URIRef
    abstract: URIRef
    alternateName: URIRef
    author: URIRef
    creativeWorkStatus: URIRef
    datePublished: URIRef
    editor: URIRef
    familyName: URIRef
    honorificPrefix: URIRef
    inDefinedTermSet: URIRef
    funder: URIRef
    funding: URIRef
    genre: URIRef
    givenName: URIRef
    identifier: URIRef
    inLanguage: URIRef
    interactionStatistic: URIRef
    interactionType: URIRef
    isPartOf: URIRef
    isbn: URIRef
    issn: URIRef
    issueNumber: URIRef
    keywords: URIRef
    license: URIRef
    name: URIRef
    pageEnd: URIRef
    pageStart: URIRef
    publisher: URIRef
    sameAs: URIRef
    softwareVersion: URIRef
    text: URIRef
    url: URIRef
    userInteractionCount: URIRef
    volumeNumber: URIRef


class BIBO(DefinedNamespace):
    _NS = Namespace("http://purl.org/ontology/bibo/")
    _fail = True

    AcademicArticle: URIRef
    Book: URIRef
    Chapter: URIRef
    Document: URIRef
    DocumentStatus: URIRef
    Issue: URIRef
    Journal: URIRef
    Manuscript: URIRef
    Proceedings: URIRef
    Report: URIRef
    Thesis: URIRef
    authorList: URIRef
    doi: URIRef
    eissn: URIRef
    isbn10: URIRef
    isbn13: URIRef
    issn: URIRef
    locator: URIRef
    pageEnd: URIRef
    pageStart: URIRef
    pmid: URIRef
    status: URIRef


class RDF(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    _fail = True

    type: URIRef
    first: URIRef
    rest: URIRef
    nil: URIRef
    langString: URIRef


class RDFS(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
    _fail = True

    label: URIRef
    comment: URIRef
    subClassOf: URIRef


class OWL(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2002/07/owl#")
    _fail = True

    Ontology: URIRef
    sameAs: URIRef  # published IRIs found to be one entity (kg.resolve.register)


class XSD(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2001/XMLSchema#")
    _fail = True

    boolean: URIRef
    date: URIRef
    dateTime: URIRef
    gYear: URIRef
    gYearMonth: URIRef
    integer: URIRef
    nonNegativeInteger: URIRef
    string: URIRef


class DCTERMS(DefinedNamespace):
    _NS = Namespace("http://purl.org/dc/terms/")
    _fail = True

    LicenseDocument: URIRef
    created: URIRef
    creator: URIRef
    description: URIRef
    license: URIRef
    publisher: URIRef
    source: URIRef
    subject: URIRef
    title: URIRef


class FOAF(DefinedNamespace):
    _NS = Namespace("http://xmlns.com/foaf/0.1/")
    _fail = True

    Agent: URIRef
    Organization: URIRef
    Person: URIRef
    name: URIRef


class SKOS(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2004/02/skos/core#")
    _fail = True

    Concept: URIRef
    ConceptScheme: URIRef
    altLabel: URIRef
    definition: URIRef
    hasTopConcept: URIRef
    inScheme: URIRef
    notation: URIRef
    prefLabel: URIRef
    scopeNote: URIRef
    topConceptOf: URIRef


class PROV(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/ns/prov#")
    _fail = True

    Activity: URIRef
    Entity: URIRef
    SoftwareAgent: URIRef
    endedAtTime: URIRef
    startedAtTime: URIRef
    used: URIRef
    wasAssociatedWith: URIRef
    wasDerivedFrom: URIRef
    wasGeneratedBy: URIRef


class VOID(DefinedNamespace):
    _NS = Namespace("http://rdfs.org/ns/void#")
    _fail = True
    _extras = ["class"]  # noqa: RUF012 -- rdflib reads this list; "class" is a Python keyword

    Dataset: URIRef
    classPartition: URIRef
    dataDump: URIRef
    entities: URIRef
    sparqlEndpoint: URIRef
    triples: URIRef
    uriSpace: URIRef
    vocabulary: URIRef


class DCAT(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/ns/dcat#")
    _fail = True

    Dataset: URIRef
    Distribution: URIRef
    accessURL: URIRef
    byteSize: URIRef
    distribution: URIRef
    downloadURL: URIRef
    mediaType: URIRef


class SHACL(DefinedNamespace):
    """The SHACL terms kg reads in shapes and writes in validation reports (prefix ``sh:``)."""

    _NS = Namespace("http://www.w3.org/ns/shacl#")
    _fail = True
    _extras = ["class", "in", "or"]  # noqa: RUF012 -- rdflib reads this list; Python keywords

    # classes and individuals
    ConstraintComponent: URIRef
    NodeShape: URIRef
    PropertyShape: URIRef
    ValidationReport: URIRef
    ValidationResult: URIRef
    Info: URIRef
    Violation: URIRef
    Warning: URIRef
    BlankNode: URIRef
    BlankNodeOrIRI: URIRef
    BlankNodeOrLiteral: URIRef
    IRI: URIRef
    IRIOrLiteral: URIRef
    Literal: URIRef
    # constraint components
    ClassConstraintComponent: URIRef
    DatatypeConstraintComponent: URIRef
    HasValueConstraintComponent: URIRef
    InConstraintComponent: URIRef
    MaxCountConstraintComponent: URIRef
    MaxExclusiveConstraintComponent: URIRef
    MaxInclusiveConstraintComponent: URIRef
    MaxLengthConstraintComponent: URIRef
    MinCountConstraintComponent: URIRef
    MinExclusiveConstraintComponent: URIRef
    MinInclusiveConstraintComponent: URIRef
    MinLengthConstraintComponent: URIRef
    NodeConstraintComponent: URIRef
    NodeKindConstraintComponent: URIRef
    OrConstraintComponent: URIRef
    PatternConstraintComponent: URIRef
    SPARQLConstraintComponent: URIRef
    # shapes: targets, paths and parameters
    targetClass: URIRef
    targetNode: URIRef
    targetObjectsOf: URIRef
    targetSubjectsOf: URIRef
    path: URIRef
    inversePath: URIRef
    property: URIRef
    severity: URIRef
    message: URIRef
    deactivated: URIRef
    name: URIRef
    description: URIRef
    order: URIRef
    group: URIRef
    defaultValue: URIRef
    datatype: URIRef
    flags: URIRef
    hasValue: URIRef
    maxCount: URIRef
    maxExclusive: URIRef
    maxInclusive: URIRef
    maxLength: URIRef
    minCount: URIRef
    minExclusive: URIRef
    minInclusive: URIRef
    minLength: URIRef
    node: URIRef
    nodeKind: URIRef
    pattern: URIRef
    # SHACL-SPARQL
    sparql: URIRef
    select: URIRef
    ask: URIRef  # SPARQL-based constraint components' validators
    construct: URIRef  # SHACL Advanced Features: rules
    update: URIRef  # SHACL Advanced Features
    prefixes: URIRef
    declare: URIRef
    prefix: URIRef
    namespace: URIRef
    # validation reports
    conforms: URIRef
    result: URIRef
    focusNode: URIRef
    resultPath: URIRef
    value: URIRef
    sourceConstraintComponent: URIRef
    resultSeverity: URIRef
    resultMessage: URIRef
    sourceShape: URIRef
    sourceConstraint: URIRef


class KG(DefinedNamespace):
    """Terms defined in ``vocab/kg.ttl``."""

    _NS = Namespace(KG_VOCAB_IRI)
    _fail = True

    AbstractSection: URIRef
    AbstractSectionKinds: URIRef
    Authorship: URIRef
    InputFile: URIRef
    SourceRecord: URIRef
    # section kinds
    Purpose: URIRef
    DesignMethodologyApproach: URIRef
    Findings: URIRef
    ResearchLimitationsImplications: URIRef
    PracticalImplications: URIRef
    SocialImplications: URIRef
    OriginalityValue: URIRef
    OtherSection: URIRef
    # individuals and properties
    aheadOfPrint: URIRef
    authorListIncomplete: URIRef
    issnL: URIRef
    sourcePath: URIRef
    abstractSection: URIRef
    authorship: URIRef
    contentType: URIRef
    inputFormat: URIRef
    person: URIRef
    position: URIRef
    recordNumber: URIRef
    recordsRead: URIRef
    recordsRejected: URIRef
    recordsWritten: URIRef
    sectionKind: URIRef
    sha256: URIRef
    snippet: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    # dates
    publicationYear: URIRef
    # themes found in a work's text (not stated by the source)
    ThemeMatch: URIRef
    matchedIn: URIRef
    matchedText: URIRef
    matchedTheme: URIRef
    theme: URIRef
    themeMatch: URIRef


def _materialise(namespace: type[DefinedNamespace]) -> None:
    """Store every declared term as a real class attribute (these are kg's own classes).

    DefinedNamespace resolves terms in a metaclass ``__getattr__`` on every access (about 1 µs;
    millions of times in a large export). Real attributes are found first; a misspelt term still
    falls through to ``__getattr__`` and fails.
    """
    for name in namespace.__annotations__:
        if not name.startswith("_"):
            type.__setattr__(namespace, name, URIRef(str(namespace._NS) + name))


for _namespace in (
    SCHEMA,
    BIBO,
    KG,
    RDF,
    RDFS,
    OWL,
    XSD,
    DCTERMS,
    FOAF,
    SKOS,
    PROV,
    VOID,
    DCAT,
    SHACL,
):
    _materialise(_namespace)


# Prefixes written at the top of Turtle and in the JSON-LD context, in this order.
PREFIXES: dict[str, str] = {
    "schema": str(SCHEMA._NS),
    "bibo": str(BIBO._NS),
    "dcterms": str(DCTERMS._NS),
    "foaf": str(FOAF._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "void": str(VOID._NS),
    "dcat": str(DCAT._NS),
    "kg": KG_VOCAB_IRI,
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "owl": str(OWL._NS),
    "xsd": str(XSD._NS),
}

__all__ = [
    "BIBO",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "KG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SHACL",
    "SKOS",
    "VOID",
    "XSD",
]
