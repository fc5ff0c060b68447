"""The same work from several records: which records are one work, and the one record they make.

Records are one work when they share a valid DOI, a PMID, or, when neither settles it, the same
kind, title, year and author family names (folded), or (a search page gives no titles) the same
kind, year, author family names and whole abstract (letters and digits, headings left out). Records
whose DOIs (or PMIDs) differ are never one work, whatever else they share: the sample's two 2012
papers by the same authors in the same issue stay two.

Merging keeps, for each field, the value of the record that comes first: the first input named
on the command line, then the order of records in a file. A value only a later record gives is
added. When two records give different values (two titles, two dates), the first is kept and a
:class:`Conflict` reports both. A date and a more precise date that agrees with it (``2012`` and
``2012-06-15``) are not a conflict: the precise one is kept. Lists that add up (keywords, ISSNs,
ISBNs, funders, licences) are united; author lists are not: the first complete list is kept and
a later record may only add ORCIDs to authors with the same family name at the same position.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef

from kg.core.languages import language_tag
from kg.core.problems import SourceLocation
from kg.core.records import PartialDate, PersonName, Record, Venue
from kg.core.text import shorten
from kg.identifiers import doi
from kg.resolve.identity import fold
from kg.resolve.mint import key_digest, work_fingerprint


@dataclass(frozen=True)
class SourcedRecord:
    """A record and the provenance node of the input file it was read from."""

    record: Record
    input_file: URIRef


@dataclass(frozen=True)
class Conflict:
    """Two records of one work disagree about a field; the first value is kept."""

    field: str  # as people say it: "title", "publication date", "journal title" ...
    kept: str
    kept_from: SourceLocation
    other: str
    other_from: SourceLocation


@dataclass(frozen=True)
class MergedWork:
    record: Record  # the merged record (the first member's location and number)
    members: tuple[SourcedRecord, ...]  # in precedence order
    reason: str | None  # why the members are one work; None when there is one member
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class RefusedMerge:
    """Records that looked like one work but are not (their DOIs or PMIDs differ)."""

    locations: tuple[SourceLocation, ...]
    reason: str


def _doi_key(record: Record) -> str | None:
    return doi.compact(record.doi) if record.doi and doi.is_valid(record.doi) else None


def _pmid_key(record: Record) -> str | None:
    return record.pmid.strip() if record.pmid and record.pmid.strip().isdigit() else None


def _title_key(record: Record) -> str | None:
    # Without authors a title says too little ("Editorial", "Book reviews"): no key.
    if not record.title or record.published is None or not record.authors:
        return None
    families = ";".join(fold(a.family or a.written) for a in record.authors)
    return "\x1f".join(
        (record.kind.value, fold(record.title), str(record.published.year), families)
    )


# Section headings of structured abstracts, as letters: a source that runs the sections together
# ("Purpose – This paper …") writes them into the text, a search page sets them apart.
_HEADINGS = (
    "designmethodologyapproach",
    "researchlimitationsimplications",
    "practicalimplications",
    "socialimplications",
    "originalityvalue",
    "findings",
    "purpose",
)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"
_ABSTRACT_KEY_MIN = 200  # letters and digits; a shorter abstract is not a safe key


def _abstract_key(record: Record) -> str | None:
    """A page of search results gives no title: its works are known by authors, year and the
    whole abstract, compared as letters and digits without section headings (two papers of one
    issue may open with the same paragraph, as the sample's two 2012 papers do)."""
    if record.published is None or not record.authors:
        return None
    letters = _abstract_letters(record)
    if len(letters) < _ABSTRACT_KEY_MIN:
        return None
    families = ";".join(fold(a.family or a.written) for a in record.authors)
    return "\x1f".join((record.kind.value, str(record.published.year), families, letters))


def _abstract_letters(record: Record) -> str:
    """The abstract as letters and digits, section headings left out."""
    if record.abstract_sections:
        text = " ".join(section.text for section in record.abstract_sections)
    else:
        text = record.abstract or ""
    letters = _NOT_ALPHANUMERIC.sub("", fold(text))
    for heading in _HEADINGS:
        letters = letters.replace(heading, "")
    return letters


def _fingerprint_key(record: Record) -> str:
    return "\x1f".join(work_fingerprint(record))


def identity_keys(record: Record) -> list[tuple[str, str]]:
    """The keys merging knows ``record`` by, strongest first, named: what the identifier
    register (kg.resolve.register) remembers a work by."""
    named = (("doi", _doi_key), ("pmid", _pmid_key), ("title", _title_key),
             ("abstract", _abstract_key), ("fingerprint", _fingerprint_key))  # fmt: skip
    return [(name, key) for name, key_of in named if (key := key_of(record)) is not None]


JournalOf = Callable[[Record], str | None]

_DIGEST_BYTES = len(key_digest(""))


class DigestColumn:
    """One key of every record, as fixed-size digests in one buffer (None: the record has no
    such key): 16 bytes a record, where a dict of the keys themselves holds hundreds."""

    _NONE = bytes(_DIGEST_BYTES)

    def __init__(self) -> None:
        self._digests = bytearray()

    def append(self, key: str | None) -> None:
        self._digests += self._NONE if key is None else key_digest(key)

    def __getitem__(self, index: int) -> bytes | None:
        digest = bytes(self._digests[index * _DIGEST_BYTES : (index + 1) * _DIGEST_BYTES])
        return None if digest == self._NONE else digest

    def __len__(self) -> int:
        return len(self._digests) // _DIGEST_BYTES


class MergeKeys:
    """The keys :func:`group_works` compares, gathered one record at a time: DOIs and PMIDs as
    compared (a refusal names them), the title, abstract and whole-record keys as digests."""

    def __init__(self) -> None:
        self.dois: list[str | None] = []
        self.pmids: list[str | None] = []
        self.titles = DigestColumn()
        self.abstracts = DigestColumn()
        self.fingerprints = DigestColumn()

    def add(self, record: Record) -> None:
        self.dois.append(_doi_key(record))
        self.pmids.append(_pmid_key(record))
        self.titles.append(_title_key(record))
        self.abstracts.append(_abstract_key(record))
        self.fingerprints.append(_fingerprint_key(record))

    def __len__(self) -> int:
        return len(self.dois)

    def passes(self) -> list[tuple[Callable[[int], str | bytes | None], str, bool]]:
        """Each key, with the reason records sharing it are one work and whether it is an
        identifier (which outweighs a journal a source got wrong), in the order they are tried."""
        return [
            (self.dois.__getitem__, "same DOI", True),
            (self.pmids.__getitem__, "same PMID", True),
            (self.titles.__getitem__, "same type, title, year and author family names", False),
            (
                self.abstracts.__getitem__,
                "same type, year, author family names and abstract",
                False,
            ),
            (self.fingerprints.__getitem__, "identical records", False),
        ]


class _Groups:
    """Union-find over record indexes that refuses to join two different DOIs or PMIDs, and,
    when the match is by title or abstract, two different journals.

    A group's DOIs, PMIDs and journals are held as sets only once it has two records; a record
    alone has its own (at most one of each), read from the columns."""

    def __init__(self, keys: MergeKeys, journal_of: Callable[[int], str | None]) -> None:
        self.parent = list(range(len(keys)))
        self._own: dict[str, Callable[[int], str | None]] = {
            "DOIs": keys.dois.__getitem__,
            "PMIDs": keys.pmids.__getitem__,
            "journals": journal_of,
        }
        self._joined: dict[str, dict[int, set[str]]] = {name: {} for name in self._own}
        self.reasons: dict[int, str] = {}

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def _keys(self, name: str, root: int) -> set[str]:
        joined = self._joined[name].get(root)
        if joined is not None:
            return joined
        own = self._own[name](root)
        return {own} if own else set()

    def union(self, first: int, second: int, reason: str, by_identifier: bool) -> str | None:
        """Join two groups; the refusal reason when their identifiers (or journals) differ."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return None
        names = ["DOIs", "PMIDs"]
        if not by_identifier:  # a DOI or PMID outweighs a journal a source got wrong
            names.append("journals")
        for name in names:
            keys_a, keys_b = self._keys(name, a), self._keys(name, b)
            if keys_a and keys_b and keys_a != keys_b:
                return f"{reason}, but their {name} differ ({', '.join(sorted(keys_a | keys_b))})"
        a, b = min(a, b), max(a, b)
        for name, joined in self._joined.items():
            united = self._keys(name, a) | self._keys(name, b)
            joined.pop(b, None)
            joined[a] = united
        self.parent[b] = a
        self.reasons.setdefault(a, reason)
        return None


@dataclass
class WorkGroups:
    """Which records are one work: each record's group is named by its first record."""

    groups: _Groups
    refused: list[RefusedMerge]

    def first_of(self, index: int) -> int:
        """The first record of ``index``'s work (``index`` itself when it begins one)."""
        return self.groups.find(index)

    def reason(self, first: int) -> str:
        return self.groups.reasons[first]


def group_records(
    keys: MergeKeys,
    journal_of: Callable[[int], str | None],
    source_of: Callable[[int], SourceLocation],
) -> WorkGroups:
    """The works the records ``keys`` were gathered from make (see :func:`group_works`), by
    record index; ``journal_of`` and ``source_of`` tell a record's journal and place."""
    groups = _Groups(keys, journal_of)
    refused: list[RefusedMerge] = []
    refused_pairs: set[tuple[SourceLocation, SourceLocation]] = set()
    for key_of, reason, by_identifier in keys.passes():
        first_with: dict[str | bytes, int] = {}
        for index in range(len(keys)):
            key = key_of(index)
            if key is None:
                continue
            if key not in first_with:
                first_with[key] = index
                continue
            refusal = groups.union(first_with[key], index, reason, by_identifier)
            if refusal:
                locations = (source_of(first_with[key]), source_of(index))
                if locations not in refused_pairs:  # one refusal per pair of records
                    refused_pairs.add(locations)
                    refused.append(RefusedMerge(locations, refusal))
    return WorkGroups(groups, refused)


def group_works(
    items: Sequence[SourcedRecord], journal_of: JournalOf = lambda record: None
) -> tuple[list[MergedWork], list[RefusedMerge]]:
    """The works ``items`` describe, in order of first appearance, each merged from its records.

    ``journal_of`` names the journal a record is in when that is known for sure (by ISSN): two
    records in different journals are not one work, however alike their titles or abstracts.
    """
    keys = MergeKeys()
    for item in items:
        keys.add(item.record)
    grouped = group_records(
        keys, lambda i: journal_of(items[i].record), lambda i: items[i].record.source
    )
    members: dict[int, list[SourcedRecord]] = {}
    for index, item in enumerate(items):
        members.setdefault(grouped.first_of(index), []).append(item)
    works = []
    for first, group in members.items():
        if len(group) == 1:
            works.append(MergedWork(group[0].record, (group[0],), None))
        else:
            works.append(merge_group(group, grouped.reason(first)))
    return works, grouped.refused


def merge_group(group: Sequence[SourcedRecord], reason: str) -> MergedWork:
    """The work of two or more records, merged."""
    merged, conflicts = merge_records([item.record for item in group])
    return MergedWork(merged, tuple(group), reason, tuple(conflicts))


# --- merging the records of one work ---------------------------------------------------------

_SCALARS = (
    "title",
    "doi",
    "pmid",
    "article_type",
    "snippet",
    "downloads",
    "url",
    "language",
    "publisher",
    "page_start",
    "page_end",
    "article_number",
)
_UNITED = ("keywords", "funders", "licenses")
_VENUE_FIELDS = {
    "title": "journal or book title",
    "volume": "volume",
    "issue": "issue",
    "short_title": "journal abbreviation",
}


def merge_records(records: Sequence[Record]) -> tuple[Record, list[Conflict]]:
    """One record from several records of one work, first record first; the conflicts found."""
    first = records[0]
    conflicts: list[Conflict] = []
    changes: dict[str, Any] = {}
    for name in _SCALARS:
        changes[name] = _first_of(records, name, _same_text, conflicts)
    changes["published"] = _merge_dates(records, conflicts)
    changes["abstract"], changes["abstract_sections"] = _merge_abstracts(records, conflicts)
    for name in _UNITED:
        united: dict[Any, None] = {}
        for record in records:
            united.update(dict.fromkeys(getattr(record, name)))
        changes[name] = tuple(united)
    changes["authors"], changes["authors_incomplete"] = _merge_authors(records, conflicts)
    changes["editors"] = next((r.editors for r in records if r.editors), ())
    changes["venue"] = _merge_venues(records, conflicts)
    return dataclasses.replace(first, **changes), conflicts


def _same_text(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return (
            fold(a) == fold(b)
            or language_tag(a) == language_tag(b) != a
            or (doi.is_valid(a) and doi.is_valid(b) and doi.compact(a) == doi.compact(b))
        )
    return bool(a == b)


def _first_of(
    records: Sequence[Record],
    name: str,
    same: Callable[[Any, Any], bool],
    conflicts: list[Conflict],
    owner: Callable[[Record], Any] = lambda record: record,
    label: str | None = None,
) -> Any:
    kept: Any = None
    kept_from: SourceLocation | None = None
    for record in records:
        value = getattr(owner(record), name, None) if owner(record) is not None else None
        if value is None:
            continue
        if kept_from is None:
            kept, kept_from = value, record.source
        elif not same(kept, value):
            field_name = label or name.replace("_", " ")
            conflict = Conflict(field_name, str(kept), kept_from, str(value), record.source)
            conflicts.append(conflict)
    return kept


def _merge_dates(records: Sequence[Record], conflicts: list[Conflict]) -> PartialDate | None:
    kept: PartialDate | None = None
    kept_from: SourceLocation | None = None
    for record in records:
        date = record.published
        if date is None:
            continue
        if kept is None or kept_from is None:
            kept, kept_from = date, record.source
        elif date.lexical.startswith(kept.lexical):  # the same date, said more precisely
            kept = date
        elif not kept.lexical.startswith(date.lexical):
            conflicts.append(
                Conflict("publication date", kept.lexical, kept_from, date.lexical, record.source)
            )
    return kept


def _merge_abstracts(
    records: Sequence[Record], conflicts: list[Conflict]
) -> tuple[str | None, tuple[Any, ...]]:
    """The first structured abstract, else the first plain one (a structured one says more)."""
    with_text = [r for r in records if r.full_abstract]
    if not with_text:
        return None, ()
    chosen = next((r for r in with_text if r.abstract_sections), with_text[0])
    for record in with_text:
        # the same words, however headings and punctuation are set, are the same abstract
        if record is not chosen and _abstract_letters(record) != _abstract_letters(chosen):
            conflicts.append(
                Conflict(
                    "abstract",
                    _clip(chosen.full_abstract),
                    chosen.source,
                    _clip(record.full_abstract),
                    record.source,
                )
            )
    return chosen.abstract, chosen.abstract_sections


def _clip(text: str | None, length: int = 80) -> str:
    return shorten(" ".join((text or "").split()), length)


def _merge_authors(
    records: Sequence[Record], conflicts: list[Conflict]
) -> tuple[tuple[PersonName, ...], bool]:
    with_authors = [r for r in records if r.authors]
    if not with_authors:
        return (), any(r.authors_incomplete for r in records)
    complete = [r for r in with_authors if not r.authors_incomplete]
    chosen = (complete or with_authors)[0]
    authors = list(chosen.authors)
    for record in with_authors:
        if record is chosen:
            continue
        families = [fold(a.family or a.written) for a in record.authors]
        if families != [fold(a.family or a.written) for a in authors]:
            if not record.authors_incomplete:
                conflicts.append(
                    Conflict(
                        "authors",
                        "; ".join(a.written for a in authors),
                        chosen.source,
                        "; ".join(a.written for a in record.authors),
                        record.source,
                    )
                )
            continue
        for position, other in enumerate(record.authors):  # same people in the same order
            if other.orcid and not authors[position].orcid:
                authors[position] = dataclasses.replace(authors[position], orcid=other.orcid)
    return tuple(authors), chosen.authors_incomplete


def _merge_venues(records: Sequence[Record], conflicts: list[Conflict]) -> Venue | None:
    venues = [r for r in records if r.venue is not None]
    if not venues:
        return None
    changes: dict[str, Any] = {}
    for name in ("title", "volume", "issue", "short_title"):
        changes[name] = _first_of(
            venues, name, _same_text, conflicts, lambda r: r.venue, label=_VENUE_FIELDS[name]
        )
    issns: dict[str, Any] = {}
    isbns: dict[str, None] = {}
    for record in venues:
        assert record.venue is not None
        for value in record.venue.issns:
            issns.setdefault(value.value, value)  # first kind given wins
        isbns.update(dict.fromkeys(record.venue.isbns))
    changes["issns"] = tuple(issns.values())
    changes["isbns"] = tuple(isbns)
    first = venues[0].venue
    assert first is not None
    # Ahead of print while one record says so and no record places the work in a volume or issue.
    placed = any(r.venue is not None and (r.venue.volume or r.venue.issue) for r in venues)
    said = any(r.venue is not None and r.venue.ahead_of_print for r in venues)
    changes["ahead_of_print"] = said and not placed
    if changes["ahead_of_print"]:
        changes["volume"] = changes["issue"] = None
    return dataclasses.replace(first, **changes)
