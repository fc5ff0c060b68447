"""The triple-store harness (tests/servers.py) against real Oxigraph and Virtuoso servers, and the
store behaviour `kg load` / `kg serve` rely on: status codes, authentication, update rights and
Virtuoso's size limits, measured with Oxigraph 0.5.13 and Virtuoso 7.2.5."""

from __future__ import annotations

import base64
import os
import stat
import urllib.parse
from pathlib import Path

import pytest

from tests.servers import (
    REQUIRE_ENV,
    OxigraphServer,
    TripleStoreServer,
    VirtuosoServer,
    free_port,
    http,
    port_is_open,
)

pytestmark = pytest.mark.slow

# The status codes each store answers (Graph Store Protocol and SPARQL Update).
STATUS = {
    "oxigraph": {"created": 201, "replaced": 204, "added": 204, "deleted": 204, "updated": 204},
    "virtuoso": {"created": 201, "replaced": 200, "added": 200, "deleted": 200, "updated": 200},
}


@pytest.fixture(params=["oxigraph_server", "virtuoso_server"])
def store(request: pytest.FixtureRequest) -> TripleStoreServer:
    server: TripleStoreServer = request.getfixturevalue(request.param)
    return server


def ntriples(count: int, subject: str = "s") -> bytes:
    return "".join(
        f'<http://example.org/{subject}{i}> <http://example.org/p{i % 7}> "value {i}" .\n'
        for i in range(count)
    ).encode()


def subjects(store: TripleStoreServer, graph: str) -> set[str]:
    rows = store.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {row["s"] for row in rows}


def test_the_server_runs_on_localhost(store: TripleStoreServer) -> None:
    assert store.running
    assert store.base_url.startswith("http://127.0.0.1:")
    assert port_is_open(store.port)
    assert store.select("SELECT (1 + 1 AS ?two) WHERE {}") == [{"two": "2"}]


def test_url_forms(oxigraph_server: OxigraphServer, virtuoso_server: VirtuosoServer) -> None:
    graph = "http://example.org/g?x=1#y"
    quoted = urllib.parse.quote(graph, safe="")
    ox, virt = oxigraph_server, virtuoso_server
    assert (ox.query_url, ox.update_url, ox.auth) == (
        f"{ox.base_url}/query",
        f"{ox.base_url}/update",
        None,
    )
    assert ox.gsp_url(graph) == f"{ox.base_url}/store?graph={quoted}"
    assert (virt.query_url, virt.update_url, virt.auth) == (
        f"{virt.base_url}/sparql",
        f"{virt.base_url}/sparql-auth",
        ("digest", "dba", "dba"),
    )
    assert virt.gsp_url(graph) == f"{virt.base_url}/sparql-graph-crud-auth?graph={quoted}"


def test_put_replaces_post_adds_delete_removes(store: TripleStoreServer) -> None:
    status = STATUS[store.name]
    graph = store.fresh_graph()

    assert store.put_graph(graph, ntriples(3)).status == status["created"]
    assert store.count(graph) == 3

    assert store.put_graph(graph, ntriples(3, "t")).status == status["replaced"]
    assert store.count(graph) == 3
    assert subjects(store, graph) == {f"http://example.org/t{i}" for i in range(3)}

    assert store.post_graph(graph, ntriples(2, "u")).status == status["added"]
    assert store.count(graph) == 5

    got = store.request("GET", store.gsp_url(graph), headers={"Accept": "application/n-triples"})
    assert got.status == 200
    assert len(got.text.strip().splitlines()) == 5

    assert store.request("DELETE", store.gsp_url(graph)).status == status["deleted"]
    assert store.count(graph) == 0
    assert store.request("GET", store.gsp_url(graph)).status == 404


