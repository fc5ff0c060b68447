"""`kg report`: report.html, the page a person looks at, for graphs kg wrote."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._shared import existing_file


@click.command()
@click.argument("graphs", nargs=-1, required=True, type=existing_file)
@click.option(
    "--out",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (one self-contained page: it opens from disk, with no network).",
)
def report(graphs: tuple[Path, ...], output: Path) -> None:
    """Write a self-contained HTML report of exported GRAPH files.

    The page kg export writes as report.html: the summary (inputs, records, works by kind,
    triples), works per year, journals and books, themes and source keywords, the co-author
    network, the most downloaded works, validation results by work with the input file and
    line, the merged works and the answers of the example queries; every chart beside its
    numbers as a table. Give the export's validation.ttl too to show its validation results.
    The conflicts between merged records are in an export's own report.html (and merges.txt).

    \b
    Example:
      kg report export/graph.nt export/validation.ttl --out report.html
    """
    from kg.query.sparql import open_store
    from kg.report import write_report

    write_report(open_store(graphs), None, output)
