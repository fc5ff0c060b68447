"""`kg export --engine dask`: the per-work mapping on a Dask cluster, as partitioned N-Triples.

The client reads the inputs and decides who is who (:func:`kg.map.pipeline.prepare_works`: identity
needs every record at once), then hands contiguous chunks of works to the cluster, where
:func:`kg.map.pipeline.map_works` runs unchanged. The output is written as:

- ``graph-part-00000.nt`` ... : the mapped triples, each file sorted and canonical (ExportGraph);
- ``graph-description.nt``: what is not in the parts: the dataset's VoID/PROV description, its
  input files and the themes its works link to.

Partition files are cut by *subject*, not by chunk of works. A person or a journal shared by works
of two chunks is mapped in both, so each mapped triple is routed to the file its subject hashes
to (a blank node, i.e. an rdf:List cell, goes where the IRI that holds the list goes) and
duplicates meet in the same task. The files are therefore disjoint: every triple of the graph is
in exactly one file, a bulk loader loads it once, a subject's description is never split, no
blank node straddles two files, and void:triples, the sum of the distinct triples of all files,
is exactly the single-machine count without the client ever holding the whole graph.

Tasks return the partition's N-Triples text and the client writes it (atomically, one partition
at a time): workers may be other machines without the output folder, so the client is the only
process that needs to see it. Every task function lives at module level, so the workers need the
same kg installed; the client checks that before sending work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import rdflib
from rdflib import BNode

from kg.core.atomic import atomic_text_writer
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
    prepare_works,
    record_counts,
)
from kg.map.provenance import RecordCounts, dataset_description, export_time
from kg.map.record import MappingContext
from kg.resolve.merge import MergedWork
from kg.resolve.merge_report import MergeReport
from kg.resolve.mint import Minter
from kg.write.ntriples import write_ntriples

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
DEFAULT_PARTITIONS = 8
MAX_PARTITIONS = 99_999  # five digits in the file names


@dataclass(frozen=True)
class DaskOptions:
    scheduler: str | None = None  # None: start a LocalCluster for this export
    partitions: int = DEFAULT_PARTITIONS
    workers: int | None = None  # local cluster processes; None: one per core, at least two


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
    """One chunk of works mapped: its triples by output partition, and the small rest."""

    buckets: tuple[_Parcel[list[Triple]], ...]
    summary: MappedWorks  # problems, vocabulary concepts, keywords; no triples
    works: int


@dataclass(frozen=True)
class _Partition:
    text: str  # N-Triples, sorted
    size: int
    classes: Counter[Object] = field(default_factory=Counter)  # rdf:type values, per triple
    predicates: frozenset[str] = frozenset()  # for the vocabularies the description lists


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


def _map_chunk(
    works: _Parcel[list[MergedWork]], context: MappingContext, partitions: int
) -> _Mapped:
    mapped = map_works(works.items, context)
    buckets = tuple(_Parcel(bucket) for bucket in _route(mapped.triples, partitions))
    summary = MappedWorks(set(), mapped.problems, mapped.vocabulary_concepts, mapped.keywords)
    return _Mapped(buckets, summary, len(works.items))


def _bucket(mapped: _Mapped, index: int) -> _Parcel[list[Triple]]:
    return mapped.buckets[index]


def _summary(mapped: _Mapped) -> tuple[MappedWorks, int]:
    return mapped.summary, mapped.works


def _write_partition(
    exclusions: _Parcel[frozenset[Triple]], *buckets: _Parcel[list[Triple]]
) -> _Partition:
    # ExportGraph first: the exclusions are canonical, so the triples must be too when compared.
    graph = ExportGraph(triple for bucket in buckets for triple in bucket.items)
    kept = [triple for triple in graph if triple not in exclusions.items]  # still sorted
    stream = io.StringIO()
    write_ntriples(kept, stream)
    classes = Counter(value for _, predicate, value in kept if predicate == RDF.type)
    predicates = frozenset(str(predicate) for _, predicate, _ in kept)
    return _Partition(stream.getvalue(), len(kept), classes, predicates)


def _versions() -> tuple[str, str]:
    return __version__, rdflib.__version__


# --- on the client ----------------------------------------------------------------------------


def split_works(works: Sequence[MergedWork], partitions: int) -> list[list[MergedWork]]:
    """At most ``partitions`` contiguous chunks, sizes differing by at most one, none empty.

    >>> [len(chunk) for chunk in split_works(list(range(7)), 3)]
    [3, 2, 2]
    """
    count = min(partitions, len(works))
    if count == 0:
        return []
    size, extra = divmod(len(works), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        chunks.append(list(works[start:end]))
        start = end
    return chunks


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
    with _connect(cluster, progress) as client:  # first: an unreachable scheduler fails fast
        prepared = prepare_works(inputs, options, progress)
        context = MappingContext(prepared.minter, prepared.themes)
        chunks = split_works(prepared.works, cluster.partitions)
        progress.stage("mapping works on Dask", len(prepared.works))
        mapped = _map(client, chunks, context, cluster.partitions, progress)
        summaries = [summary for summary, _ in mapped.summaries]
        mapped_works = sum(works for _, works in mapped.summaries)
        if mapped_works != len(prepared.works):  # never drop records quietly
            message = f"the cluster mapped {mapped_works} of {len(prepared.works)} works"
            raise KgError(message)
        extra = ExportGraph(dataset_triples(prepared, summaries))
        progress.stage("writing partitions", cluster.partitions)
        predicates = {str(predicate) for _, predicate, _ in extra}
        parts, size, classes = _write_parts(
            client, mapped.futures, cluster.partitions, extra, out_dir, progress, predicates
        )

    counts = record_counts(prepared.reading)
    classes.update(value for _, predicate, value in extra if predicate == RDF.type)
    total = size + len(extra)
    minter = prepared.minter
    # dataset_description reads only the rdf:type values of the data; the partitions' counts
    # stand in for the triples themselves (a placeholder triple for each rdf:type triple counted).
    typed = ((minter.dataset(), RDF.type, value) for value in classes.elements())
    sources = prepared.reading.sources
    description = dataset_description(
        minter, typed, total, sources, counts, when, options.catalogue, predicates
    )
    described = ExportGraph([*extra, *description])
    with atomic_text_writer(out_dir / DESCRIPTION_FILE) as stream:
        write_ntriples(described, stream)
    progress.done()
    merges = MergeReport.of(
        prepared.works, prepared.refused, prepared.resolutions, prepared.published
    )
    problems = [*prepared.reading.problems, *(p for s in summaries for p in s.problems)]
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


@dataclass(frozen=True)
class _MappedOnCluster:
    futures: list[Future[_Mapped]]  # held on the workers until the partitions are written
    summaries: list[tuple[MappedWorks, int]]  # in chunk order, so problems keep input order


def _map(
    client: Client,
    chunks: list[list[MergedWork]],
    context: MappingContext,
    partitions: int,
    progress: Progress,
) -> _MappedOnCluster:
    from distributed import as_completed

    # Scattered, not embedded in the tasks: the data goes to the workers, not through the
    # scheduler; the context once to every worker, not once per task.
    shared_context = client.scatter(context, broadcast=True)
    scattered = client.scatter([_Parcel(chunk) for chunk in chunks], hash=False)  # one each
    futures: list[Future[_Mapped]] = [
        client.submit(_map_chunk, chunk, shared_context, partitions) for chunk in scattered
    ]
    sizes = {future.key: len(chunk) for future, chunk in zip(futures, chunks, strict=True)}
    for future in as_completed(futures):
        progress.advance(sizes[future.key])
    summaries = client.gather([client.submit(_summary, future) for future in futures])
    return _MappedOnCluster(futures, list(summaries))


def _write_parts(
    client: Client,
    mapped: list[Future[_Mapped]],
    partitions: int,
    extra: ExportGraph,
    out_dir: Path,
    progress: Progress,
    predicates: set[str],
) -> tuple[list[Path], int, Counter[Object]]:
    """Gather each partition from every chunk's bucket for it, and write it as it arrives: the
    client holds one partition's text at a time."""
    from distributed import as_completed

    exclusions = client.scatter(_Parcel(frozenset(extra)), broadcast=True)
    writes: list[Future[_Partition]] = [
        client.submit(
            _write_partition,
            exclusions,
            *(client.submit(_bucket, chunk, index) for chunk in mapped),
        )
        for index in range(partitions)
    ]
    index_of = {future.key: index for index, future in enumerate(writes)}
    size, classes = 0, Counter[Object]()
    for future in as_completed(writes):
        partition = future.result()
        path = out_dir / part_file(index_of[future.key])
        with atomic_text_writer(path) as stream:
            stream.write(partition.text)
        size += partition.size
        classes.update(partition.classes)
        predicates.update(partition.predicates)
        future.release()
        del partition
        progress.advance()
    return [out_dir / part_file(index) for index in range(partitions)], size, classes
