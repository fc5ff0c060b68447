"""The dataset's description of itself: VoID/DCAT counts, its inputs and the PROV-O activity."""

from __future__ import annotations

import datetime
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from kg.core import stdin
from kg.core.namespaces import BIBO, DCAT, DCTERMS, FOAF, KG, PROV, RDF, SCHEMA, SKOS, VOID, XSD
from kg.core.rdf import Object, Triple
from kg.core.version import __version__
from kg.errors import KgError
from kg.resolve.mint import Minter

VOCABULARIES = (SCHEMA._NS, BIBO._NS, DCTERMS._NS, FOAF._NS, SKOS._NS, PROV._NS)


@dataclass(frozen=True)
class InputFile:
    """One input as the export saw it."""

    path: Path
    label: str  # the name written into the graph: the file name, never a local path
    sha256: str
    format: str

    @classmethod
    def describe(cls, path: Path, fmt: str) -> InputFile:
        """``path`` as the dataset description names it: its file name (``stdin`` for ``-``)."""
        digest = _sha256(path)
        name = stdin.PROVENANCE_NAME if stdin.is_stdin(path) else path.name
        return cls(path=path, label=name, sha256=digest, format=fmt)


def _sha256(path: Path) -> str:
    """The file's checksum, read a megabyte at a time (an input can be gigabytes)."""
    if stdin.is_stdin(path):
        return hashlib.sha256(stdin.read_bytes(path)).hexdigest()
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


@dataclass(frozen=True)
class RecordCounts:
    read: int
    written: int
    rejected: int


def export_time() -> datetime.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that output can be byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    except (ValueError, OverflowError, OSError):
        message = f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}"
        raise KgError(message) from None


def input_file_triples(minter: Minter, source: InputFile) -> Iterator[Triple]:
    node = minter.input_file(source.sha256, source.label)
    yield node, RDF.type, KG.InputFile
    yield node, RDF.type, PROV.Entity
    yield node, DCTERMS.title, Literal(source.label)
    yield node, KG.sha256, Literal(source.sha256)
    yield node, KG.inputFormat, Literal(source.format)


def dataset_description(
    minter: Minter,
    data: Iterable[Triple],
    data_size: int,
    inputs: list[InputFile],
    counts: RecordCounts,
    when: datetime.datetime,
) -> list[Triple]:
    """Describe a graph of ``data_size`` triples; the result counts itself in void:triples."""
    classes = Counter(value for _, predicate, value in data if predicate == RDF.type)
    described = _description(minter, classes, inputs, counts, when, total=0)
    return _description(minter, classes, inputs, counts, when, total=data_size + len(described))


def _description(
    minter: Minter,
    classes: Counter[Object],
    inputs: list[InputFile],
    counts: RecordCounts,
    when: datetime.datetime,
    total: int,
) -> list[Triple]:
    dataset, activity, software = (
        minter.dataset(),
        minter.export_activity(),
        minter.software(__version__),
    )
    # normalize=False: rdflib would rewrite the "Z" of the lexical form as "+00:00".
    timestamp = Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime, normalize=False)
    out: list[Triple] = [
        (dataset, RDF.type, VOID.Dataset),
        (dataset, RDF.type, DCAT.Dataset),
        (dataset, RDF.type, PROV.Entity),
        (dataset, DCTERMS.title, Literal(_title(inputs))),
        (dataset, DCTERMS.created, timestamp),
        (dataset, VOID.triples, Literal(total, datatype=XSD.integer)),
        (dataset, PROV.wasGeneratedBy, activity),
        (activity, RDF.type, PROV.Activity),
        (activity, PROV.startedAtTime, timestamp),
        (activity, PROV.endedAtTime, timestamp),
        (activity, PROV.wasAssociatedWith, software),
        (activity, KG.recordsRead, _count(counts.read)),
        (activity, KG.recordsWritten, _count(counts.written)),
        (activity, KG.recordsRejected, _count(counts.rejected)),
        (software, RDF.type, PROV.SoftwareAgent),
        (software, RDF.type, SCHEMA.SoftwareApplication),
        (software, SCHEMA.name, Literal("kg")),
        (software, SCHEMA.softwareVersion, Literal(__version__)),
    ]
    out += [(dataset, VOID.vocabulary, URIRef(str(namespace))) for namespace in VOCABULARIES]
    for source in inputs:
        node = minter.input_file(source.sha256, source.label)
        out += [(dataset, DCTERMS.source, node), (activity, PROV.used, node)]
    for cls, entities in sorted(classes.items(), key=lambda item: str(item[0])):
        partition = minter.class_partition(str(cls))
        out += [
            (dataset, VOID.classPartition, partition),
            (partition, RDF.type, VOID.Dataset),
            (partition, VOID["class"], URIRef(str(cls))),
            (partition, VOID.entities, Literal(entities, datatype=XSD.integer)),
        ]
    return out


def _count(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)


def _title(inputs: list[InputFile]) -> str:
    names = ", ".join(sorted({source.label for source in inputs}))
    return f"Bibliographic knowledge graph from {names}"
