"""Real triple stores on 127.0.0.1 for the `kg load` / `kg serve` tests.

Two servers, each started in a fresh folder on free ports and stopped (then its folder removed)
at the end:

- ``OxigraphServer``: the ``oxigraph`` command of the ``oxigraph`` PyPI package
  (``oxigraph serve --location DIR --bind 127.0.0.1:PORT``). No authentication.
  Graph Store Protocol at ``/store?graph=IRI``, SPARQL query at ``/query``, update at ``/update``.
- ``VirtuosoServer``: Debian's ``virtuoso-t`` (``apt-get install virtuoso-opensource``), run in
  the foreground on a fresh database with a small configuration written here. Graph Store
  Protocol at ``/sparql-graph-crud-auth?graph=IRI`` (HTTP Digest, user ``dba``, password ``dba``;
  Basic is refused with 401), SPARQL query at ``/sparql`` (anonymous), SPARQL Update at
  ``/sparql-auth`` (Digest; ``dba`` may update without any GRANT, the anonymous ``/sparql``
  may not).

Virtuoso 7.2.5 as measured (see tests/test_servers.py): a Graph Store PUT or POST of 1,000,000
N-Triples (74 MB) loads in one request (10 s), but a PUT that fails on a syntax error (500) has
already replaced the graph with the triples before the error. One SPARQL ``INSERT DATA`` fails
(400) above 1,426 triples ("generated SQL text has exceeded 10000 lines"; 4,990 with ``define
sql:big-data-const 1``, then the parser's "memory exhausted") and on any blank node ("not allowed
in a constant clause"; ``INSERT {...} WHERE {}`` takes them). ``DROP GRAPH`` / ``CREATE GRAPH``
fail (500) on a graph that only exists by its triples: use ``CLEAR GRAPH`` or ``DROP SILENT``.
``SELECT`` results are cut at 10,000 rows (``ResultSetMaxRows``, as in Debian's configuration).

The session fixtures ``oxigraph_server`` and ``virtuoso_server`` start each server once per test
run; tests share it, so each test should write to its own graphs (``server.fresh_graph()``). A
missing server program skips the tests that need it, unless ``KG_REQUIRE_TRIPLE_STORES=1``
(then it is an error, so CI cannot pass by skipping). Only the standard library speaks HTTP here.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, ClassVar, NoReturn, Self

import pytest

STARTUP_TIMEOUT = 60.0  # seconds; Virtuoso needs about 1.5 s on a fresh database, Oxigraph 0.1 s
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL
REQUIRE_ENV = "KG_REQUIRE_TRIPLE_STORES"
LOCALHOST = "127.0.0.1"

Auth = tuple[str, str, str] | None  # None, or ("digest", user, password)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOCALHOST, port)) == 0


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    auth: Auth = None,
    timeout: float = 60.0,
) -> Response:
    """One HTTP request with the standard library; any status is returned, never raised.

    Proxies from the environment are ignored (the servers are local). With ``auth`` and a body,
    the Digest challenge is fetched first with a body-less HEAD and the request goes out already
    authenticated: urllib's HTTPDigestAuthHandler alone sends the body unauthenticated first, and
    Virtuoso answers that 401 and closes the connection before reading a large body, so the
    client fails with "Broken pipe" or "Connection reset by peer" (seen from 20,000 triples).
    """
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    digest: urllib.request.HTTPDigestAuthHandler | None = None
    if auth is not None:
        scheme, user, password = auth
        if scheme != "digest":
            raise ValueError(f"unsupported authentication scheme {scheme!r}")
        parts = urllib.parse.urlsplit(url)
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
        digest = urllib.request.HTTPDigestAuthHandler(passwords)
        handlers.append(digest)
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if digest is not None and data:
        challenge = _digest_challenge(url, timeout)
        if challenge is not None:
            authorization = digest.get_authorization(request, challenge)
            if authorization:
                request.add_unredirected_header("Authorization", f"Digest {authorization}")
    return _send(opener, request, timeout)


def _send(
    opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float
) -> Response:
    try:
        with opener.open(request, timeout=timeout) as response:
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, dict(error.headers or {}), error.read())


def _digest_challenge(url: str, timeout: float) -> dict[str, str] | None:
    """The parameters of the Digest challenge a body-less HEAD of ``url`` gets, if any."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    probe = _send(opener, urllib.request.Request(url, method="HEAD"), timeout)
    header = probe.headers.get("WWW-Authenticate", "")
    scheme, _, parameters = header.partition(" ")
    if probe.status != 401 or scheme.lower() != "digest":
        return None
    return urllib.request.parse_keqv_list(
        [item for item in urllib.request.parse_http_list(parameters) if item]
    )