@pytest.mark.parametrize("content_type", ["text/turtle", "application/n-triples"])
def test_put_turtle_and_ntriples_with_unicode(store: TripleStoreServer, content_type: str) -> None:
    graph = store.fresh_graph()
    if content_type == "text/turtle":
        body = (
            '@prefix ex: <http://example.org/> .\nex:a ex:name "Zoë 漢字"@fr ;\n'
            "  ex:part [ ex:n 3 ] .\n"
        )
    else:
        body = (
            '<http://example.org/a> <http://example.org/name> "Zoë 漢字"@fr .\n'
            "<http://example.org/a> <http://example.org/part> _:b .\n"
            '_:b <http://example.org/n> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        )
    response = store.put_graph(graph, body.encode(), f"{content_type}; charset=utf-8")
    assert response.status == STATUS[store.name]["created"], response.text
    assert store.count(graph) == 3
    rows = store.select(
        f"SELECT ?name WHERE {{ GRAPH <{graph}> {{ ?a <http://example.org/name> ?name }} }}"
    )
    assert rows == [{"name": "Zoë 漢字"}]


def test_update_move_copy_insert(store: TripleStoreServer) -> None:
    a, b, c = (store.fresh_graph(label) for label in "abc")
    store.put_graph(a, ntriples(4))
    updated = STATUS[store.name]["updated"]

    response = store.update(f"MOVE <{a}> TO <{b}>")
    assert response.status == updated, response.text
    assert (store.count(a), store.count(b)) == (0, 4)

    assert store.update(f"COPY <{b}> TO <{c}>").status == updated
    extra = "<http://example.org/x> <http://example.org/y> <http://example.org/z>"
    assert store.update(f"INSERT DATA {{ GRAPH <{c}> {{ {extra} }} }}").status == updated
    assert (store.count(b), store.count(c)) == (4, 5)

    # SPARQL Update also as a direct application/sparql-update body.
    response = store.request(
        "POST",
        store.update_url,
        data=f"CLEAR GRAPH <{c}>".encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status == updated, response.text
    assert store.count(c) == 0


# -- Virtuoso's authentication, rights and limits ---------------------------------------------


def test_virtuoso_graph_store_wants_digest(virtuoso_server: VirtuosoServer) -> None:
    url = virtuoso_server.gsp_url(virtuoso_server.fresh_graph())
    headers = {"Content-Type": "application/n-triples"}
    anonymous = http("PUT", url, data=ntriples(1), headers=headers)
    assert anonymous.status == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Digest ")
    basic = {**headers, "Authorization": "Basic " + base64.b64encode(b"dba:dba").decode()}
    assert http("PUT", url, data=ntriples(1), headers=basic).status == 401
    assert http("GET", url, auth=("digest", "dba", "wrong")).status == 401
    # The unauthenticated twin /sparql-graph-crud reads but does not write.
    public = url.replace("/sparql-graph-crud-auth?", "/sparql-graph-crud?")
    assert http("PUT", public, data=ntriples(1), headers=headers).status == 403


def test_virtuoso_anonymous_sparql_cannot_update(virtuoso_server: VirtuosoServer) -> None:
    graph = virtuoso_server.fresh_graph()
    response = http(
        "POST",
        virtuoso_server.query_url,
        data=urllib.parse.urlencode(
            {"update": f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}"}
        ).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 500
    assert "SR186" in response.text  # "No permission to execute procedure ... INSERT ..."
    assert virtuoso_server.count(graph) == 0


def test_virtuoso_insert_data_is_limited_to_about_1400_triples(
    virtuoso_server: VirtuosoServer,
) -> None:
    """One INSERT DATA compiles to SQL, and Virtuoso refuses SQL over 10,000 lines: 1,426
    triples pass, 1,427 fail (400); `kg load` must use the Graph Store or small batches."""
    graph = virtuoso_server.fresh_graph()

    def insert(count: int) -> int:
        triples = ntriples(count).decode()
        return virtuoso_server.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}}} }}").status

    assert insert(1426) == 200
    response = virtuoso_server.update(
        f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples(1427).decode()}}} }}"
    )
    assert response.status == 400
    assert "exceeded 10000 lines" in response.text
    assert virtuoso_server.count(graph) == 1426


