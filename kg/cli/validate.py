"""`kg validate`: graph files against kg's SHACL shapes, with a report a person can act on."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli._shared import EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, existing_file, shapes_option


@click.command()
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@shapes_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the SHACL validation report graph here (Turtle).",
)
def validate(graphs: tuple[Path, ...], shapes: Path | None, report_file: Path | None) -> None:
    """Validate GRAPH files (Turtle, N-Triples, JSON-LD ...) against kg's SHACL shapes.

    Prints the results grouped by work, naming the input file and line each work came from.
    Exit code 0: conforms (warnings allowed); 1: does not conform; 2: input or shapes error.

    \b
    Example:
      kg validate export/graph.ttl
      kg validate export/graph.ttl --shapes my-shapes/ --report report.ttl
    """
    from rdflib import Graph

    from kg.core.atomic import atomic_text_writer
    from kg.core.graphio import read_triples
    from kg.core.namespaces import PREFIXES
    from kg.map.graph import ExportGraph
    from kg.validate.reference import SH, load_shapes, report_triples, validate
    from kg.validate.report import render_report
    from kg.write.turtle import write_turtle

    shapes_graph = load_shapes(shapes)
    triples = list(read_triples(graphs))
    data = Graph()
    for triple in triples:
        data.add(triple)
    outcome = validate(data, shapes_graph)
    click.echo(render_report(outcome, ExportGraph(triples)), nl=False)
    if report_file is not None:
        with atomic_text_writer(report_file) as stream:
            write_turtle(ExportGraph(report_triples(outcome)), stream, {**PREFIXES, "sh": SH})
    sys.exit(EXIT_CONFORMS if outcome.conforms else EXIT_DOES_NOT_CONFORM)