class TripleStoreServer:
    """A triple store running as a child process; ``start()`` (or ``with``) runs it, ``stop()``
    ends it (SIGTERM, then SIGKILL after STOP_TIMEOUT) and removes its folder."""

    name: ClassVar[str] = "server"
    program: ClassVar[str] = ""
    install_hint: ClassVar[str] = ""
    auth: Auth = None

    def __init__(
        self,
        tmp_dir: Path | str,
        *,
        binary: str | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.tmp_dir = Path(tmp_dir)
        self.binary = binary
        self.startup_timeout = startup_timeout
        self.workdir: Path | None = None
        self.port = 0
        self.startup_seconds = 0.0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    # -- the URL forms, per store -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    @property
    def update_url(self) -> str:
        raise NotImplementedError

    def gsp_url(self, graph_iri: str) -> str:
        raise NotImplementedError

    # -- life cycle -----------------------------------------------------------------------------

    def find_binary(self) -> str | None:
        return self.binary or shutil.which(self.program)

    def command(self, binary: str) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Write configuration into ``self.workdir`` (ports are chosen) before the start."""

    def is_ready(self) -> bool:
        raise NotImplementedError

    @property
    def log_path(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "server.log"

    def start(self) -> Self:
        binary = self.find_binary()
        if binary is None:
            message = f"{self.program} is not installed ({self.install_hint})"
            if os.environ.get(REQUIRE_ENV) == "1":
                raise RuntimeError(f"{message}, and {REQUIRE_ENV}=1 requires it")
            pytest.skip(message)
        for attempt in range(3):  # a free port can be taken between choosing and binding it
            try:
                self._start_once(binary)
                return self
            except _PortTakenError:
                self.stop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _start_once(self, binary: str) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=self.tmp_dir))
        self.port = free_port()
        self.prepare()
        began = time.monotonic()
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command(binary),
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, not the server
        )
        atexit.register(self.stop)
        deadline = began + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                self._failed(f"exited with status {self.process.returncode} while starting")
            if self.is_ready():
                self.startup_seconds = time.monotonic() - began
                return
            if time.monotonic() > deadline:
                self._failed(f"was not ready after {self.startup_timeout:.0f} s")
            time.sleep(0.05)

    def _failed(self, what: str) -> NoReturn:
        tail = self.log_tail()
        if re.search(
            r"address already in use|failed to bind|cannot bind|failed (http |sql )?listen",
            tail,
            re.IGNORECASE,
        ):
            raise _PortTakenError(tail)
        command = " ".join(self.command(self.find_binary() or self.program))
        self.stop()
        raise RuntimeError(f"{self.name} ({command}) {what}; the end of its log:\n{tail}")

    def log_tail(self, lines: int = 40) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except (OSError, AssertionError):
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        """End the server (SIGTERM, SIGKILL after STOP_TIMEOUT) and remove its folder; safe to
        call twice."""
        atexit.unregister(self.stop)
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url} running={self.running}>"

    # -- small helpers for tests ------------------------------------------------------------------

    @staticmethod
    def fresh_graph(label: str = "g") -> str:
        """A graph IRI no other test uses (the servers are shared by the whole session)."""
        return f"http://example.org/kg-test/{label}/{uuid.uuid4().hex}"

    def request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Response:
        return http(method, url, data=data, headers=headers, auth=self.auth, timeout=timeout)

    def put_graph(
        self, graph_iri: str, data: bytes, content_type: str = "application/n-triples"
    ) -> Response:
        return self.request(
            "PUT", self.gsp_url(graph_iri), data=data, headers={"Content-Type": content_type}
        )

    def post_graph(
        self, graph_iri: str, data: bytes, content_type: str = "application/n-triples"
    ) -> Response:
        return self.request(
            "POST", self.gsp_url(graph_iri), data=data, headers={"Content-Type": content_type}
        )

    def query(self, sparql: str) -> Response:
        """A SPARQL query POSTed as ``query=`` to the query endpoint (anonymous in both stores),
        results as JSON."""
        return http(
            "POST",
            self.query_url,
            data=urllib.parse.urlencode({"query": sparql}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )

    def select(self, sparql: str) -> list[dict[str, str]]:
        """The bindings of a SELECT, each variable to its value's lexical form."""
        response = self.query(sparql)
        if response.status != 200:
            raise RuntimeError(f"{self.name} query failed ({response.status}): {response.text}")
        return [
            {name: term["value"] for name, term in row.items()}
            for row in response.json()["results"]["bindings"]
        ]

    def count(self, graph_iri: str) -> int:
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
        )
        return int(rows[0]["n"])

    def update(self, sparql: str) -> Response:
        """A SPARQL Update POSTed as ``update=`` to the update endpoint."""
        return self.request(
            "POST",
            self.update_url,
            data=urllib.parse.urlencode({"update": sparql}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


class _PortTakenError(RuntimeError):
    pass


def _answers(url: str) -> bool:
    """Whether a GET of ``url`` answers 200 within two seconds."""
    try:
        return http("GET", url, timeout=2).status == 200
    except OSError:  # refused, reset or timed out: not ready yet
        return False


def _quote_graph(graph_iri: str) -> str:
    return urllib.parse.quote(graph_iri, safe="")


class OxigraphServer(TripleStoreServer):
    """``oxigraph serve`` on a fresh on-disk store; no authentication."""

    name = "oxigraph"
    program = "oxigraph"
    install_hint = "pip install oxigraph"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    def gsp_url(self, graph_iri: str) -> str:
        return f"{self.base_url}/store?graph={_quote_graph(graph_iri)}"

    def find_binary(self) -> str | None:
        if self.binary:
            return self.binary
        # The venv's own bin/ first: pytest may run from a venv that is not activated.
        for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
            candidate = folder / self.program
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
        return shutil.which(self.program)

    def command(self, binary: str) -> list[str]:
        assert self.workdir is not None
        location = self.workdir / "store"
        return [binary, "serve", "--location", str(location), "--bind", f"{LOCALHOST}:{self.port}"]

    def is_ready(self) -> bool:
        if not port_is_open(self.port):
            return False
        return _answers(f"{self.base_url}/")


# Debian's /etc/virtuoso-opensource-7/virtuoso.ini (7.2.5) with its settings kept, but with the
# files in the fresh folder, free ports, and no [Plugins] and no VAD packages: installing the
# Conductor on a fresh database makes the start take 4.3 s instead of 1.5 s, and the SPARQL and
# Graph Store endpoints are built in. Written here, so no /etc template is needed.
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = {sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {dir}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 2G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 4
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = {http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 1

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
; As Debian ships it. MaxQueryCostEstimationTime > 0 makes the endpoints prefix every query with
; "define sql:big-data-const 0", which is what limits one INSERT DATA to 1,426 triples.
ResultSetMaxRows           = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DeferInferenceRulesInit    = 0
"""


class VirtuosoServer(TripleStoreServer):
    """``virtuoso-t +foreground`` on a fresh database (user ``dba``, password ``dba``)."""

    name = "virtuoso"
    program = "virtuoso-t"
    install_hint = "apt-get install virtuoso-opensource"
    user = "dba"
    password = "dba"  # a fresh database's default

    def __init__(
        self,
        tmp_dir: Path | str,
        *,
        binary: str | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        super().__init__(tmp_dir, binary=binary, startup_timeout=startup_timeout)
        self.sql_port = 0
        self.auth = ("digest", self.user, self.password)

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/sparql-auth"

    def gsp_url(self, graph_iri: str) -> str:
        return f"{self.base_url}/sparql-graph-crud-auth?graph={_quote_graph(graph_iri)}"

    @property
    def ini_path(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "virtuoso.ini"

    def prepare(self) -> None:
        assert self.workdir is not None
        self.sql_port = free_port()
        while self.sql_port == self.port:
            self.sql_port = free_port()
        (self.workdir / "vsp").mkdir()
        self.ini_path.write_text(
            VIRTUOSO_INI.format(dir=self.workdir, sql_port=self.sql_port, http_port=self.port),
            encoding="utf-8",
        )

    def command(self, binary: str) -> list[str]:
        return [binary, "+configfile", str(self.ini_path), "+foreground"]

    def is_ready(self) -> bool:
        if "Server online at" not in self.log_tail() or not port_is_open(self.port):
            return False
        probe = f"{self.query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        return _answers(probe)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One Oxigraph server for the whole test run (skips when ``oxigraph`` is not installed)."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso server for the whole test run (skips when ``virtuoso-t`` is not installed)."""
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
