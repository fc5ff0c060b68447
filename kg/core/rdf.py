"""The shapes of RDF data passed between kg's stages."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

Subject = URIRef | BNode
Object = URIRef | BNode | Literal
Triple = tuple[Subject, URIRef, Object]
