"""`kg convert`: the works of exported graphs back out as RIS, BibTeX or CSL-JSON."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cite import FORMATS as CITATION_FORMATS
from kg.cli._shared import input_file
from kg.core.atomic import write_text_atomically


@click.command()
@click.argument("graphs", nargs=-1, required=True, type=input_file)
@click.option(
    "--to",
    "fmt",
    required=True,
    type=click.Choice(CITATION_FORMATS),
    help="Citation format to write.",
)
@click.option(
    "--out",
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output); --output is the same option.",
)
def convert(graphs: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Write the works of exported GRAPH files as RIS, BibTeX or CSL-JSON.

    For a reference manager (Zotero, EndNote, JabRef, citation.js): the works, their authors,
    dates, journals, books, identifiers, abstracts and keywords go back out. What a format
    cannot say (ORCIDs in RIS, licences in BibTeX ...) is listed in docs/export-and-convert.md.
    A GRAPH of - is standard input (its syntax told by its content: JSON-LD, RDF/XML, else
    Turtle, N-Triples or TriG).

    \b
    Example:
      kg convert export/graph.ttl --to ris --out works.ris
      kg convert export/graph.jsonld --to csl-json > works.json
      cat export/graph.nt | kg convert - --to bibtex -o works.bib
    """
    from kg.cite import convert as convert_graph
    from kg.core import stdin

    stdin.check_once(graphs)
    text = convert_graph(list(graphs), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomically(output, text)
