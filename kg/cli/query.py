"""`kg queries` and `kg query`: the example SPARQL queries, and any query over graphs or a store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli._shared import (
    check_verbosity,
    echo_finished,
    input_file,
    make_progress,
    run_started,
    verbosity_options,
)
from kg.query.sparql import ENGINES as QUERY_ENGINES
from kg.query.sparql import FORMATS as RESULT_FORMATS


@click.command()
def queries() -> None:
    """List the example SPARQL queries shipped with kg, and what each answers.

    \b
    Example:
      kg queries
      kg query export/graph.ttl --example first-authors
    """
    from kg.query.sparql import example_queries

    examples = example_queries()
    width = max(len(query.name) for query in examples)
    for query in examples:
        params = "".join(f"  [--param {name}=...]" for name in query.defaults)
        click.echo(f"{query.name:<{width}}  {query.description}{params}")


@click.command()
@click.argument("files", nargs=-1, type=input_file)
@click.option(
    "--example", "example_name", help="Run the example query of this name (see kg queries)."
)
@click.option("-e", "--expression", "text", help="Run this SPARQL query text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Result format; json is SPARQL 1.1 Query Results JSON.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (a string, or <IRI>); repeatable. Never pasted into the text.",
)
@click.option(
    "--engine",
    type=click.Choice(QUERY_ENGINES),
    default="oxigraph",
    show_default=True,
    help="SPARQL engine: embedded Oxigraph (fast), or rdflib's (same answers, slower).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Query this persistent Oxigraph store (filled by kg load --store) instead of files.",
)
@verbosity_options(
    quiet_help="Print nothing on stderr but errors (the results go to stdout).",
    verbose_help="Print on stderr how long reading the graphs and answering took, and kg's "
    "peak memory.",
)
def query(
    files: tuple[Path, ...],
    example_name: str | None,
    text: str | None,
    fmt: str,
    params: tuple[str, ...],
    engine: str,
    store_dir: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Run a SPARQL query over GRAPH files: FILES are graphs, plus at most one QUERY.rq.

    A FILE of - is a graph on standard input (its syntax told by its content: JSON-LD,
    RDF/XML, else Turtle, N-Triples or TriG).

    With --store DIR, the query runs on a persistent store instead (give no graph files):
    a large graph is parsed once by kg load, and queried many times.

    \b
    Example:
      kg query export/graph.ttl --example prolific-authors
      kg query export/graph.ttl --example findings-mentioning --param term=stigma
      kg query export/graph.ttl my-query.rq --format csv
      kg query export/graph.ttl -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      kg query export/graph.ttl --example first-authors --engine rdflib
      kg query --store kg-store --example works-per-journal
      cat export/graph.nt | kg query - --example first-authors
    """
    from kg.core import stdin
    from kg.query.sparql import QueryRequest, answer

    started = run_started()
    check_verbosity(quiet, verbose)
    stdin.check_once(files)
    request = QueryRequest.from_arguments(files, example_name, text, params, store_dir, engine)
    progress = make_progress(quiet, verbose)
    progress.stage("querying")
    # Rows go to standard output as the store gives them: memory stays flat for any result size.
    sys.stdout.flush()
    answer(request, fmt, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    progress.done()
    if verbose:
        echo_finished(started)
