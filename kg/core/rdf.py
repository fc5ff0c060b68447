"""The shapes of RDF data passed between kg's stages."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

Subject = URIRef | BNode
Object = URIRef | BNode | Literal
Triple = tuple[Subject, URIRef, Object]


class ChunkingError(RuntimeError):
    """A graph cannot be cut into chunks of whole descriptions (a blank node other than the
    cells of a list kg minted): what needed chunks takes the graph whole instead."""
