"""kg's prefixes for queries sent to ``kg serve``, as ``kg query`` predeclares them.

``kg query`` hands Oxigraph kg's prefixes (``schema:``, ``bibo:``, …) with every query, so a query
may use them without declaring them. The Oxigraph server knows none, and answers such a query with
"Prefix not found". So the gate (kg.stores.gate) declares, in front of a query, each of kg's
prefixes the query uses but does not declare itself: a query that declares its own (another IRI
for ``schema:`` too) is left as it is, and the declarations go on the query's first line, so the
line numbers of the server's syntax errors stay the query's own.

>>> declare_prefixes("SELECT * { ?w schema:name ?n }", {"schema": "http://schema.org/"})
'PREFIX schema: <http://schema.org/> SELECT * { ?w schema:name ?n }'
>>> declare_prefixes("PREFIX schema: <https://schema.org/> SELECT * { ?w schema:name ?n }",
...                  {"schema": "http://schema.org/"})
'PREFIX schema: <https://schema.org/> SELECT * { ?w schema:name ?n }'
>>> declare_prefixes("SELECT * { ?s <http://x/schema:a> 'bibo:b' }", {"bibo": "http://b/"})
"SELECT * { ?s <http://x/schema:a> 'bibo:b' }"
"""

from __future__ import annotations

import urllib.parse

from kg.core.federation import words


def declare_prefixes(query: str, prefixes: dict[str, str]) -> str:
    """``query`` with a ``PREFIX`` declaration in front for each of ``prefixes`` it uses and
    does not declare."""
    declared: set[str] = set()
    used: set[str] = set()
    after_prefix = False
    for word in words(query):
        if after_prefix and word.endswith(":"):
            declared.add(word[:-1])
        elif ":" in word and word[0] not in "?$":
            used.add(word.split(":", 1)[0])
        after_prefix = word.upper() == "PREFIX"
    missing = sorted((used - declared) & prefixes.keys())
    if not missing:
        return query
    declarations = " ".join(f"PREFIX {name}: <{prefixes[name]}>" for name in missing)
    return f"{declarations} {query}"


def request_with_prefixes(
    path: str, content_type: str | None, body: bytes, prefixes: dict[str, str]
) -> tuple[str, bytes]:
    """A query request (its URL and body) with ``prefixes`` declared in its query, wherever the
    SPARQL 1.1 Protocol puts the query: the URL, a form, or an ``application/sparql-query`` body.
    Anything else is returned as it is."""
    parts = urllib.parse.urlsplit(path)
    if parts.path != "/query":
        return path, body
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if parts.query:
        fields = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if any(name == "query" for name, _ in fields):
            path = parts._replace(query=_with_prefixes(fields, prefixes)).geturl()
    if kind == "application/x-www-form-urlencoded" and body:
        text = body.decode("utf-8", errors="replace")
        fields = urllib.parse.parse_qsl(text, keep_blank_values=True)
        body = _with_prefixes(fields, prefixes).encode("ascii")
    elif kind == "application/sparql-query" and body:
        body = declare_prefixes(body.decode("utf-8", errors="replace"), prefixes).encode("utf-8")
    return path, body


def _with_prefixes(fields: list[tuple[str, str]], prefixes: dict[str, str]) -> str:
    return urllib.parse.urlencode(
        [(name, declare_prefixes(value, prefixes) if name == "query" else value)
         for name, value in fields]
    )  # fmt: skip
