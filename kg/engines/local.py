"""`kg export`: build the graph, validate it, and write the export folder.

The folder holds graph.ttl, graph.jsonld (with its context, context.jsonld, beside it), graph.nt,
validation.ttl, validation.txt, merges.txt, the example queries with their results
(queries/*.rq, queries/*.csv) and report.html. Every file is written atomically, and written
whether or not the graph conforms.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
from rdflib import Graph

from kg.core.atomic import atomic_text_writer, write_text_atomically
from kg.core.external_sort import RUN_ENTRIES, ScratchFolder, scratch_folder
from kg.core.namespaces import PREFIXES
from kg.core.progress import Progress
from kg.core.rdf import ChunkingError
from kg.core.resources import vocab_file
from kg.engines.folder import FORMAT_FILES, check_register_outside, staged_export_folder
from kg.engines.streaming import SortedExport, build_sorted_graph
from kg.map.graph import ExportGraph
from kg.map.pipeline import ExportOptions
from kg.map.provenance import Catalogue, catalogue_record
from kg.query.sparql import example_queries, format_results, run_query
from kg.report import export_facts, write_report
from kg.resolve.merge_report import render_merge_report
from kg.resolve.register import REGISTER_FILE, copy_register
from kg.validate import validate_graph
from kg.validate.reference import ValidationOutcome, load_shapes, report_prefixes, report_triples
from kg.validate.report import ResultKind, StoreLookup, render_report, result_kinds
from kg.validate.sparql import check_sparql_constraints
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.sorted_graph import SortedGraph
from kg.write.turtle import write_turtle

GRAPH_FILES = ("graph.ttl", "graph.jsonld", "graph.nt")
CONTEXT_FILE = "context.jsonld"  # vocab/context.jsonld, beside graph.jsonld
CATALOGUE_FILE = "dataset.ttl"  # the catalogue record: the description and the files


@dataclass(frozen=True)
class WriteOptions:
    """What an export writes: which graph files, whether it validates, answers the examples and
    writes report.html."""

    formats: tuple[str, ...] = tuple(FORMAT_FILES)
    validate: bool = True
    queries: bool = True
    report: bool = True
    run_entries: int = RUN_ENTRIES  # triples kept in memory before a sorted run is spilled
    # Without ExportOptions.register: keep the identifier register in the export folder
    # (register.sqlite), carried from the previous export there.
    folder_register: bool = False

    @property
    def files(self) -> list[str]:
        return [FORMAT_FILES[name] for name in FORMAT_FILES if name in self.formats]


@dataclass(frozen=True)
class ExportResult:
    built: SortedExport  # len(built.graph): the triples written (the graph itself is in the files)
    validation: ValidationOutcome | None  # None: not validated (--no-validate)
    report: str | None  # the validation report a person reads
    out_dir: Path
    scratch_bytes: int = 0  # the most disk the temporary files took at once
    result_kinds: list[ResultKind] = field(default_factory=list)  # the report's opening summary


def load_context() -> dict[str, Any]:
    """kg's JSON-LD context, embedded in every JSON-LD file it writes."""
    context: dict[str, Any] = json.loads(vocab_file(CONTEXT_FILE).read_text(encoding="utf-8"))
    return context


def write_graph(
    graph: ExportGraph | SortedGraph,
    out_dir: Path,
    prefixes: dict[str, str],
    names: Sequence[str] = GRAPH_FILES,
    progress: Progress | None = None,
) -> None:
    """graph.ttl, graph.jsonld and graph.nt (or those of them ``names`` lists) in ``out_dir``;
    ``progress`` counts the triples."""
    writers: dict[str, Callable[[TextIO], None]] = {
        "graph.ttl": lambda stream: write_turtle(graph, stream, prefixes, progress),
        "graph.jsonld": lambda stream: write_jsonld(graph, stream, load_context(), progress),
        "graph.nt": lambda stream: _write_ntriples(graph, stream, progress),
    }
    for name in names:
        with atomic_text_writer(out_dir / name) as stream:
            writers[name](stream)
    if "graph.jsonld" in names:  # the context embedded in graph.jsonld, published to reuse
        with atomic_text_writer(out_dir / CONTEXT_FILE) as stream:
            stream.write(vocab_file(CONTEXT_FILE).read_text(encoding="utf-8"))


