"""Credentials out of anything kg prints, wherever the text came from.

A store's error page, a server's log line or an exception's text may repeat what kg sent: a
store or proxy that echoes the request's headers puts ``Authorization: Bearer …`` into its error
body, which kg quotes. :func:`redact` removes what looks like a credential (authorization
headers and their schemes, ``password=``/``token=`` style parameters, the user information of a
URL) and every secret it is given by value.

>>> redact("400: Host: h Authorization: Bearer abc.def-123 Accept: */*")
'400: Host: h Authorization: [redacted] Accept: */*'
>>> redact('Authorization: Digest username="dba", realm="v", response="9f1c"')
'Authorization: [redacted]'
>>> redact("see http://ann:s3cret@store.example/sparql?password=hunter2&x=1")
'see http://[redacted]@store.example/sparql?password=[redacted]&x=1'
>>> redact("refused: the key s3cret-value", ["s3cret-value"])
'refused: the key [redacted]'
>>> redact("the store wants Basic authentication; sent Basic dXNlcjpwYXNz")
'the store wants Basic authentication; sent Basic [redacted]'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
ENVIRONMENT_SECRETS = ("KG_STORE_TOKEN", "KG_STORE_PASSWORD")

# A header's value runs to the end of its line, or (in text already put on one line) to the
# next "Name: " that starts another header.
_AUTHORIZATION = re.compile(
    r"(?i)\b((?:proxy-)?authori[sz]ation|x-api-key|api-key|cookie|set-cookie)(\s*[:=]\s*)"
    r"(.+?)(?=\s+[A-Za-z][\w-]*:\s|\r|\n|$)"
)
# A credential after its scheme looks like one: a digit, '=', '+', '/' or a change of case in it
# (so "Basic authentication" stays as it is).
_SCHEMES = re.compile(
    r"\b((?i:bearer|basic|digest|negotiate))(\s+)"
    r"(?=[\w.~+/=-]*(?:[0-9]|[=+/]|[a-z][A-Z]))[\w.~+/=-]{8,}"
)
_PARAMETERS = re.compile(
    r"(?i)\b(password|passwd|pwd|pass|token|access_token|refresh_token|api_?key|secret|"
    r"client_secret|auth)(\"?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s&,;\"']+)"
)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with credentials replaced by ``[redacted]``: authorization headers, bearer,
    basic and digest credentials, password and token parameters, a URL's user information, and
    each of ``secrets`` (values of four characters or more) wherever it appears."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _AUTHORIZATION.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _SCHEMES.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _PARAMETERS.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)


def environment_secrets(environ: dict[str, str] | None = None) -> list[str]:
    """The store credentials kg reads from the environment (their values)."""
    env = os.environ if environ is None else environ
    return [env[name] for name in ENVIRONMENT_SECRETS if env.get(name)]
