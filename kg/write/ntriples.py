"""N-Triples: one triple a line, sorted, for streaming and bulk loaders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from kg.core.rdf import Triple
from kg.write.terms import nt_term


def write_ntriples(triples: Iterable[Triple], stream: TextIO) -> None:
    """Write ``triples`` in the order given (the graph passes them sorted)."""
    for subject, predicate, value in triples:
        stream.write(f"{nt_term(subject)} <{predicate}> {nt_term(value)} .\n")
