"""`kg load`: graph files into a triple store over HTTP, or into a persistent local store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli._shared import (
    check_verbosity,
    echo_finished,
    existing_file,
    progress_line,
    run_started,
    verbosity_options,
)
from kg.errors import UsageError
from kg.stores.load import PROTOCOLS, LoadTarget


@click.command()
@click.argument("graphs", nargs=-1, type=existing_file)
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
    type=click.Choice(PROTOCOLS),
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
    "--query-endpoint",
    help="SPARQL query endpoint, for the checks before and after a staged load (default: "
    "derived from the update endpoint for Oxigraph, Virtuoso, Fuseki and GraphDB).",
)
@click.option(
    "--clean-staging",
    is_flag=True,
    help="Instead of loading: remove the staging graphs (urn:kg:staging:...) that killed "
    "loads left in the store. Run it when no load is running.",
)
@click.option(
    "--chunk-triples",
    type=click.IntRange(min=1),
    default=5_000,
    show_default=True,
    help="Triples per request; a larger graph is staged and moved into place in one step.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120,
    show_default=True,
    help="Seconds each request to the store may take, from connecting to the last byte of "
    "its answer (a failed load's cleanup takes at most 10 more).",
)
@verbosity_options(
    verbose_help="Also print the time the load took and kg's peak memory on stderr.",
)
def load(
    graphs: tuple[Path, ...],
    endpoint: str | None,
    graph_iri: str | None,
    store_dir: Path | None,
    append: bool,
    protocol: str,
    update_endpoint: str | None,
    query_endpoint: str | None,
    clean_staging: bool,
    chunk_triples: int,
    timeout: float,
    quiet: bool,
    verbose: bool,
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
    from kg.stores.load import dataset_iri

    started = run_started()
    check_verbosity(quiet, verbose)
    if (endpoint is None) == (store_dir is None):
        raise UsageError("name one store: --endpoint URL, or --store DIR for a local store")
    if clean_staging:
        if graphs:
            raise click.UsageError("--clean-staging removes staging graphs: give no graph files")
        target = LoadTarget(
            endpoint or "", "default", protocol, update_endpoint, query_endpoint=query_endpoint
        )
        _clean_staging(store_dir, target, timeout, quiet)
        return
    if not graphs:
        raise click.UsageError("Missing argument 'GRAPHS...'.")
    graph = None if graph_iri == "default" else graph_iri or dataset_iri(graphs)
    if store_dir is not None:
        _fill_local_store(store_dir, list(graphs), graph, append, quiet)
    else:
        assert endpoint is not None
        target = LoadTarget(
            endpoint=endpoint,
            graph=graph or "default",
            protocol=protocol,
            update_endpoint=update_endpoint,
            append=append,
            chunk_triples=chunk_triples,
            query_endpoint=query_endpoint,
        )
        _send_to_endpoint(list(graphs), target, timeout, quiet)
    if verbose:
        echo_finished(started)


def _fill_local_store(
    store_dir: Path, graphs: list[Path], graph: str | None, append: bool, quiet: bool
) -> None:
    from kg.stores.local import fill_store

    count = fill_store(store_dir, graphs, graph, replace=not append)
    if not quiet:
        into = f"<{graph}>" if graph else "the default graph"
        click.echo(f"{into} in {store_dir} now holds {count} triples", err=True)


def _send_to_endpoint(graphs: list[Path], target: LoadTarget, timeout: float, quiet: bool) -> None:
    from kg.stores.http import StoreClient, credentials_for
    from kg.stores.load import load as load_graphs

    client = StoreClient(credentials_for(target.endpoint), timeout=timeout)
    show = progress_line() if sys.stderr.isatty() and not quiet else None
    result = load_graphs(graphs, target, client, show)
    if show:
        click.echo("", err=True)
    if not quiet:
        into = "the default graph" if target.graph == "default" else f"<{target.graph}>"
        how = "added to" if target.append else "loaded into"
        click.echo(f"{result.triples} triples {how} {into} ({result.chunks} chunk(s))", err=True)


def _clean_staging(store_dir: Path | None, target: LoadTarget, timeout: float, quiet: bool) -> None:
    from kg.stores.http import StoreClient, credentials_for, shown_url
    from kg.stores.load import clean_staging, query_endpoint_beside, update_endpoint_beside
    from kg.stores.local import clean_store

    if store_dir is not None:
        removed = clean_store(store_dir)
        where = str(store_dir)
    else:
        client = StoreClient(credentials_for(target.endpoint), timeout=timeout)
        update_url = target.update_endpoint or update_endpoint_beside(target)
        assert update_url is not None
        query_url = target.query_endpoint or query_endpoint_beside(update_url)
        removed = clean_staging(client, query_url, update_url)
        where = shown_url(target.endpoint)
    if not quiet:
        click.echo(f"removed {len(removed)} staging graph(s) from {where}", err=True)
