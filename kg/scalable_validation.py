"""Validation that scales to large exports, with the same results as pySHACL on the whole graph.

kg's shapes are about one record's nodes and the nodes they link to. So the graph is validated a
chunk at a time: a chunk holds some root subjects (works, the dataset description) and every node
reachable from them, which is all any of kg's core constraints look at; pySHACL runs the core
constraints on each chunk. The SPARQL constraints run once, in bulk, on Oxigraph
(kg.sparql_constraints). Results are deduplicated and sorted as pySHACL's would be.

Shapes whose SPARQL constraints cannot be run in bulk fall back to pySHACL on the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from kg.graph import ExportGraph
from kg.graphio import to_quad
from kg.rdf import Subject, Triple
from kg.sparql_constraints import UnsplittableShapesError, run_constraints, split_shapes
from kg.validation import ValidationOutcome, ValidationResult, validate

CHUNK_TRIPLES = 25_000  # pySHACL's cost per triple is flat from here on; memory stays small


def validate_export(
    graph: ExportGraph,
    shapes: Graph,
    store: ox.Store | None = None,
    chunk_triples: int = CHUNK_TRIPLES,
) -> ValidationOutcome:
    """Validate ``graph``; ``store`` may already hold the same triples (saves loading them)."""
    try:
        core, constraints = split_shapes(shapes)
    except UnsplittableShapesError:
        return validate(graph.to_rdflib(), shapes)
    found: dict[tuple[str, ...], ValidationResult] = {}
    for chunk in closure_chunks(graph, chunk_triples):
        data = Graph()
        for triple in chunk:
            data.add(triple)
        for result in validate(data, core).results:
            found.setdefault(result.key, result)
    if constraints:
        store = store if store is not None else _store_of(graph)
        for result in run_constraints(store, constraints):
            found.setdefault(result.key, result)
    return ValidationOutcome(tuple(sorted(found.values(), key=lambda r: r.key)))


def closure_chunks(graph: ExportGraph, chunk_triples: int) -> Iterator[list[Triple]]:
    """Chunks of about ``chunk_triples`` triples: root subjects and everything they reach.

    Roots are subjects nothing refers to (works, the dataset); subjects only reachable through a
    cycle become roots of their own. Shared nodes (a journal, a person) go into every chunk that
    reaches them, so each chunk sees their whole description.
    """
    index = graph.by_subject
    referenced = {o for _, _, o in graph if isinstance(o, URIRef | BNode) and o in index}
    roots = [subject for subject in index if subject not in referenced]
    covered: set[Subject] = set()
    members: set[Subject] = set()
    size = 0

    def pending(candidates: list[Subject]) -> Iterator[Subject]:
        yield from candidates
        yield from (subject for subject in index if subject not in covered)

    for root in pending(roots):
        for subject in _reachable(root, index):
            if subject not in members:
                members.add(subject)
                size += len(index[subject])
            covered.add(subject)
        if size >= chunk_triples:
            yield [triple for subject in members for triple in index[subject]]
            members, size = set(), 0
    if members:
        yield [triple for subject in members for triple in index[subject]]


def _reachable(root: Subject, index: dict[Subject, list[Triple]]) -> Iterator[Subject]:
    seen = {root}
    stack = [root]
    while stack:
        subject = stack.pop()
        yield subject
        for _, _, value in index[subject]:
            if isinstance(value, URIRef | BNode) and value in index and value not in seen:
                seen.add(value)
                stack.append(value)


def _store_of(graph: ExportGraph) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(to_quad(triple) for triple in graph)
    return store
