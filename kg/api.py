"""kg as a library: the few calls a notebook or a script needs, returning rdflib and pyoxigraph
objects. `import kg` gives them (``kg.export``, ``kg.build_graph``, ``kg.validate_graph``,
``kg.run_query`` ...); the command line is a thin layer over the same stages.

Problems with single records (a record rejected, a value kept as written with a warning) are not
exceptions: they go to ``on_problem`` (default: a :class:`kg.errors.InputWarning` through Python's
``warnings``), so nothing is silently dropped and one bad record does not stop the rest. Whole
inputs that cannot be read, bad options and broken shapes raise :class:`kg.errors.KgError`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import rdflib

from kg.core.namespaces import PREFIXES
from kg.core.problems import Problem
from kg.core.rdf import Triple
from kg.engines.local import ExportResult
from kg.errors import InputWarning, UsageError
from kg.map.pipeline import BuiltGraph, ExportOptions
from kg.map.provenance import Catalogue
from kg.resolve.mint import DEFAULT_BASE_IRI
from kg.validate.reference import ValidationOutcome

PathLike = str | Path
ProblemHandler = Callable[[Problem], None]


def export(
    inputs: Sequence[PathLike],
    out_dir: PathLike,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    input_format: str | None = None,
    themes: PathLike | None = None,
    shapes: PathLike | None = None,
    workers: int | None = None,
    encoding: str | None = None,
    register: PathLike | bool = True,
    catalogue: Catalogue | None = None,
    on_problem: ProblemHandler | None = None,
) -> ExportResult:
    """What ``kg export`` does: read, map, validate, and write the export folder ``out_dir``.

    ``encoding`` is that of every input (``kg export --encoding``; default UTF-8). ``register``
    is the identifier register: True (as ``kg export``) keeps ``register.sqlite`` in the export
    folder, a path keeps it there (``--register``), False keeps none (``--no-register``).
    ``catalogue`` says what the dataset says of itself (``--dataset``, ``--license``,
    ``--publisher``, ``--sparql-endpoint``, ``--download-url``). The result
    holds the counts, problems and merges (``result.built``; ``len(result.built.graph)`` is the
    number of triples written: the graph is in the files), the validation outcome
    (``result.validation``, with ``.conforms``) and the report text (``result.report``).
    """
    from kg.engines.local import WriteOptions
    from kg.engines.local import export as run_export

    options = _options(base_iri, input_format, themes, shapes, workers, encoding)
    if not isinstance(register, bool):
        options = dataclasses.replace(options, register=Path(register))
    if catalogue is not None:
        options = dataclasses.replace(options, catalogue=catalogue)
    writing = WriteOptions(folder_register=register is True)
    result = run_export([Path(p) for p in inputs], Path(out_dir), options, writing=writing)
    _hand_on(result.built.problems, on_problem)
    return result


def build_graph(
    inputs: Sequence[PathLike],
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    input_format: str | None = None,
    themes: PathLike | None = None,
    encoding: str | None = None,
    on_problem: ProblemHandler | None = None,
) -> rdflib.Graph:
    """The knowledge graph of the inputs as an rdflib graph, with kg's prefixes bound: read,
    resolved and mapped exactly as ``kg export`` does, but neither validated nor written."""
    options = _options(base_iri, input_format, themes, None, None, encoding)
    built = _build(inputs, options, on_problem)
    graph = rdflib.Graph()
    for prefix, namespace in {**PREFIXES, **built.minter.prefixes()}.items():
        graph.bind(prefix, namespace, replace=True)
    for triple in built.graph:
        graph.add(triple)
    return graph


def validate_graph(
    graph: rdflib.Graph | Sequence[PathLike],
    *,
    shapes: PathLike | None = None,
    engine: str | None = None,
    workers: int | None = None,
) -> ValidationOutcome:
    """The graph (an rdflib graph, or graph files in any RDF syntax) against kg's SHACL shapes
    (or the folder ``shapes``); ``engine`` as ``kg validate --engine`` (default: the export's).

    The outcome has ``.conforms``, ``.violations`` and ``.warnings``, each result with its focus
    node, path, value, constraint, severity and message.
    """
    from kg.core.graphio import read_triples
    from kg.map.graph import ExportGraph
    from kg.validate import DEFAULT_ENGINE, validate_graph
    from kg.validate.reference import load_shapes

    if isinstance(graph, rdflib.Graph):  # rdflib types its triples more loosely than kg does
        triples = cast("Iterable[Triple]", graph)
    else:
        triples = read_triples(_paths(graph))
    shapes_graph = load_shapes(Path(shapes) if shapes is not None else None)
    return validate_graph(
        ExportGraph(triples), shapes_graph, engine=engine or DEFAULT_ENGINE, workers=workers
    )


def open_store(graphs: Sequence[PathLike] | PathLike) -> ox.Store:
    """A pyoxigraph store to query many times: graph files parsed strictly into memory, or the
    persistent store folder that ``kg load --store DIR`` filled."""
    from kg.query.sparql import open_store as store_of_files
    from kg.stores.local import open_filled_store

    if isinstance(graphs, str | Path):
        if Path(graphs).is_dir():
            return open_filled_store(Path(graphs))
        return store_of_files([Path(graphs)])
    return store_of_files(_paths(graphs))


def run_query(
    source: ox.Store | Sequence[PathLike] | PathLike,
    sparql: str,
    params: Mapping[str, str] | None = None,
) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """Run a SPARQL query on a store, graph files or a store folder (see :func:`open_store`).

    ``params`` bind variables (``{"term": "stigma"}``; ``"<https://…>"`` binds an IRI) without
    ever pasting a value into the text. kg's prefixes (schema:, bibo:, kg: …) are predeclared.
    Example queries: ``kg.example_query("first-authors").text``.
    """
    from kg.query.sparql import run_query as run_on_store

    store = source if isinstance(source, ox.Store) else open_store(source)
    return run_on_store(store, sparql, params)


def write_report(source: ox.Store | Sequence[PathLike] | PathLike, out: PathLike) -> None:
    """Write the self-contained HTML report (what ``kg report`` writes) of a store, graph files
    or a store folder; give an export's validation.ttl among the files to show its results."""
    from kg.report import write_report as write

    store = source if isinstance(source, ox.Store) else open_store(source)
    write(store, None, Path(out))


def write_site(
    source: ox.Store | Sequence[PathLike] | PathLike,
    out_dir: PathLike,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> dict[str, int]:
    """Write the graph as a static linked-data site (what ``kg site`` writes); returns the
    pages written of each kind (work, person, journal, book, theme)."""
    from kg.site import write_site as write

    store = source if isinstance(source, ox.Store) else open_store(source)
    return write(store, Path(out_dir), base_iri).pages


def load(
    graphs: Sequence[PathLike],
    *,
    endpoint: str | None = None,
    store: PathLike | None = None,
    graph: str | None = None,
    append: bool = False,
) -> int:
    """Load graph files into a triple store (its Graph Store Protocol ``endpoint``) or into a
    persistent local store folder (``store``), as ``kg load`` does; returns the triples sent
    (endpoint) or now in the graph (store). ``graph`` is the named graph (default: the dataset's
    IRI; ``"default"`` for the default graph). Credentials come from the environment or
    ``~/.netrc`` (see ``kg load --help``), never from arguments."""
    from kg.stores.http import StoreClient, credentials_for
    from kg.stores.load import LoadTarget, dataset_iri
    from kg.stores.load import load as send
    from kg.stores.local import fill_store

    paths = _paths(graphs)
    if (endpoint is None) == (store is None):
        raise UsageError("name one store: endpoint=URL, or store=DIR for a local store")
    name = None if graph == "default" else graph or dataset_iri(paths)
    if store is not None:
        return fill_store(Path(store), paths, name, replace=not append)
    assert endpoint is not None
    target = LoadTarget(endpoint=endpoint, graph=name or "default", append=append)
    return send(paths, target, StoreClient(credentials_for(endpoint))).triples


def _options(
    base_iri: str,
    input_format: str | None,
    themes: PathLike | None,
    shapes: PathLike | None,
    workers: int | None,
    encoding: str | None = None,
) -> ExportOptions:
    def path(value: PathLike | None) -> Path | None:
        return Path(value) if value is not None else None

    return ExportOptions(base_iri, input_format, path(themes), path(shapes), workers, encoding)


def _build(
    inputs: Sequence[PathLike], options: ExportOptions, on_problem: ProblemHandler | None
) -> BuiltGraph:
    from kg.map.pipeline import build_graph as build

    built = build([Path(p) for p in inputs], options)
    _hand_on(built.problems, on_problem)
    return built


def _hand_on(problems: Iterable[Problem], on_problem: ProblemHandler | None) -> None:
    for problem in problems:
        if on_problem is not None:
            on_problem(problem)
        else:
            warnings.warn(str(problem), InputWarning, stacklevel=3)


def _paths(graphs: Sequence[PathLike]) -> list[Path]:
    if isinstance(graphs, str | Path):
        return [Path(graphs)]
    return [Path(p) for p in graphs]
