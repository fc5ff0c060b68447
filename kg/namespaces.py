"""The vocabularies kg writes, as namespaces that fail on a misspelt term.

schema.org is ``http://schema.org/``: the IRIs schema.org's own JSON-LD context expands to.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)

KG_VOCAB_IRI = "https://w3id.org/kg/vocab#"


class SCHEMA(DefinedNamespace):
    _NS = Namespace("http://schema.org/")
    _fail = True

    Book: URIRef
    Chapter: URIRef
    CreativeWork: URIRef
    DownloadAction: URIRef
    InteractionCounter: URIRef
    Periodical: URIRef
    Person: URIRef
    PublicationIssue: URIRef
    PublicationVolume: URIRef
    ScholarlyArticle: URIRef
    SoftwareApplication: URIRef
    abstract: URIRef
    about: URIRef
    author: URIRef
    creativeWorkStatus: URIRef
    datePublished: URIRef
    familyName: URIRef
    genre: URIRef
    givenName: URIRef
    interactionStatistic: URIRef
    interactionType: URIRef
    isPartOf: URIRef
    isbn: URIRef
    issn: URIRef
    issueNumber: URIRef
    keywords: URIRef
    name: URIRef
    sameAs: URIRef
    softwareVersion: URIRef
    text: URIRef
    userInteractionCount: URIRef
    volumeNumber: URIRef


class BIBO(DefinedNamespace):
    _NS = Namespace("http://purl.org/ontology/bibo/")
    _fail = True

    AcademicArticle: URIRef
    Book: URIRef
    Chapter: URIRef
    DocumentStatus: URIRef
    Issue: URIRef
    Journal: URIRef
    authorList: URIRef
    doi: URIRef
    isbn10: URIRef
    isbn13: URIRef
    issn: URIRef
    status: URIRef


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
    # individuals and properties
    aheadOfPrint: URIRef
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
    "SKOS",
    "VOID",
    "XSD",
]