def write_catalogue_record(
    built: SortedExport,
    out_dir: Path,
    names: Sequence[str],
    catalogue: Catalogue,
    prefixes: dict[str, str],
) -> None:
    """dataset.ttl: the dataset's description with the graph files just written, each with its
    media type and size (kg.map.provenance says why they are not in the graph itself)."""
    sizes = {name: (out_dir / name).stat().st_size for name in names}
    record = catalogue_record(built.minter, built.description, sizes, catalogue)
    with atomic_text_writer(out_dir / CATALOGUE_FILE) as stream:
        write_turtle(ExportGraph(record), stream, prefixes)


def _write_ntriples(
    graph: ExportGraph | SortedGraph, stream: TextIO, progress: Progress | None
) -> None:
    if not isinstance(graph, SortedGraph):
        write_ntriples(graph, stream, progress)
        return
    lines = graph.nt_lines()
    while batch := list(itertools.islice(lines, 10_000)):
        stream.writelines(batch)
        if progress is not None:
            progress.advance(len(batch))


def export(
    inputs: Sequence[Path],
    out_dir: Path,
    options: ExportOptions,
    progress: Progress | None = None,
    writing: WriteOptions | None = None,
) -> ExportResult:
    """Write the export into a staging folder beside ``out_dir`` that replaces it as a whole
    at the end (kg.engines.folder): a reader never sees half an export, or a mix of two."""
    check_register_outside(out_dir, options.register)
    with staged_export_folder(out_dir) as staging:
        if writing is not None and writing.folder_register and options.register is None:
            # The previous export's register, copied: this export's decisions reach out_dir
            # with its graph, in the one swap, or not at all.
            register = staging / REGISTER_FILE
            copy_register(out_dir / REGISTER_FILE, register)
            options = dataclasses.replace(options, register=register)
        result = _export_into(inputs, staging, options, progress, writing)
    return dataclasses.replace(result, out_dir=out_dir)


def _export_into(
    inputs: Sequence[Path],
    out_dir: Path,
    options: ExportOptions,
    progress: Progress | None = None,
    writing: WriteOptions | None = None,
) -> ExportResult:
    progress = progress or Progress(None)
    writing = writing or WriteOptions()
    shapes = load_shapes(options.shapes)
    check_sparql_constraints(shapes)  # broken shapes fail before any file is written
    with scratch_folder(out_dir) as scratch:  # in the staging folder: gone before the swap
        built = build_sorted_graph(inputs, options, scratch, progress, writing.run_entries)
        prefixes = {**PREFIXES, **built.minter.prefixes()}
        names = writing.files
        progress.stage(f"writing {', '.join(names)} (triples)", len(names) * len(built.graph))
        write_graph(built.graph, out_dir, prefixes, names, progress)
        write_catalogue_record(built, out_dir, names, options.catalogue, prefixes)
        write_text_atomically(
            out_dir / "merges.txt", render_merge_report(built.merges, built.minter)
        )
        # One store of the graph serves the SPARQL constraints and the example queries. It is
        # opened when first asked for, after the core checks: the store and their index each cost
        # about what the graph does.
        store = _ExportStore(built.graph, out_dir, scratch)
        outcome: ValidationOutcome | None = None
        report: str | None = None
        kinds: list[ResultKind] = []
        if writing.validate:
            outcome, report, kinds = _validate(
                built.graph, shapes, store, out_dir, options, prefixes, progress
            )
        if writing.queries:
            write_example_results(store(), out_dir / "queries", progress)
        if writing.report:
            progress.stage("report")
            answers = out_dir / "queries" if writing.queries else None
            facts = export_facts(outcome, built.merges, built.minter, answers=answers)
            write_report(store(), facts, out_dir / "report.html")
        store.close()  # before its folder in scratch is removed
        progress.done()
        return ExportResult(built, outcome, report, out_dir, scratch.peak_bytes, kinds)


