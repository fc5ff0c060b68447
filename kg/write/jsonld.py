"""JSON-LD compacted with kg's context (``vocab/context.jsonld``), embedded inline.

The context only declares prefixes, so compaction is mechanical: keys and types are compact IRIs
(``schema:name``), plain strings stay strings, other literals are value objects, and rdf:Lists are
``{"@list": [...]}`` so author order survives. The file needs nothing from the network.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

from rdflib import BNode, Literal, URIRef

from kg.core.namespaces import RDF
from kg.core.progress import Progress
from kg.map.graph import InlineList, WritableGraph, WrittenObject
from kg.write.terms import XSD_STRING, blank_label

JsonValue = dict[str, Any] | str

_SAFE_SUFFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")


class _Compactor:
    def __init__(self, prefixes: dict[str, str]) -> None:
        self._by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        cached = self._cache.get(iri)
        if cached is None:
            cached = iri
            for prefix, namespace in self._by_length:
                if iri.startswith(namespace) and _SAFE_SUFFIX.match(iri[len(namespace) :]):
                    cached = f"{prefix}:{iri[len(namespace) :]}"
                    break
            if len(self._cache) < 65536:
                self._cache[iri] = cached
        return cached

    def literal(self, literal: Literal) -> JsonValue:
        if literal.language:
            return {"@value": str(literal), "@language": literal.language}
        datatype = str(literal.datatype) if literal.datatype else XSD_STRING
        if datatype == XSD_STRING:
            return str(literal)
        return {"@value": str(literal), "@type": self.iri(datatype)}


def write_jsonld(
    graph: WritableGraph,
    stream: TextIO,
    context: dict[str, Any],
    progress: Progress | None = None,
) -> None:
    """``graph`` as JSON-LD with ``context``; ``progress`` advances by the triples written."""
    prefixes = {k: v for k, v in context["@context"].items() if isinstance(v, str)}
    compact = _Compactor(prefixes)

    def value(term: WrittenObject) -> JsonValue:
        if isinstance(term, Literal):
            return compact.literal(term)
        if isinstance(term, InlineList):
            return {"@list": [value(member) for member in term.members]}
        return {"@id": node_id(term)}

    def node_id(term: URIRef | BNode) -> str:
        return compact.iri(str(term)) if isinstance(term, URIRef) else f"_:{blank_label(term)}"

    # Streamed node by node, in the bytes ``indented_json`` gives the whole document: a document
    # of a large graph would cost more memory than the graph itself.
    stream.write('{\n  "@context": ' + indented_json(context["@context"], 1) + ',\n  "@graph": [')
    any_node = False
    for description in graph.written_descriptions():
        if progress is not None:
            progress.advance(sum(len(values) for _, values in description.properties))
        node: dict[str, Any] = {"@id": node_id(description.subject)}
        for predicate, values in description.properties:
            # Node types go to @type; a literal (or list) "type" stays an ordinary property value.
            nodes = [v for v in values if isinstance(v, URIRef | BNode)]
            types = [node_id(v) for v in nodes] if predicate == RDF.type else []
            if types:
                node["@type"] = types[0] if len(types) == 1 else types
                values = [v for v in values if not isinstance(v, URIRef | BNode)]
                if not values:
                    continue
            written = [value(v) for v in values]
            node[compact.iri(str(predicate))] = written[0] if len(written) == 1 else written
        stream.write(("," if any_node else "") + "\n    " + indented_json(node, 2))
        any_node = True
    # An empty graph is "[]", as json.dumps writes an empty list.
    stream.write("\n  ]\n}\n" if any_node else "]\n}\n")


_scalar = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated for strings


def indented_json(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, several times faster:
    with an indent the json module falls back to its pure-Python encoder."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        items = [f"{_scalar(str(k))}: {indented_json(v, level + 1)}" for k, v in value.items()]
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        items = [indented_json(v, level + 1) for v in value]
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    return str(_scalar(value))
