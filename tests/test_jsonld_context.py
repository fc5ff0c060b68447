"""graph.jsonld reads like schema.org JSON and still states exactly what graph.ttl states.

Checked with independent peers: pyld expands the JSON-LD (offline) to N-Quads, Oxigraph parses
those and graph.ttl strictly, and the two graphs must be isomorphic term for term (lexical forms
as written: a number that came back as another lexical form would fail).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.core.namespaces import FOAF, KG, SCHEMA, XSD
from kg.core.rdf import Triple
from kg.engines.local import export, load_context
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions
from kg.write.jsonld import write_jsonld
from tests.conftest import fixed_epoch, real_input

ROOT = Path(__file__).resolve().parent.parent
WORK = "https://example.org/kg/work/doi/10.5555/kg-example-2014-0001"


def refuse_fetch(url: str, options: object = None) -> Any:
    raise AssertionError(f"no document may be fetched, but {url} was asked for")


def strict_graph(quads: Any) -> Graph:
    """Oxigraph's terms as they are: no lexical form normalised."""
    graph = Graph()
    for quad in quads:
        graph.add(tuple(_term(t) for t in (quad.subject, quad.predicate, quad.object)))  # type: ignore[arg-type]
    return graph


def _term(term: Any) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def pyld_graph(document: Any) -> Graph:
    options = {"format": "application/n-quads", "documentLoader": refuse_fetch}
    nquads = jsonld.to_rdf(document, options)
    return strict_graph(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def node(document: dict[str, Any], iri: str) -> dict[str, Any]:
    (found,) = [n for n in document["@graph"] if n["@id"] == iri]
    return found


def test_export_jsonld_expands_to_the_turtle(example_export: Path) -> None:
    document = json.loads((example_export / "graph.jsonld").read_text(encoding="utf-8"))
    turtle = ox.parse(path=str(example_export / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    expected = strict_graph(turtle)
    actual = pyld_graph(document)
    assert len(actual) == len(expected)
    assert isomorphic(actual, expected)
    # and Oxigraph's own JSON-LD parser reads the same graph
    parsed = ox.parse(path=str(example_export / "graph.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert isomorphic(strict_graph(parsed), expected)


def test_a_work_reads_like_schema_org(example_export: Path) -> None:
    document = json.loads((example_export / "graph.jsonld").read_text(encoding="utf-8"))
    work = node(document, WORK)
    assert work["@type"] == ["bibo:AcademicArticle", "ScholarlyArticle"]
    assert work["name"] == {
        "@value": "Supervising the first paid peer support workers in a regional mental health "
        "trust",
        "@language": "en",
    }
    assert work["datePublished"] == "2014-03-14"  # xsd:date, by the context's coercion
    assert work["kg:publicationYear"] == 2014  # a JSON number
    assert work["author"] == [
        "https://example.org/kg/person/hendrik-van-den-broek",
        "https://example.org/kg/person/niamh-osullivan-reyes",
    ]
    assert work["isPartOf"] == "https://example.org/kg/periodical/issn-1755-6228/volume/9/issue/1"
    assert work["sameAs"] == "https://doi.org/10.5555/kg-example-2014-0001"
    assert work["bibo:authorList"] == {  # author order: a JSON-LD list
        "@list": [
            {"@id": "https://example.org/kg/person/niamh-osullivan-reyes"},
            {"@id": "https://example.org/kg/person/hendrik-van-den-broek"},
        ]
    }
    counter = node(document, WORK + "/downloads")
    assert counter["interactionType"] == "DownloadAction"
    assert isinstance(counter["userInteractionCount"], int)


def test_plain_keys_are_schema_org_only(example_export: Path) -> None:
    """No plain key is ambiguous: schema:name is "name", foaf:name and bibo:issn keep prefixes."""
    document = json.loads((example_export / "graph.jsonld").read_text(encoding="utf-8"))
    keys = {key for n in document["@graph"] for key in n if not key.startswith("@")}
    assert {"name", "foaf:name", "issn", "bibo:issn", "dcterms:title", "pageStart"} <= keys
    assert "bibo:pageStart" in keys
    context = {"@context": document["@context"]}
    for key in keys:
        expanded = jsonld.expand({**context, key: "x"}, {"documentLoader": refuse_fetch})
        (iri,) = expanded[0].keys()
        assert iri.startswith(str(SCHEMA)) == (":" not in key) or key.startswith("schema:"), key


def test_the_context_is_published_beside_the_graph(example_export: Path) -> None:
    shipped = (ROOT / "vocab" / "context.jsonld").read_bytes()
    assert (example_export / "context.jsonld").read_bytes() == shipped
    document = json.loads((example_export / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == json.loads(shipped)["@context"]


def written(triples: list[Triple]) -> dict[str, Any]:
    stream = io.StringIO()
    write_jsonld(ExportGraph(triples), stream, load_context())
    document: dict[str, Any] = json.loads(stream.getvalue())
    return document


def test_values_a_coercion_does_not_fit_keep_their_type_and_round_trip() -> None:
    thing = URIRef("https://example.org/kg/work/x")
    triples: list[Triple] = [
        (thing, SCHEMA.datePublished, Literal("2019", datatype=XSD.gYear)),
        (thing, SCHEMA.sameAs, Literal("0000-0002-1825-009X")),  # an ORCID kept as text
        (thing, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1825-0097")),
        (thing, KG.position, Literal("007", datatype=XSD.integer, normalize=False)),
        (thing, KG.recordNumber, Literal("-12", datatype=XSD.integer)),
        (thing, KG.sourceLine, Literal(10**21, datatype=XSD.integer)),
        (thing, KG.authorListIncomplete, Literal("true", datatype=XSD.boolean)),
        (thing, KG.snippet, Literal("1", datatype=XSD.boolean, normalize=False)),
        (thing, FOAF.name, Literal("A name")),
    ]
    document = written(triples)
    (entry,) = document["@graph"]
    assert entry["schema:datePublished"] == {"@value": "2019", "@type": "xsd:gYear"}
    assert entry["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert entry["schema:sameAs"] == "0000-0002-1825-009X"
    assert entry["kg:position"] == {"@value": "007", "@type": "xsd:integer"}  # not canonical
    assert entry["kg:recordNumber"] == -12
    assert entry["kg:sourceLine"] == {"@value": str(10**21), "@type": "xsd:integer"}
    assert entry["kg:authorListIncomplete"] is True
    assert entry["kg:snippet"] == {"@value": "1", "@type": "xsd:boolean"}
    assert entry["foaf:name"] == "A name"
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    assert isomorphic(pyld_graph(document), expected)
    compacted = jsonld.compact(
        jsonld.expand(document, {"documentLoader": refuse_fetch}),
        {"@context": document["@context"]},
        {"documentLoader": refuse_fetch},
    )
    assert compacted["@id"] == entry["@id"]
    assert {k: v for k, v in compacted.items() if k != "@context"} == entry


REAL = [
    "ris/scopus-export-asreview-baseline.ris",
    "ris/webofscience-export-asreview-baseline.ris",
    "ris/zotero-export-asreview-baseline-crlf.ris",
    "ris/pubmed-medline-nbib-named-ris.ris",
    "bibtex/scopus-bibtex-export-lab-publications.bib",
    "bibtex/zotero-2014-bibtex-export-personal-library-messy.bib",
    "csl-json/zotero-csl-json-export-personal-publications.json",
    "crossref/works-orcid-filter-fmuro.json",
    "crossref/works-query-rotating-machinery-compact.json",
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "relative", [*REAL, "sample"], ids=[*(r.split("/")[1] for r in REAL), "sample-page"]
)
def test_real_inputs_and_the_sample_page_expand_to_their_turtle(
    relative: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Each real export and the publisher's sample page: the JSON-LD is the Turtle's graph."""
    path = request.getfixturevalue("sample_page") if relative == "sample" else real_input(relative)
    out = tmp_path / "out"
    with fixed_epoch():
        export([path], out, ExportOptions())
    turtle = ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    expected = strict_graph(turtle)
    document = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    assert isomorphic(pyld_graph(document), expected)
    parsed = ox.parse(path=str(out / "graph.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert isomorphic(strict_graph(parsed), expected)
