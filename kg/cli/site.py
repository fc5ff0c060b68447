"""`kg site`: the graph as a static linked-data site, one page per resource."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._shared import existing_file
from kg.resolve.mint import DEFAULT_BASE_IRI


@click.command()
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site into: a new or empty one, or a site kg wrote (replaced).",
)
@click.option(
    "--base-iri",
    default=DEFAULT_BASE_IRI,
    show_default=True,
    help="The base IRI the export used: each page's path is its IRI after it.",
)
def site(graphs: tuple[Path, ...], out_dir: Path, base_iri: str) -> None:
    """Write exported GRAPH files as a static linked-data site.

    One HTML page per work, person, journal, book and theme at the path its IRI has under
    --base-iri (<base>person/julie-repper is person/julie-repper.html), with its facts, links
    to its neighbours and its description embedded as JSON-LD, beside the same description
    as .ttl and .jsonld; index pages of each kind; the report as the home page (index.html).
    Put the folder on any static host; docs/report-and-site.md shows how a web server serves
    the IRIs themselves from it.

    \b
    Example:
      kg site export/graph.nt --out site/ --base-iri https://example.org/kg/
    """
    from kg.query.sparql import open_store
    from kg.site import write_site

    summary = write_site(open_store(graphs), out_dir, base_iri)
    pages = ", ".join(f"{n:,} {kind}" for kind, n in summary.pages.items())
    click.echo(f"{out_dir}: {summary.files:,} files, {summary.bytes:,} bytes ({pages})", err=True)
