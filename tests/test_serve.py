"""`kg serve`: a SPARQL 1.1 Protocol endpoint on 127.0.0.1, queried over HTTP by a real client,
answering as `kg query` does, and stopped cleanly by SIGINT / SIGTERM."""

from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ServeError
from kg.query.sparql import example_queries, format_results, open_store, run_query
from kg.stores import serve as serve_module
from kg.stores.serve import free_port, oxigraph_command
from tests.conftest import ROOT

SELECTS = [q for q in example_queries() if not q.defaults and "CONSTRUCT" not in q.text]


def oxigraph_or_skip() -> None:
    try:
        oxigraph_command()
    except ServeError:
        pytest.skip("the `oxigraph` command is not installed (pip install oxigraph)")


class Server:
    """`python -m kg serve ...` as a child process, its standard output read line by line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_url(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    assert self.process.stderr is not None
                    pytest.fail(f"kg serve exited early: {self.process.stderr.read()}")
                continue
            if line.startswith("SPARQL endpoint: "):
                return line.removeprefix("SPARQL endpoint: ")
        pytest.fail("kg serve printed no endpoint URL")

    def stop(self, signum: int = signal.SIGINT) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=10)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server() -> Iterator[list[Server]]:
    oxigraph_or_skip()
    started: list[Server] = []
    yield started
    for each in started:
        each.kill()


def sparql_get(url: str, query: str) -> bytes:
    """A SPARQL 1.1 Protocol query by GET, asking for SPARQL results JSON."""
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/sparql-results+json")
        body: bytes = response.read()
        return body


def port_is_free(port: int) -> bool:
    """Nothing listens on the port: a connection is refused, and a new server could bind it
    (SO_REUSEADDR, as servers do: the closed connections linger in TIME_WAIT for a while)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
        if client.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


@pytest.mark.slow
def test_serve_answers_over_http_as_kg_query_does_and_stops_on_sigint(
    server: list[Server], example_export: Path
) -> None:
    graph = example_export / "graph.ttl"
    port = free_port()
    server.append(Server(str(graph), "--port", str(port)))
    url = server[0].wait_for_url()
    assert url == f"http://127.0.0.1:{port}/query"
    assert server[0].lines.get(timeout=10).startswith("Query page: ")
    said = server[0].lines.get(timeout=10)  # the startup line says the prefixes are declared
    assert said.startswith("kg's prefixes (schema:, bibo:, dcterms:") and "queries/*.rq" in said

    local = open_store([graph])
    assert len(SELECTS) >= 8
    for query in SELECTS:
        body = sparql_get(url, query.text)
        remote = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        expected = format_results(run_query(local, query.text), "csv")
        assert format_results(remote, "csv") == expected, query.name
    assert json.loads(sparql_get(url, "ASK { ?s ?p ?o }")) == {"head": {}, "boolean": True}
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
        assert b"<html" in page.read().lower()  # the query page for the browser
    # Read-only: a web page the user visits cannot drop the graph with a form POST.
    drop = urllib.request.Request(
        f"http://127.0.0.1:{port}/update", data=b"update=DROP+ALL", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(drop, timeout=30)
    assert json.loads(sparql_get(url, "ASK { ?s ?p ?o }")) == {"head": {}, "boolean": True}

    started = time.monotonic()
    assert server[0].stop(signal.SIGINT) == 0
    assert time.monotonic() - started < 10
    assert port_is_free(port)


@pytest.mark.slow
def test_serve_stops_on_sigterm_and_picks_a_free_port(
    server: list[Server], example_export: Path
) -> None:
    server.append(Server(str(example_export / "graph.ttl")))
    url = server[0].wait_for_url()
    port = int(urllib.parse.urlsplit(url).port or 0)
    assert port > 0
    assert sparql_get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert server[0].stop(signal.SIGTERM) == 0
    assert port_is_free(port)


@pytest.mark.slow
def test_serve_a_store_filled_before(
    server: list[Server], example_export: Path, tmp_path: Path
) -> None:
    from kg.stores.local import fill_store

    fill_store(tmp_path / "store", [example_export / "graph.ttl"], "https://example.org/g", True)
    server.append(Server("--store", str(tmp_path / "store")))
    url = server[0].wait_for_url()
    body = sparql_get(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the union graph
    count = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    assert int(count) == len(open_store([example_export / "graph.ttl"]))
    assert server[0].stop() == 0
    assert (tmp_path / "store" / "CURRENT").is_file()  # the user's store is kept


@pytest.mark.slow
def test_a_port_in_use_is_a_one_line_error(example_export: Path) -> None:
    oxigraph_or_skip()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kg", "serve", str(example_export / "graph.ttl"),
             "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert (
        result.stderr == f"Error: port {port} on 127.0.0.1 is in use; choose another with --port\n"
    )
    assert result.stderr.count("\n") == 1


def test_no_oxigraph_command_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_module.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(ServeError, match=r"pip install oxigraph"):
        oxigraph_command()
