"""Validate: a graph against kg's SHACL shapes, with results a person can act on.

One entry point, :func:`validate_graph`, chooses the engine and says in the outcome which one ran
(``outcome.engine``). Both give the same results, field for field (tests hold them equal):

- ``compiled`` (the default; what ``kg export`` uses): kg's own engine. The shapes' SHACL core
  constraints are compiled into Python checks over an index of the whole graph, shared by forked
  worker processes (``compiled``, ``scalable``); the SHACL-SPARQL constraints run once each, in
  bulk, on Oxigraph (``sparql``). Shapes it does not compile go to pySHACL (the outcome's engine
  then says ``compiled+pyshacl``, or ``pyshacl`` when pySHACL had to take the whole graph).
- ``pyshacl``: pySHACL on the whole graph, the reference (``reference``); minutes where the
  compiled engine takes seconds on graphs of tens of thousands of triples.

``report`` renders the outcome as the text a person reads; ``reference.report_triples`` gives the
SHACL validation report graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# Imported by the command line on every run, for ENGINES: the engines load when first used.
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    import pyoxigraph as ox
    from rdflib import Graph

    from kg.core.progress import Progress
    from kg.core.rdf import Triple
    from kg.map.graph import ExportGraph
    from kg.validate.reference import ValidationOutcome

ENGINES = ("compiled", "pyshacl")
DEFAULT_ENGINE = "compiled"
_READ_BATCH = 10_000  # triples read between two progress updates


def validate_graph(
    graph: ExportGraph | Iterable[Triple],
    shapes: Graph | None = None,
    *,
    engine: str = DEFAULT_ENGINE,
    workers: int | None = None,
    progress: Progress | None = None,
    store: Callable[[], ox.Store] | None = None,
) -> ValidationOutcome:
    """Validate ``graph`` against ``shapes`` (default: kg's own) with ``engine`` (see above).

    ``graph`` is an ExportGraph, or triples in its order, each once, that can be read more than
    once (an export's sorted graph): the compiled engine then indexes them without the
    ExportGraph's copy.

    ``workers``: processes of the compiled engine (default: one per core). ``progress`` shows the
    "validating" stage. ``store`` opens an Oxigraph store of the same triples, for the compiled
    engine's SPARQL constraints (default: one is built from ``graph``).
    """
    from kg.core.progress import Progress
    from kg.errors import UsageError
    from kg.validate import reference
    from kg.validate.scalable import validate_export
    from kg.validate.sparql import check_sparql_constraints

    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r} (known: {', '.join(ENGINES)})")
    shapes = shapes if shapes is not None else reference.load_shapes()
    check_sparql_constraints(shapes)  # before any query runs: none parse errors, none federated
    progress = progress or Progress(None)
    progress.stage("validating")
    if engine == "pyshacl":
        return reference.validate(whole_graph(graph).to_rdflib(), shapes)
    return validate_export(graph, shapes, store=store, workers=workers, progress=progress)


def whole_graph(graph: ExportGraph | Iterable[Triple]) -> ExportGraph:
    """The graph in memory, for what must see all of it at once (pySHACL)."""
    from kg.map.graph import ExportGraph

    return graph if isinstance(graph, ExportGraph) else ExportGraph.from_sorted(graph)


@dataclass(frozen=True)
class GraphFilesValidation:
    outcome: ValidationOutcome
    report: str  # the report a person reads (kg.validate.report)


def validate_files(
    paths: Iterable[Path],
    shapes: Path | None = None,
    *,
    engine: str = DEFAULT_ENGINE,
    workers: int | None = None,
    progress: Progress | None = None,
) -> GraphFilesValidation:
    """What ``kg validate`` does: read graph files (any RDF syntax, strictly, blank nodes kept
    apart per file), validate them together, and render the report, grouped by work.

    ``shapes`` is a folder of shapes (default: kg's own); the shapes are read first, so broken
    shapes fail before the graph is read. ``progress`` shows the stages: reading, validating.
    """
    from kg.core.progress import Progress
    from kg.map.graph import ExportGraph
    from kg.validate.reference import load_shapes
    from kg.validate.report import render_report

    progress = progress or Progress(None)
    shapes_graph = load_shapes(shapes)
    graph = ExportGraph(_read(paths, progress))
    outcome = validate_graph(graph, shapes_graph, engine=engine, workers=workers, progress=progress)
    report = render_report(outcome, graph)
    progress.done()
    return GraphFilesValidation(outcome, report)


def _read(paths: Iterable[Path], progress: Progress) -> list[Triple]:
    from kg.core.graphio import read_triples

    progress.stage("reading triples")
    triples: list[Triple] = []
    for triple in read_triples(paths):
        triples.append(triple)
        if len(triples) % _READ_BATCH == 0:
            progress.advance(_READ_BATCH)
    progress.advance(len(triples) % _READ_BATCH)
    return triples


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "GraphFilesValidation",
    "validate_files",
    "validate_graph",
]
