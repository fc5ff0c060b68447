"""Small real HTTP servers on 127.0.0.1 for tests: they record what reaches them and answer as a
hostile or broken store would (a huge error body, a trickle, request headers echoed back)."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    """The requests that reached the server: method, path and headers of each."""

    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((handler.command, handler.path, dict(handler.headers.items())))


@dataclass(frozen=True)
class Running:
    url: str  # http://127.0.0.1:PORT
    seen: Seen


@contextlib.contextmanager
def http_server(answer: Answer) -> Iterator[Running]:
    """Serve ``answer`` (called for every request, after it is recorded and its body read)."""
    seen = Seen()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_any(self) -> None:
            seen.add(self)
            length = int(self.headers.get("Content-Length") or 0)
            self.body = self.rfile.read(length) if length else b""
            with contextlib.suppress(OSError):  # the client may hang up first: that is the test
                answer(self)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(f"http://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        server.shutdown()
        server.server_close()


def body_of(handler: http.server.BaseHTTPRequestHandler) -> bytes:
    """The body of the request ``handler`` answers."""
    body: bytes = getattr(handler, "body", b"")
    return body


def status(code: int, body: bytes = b"") -> Answer:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def endless_error_body(code: int = 400, chunk: bytes = b"x" * 65536) -> Answer:
    """An error whose body never ends (no Content-Length; the connection stays open)."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Connection", "close")
        handler.end_headers()
        while True:
            handler.wfile.write(chunk)

    return answer


def trickle(code: int = 200, every: float = 1.0) -> Answer:
    """An answer sent one byte at a time, ``every`` seconds apart, forever."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while True:
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(every)

    return answer


def echo_headers(code: int = 400) -> Answer:
    """An error whose body repeats the request's headers, as some proxies and stores do."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        body = "".join(f"{name}: {value}\n" for name, value in handler.headers.items()).encode()
        handler.send_response(code)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("X-Echo", handler.headers.get("Authorization", ""))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@dataclass
class Counter:
    sent: int = 0  # bytes of the body written before the client hung up (or all of it)


def big_error_body(size: int, counter: Counter, code: int = 400) -> Answer:
    """An error with a body of ``size`` bytes (Content-Length given), counting what got out."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"e" * 65536
        while counter.sent < size:
            piece = chunk[: size - counter.sent]
            handler.wfile.write(piece)
            counter.sent += len(piece)

    return answer


def trickle_head(every: float = 1.0) -> Answer:
    """The status line and headers themselves, one byte at a time, forever."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 100_000:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)

    return answer


def silent(handler: http.server.BaseHTTPRequestHandler) -> None:
    """No answer at all (the connection stays open)."""
    time.sleep(3600)


def by_request(route: Callable[[str, str, int], Answer]) -> Answer:
    """``route(method, path, n)`` picks the answer to the n-th request (from 0)."""
    count = [0]
    lock = threading.Lock()

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        with lock:
            number = count[0]
            count[0] += 1
        route(handler.command, handler.path, number)(handler)

    return answer
