"""The compiled engine a chunk of the sorted graph at a time: memory bounded by the chunk.

An export's graph is sorted by subject (kg.write.sorted_graph), so a chunk of its entries holds
whole descriptions: every focus node it holds is checked once, in it. What a check needs from
outside the chunk (a person's types for ``sh:class``, an issue's volume for ``sh:node``, the work
that refers to an authorship for an inverse path) is looked up in the export's store, which holds
the whole graph. The one thing the store cannot give back is a blank node: Oxigraph names them
anew when it loads. kg's only blank nodes are the cells of author lists, and each is written
with its work (the sorted entry of ``bibo:authorList`` carries the members), so a chunk rebuilds
the cells of its works' lists and never needs them from elsewhere.

The results are those of the engine on the whole graph (tests compare them at 10k records with
pySHACL's).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.graphio import to_oxigraph, to_rdflib
from kg.core.progress import Progress
from kg.core.rdf import ChunkingError, Object, Subject, Triple
from kg.validate.compiled import CompiledShapes, DataIndex, _closure, node_key
from kg.validate.reference import ValidationResult

CHUNK_TRIPLES = 100_000  # about 40 MB of index; the store answers for the rest


@runtime_checkable
class ChunkedGraph(Protocol):
    """A graph that gives its triples in chunks of whole descriptions (kg.write.sorted_graph),
    each with the cells of the lists its descriptions hold."""

    def __len__(self) -> int: ...

    def chunks(self, size: int, wanted: Callable[[int], bool] = ...) -> Iterator[list[Triple]]: ...


class Neighbours:
    """Descriptions of nodes outside the chunk, from the store of the whole graph; the most
    recently asked are kept (journals, persons and themes are asked again and again)."""

    def __init__(self, store: ox.Store, kept: int = 50_000) -> None:
        self._store = store
        self._kept = kept
        self._described: OrderedDict[str, dict[str, list[Object]]] = OrderedDict()

    def properties(self, node: Object) -> dict[str, list[Object]]:
        key = node_key(node)
        found = self._described.get(key)
        if found is not None:
            self._described.move_to_end(key)
            return found
        if isinstance(node, BNode):
            raise ChunkingError(f"the blank node _:{node} is outside its chunk")
        found = {}
        if isinstance(node, URIRef):
            for quad in self._store.quads_for_pattern(ox.NamedNode(str(node)), None, None):
                found.setdefault(quad.predicate.value, []).append(_term(quad.object))
        self._described[key] = found
        if len(self._described) > self._kept:
            self._described.popitem(last=False)
        return found

    def referrers(self, node: Object, predicate: str) -> list[Subject]:
        """Every subject of the whole graph with ``predicate`` ``node``."""
        if isinstance(node, BNode):
            raise ChunkingError(f"what refers to the blank node _:{node} is outside its chunk")
        value = to_oxigraph(node)
        found: list[Subject] = []
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(predicate), value):
            subject = _term(quad.subject)
            assert isinstance(subject, URIRef | BNode)
            found.append(subject)
        return found

    def superclasses(self) -> dict[str, frozenset[str]]:
        """rdfs:subClassOf* in the whole graph, as the engine reads it from its data."""
        direct: dict[str, set[str]] = {}
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None):
            child, parent = _term(quad.subject), _term(quad.object)
            direct.setdefault(node_key(child), set()).add(node_key(parent))
        return _closure(direct)


def _term(term: Any) -> Object:
    if isinstance(term, ox.BlankNode):
        raise ChunkingError("the store holds blank nodes other than kg's list cells")
    return to_rdflib(term)


class ChunkIndex(DataIndex):
    """A chunk's descriptions, with the rest of the graph behind them."""

    def __init__(
        self,
        triples: list[Triple],
        superclasses: dict[str, frozenset[str]],
        neighbours: Neighbours,
    ) -> None:
        super().__init__(triples, superclasses)
        self._neighbours = neighbours

    def _properties(self, node: Object) -> dict[str, list[Object]]:
        properties = self.index.get(node_key(node))
        return properties if properties is not None else self._neighbours.properties(node)

    def values(self, node: Object, predicate: str) -> list[Object]:
        return self._properties(node).get(predicate, [])

    def referrers(self, node: Object, predicate: str) -> list[Subject]:
        return self._neighbours.referrers(node, predicate)

    def build_referrers(self, predicates: Any) -> None:
        pass  # the store answers

    def has_class(self, node: Object, cls: str) -> bool:
        for declared in self._properties(node).get(str(RDF.type), ()):
            name = str.__str__(declared)
            if name == cls or cls in self.superclasses.get(name, ()):
                return True
        return False


