"""How kg's JSON-LD context (``vocab/context.jsonld``) spells keys, types and values.

The context reads like schema.org's own JSON: ``@vocab`` is schema.org, so schema.org terms
are plain keys (``name``, ``datePublished``) and classes plain types (``ScholarlyArticle``);
the other vocabularies keep prefixed keys (``bibo:issn``, ``foaf:name``, ``dcterms:title``),
so no plain key is ambiguous. A few terms coerce their values: links (``author``, ``isPartOf``,
``sameAs`` …) are plain IRI strings, ``datePublished`` an ``xsd:date`` string. Integers and
booleans in canonical form are JSON numbers and booleans (they expand to the same literal).

What this module writes is what a JSON-LD 1.1 processor's compaction with that context gives
(JSON-LD 1.1 "IRI Compaction", "Term Selection" and "Value Compaction", for the kinds of term
definition the context uses): a value a term's coercion does not fit (a year-only
``xsd:gYear`` date, an ORCID kept as text) goes under the prefixed key (``schema:sameAs``),
exactly as pyld would put it. ``tests/test_jsonld_compaction.py`` holds the two equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.map.graph import InlineList, WrittenObject
from kg.write.terms import XSD_STRING, blank_label

JsonValue = dict[str, Any] | str | int | bool
XSD = "http://www.w3.org/2001/XMLSchema#"
_SAFE_SUFFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,20})\Z")
_ID, _VOCAB = "@id", "@vocab"


@dataclass(frozen=True)
class _Term:
    name: str
    coercion: str | None  # "@id", "@vocab", a datatype IRI, or None


class JsonLdContext:
    """The spelling rules of one context document (``{"@context": {...}}``)."""

    def __init__(self, context: dict[str, Any]) -> None:
        body: dict[str, Any] = context["@context"]
        self.vocab: str | None = body.get("@vocab")
        prefixes = {k: v for k, v in body.items() if isinstance(v, str) and not k.startswith("@")}
        self._prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._defined = {k for k in body if not k.startswith("@")}  # terms and prefixes
        self._terms: dict[str, _Term] = {}
        for name, definition in body.items():
            if isinstance(definition, dict):
                iri = self._expand(definition["@id"])
                coercion = definition.get("@type")
                self._terms[iri] = _Term(name, self._expand(coercion) if coercion else None)
        self._cache: dict[str, str] = {}

    def _expand(self, value: str) -> str:
        if value.startswith("@"):
            return value
        prefix, _, suffix = value.partition(":")
        for name, namespace in self._prefixes:
            if name == prefix:
                return namespace + suffix
        return value

    def node_id(self, term: URIRef | BNode) -> str:
        """A node's ``@id``, or a linked IRI: a compact IRI when a prefix fits, else in full."""
        if isinstance(term, BNode):
            return f"_:{blank_label(term)}"
        iri = str(term)
        cached = self._cache.get(iri)
        if cached is None:
            cached = iri
            for prefix, namespace in self._prefixes:
                if iri.startswith(namespace) and _SAFE_SUFFIX.match(iri[len(namespace) :]):
                    cached = f"{prefix}:{iri[len(namespace) :]}"
                    break
            if len(self._cache) < 65536:
                self._cache[iri] = cached
        return cached

    def vocab_name(self, iri: str) -> str:
        """A key or type: the plain name under ``@vocab`` when no term or prefix is named so."""
        if self.vocab and iri.startswith(self.vocab):
            suffix = iri[len(self.vocab) :]
            if _SAFE_SUFFIX.match(suffix) and suffix not in self._defined:
                return suffix
        return self.node_id(URIRef(iri))

    def entry(self, predicate: URIRef, value: WrittenObject) -> tuple[str, JsonValue]:
        """The key and the JSON value that state ``predicate value``."""
        term = self._terms.get(str(predicate))
        if term is not None and _fits(term.coercion, value):
            return term.name, self._value(value, term.coercion)
        return self.vocab_name(str(predicate)), self._value(value, None)

    def _value(self, value: WrittenObject, coercion: str | None) -> JsonValue:
        if isinstance(value, InlineList):
            return {"@list": [self._value(member, coercion) for member in value.members]}
        if isinstance(value, Literal):
            return self._literal(value, coercion)
        if coercion == _ID and isinstance(value, URIRef | BNode):
            return self.node_id(value)
        if coercion == _VOCAB and isinstance(value, URIRef):
            return self.vocab_name(str(value))
        return {"@id": self.node_id(value)}

    def _literal(self, literal: Literal, coercion: str | None) -> JsonValue:
        if literal.language:
            return {"@value": str(literal), "@language": literal.language}
        datatype = str(literal.datatype) if literal.datatype else XSD_STRING
        lexical = str(literal)
        if coercion is not None and datatype == coercion:
            return lexical
        if datatype == XSD_STRING:
            # a term that coerces would give the string its type: say it has none
            return lexical if coercion is None else {"@value": lexical}
        # from 10^21 up a JSON-LD processor turns a JSON number into an xsd:double
        integer = datatype == XSD + "integer" and _CANONICAL_INTEGER.match(lexical)
        if coercion is None and integer and abs(int(lexical)) < 10**21:
            return int(lexical)
        if coercion is None and datatype == XSD + "boolean" and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": self.node_id(URIRef(datatype))}


def _fits(coercion: str | None, value: WrittenObject) -> bool:
    """Whether term selection picks a term with this coercion for the value."""
    if coercion is None:  # a plain alias fits any value
        return True
    if isinstance(value, InlineList):  # the members' common kind decides
        kinds = {_kind(member) for member in value.members}
        return len(kinds) == 1 and _fits(coercion, value.members[0])
    if coercion in (_ID, _VOCAB):
        return isinstance(value, URIRef | BNode)
    if not isinstance(value, Literal) or value.language:
        return False
    return str(value.datatype or XSD_STRING) == coercion


def _kind(value: WrittenObject) -> str:
    if isinstance(value, Literal):
        return f"@language:{value.language}" if value.language else str(value.datatype)
    return "@id"
