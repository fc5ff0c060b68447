"""`kg serve` behind its gate, over real HTTP: federated queries (SERVICE) are refused, so a web
page cannot make this machine call other hosts, and only loopback Host headers are answered, so
DNS rebinding cannot read the graph."""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.stores.gate import federated
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
