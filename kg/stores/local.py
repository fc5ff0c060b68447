"""Persistent Oxigraph stores on disk: filled once (`kg load --store DIR`), queried many times.

A store is the directory pyoxigraph writes (RocksDB); the `oxigraph` command that `kg serve`
runs reads the same directory. One process at a time may hold a store open: a second one gets a
one-line error, never a half-read store.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.core.graphio import parse_quads, rdf_format
from kg.core.text import one_line
from kg.errors import LocalStoreError
from kg.stores.staging import is_staging_graph, staging_graph


def fill_hint(directory: Path) -> str:
    return f"fill it with `kg load GRAPH --store {directory}`"


def fill_store(
    directory: Path,
    graphs: Sequence[Path],
    graph_iri: str | None = None,
    replace: bool = False,
) -> int:
    """Load the graph files into the store at ``directory`` (created when missing), into the
    default graph or the named graph ``graph_iri``; ``replace`` clears that graph first.

    Every file is parsed strictly (kg.core.graphio) before anything is written, so a file with a
    syntax error leaves the store as it was. Then Oxigraph's bulk loader reads the files (fast,
    without holding a file in memory). Triples already in the graph stay (a graph is a set),
    but blank nodes are new on every load: fill twice without ``replace`` and the blank-node
    parts (author lists) are there twice. Named graphs of TriG / N-Quads files keep their
    names. Returns the number of triples now in the graph.
    """
    if not graphs:
        raise LocalStoreError("give at least one graph file to load")
    target = _graph(graph_iri)
    for path in graphs:
        for _ in parse_quads(path):  # raises InputError naming the file and line
            pass
    store = _open(directory, create=True)
    remove_staging_graphs(store)
    # Replacing loads into a staging graph, then one MOVE (a transaction) takes its place: a
    # load that is interrupted leaves the old graph as it was, and its staging graph is removed
    # by the next process that opens the store.
    staging_iri = staging_graph(graph_iri or "default")
    staging = ox.NamedNode(staging_iri) if replace else target
    try:
        for path in graphs:
            try:
                store.bulk_load(path=str(path), format=rdf_format(path), to_graph=staging)
            except (SyntaxError, ValueError, OSError) as error:  # the file changed meanwhile
                raise LocalStoreError(f"{path}: {one_line(error)}") from None
        if replace:
            staged = count_triples(store, staging_iri)
            destination = f"<{target.value}>" if isinstance(target, ox.NamedNode) else "DEFAULT"
            store.update(f"MOVE SILENT <{staging_iri}> TO {destination}")
            moved = count_triples(store, graph_iri)
            if moved != staged:  # one process holds the store: only a bug could do this
                raise LocalStoreError(
                    f"{directory}: the graph holds {moved} triples after the final MOVE, not the "
                    f"{staged} loaded"
                )
    except BaseException:
        if replace:
            store.clear_graph(staging)
        raise
    store.flush()
    return count_triples(store, graph_iri)


def open_filled_store(directory: Path) -> ox.Store:
    """The store at ``directory`` for querying; a missing, empty or foreign directory, or a
    store that holds nothing, is an error saying how to fill it."""
    if not directory.is_dir():
        raise LocalStoreError(f"{directory}: no store there; {fill_hint(directory)}")
    if not any(directory.iterdir()):
        raise LocalStoreError(f"{directory}: the store is empty; {fill_hint(directory)}")
    store = _open(directory, create=False)
    remove_staging_graphs(store)  # what a killed load left: queries see only loaded graphs
    if next(iter(store.quads_for_pattern(None, None, None, None)), None) is None:
        raise LocalStoreError(f"{directory}: the store is empty; {fill_hint(directory)}")
    return store


def remove_staging_graphs(store: ox.Store) -> list[str]:
    """Remove the staging graphs of loads that were killed (the IRIs removed). Only one process
    at a time holds a store open, so a staging graph found on opening it is no running load's.
    """
    found = sorted(
        graph.value
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode) and is_staging_graph(graph.value)
    )
    for iri in found:
        store.remove_graph(ox.NamedNode(iri))
    if found:
        store.flush()
    return found


def clean_store(directory: Path) -> list[str]:
    """``kg load --clean-staging --store DIR``: the staging graphs removed from the store."""
    return remove_staging_graphs(_open(directory, create=False))


def count_triples(store: ox.Store, graph_iri: str | None = None) -> int:
    """The number of triples in the default graph, or in the named graph ``graph_iri``."""
    results = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=_graph(graph_iri)
    )
    assert isinstance(results, ox.QuerySolutions)
    count = next(iter(results))["n"]
    assert isinstance(count, ox.Literal)
    return int(count.value)


def _graph(graph_iri: str | None) -> ox.NamedNode | ox.DefaultGraph:
    if graph_iri is None:
        return ox.DefaultGraph()
    try:
        return ox.NamedNode(graph_iri)
    except ValueError as error:
        raise LocalStoreError(
            f"{graph_iri!r} is not a valid graph IRI: {one_line(error)}"
        ) from None


def _open(directory: Path, *, create: bool) -> ox.Store:
    if directory.exists() and not directory.is_dir():
        raise LocalStoreError(f"{directory}: not a folder")
    is_store = (directory / "CURRENT").is_file()  # RocksDB's own marker file
    if directory.is_dir() and any(directory.iterdir()) and not is_store:
        hint = " (give a new or empty folder)" if create else ""
        raise LocalStoreError(f"{directory}: not an Oxigraph store{hint}")
    if not is_store and not create:
        raise LocalStoreError(f"{directory}: no store there; {fill_hint(directory)}")
    try:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(directory))
    except OSError as error:
        if "lock" in str(error).lower():
            raise LocalStoreError(
                f"{directory}: the store is in use by another process (a running `kg serve`"
                " or `kg load`?)"
            ) from None
        raise LocalStoreError(f"{directory}: cannot open the store: {one_line(error)}") from None
