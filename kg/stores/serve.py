"""`kg serve`: a local SPARQL 1.1 Protocol endpoint over graphs, run by the Oxigraph server.

The graphs go into an Oxigraph store (a temporary one, or the user's); the `oxigraph serve`
command (PyPI package `oxigraph`) serves it, with its query page, behind kg's gate
(kg.stores.gate) on 127.0.0.1: requests addressed to another host name (DNS rebinding) and
federated queries (SERVICE) are refused there. Ctrl-C or
SIGTERM stops the server (terminated, waited for, killed after a timeout) and removes the
temporary store.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

from kg.errors import ServeError
from kg.stores.gate import gate
from kg.stores.local import fill_store, open_filled_store

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Endpoint:
    port: int

    @property
    def query_url(self) -> str:
        return f"http://{HOST}:{self.port}/query"

    @property
    def page_url(self) -> str:
        return f"http://{HOST}:{self.port}/"


def oxigraph_command() -> str:
    """The `oxigraph` command: on PATH, or beside this Python (a venv that is not activated)."""
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=sysconfig.get_path("scripts"))
    if found is None:
        raise ServeError("the `oxigraph` command is not installed: pip install oxigraph")
    return found


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def serve(
    graphs: Sequence[Path],
    *,
    port: int = 0,
    store: Path | None = None,
    on_ready: Callable[[Endpoint], None],
    startup_timeout: float = 30.0,
    stop_timeout: float = 5.0,
) -> None:
    """Serve the graphs (and/or the store) until SIGINT or SIGTERM; return then.

    ``on_ready`` is called once the endpoint answers. Port 0 picks a free port. Raises
    ServeError when the server does not start or stops by itself.
    """
    command = oxigraph_command()
    if not graphs and store is None:
        raise ServeError("give graph files to serve, or --store DIR")
    with _until_stopped(), contextlib.ExitStack() as cleanup:
        if store is None:
            temporary = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="kg-serve-"))
            location = Path(temporary) / "store"
        else:
            location = store
        if graphs:  # the graphs given replace what a --store held: serving twice is idempotent
            fill_store(location, graphs, None, replace=True)
        else:
            open_filled_store(location)  # a missing or empty store is an error; closed again
        if port and not _port_is_free(port):
            raise ServeError(f"port {port} on {HOST} is in use; choose another with --port")
        hidden = _hidden_address()
        log = cleanup.enter_context(tempfile.TemporaryFile())
        # Read-only: a web page the user visits could otherwise POST an update to localhost.
        arguments = [
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"{hidden[0]}:{hidden[1]}",
        ]
        child = subprocess.Popen(
            [command, *arguments, "--union-default-graph"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env={**os.environ, "RUST_LIB_BACKTRACE": "0"},  # an error is one line, not a trace
        )
        cleanup.callback(_stop, child, stop_timeout)  # before the temporary store is removed
        _wait_until_answering(child, f"http://{hidden[0]}:{hidden[1]}/query", startup_timeout, log)
        # The only way in: loopback Host headers only, no federated queries (kg.stores.gate).
        try:
            endpoint = Endpoint(cleanup.enter_context(gate(port, hidden)))
        except OSError as error:
            raise ServeError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
        on_ready(endpoint)
        code = child.wait()
        raise ServeError(f"the Oxigraph server stopped (exit code {code}): {_last_line(log)}")


class _Stop(BaseException):
    """SIGINT or SIGTERM arrived (a BaseException: no `except Exception` swallows it)."""


@contextlib.contextmanager
def _until_stopped() -> Iterator[None]:
    """Run the block until SIGINT / SIGTERM, which end it quietly (once: a second signal while
    the server is being stopped is ignored, so the stopping finishes)."""
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise _Stop

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except _Stop:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stop(child: subprocess.Popen[bytes], timeout: float) -> None:
    if child.poll() is None:
        child.terminate()
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _hidden_address() -> tuple[str, int]:
    """Where the Oxigraph server listens, behind the gate: a free port on a random address of
    the loopback network (127.x.y.z), which no web page can guess; 127.0.0.1 where the system
    has only that one."""
    for _ in range(8):
        address = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}."
        address += str(secrets.randbelow(253) + 2)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((address, 0))
            except OSError:
                continue
            port: int = probe.getsockname()[1]
            return address, port
    return HOST, free_port()


def _wait_until_answering(
    child: subprocess.Popen[bytes], query_url: str, timeout: float, log: IO[bytes]
) -> None:
    probe = urllib.request.Request(
        query_url + "?query=ASK%7B%7D",
        headers={"Accept": "application/sparql-results+json"},
    )
    deadline = time.monotonic() + timeout
    while True:
        if child.poll() is not None:
            raise ServeError(f"the Oxigraph server did not start: {_last_line(log)}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"the Oxigraph server did not answer within {timeout:g} s")
        time.sleep(0.05)


def _last_line(log: IO[bytes]) -> str:
    """What the server said last: its "Error: ..." line (before any backtrace) if it wrote one."""
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
    errors = [line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")]
    said = [line for line in lines if line]
    return errors[-1] if errors else said[-1] if said else "no message"
