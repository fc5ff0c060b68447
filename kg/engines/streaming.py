"""Build an export's graph without holding it: each work's triples go to sorted runs on disk as
soon as they are mapped, and are read back merged, sorted and without duplicates.

The graph this gives is the graph :func:`kg.map.pipeline.build_graph` builds in memory, entry for
entry (tests hold the written files byte-identical), whatever the size of the runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.core.external_sort import RUN_ENTRIES, ScratchFolder, SortedRuns
from kg.core.namespaces import RDF
from kg.core.problems import Problem, Severity
from kg.core.progress import Progress
from kg.core.rdf import Object, Triple
from kg.map.pipeline import (
    ExportOptions,
    MappedWorks,
    dataset_triples,
    map_works,
    record_counts,
)
from kg.map.plan import plan_works
from kg.map.provenance import (
    RecordCounts,
    dataset_description,
    export_time,
    input_file_triples,
)
from kg.map.record import MappingContext
from kg.resolve.merge_report import MergeReport
from kg.resolve.mint import Minter
from kg.write.sorted_graph import SortedGraph, encode_triples, sort_graph


@dataclass(frozen=True)
class SortedExport:
    """What :func:`build_sorted_graph` built: the graph in scratch, and what the summary needs."""

    graph: SortedGraph
    minter: Minter
    problems: list[Problem]
    counts: RecordCounts
    merges: MergeReport
    description: list[Triple]  # the dataset's description of itself and its inputs (dataset.ttl)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def build_sorted_graph(
    inputs: Sequence[Path],
    options: ExportOptions,
    scratch: ScratchFolder,
    progress: Progress | None = None,
    run_entries: int = RUN_ENTRIES,
) -> SortedExport:
    """Read, resolve and group as build_graph does; then map one work at a time into sorted runs
    in ``scratch``, merge them, and describe the dataset."""
    progress = progress or Progress(None)
    plan = plan_works(inputs, options, scratch, progress)
    context = MappingContext(plan.minter, plan.themes)
    merges = MergeReport.of(plan.merged_works(), plan.refused, plan.resolutions, plan.published)
    runs = SortedRuns(scratch, run_entries)
    # What the dataset's themes need of every work; the triples themselves go to the runs.
    seen = MappedWorks()
    keywords: dict[tuple[URIRef, str], None] = {}  # each (theme, keyword) once, as first seen
    progress.stage("mapping works", plan.work_count)
    for work in plan.works():
        mapped = map_works([work], context, progress)
        runs.extend(encode_triples(mapped.triples))
        seen.problems.extend(mapped.problems)
        seen.vocabulary_concepts.update(mapped.vocabulary_concepts)
        keywords.update(dict.fromkeys(mapped.keywords))
    plan.records.close()
    seen.keywords = list(keywords)  # the dataset's themes need no more (a list grew 0.2 KB a work)
    runs.extend(encode_triples(dataset_triples(plan, [seen])))
    progress.stage("sorting triples")
    predicates: set[str] = set()
    data, classes = sort_graph(runs, scratch, predicates)
    counts = record_counts(plan.reading)
    sources = plan.reading.sources
    description = dataset_description(
        plan.minter, _typed(classes), len(data), sources, counts, export_time(),
        options.catalogue, predicates,
    )  # fmt: skip
    graph = data.with_entries(encode_triples(description))
    problems = [*plan.reading.problems, *seen.problems]
    files = [t for source in sources for t in input_file_triples(plan.minter, source)]
    return SortedExport(graph, plan.minter, problems, counts, merges, [*description, *files])


def _typed(classes: Counter[Object]) -> Iterator[Triple]:
    """rdf:type triples with ``classes``' counts: all that dataset_description reads of the data."""
    anything = URIRef("urn:kg:counted")
    for cls, count in classes.items():
        for _ in range(count):
            yield anything, RDF.type, cls
