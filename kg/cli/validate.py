"""`kg validate`: graph files against kg's SHACL shapes, with a report a person can act on."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli._shared import (
    EXIT_CONFORMS,
    EXIT_DOES_NOT_CONFORM,
    check_verbosity,
    echo_finished,
    input_file,
    json_option,
    make_progress,
    run_started,
    shapes_option,
    verbosity_options,
)
from kg.cli._summary import echo_json, elapsed, validation_summary
from kg.validate import DEFAULT_ENGINE, ENGINES


@click.command()
@click.argument("graphs", nargs=-1, required=True, type=input_file)
@shapes_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the SHACL validation report graph here (Turtle).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="compiled: kg's own engine, the one kg export uses (the shapes compiled to Python "
    "checks run by worker processes, SPARQL constraints on Oxigraph). pyshacl: pySHACL, the "
    "reference: the same results, far slower (minutes for tens of thousands of triples).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that validate side by side with the compiled engine (default: one per core).",
)
@verbosity_options(
    quiet_help="No progress line and no summary on stderr (the report is still printed).",
)
@json_option
def validate(
    graphs: tuple[Path, ...],
    shapes: Path | None,
    report_file: Path | None,
    engine: str,
    workers: int | None,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Validate GRAPH files (Turtle, N-Triples, JSON-LD ...) against kg's SHACL shapes.

    Prints the results grouped by work, naming the input file and line each work came from.
    A GRAPH of - is standard input (its syntax told by its content: JSON-LD, RDF/XML, else
    Turtle, N-Triples or TriG).
    Validates as kg export does; --engine pyshacl gives the same results with pySHACL.
    Exit code 0: conforms (warnings allowed); 1: does not conform; 2: input or shapes error.
    With --json the summary goes to standard output instead of the report (--report keeps it).

    \b
    Example:
      kg validate export/graph.ttl
      kg validate export/graph.ttl --shapes my-shapes/ --report report.ttl
      kg validate export/graph.ttl --engine pyshacl
      riot --output=nt other.ttl | kg validate -
    """
    from kg.core import stdin
    from kg.core.atomic import atomic_text_writer
    from kg.core.namespaces import PREFIXES
    from kg.map.graph import ExportGraph
    from kg.validate import validate_files
    from kg.validate.reference import report_prefixes, report_triples
    from kg.write.turtle import write_turtle

    started = run_started()
    check_verbosity(quiet, verbose)
    stdin.check_once(graphs)
    progress = make_progress(quiet, verbose)
    checked = validate_files(graphs, shapes, engine=engine, workers=workers, progress=progress)
    outcome = checked.outcome
    if as_json:
        summary = {"command": "validate", "graphs": [str(g) for g in graphs]}
        echo_json({**summary, **validation_summary(outcome), "seconds": elapsed(started)})
    else:
        click.echo(checked.report, nl=False)
    if report_file is not None:
        with atomic_text_writer(report_file) as stream:
            write_turtle(ExportGraph(report_triples(outcome)), stream, report_prefixes(PREFIXES))
    if not quiet:
        verdict = "conforms" if outcome.conforms else "does not conform"
        click.echo(
            f"validation: {verdict} ({len(outcome.violations)} violations, "
            f"{len(outcome.warnings)} warnings); engine: {outcome.engine}",
            err=True,
        )
        echo_finished(started)
    sys.exit(EXIT_CONFORMS if outcome.conforms else EXIT_DOES_NOT_CONFORM)
