"""Talking to a triple store over HTTP: credentials, retries, and errors a person can act on.

Credentials never come from the command line. They come from the environment
(``KG_STORE_TOKEN`` for a bearer token, or ``KG_STORE_USER`` and ``KG_STORE_PASSWORD``) or from
``~/.netrc`` (``$NETRC`` names another file), and are offered as HTTP Basic or Digest, whichever
the store asks for (Virtuoso asks for Digest). They are never printed: messages name the URL
without its query and the status the store answered, and what a store says is quoted with
credentials removed (kg.core.redact), even when it repeats the headers kg sent.

What a store answers is read with limits: one deadline for the whole request (connecting,
sending, and the answer to its last byte: a store that trickles its answer is cut off at the
deadline), at most ``ERROR_BODY_BYTES`` of an error's body and ``ANSWER_BYTES`` of a success.
"""

from __future__ import annotations

import contextlib
import http.client
import netrc
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.core.redact import redact
from kg.core.text import shorten
from kg.core.version import __version__
from kg.errors import RemoteStoreError

RETRIES = 4  # attempts after the first, for 5xx answers and dropped connections
TIMEOUT_SECONDS = 120.0  # one request, from connecting to the last byte of the answer
ERROR_BODY_BYTES = 4096  # of an error answer, read to quote the store's reason
ANSWER_BYTES = 1 << 20  # of a successful answer: kg asks for nothing longer


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.token or self.user)


def credentials_for(url: str, environ: dict[str, str] | None = None) -> Credentials:
    """The credentials for ``url``'s host: the environment first, then the netrc file."""
    env = os.environ if environ is None else environ
    if env.get("KG_STORE_TOKEN"):
        return Credentials(token=env["KG_STORE_TOKEN"])
    if env.get("KG_STORE_USER"):
        return Credentials(user=env["KG_STORE_USER"], password=env.get("KG_STORE_PASSWORD", ""))
    host = urllib.parse.urlsplit(url).hostname or ""
    path = Path(env.get("NETRC") or Path("~/.netrc").expanduser())
    if not path.is_file():
        return Credentials()
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as error:
        # The parse error quotes the file's line: that may be a password, so it is not shown.
        line = getattr(error, "lineno", None)
        where = f" (line {line})" if line else ""
        raise RemoteStoreError(f"{path}{where}: cannot read this netrc file") from None
    if entry is None:
        return Credentials()
    login, _, password = entry
    return Credentials(user=login, password=password or "")


