"""What a store answers is read with limits: a small prefix of an error body, one deadline for
the whole of a request (a trickling answer included), a cleanup that does not wait as long
again, and no credential in anything kg prints, even when the store repeats the headers."""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable

import pytest

from kg.errors import RemoteStoreError
from kg.stores.http import ANSWER_BYTES, ERROR_BODY_BYTES, Credentials, StoreClient
from kg.stores.load import LoadTarget, load
from tests.conftest import ROOT
from tests.local_http import (
    Answer,
    Counter,
    big_error_body,
    body_of,
    echo_headers,
    http_server,
    silent,
    status,
    trickle,
    trickle_head,
)

GRAPH = ROOT / "output" / "graph.nt"
HANG_GUARD = 60.0  # seconds: far beyond any deadline here; only a hang reaches it


def finishes(call: Callable[[], object]) -> BaseException | None:
    """Run ``call`` in a thread; the exception it raised (None if none). Fails the test if it
    is still waiting after HANG_GUARD seconds (it hung: the thread is left behind)."""
    raised: list[BaseException | None] = [None]

    def run() -> None:
        try:
            call()
        except BaseException as error:
            raised[0] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), "the request was still waiting: no overall deadline"
    return raised[0]


def sparql_results(handler: http.server.BaseHTTPRequestHandler, triples: int) -> bytes:
    """What a store answers kg's two queries: no staging graphs; ``triples`` in any graph."""
    query = urllib.parse.parse_qs(body_of(handler).decode())["query"][0]
    rows = [] if "DISTINCT ?g" in query else [{"n": {"type": "literal", "value": str(triples)}}]
    return json.dumps({"head": {"vars": []}, "results": {"bindings": rows}}).encode()


def client(timeout: float = 5.0, **credentials: str) -> StoreClient:
    return StoreClient(Credentials(**credentials), timeout=timeout, sleep=lambda seconds: None)


def test_only_a_prefix_of_an_error_body_is_read() -> None:
    size = 256 * 1024 * 1024  # what the store offers; kg must not take it all
    counter = Counter()
    with http_server(big_error_body(size, counter)) as server:
        error = finishes(lambda: client().request("PUT", f"{server.url}/store?default", b"x"))
    assert isinstance(error, RemoteStoreError)
    assert str(error).startswith(f"PUT {server.url}/store: 400 Bad Request: eeee")
    assert counter.sent < size // 4, counter.sent  # the rest never left: kg hung up
    assert len(str(error)) < ERROR_BODY_BYTES


def test_a_successful_answer_is_read_up_to_a_limit() -> None:
    counter = Counter()
    with http_server(big_error_body(64 * ANSWER_BYTES, counter, code=200)) as server:
        error = finishes(lambda: client().request("POST", f"{server.url}/query", b"q"))
    assert isinstance(error, RemoteStoreError)
    assert str(error) == (
        f"POST {server.url}/query: the store's answer is longer than {ANSWER_BYTES:,} bytes, "
        "more than kg asks for"
    )
    assert counter.sent < 32 * ANSWER_BYTES


@pytest.mark.parametrize("answer", [trickle(every=0.5), trickle_head(every=0.5)])
def test_one_deadline_for_the_whole_request(answer: Answer) -> None:
    """A byte every half second never trips a socket timeout; the deadline cuts it off."""
    with http_server(answer) as server:
        error = finishes(lambda: client(timeout=1.5).request("GET", f"{server.url}/query"))
    assert isinstance(error, RemoteStoreError)
    assert str(error) == f"no answer from {server.url}/query within 1.5 s"