@runtime_checkable
class StoreOnDisk(Protocol):
    """Opens the export's store (filling it the first time); ``path`` is where it is, for other
    processes to open it too, once ``close`` has closed it here."""

    path: Path

    def __call__(self) -> ox.Store: ...

    def close(self) -> None: ...


def validate_chunked(
    graph: ChunkedGraph,
    core: Graph,
    store: Callable[[], ox.Store],
    progress: Progress | None = None,
    workers: int | None = None,
    size: int | None = None,
) -> list[ValidationResult]:
    """The compiled engine's results on ``graph``, a chunk at a time, for the ``core`` shapes;
    ``progress`` counts the triples read.

    With ``workers`` > 1 and a store on disk, each of that many processes takes every n-th
    chunk and opens the store read-only for itself. They are started afresh (forkserver), not
    forked: a fork of a process with a store open copies its database's locks mid-use.
    """
    progress = progress or Progress(None)
    size = size or CHUNK_TRIPLES
    workers = workers or os.cpu_count() or 1
    progress.stage("validating: core constraints (triples)", total=len(graph))
    if workers > 1 and isinstance(store, StoreOnDisk):
        store()  # filled before the workers open it ...
        store.close()  # ... and closed: a store open for writing may drop files they read
        return _in_processes(graph, core, store.path, size, workers, progress)
    return _check_share(graph, CompiledShapes(core), store(), size, progress.advance)


def _check_share(
    graph: ChunkedGraph,
    compiled: CompiledShapes,
    store: ox.Store,
    size: int,
    advance: Callable[[int], None],
    share: tuple[int, int] = (0, 1),
) -> list[ValidationResult]:
    """The results of the chunks numbered ``share[0]`` modulo ``share[1]``."""
    neighbours = Neighbours(store)
    superclasses = neighbours.superclasses()
    found: list[ValidationResult] = []
    worker, workers = share
    for chunk in graph.chunks(size, lambda number: number % workers == worker):
        data = ChunkIndex(chunk, superclasses, neighbours)
        focus = compiled.focus_nodes(data)
        counted = 0
        for part in range(1, _PARTS + 1):  # progress within a chunk: a big one takes a while
            start, end = len(focus) * (part - 1) // _PARTS, len(focus) * part // _PARTS
            found.extend(compiled.validate_focus(data, focus[start:end]))
            advance(len(chunk) * part // _PARTS - counted)
            counted = len(chunk) * part // _PARTS
    return found


_PARTS = 10


def _in_processes(
    graph: ChunkedGraph, core: Graph, path: Path, size: int, workers: int, progress: Progress
) -> list[ValidationResult]:
    context = multiprocessing.get_context("forkserver")
    checked = context.Value("q", 0)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(checked,)
    ) as pool:
        futures = [
            pool.submit(_check_in_worker, graph, core, str(path), size, (worker, workers))
            for worker in range(workers)
        ]
        reported = 0
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            progress.advance(checked.value - reported)
            reported = checked.value
        return [result for future in futures for result in future.result()]


_checked: Any = None  # the count of triples checked, shared with the process that waits


def _start_worker(checked: Any) -> None:
    global _checked
    _checked = checked


def _count(triples: int) -> None:
    with _checked.get_lock():
        _checked.value += triples


def _check_in_worker(
    graph: ChunkedGraph, core: Graph, path: str, size: int, share: tuple[int, int]
) -> list[ValidationResult]:
    store = ox.Store.read_only(path)
    return _check_share(graph, CompiledShapes(core), store, size, _count, share)
