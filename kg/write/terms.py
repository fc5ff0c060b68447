"""How one RDF term is spelled in N-Triples and Turtle, and the order terms are written in."""

from __future__ import annotations

import hashlib
import re

from rdflib import BNode, Literal, URIRef

from kg.core.namespaces import XSD
from kg.core.rdf import Object

XSD_STRING = str(XSD.string)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES |= {"\b": "\\b", "\f": "\\f"}
# The intersection of what N-Triples, Turtle and JSON-LD accept as a blank node label.
_SAFE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quote_string(text: str) -> str:
    r"""A string literal's quoted form, valid in both N-Triples and Turtle.

    >>> print(quote_string('She said "hi"\nand left\x01'))
    "She said \"hi\"\nand left\u0001"
    """
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def nt_term(term: Object) -> str:
    """N-Triples spelling of a term (IRIs are checked when minted, so they need no escaping)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{blank_label(term)}"
    return nt_literal(term)


def blank_label(node: BNode) -> str:
    """The node's label if every RDF syntax accepts it, else a stable label derived from it.

    >>> blank_label(BNode("l3f2ax1")), blank_label(BNode("a b")) == blank_label(BNode("a b"))
    ('l3f2ax1', True)
    """
    label = str(node)
    if _SAFE_LABEL.match(label):
        return label
    return "b" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:24]


def nt_literal(literal: Literal) -> str:
    quoted = quote_string(str(literal))
    if literal.language:
        return f"{quoted}@{literal.language}"
    datatype = str(literal.datatype) if literal.datatype else XSD_STRING
    return quoted if datatype == XSD_STRING else f"{quoted}^^<{datatype}>"
