"""Read -> map -> graph: the inputs of one export turned into one graph.

Several inputs make one graph: records of one work merge into one (kg.resolve.merge), journals,
books and persons resolve across records (kg.resolve.identity), and the minter turns what they
decided into IRIs.
Every record is either written (alone or merged into a work) or reported as rejected.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import URIRef

from kg.core.namespaces import OWL
from kg.core.problems import Problem, Severity
from kg.core.progress import Progress
from kg.core.rdf import Triple
from kg.core.records import Venue
from kg.core.resources import vocab_file
from kg.map.checks import identifier_warnings, unmapped_warnings
from kg.map.graph import ExportGraph
from kg.map.provenance import (
    Catalogue,
    InputFile,
    RecordCounts,
    dataset_description,
    dataset_name,
    export_time,
    input_file_triples,
)
from kg.map.record import MappingContext, map_record, provenance_triples
from kg.map.themes import KeywordThemes, ThemeVocabulary
from kg.read import open_input
from kg.resolve.duplicates import possible_duplicates
from kg.resolve.identity import Identities, Resolution, resolve
from kg.resolve.merge import MergedWork, RefusedMerge, SourcedRecord, group_works
from kg.resolve.merge_report import MergeReport, merge_problems
from kg.resolve.mint import DEFAULT_BASE_IRI, Minter, export_minter
from kg.resolve.register import Published, export_entities, publish


@dataclass(frozen=True)
class ExportOptions:
    base_iri: str = DEFAULT_BASE_IRI
    input_format: str | None = None  # None: detect by content
    themes: Path | None = None  # None: kg's default theme vocabulary
    shapes: Path | None = None  # None: kg's shipped shapes
    workers: int | None = None  # validation processes; None: one per core
    encoding: str | None = None  # of every input; None: UTF-8
    register: Path | None = None  # the identifier register (SQLite); None: IRIs as minted
    catalogue: Catalogue = field(default_factory=Catalogue)  # the dataset's name, licence, …


@dataclass(frozen=True)
class BuiltGraph:
    graph: ExportGraph
    minter: Minter
    problems: list[Problem]
    counts: RecordCounts
    merges: MergeReport

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


@dataclass
class Reading:
    """Every input read: the records in command-line order, the problems, the counts."""

    records: list[SourcedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: list[InputFile] = field(default_factory=list)
    read: int = 0
    rejected: int = 0

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.severity is Severity.ERROR and problem.record is not None:
            self.read += 1  # a record, rejected (not a stray line between records)
            self.rejected += 1


def read_inputs(
    inputs: Sequence[Path],
    options: ExportOptions,
    minter: Minter,
    progress: Progress,
    keep: Callable[[SourcedRecord], None] | None = None,
) -> Reading:
    """Every input read, in order; each record is handed to ``keep`` (default: kept in the
    reading's list of records)."""
    reading = Reading()
    keep = keep or reading.records.append
    progress.stage("reading records")
    for path in inputs:
        reader, items = open_input(path, options.input_format, options.encoding)
        source = InputFile.describe(path, reader.name)
        reading.sources.append(source)
        input_file = minter.input_file(source.sha256, source.label)
        for item in items:
            if isinstance(item, Problem):
                reading.report(item)
            else:
                reading.read += 1
                keep(SourcedRecord(item, input_file))
                progress.advance()
    return reading


@dataclass
class PreparedWorks:
    """Everything decided before mapping: who is who, which records are one work."""

    reading: Reading
    works: list[MergedWork]
    refused: list[RefusedMerge]
    resolutions: list[Resolution]
    minter: Minter
    themes: ThemeVocabulary
    published: Published | None = None  # what the identifier register decided


@dataclass
class MappedWorks:
    """The triples of some works, and what the dataset's description and themes need of them."""

    triples: set[Triple] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    vocabulary_concepts: set[URIRef] = field(default_factory=set)
    keywords: list[tuple[URIRef, str]] = field(default_factory=list)  # in mapping order


def prepare_works(
    inputs: Sequence[Path], options: ExportOptions, progress: Progress | None = None
) -> PreparedWorks:
    """Read every input, resolve who is who across all of them, and group records into works."""
    progress = progress or Progress(None)
    reading = read_inputs(inputs, options, Minter(options.base_iri), progress)
    progress.stage("resolving who is who, and which records are one work")
    identities, resolutions = resolve(item.record for item in reading.records)
    resolutions += possible_duplicates([item.record for item in reading.records], identities)
    works, refused = group_works(
        reading.records, lambda record: journal_by_issn(identities, record.venue)
    )
    minter = export_minter((work.record for work in works), options.base_iri, identities)
    published = name_and_publish(minter, works, reading.sources, options, progress)
    themes = ThemeVocabulary.load(options.themes or vocab_file("themes.ttl"), minter)
    return PreparedWorks(reading, works, refused, resolutions, minter, themes, published)


def name_and_publish(
    minter: Minter,
    works: Iterable[MergedWork],
    sources: Sequence[InputFile],
    options: ExportOptions,
    progress: Progress,
) -> Published | None:
    """Name the export's dataset, and, with an identifier register, keep the IRIs it published
    (``works`` in input order, read only then); what the register decided."""
    minter.dataset_name = options.catalogue.name or dataset_name(sources)
    if options.register is None:
        return None
    progress.stage("keeping published IRIs (identifier register)")
    entities = export_entities(works, minter.identities, minter)
    published = publish(options.register, minter.base, entities)
    minter.published.update(published.paths)
    return published


def journal_by_issn(identities: Identities, venue: Venue | None) -> str | None:
    """The journal a venue is, when known for sure (by ISSN): records in two journals are not
    one work, however alike (kg.resolve.merge)."""
    if venue is None or venue.is_book:
        return None
    key = identities.journal(venue)
    return key if key and key.startswith("issn-") else None


def map_works(
    works: Iterable[MergedWork], context: MappingContext, progress: Progress | None = None
) -> MappedWorks:
    """Map each work once, with the provenance of every record merged into it.

    Pure given ``context``: this is the part that runs unchanged on other engines' workers.
    """
    mapped = MappedWorks()
    for work in works:
        if progress is not None:
            progress.advance()
        mapped.problems.extend(merge_problems(work))
        for member in work.members:
            mapped.problems.extend(identifier_warnings(member.record))
        mapped.problems.extend(unmapped_warnings(work.record))
        record = map_record(work.record, context)
        mapped.triples.update(record.triples)
        for member in work.members:
            mapped.triples.update(provenance_triples(record.work, member, context.minter))
        mapped.vocabulary_concepts.update(record.vocabulary_concepts)
        mapped.keywords.extend(record.keyword_concepts)
    return mapped


class Described(Protocol):
    """What the dataset's description needs of an export's preparation."""

    reading: Reading
    minter: Minter
    themes: ThemeVocabulary
    published: Published | None


def dataset_triples(prepared: Described, parts: Iterable[MappedWorks]) -> set[Triple]:
    """What the works' triples leave out: the inputs, the themes linked, and their schemes."""
    minter = prepared.minter
    triples: set[Triple] = set()
    for source in prepared.reading.sources:
        triples.update(input_file_triples(minter, source))
    vocabulary_concepts: set[URIRef] = set()
    keyword_themes = KeywordThemes(minter)
    for part in parts:
        vocabulary_concepts.update(part.vocabulary_concepts)
        for concept, keyword in part.keywords:
            keyword_themes.add(concept, keyword)
    triples.update(prepared.themes.describe(sorted(vocabulary_concepts)))
    triples.update(keyword_themes.triples())
    if prepared.published is not None:  # published IRIs found to be one: neither is dropped
        for link in prepared.published.same_as:
            other, kept = minter.as_published(link.other), minter.as_published(link.kept)
            triples.add((other, OWL.sameAs, kept))
    return triples


def record_counts(reading: Reading) -> RecordCounts:
    return RecordCounts(reading.read, reading.read - reading.rejected, reading.rejected)


def build_graph(
    inputs: Sequence[Path], options: ExportOptions, progress: Progress | None = None
) -> BuiltGraph:
    """Read every input, resolve who is who, map every work once, and describe the dataset."""
    progress = progress or Progress(None)
    prepared = prepare_works(inputs, options, progress)
    context = MappingContext(prepared.minter, prepared.themes)
    progress.stage("mapping works", len(prepared.works))
    mapped = map_works(prepared.works, context, progress)
    report = MergeReport.of(
        prepared.works, prepared.refused, prepared.resolutions, prepared.published
    )
    # Mapped: the records are let go before the graph is sorted, the step that needs most memory.
    prepared.works.clear()
    prepared.reading.records.clear()
    triples = mapped.triples
    triples.update(dataset_triples(prepared, [mapped]))
    counts = record_counts(prepared.reading)
    minter = prepared.minter
    sources = prepared.reading.sources
    predicates = {str(predicate) for _, predicate, _ in triples}
    description = dataset_description(
        minter, triples, len(triples), sources, counts, export_time(),
        options.catalogue, predicates,
    )  # fmt: skip
    progress.stage("sorting triples")
    graph = ExportGraph(itertools.chain(triples, description))
    triples.clear()  # the graph holds them now
    problems = [*prepared.reading.problems, *mapped.problems]
    return BuiltGraph(graph, minter, problems, counts, report)
