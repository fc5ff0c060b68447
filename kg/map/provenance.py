"""The dataset's description of itself: VoID/DCAT counts, its inputs and the PROV-O activity, and
the catalogue record (dataset.ttl) that adds the files it is published as.

Every export is its own dataset, ``dataset/<name>`` (``--dataset NAME``, else a name derived from
the inputs), so two exports loaded into one store keep their counts, titles and sources apart.

The graph files carry the description that does not depend on them: title, description, licence,
publisher, URI space, vocabularies, SPARQL endpoint, counts, inputs and provenance. The files
themselves (``dcat:distribution`` with media type and byte size, ``void:dataDump``) are described
in dataset.ttl only, written after them: a file cannot state its own size without changing it,
and the graph stays the same whichever files an export writes (``--formats``, the Dask engine's
parts).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from kg.core import stdin
from kg.core.namespaces import DCAT, DCTERMS, FOAF, KG, PREFIXES, PROV, RDF, SCHEMA, VOID, XSD
from kg.core.rdf import Object, Triple
from kg.core.version import __version__
from kg.errors import KgError, UsageError
from kg.resolve.mint import Minter, check_iri, short_hash
from kg.resolve.slugs import slug

# The media types of the graph files (IANA's registry, as DCAT-AP names them).
MEDIA_TYPES = {
    "graph.ttl": "text/turtle",
    "graph.jsonld": "application/ld+json",
    "graph.nt": "application/n-triples",
}
_IANA = "http://www.iana.org/assignments/media-types/"
_DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")


@dataclass(frozen=True)
class Catalogue:
    """What the user says of the dataset for a data catalogue; nothing is claimed unsaid."""

    name: str | None = None  # the dataset's name; None: derived from the inputs
    license: str | None = None  # an IRI; no licence is claimed without one
    publisher: str | None = None  # a name: the publisher and creator
    sparql_endpoint: str | None = None  # where the graph is served, when known
    download_url: str | None = None  # where the export folder's files are published

    def __post_init__(self) -> None:
        if self.name is not None and not _DATASET_NAME.match(self.name):
            raise UsageError(
                f"a dataset name is letters, digits, '.', '_' and '-' (at most 100), starting "
                f"with a letter or digit: {self.name!r}"
            )
        for what, iri in (("licence", self.license), ("SPARQL endpoint", self.sparql_endpoint),
                          ("download URL", self.download_url)):  # fmt: skip
            if iri is not None and not iri.startswith(("http://", "https://")):
                raise UsageError(f"the {what} must be an http(s) IRI: {iri!r}")
            if iri is not None:
                check_iri(iri)
        if self.download_url is not None and not self.download_url.endswith("/"):
            raise UsageError(
                f"the download URL is a folder's and ends with '/': {self.download_url!r}"
            )
        if self.publisher is not None and not self.publisher.strip():
            raise UsageError("the publisher's name is empty")


def dataset_name(inputs: Sequence[InputFile]) -> str:
    """The default name: the first input's, and a hash of every input's name and bytes, so
    that other inputs make another dataset and the same inputs the same one.

    >>> dataset_name([InputFile(Path("a/Peer Support.ris"), "Peer Support.ris", "0" * 64, "ris")])
    'peer-support-ris-bf1c6f7e'
    """
    first = slug(inputs[0].label)[:60].strip("-") if inputs else ""
    digest = short_hash(*(f"{source.label}\x1f{source.sha256}" for source in inputs), length=8)
    return f"{first or 'dataset'}-{digest}"


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


@dataclass(frozen=True)
class _Described:
    """What a description says besides its counts."""

    classes: Counter[Object]
    vocabularies: frozenset[str]
    inputs: list[InputFile]
    counts: RecordCounts
    when: datetime.datetime
    catalogue: Catalogue


def namespace(iri: str) -> str:
    """The vocabulary a term is from: one of kg's prefixes, else the IRI up to its last
    ``#`` or ``/``.

    >>> namespace("http://schema.org/name"), namespace("https://x.org/v/terms#a")
    ('http://schema.org/', 'https://x.org/v/terms#')
    """
    for known in PREFIXES.values():
        if iri.startswith(known) and iri != known:
            return known
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def dataset_description(
    minter: Minter,
    data: Iterable[Triple],
    data_size: int,
    inputs: list[InputFile],
    counts: RecordCounts,
    when: datetime.datetime,
    catalogue: Catalogue | None = None,
    predicates: Iterable[str] = (),
) -> list[Triple]:
    """Describe a graph of ``data_size`` triples; the result counts itself in void:triples.

    ``data`` needs only its rdf:type triples (the classes are counted); ``predicates`` are the
    data's predicates, whose vocabularies (with the classes') the description lists.
    """
    classes: Counter[Object] = Counter()
    terms = {namespace(str(predicate)) for predicate in predicates}
    for _, predicate, value in data:
        if predicate == RDF.type:
            classes[value] += 1
            terms.add(namespace(str(value)))
    described = _Described(
        classes, frozenset(terms), inputs, counts, when, catalogue or Catalogue()
    )
    first = _description(minter, described, total=0)
    return _description(minter, described, total=data_size + len(first))


def catalogue_record(
    minter: Minter, description: list[Triple], files: dict[str, int], catalogue: Catalogue
) -> list[Triple]:
    """dataset.ttl: the description, and each graph file as a dcat:Distribution with its
    media type and size in bytes (``files``: name -> size) and a void:dataDump."""
    dataset = minter.dataset()
    folder = catalogue.download_url or f"{dataset}/"
    out = list(description)
    for name, size in sorted(files.items()):
        distribution = URIRef(check_iri(f"{dataset}/distribution/{name}"))
        url = URIRef(check_iri(folder + name))
        out += [
            (dataset, DCAT.distribution, distribution),
            (dataset, VOID.dataDump, url),
            (distribution, RDF.type, DCAT.Distribution),
            (distribution, DCTERMS.title, Literal(name)),
            (distribution, DCAT.mediaType, URIRef(_IANA + MEDIA_TYPES[name])),
            (distribution, DCAT.accessURL, url),
            (distribution, DCAT.downloadURL, url),
            (distribution, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)),
        ]
        if catalogue.license:
            out.append((distribution, DCTERMS.license, URIRef(catalogue.license)))
    return out


def _description(minter: Minter, described: _Described, total: int) -> list[Triple]:
    inputs, counts, when = described.inputs, described.counts, described.when
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
        (dataset, DCTERMS.description, Literal(_summary(inputs, counts))),
        (dataset, VOID.uriSpace, Literal(minter.base)),
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
    catalogue = described.catalogue
    if catalogue.license:
        license_ = URIRef(catalogue.license)
        out += [(dataset, DCTERMS.license, license_), (license_, RDF.type, DCTERMS.LicenseDocument)]
    if catalogue.publisher:
        agent = minter.organization(catalogue.publisher)
        out += [
            (dataset, DCTERMS.publisher, agent),
            (dataset, DCTERMS.creator, agent),
            (agent, RDF.type, FOAF.Agent),
            (agent, FOAF.name, Literal(catalogue.publisher.strip())),
        ]
    if catalogue.sparql_endpoint:
        out.append((dataset, VOID.sparqlEndpoint, URIRef(catalogue.sparql_endpoint)))
    for source in inputs:
        node = minter.input_file(source.sha256, source.label)
        out += [(dataset, DCTERMS.source, node), (activity, PROV.used, node)]
    for cls, entities in sorted(described.classes.items(), key=lambda item: str(item[0])):
        partition = minter.class_partition(str(cls))
        out += [
            (dataset, VOID.classPartition, partition),
            (partition, RDF.type, VOID.Dataset),
            (partition, VOID["class"], URIRef(str(cls))),
            (partition, VOID.entities, Literal(entities, datatype=XSD.integer)),
        ]
    # Every vocabulary of the data's terms and of this description's own.
    own = {namespace(str(p)) for _, p, _ in out} | {namespace(str(o)) for _, p, o in out
                                                     if p == RDF.type}  # fmt: skip
    for vocabulary in sorted(described.vocabularies | own):
        out.append((dataset, VOID.vocabulary, URIRef(vocabulary)))
    return out


def _count(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)


def _summary(inputs: list[InputFile], counts: RecordCounts) -> str:
    files = f"{len(inputs)} input file{'s' if len(inputs) != 1 else ''}"
    return (
        f"{counts.written} bibliographic records from {files}, mapped to schema.org and BIBO by "
        f"kg {__version__}: works, their authors, journals, books and themes, with where each "
        "record came from."
    )


def _title(inputs: list[InputFile]) -> str:
    names = ", ".join(sorted({source.label for source in inputs}))
    return f"Bibliographic knowledge graph from {names}"