def _validate(
    graph: SortedGraph,
    shapes: Graph,
    store: Callable[[], ox.Store],
    out_dir: Path,
    options: ExportOptions,
    prefixes: dict[str, str],
    progress: Progress,
) -> tuple[ValidationOutcome, str, list[ResultKind]]:
    """Validate the graph and write validation.ttl and validation.txt; the outcome, the report
    and its summary by kind."""
    # The compiled engine indexes the sorted triples as they are read; the report looks up the
    # works of its results in the store rather than in a second copy of the graph.
    outcome = validate_graph(graph, shapes, store=store, workers=options.workers, progress=progress)
    progress.stage("writing validation.txt, validation.ttl")
    lookup = StoreLookup(store())
    report = render_report(outcome, lookup)
    with atomic_text_writer(out_dir / "validation.ttl") as stream:
        write_turtle(ExportGraph(report_triples(outcome)), stream, report_prefixes(prefixes))
    write_text_atomically(out_dir / "validation.txt", report)
    return outcome, report, result_kinds(outcome, lookup)


class _ExportStore:
    """The export's store, filled when first asked for, and opened again after ``close``; at
    ``path``, so that validation's other processes can open it too
    (kg.validate.chunked.StoreOnDisk)."""

    def __init__(self, graph: SortedGraph, out_dir: Path, scratch: ScratchFolder) -> None:
        self.path = scratch.new_file("store")
        self._fill = functools.partial(_graph_store, graph, out_dir, scratch, self.path)
        self._store: ox.Store | None = None
        self._filled = False

    def __call__(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store(str(self.path)) if self._filled else self._fill()
            self._filled = True
        return self._store

    def close(self) -> None:
        self._store = None  # the last reference: Oxigraph closes the store


STORE_PIECE_TRIPLES = 250_000  # Oxigraph's bulk loader holds about 1.7 GB on a whole 6M graph


def _graph_store(graph: SortedGraph, out_dir: Path, scratch: ScratchFolder, path: Path) -> ox.Store:
    """The graph in an Oxigraph store on disk at ``path``, in scratch: memory stays flat however
    large the graph. Filled by Oxigraph's bulk loader, a strict parse of kg's N-Triples, a piece
    of whole descriptions at a time: the loader buffers what it is given (1.7 GB for the whole
    graph.nt of 100,000 records; 0.4 GB in pieces), and a piece holds each author list with its
    work, since each load names blank nodes afresh."""
    store = ox.Store(str(path))
    try:
        for piece in graph.nt_pieces(STORE_PIECE_TRIPLES):
            store.bulk_load(input=piece.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    except ChunkingError:  # a blank node that is not a cell of kg's lists: the file whole
        del store
        store = _whole_graph_store(graph, out_dir, scratch, path)
    except SyntaxError as error:  # kg wrote something no strict parser accepts: a bug
        raise RuntimeError(f"kg's own N-Triples do not parse: {error}") from error
    scratch.measure()
    return store


def _whole_graph_store(
    graph: SortedGraph, out_dir: Path, scratch: ScratchFolder, path: Path
) -> ox.Store:
    """The store filled from graph.nt in one load (or, when --formats leaves graph.nt out,
    from a copy in scratch), into a fresh folder beside ``path``."""
    source = out_dir / "graph.nt"
    if not source.is_file():
        source = scratch.new_file("graph", ".nt")
        with source.open("w", encoding="utf-8") as stream:
            stream.writelines(graph.nt_lines())
    store = ox.Store(str(path))
    store.clear()  # what the pieces loaded before one could not be
    try:
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as error:
        raise RuntimeError(f"{source}: kg's own N-Triples do not parse: {error}") from error
    return store


def write_example_results(store: ox.Store, folder: Path, progress: Progress | None = None) -> None:
    """Each example query beside its results on the exported graph, as SPARQL CSV."""
    queries = example_queries()
    if progress is not None:
        progress.stage("example queries", len(queries))
    for query in queries:
        write_text_atomically(folder / f"{query.name}.rq", query.text)
        results = run_query(store, query.text, query.defaults)
        write_text_atomically(folder / f"{query.name}.csv", format_results(results, "csv"))
        if progress is not None:
            progress.advance()