def check_endpoint_url(url: str) -> str:
    """An http(s) URL without credentials in it (they would end up in logs and shell history)."""
    authority = url.split("://", 1)[-1].split("/", 1)[0]
    if "@" in authority:  # user:password@ (even one urlsplit misreads, with '?' or '#' in it)
        raise RemoteStoreError(
            "credentials in the endpoint URL are not accepted; put them in ~/.netrc or in "
            "KG_STORE_USER / KG_STORE_PASSWORD (or KG_STORE_TOKEN)"
        )
    parts = urllib.parse.urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        raise RemoteStoreError("not a valid endpoint address (its port is not a number)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteStoreError(f"not an http(s) endpoint address: {shown_url(url)}")
    if parts.username or parts.password:
        raise RemoteStoreError(
            "credentials in the endpoint URL are not accepted; put them in ~/.netrc or in "
            "KG_STORE_USER / KG_STORE_PASSWORD (or KG_STORE_TOKEN)"
        )
    return url


def shown_url(url: str) -> str:
    """The URL as messages show it: no user information, no query."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class StoreClient:
    """HTTP requests to one store, with its credentials, retries and readable failures."""

    def __init__(
        self,
        credentials: Credentials,
        timeout: float = TIMEOUT_SECONDS,
        retries: int = RETRIES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep
        self.passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        self.digest = urllib.request.HTTPDigestAuthHandler(self.passwords)
        self._deadline = _Deadline(timeout)
        self._watched: list[urllib.request.BaseHandler] = [
            _WatchedHTTPHandler(self._current_deadline),
            _WatchedHTTPSHandler(self._current_deadline),
        ]
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects(), *self._watched]
        if credentials.user is not None and not credentials.token:
            handlers += [urllib.request.HTTPBasicAuthHandler(self.passwords), self.digest]
        self.opener = urllib.request.build_opener(*handlers)

    def with_timeout(self, timeout: float) -> StoreClient:
        """The same store and credentials, with another deadline per request (and no
        retries): for the cleanup after a failure, which must not outlast what was promised."""
        return StoreClient(self.credentials, timeout=timeout, retries=0, sleep=self.sleep)

    def _current_deadline(self) -> _Deadline:
        return self._deadline

    def redacted(self, text: str) -> str:
        """``text`` without this client's credentials or anything that looks like one."""
        return redact(text, [self.credentials.token, self.credentials.password])

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        idempotent: bool = True,
    ) -> Response:
        """Send one request; 5xx answers and dropped connections are retried with backoff, but
        only for a request that does the same when sent twice (``idempotent``): a store may have
        done the first before it failed to answer."""
        delay = 0.5
        retries = self.retries if idempotent else 0
        for attempt in range(retries + 1):
            try:
                return self._send(method, url, body, content_type, accept)
            except _RetryableError as problem:
                if not idempotent:
                    raise RemoteStoreError(
                        f"{method} {shown_url(url)} failed: {problem}; it is not retried, as the "
                        "store may have done part of it"
                    ) from None
                if attempt == retries:
                    raise RemoteStoreError(
                        f"{method} {shown_url(url)} failed {self.retries + 1} times: {problem}"
                    ) from None
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str | None,
    ) -> Response:
        """One attempt, within one deadline: when it passes, the connection is closed under
        whatever is waiting on it (a trickling answer included)."""
        self._deadline = deadline = _Deadline(self.timeout)
        deadline.start()
        try:
            response = self._send_once(method, url, body, content_type, accept)
        except Exception:
            if deadline.expired:
                raise self._too_late(url) from None
            raise
        finally:
            deadline.stop()
        if deadline.expired:  # an answer cut short by the deadline is no answer
            raise self._too_late(url)
        return response

    def _too_late(self, url: str) -> RemoteStoreError:
        return RemoteStoreError(f"no answer from {shown_url(url)} within {self.timeout:g} s")

    def _send_once(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str | None,
    ) -> Response:
        if self.credentials.user is not None and not self.credentials.token:
            # Offered only when the store asks (a 401 naming Basic or Digest), for its URLs only.
            password = self.credentials.password or ""
            self.passwords.add_password(None, url, self.credentials.user, password)
        request = urllib.request.Request(url, data=body, method=method)
        if body and self.credentials.user is not None and not self.credentials.token:
            try:
                self._authorize_first(request)
            except ValueError as error:  # a challenge urllib cannot answer (auth-int, SHA-512 …)
                raise RemoteStoreError(
                    f"{method} {shown_url(url)}: the store asks for an authentication kg cannot "
                    f"answer ({error})"
                ) from None
        request.add_header("User-Agent", f"kg/{__version__}")
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        if self.credentials.token:
            # Unredirected: a token must never follow a redirect to another host.
            request.add_unredirected_header("Authorization", f"Bearer {self.credentials.token}")
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                data = answer.read(ANSWER_BYTES + 1)
                if len(data) > ANSWER_BYTES:
                    raise RemoteStoreError(
                        f"{method} {shown_url(url)}: the store's answer is longer than "
                        f"{ANSWER_BYTES:,} bytes, more than kg asks for"
                    )
                return Response(answer.status, data)
        except _RedirectedError as redirect:
            raise RemoteStoreError(
                f"{method} {shown_url(url)}: the store answered {redirect.status} (a redirect); "
                "kg does not follow redirects when it sends data: give the address it points to"
            ) from None
        except ValueError as error:  # an authentication scheme urllib cannot answer
            raise RemoteStoreError(
                f"{method} {shown_url(url)}: the store asks for an authentication kg cannot "
                f"answer ({error})"
            ) from None
        except urllib.error.HTTPError as error:
            detail = ""
            with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
                detail = self.redacted(_short(error.read(ERROR_BODY_BYTES)))
            error.close()
            raise self._http_error(method, url, error.code, detail) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, ConnectionRefusedError):
                raise RemoteStoreError(
                    f"cannot reach {shown_url(url)}: connection refused (is the store running?)"
                ) from None
            if isinstance(reason, socket.timeout | TimeoutError):
                raise RemoteStoreError(
                    f"no answer from {shown_url(url)} within {self.timeout:g} s"
                ) from None
            if isinstance(reason, socket.gaierror):
                raise RemoteStoreError(f"cannot reach {shown_url(url)}: unknown host") from None
            if isinstance(reason, ConnectionResetError):
                raise _RetryableError("the connection was reset") from None
            raise RemoteStoreError(
                f"cannot reach {shown_url(url)}: {self.redacted(str(reason))}"
            ) from None
        except TimeoutError:
            raise RemoteStoreError(
                f"no answer from {shown_url(url)} within {self.timeout:g} s"
            ) from None
        except (http.client.RemoteDisconnected, ConnectionResetError, http.client.IncompleteRead):
            raise _RetryableError("the store closed the connection") from None

    def _authorize_first(self, request: urllib.request.Request) -> None:
        """Answer the store's challenge before sending a body. Without this urllib sends the body
        unauthenticated first, and a store that answers 401 and closes the connection before
        reading it (Virtuoso does) breaks the upload of a large chunk ("Broken pipe")."""
        probe = urllib.request.Request(request.full_url, method="HEAD")
        probe.add_header("User-Agent", f"kg/{__version__}")
        try:
            # No redirects: only a challenge from this very URL is answered.
            opener = urllib.request.build_opener(_NoRedirects(), *self._watched)
            with opener.open(probe, timeout=self.timeout):
                return  # no challenge: the store lets this request through as it is
        except _RedirectedError:
            return
        except urllib.error.HTTPError as error:
            header = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
            error.close()
        except (urllib.error.URLError, OSError):
            return  # the real request reports what is wrong
        scheme, _, parameters = header.partition(" ")
        if scheme.lower() == "digest":
            challenge = urllib.request.parse_keqv_list(
                [item for item in urllib.request.parse_http_list(parameters) if item]
            )
            authorization = self.digest.get_authorization(request, challenge)
            if authorization:
                request.add_unredirected_header("Authorization", f"Digest {authorization}")
        elif scheme.lower() == "basic":
            pair = f"{self.credentials.user}:{self.credentials.password or ''}".encode()
            request.add_unredirected_header("Authorization", f"Basic {b64encode(pair).decode()}")

    def _http_error(self, method: str, url: str, status: int, detail: str) -> Exception:
        where = f"{method} {shown_url(url)}"
        if 300 <= status < 400:
            return RemoteStoreError(
                f"{where}: the store answered {status} (a redirect); kg does not follow redirects "
                "when it sends data: give the address it points to"
            )
        if status >= 500:
            return _RetryableError(f"the store answered {status} {_reason(status)}{detail}")
        if status in (401, 403):
            hint = (
                "the credentials were refused"
                if self.credentials.given
                else "no credentials were found: set KG_STORE_USER and KG_STORE_PASSWORD "
                "(or KG_STORE_TOKEN), or add the host to ~/.netrc"
            )
            return RemoteStoreError(f"{where}: {status} {_reason(status)}: {hint}")
        if status == 404:
            return RemoteStoreError(f"{where}: 404 Not Found: check the endpoint address{detail}")
        if status == 413:
            return RemoteStoreError(
                f"{where}: 413 the request is too large for the store; "
                f"use a smaller --chunk-triples{detail}"
            )
        return RemoteStoreError(f"{where}: {status} {_reason(status)}{detail}")


