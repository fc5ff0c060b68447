"""The `kg` command: thin click commands over the library.

Exit codes (as pySHACL's): 0 the graph conforms (warnings allowed), 1 it does not conform,
2 an input, usage or shapes error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from kg import __version__
from kg.atomic import write_text_atomically
from kg.mint import DEFAULT_BASE_IRI, IriError
from kg.problems import KgError, Problem, Severity
from kg.readers import READERS

if TYPE_CHECKING:
    from kg.merge_report import MergeReport
    from kg.pipeline import ExportOptions
    from kg.progress import Progress

EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def reports_errors(command: F) -> F:
    """Turn the library's errors into one line on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (KgError, IriError) as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"Error: {where}{error.strerror or error}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def shapes_option(command: F) -> F:
    return click.option(
        "--shapes",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of SHACL shapes (*.ttl) to use instead of kg's own.",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn bibliographic search results into a validated linked-data knowledge graph.

    \b
    Example:
      kg export examples/peer-support-search.txt examples/peer-support.ris --out export/
      kg query export/graph.ttl --example prolific-authors
      kg convert export/graph.ttl --to bibtex --output works.bib
    """
    # rdflib logs a traceback for every ill-typed literal (a date like 2020-02-31) it reads;
    # the shapes report those values properly, so the tracebacks would only hide the report.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=existing_file)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write graph.ttl, graph.jsonld, graph.nt, validation.* and queries/ "
    "(with --engine dask: graph-part-*.nt and graph-description.nt).",
)
@click.option(
    "--from",
    "input_format",
    type=click.Choice(sorted(READERS)),
    help="Input format of every INPUT (default: detected from each file's content).",
)
@click.option(
    "--base-iri",
    default=DEFAULT_BASE_IRI,
    show_default=True,
    help="Namespace under which every IRI of the graph is minted; use one you control.",
)
@click.option(
    "--themes",
    type=existing_file,
    help="SKOS theme vocabulary (Turtle) to match instead of kg's default one.",
)
@shapes_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that validate side by side (default: one per core); with --engine dask "
    "and no --scheduler, the local cluster's worker processes.",
)
@click.option(
    "--merge-report",
    "merge_report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the merge report (merged works, conflicts, identities) here; the export "
    "folder always holds it as merges.txt.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: on this machine, every file of the export folder, validated. dask: map the "
    "works on a Dask cluster and write only partitioned N-Triples (graph-part-*.nt) and "
    "graph-description.nt for a bulk loader: no Turtle, JSON-LD, validation, queries or "
    "merges.txt.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the Dask scheduler to use (tcp://HOST:8786); default: a local "
    "cluster of worker processes (--workers of them) for this export.",
)
@click.option(
    "--partitions",
    type=click.IntRange(1, 99_999),
    help="With --engine dask: how many graph-part-*.nt files to write (default: 8).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def export(
    inputs: tuple[Path, ...],
    out_dir: Path,
    input_format: str | None,
    base_iri: str,
    themes: Path | None,
    shapes: Path | None,
    workers: int | None,
    merge_report: Path | None,
    engine: str,
    scheduler: str | None,
    partitions: int | None,
    quiet: bool,
) -> None:
    """Read INPUT files, map them to schema.org + BIBO, validate, and write the export folder.

    Several inputs, in any mix of formats, merge into one graph: the same work read from two
    inputs becomes one work (the first input named wins where they disagree; merges.txt in the
    export folder lists every merge and conflict). The files are written whether or not the graph
    conforms; the exit code says which (0 conforms, 1 does not, 2 input errors).

    With --engine dask the mapping runs on a Dask cluster (--scheduler ADDRESS, or a local
    one) and the folder gets only graph-part-*.nt and graph-description.nt, ready for a store's
    bulk loader; Turtle, JSON-LD and validation come from the local engine only. Exit code 0,
    or 2 when records were rejected.

    \b
    Example:
      kg export examples/peer-support-search.txt --out export/
      kg export page1.txt page2.txt --out export/ --base-iri https://data.example.edu/kg/
      kg export big/*.ris --out parts/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kg.export import export as run_export
    from kg.pipeline import ExportOptions
    from kg.progress import Progress

    started = time.monotonic()
    if engine != "dask":
        for name, value in (("--scheduler", scheduler), ("--partitions", partitions)):
            if value is not None:
                raise click.UsageError(f"{name} works with --engine dask only")
    else:
        if shapes is not None:
            raise click.UsageError("--shapes: the dask engine does not validate (--engine local)")
        if scheduler is not None and workers is not None:
            raise click.UsageError(
                "--workers sets the processes of a local cluster; the cluster at --scheduler "
                "has its own workers"
            )
    options = ExportOptions(base_iri, input_format, themes, shapes, workers)
    progress = Progress(sys.stderr if sys.stderr.isatty() and not quiet else None)
    if engine == "dask":
        dask = (scheduler, partitions)
        _export_on_dask(
            list(inputs), out_dir, options, dask, merge_report, progress, quiet, started
        )
    result = run_export(list(inputs), out_dir, options, progress)
    built, outcome = result.built, result.validation
    if merge_report is not None:
        write_text_atomically(merge_report, (out_dir / "merges.txt").read_text(encoding="utf-8"))
    _echo_problems(built.problems, quiet)
    if not quiet:
        counts = built.counts
        click.echo(
            f"{counts.read} records read: {counts.written} written, {counts.rejected} rejected; "
            f"{len(built.graph)} triples written to {out_dir}/",
            err=True,
        )
        _echo_merges(built.merges, f"; see {out_dir / 'merges.txt'}")
        verdict = "conforms" if outcome.conforms else "does not conform"
        click.echo(
            f"validation: {verdict} ({len(outcome.violations)} violations, "
            f"{len(outcome.warnings)} warnings); see {out_dir / 'validation.txt'}",
            err=True,
        )
        _echo_finished(started)
    if built.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CONFORMS if outcome.conforms else EXIT_DOES_NOT_CONFORM)


@main.command(name="validate")
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@shapes_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the SHACL validation report graph here (Turtle).",
)
@reports_errors
def validate_command(
    graphs: tuple[Path, ...], shapes: Path | None, report_file: Path | None
) -> None:
    """Validate GRAPH files (Turtle, N-Triples, JSON-LD ...) against kg's SHACL shapes.

    Prints the results grouped by work, naming the input file and line each work came from.
    Exit code 0: conforms (warnings allowed); 1: does not conform; 2: input or shapes error.

    \b
    Example:
      kg validate export/graph.ttl
      kg validate export/graph.ttl --shapes my-shapes/ --report report.ttl
    """
    from rdflib import Graph

    from kg.atomic import atomic_text_writer
    from kg.graph import ExportGraph
    from kg.graphio import read_triples
    from kg.namespaces import PREFIXES
    from kg.report import render_report
    from kg.validation import SH, load_shapes, report_triples, validate
    from kg.writers.turtle import write_turtle

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


@main.command()
def queries() -> None:
    """List the example SPARQL queries shipped with kg, and what each answers.

    \b
    Example:
      kg queries
      kg query export/graph.ttl --example first-authors
    """
    from kg.sparql import example_queries

    examples = example_queries()
    width = max(len(query.name) for query in examples)
    for query in examples:
        params = "".join(f"  [--param {name}=...]" for name in query.defaults)
        click.echo(f"{query.name:<{width}}  {query.description}{params}")


@main.command()
@click.argument("files", nargs=-1, type=existing_file)
@click.option(
    "--example", "example_name", help="Run the example query of this name (see kg queries)."
)
@click.option("-e", "--expression", "text", help="Run this SPARQL query text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
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
    type=click.Choice(["oxigraph", "rdflib"]),
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
@reports_errors
def query(
    files: tuple[Path, ...],
    example_name: str | None,
    text: str | None,
    fmt: str,
    params: tuple[str, ...],
    engine: str,
    store_dir: Path | None,
) -> None:
    """Run a SPARQL query over GRAPH files: FILES are graphs, plus at most one QUERY.rq.

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
    """
    from kg.sparql import QueryError, example_query, format_results, query_files, run_query

    query_files_given = [f for f in files if f.suffix.lower() == ".rq"]
    graphs = [f for f in files if f.suffix.lower() != ".rq"]
    chosen = len(query_files_given) + (example_name is not None) + (text is not None)
    if chosen != 1:
        raise QueryError("give exactly one query: --example NAME, a QUERY.rq file, or -e TEXT")
    if store_dir is not None and graphs:
        raise QueryError(
            "with --store, give no graph files: fill the store with "
            f"`kg load GRAPH --store {store_dir}`"
        )
    if store_dir is not None and engine != "oxigraph":
        raise QueryError("--store works with the oxigraph engine only")
    if store_dir is None and not graphs:
        raise QueryError("give at least one graph file to query (or --store DIR)")
    values: dict[str, str] = {}
    if example_name is not None:
        example = example_query(example_name)
        text, values = example.text, dict(example.defaults)
    elif query_files_given:
        try:
            text = query_files_given[0].read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise QueryError(f"{query_files_given[0]}: not UTF-8 text") from None
    for param in params:
        name, equals, value = param.partition("=")
        if not equals or not name.isidentifier():
            raise QueryError(f"--param wants NAME=VALUE, not {param!r}")
        values[name] = value
    assert text is not None
    if store_dir is not None:
        from kg.stores import open_filled_store

        answer = format_results(run_query(open_filled_store(store_dir), text, values), fmt)
    else:
        answer = format_results(query_files(graphs, text, values, engine), fmt)
    click.echo(answer, nl=False)


@main.command(name="serve")
@click.argument("graphs", nargs=-1, type=existing_file)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 to listen on (default: a free one).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Serve this persistent store (GRAPH files, if given, are added to it); "
    "default: a temporary store of the GRAPH files, removed at the end.",
)
@reports_errors
def serve_command(graphs: tuple[Path, ...], port: int, store_dir: Path | None) -> None:
    """Serve GRAPH files as a local SPARQL 1.1 endpoint (the Oxigraph server) until Ctrl-C.

    Listens on 127.0.0.1 only. The endpoint takes SPARQL 1.1 Protocol queries at /query;
    its page (/) is a query editor for the browser. Needs the `oxigraph` command
    (pip install oxigraph).

    \b
    Example:
      kg serve export/graph.ttl
      kg serve export/graph.ttl --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=ASK {}' http://127.0.0.1:7878/query
      kg serve --store kg-store
    """
    from kg.serve import Endpoint, serve

    def announce(endpoint: Endpoint) -> None:
        click.echo(f"SPARQL endpoint: {endpoint.query_url}")
        click.echo(f"Query page: {endpoint.page_url} (open it in a browser)")
        click.echo("Press Ctrl-C to stop.")

    serve(list(graphs), port=port, store=store_dir, on_ready=announce)


@main.command()
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@click.option(
    "--to",
    "fmt",
    required=True,
    type=click.Choice(["ris", "bibtex", "csl-json"]),
    help="Citation format to write.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@reports_errors
def convert(graphs: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Write the works of exported GRAPH files as RIS, BibTeX or CSL-JSON.

    For a reference manager (Zotero, EndNote, JabRef, citation.js): the works, their authors,
    dates, journals, books, identifiers, abstracts and keywords go back out. What a format
    cannot say (ORCIDs in RIS, licences in BibTeX ...) is listed in the README.

    \b
    Example:
      kg convert export/graph.ttl --to ris --output works.ris
      kg convert export/graph.jsonld --to csl-json > works.json
    """
    from kg.convert import convert as convert_graph

    text = convert_graph(list(graphs), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomically(output, text)


@main.command()
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@click.option(
    "--endpoint",
    help="The store's Graph Store Protocol endpoint (Oxigraph: http://HOST:7878/store; "
    "Virtuoso: http://HOST:8890/sparql-graph-crud-auth; Fuseki: http://HOST:3030/DATASET/data), "
    "or its SPARQL Update endpoint with --protocol update.",
)
@click.option(
    "--graph",
    "graph_iri",
    help="Named graph to load into, or 'default' for the default graph "
    "(default: the IRI of the dataset the export describes).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Load into this persistent Oxigraph store folder instead (for kg query --store and "
    "kg serve --store).",
)
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option(
    "--protocol",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="SPARQL 1.1 Graph Store Protocol, or SPARQL 1.1 Update for stores without it.",
)
@click.option(
    "--update-endpoint",
    help="SPARQL Update endpoint for the final step of a chunked load "
    "(default: derived from --endpoint for Oxigraph, Virtuoso, Fuseki and GraphDB).",
)
@click.option(
    "--chunk-triples",
    type=click.IntRange(min=1),
    default=5_000,
    show_default=True,
    help="Triples per request; a larger graph is staged and moved into place in one step.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def load(
    graphs: tuple[Path, ...],
    endpoint: str | None,
    graph_iri: str | None,
    store_dir: Path | None,
    append: bool,
    protocol: str,
    update_endpoint: str | None,
    chunk_triples: int,
    quiet: bool,
) -> None:
    """Load GRAPH files into a triple store: the named graph is replaced (or added to).

    Credentials come from KG_STORE_USER and KG_STORE_PASSWORD, KG_STORE_TOKEN (bearer) or
    ~/.netrc, never from the command line; Basic or Digest is used as the store asks.

    \b
    Example:
      kg load output/graph.nt --endpoint http://127.0.0.1:7878/store
      kg load output/graph.nt --store kg-store    # then: kg query --store kg-store ...
      kg load output/graph.ttl --endpoint http://localhost:8890/sparql-graph-crud-auth \\
          --graph https://example.org/kg/dataset
    """
    from kg.http_store import StoreClient, credentials_for
    from kg.load import LoadTarget, dataset_iri
    from kg.load import load as load_graphs

    if (endpoint is None) == (store_dir is None):
        raise KgError("name one store: --endpoint URL, or --store DIR for a local store")
    graph = None if graph_iri == "default" else graph_iri or dataset_iri(graphs)
    if store_dir is not None:
        from kg.stores import fill_store

        count = fill_store(store_dir, list(graphs), graph, replace=not append)
        if not quiet:
            into = f"<{graph}>" if graph else "the default graph"
            click.echo(f"{into} in {store_dir} now holds {count} triples", err=True)
        return
    assert endpoint is not None
    target = LoadTarget(
        endpoint=endpoint,
        graph=graph or "default",
        protocol=protocol,
        update_endpoint=update_endpoint,
        append=append,
        chunk_triples=chunk_triples,
    )
    client = StoreClient(credentials_for(endpoint))
    show = _progress_line() if sys.stderr.isatty() and not quiet else None
    result = load_graphs(list(graphs), target, client, show)
    if show:
        click.echo("", err=True)
    if not quiet:
        into = "the default graph" if target.graph == "default" else f"<{target.graph}>"
        how = "added to" if append else "loaded into"
        click.echo(f"{result.triples} triples {how} {into} ({result.chunks} chunk(s))", err=True)


def _export_on_dask(
    inputs: list[Path],
    out_dir: Path,
    options: ExportOptions,
    cluster: tuple[str | None, int | None],  # --scheduler, --partitions
    merge_report: Path | None,
    progress: Progress,
    quiet: bool,
    started: float,
) -> NoReturn:
    """`kg export --engine dask`: report as the local engine does, less what it does not do."""
    from kg.distributed import DEFAULT_PARTITIONS, DaskOptions, export_partitioned
    from kg.merge_report import render_merge_report

    scheduler, partitions = cluster
    dask = DaskOptions(scheduler, partitions or DEFAULT_PARTITIONS, options.workers)
    result = export_partitioned(inputs, out_dir, options, dask, progress)
    if merge_report is not None:
        write_text_atomically(merge_report, render_merge_report(result.merges, result.minter))
    _echo_problems(result.problems, quiet)
    if not quiet:
        counts = result.counts
        click.echo(
            f"{counts.read} records read: {counts.written} written, {counts.rejected} rejected; "
            f"{result.triples} triples written to {out_dir}/ as {len(result.parts)} "
            f"graph-part-*.nt files and {result.description.name}",
            err=True,
        )
        _echo_merges(result.merges, f"; see {merge_report}" if merge_report is not None else "")
        click.echo("validation: not run by the dask engine (run kg export locally)", err=True)
        _echo_finished(started)
    sys.exit(EXIT_ERROR if result.errors else EXIT_CONFORMS)


def _echo_problems(problems: Sequence[Problem], quiet: bool) -> None:
    """Every problem on stderr; with --quiet, the errors only."""
    for problem in problems:
        if problem.severity is Severity.ERROR or not quiet:
            click.echo(str(problem), err=True)


def _echo_merges(merges: MergeReport, see: str) -> None:
    if merges.merged or merges.refused:
        click.echo(
            f"merged: {len(merges.merged)} works from "
            f"{sum(len(w.members) for w in merges.merged)} records, "
            f"{len(merges.conflicts)} conflicts, {len(merges.refused)} merges refused{see}",
            err=True,
        )


def _echo_finished(started: float) -> None:
    elapsed = time.monotonic() - started
    click.echo(f"finished in {elapsed:.1f} s; peak memory {_peak_memory_mb():,.0f} MB", err=True)


def _peak_memory_mb() -> float:
    """The peak resident memory of kg and of the validation workers it waited for."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024  # Linux reports kilobytes


def _progress_line() -> Callable[[int], None]:
    """A progress line on stderr: triples sent and the rate so far (the files are streamed, so
    the total is not known until the end)."""
    started = time.monotonic()

    def show(sent: int) -> None:
        rate = sent / max(time.monotonic() - started, 1e-6)
        click.echo(f"\rsent {sent:,} triples ({rate:,.0f} triples/s)", err=True, nl=False)

    return show


if __name__ == "__main__":
    main()
