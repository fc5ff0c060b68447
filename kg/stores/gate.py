"""The gate in front of the Oxigraph server that ``kg serve`` runs: only loopback Host headers,
and no federated queries.

The Oxigraph server answers any request that reaches its port, and evaluates ``SERVICE <IRI>``
by sending a request to that IRI. Bound to 127.0.0.1 it is still reachable from any web page
the user visits: the page can send it a GET (so a ``SERVICE`` query makes this machine call any
host, inside the user's network too), and DNS rebinding (a name of the attacker's resolving to
127.0.0.1) lets the page read the answers. So ``kg serve`` listens with this gate, which

- answers only requests whose ``Host`` header names the loopback address (``127.0.0.1``,
  ``localhost`` or ``[::1]``, with the port or without): a rebound name is refused (403);
- refuses queries with a ``SERVICE`` clause (400), wherever the query is (the URL, a form, a
  ``application/sparql-query`` body), found as a SPARQL parser would (kg.core.federation);
- declares kg's prefixes (``schema:``, ``bibo:``, …) in front of a query that uses them without
  declaring them, as ``kg query`` predeclares them (kg.stores.prefixes);
- forwards everything else to the Oxigraph server, which listens on a random address of the
  loopback network (127.x.y.z, where the system allows it) and port, so no page can guess it.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import threading
import urllib.parse
from collections.abc import Iterator

from kg.core.federation import uses_service
from kg.core.namespaces import PREFIXES
from kg.stores.prefixes import request_with_prefixes

MAX_REQUEST_BYTES = 16 << 20  # a query this long is not one a person wrote
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback_host(host: str | None, port: int) -> bool:
    """Whether a request's ``Host`` header names this machine's loopback address (and, if it
    names a port, ``port``).

    >>> [is_loopback_host(h, 7878) for h in ("127.0.0.1:7878", "LOCALHOST", "[::1]:7878")]
    [True, True, True]
    >>> [is_loopback_host(h, 7878) for h in ("evil.example:7878", "127.0.0.1:80", None, "")]
    [False, False, False, False]
    """
    if not host:
        return False
    name = host.strip().lower()
    return any(name in (loopback, f"{loopback}:{port}") for loopback in _LOOPBACK_NAMES)


def federated(path: str, content_type: str | None, body: bytes) -> bool:
    """Whether the request carries a federated query, in its URL, form or body."""
    queries = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("query", [])
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    text = body.decode("utf-8", errors="replace")
    if kind == "application/x-www-form-urlencoded":
        queries += urllib.parse.parse_qs(text).get("query", [])
    elif body:  # application/sparql-query, or anything else a server might read as a query
        queries.append(text)
    return any(uses_service(query) for query in queries)


class _Gate(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, upstream: tuple[str, int], prefixes: dict[str, str]) -> None:
        super().__init__(("127.0.0.1", port), _GateHandler)
        self.upstream = upstream
        self.prefixes = prefixes


class _GateHandler(http.server.BaseHTTPRequestHandler):
    server: _Gate
    protocol_version = "HTTP/1.0"  # one request a connection: the answer ends when it closes

    def _handle(self) -> None:
        if not is_loopback_host(self.headers.get("Host"), self.server.server_address[1]):
            self._refuse(403, "kg serve answers requests addressed to 127.0.0.1 or localhost only")
            return
        if self.headers.get("Transfer-Encoding"):
            self._refuse(411, "send the request with a Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            self._refuse(413, "the request is too large")
            return
        body = self.rfile.read(length) if length else b""
        if federated(self.path, self.headers.get("Content-Type"), body):
            self._refuse(
                400, "kg serve does not run federated queries (SERVICE): they call other hosts"
            )
            return
        path, body = request_with_prefixes(
            self.path, self.headers.get("Content-Type"), body, self.server.prefixes
        )
        self._forward(path, body)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _handle  # noqa: N815

    def _forward(self, path: str, body: bytes) -> None:
        host, port = self.server.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=3600)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            upstream.request(self.command, path, body or None, headers)
            answer = upstream.getresponse()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                while chunk := answer.read1(65536):
                    self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            with contextlib.suppress(OSError):
                self._refuse(502, "the Oxigraph server did not answer")
        finally:
            upstream.close()

    def _refuse(self, status: int, message: str) -> None:
        data = f"{message}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # kg serve prints its endpoint, not a line per request


@contextlib.contextmanager
def gate(
    port: int, upstream: tuple[str, int], prefixes: dict[str, str] = PREFIXES
) -> Iterator[int]:
    """Listen on 127.0.0.1:``port`` (0: a free one), forwarding to ``upstream`` through the
    gate, with ``prefixes`` declared for queries that use them, until the block ends; yields
    the port."""
    server = _Gate(port, upstream, prefixes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
