"""Validation that scales to large exports, with the same results as pySHACL on the whole graph.

kg's engine (kg.validate.compiled) compiles the shapes' core constraints into Python checks over an
index of the whole graph; the focus nodes are split between worker processes forked from this
one, so the index is shared, never copied or pickled. The SPARQL constraints run once, in bulk,
on Oxigraph (kg.validate.sparql). Results are deduplicated and sorted as pySHACL's would be.

Shapes the engine does not compile are checked by pySHACL a chunk at a time: a chunk holds some
root subjects (works, the dataset description) and every node reachable from them, which is all
kg's core constraints look at. Shapes whose SPARQL constraints cannot be run in bulk, or with
constraints on inverse paths of nodes shared between works, fall back to pySHACL on the whole
graph.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from kg.core.graphio import to_quad
from kg.core.namespaces import KG, SCHEMA, SHACL
from kg.core.progress import Progress
from kg.core.rdf import ChunkingError, Subject, Triple
from kg.map.graph import ExportGraph
from kg.validate.chunked import ChunkedGraph, validate_chunked
from kg.validate.compiled import CompiledShapes, DataIndex, UnsupportedShapesError, node_key
from kg.validate.reference import ValidationOutcome, ValidationResult, validate
from kg.validate.sparql import UnsplittableShapesError, run_constraints, split_shapes

_PROGRESS_PARTS = 50  # parts of the focus nodes checked in one process, for the progress line
CHUNK_TRIPLES = 25_000  # pySHACL's cost per triple is flat from here on; memory stays small


def validate_export(
    graph: ExportGraph | Iterable[Triple],
    shapes: Graph,
    store: Callable[[], ox.Store] | None = None,
    chunk_triples: int = CHUNK_TRIPLES,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ValidationOutcome:
    """Validate ``graph``; ``store`` opens a store of the same triples (saves loading them).

    It is called only after the core checks have let go of their index of the graph, so the two
    are never in memory together. ``workers`` processes share the checks (default: one per core).
    ``progress`` counts the SPARQL constraints run (the core checks are one "validating" stage).

    The outcome names the engine that ran: "compiled"; "compiled+pyshacl" when pySHACL checked
    the core shapes in chunks; "pyshacl" when it had to validate the whole graph.
    """
    progress = progress or Progress(None)
    try:
        core, constraints = split_shapes(shapes)
    except UnsplittableShapesError:
        return validate(_whole(graph).to_rdflib(), shapes)
    found: dict[tuple[str, ...], ValidationResult] = {}
    engine = "compiled"
    try:
        compiled = CompiledShapes(core)
    except UnsupportedShapesError:
        if not inverse_paths_are_chunk_safe(shapes):
            return validate(_whole(graph).to_rdflib(), shapes)
        engine = "compiled+pyshacl"
        chunks = closure_chunks(_whole(graph), chunk_triples, inverse_path_predicates(shapes))
        for results in _validate_chunks(chunks, core, workers):
            for result in results:
                found.setdefault(result.key, result)
    else:
        for result in _validate_compiled(graph, core, compiled, store, workers, progress):
            found.setdefault(result.key, result)
    if constraints:
        opened = store() if store is not None else _store_of(graph)
        progress.stage("validating: SPARQL constraints", total=len(constraints))
        for constraint in constraints:
            for result in run_constraints(opened, [constraint]):
                found.setdefault(result.key, result)
            progress.advance()
    return ValidationOutcome(tuple(sorted(found.values(), key=lambda r: r.key)), engine)


# Nodes minted as parts of exactly one work: everything that refers to them is in their chunk.
_PARTS_OF_ONE_WORK = frozenset(
    {KG.Authorship, KG.AbstractSection, KG.ThemeMatch, SCHEMA.InteractionCounter}
)


def inverse_paths_are_chunk_safe(shapes: Graph) -> bool:
    """A chunk holds what its nodes refer to, not everything that refers to them. So a
    constraint on an inverse path (who refers to this node?) is only judged rightly in a chunk
    when its focus nodes are parts of one work; with any other, validate the whole graph."""
    for path_node in shapes.subjects(SHACL.inversePath, None):
        for property_shape in shapes.subjects(SHACL.path, path_node):
            owners = list(shapes.subjects(SHACL.property, property_shape))
            if not owners:
                return False
            for owner in owners:
                for other in (SHACL.targetNode, SHACL.targetSubjectsOf, SHACL.targetObjectsOf):
                    if (owner, other, None) in shapes:
                        return False
                targets = set(shapes.objects(owner, SHACL.targetClass))
                if not targets or not targets <= _PARTS_OF_ONE_WORK:
                    return False
    return True


# What forked workers share with the process that forks them: the compiled shapes, the index of
# the whole graph and the focus nodes to check. Fork shares them without copying or pickling.
_shared: tuple[CompiledShapes, DataIndex, list[tuple[int, Subject]]] | None = None


def _whole(graph: ExportGraph | Iterable[Triple]) -> ExportGraph:
    return graph if isinstance(graph, ExportGraph) else ExportGraph.from_sorted(graph)


def _validate_compiled(
    graph: ExportGraph | Iterable[Triple],
    core: Graph,
    compiled: CompiledShapes,
    store: Callable[[], ox.Store] | None,
    workers: int | None,
    progress: Progress,
) -> list[ValidationResult]:
    """A sorted graph with a store of it is checked a chunk at a time (kg.validate.chunked);
    any other graph, whole."""
    if isinstance(graph, ChunkedGraph) and store is not None:
        try:
            return validate_chunked(graph, core, store, progress, workers)
        except ChunkingError:
            pass  # a blank node no chunk can rebuild: the whole graph, then
    return validate_compiled(graph, compiled, workers, progress)


def validate_compiled(
    graph: Iterable[Triple],
    compiled: CompiledShapes,
    workers: int | None,
    progress: Progress | None = None,
) -> list[ValidationResult]:
    """kg's compiled engine on the whole graph at once (so no constraint can miss a neighbour),
    its focus nodes split between ``workers`` forked processes. ``progress`` counts the focus
    nodes checked, a part at a time."""
    global _shared
    progress = progress or Progress(None)
    progress.stage("validating: indexing the graph")
    data = DataIndex(graph)
    focus_nodes = compiled.focus_nodes(data)
    progress.stage("validating: focus nodes", total=len(focus_nodes))
    workers = workers or os.cpu_count() or 1
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        found: list[ValidationResult] = []
        for start, end in _slices(len(focus_nodes), _PROGRESS_PARTS):
            found.extend(compiled.validate_focus(data, focus_nodes[start:end]))
            progress.advance(end - start)
        return found
    # A forked worker copies each page it touches (reference counts are writes), so the workers
    # should touch different pages: the lookups are built here, once, and each part of the focus
    # nodes is a run of neighbouring subjects, whose entries the index allocated side by side.
    # At 30k records this took the two workers' peak from 1,480 to about 1,290 MB (one worker: 779).
    data.build_referrers(compiled.inverse_path_keys())
    position = {key: number for number, key in enumerate(data.index)}
    focus_nodes.sort(key=lambda item: position.get(node_key(item[1]), -1))  # -1: not a subject
    slices = _slices(len(focus_nodes), 4 * workers)  # smaller parts even out the workers
    _shared = (compiled, data, focus_nodes)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results: list[ValidationResult] = []
            for (start, end), part in zip(slices, pool.map(_validate_slice, slices), strict=True):
                results.extend(part)
                progress.advance(end - start)
            return results
    finally:
        _shared = None


def _slices(total: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, -(-total // parts))
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _validate_slice(bounds: tuple[int, int]) -> list[ValidationResult]:
    assert _shared is not None
    compiled, data, focus_nodes = _shared
    return compiled.validate_focus(data, focus_nodes[bounds[0] : bounds[1]])


def _validate_chunks(
    chunks: Iterator[list[Triple]], core: Graph, workers: int | None
) -> Iterator[tuple[ValidationResult, ...]]:
    """pySHACL on each chunk, for shapes kg.validate.compiled does not compile."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_validate_chunk(chunk, core) for chunk in chunks)
        return
    # fork: the workers inherit the parsed shapes instead of receiving them pickled.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(core,)
    ) as pool:
        pending: deque[Future[tuple[ValidationResult, ...]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_validate_in_worker, chunk))
            if len(pending) > 2 * workers:  # bounded: chunks are built only as fast as used
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_worker_shapes: Graph | None = None


