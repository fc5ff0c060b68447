"""`kg query --engine oxigraph|rdflib` give the same answers; `--store DIR` keeps a store on disk.

Both engines read the same strictly parsed triples, with the same prefixes and bindings, and
their answers are written by the same `format_results`: the CSV texts are compared as they are,
with no normalisation (rdflib's numbers and dates come out written as Oxigraph writes them:
COUNT and YEAR are plain xsd:integer literals in both, and literals keep the file's lexical
form). A CONSTRUCT compares as isomorphic graphs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import CUSTOM_EVALS

from kg.cli import main
from kg.core.graphio import to_rdflib
from kg.errors import InputError, StoreError
from kg.query.rdflib_engine import rdflib_graph, run_rdflib_query
from kg.query.sparql import (
    QueryError,
    Results,
    example_queries,
    example_query,
    format_results,
    open_store,
    run_query,
)
from kg.stores.local import count_triples, fill_store, open_filled_store
from tests.conftest import ROOT

EXAMPLE_NAMES = [query.name for query in example_queries()]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def graph_file(example_export: Path) -> Path:
    return example_export / "graph.ttl"


@pytest.fixture(scope="module")
def store(graph_file: Path) -> ox.Store:
    return open_store([graph_file])


@pytest.fixture(scope="module")
def graph(graph_file: Path) -> rdflib.Graph:
    return rdflib_graph([graph_file])


def as_rdflib_graph(results: Results) -> rdflib.Graph:
    assert isinstance(results, ox.QueryTriples | list)
    graph = rdflib.Graph()
    for triple in results:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )  # type: ignore[arg-type]
    return graph


def assert_same_answers(oxigraph: Results, rdflib_results: Results) -> None:
    if isinstance(oxigraph, ox.QueryTriples):
        assert isomorphic(as_rdflib_graph(oxigraph), as_rdflib_graph(rdflib_results))
    else:
        assert format_results(rdflib_results, "csv") == format_results(oxigraph, "csv")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_both_engines_give_the_same_rows_for_every_example(
    name: str, store: ox.Store, graph: rdflib.Graph
) -> None:
    query = example_query(name)
    oxigraph = run_query(store, query.text, query.defaults)
    answer = run_rdflib_query(graph, query.text, query.defaults)
    if isinstance(oxigraph, ox.QueryTriples):
        assert isinstance(answer, list)
        triples = list(oxigraph)
        assert len(triples) > 0
        assert isomorphic(as_rdflib_graph(triples), as_rdflib_graph(answer))
    else:
        csv = format_results(answer, "csv")
        assert csv.count("\r\n") >= 2, name  # a header and rows: not two empty answers
        assert csv == format_results(oxigraph, "csv")
        table = format_results(run_rdflib_query(graph, query.text, query.defaults), "table")
        assert table == format_results(run_query(store, query.text, query.defaults), "table")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (example_query("findings-mentioning").text, {"term": "STIGMA"}),
        (example_query("findings-mentioning").text, {"term": '") } UNION { ?work ?p ?o } #'}),
        (
            "SELECT ?journal ?name WHERE { ?journal schema:name ?name }",
            {"journal": "<https://example.org/kg/periodical/issn-1755-6228>"},
        ),
        ("SELECT ?v ?n WHERE { BIND (STRLEN(?v) AS ?n) }", {"v": "plain text"}),
        ("ASK { ?w a schema:Chapter }", {}),
        ("ASK { ?w a schema:Thesis }", {}),
        (  # YEAR and MONTH of an xsd:gYearMonth / xsd:gYear, as Oxigraph gives them
            """SELECT ?d (YEAR(?d) AS ?y) (MONTH(?d) AS ?m) WHERE { ?w schema:datePublished ?d }
               ORDER BY ?d""",
            {},
        ),
        (  # ORDER BY: an erroring key sorts as unbound, first; IRIs < literals; strings by text
            """SELECT ?x WHERE { VALUES ?x { "b" 10 2 <http://x.org/a> "a"@en "a" "B"@fr } }
               ORDER BY xsd:integer(?x) ?x""",
            {},
        ),
        (
            """SELECT ?x WHERE { VALUES ?x { "b" 10 2 <http://x.org/a> "a"@en "a" } }
               ORDER BY DESC(?x)""",
            {},
        ),
    ],
)
def test_both_engines_bind_and_order_the_same(
    text: str, values: dict[str, str], store: ox.Store, graph: rdflib.Graph
) -> None:
    assert_same_answers(run_query(store, text, values), run_rdflib_query(graph, text, values))


def test_the_rdflib_fixes_stay_inside_kg_queries(graph: rdflib.Graph) -> None:
    before = dict(CUSTOM_EVALS)
    run_rdflib_query(graph, example_query("journal-tree").text)
    with pytest.raises(QueryError):
        run_rdflib_query(graph, "SELECT ?x WHERE { ?x ?p ?o } ORDER BY")
    assert dict(CUSTOM_EVALS) == before


def test_cli_engine_option_prints_the_same(graph_file: Path) -> None:
    for fmt in ("table", "csv", "tsv", "json"):
        args = ["query", str(graph_file), "--example", "themes-per-year", "--format", fmt]
        default, rdflib_answer = run(*args), run(*args, "--engine", "rdflib")
        assert default.exit_code == rdflib_answer.exit_code == 0, rdflib_answer.output
        assert rdflib_answer.stdout == default.stdout


def test_rdflib_engine_errors_are_one_line(graph_file: Path) -> None:
    result = run("query", str(graph_file), "--engine", "rdflib", "-e", "SELEC ?x")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the query does not parse: ")
    assert result.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, graph_file: Path) -> Path:
    directory = tmp_path_factory.mktemp("stores") / "kg-store"
    fill_store(directory, [graph_file], None, replace=False)
    return directory


def csv_rows(name: str, store: ox.Store) -> str:
    query = example_query(name)
    return format_results(run_query(store, query.text, query.defaults), "csv")


def test_fill_store_then_query_gives_the_in_memory_rows(filled: Path, store: ox.Store) -> None:
    on_disk = open_filled_store(filled)
    try:
        assert count_triples(on_disk) == len(store)
        for name in EXAMPLE_NAMES:
            assert csv_rows(name, on_disk) == csv_rows(name, store), name
    finally:
        del on_disk  # closes it: one process at a time holds a store


@pytest.mark.slow
def test_a_new_process_queries_the_store_without_the_graph(filled: Path, store: ox.Store) -> None:
    command = [sys.executable, "-m", "kg", "query", "--store", str(filled)]
    result = subprocess.run(
        [*command, "--example", "works-per-journal", "--format", "csv"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == csv_rows("works-per-journal", store)


def test_a_second_fill_with_replace_keeps_the_triple_count(
    tmp_path: Path, graph_file: Path, store: ox.Store
) -> None:
    first = fill_store(tmp_path / "s", [graph_file], None, replace=False)
    assert first == len(store)
    assert fill_store(tmp_path / "s", [graph_file], None, replace=True) == first
    # without replace, the blank nodes of the second load are new ones
    assert fill_store(tmp_path / "s", [graph_file], None, replace=False) > first
    assert fill_store(tmp_path / "s", [graph_file], None, replace=True) == first


def test_a_named_graph_store_answers_the_examples(
    tmp_path: Path, graph_file: Path, store: ox.Store
) -> None:
    iri = "https://example.org/kg/dataset"
    assert fill_store(tmp_path / "s", [graph_file], iri, replace=True) == len(store)
    on_disk = open_filled_store(tmp_path / "s")
    assert count_triples(on_disk) == 0  # the default graph itself is empty ...
    assert count_triples(on_disk, iri) == len(store)
    # ... and queries see the named graph as part of the default one
    assert csv_rows("prolific-authors", on_disk) == csv_rows("prolific-authors", store)


def test_a_file_with_a_syntax_error_leaves_the_store_as_it_was(
    tmp_path: Path, graph_file: Path
) -> None:
    count = fill_store(tmp_path / "s", [graph_file], None, replace=False)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x.org/a> <http://x.org/b> <http://x.org/c> .\n<oops\n", "utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl"):
        fill_store(tmp_path / "s", [graph_file, bad], None, replace=True)
    assert count_triples(open_filled_store(tmp_path / "s")) == count


def test_fill_store_refuses_a_folder_that_is_not_a_store(tmp_path: Path, graph_file: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        fill_store(tmp_path, [graph_file], None, replace=False)
    with pytest.raises(StoreError, match="not a valid graph IRI"):
        fill_store(tmp_path / "s", [graph_file], "not an IRI", replace=False)
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("case", ["missing", "empty", "foreign", "no-triples"])
def test_query_store_errors_are_one_line(tmp_path: Path, case: str) -> None:
    directory = tmp_path / "store"
    if case != "missing":
        directory.mkdir()
    if case == "foreign":
        (directory / "notes.txt").write_text("mine", "utf-8")
    if case == "no-triples":
        ox.Store(str(directory)).flush()  # a store, created and left empty
    result = run("query", "--store", str(directory), "--example", "works-per-journal")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    expected = {
        "missing": "no store there; fill it with `kg load GRAPH --store ",
        "empty": "the store is empty; fill it with `kg load GRAPH --store ",
        "foreign": "not an Oxigraph store",
        "no-triples": "the store is empty; fill it with `kg load GRAPH --store ",
    }[case]
    assert result.stderr.startswith(f"Error: {directory}: {expected}")


def test_query_store_option_errors(filled: Path, graph_file: Path) -> None:
    with_graph = run("query", "--store", str(filled), str(graph_file), "--example", "first-authors")
    assert with_graph.exit_code == 2
    assert "with --store, give no graph files: fill the store with `kg load" in with_graph.stderr
    rdflib_store = run("query", "--store", str(filled), "--engine", "rdflib", "-e", "ASK {}")
    assert rdflib_store.exit_code == 2
    assert rdflib_store.stderr == "Error: --store works with the oxigraph engine only\n"
    nothing = run("query", "--example", "first-authors")
    assert nothing.stderr == "Error: give at least one graph file to query (or --store DIR)\n"


@pytest.mark.slow
def test_a_store_in_use_is_a_one_line_error(tmp_path: Path, graph_file: Path) -> None:
    fill_store(tmp_path / "s", [graph_file], None, replace=False)
    held = ox.Store(str(tmp_path / "s"))  # this process holds it, as a running server would
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--store", str(tmp_path / "s"), "-e", "ASK {}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    del held
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {tmp_path / 's'}: the store is in use by another process"
        " (a running `kg serve` or `kg load`?)\n"
    )
