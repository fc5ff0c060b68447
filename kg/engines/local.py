"""`kg export`: build the graph, validate it, and write the export folder.

The folder holds graph.ttl, graph.jsonld, graph.nt, validation.ttl, validation.txt, merges.txt, the
example queries with their results (queries/*.rq, queries/*.csv) and report.html. Every file is
written atomically, and written whether or not the graph conforms.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg.core.atomic import atomic_text_writer, write_text_atomically
from kg.core.namespaces import PREFIXES
from kg.core.progress import Progress
from kg.core.resources import vocab_file
from kg.map.graph import ExportGraph
from kg.map.pipeline import BuiltGraph, ExportOptions, build_graph
from kg.query.sparql import example_queries, format_results, open_store, run_query
from kg.report import export_facts, write_report
from kg.resolve.merge_report import render_merge_report
from kg.validate import validate_graph
from kg.validate.reference import ValidationOutcome, load_shapes, report_prefixes, report_triples
from kg.validate.report import render_report
from kg.validate.sparql import check_sparql_constraints
from kg.write.jsonld import write_jsonld
from kg.write.ntriples import write_ntriples
from kg.write.turtle import write_turtle

GRAPH_FILES = ("graph.ttl", "graph.jsonld", "graph.nt")


@dataclass(frozen=True)
class ExportResult:
    built: BuiltGraph
    validation: ValidationOutcome
    report: str  # the validation report a person reads
    out_dir: Path


def load_context() -> dict[str, Any]:
    """kg's JSON-LD context, embedded in every JSON-LD file it writes."""
    context: dict[str, Any] = json.loads(vocab_file("context.jsonld").read_text(encoding="utf-8"))
    return context


def write_graph(graph: ExportGraph, out_dir: Path, prefixes: dict[str, str]) -> None:
    """graph.ttl, graph.jsonld and graph.nt in ``out_dir``."""
    writers: dict[str, Callable[[TextIO], None]] = {
        "graph.ttl": lambda stream: write_turtle(graph, stream, prefixes),
        "graph.jsonld": lambda stream: write_jsonld(graph, stream, load_context()),
        "graph.nt": lambda stream: write_ntriples(graph, stream),
    }
    for name, write in writers.items():
        with atomic_text_writer(out_dir / name) as stream:
            write(stream)


def export(
    inputs: Sequence[Path],
    out_dir: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportResult:
    progress = progress or Progress(None)
    shapes = load_shapes(options.shapes)
    check_sparql_constraints(shapes)  # broken shapes fail before any file is written
    built = build_graph(inputs, options, progress)
    prefixes = {**PREFIXES, **built.minter.prefixes()}
    progress.stage(f"writing {len(built.graph):,} triples")
    write_graph(built.graph, out_dir, prefixes)
    # One store, parsed from the N-Triples just written (a strict parse of our own output),
    # serves the SPARQL constraints and the example queries. It is opened once validation asks
    # for it, after the core checks: the store and their index each cost about what the graph does.
    store = functools.cache(lambda: open_store([out_dir / "graph.nt"]))

    outcome = validate_graph(
        built.graph, shapes, store=store, workers=options.workers, progress=progress
    )
    report = render_report(outcome, built.graph)
    with atomic_text_writer(out_dir / "validation.ttl") as stream:
        write_turtle(ExportGraph(report_triples(outcome)), stream, report_prefixes(prefixes))
    write_text_atomically(out_dir / "validation.txt", report)

    write_text_atomically(out_dir / "merges.txt", render_merge_report(built.merges, built.minter))
    progress.stage("example queries")
    write_example_results(store(), out_dir / "queries")
    progress.stage("report")
    facts = export_facts(outcome, built.merges, built.minter, answers=out_dir / "queries")
    write_report(store(), facts, out_dir / "report.html")
    progress.done()
    return ExportResult(built, outcome, report, out_dir)


def write_example_results(store: ox.Store, folder: Path) -> None:
    """Each example query beside its results on the exported graph, as SPARQL CSV."""
    for query in example_queries():
        write_text_atomically(folder / f"{query.name}.rq", query.text)
        results = run_query(store, query.text, query.defaults)
        write_text_atomically(folder / f"{query.name}.csv", format_results(results, "csv"))
