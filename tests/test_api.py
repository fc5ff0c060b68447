"""kg as a library: the calls of docs/python-api.md, returning rdflib and pyoxigraph objects."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import kg
from kg.core.graphio import read_triples
from kg.core.problems import Problem, Severity
from tests.conftest import EXAMPLES

RIS = next(path for path in EXAMPLES if path.suffix == ".ris")


def test_every_public_name_resolves_and_import_kg_stays_cheap() -> None:
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name
    code = "import sys, kg; print(sorted(m for m in ('rdflib', 'pyshacl') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
    with pytest.raises(AttributeError):
        _ = kg.no_such_name  # type: ignore[attr-defined]


def test_build_graph_is_the_exported_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")  # the same export time for both
    graph = kg.build_graph([RIS])
    assert isinstance(graph, rdflib.Graph)
    result = kg.export([RIS], tmp_path / "export", workers=1)
    exported = rdflib.Graph()  # parsed strictly by Oxigraph (rdflib rewrites some literals)
    for triple in read_triples([tmp_path / "export" / "graph.nt"]):
        exported.add(triple)
    assert len(graph) == len(exported) > 100
    assert isomorphic(graph, exported)
    assert result.validation.conforms
    assert dict(graph.namespaces())["schema"] == rdflib.URIRef("http://schema.org/")


def test_a_rejected_record_reaches_on_problem_or_a_warning(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ris"
    broken.write_text(
        RIS.read_text(encoding="utf-8") + "\nTI  - No type line\nER  - \n", encoding="utf-8"
    )
    seen: list[Problem] = []
    kg.build_graph([broken], on_problem=seen.append)
    assert any(p.severity is Severity.ERROR for p in seen)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kg.build_graph([broken])
    assert any(issubclass(w.category, kg.InputWarning) for w in caught)
    assert any("broken.ris" in str(w.message) for w in caught)


def test_validate_takes_an_rdflib_graph_or_files(tmp_path: Path) -> None:
    graph = kg.build_graph([RIS])
    assert kg.validate_graph(graph).conforms
    work = next(
        graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://schema.org/ScholarlyArticle"))
    )
    graph.remove((work, rdflib.URIRef("http://schema.org/datePublished"), None))
    graph.add((work, rdflib.URIRef("http://schema.org/datePublished"), rdflib.Literal("soon")))
    outcome = kg.validate_graph(graph)
    assert not outcome.conforms
    assert {str(r.focus) for r in outcome.violations} == {str(work)}
    path = tmp_path / "graph.ttl"
    graph.serialize(path, format="turtle")
    assert [r.message for r in kg.validate_graph([path]).violations] == [
        r.message for r in outcome.violations
    ]


def test_query_binds_parameters_and_reads_files_or_a_store(tmp_path: Path) -> None:
    kg.export([RIS], tmp_path / "export", workers=1)
    graph_file = tmp_path / "export" / "graph.nt"
    titled = "SELECT ?term ?w { ?w schema:name ?title FILTER(CONTAINS(LCASE(?title), ?term)) }"
    rows = list(kg.run_query(graph_file, titled, {"term": "peer"}))
    assert rows and all(isinstance(row, ox.QuerySolution) for row in rows)
    hostile = 'peer")) } SELECT * WHERE { ?s ?p ?o } #'
    assert list(kg.run_query(graph_file, titled, {"term": hostile})) == []  # bound, not pasted
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_files = next(iter(kg.run_query([graph_file], count)))["n"].value
    assert kg.load([graph_file], store=tmp_path / "store") == int(in_files)
    in_store = next(iter(kg.run_query(tmp_path / "store", count)))["n"].value
    assert in_store == in_files
    store = kg.open_store(graph_file)
    assert next(iter(kg.run_query(store, count)))["n"].value == in_files
    example = kg.example_query("first-authors")
    assert len(list(kg.run_query(store, example.text, example.defaults))) == 3


def test_load_names_exactly_one_store(tmp_path: Path) -> None:
    with pytest.raises(kg.KgError, match="name one store"):
        kg.load([tmp_path / "graph.nt"])
