"""Read -> map -> graph: the inputs of one export turned into one graph.

Several inputs make one graph: records of one work merge into one (kg.merge), journals, books and
persons resolve across records (kg.identity), and the minter turns what they decided into IRIs.
Every record is either written (alone or merged into a work) or reported as rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg.checks import identifier_warnings, unmapped_warnings
from kg.graph import ExportGraph
from kg.identity import resolve
from kg.mapping import MappingContext, map_record, provenance_triples
from kg.merge import SourcedRecord, group_works
from kg.merge_report import MergeReport, merge_problems
from kg.mint import DEFAULT_BASE_IRI, Minter
from kg.problems import Problem, Severity
from kg.progress import Progress
from kg.provenance import (
    InputFile,
    RecordCounts,
    dataset_description,
    export_time,
    input_file_triples,
)
from kg.rdf import Triple
from kg.readers import open_input
from kg.records import Record
from kg.resources import vocab_file
from kg.themes import KeywordThemes, ThemeVocabulary


@dataclass(frozen=True)
class ExportOptions:
    base_iri: str = DEFAULT_BASE_IRI
    input_format: str | None = None  # None: detect by content
    themes: Path | None = None  # None: kg's default theme vocabulary
    shapes: Path | None = None  # None: kg's shipped shapes
    workers: int | None = None  # validation processes; None: one per core


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
class _Reading:
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
    inputs: Sequence[Path], options: ExportOptions, minter: Minter, progress: Progress
) -> _Reading:
    reading = _Reading()
    progress.stage("reading records")
    for path in inputs:
        reader, items = open_input(path, options.input_format)
        source = InputFile.describe(path, reader.name)
        reading.sources.append(source)
        input_file = minter.input_file(source.sha256, source.label)
        for item in items:
            if isinstance(item, Problem):
                reading.report(item)
            else:
                reading.read += 1
                reading.records.append(SourcedRecord(item, input_file))
                progress.advance()
    return reading


def build_graph(
    inputs: Sequence[Path], options: ExportOptions, progress: Progress | None = None
) -> BuiltGraph:
    """Read every input, resolve who is who, map every work once, and describe the dataset."""
    progress = progress or Progress(None)
    reading = read_inputs(inputs, options, Minter(options.base_iri), progress)
    identities, resolutions = resolve(item.record for item in reading.records)

    def journal_by_issn(record: Record) -> str | None:
        venue = record.venue
        if venue is None or venue.is_book:
            return None
        key = identities.journal(venue)
        return key if key and key.startswith("issn-") else None

    works, refused = group_works(reading.records, journal_by_issn)
    minter = Minter(options.base_iri, identities)
    themes = ThemeVocabulary.load(options.themes or vocab_file("themes.ttl"), minter)
    keyword_themes = KeywordThemes(minter)
    triples: set[Triple] = set()
    vocabulary_concepts: set[URIRef] = set()
    problems = list(reading.problems)
    for source in reading.sources:
        triples.update(input_file_triples(minter, source))
    context = MappingContext(minter, themes)
    progress.stage("mapping works", len(works))
    for work in works:
        progress.advance()
        problems.extend(merge_problems(work))
        for member in work.members:
            problems.extend(identifier_warnings(member.record))
        problems.extend(unmapped_warnings(work.record))
        mapped = map_record(work.record, context)
        triples.update(mapped.triples)
        for member in work.members:
            triples.update(provenance_triples(mapped.work, member, minter))
        vocabulary_concepts.update(mapped.vocabulary_concepts)
        for concept, keyword in mapped.keyword_concepts:
            keyword_themes.add(concept, keyword)
    triples.update(themes.describe(sorted(vocabulary_concepts)))
    triples.update(keyword_themes.triples())
    written = reading.read - reading.rejected
    counts = RecordCounts(reading.read, written, reading.rejected)
    when = export_time()
    description = dataset_description(minter, triples, len(triples), reading.sources, counts, when)
    graph = ExportGraph([*triples, *description])
    report = MergeReport(tuple(works), tuple(refused), tuple(resolutions))
    return BuiltGraph(graph, minter, problems, counts, report)
