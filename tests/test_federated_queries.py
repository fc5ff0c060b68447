"""No query kg runs for a shapes folder sends requests elsewhere: SHACL-SPARQL with SERVICE is
refused, in `kg validate`, `kg export --shapes` and the library, before any query runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.federation import uses_service
from kg.errors import ShapesError
from kg.map.graph import ExportGraph
from kg.validate import validate_graph
from kg.validate.reference import load_shapes
from tests.conftest import ROOT
from tests.local_http import http_server, status

# A node shape (run in bulk on Oxigraph) and a property shape (only pySHACL runs those).
SHAPES = {
    "node": """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://x.org/WorkShape> a sh:NodeShape ; sh:targetClass <http://schema.org/ScholarlyArticle> ;
  sh:sparql [ sh:message "x" ;
    sh:select "SELECT $this WHERE { SERVICE <URL/sparql> { $this ?p ?o } }" ] .
""",
    "property": """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://x.org/NameShape> a sh:NodeShape ; sh:targetClass <http://schema.org/Person> ;
  sh:property [ sh:path <http://schema.org/name> ;
    sh:sparql [ sh:select "SELECT $this WHERE { sErViCe silent <URL/q> { $this ?p ?o } }" ] ] .
""",
    "ask": """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://x.org/Component> a sh:ConstraintComponent ;
  sh:parameter [ sh:path <https://x.org/p> ] ;
  sh:nodeValidator [ a sh:SPARQLAskValidator ;
    sh:ask "ASK { SERVICE <URL/ask> { $this ?p ?o } }" ] .
<https://x.org/S> a sh:NodeShape ; sh:targetClass <http://schema.org/Person> ;
  <https://x.org/p> 1 .
""",
}
WHERE = {
    "node": "the shape https://x.org/WorkShape",
    "property": "a shape",
    "ask": "a shape",
}


def federated_shapes(tmp_path: Path, kind: str, url: str) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "federated.ttl").write_text(SHAPES[kind].replace("URL", url), encoding="utf-8")
    return folder


def message(kind: str) -> str:
    return (
        f"Error: a SPARQL query of {WHERE[kind]} is federated (SERVICE): kg runs no query "
        "that sends requests to other hosts\n"
    )


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_kg_validate_refuses_federated_shapes(tmp_path: Path, kind: str) -> None:
    graph = str(ROOT / "output" / "graph.nt")
    with http_server(status(200, b"")) as server:
        shapes = str(federated_shapes(tmp_path, kind, server.url))
        for engine in ("compiled", "pyshacl"):
            result = CliRunner().invoke(
                main, ["validate", graph, "--shapes", shapes, "--engine", engine]
            )
            assert (result.exit_code, result.stderr) == (2, message(kind))
    assert server.seen.requests == []


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_kg_export_refuses_federated_shapes_before_writing(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    with http_server(status(200, b"")) as server:
        shapes = federated_shapes(tmp_path, kind, server.url)
        ris = str(ROOT / "examples" / "peer-support.ris")
        arguments = ["export", ris, "--out", str(out), "--shapes", str(shapes), "--quiet"]
        result = CliRunner().invoke(main, arguments)
    assert (result.exit_code, result.stderr) == (2, message(kind))
    assert server.seen.requests == []
    assert not out.exists()


def test_the_library_refuses_federated_shapes(tmp_path: Path) -> None:
    with http_server(status(200, b"")) as server:
        shapes = load_shapes(federated_shapes(tmp_path, "node", server.url))
        with pytest.raises(ShapesError, match="federated"):
            validate_graph(ExportGraph([]), shapes)
    assert server.seen.requests == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://h/> { ?s ?p ?o } }",
        "select * { service silent ?e { ?s ?p ?o } }",
        "SELECT * {\n  OPTIONAL { ?s ?p ?o } SERVICE<http://h/>{ ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o.SERVICE <http://h/> { ?s ?p ?o } }",
        'SELECT * { ?s ?p "a" SERVICE <http://h/> { ?s ?p ?o } }',
        "SELECT * { ?s <http://p#x> ?o SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o } # comment\nSERVICE",
        "SELECT * { \\u0053ERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * { ?s ex:a\\#b ?o SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * { FILTER(1<2)SERVICE<http://h/>{ ?s ?p ?o } }",
    ],
)
def test_every_spelling_of_service_is_found(query: str) -> None:
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service { ?service a <http://x/SERVICE> }",
        'SELECT * { ?s ?p "SERVICE <http://h/> { }" }',
        "SELECT * { ?s ?p '''\nSERVICE <http://h/> {}\n''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://h/> { }",
        "PREFIX service: <http://x/> SELECT * { ?s service:p ?o . ?s ex:SERVICE ?o }",
        "SELECT * { ?s ?p _:SERVICE }",
    ],
)
def test_service_as_data_is_not_a_federated_query(query: str) -> None:
    assert not uses_service(query)


def test_kg_shapes_are_not_federated() -> None:
    validate_graph(ExportGraph([]), load_shapes())  # raises if kg's own shapes were refused