def test_the_cleanup_after_a_timeout_has_its_own_short_deadline() -> None:
    """The MOVE gets no answer; the DROP that cleans up trickles: kg gives up on both."""
    updates = [silent, trickle(every=0.5)]
    received = [0]  # triples the store took in

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/store"):
            received[0] += body_of(handler).count(b"\n")
            status(201)(handler)
        elif handler.path.startswith("/query"):
            status(200, sparql_results(handler, received[0]))(handler)
        else:
            updates.pop(0)(handler)

    with http_server(answer) as server:
        target = LoadTarget(f"{server.url}/store", "https://example.org/g", chunk_triples=500)
        error = finishes(lambda: load([GRAPH], target, client(timeout=1)))
        requests = [(method, path.split("?")[0]) for method, path, _ in server.seen.requests]
    assert isinstance(error, RemoteStoreError)
    message = str(error)
    assert message.startswith(f"no answer from {server.url}/update within 1 s; the staging graph")
    assert message.endswith("could not be removed within 1 s: `kg load --clean-staging` removes it")
    assert requests[-2:] == [("POST", "/update"), ("POST", "/update")]  # the MOVE, the DROP
    assert updates == []


SECRET_TOKEN = "tok-9f8e7d6c5b4a-secret"
SECRET_PASSWORD = "pw-Sup3rSecret!"


def basic_then_echo() -> Answer:
    """A Basic challenge to kg's probe, then every request's headers echoed in a 400."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        if handler.headers.get("Authorization") is None:
            handler.send_response(401)
            handler.send_header("WWW-Authenticate", 'Basic realm="store"')
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        echo_headers(400)(handler)

    return answer


def kg_load(url: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_STORE_")}
    command = [sys.executable, "-m", "kg", "load", str(GRAPH), "--endpoint", f"{url}/store"]
    return subprocess.run(
        [*command, "--graph", "https://example.org/g", "--timeout", "10"],
        env={**env, "NETRC": os.devnull, **environment},
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )


@pytest.mark.parametrize(
    ("environment", "answer"),
    [
        ({"KG_STORE_TOKEN": SECRET_TOKEN}, echo_headers(400)),
        ({"KG_STORE_USER": "ann", "KG_STORE_PASSWORD": SECRET_PASSWORD}, basic_then_echo()),
    ],
    ids=["bearer", "basic"],
)
def test_credentials_echoed_by_the_store_are_not_printed(
    environment: dict[str, str], answer: Answer
) -> None:
    with http_server(answer) as server:
        result = kg_load(server.url, environment)
        sent = [headers.get("Authorization", "") for _, _, headers in server.seen.requests]
    assert any(sent), "kg sent no credentials: the test proves nothing"
    printed = result.stdout + result.stderr
    assert result.returncode == 2, printed
    assert "400 Bad Request" in printed and "Authorization: [redacted]" in printed, printed
    basic = base64.b64encode(f"ann:{SECRET_PASSWORD}".encode()).decode()
    for secret in (SECRET_TOKEN, SECRET_PASSWORD, basic, "Bearer tok", "Basic YW5u"):
        assert secret not in printed, printed
    assert printed.count("\n") == 1, printed


def test_credentials_in_an_error_page_are_not_printed() -> None:
    """Whatever the page says: a URL with a password in it, a token parameter."""
    page = b"retry at http://admin:hunter2hunter2@10.0.0.5:8890/sparql?token=abc123def456 please"
    with http_server(status(400, page)) as server:
        result = kg_load(server.url, {})
    printed = result.stdout + result.stderr
    assert "hunter2" not in printed and "abc123def456" not in printed, printed
    assert "http://[redacted]@10.0.0.5:8890/sparql?token=[redacted] please" in printed, printed


def test_the_deadline_is_an_option_of_kg_load() -> None:
    with http_server(trickle(every=0.5)) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KG_STORE_")}
        command = [sys.executable, "-m", "kg", "load", str(GRAPH), "--endpoint"]
        result = subprocess.run(
            [*command, f"{server.url}/store", "--graph", "https://example.org/g", "--timeout", "1"],
            env={**env, "NETRC": os.devnull},
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
    assert result.returncode == 2
    # The first request asks the query endpoint for staging graphs left by earlier loads.
    assert result.stderr.startswith(f"Error: no answer from {server.url}/query within 1 s")
    assert result.stderr.count("\n") == 1
