"""`kg convert`: the works of exported graphs back out as RIS, BibTeX or CSL-JSON."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cite import FORMATS as CITATION_FORMATS
from kg.cli._shared import (
    check_verbosity,
    echo_finished,
    input_file,
    make_progress,
    run_started,
    verbosity_options,
)
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
@verbosity_options(
    quiet_help="Print nothing on stderr but errors (default: how many works were written).",
    verbose_help="Also print on stderr each stage as it ends, the time taken and kg's peak memory.",
)
def convert(
    graphs: tuple[Path, ...], fmt: str, output: Path | None, quiet: bool, verbose: bool
) -> None:
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
    from kg.cite import convert_counted
    from kg.core import stdin

    started = run_started()
    check_verbosity(quiet, verbose)
    stdin.check_once(graphs)
    progress = make_progress(quiet, verbose)
    text, works = convert_counted(list(graphs), fmt, progress)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomically(output, text)
    if not quiet:
        to = "standard output" if output is None else str(output)
        click.echo(f"{works} work{'s' if works != 1 else ''} written as {fmt} to {to}", err=True)
    if verbose:
        echo_finished(started)
