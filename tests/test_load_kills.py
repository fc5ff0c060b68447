"""`kg load` killed with SIGKILL at any moment, into a persistent Oxigraph store (`--store`) and
into a real Oxigraph server: the target graph is the old one or the new one, queries never see a
staging graph, the next load cleans up (a local store) or refuses until `kg load --clean-staging`
(a server), and success is reported only when the target holds what was loaded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.stores.serve import free_port
from tests.conftest import ROOT
from tests.servers import TripleStoreServer
from tests.test_serve import Server, oxigraph_or_skip

pytestmark = pytest.mark.slow  # real stores, killed processes

SMALL = ROOT / "output" / "graph.nt"
GRAPH = "https://example.org/kg/dataset"
STAGED = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    "FILTER (STRSTARTS(STR(?g), 'urn:kg:staging:')) }"
)


def big_graph(folder: Path, copies: int = 40) -> Path:
    """The example's triples under ``copies`` other bases: a load long enough to be killed."""
    big = folder / "big.nt"
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    with big.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            kg = f"https://example.org/kg{copy}/"
            out.writelines(line.replace("https://example.org/kg/", kg) for line in lines)
    return big


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env={**os.environ, "NETRC": os.devnull, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def started(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        env={**os.environ, "NETRC": os.devnull},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def count_by_kg_query(store: Path) -> int:
    """The triples `kg query --store` sees (the union of the store's graphs)."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    result = kg("query", "--store", str(store), "-e", count, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return int(result.stdout.splitlines()[1])


def staging_graphs_in(store: Path) -> list[str]:
    opened = ox.Store(str(store))
    try:
        return [g.value for g in opened.named_graphs() if g.value.startswith("urn:kg:staging:")]
    finally:
        del opened


# --- a persistent local store (kg load --store) ------------------------------------------------


def test_a_local_load_killed_at_any_moment_is_never_seen_half_done(tmp_path: Path) -> None:
    store = tmp_path / "store"
    big = big_graph(tmp_path)
    assert kg("load", str(SMALL), "--store", str(store), "--graph", GRAPH).returncode == 0
    small_count = count_by_kg_query(store)
    started_at = time.monotonic()
    assert (
        kg("load", str(big), "--store", str(tmp_path / "timing"), "--graph", GRAPH).returncode == 0
    )
    duration = time.monotonic() - started_at
    big_count = count_by_kg_query(tmp_path / "timing")
    seen = set()
    for step in range(1, 10):
        loader = started("load", str(big), "--store", str(store), "--graph", GRAPH)
        time.sleep(duration * step / 8)
        loader.send_signal(signal.SIGKILL)
        loader.wait()
        count = count_by_kg_query(store)
        assert count in (small_count, big_count), (step, count, small_count)
        seen.add(count)
        if count != small_count:  # back to the small graph for the next kill
            assert kg("load", str(SMALL), "--store", str(store), "--graph", GRAPH).returncode == 0
    assert small_count in seen  # some kills did land before the end
    assert staging_graphs_in(store) == []  # the queries' opening of the store removed them
    cleaned = kg("load", "--clean-staging", "--store", str(store))
    assert (cleaned.returncode, cleaned.stderr) == (
        0,
        f"removed 0 staging graph(s) from {store}\n",
    )


def orphan(store: Path, triples: int = 500) -> None:
    """A staging graph as a load killed before its MOVE leaves it."""
    opened = ox.Store(str(store))
    graph = ox.NamedNode("urn:kg:staging:0123456789abcdef:dead-load")
    for number in range(triples):
        opened.add(
            ox.Quad(
                ox.NamedNode(f"https://example.org/orphan/{number}"),
                ox.NamedNode("https://example.org/p"),
                ox.Literal(str(number)),
                graph,
            )
        )
    opened.flush()
    del opened


def test_every_local_load_removes_what_killed_loads_left(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("load", str(SMALL), "--store", str(store), "--graph", GRAPH).returncode == 0
    orphan(store)
    assert kg("load", str(SMALL), "--store", str(store), "--graph", GRAPH).returncode == 0
    assert staging_graphs_in(store) == []
    orphan(store)
    cleaned = kg("load", "--clean-staging", "--store", str(store))
    assert (cleaned.returncode, cleaned.stderr) == (0, f"removed 1 staging graph(s) from {store}\n")


def test_kg_query_and_kg_serve_on_a_store_see_only_loaded_graphs(tmp_path: Path) -> None:
    oxigraph_or_skip()
    store = tmp_path / "store"
    assert kg("load", str(SMALL), "--store", str(store), "--graph", GRAPH).returncode == 0
    loaded = len(SMALL.read_text(encoding="utf-8").splitlines())
    orphan(store)
    served = Server("--store", str(store), "--port", str(free_port()))
    try:
        url = served.wait_for_url()
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        request = urllib.request.Request(
            f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            rows = json.load(answer)["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) == loaded
    finally:
        served.stop()
    orphan(store)
    assert count_by_kg_query(store) == loaded


# --- a real Oxigraph server --------------------------------------------------------------------


def load_args(server: TripleStoreServer, graph_file: Path, graph: str, *more: str) -> list[str]:
    endpoint = server.gsp_url("http://x").split("?", 1)[0]
    return ["load", str(graph_file), "--graph", graph, "--endpoint", endpoint, *more]


def staged_on(server: TripleStoreServer) -> int:
    return int(server.select(STAGED)[0]["n"])


def test_a_server_load_killed_at_any_moment_never_leaves_a_mixed_graph(
    oxigraph_server: TripleStoreServer, tmp_path: Path
) -> None:
    server = oxigraph_server
    graph = server.fresh_graph("kills")
    big = big_graph(tmp_path, copies=15)
    assert kg(*load_args(server, SMALL, graph)).returncode == 0
    small_count = server.count(graph)
    started_at = time.monotonic()
    timing_graph = server.fresh_graph("timing")
    timing = kg(*load_args(server, big, timing_graph, "--chunk-triples", "2000"))
    assert timing.returncode == 0, timing.stderr
    duration = time.monotonic() - started_at
    big_count = server.count(timing_graph)
    endpoint = server.gsp_url("http://x").split("?", 1)[0]
    refused_after_a_kill = 0
    for step in range(1, 8):
        loader = started(*load_args(server, big, graph, "--chunk-triples", "2000"))
        time.sleep(duration * step / 6)
        loader.send_signal(signal.SIGKILL)
        loader.wait()
        # Re-run at once: never a success while a killed load's staging graph is there.
        again = kg(*load_args(server, SMALL, graph))
        if staged_on(server):
            assert again.returncode == 2, again.stderr
            assert "staging graph(s) of earlier loads into this graph" in again.stderr
            assert "`kg load --clean-staging` removes them" in again.stderr
            refused_after_a_kill += 1
        if again.returncode == 0:
            assert server.count(graph) == small_count
        assert server.count(graph) in (small_count, big_count)
        time.sleep(0.5)  # let the store finish a MOVE the killed load left running
        cleaned = kg("load", "--clean-staging", "--endpoint", endpoint)
        assert cleaned.returncode == 0, cleaned.stderr
        assert staged_on(server) == 0
        assert server.count(graph) in (small_count, big_count)
    assert refused_after_a_kill > 0  # some kills left a staging graph, and it was refused
    final = kg(*load_args(server, SMALL, graph))
    assert final.returncode == 0, final.stderr
    assert f"{small_count} triples loaded into <{graph}>" in final.stderr
    assert server.count(graph) == small_count and staged_on(server) == 0


def test_a_load_beside_an_orphan_staging_graph_of_another_target_goes_on(
    oxigraph_server: TripleStoreServer,
) -> None:
    server = oxigraph_server
    mine = server.fresh_graph("mine")
    orphaned = "urn:kg:staging:ffffffffffffffff:killed"
    inserted = server.update(f"INSERT DATA {{ GRAPH <{orphaned}> {{ <urn:x:s> <urn:x:p> 1 }} }}")
    assert inserted.status in (200, 204)
    loaded = kg(*load_args(server, SMALL, mine, "--chunk-triples", "500"))
    assert loaded.returncode == 0, loaded.stderr
    assert server.count(mine) == len(SMALL.read_text(encoding="utf-8").splitlines())
    endpoint = server.gsp_url("http://x").split("?", 1)[0]
    cleaned = kg("load", "--clean-staging", "--endpoint", endpoint)
    assert (cleaned.returncode, cleaned.stderr) == (
        0,
        f"removed 1 staging graph(s) from {endpoint}\n",
    )
    assert staged_on(server) == 0
