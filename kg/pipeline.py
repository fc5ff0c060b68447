"""Read -> map -> graph: the inputs of one export turned into one graph.

Several inputs merge by IRI: the minter gives the same thing the same IRI from every record, so
the graph is the union of the records' triples. Every record is either written or reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.checks import identifier_warnings, unmapped_warnings
from kg.graph import ExportGraph
from kg.mapping import MappingContext, map_record
from kg.mint import DEFAULT_BASE_IRI, Minter
from kg.problems import Problem, Severity, SourceLocation
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

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


class _Accumulator:
    """Collects triples, problems and counts while records stream through."""

    def __init__(self, minter: Minter, themes: ThemeVocabulary) -> None:
        self.minter, self.themes = minter, themes
        self.keyword_themes = KeywordThemes(minter)
        self.triples: set[Triple] = set()
        self.vocabulary_concepts: set[URIRef] = set()
        self.works: dict[URIRef, SourceLocation] = {}
        self.problems: list[Problem] = []
        self.read = self.written = self.rejected = 0

    def reject(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.severity is Severity.WARNING:  # the record itself is read (or comes later)
            return
        if problem.record is not None:  # a record, not a stray line between records
            self.read += 1
            self.rejected += 1

    def add(self, record: Record, context: MappingContext) -> None:
        self.read += 1
        mapped = map_record(record, context)
        first = self.works.get(mapped.work)
        if first is not None:  # the union of both: one work, derived from both records
            message = f"the same work as the record at {first}; merged, both sources kept"
            self.problems.append(Problem(record.source, record.number, message, Severity.WARNING))
        else:
            self.works[mapped.work] = record.source
        self.problems.extend(identifier_warnings(record))
        self.problems.extend(unmapped_warnings(record))
        self.triples.update(mapped.triples)
        self.vocabulary_concepts.update(mapped.vocabulary_concepts)
        for concept, keyword in mapped.keyword_concepts:
            self.keyword_themes.add(concept, keyword)
        self.written += 1


def build_graph(inputs: Sequence[Path], options: ExportOptions) -> BuiltGraph:
    """Read every input, map every record, and describe the dataset."""
    minter = Minter(options.base_iri)
    themes = ThemeVocabulary.load(options.themes or vocab_file("themes.ttl"), minter)
    acc = _Accumulator(minter, themes)
    sources: list[InputFile] = []
    for path in inputs:
        reader, items = open_input(path, options.input_format)
        source = InputFile.describe(path, reader.name)
        sources.append(source)
        acc.triples.update(input_file_triples(minter, source))
        context = MappingContext(minter, themes, minter.input_file(source.sha256, source.label))
        for item in items:
            if isinstance(item, Problem):
                acc.reject(item)
            else:
                acc.add(item, context)
    acc.triples.update(themes.describe(sorted(acc.vocabulary_concepts)))
    acc.triples.update(acc.keyword_themes.triples())
    counts = RecordCounts(acc.read, acc.written, acc.rejected)
    when = export_time()
    description = dataset_description(minter, acc.triples, len(acc.triples), sources, counts, when)
    graph = ExportGraph([*acc.triples, *description])
    return BuiltGraph(graph, minter, acc.problems, counts)
