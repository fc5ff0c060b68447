"""`kg serve` behind its gate, over real HTTP: federated queries (SERVICE) are refused, so a web
page cannot make this machine call other hosts, and only loopback Host headers are answered, so
DNS rebinding cannot read the graph."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.query.sparql import open_store, run_query
from kg.stores.gate import federated
from kg.stores.prefixes import declare_prefixes, request_with_prefixes
from kg.stores.serve import free_port
from tests.local_http import http_server, status
from tests.test_serve import Server, oxigraph_or_skip

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ask(
    port: int, method: str, path: str, host: str, body: bytes = b"", kind: str = ""
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Host": host, "Accept": "application/sparql-results+json"}
        if kind:
            headers["Content-Type"] = kind
        connection.request(method, path, body or None, headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.fixture
def served(example_export: Path) -> Iterator[int]:
    oxigraph_or_skip()
    port = free_port()
    server = Server(str(example_export / "graph.ttl"), "--port", str(port))
    try:
        server.wait_for_url()
        yield port
    finally:
        server.kill()


@pytest.mark.slow
def test_federated_queries_are_refused_in_every_form(served: int) -> None:
    port = served
    with http_server(status(200, b"")) as elsewhere:
        federated_query = f"SELECT * WHERE {{ SERVICE <{elsewhere.url}/sparql> {{ ?s ?p ?o }} }}"
        form = urllib.parse.urlencode({"query": federated_query})
        host = f"127.0.0.1:{port}"
        answers = [
            ask(port, "GET", f"/query?{form}", host),
            ask(port, "POST", "/query", host, form.encode(), "application/x-www-form-urlencoded"),
            ask(port, "POST", "/query", host, federated_query.encode(), "application/sparql-query"),
            ask(port, "POST", f"/query?{form}", host, b"", "application/sparql-query"),
        ]
        assert elsewhere.seen.requests == []
    refused = b"kg serve does not run federated queries (SERVICE): they call other hosts\n"
    assert answers == [(400, refused)] * 4
    status_code, body = ask(port, "GET", "/query?" + urllib.parse.urlencode({"query": QUERY}), host)
    assert status_code == 200 and b'"n"' in body  # other queries still run


@pytest.mark.slow
def test_only_loopback_host_headers_are_answered(served: int) -> None:
    port = served
    path = "/query?" + urllib.parse.urlencode({"query": QUERY})
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost"):
        assert ask(port, "GET", path, host)[0] == 200, host
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.nip.io:{port}", ""):
        code, body = ask(port, "GET", path, host)
        assert (code, body) == (
            403,
            b"kg serve answers requests addressed to 127.0.0.1 or localhost only\n",
        ), host
    assert ask(port, "GET", "/", f"evil.example:{port}")[0] == 403  # the query page too


@pytest.mark.parametrize(
    ("path", "kind", "body", "expected"),
    [
        ("/query?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fh%2F%3E%20%7B%7D%20%7D", "",
         b"", True),
        ("/query", "application/x-www-form-urlencoded",
         b"query=select+*+%7B+service+%3Chttp%3A%2F%2Fh%2F%3E+%7B%7D+%7D", True),
        ("/query", "application/sparql-query; charset=utf-8",
         b"SELECT * { SERVICE <http://h/> {} }", True),
        ("/query", "text/plain", b"SELECT * { SERVICE <http://h/> {} }", True),
        ("/query?query=SELECT%20%3Fservice%20%7B%7D", "", b"", False),
        ("/query", "application/sparql-query", b"SELECT * { ?s ?p 'SERVICE' }", False),
    ],
)  # fmt: skip
def test_federated_requests_are_found(path: str, kind: str, body: bytes, expected: bool) -> None:
    assert federated(path, kind, body) is expected


UNDECLARED = "SELECT (COUNT(?w) AS ?n) WHERE { ?w a schema:ScholarlyArticle ; dcterms:title ?t }"


def count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
def test_served_queries_may_use_kgs_prefixes_as_kg_query_does(
    served: int, example_export: Path
) -> None:
    port, host = served, f"127.0.0.1:{served}"
    expected = run_query(open_store([example_export / "graph.ttl"]), UNDECLARED)
    (row,) = list(expected)
    works = int(row["n"].value)
    assert works > 0
    form = urllib.parse.urlencode({"query": UNDECLARED})
    answers = [
        ask(port, "GET", f"/query?{form}", host),
        ask(port, "POST", "/query", host, form.encode(), "application/x-www-form-urlencoded"),
        ask(port, "POST", "/query", host, UNDECLARED.encode(), "application/sparql-query"),
    ]
    assert [(code, count(body)) for code, body in answers] == [(200, works)] * 3
    # A query's own declaration wins: https://schema.org/ is not the namespace kg writes.
    own = "PREFIX schema: <https://schema.org/>\n" + UNDECLARED
    code, body = ask(port, "POST", "/query", host, own.encode(), "application/sparql-query")
    assert (code, count(body)) == (200, 0)
    # An unknown prefix is still the server's error, on the query's own line: the declarations
    # kg adds go on the first line.
    bad = "SELECT * { ?s schema:name ?o .\n ?s nope:p ?o }"
    code, body = ask(port, "POST", "/query", host, bad.encode(), "application/sparql-query")
    assert code == 400 and b"error at 2:" in body and b"Prefix not found" in body


def test_prefixes_are_declared_where_the_protocol_puts_the_query() -> None:
    prefixes = {"schema": "http://schema.org/", "bibo": "http://purl.org/ontology/bibo/"}
    query = "SELECT ?n { ?w schema:name ?n }"
    declared = "PREFIX schema: <http://schema.org/> " + query
    get = "/query?" + urllib.parse.urlencode({"query": query, "default-graph-uri": "urn:g"})
    path, body = request_with_prefixes(get, None, b"", prefixes)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query) == {
        "query": [declared], "default-graph-uri": ["urn:g"]
    }  # fmt: skip
    form = urllib.parse.urlencode({"query": query}).encode()
    _, body = request_with_prefixes("/query", "application/x-www-form-urlencoded", form, prefixes)
    assert urllib.parse.parse_qs(body.decode()) == {"query": [declared]}
    sparql = "application/sparql-query; charset=utf-8"
    assert request_with_prefixes("/query", sparql, query.encode(), prefixes)[1] == (
        declared.encode()
    )
    # Not a query: the store's page and anything else pass as they are.
    assert request_with_prefixes("/", None, b"x", prefixes) == ("/", b"x")
    declares_bibo = "PREFIX bibo: <urn:b/> SELECT * { ?s bibo:x ?o ; <urn:schema:y> 'schema:z' }"
    assert declare_prefixes(declares_bibo, prefixes) == declares_bibo
    assert declare_prefixes("select * { ?s SCHEMA:x ?o }", prefixes) == (
        "select * { ?s SCHEMA:x ?o }"  # prefixes are case-sensitive: SCHEMA: is not kg's
    )
