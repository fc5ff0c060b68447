"""Federated SPARQL (``SERVICE <IRI> { … }``): a query that makes whoever runs it call any host.

SHACL-SPARQL shapes and the queries ``kg serve`` answers are other people's text: run as they
are, a ``SERVICE`` clause in them makes kg (or the Oxigraph server behind ``kg serve``) send
requests to any address, which turns a shapes folder or a web page into a way to reach hosts
only this machine can reach. :func:`uses_service` finds the keyword the way a SPARQL parser
does: after the ``\\u`` escapes are decoded (SPARQL decodes them before it parses), and outside
strings, IRIs and comments, where the word means nothing. It errs on the side of refusing: a
query with a prefixed name spelt ``SERVICE`` (no colon after it) would be refused too.

>>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
True
>>> uses_service("select * { service silent ?endpoint { ?s ?p ?o } }")
True
>>> uses_service(r"SELECT * { \\u0053ERVICE <http://example.org/> { ?s ?p ?o } }")
True
>>> uses_service('SELECT ?service WHERE { ?service a <http://example.org/SERVICE> }')
False
>>> uses_service('SELECT * { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://x/>')
False
>>> uses_service("PREFIX service: <http://example.org/> SELECT * { ?s service:x ?o }")
False
>>> uses_service("SELECT * { ?s ?p ?o.SERVICE <http://example.org/> { ?s ?p ?o } }")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# One left-to-right pass, so that a '#' in a string or IRI is no comment and quotes inside a
# comment open no string. Escapes outside strings (a prefixed name's '\#') are taken whole.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    r"|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    r'|"(?:[^"\\\n]|\\.)*(?:"|$)'
    r"|'(?:[^'\\\n]|\\.)*(?:'|$)"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|\\."
    r"|(?P<word>[?$:\w][\w:%]*)",  # names, split at '.' and '-' (which may end one)
    re.DOTALL | re.MULTILINE,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def uses_service(query: str) -> bool:
    """Whether the SPARQL text ``query`` holds a ``SERVICE`` clause (a federated query)."""
    return any(word.upper() == "SERVICE" for word in words(query))


def words(query: str) -> Iterator[str]:
    """The names, keywords, variables and prefixed names of ``query``, in order, as a SPARQL
    parser sees them: ``\\u`` escapes decoded, strings, IRIs and comments left out.

    >>> list(words("PREFIX s: <http://x/#a> SELECT ?x { ?x s:p 'a:b' } # c:d"))
    ['PREFIX', 's:', 'SELECT', '?x', '?x', 's:p']
    """
    decoded = _ESCAPE.sub(_decode, query)
    for token in _TOKENS.finditer(decoded):
        word = token.group("word")
        if word is not None:
            yield word


def _decode(escape: re.Match[str]) -> str:
    code = int.from_bytes(bytes.fromhex(escape.group(1) or escape.group(2)), "big")
    return chr(code) if code <= 0x10FFFF else escape.group(0)
