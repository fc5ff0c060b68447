"""JSON-LD compacted with kg's context (``vocab/context.jsonld``), embedded inline.

Keys, types and values are spelt by :class:`kg.write.jsonld_context.JsonLdContext`: plain
schema.org terms (``name``, ``author``, ``datePublished``), prefixed keys for the other
vocabularies, links as IRI strings, integers as JSON numbers, rdf:Lists as ``{"@list": [...]}``
so author order survives. The file needs nothing from the network.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from rdflib import BNode, URIRef

from kg.core.namespaces import RDF
from kg.core.progress import Progress
from kg.map.graph import WritableGraph
from kg.write.jsonld_context import JsonLdContext, JsonValue


def write_jsonld(
    graph: WritableGraph,
    stream: TextIO,
    context: dict[str, Any],
    progress: Progress | None = None,
) -> None:
    """``graph`` as JSON-LD with ``context``; ``progress`` advances by the triples written."""
    spelling = JsonLdContext(context)
    # Streamed node by node, in the bytes ``indented_json`` gives the whole document: a document
    # of a large graph would cost more memory than the graph itself.
    stream.write('{\n  "@context": ' + indented_json(context["@context"], 1) + ',\n  "@graph": [')
    any_node = False
    for description in graph.written_descriptions():
        if progress is not None:
            progress.advance(sum(len(values) for _, values in description.properties))
        node: dict[str, Any] = {"@id": spelling.node_id(description.subject)}
        entries: dict[str, list[JsonValue]] = {}
        for predicate, values in description.properties:
            # Node types go to @type; a literal (or list) "type" stays an ordinary property value.
            if predicate == RDF.type:
                types = [
                    spelling.vocab_name(str(v)) if isinstance(v, URIRef) else spelling.node_id(v)
                    for v in values
                    if isinstance(v, URIRef | BNode)
                ]
                if types:
                    node["@type"] = types[0] if len(types) == 1 else types
                values = [v for v in values if not isinstance(v, URIRef | BNode)]
            for value in values:
                key, spelt = spelling.entry(predicate, value)
                entries.setdefault(key, []).append(spelt)
        for key, spelt_values in entries.items():
            node[key] = spelt_values[0] if len(spelt_values) == 1 else spelt_values
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
