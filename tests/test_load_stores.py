"""`kg load` into real stores the tests start themselves: Oxigraph server and Virtuoso.

For each store: load the bundled example, count its triples by SPARQL, run every example query
through the store's own SPARQL endpoint and compare the rows with kg's local engine, reload and
see the same count, and kill a load midway to see the old graph intact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.namespaces import PREFIXES
from kg.query.sparql import example_queries, open_store, run_query
from tests.servers import TripleStoreServer

pytestmark = pytest.mark.slow  # starts real triple stores

STORES = ["oxigraph_server", "virtuoso_server"]
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def gsp_endpoint(server: TripleStoreServer) -> str:
    """The Graph Store endpoint itself, without ?graph=."""
    return server.gsp_url("http://x").split("?", 1)[0]


def kg_load(server: TripleStoreServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETRC": os.devnull}
    env.pop("KG_STORE_TOKEN", None)
    if server.auth is not None:
        _, user, password = server.auth
        env.update({"KG_STORE_USER": user, "KG_STORE_PASSWORD": password})
    command = [sys.executable, "-m", "kg", "load", *args, "--endpoint", gsp_endpoint(server)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def rows_in_store(server: TripleStoreServer, query: str, graph: str) -> list[tuple[str, ...]]:
    """The rows of a SELECT run by the store, over ``graph`` as the default graph."""
    response = server.request(
        "POST",
        server.query_url,
        data=urllib.parse.urlencode({"query": query, "default-graph-uri": graph}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    assert response.status == 200, response.text[:500]
    document = response.json()
    names = document["head"]["vars"]
    return [
        tuple(row[name]["value"] if name in row else "" for name in names)
        for row in document["results"]["bindings"]
    ]


def local_rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    results = run_query(store, query)
    assert isinstance(results, ox.QuerySolutions)
    names = [variable.value for variable in results.variables]
    return [
        tuple(solution[name].value if solution[name] is not None else "" for name in names)
        for solution in results
    ]


def constructed_in_store(server: TripleStoreServer, query: str, graph: str) -> set[str]:
    response = server.request(
        "POST",
        server.query_url,
        data=urllib.parse.urlencode({"query": query, "default-graph-uri": graph}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/turtle"},
    )
    assert response.status == 200, response.text[:500]
    return {str(t) for t in ox.parse(response.body, format=ox.RdfFormat.TURTLE)}


def constructed_locally(store: ox.Store, query: str) -> set[str]:
    results = run_query(store, query)
    assert isinstance(results, ox.QueryTriples)
    found = {str(t) for t in results}
    assert found
    return found


def with_defaults(text: str, defaults: dict[str, str]) -> str:
    """The example with its default parameters bound by a VALUES block opening its WHERE
    clause (test constants; Virtuoso misjudges the cost of a VALUES clause after the query)."""
    values = "".join(f'VALUES ?{name} {{ "{value}" }}\n' for name, value in defaults.items())
    head, where, body = text.partition("WHERE {")
    assert where or not defaults, text
    return PROLOGUE + head + where + "\n" + values + body


@pytest.mark.parametrize("store_fixture", STORES)
def test_load_count_query_and_reload(
    store_fixture: str, request: pytest.FixtureRequest, example_export: Path
) -> None:
    server: TripleStoreServer = request.getfixturevalue(store_fixture)
    graph = server.fresh_graph("example")
    ttl = example_export / "graph.ttl"
    expected = len(open_store([ttl]))

    loaded = kg_load(server, str(ttl), "--graph", graph)
    assert loaded.returncode == 0, loaded.stderr
    assert f"{expected} triples loaded into <{graph}>" in loaded.stderr
    assert server.count(graph) == expected

    local = open_store([ttl])
    for query in example_queries():
        if query.name == "coauthor-network":  # CONSTRUCT: compared as a set of triples
            text = PROLOGUE + query.text
            assert constructed_in_store(server, text, graph) == constructed_locally(local, text)
            continue
        text = with_defaults(query.text, query.defaults)
        expected_rows = local_rows(local, text)
        assert expected_rows, query.name  # every example answers something on the example
        # Stores may order equal keys (and accented names) differently: compare as sorted rows.
        assert sorted(rows_in_store(server, text, graph)) == sorted(expected_rows), query.name

    # Reloading replaces: the same count, in chunks small enough to need staging this time.
    reloaded = kg_load(server, str(example_export / "graph.nt"), "--graph", graph,
                       "--chunk-triples", "400")  # fmt: skip
    assert reloaded.returncode == 0, reloaded.stderr
    assert server.count(graph) == expected
    staging = server.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER (STRSTARTS(STR(?g), 'urn:kg:staging:')) }"
    )
    assert staging == [{"n": "0"}]  # moved into place, nothing left behind

    appended = kg_load(server, str(ttl), "--graph", graph, "--append")
    assert appended.returncode == 0, appended.stderr
    # Appending the same file again adds only what it cannot say twice: the author lists' blank
    # nodes are new nodes in every load, as RDF has it; every IRI-only triple is already there.
    with_blank_nodes = sum(
        "_:" in line for line in (example_export / "graph.nt").read_text().splitlines()
    )
    assert with_blank_nodes > 0
    assert server.count(graph) == expected + with_blank_nodes


@pytest.mark.parametrize("store_fixture", STORES)
def test_a_load_killed_midway_leaves_the_old_graph(
    store_fixture: str, request: pytest.FixtureRequest, example_export: Path, tmp_path: Path
) -> None:
    server: TripleStoreServer = request.getfixturevalue(store_fixture)
    graph = server.fresh_graph("killed")
    small = example_export / "graph.nt"
    assert kg_load(server, str(small), "--graph", graph).returncode == 0
    before = server.count(graph)

    # A much larger graph, sent in small chunks, killed once its staging graph has triples.
    big = tmp_path / "big.nt"
    lines = small.read_text(encoding="utf-8").splitlines(keepends=True)
    with big.open("w", encoding="utf-8") as out:
        for copy in range(40):
            out.writelines(line.replace("https://example.org/kg/", f"https://example.org/kg{copy}/")
                           for line in lines)  # fmt: skip
    env = {**os.environ, "NETRC": os.devnull}
    if server.auth is not None:
        env.update({"KG_STORE_USER": server.auth[1], "KG_STORE_PASSWORD": server.auth[2]})
    command = [sys.executable, "-m", "kg", "load", str(big), "--graph", graph,
               "--endpoint", gsp_endpoint(server), "--chunk-triples", "500"]  # fmt: skip
    loader = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    staged_query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER (STRSTARTS(STR(?g), 'urn:kg:staging:')) }"
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and loader.poll() is None:
            if int(server.select(staged_query)[0]["n"]) > 0:
                break
            time.sleep(0.05)
        assert loader.poll() is None, "the load finished before it could be killed"
        loader.send_signal(signal.SIGKILL)
    finally:
        loader.wait(timeout=30)
    assert server.count(graph) == before  # the target graph is as it was


@pytest.mark.parametrize("store_fixture", STORES)
def test_sparql_update_protocol_for_stores_without_graph_store(
    store_fixture: str, request: pytest.FixtureRequest, example_export: Path
) -> None:
    server: TripleStoreServer = request.getfixturevalue(store_fixture)
    graph = server.fresh_graph("update")
    env = {**os.environ, "NETRC": os.devnull}
    if server.auth is not None:
        env.update({"KG_STORE_USER": server.auth[1], "KG_STORE_PASSWORD": server.auth[2]})
    # Virtuoso takes at most about 1,400 triples in one update.
    command = [sys.executable, "-m", "kg", "load", str(example_export / "graph.nt"),
               "--graph", graph, "--protocol", "update", "--endpoint", server.update_url,
               "--chunk-triples", "1000"]  # fmt: skip
    loaded = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert server.count(graph) == len(open_store([example_export / "graph.nt"]))


def test_the_default_graph_is_a_target_too(
    oxigraph_server: TripleStoreServer, example_export: Path
) -> None:
    loaded = kg_load(oxigraph_server, str(example_export / "graph.nt"), "--graph", "default")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded into the default graph" in loaded.stderr
    default = oxigraph_server.request(
        "GET",
        f"{gsp_endpoint(oxigraph_server)}?default",
        headers={"Accept": "application/n-triples"},
    )
    assert default.status == 200
    assert len(default.text.splitlines()) == len(open_store([example_export / "graph.nt"]))


def test_virtuoso_reads_our_turtle_as_it_is(
    virtuoso_server: TripleStoreServer, example_export: Path
) -> None:
    """Virtuoso is a strict Turtle reader (no prefixed names starting with a digit, …):
    graph.ttl goes in as Turtle, not only as the N-Triples kg load sends."""
    graph = virtuoso_server.fresh_graph("turtle")
    ttl = example_export / "graph.ttl"
    answer = virtuoso_server.put_graph(graph, ttl.read_bytes(), "text/turtle")
    assert answer.status in (200, 201), answer.text[:300]
    assert virtuoso_server.count(graph) == len(open_store([ttl]))
