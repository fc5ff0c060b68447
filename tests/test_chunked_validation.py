"""The compiled engine a chunk of the sorted graph at a time (kg.validate.chunked): the results of
pySHACL on the whole graph, whatever the chunk size, with neighbours looked up in the store and
author lists rebuilt in their works' chunks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, URIRef

from kg.core.external_sort import SortedRuns, scratch_folder
from kg.core.namespaces import BIBO, RDF
from kg.engines.local import _ExportStore
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions, build_graph
from kg.validate import chunked, scalable
from kg.validate.reference import load_shapes
from kg.validate.scalable import validate_export
from kg.write.sorted_graph import SortedGraph, encode_triples, sort_graph
from tests.conftest import EXAMPLES
from tests.pyshacl_reference import pyshacl_on_whole_graph
from tests.violations import break_every_constraint


@contextmanager
def _sorted_and_stored(graph: ExportGraph, folder: Path) -> Iterator[tuple[SortedGraph, ox.Store]]:
    """The graph as an export holds it: sorted entries in scratch (each author list encoded with
    its work), and an on-disk store filled from its N-Triples."""
    with scratch_folder(folder) as scratch:
        runs = SortedRuns(scratch, 10_000)
        runs.extend(encode_triples(graph.triples))
        sorted_graph, _ = sort_graph(runs, scratch)
        nt = folder / "graph.nt"
        nt.write_text("".join(sorted_graph.nt_lines()), encoding="utf-8")
        store = ox.Store(str(folder / "store"))
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        yield sorted_graph, store


@pytest.fixture(scope="module")
def broken_examples() -> ExportGraph:
    graph = build_graph(list(EXAMPLES), ExportOptions()).graph
    broken, _ = break_every_constraint(graph, load_shapes())
    return broken


@pytest.mark.parametrize("size", [1, 40, 1_000, 10**9])
def test_every_chunk_size_gives_pyshacls_results(
    broken_examples: ExportGraph, tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunked, "CHUNK_TRIPLES", size)
    asked: list[int] = []
    original = chunked.validate_chunked

    def watched(*args: object, **kwargs: object) -> object:
        asked.append(size)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("kg.validate.scalable.validate_chunked", watched)
    with _sorted_and_stored(broken_examples, tmp_path) as (sorted_graph, store):
        outcome = validate_export(sorted_graph, load_shapes(), store=lambda: store, workers=1)
    reference = pyshacl_on_whole_graph(broken_examples.to_rdflib(), load_shapes())
    assert asked == [size]  # the chunked engine ran, and did not fall back
    assert outcome.engine == "compiled"
    assert outcome.results == reference.results
    assert len(outcome.violations) > 20


def test_chunks_hold_whole_descriptions_and_their_lists(
    broken_examples: ExportGraph, tmp_path: Path
) -> None:
    with _sorted_and_stored(broken_examples, tmp_path) as (sorted_graph, _):
        chunks = list(sorted_graph.chunks(25))
    seen_subjects: set[object] = set()
    for chunk in chunks:
        subjects = {s for s, _, _ in chunk if not isinstance(s, BNode)}
        assert not subjects & seen_subjects  # a description is never split between chunks
        seen_subjects |= subjects
        heads = {o for _, p, o in chunk if p == BIBO.authorList}
        cells = {s for s, p, _ in chunk if p == RDF.first}
        assert heads <= cells  # every list's cells are in its work's chunk
    assert sorted(t for chunk in chunks for t in chunk) == sorted(broken_examples.triples)


def test_a_blank_node_no_chunk_can_rebuild_falls_back_to_the_whole_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank node that is not a cell of a list kg minted cannot be looked up in the store
    (Oxigraph renames blank nodes): the whole graph is validated instead, with the same results."""
    graph = build_graph([EXAMPLES[0]], ExportOptions()).graph
    work = next(s for s, p, _ in graph if p == BIBO.authorList)
    odd = BNode("not-a-kg-cell")
    extra = [
        (work, URIRef("http://schema.org/publisher"), odd),
        (odd, RDF.type, URIRef("http://schema.org/Organization")),
    ]
    broken = ExportGraph([*graph, *extra])
    monkeypatch.setattr(chunked, "CHUNK_TRIPLES", 1)  # the blank node in a chunk of its own
    whole: list[bool] = []
    original = scalable.validate_compiled
    monkeypatch.setattr(
        scalable, "validate_compiled", lambda *a: whole.append(True) or original(*a)
    )
    with _sorted_and_stored(broken, tmp_path) as (sorted_graph, store):
        outcome = validate_export(sorted_graph, load_shapes(), store=lambda: store, workers=1)
    reference = pyshacl_on_whole_graph(broken.to_rdflib(), load_shapes())
    assert whole == [True]
    assert outcome.results == reference.results


def test_worker_processes_share_the_chunks_and_give_the_same_results(
    broken_examples: ExportGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes started afresh, each opening the export's store read-only (closed for
    writing meanwhile) and taking every other chunk: pySHACL's results, each once; the export
    then opens its store again for the SPARQL constraints."""
    monkeypatch.setattr(chunked, "CHUNK_TRIPLES", 50)
    with scratch_folder(tmp_path) as scratch:
        runs = SortedRuns(scratch, 10_000)
        runs.extend(encode_triples(broken_examples.triples))
        sorted_graph, _ = sort_graph(runs, scratch)
        store = _ExportStore(sorted_graph, tmp_path, scratch)
        assert isinstance(store, chunked.StoreOnDisk)
        outcome = validate_export(sorted_graph, load_shapes(), store=store, workers=2)
        store.close()
    reference = pyshacl_on_whole_graph(broken_examples.to_rdflib(), load_shapes())
    assert outcome.results == reference.results
