"""The works of an export, decided without holding its records: the streaming export's first pass.

Reading keeps, of each record, what deciding identity needs (:class:`IdentityInputs`: names and
venues, each distinct one once; :class:`MergeKeys`: identifiers and digests of the merge keys;
the digest of the work's own key) and spills the record itself to scratch (:class:`Spill`).
Resolving, grouping and keeping works apart then run on those, as
:func:`kg.map.pipeline.prepare_works` runs them on whole records, with the same results; the
records of a work of two or more are read back and merged. :meth:`WorkPlan.works` gives the works
in the order ``prepare_works`` does, reading the spill once more in order.

What stays in memory is a few hundred bytes a record (measured in benchmarks/RESULTS.md), where
holding the records took about 6 KB.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.core.external_sort import ScratchFolder
from kg.core.problems import SourceLocation
from kg.core.progress import Progress
from kg.core.records import Record, Venue, WorkKind
from kg.core.resources import vocab_file
from kg.core.spill import Spill
from kg.map.pipeline import (
    ExportOptions,
    Reading,
    journal_by_issn,
    name_and_publish,
    read_inputs,
)
from kg.map.themes import ThemeVocabulary
from kg.resolve.duplicates import possible_duplicates
from kg.resolve.identity import IdentityInputs, Resolution, resolve_inputs
from kg.resolve.merge import (
    DigestColumn,
    MergedWork,
    MergeKeys,
    RefusedMerge,
    SourcedRecord,
    WorkGroups,
    group_records,
    merge_group,
)
from kg.resolve.mint import (
    Minter,
    fuller_work_key,
    keep_keys_apart,
    key_digest,
    unresolved_work_key,
)
from kg.resolve.register import Published


@dataclass
class WorkPlan:
    """Everything decided before mapping, with the records on disk."""

    reading: Reading  # problems, sources and counts; its list of records stays empty
    records: Spill[Record]
    input_files: list[tuple[int, URIRef]]  # (index of the file's first record, its node)
    groups: WorkGroups
    merged: dict[int, MergedWork]  # works of two or more records, by their first record
    work_count: int
    resolutions: list[Resolution]
    minter: Minter
    themes: ThemeVocabulary
    published: Published | None = None  # what the identifier register decided

    @property
    def refused(self) -> list[RefusedMerge]:
        return self.groups.refused

    def merged_works(self) -> list[MergedWork]:
        return [self.merged[first] for first in sorted(self.merged)]

    def works(self) -> Iterator[MergedWork]:
        """Every work once, in the order of its first record (a merged work at its first)."""
        for index, record in enumerate(self.records):
            if self.groups.first_of(index) != index:
                continue  # a later record of a merged work: merged already
            merged = self.merged.get(index)
            yield merged or MergedWork(record, (_sourced(self.input_files, index, record),), None)


@dataclass
class _Gathered:
    """What the first pass keeps of each record, by its index in input order."""

    records: Spill[Record]
    identity: IdentityInputs
    keys: MergeKeys
    venues: list[Venue | None]
    own_keys: DigestColumn  # the key each record's work has alone (books: resolved later)
    books: set[int]  # records of whole books: their key waits for the books' identities
    input_files: list[tuple[int, URIRef]]

    def keep(self, item: SourcedRecord) -> None:
        record = item.record
        index = len(self.records)
        if not self.input_files or self.input_files[-1][1] != item.input_file:
            self.input_files.append((index, item.input_file))
        self.records.append(record)
        self.identity.add(record)
        self.keys.add(record)
        self.venues.append(self.identity.held(record.venue))
        self.own_keys.append(unresolved_work_key(record))
        if record.kind is WorkKind.BOOK and record.venue is not None:
            self.books.add(index)


def plan_works(
    inputs: Sequence[Path],
    options: ExportOptions,
    scratch: ScratchFolder,
    progress: Progress | None = None,
) -> WorkPlan:
    """Read every input once, resolve who is who, group records into works and key them."""
    progress = progress or Progress(None)
    gathered = _Gathered(
        Spill(scratch.new_file("records", ".pickle")),
        IdentityInputs(),
        MergeKeys(),
        [],
        DigestColumn(),
        set(),
        [],
    )
    reading = read_inputs(inputs, options, Minter(options.base_iri), progress, gathered.keep)
    scratch.measure()
    progress.stage("resolving who is who, and which records are one work")
    records = gathered.records
    identities, resolutions = resolve_inputs(gathered.identity)
    resolutions += possible_duplicates(records, identities, gathered.identity.names)
    venues = gathered.venues
    groups = group_records(
        gathered.keys,
        lambda index: journal_by_issn(identities, venues[index]),
        lambda index: records[index].source,
    )
    members: dict[int, list[int]] = {}
    work_count = 0
    for index in range(len(records)):
        first = groups.first_of(index)
        if first == index:
            work_count += 1
        else:
            members.setdefault(first, [first]).append(index)
    merged: dict[int, MergedWork] = {}
    for first in sorted(members):
        group = [_sourced(gathered.input_files, index, records[index]) for index in members[first]]
        merged[first] = merge_group(group, groups.reason(first))
    minter = Minter(options.base_iri, identities)
    minter.identities.works.update(keep_keys_apart(_work_keys(minter, groups, merged, gathered)))
    themes = ThemeVocabulary.load(options.themes or vocab_file("themes.ttl"), minter)
    plan = WorkPlan(
        reading, records, gathered.input_files, groups, merged, work_count, resolutions,
        minter, themes,
    )  # fmt: skip
    # The register keeps works', persons', journals' and books' IRIs (not themes'): it reads
    # the works back from scratch, once, before any is mapped.
    plan.published = name_and_publish(minter, plan.works(), reading.sources, options, progress)
    return plan


def _sourced(input_files: list[tuple[int, URIRef]], index: int, record: Record) -> SourcedRecord:
    """The record at ``index`` with the node of the input it was read from."""
    starts = [start for start, _ in input_files]
    return SourcedRecord(record, input_files[bisect.bisect_right(starts, index) - 1][1])


def _work_keys(
    minter: Minter, groups: WorkGroups, merged: dict[int, MergedWork], gathered: _Gathered
) -> Iterator[tuple[bytes, Callable[[], str], Callable[[], SourceLocation]]]:
    """Each work's own key (as a digest), its fuller key and its source, in the order of the
    works, as :func:`kg.resolve.mint.keep_works_apart` takes them; the records are read back
    only for what is asked of them (books, works that need a fuller key)."""
    records = gathered.records
    for index in range(len(records)):
        if groups.first_of(index) != index:
            continue
        work = merged.get(index)
        if work is not None:
            record = work.record
            yield (
                key_digest(minter.work_key(record)),
                functools.partial(fuller_work_key, record),
                functools.partial(_source_of, record),
            )
            continue
        own = gathered.own_keys[index]
        assert own is not None  # every record has a key of its own
        if index in gathered.books:
            own = key_digest(minter.work_key(records[index]))
        yield (
            own,
            functools.partial(_fuller_at, records, index),
            functools.partial(_source_at, records, index),
        )


def _fuller_at(records: Spill[Record], index: int) -> str:
    return fuller_work_key(records[index])


def _source_at(records: Spill[Record], index: int) -> SourceLocation:
    return records[index].source


def _source_of(record: Record) -> SourceLocation:
    return record.source
