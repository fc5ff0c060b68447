"""`kg export --engine dask`: the per-work mapping on a Dask cluster, as partitioned N-Triples.

The client reads the inputs once and decides who is who as the local export does
(:func:`kg.map.plan.plan_works`: identity facts in memory, the records in scratch), then sends the
works to the cluster in batches of :data:`BATCH_WORKS`, a few batches in flight at a time. A worker
maps its batch with :func:`kg.map.pipeline.map_works`, unchanged, and returns the triples as the
sorted graph's entries (kg.write.sorted_graph), each prefixed with the partition it belongs to;
the client spills them to sorted runs in scratch, as the local export does, and writes the
partitions from the merged runs. Neither a worker nor the client ever holds the graph. The output:

- ``graph-part-00000.nt`` ... : the mapped triples, each file sorted and canonical;
- ``graph-description.nt``: what is not in the parts: the dataset's VoID/PROV description, its
  input files and the themes its works link to.

Partition files are cut by *subject*, not by batch of works. A person or a journal shared by works
of two batches is mapped in both, so each mapped triple is routed to the file its subject hashes
to (a blank node, i.e. an rdf:List cell, goes where the IRI that holds the list goes) and the
duplicates meet in the merge. The files are therefore disjoint: every triple of the graph is in
exactly one file, a bulk loader loads it once, a subject's description is never split, no blank
node straddles two files, and void:triples, the sum of the distinct triples of all files, is
exactly the single-machine count.

Workers may be other machines without the output folder, so the client is the only process that
writes files. Every task function lives at module level, so the workers need the same kg
installed; the client checks that before sending work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import rdflib
from rdflib import BNode

from kg.core.atomic import atomic_text_writer
from kg.core.external_sort import RUN_ENTRIES, SortedRuns, scratch_folder, unique
from kg.core.namespaces import RDF
from kg.core.problems import Problem, Severity
from kg.core.progress import Progress
from kg.core.rdf import Object, Subject, Triple
from kg.core.version import __version__
from kg.engines.folder import (
    DESCRIPTION_FILE,
    check_register_outside,
    part_file,
    staged_export_folder,
)
from kg.errors import KgError
from kg.map.graph import ExportGraph
from kg.map.pipeline import (
    ExportOptions,
    MappedWorks,
    dataset_triples,
    map_works,
    record_counts,
)
from kg.map.plan import WorkPlan, plan_works
from kg.map.provenance import RecordCounts, dataset_description, export_time
from kg.map.record import MappingContext
from kg.resolve.merge import MergedWork
from kg.resolve.merge_report import MergeReport
from kg.resolve.mint import Minter
from kg.write.ntriples import write_ntriples
from kg.write.sorted_graph import encode_triples, entry_triple, nt_line

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
DEFAULT_PARTITIONS = 8
BATCH_WORKS = 2_000  # works a task maps: a worker holds one batch's triples at a time
_RDF_TYPE = str(RDF.type)
MAX_PARTITIONS = 99_999  # five digits in the file names


@dataclass(frozen=True)
class DaskOptions:
    scheduler: str | None = None  # None: start a LocalCluster for this export
    partitions: int = DEFAULT_PARTITIONS
    workers: int | None = None  # local cluster processes; None: one per core, at least two
    run_entries: int = RUN_ENTRIES  # entries the client sorts in memory before spilling a run


@dataclass(frozen=True)
class PartitionedExport:
    """What the client learnt: the files written and what the CLI reports."""

    problems: list[Problem]
    counts: RecordCounts
    merges: MergeReport
    minter: Minter
    triples: int  # distinct triples of all files together (the graph's void:triples)
    parts: list[Path]
    description: Path

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


# --- on the workers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parcel(Generic[T]):
    """Data that crosses between processes in one piece. Dask serialises a bare list item by
    item, which made moving a list of triples between workers six times slower than pickling
    it whole, as it does any other object."""

    items: T


@dataclass(frozen=True)
class _Mapped:
    """One batch of works mapped: its entries, each prefixed with its partition, and the rest."""

    entries: _Parcel[list[str]]
    summary: MappedWorks  # problems, vocabulary concepts, keywords; no triples
    works: int


_PARTITION_DIGITS = 5  # "00042" before each entry: entries sort by partition, then as a graph


def _route(triples: Iterable[Triple], partitions: int) -> tuple[list[Triple], ...]:
    """Each triple to the partition of its subject's home: the subject itself, or for a blank
    node the IRI it hangs from. crc32, not hash(): workers run with different hash seeds."""
    triples = list(triples)
    referrer: dict[BNode, Subject] = {}
    for subject, _, value in triples:
        if isinstance(value, BNode):  # one referrer (a list cell has one); else the least
            referrer[value] = min(referrer.get(value, subject), subject, key=str)
    homes: dict[Subject, int] = {}

    def home(subject: Subject) -> int:
        if subject in homes:
            return homes[subject]
        seen: list[Subject] = []
        node = subject
        while isinstance(node, BNode) and node in referrer and node not in seen:
            seen.append(node)
            node = referrer[node]
            if node in homes:
                break
        index = homes.get(node)
        if index is None:
            index = zlib.crc32(str(node).encode("utf-8")) % partitions
        for visited in seen:  # a long author list is walked once, not once per cell
            homes[visited] = index
        homes[subject] = index
        return index

    buckets: tuple[list[Triple], ...] = tuple([] for _ in range(partitions))
    for triple in triples:
        buckets[home(triple[0])].append(triple)
    return buckets


def _map_batch(
    works: _Parcel[list[MergedWork]], context: MappingContext, partitions: int
) -> _Mapped:
    mapped = map_works(works.items, context)
    entries = [
        f"{index:0{_PARTITION_DIGITS}d}{entry}"
        for index, bucket in enumerate(_route(mapped.triples, partitions))
        for entry in encode_triples(bucket)  # a bucket holds each list with its owner
    ]
    summary = MappedWorks(set(), mapped.problems, mapped.vocabulary_concepts, mapped.keywords)
    return _Mapped(_Parcel(entries), summary, len(works.items))


def _versions() -> tuple[str, str]:
    return __version__, rdflib.__version__


# --- on the client ----------------------------------------------------------------------------


def export_partitioned(
    inputs: Sequence[Path],
    out_dir: Path,
    options: ExportOptions,
    cluster: DaskOptions,
    progress: Progress | None = None,
) -> PartitionedExport:
    """Map ``inputs`` on a Dask cluster and write the partitioned N-Triples to ``out_dir``, in a
    staging folder that replaces it as a whole at the end (kg.engines.folder)."""
    check_register_outside(out_dir, options.register)
    with staged_export_folder(out_dir) as staging:
        result = _export_partitioned_into(inputs, staging, options, cluster, progress)
    parts = [out_dir / part.name for part in result.parts]
    description = out_dir / result.description.name
    return dataclasses.replace(result, parts=parts, description=description)


def _export_partitioned_into(
    inputs: Sequence[Path],
    out_dir: Path,
    options: ExportOptions,
    cluster: DaskOptions,
    progress: Progress | None = None,
) -> PartitionedExport:
    progress = progress or Progress(None)
    if not 1 <= cluster.partitions <= MAX_PARTITIONS:
        raise KgError(f"the number of partitions must be 1 to {MAX_PARTITIONS}")
    when = export_time()  # a bad SOURCE_DATE_EPOCH fails before a cluster starts
    with (
        _connect(cluster, progress) as client,  # first: an unreachable scheduler fails fast
        scratch_folder(out_dir) as scratch,  # in the staging folder: gone before the swap
    ):
        plan = plan_works(inputs, options, scratch, progress)
        context = MappingContext(plan.minter, plan.themes)
        progress.stage("mapping works on Dask", plan.work_count)
        runs = SortedRuns(scratch, cluster.run_entries)
        summaries, mapped_works = _map(client, plan, context, cluster, runs, progress)
        plan.records.close()
        if mapped_works != plan.work_count:  # never drop records quietly
            message = f"the cluster mapped {mapped_works} of {plan.work_count} works"
            raise KgError(message)
        extra = ExportGraph(dataset_triples(plan, summaries))
        progress.stage("writing partitions", cluster.partitions)
        predicates = {str(predicate) for _, predicate, _ in extra}
        parts, size, classes = _write_parts(
            runs, cluster.partitions, extra, out_dir, progress, predicates
        )

    counts = record_counts(plan.reading)
    classes.update(value for _, predicate, value in extra if predicate == RDF.type)
    total = size + len(extra)
    minter = plan.minter
    # dataset_description reads only the rdf:type values of the data; the partitions' counts
    # stand in for the triples themselves (a placeholder triple for each rdf:type triple counted).
    typed = ((minter.dataset(), RDF.type, value) for value in classes.elements())
    sources = plan.reading.sources
    description = dataset_description(
        minter, typed, total, sources, counts, when, options.catalogue, predicates
    )
    described = ExportGraph([*extra, *description])
    with atomic_text_writer(out_dir / DESCRIPTION_FILE) as stream:
        write_ntriples(described, stream)
    progress.done()
    merges = MergeReport.of(plan.merged_works(), plan.refused, plan.resolutions, plan.published)
    problems = [*plan.reading.problems, *(p for s in summaries for p in s.problems)]
    return PartitionedExport(
        problems=problems,
        counts=counts,
        merges=merges,
        minter=minter,
        triples=total + len(description),
        parts=parts,
        description=out_dir / DESCRIPTION_FILE,
    )


@contextlib.contextmanager
def _connect(options: DaskOptions, progress: Progress) -> Iterator[Client]:
    """A client of the scheduler named, or of a local cluster of worker processes started (and
    stopped) here; either way closed at the end."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KgError("the dask engine needs Dask: pip install 'kg[dask]'") from None
    with contextlib.ExitStack() as stack:
        if options.scheduler is None:
            workers = options.workers or max(2, os.cpu_count() or 2)
            workers = min(workers, options.partitions)
            progress.stage(f"starting a local Dask cluster of {workers} processes")
            cluster = stack.enter_context(
                # Processes, one thread each: mapping is pure Python, so threads share one GIL.
                LocalCluster(
                    n_workers=workers,
                    processes=True,
                    threads_per_worker=1,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # no fixed port to collide on, not public
                    # Workers share this terminal: their logs (a heartbeat racing the shutdown
                    # logs a traceback) stay off it. Task errors reach the client, as one line.
                    silence_logs=logging.CRITICAL,
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
            progress.stage(f"connecting to the Dask scheduler at {options.scheduler}")
            try:
                client = stack.enter_context(Client(options.scheduler))
            except (OSError, ValueError) as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                message = f"cannot reach the Dask scheduler at {options.scheduler}: {reason}"
                raise KgError(message) from None
        _check_workers(client, options.scheduler)
        try:
            yield client
        except Exception as error:
            _explain_cluster_failure(error)
            raise


def _check_workers(client: Client, scheduler: str | None) -> None:
    """Workers running another kg would mint other IRIs: refuse them, and a cluster without
    workers, which would wait forever."""
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect")
    where = f"the Dask scheduler at {scheduler}" if scheduler else "the local Dask cluster"
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise KgError(f"{where} has no workers (waited {timeout})") from None
    try:
        versions: dict[str, tuple[str, str]] = client.run(_versions)
    except Exception as error:  # a worker without kg cannot even unpickle the function
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise KgError(f"the workers of {where} cannot run kg {__version__}: {reason}") from None
    for worker, found in sorted(versions.items()):
        if found != _versions():
            raise KgError(
                f"worker {worker} runs kg {found[0]} with rdflib {found[1]}; this client runs "
                f"kg {__version__} with rdflib {rdflib.__version__}: install the same on both"
            )


def _explain_cluster_failure(error: Exception) -> None:
    """A worker lost or a scheduler gone: one line for the user, not Dask's traceback."""
    from concurrent.futures import CancelledError

    from distributed.scheduler import KilledWorker

    if isinstance(error, KilledWorker):
        raise KgError(f"a Dask worker died while running a task ({error})") from None
    if isinstance(error, CancelledError):
        raise KgError("the Dask cluster cancelled the export (scheduler or workers lost)") from None


def _map(
    client: Client,
    plan: WorkPlan,
    context: MappingContext,
    cluster: DaskOptions,
    runs: SortedRuns,
    progress: Progress,
) -> tuple[list[MappedWorks], int]:
    """Send the works in batches, a few in flight per worker, and spill each batch's entries
    as it comes back, in batch order (so problems keep input order); the summaries and the
    number of works mapped."""
    # The context once to every worker, not once per task.
    shared_context = client.scatter(context, broadcast=True)
    in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    pending: deque[Future[_Mapped]] = deque()
    summaries: list[MappedWorks] = []
    mapped_works = 0

    def receive(future: Future[_Mapped]) -> None:
        nonlocal mapped_works
        mapped = future.result()
        future.release()
        runs.extend(mapped.entries.items)
        summaries.append(_without_repeats(mapped.summary))
        mapped_works += mapped.works
        progress.advance(mapped.works)

    works = plan.works()
    while batch := list(itertools.islice(works, BATCH_WORKS)):
        parcel = client.scatter(_Parcel(batch), hash=False)  # to a worker, not the scheduler
        pending.append(client.submit(_map_batch, parcel, shared_context, cluster.partitions))
        if len(pending) >= in_flight:
            receive(pending.popleft())
    while pending:
        receive(pending.popleft())
    return summaries, mapped_works


def _without_repeats(summary: MappedWorks) -> MappedWorks:
    """A batch's summary with each (theme, keyword) once: the dataset's themes need no more."""
    keywords = list(dict.fromkeys(summary.keywords))
    return MappedWorks(set(), summary.problems, summary.vocabulary_concepts, keywords)


def _write_parts(
    runs: SortedRuns,
    partitions: int,
    extra: ExportGraph,
    out_dir: Path,
    progress: Progress,
    predicates: set[str],
) -> tuple[list[Path], int, Counter[Object]]:
    """Each partition from the merged runs, one file after another, without the triples the
    description holds; the files, their triples and the rdf:type values counted (and, into
    ``predicates``, every predicate written)."""
    excluded = set(encode_triples(extra.triples))
    size, classes = 0, Counter[Object]()
    written: set[int] = set()
    entries = unique(runs.merged())
    for prefix, group in itertools.groupby(entries, key=lambda e: e[:_PARTITION_DIGITS]):
        index = int(prefix)
        with atomic_text_writer(out_dir / part_file(index)) as stream:
            for prefixed in group:
                entry = prefixed[_PARTITION_DIGITS:]
                if entry in excluded:
                    continue
                stream.write(nt_line(entry))
                size += 1
                predicate = entry.split("\x00", 2)[1]
                predicates.add(predicate)
                if predicate == _RDF_TYPE:
                    classes[entry_triple(entry)[2]] += 1
        written.add(index)
        progress.advance()
    for index in set(range(partitions)) - written:  # a partition no subject hashed to
        with atomic_text_writer(out_dir / part_file(index)):
            pass
        progress.advance()
    return [out_dir / part_file(index) for index in range(partitions)], size, classes
