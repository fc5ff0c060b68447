"""How one RDF term is spelled in N-Triples and Turtle, and the order terms are written in."""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

from kg.namespaces import RDF, XSD
from kg.rdf import Object

XSD_STRING = str(XSD.string)
RDF_LANGSTRING = str(RDF.langString)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES |= {"\b": "\\b", "\f": "\\f"}
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
        return f"_:{term}"
    return nt_literal(term)


def nt_literal(literal: Literal) -> str:
    quoted = quote_string(str(literal))
    if literal.language:
        return f"{quoted}@{literal.language}"
    datatype = str(literal.datatype) if literal.datatype else XSD_STRING
    return quoted if datatype == XSD_STRING else f"{quoted}^^<{datatype}>"


def sort_key(term: Object) -> tuple[int, str, str, str]:
    """A total, run-independent order: IRIs, then blank nodes, then literals by text."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (2, str(term), str(term.datatype or ""), term.language or "")
