"""N-Triples: one triple a line, sorted, for streaming and bulk loaders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from kg.core.progress import Progress
from kg.core.rdf import Triple
from kg.write.terms import nt_term

_BATCH = 10_000  # triples written between two progress updates


def write_ntriples(
    triples: Iterable[Triple], stream: TextIO, progress: Progress | None = None
) -> None:
    """Write ``triples`` in the order given (the graph passes them sorted); ``progress``
    advances by the triples written."""
    written = 0
    for subject, predicate, value in triples:
        stream.write(f"{nt_term(subject)} <{predicate}> {nt_term(value)} .\n")
        written += 1
        if written == _BATCH and progress is not None:
            progress.advance(written)
            written = 0
    if progress is not None:
        progress.advance(written)
