"""Going back out: an exported graph as citation data for Zotero and other reference managers.

``convert(graph_paths, fmt)`` reads graph files strictly (Turtle, N-Triples, JSON-LD ... by
:mod:`kg.core.graphio`, as ``kg validate`` and ``kg query`` do), reads the works out of them
(:mod:`kg.cite.works`) and writes them as RIS, BibTeX or CSL-JSON. The same graph gives the
same text, whichever of kg's graph files it is read from. What each format writes, and what it
cannot say, is in the module of its writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.cite.bibtex import write_bibtex
from kg.cite.csl_json import write_csl_json
from kg.cite.ris import write_ris
from kg.cite.works import CitedWork, read_works
from kg.core.progress import Progress
from kg.errors import KgError

FORMATS = ("ris", "bibtex", "csl-json")
WRITERS: dict[str, Callable[[Sequence[CitedWork]], str]] = {
    "ris": write_ris,
    "bibtex": write_bibtex,
    "csl-json": write_csl_json,
}
# The file name ending each format is usually saved under.
SUFFIXES = {"ris": ".ris", "bibtex": ".bib", "csl-json": ".json"}


def convert(graph_paths: Sequence[Path], fmt: str) -> str:
    """The works of the graph files as one text in citation format ``fmt`` (one of FORMATS).

    Raises KgError for an unknown format, no graph files, a graph that cannot be read, or a
    graph with no works in it.
    """
    return convert_counted(graph_paths, fmt)[0]


def convert_counted(
    graph_paths: Sequence[Path], fmt: str, progress: Progress | None = None
) -> tuple[str, int]:
    """As :func:`convert`, with the number of works written; ``progress`` shows the stages."""
    progress = progress or Progress(None)
    writer = WRITERS.get(fmt)
    if writer is None:
        raise KgError(f"unknown citation format {fmt!r} (known: {', '.join(FORMATS)})")
    if not graph_paths:
        raise KgError("give at least one graph file to convert")
    progress.stage("reading works")
    works = read_works(graph_paths)
    progress.advance(len(works))
    if not works:
        named = ", ".join(str(path) for path in graph_paths)
        raise KgError(
            f"{named}: no works in the graph (nothing with kg:contentType or a work class "
            "such as schema:ScholarlyArticle); is this a graph kg exported?"
        )
    progress.stage(f"writing {fmt}", total=len(works))
    text = writer(works)
    progress.advance(len(works))
    progress.done()
    return text, len(works)


__all__ = ["FORMATS", "SUFFIXES", "CitedWork", "convert", "convert_counted", "read_works"]