def test_virtuoso_insert_data_refuses_blank_nodes(virtuoso_server: VirtuosoServer) -> None:
    """Virtuoso 7.2.5 refuses a blank node in INSERT DATA (400, SP031 "not allowed in a constant
    clause"); INSERT { ... } WHERE {} and the Graph Store take them."""
    graph = virtuoso_server.fresh_graph()
    triple = '_:b <http://example.org/p> "v"'
    response = virtuoso_server.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} }} }}")
    assert response.status == 400
    assert "not allowed in a constant clause" in response.text
    response = virtuoso_server.update(f"INSERT {{ GRAPH <{graph}> {{ {triple} }} }} WHERE {{}}")
    assert response.status == 200, response.text
    assert virtuoso_server.count(graph) == 1


def test_virtuoso_drop_graph_wants_silent(virtuoso_server: VirtuosoServer) -> None:
    """A graph made by a PUT was never CREATEd: DROP GRAPH fails (500), DROP SILENT clears it."""
    graph = virtuoso_server.fresh_graph()
    virtuoso_server.put_graph(graph, ntriples(2))
    response = virtuoso_server.update(f"DROP GRAPH <{graph}>")
    assert response.status == 500
    assert "has not been explicitly created" in response.text
    assert virtuoso_server.update(f"DROP SILENT GRAPH <{graph}>").status == 200
    assert virtuoso_server.count(graph) == 0


def test_virtuoso_graph_store_takes_a_large_put(virtuoso_server: VirtuosoServer) -> None:
    """50,000 triples (3.5 MB) in one authenticated PUT: this needs the Digest challenge fetched
    before the body is sent (tests.servers.http), or Virtuoso resets the connection."""
    graph = virtuoso_server.fresh_graph()
    assert virtuoso_server.put_graph(graph, ntriples(50_000)).status == 201
    assert virtuoso_server.count(graph) == 50_000


def test_virtuoso_failed_put_is_not_atomic(virtuoso_server: VirtuosoServer) -> None:
    """A PUT that fails on a syntax error (500) has already dropped the old graph and keeps the
    triples parsed before the error: load into a scratch graph, then MOVE it into place."""
    graph = virtuoso_server.fresh_graph()
    virtuoso_server.put_graph(graph, ntriples(3, "old"))
    response = virtuoso_server.put_graph(graph, ntriples(5, "new") + b"garbage\n")
    assert response.status == 500
    assert virtuoso_server.count(graph) == 5
    assert subjects(virtuoso_server, graph) == {f"http://example.org/new{i}" for i in range(5)}


# -- the harness itself ---------------------------------------------------------------------------


def test_free_port_can_be_bound() -> None:
    port = free_port()
    assert 1024 <= port <= 65535
    assert not port_is_open(port)


@pytest.mark.parametrize("server_class", [OxigraphServer, VirtuosoServer])
def test_stop_ends_the_process_and_removes_its_folder(
    tmp_path: Path, server_class: type[TripleStoreServer]
) -> None:
    server = server_class(tmp_path).start()
    process, workdir, port = server.process, server.workdir, server.port
    assert process is not None and workdir is not None and workdir.is_dir()
    assert server.startup_seconds < 30
    server.stop()
    assert process.poll() is not None
    assert not workdir.exists()
    assert not port_is_open(port)
    assert not server.running
    server.stop()  # twice is harmless
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("server_class", "hint"),
    [
        (OxigraphServer, "pip install oxigraph"),
        (VirtuosoServer, "apt-get install virtuoso-opensource"),
    ],
)
def test_a_missing_program_skips_with_the_install_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server_class: type[TripleStoreServer],
    hint: str,
) -> None:
    monkeypatch.setattr(server_class, "find_binary", lambda self: None)
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=hint):
        server_class(tmp_path).start()
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(RuntimeError, match=hint):
        server_class(tmp_path).start()


def test_a_server_that_fails_to_start_reports_its_log(tmp_path: Path) -> None:
    fake = tmp_path / "fake-oxigraph"
    fake.write_text("#!/bin/sh\necho 'cannot open the store: boom' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(RuntimeError, match=r"exited with status 3(.|\n)*boom"):
        OxigraphServer(scratch, binary=os.fspath(fake)).start()
    assert list(scratch.iterdir()) == []  # the failed server's folder is removed too