class _Deadline:
    """The end of one request's time: when it comes, every connection the request opened is
    shut, so no read waits on past it (a socket timeout alone counts each read afresh, and a
    store sending a byte a second never trips it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def watch(self, connection: socket.socket | None) -> None:
        if connection is None:
            return
        with self._lock:
            self._sockets.append(connection)
            if self.expired:
                _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._sockets:
                _shut(connection)


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)


def _watched_connection(
    http_class: type[http.client.HTTPConnection], deadline: _Deadline
) -> Callable[..., http.client.HTTPConnection]:
    """``http_class``, with each connection it opens put under ``deadline``."""

    def connection(*args: object, **kwargs: object) -> http.client.HTTPConnection:
        made = http_class(*args, **kwargs)  # type: ignore[arg-type]
        connect = made.connect

        def connect_and_watch() -> None:
            connect()
            deadline.watch(made.sock)

        made.connect = connect_and_watch  # type: ignore[method-assign]
        return made

    return connection


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Callable[[], _Deadline]) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class, req, **http_conn_args):  # type: ignore[no-untyped-def]
        watched = _watched_connection(http_class, self.deadline())
        return super().do_open(watched, req, **http_conn_args)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Callable[[], _Deadline]) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class, req, **http_conn_args):  # type: ignore[no-untyped-def]
        watched = _watched_connection(http_class, self.deadline())
        return super().do_open(watched, req, **http_conn_args)


class _RedirectedError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are refused: urllib would turn a POST into a body-less GET (the data silently
    lost) and carry headers to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise _RedirectedError(code)


class _RetryableError(Exception):
    """A failure worth trying again (5xx, a dropped connection)."""


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _short(body: bytes, limit: int = 300) -> str:
    """The start of an error body, on one line (stores explain their refusals there)."""
    decoded = body.decode("utf-8", errors="replace")
    text = " ".join("".join(c if c.isprintable() else " " for c in decoded).split())
    if not text:
        return ""
    return ": " + shorten(text, limit)
