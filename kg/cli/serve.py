"""`kg serve`: graphs or a store as a local SPARQL endpoint."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli._shared import check_verbosity, existing_file, run_started, verbosity_options


@click.command()
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
    help="Serve this persistent store (GRAPH files, if given, replace its default graph); "
    "default: a temporary store of the GRAPH files, removed at the end.",
)
@verbosity_options(
    quiet_help="Print the endpoint's URL only (one line on stdout, for scripts).",
    verbose_help="Also print on stderr what is served and how long the server took to start.",
)
def serve(
    graphs: tuple[Path, ...], port: int, store_dir: Path | None, quiet: bool, verbose: bool
) -> None:
    """Serve GRAPH files as a local SPARQL 1.1 endpoint (the Oxigraph server) until Ctrl-C.

    Listens on 127.0.0.1 only, and refuses federated queries (SERVICE) and requests whose Host
    header is not 127.0.0.1, localhost or [::1] (DNS rebinding). The endpoint takes SPARQL 1.1
    Protocol queries at /query; its page (/) is a query editor for the browser. Queries may use
    kg's prefixes (schema:, bibo:, dcterms:, …) without declaring them, as with kg query: the
    endpoint declares those a query uses and does not declare itself. Needs the
    `oxigraph` command (pip install oxigraph).

    \b
    Example:
      kg serve export/graph.ttl
      kg serve export/graph.ttl --port 7878
      curl -H 'Accept: text/csv' --data-urlencode 'query=ASK {}' http://127.0.0.1:7878/query
      kg serve --store kg-store
    """
    from kg.core.namespaces import PREFIXES
    from kg.stores.serve import Endpoint
    from kg.stores.serve import serve as serve_graphs

    started = run_started()
    check_verbosity(quiet, verbose)
    if verbose:
        what = f"{len(graphs)} graph file(s)" if graphs else "the store"
        where = f" in {store_dir}" if store_dir is not None else " in a temporary store"
        click.echo(f"serving {what}{where}, read-only", err=True)

    def announce(endpoint: Endpoint) -> None:
        if quiet:
            click.echo(endpoint.query_url)
            return
        click.echo(f"SPARQL endpoint: {endpoint.query_url}")
        click.echo(f"Query page: {endpoint.page_url} (open it in a browser)")
        click.echo(
            f"kg's prefixes ({', '.join(f'{name}:' for name in PREFIXES)}) are declared for "
            "every query; example queries to paste: queries/*.rq in an export folder (kg queries)."
        )
        click.echo("Press Ctrl-C to stop.")
        if verbose:
            click.echo(f"ready in {time.monotonic() - started:.1f} s", err=True)

    serve_graphs(list(graphs), port=port, store=store_dir, on_ready=announce)