def _init_worker(core: Graph) -> None:
    global _worker_shapes
    _worker_shapes = core


def _validate_in_worker(chunk: list[Triple]) -> tuple[ValidationResult, ...]:
    assert _worker_shapes is not None
    return _validate_chunk(chunk, _worker_shapes)


def _validate_chunk(chunk: list[Triple], core: Graph) -> tuple[ValidationResult, ...]:
    data = Graph()
    for triple in chunk:
        data.add(triple)
    return validate(data, core).results


def inverse_path_predicates(shapes: Graph) -> frozenset[URIRef]:
    """The predicates the shapes follow backwards (``sh:inversePath``)."""
    return frozenset(p for p in shapes.objects(None, SHACL.inversePath) if isinstance(p, URIRef))


def closure_chunks(
    graph: ExportGraph, chunk_triples: int, backwards: frozenset[URIRef] = frozenset()
) -> Iterator[list[Triple]]:
    """Chunks of about ``chunk_triples`` triples: root subjects and everything they reach.

    Roots are subjects nothing refers to (works, the dataset); subjects only reachable through a
    cycle become roots of their own. Shared nodes (a journal, a person) go into every chunk that
    reaches them, so each chunk sees their whole description. Predicates in ``backwards`` are
    also followed from object to subject, so that a node's chunk holds everything that refers to
    it that way: an authorship two works claim is then seen with both.
    """
    index = graph.by_subject
    referrers: dict[Subject, list[Subject]] = {}
    if backwards:
        for subject, predicate, value in graph:
            if predicate in backwards and isinstance(value, URIRef | BNode):
                referrers.setdefault(value, []).append(subject)
    referenced = {o for _, _, o in graph if isinstance(o, URIRef | BNode) and o in index}
    roots = [subject for subject in index if subject not in referenced]
    covered: set[Subject] = set()
    members: set[Subject] = set()
    size = 0

    def pending(candidates: list[Subject]) -> Iterator[Subject]:
        yield from candidates
        yield from (subject for subject in index if subject not in covered)

    for root in pending(roots):
        for subject in _reachable(root, index, referrers):
            if subject not in members:
                members.add(subject)
                size += len(index[subject])
            covered.add(subject)
        if size >= chunk_triples:
            yield [triple for subject in members for triple in index[subject]]
            members, size = set(), 0
    if members:
        yield [triple for subject in members for triple in index[subject]]


def _reachable(
    root: Subject, index: dict[Subject, list[Triple]], referrers: dict[Subject, list[Subject]]
) -> Iterator[Subject]:
    seen = {root}
    stack = [root]
    while stack:
        subject = stack.pop()
        yield subject
        linked = [value for _, _, value in index[subject] if isinstance(value, URIRef | BNode)]
        for node in [*linked, *referrers.get(subject, ())]:
            if node in index and node not in seen:
                seen.add(node)
                stack.append(node)


def _store_of(graph: Iterable[Triple]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(to_quad(triple) for triple in graph)
    return store
