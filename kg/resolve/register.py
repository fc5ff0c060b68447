"""The identifier register: IRIs, once published, are kept.

Without a register an entity's IRI follows what an export knows of it: a work learns a DOI and
moves from ``work/<hash>`` to ``work/doi/…``, a corrected title changes the hash, a person moves
from ``person/julie-repper`` to ``person/orcid-…``. The register (a SQLite file) remembers every
IRI it was asked to publish with the keys that led to it, and a later export that finds an entity
by any of those keys keeps the IRI it had:

works      the keys merging uses (``kg.resolve.merge.identity_keys``): DOI, PMID, the title key
           (type, title, year, author family names), the abstract key, the record's fingerprint;
           and, when the record gives pages, its place (type, year, authors, venue, volume, issue,
           first page), so a corrected title without a DOI keeps the IRI
persons    every written form's own key: ``orcid-…`` or the name as a slug
journals   every ISSN, and each venue's own key (its ISSN or title slug)
books      every ISBN-13, and each venue's own key

Keys are looked up strongest first (identifiers, then the fingerprint, titles and abstracts, then
places and names). A key that two entities of this export share, or that the register holds for
two IRIs, decides nothing. Each published IRI goes to the entity that finds it by the strongest
key (input order breaks ties). An entity that finds two published IRIs keeps the older and states
the other ``owl:sameAs`` it (every later export says it again); neither is dropped. An entity
that finds none gets the IRI kg mints today (so a new register changes no IRI), or, when that IRI
went to another entity of this export, was published with another DOI, PMID or ORCID, or was
linked owl:sameAs another, a new one beside it. Two different entities never share
an IRI.

The whole decision runs in one SQLite transaction that holds the write lock from the start
(``BEGIN IMMEDIATE``), so two exports sharing one register take turns and never interleave.
Rows are scoped by the base IRI: one register can serve exports under several bases.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.records import PersonName, Record, Venue
from kg.errors import KgError
from kg.identifiers import isbn, issn
from kg.resolve.identity import (
    Identities,
    book_key,
    display_name,
    fold,
    journal_key,
    person_key,
)
from kg.resolve.merge import MergedWork, identity_keys
from kg.resolve.mint import Minter, short_hash
from kg.resolve.slugs import slug

REGISTER_FILE = "register.sqlite"  # the default register's name in an export folder
_FORMAT = "kg identifier register 1"
KEYS_OF_PATH = "SELECT key FROM key INDEXED BY key_of_path WHERE base = ? AND path = ?"
KEY_LOOKUP = "SELECT path FROM key WHERE base = ? AND key = ?"
_IDENTIFIERS = ("doi:", "pmid:", "orcid:")  # keys that name one entity and no other
_BUSY_SECONDS = 600.0  # how long an export waits while another holds the register
# Key kinds, strongest first: the rank of a key decides who gets a published IRI.
_RANKS = {
    kind: rank
    for rank, kinds in enumerate(
        (
            ("doi", "pmid", "orcid", "issn", "isbn"),
            ("fingerprint",),
            ("title", "abstract"),
            ("place", "person", "periodical", "book"),
        )
    )
    for kind in kinds
}
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # kept: the path this IRI was found to be the same entity as (owl:sameAs), or NULL
    "CREATE TABLE IF NOT EXISTS iri (base TEXT NOT NULL, path TEXT NOT NULL, kept TEXT, "
    "PRIMARY KEY (base, path))",
    "CREATE TABLE IF NOT EXISTS key (base TEXT NOT NULL, key TEXT NOT NULL, "
    "path TEXT NOT NULL, PRIMARY KEY (base, key, path))",
    # A published IRI's identifiers, looked up for each IRI a key finds.
    "CREATE INDEX IF NOT EXISTS key_of_path ON key (base, path)",
)


class RegisterError(KgError):
    """The register cannot be opened or is not kg's."""


@dataclass(frozen=True)
class Entity:
    """One thing an export mints an IRI for: the path it gets today, and its keys."""

    fresh: str  # the path under the base IRI that kg mints without a register
    keys: tuple[str, ...]  # "kind:value"


@dataclass(frozen=True)
class SameAs:
    """Two published IRIs found to be one entity: ``other`` owl:sameAs ``kept``."""

    kept: str  # paths under the base IRI
    other: str


@dataclass
class Published:
    """What the register decided for one export."""

    paths: dict[str, str] = field(default_factory=dict)  # fresh path -> published, where differ
    same_as: list[SameAs] = field(default_factory=list)  # every link to an entity of the export
    new_links: list[SameAs] = field(default_factory=list)  # those this export found
    reused: int = 0  # entities that kept an IRI published before
    minted: int = 0  # entities given an IRI for the first time


# --- the entities of an export and their keys -------------------------------------------------


def export_entities(
    works: Iterable[MergedWork], identities: Identities, minter: Minter
) -> list[Entity]:
    """Works, persons, journals and books of an export, in input order, with their keys."""
    entities: list[Entity] = []
    persons: dict[str, list[str]] = defaultdict(list)
    journals: dict[str, list[str]] = defaultdict(list)
    books: dict[str, list[str]] = defaultdict(list)
    for work in works:
        path = _path(minter, str(minter.work(work.record)))
        if not path.startswith("book/"):  # a book's own record is its book node (below)
            entities.append(Entity(path, tuple(_work_keys(work))))
        for member in work.members:
            record = member.record
            for name in (*record.authors, *record.editors):
                key = identities.person(name)
                if key and not name.organization:
                    persons[f"person/{key}"] += _person_keys(name)
            venue = record.venue
            if venue is None:
                continue
            if venue.is_book:
                if book := identities.book(venue):
                    books[f"book/{book}"] += _venue_keys("book", book_key(venue), venue)
            elif journal := identities.journal(venue):
                journals[f"periodical/{journal}"] += _venue_keys(
                    "periodical", journal_key(venue), venue
                )
    for group in (persons, journals, books):
        entities += [Entity(path, tuple(dict.fromkeys(keys))) for path, keys in group.items()]
    return entities


def _person_keys(name: PersonName) -> list[str]:
    """An ORCID, and the name: a person published by name keeps that IRI when an ORCID is
    learned (as kg's own rule makes a full name the one ORCID holder of that name)."""
    local = person_key(name)
    if local.startswith("orcid-"):
        return [f"orcid:{local.removeprefix('orcid-')}", f"person:{slug(display_name(name))}"]
    return [f"person:{local}"]


def _path(minter: Minter, iri: str) -> str:
    return iri.removeprefix(minter.base)


def _work_keys(work: MergedWork) -> Iterator[str]:
    records = [work.record, *(member.record for member in work.members)]
    for record in records:
        for kind, value in identity_keys(record):
            if kind in ("doi", "pmid"):
                yield f"{kind}:{value.casefold()}"
            else:
                yield f"{kind}:{short_hash(value, length=32)}"
        if place := _place(record):
            yield f"place:{short_hash(*place, length=32)}"


def _place(record: Record) -> tuple[str, ...] | None:
    """Where a work is printed: a corrected title leaves it where it was. Only with a page (or
    article number): two papers of one issue by the same authors must not share a place."""
    venue = record.venue
    first_page = record.page_start or record.article_number
    if venue is None or not first_page or record.published is None or not record.authors:
        return None
    families = ";".join(fold(a.family or a.written) for a in record.authors)
    where = fold(venue.title) if not venue.issns else ";".join(sorted(i.value for i in venue.issns))
    return (record.kind.value, str(record.published.year), families, where,
            fold(venue.volume), fold(venue.issue), fold(first_page))  # fmt: skip


def _venue_keys(kind: str, local: str | None, venue: Venue) -> list[str]:
    keys = [f"{kind}:{local}"] if local else []
    keys += [f"issn:{issn.format(i.value)}" for i in venue.issns if issn.is_valid(i.value)]
    keys += [f"isbn:{isbn.to_isbn13(i)}" for i in venue.isbns if isbn.is_valid(i)]
    return keys


# --- the register -----------------------------------------------------------------------------


@contextlib.contextmanager
def _connected(path: Path) -> Iterator[sqlite3.Connection]:
    """The register at ``path`` (made when missing), its schema checked."""
    try:
        connection = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise RegisterError(f"{path}: cannot open the identifier register: {error}") from None
    try:
        yield connection
    except sqlite3.Error as error:
        raise RegisterError(f"{path}: not a kg identifier register ({error})") from None
    finally:
        connection.close()


def _check_format(connection: sqlite3.Connection, path: Path) -> None:
    for statement in _SCHEMA:  # one by one: executescript would commit the transaction
        connection.execute(statement)
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (_FORMAT,))
    (found,) = connection.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
    if found != _FORMAT:
        raise RegisterError(f"{path}: a register of another format ({found!r}), not {_FORMAT!r}")


def publish(path: Path, base: str, entities: Sequence[Entity]) -> Published:
    """Decide every entity's IRI path with the register at ``path``, and remember them."""
    with _connected(path) as connection:
        connection.execute("BEGIN IMMEDIATE")  # the write lock, before anything is read
        try:
            _check_format(connection, path)
            published = _decide(_Rows(connection, base), entities)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return published


def copy_register(source: Path, target: Path) -> None:
    """``source``'s register into a new file ``target`` (SQLite's backup: a consistent copy
    even while another process writes it); nothing when ``source`` does not exist."""
    if not source.is_file():
        return
    with _connected(source) as old, _connected(target) as new:
        old.backup(new)


class _Rows:
    """The register's rows under one base IRI."""

    def __init__(self, connection: sqlite3.Connection, base: str) -> None:
        self.connection, self.base = connection, base
        rows = connection.execute("SELECT path, kept, rowid FROM iri WHERE base = ?", (base,))
        self.kept: dict[str, str | None] = {}
        self.age: dict[str, int] = {}
        for path_, kept, rowid in rows:
            self.kept[path_], self.age[path_] = kept, rowid

    def final(self, path: str) -> str:
        """The IRI a published one stands for now (itself, unless it was found the same as
        another)."""
        seen = {path}
        while (kept := self.kept.get(path)) is not None and kept not in seen:
            path = kept
            seen.add(path)
        return path

    def lookup(self, key: str) -> set[str]:
        rows = self.connection.execute(KEY_LOOKUP, (self.base, key))
        return {self.final(path) for (path,) in rows}

    def identifiers(self, path: str) -> set[str]:
        """The DOIs, PMIDs and ORCIDs the register holds for ``path`` ("kind:value")."""
        # All of the path's keys (a handful), filtered here. INDEXED BY: without statistics
        # SQLite's planner prefers the primary key's index on the base alone, a scan of every key.
        rows = self.connection.execute(KEYS_OF_PATH, (self.base, path))
        return {key for (key,) in rows if key.startswith(_IDENTIFIERS)}

    def remember(self, path: str, keys: Iterable[str], kept: str | None = None) -> None:
        if path not in self.kept:
            self.connection.execute("INSERT INTO iri VALUES (?, ?, NULL)", (self.base, path))
            self.kept[path] = None
        if kept is not None:
            self.connection.execute(
                "UPDATE iri SET kept = ? WHERE base = ? AND path = ?", (kept, self.base, path)
            )
            self.kept[path] = kept
        self.connection.executemany(
            "INSERT OR IGNORE INTO key VALUES (?, ?, ?)", ((self.base, k, path) for k in keys)
        )


def _decide(rows: _Rows, entities: Sequence[Entity]) -> Published:
    holders: dict[str, int] = defaultdict(int)
    for entity in entities:
        for key in set(entity.keys):
            holders[key] += 1
    keys = [tuple(k for k in e.keys if holders[k] == 1) for e in entities]  # shared keys: none
    # Every (rank, entity, published path) a key finds; each path goes to the first finder.
    found: list[tuple[int, int, str]] = []
    for index, entity_keys in enumerate(keys):
        for key in entity_keys:
            paths = rows.lookup(key)
            if len(paths) != 1:  # a key the register holds for two IRIs decides nothing
                continue
            path = paths.pop()
            if not _differ(set(entity_keys), rows.identifiers(path)):
                found.append((_RANKS[key.split(":", 1)[0]], index, path))
    claimed: dict[str, int] = {}
    for _, index, path in sorted(found):
        claimed.setdefault(path, index)
    by_entity: dict[int, list[str]] = defaultdict(list)
    for path, index in claimed.items():
        by_entity[index].append(path)
    published = Published()
    chosen: dict[int, str] = {}
    for index, found_paths in by_entity.items():
        found_paths.sort(key=lambda p: rows.age[p])  # the oldest published IRI is kept
        chosen[index] = found_paths[0]
        published.reused += 1
        for other in found_paths[1:]:
            published.new_links.append(SameAs(found_paths[0], other))
            rows.remember(other, (), kept=found_paths[0])
    taken = set(chosen.values())
    for index, entity in enumerate(entities):
        if index in chosen:
            continue
        path, again = entity.fresh, 2
        while path in taken or not _free(rows, path, entity):
            path = _beside(entity.fresh, again)
            again += 1
        chosen[index] = path
        taken.add(path)
        published.minted += 1
    for index, entity in enumerate(entities):
        rows.remember(chosen[index], keys[index])
        if chosen[index] != entity.fresh:
            published.paths[entity.fresh] = chosen[index]
    published.same_as = sorted(
        (SameAs(rows.final(path), path) for path in rows.kept if rows.final(path) != path
         and rows.final(path) in taken),
        key=lambda link: (link.kept, link.other),
    )  # fmt: skip
    return published


def _free(rows: _Rows, path: str, entity: Entity) -> bool:
    """Whether ``entity`` may have ``path``, the IRI kg mints for it, though no key of its
    found it (its keys were all shared): unless it was published for an entity with another
    DOI, PMID or ORCID, or found to be the same as another IRI, it is this entity's by kg's
    own minting rule."""
    if path not in rows.kept:
        return True
    return rows.final(path) == path and not _differ(set(entity.keys), rows.identifiers(path))


def _differ(mine: set[str], published: set[str]) -> bool:
    """Whether a published IRI has a DOI, PMID or ORCID and the entity another of that kind:
    then it names another entity, however alike their titles or names (as merging refuses)."""
    for kind in _IDENTIFIERS:
        ours = {key for key in mine if key.startswith(kind)}
        theirs = {key for key in published if key.startswith(kind)}
        if ours and theirs and not ours & theirs:
            return True
    return False


def _beside(fresh: str, again: int) -> str:
    """A new path for an entity whose own was published for another: a work's by a hash (a
    suffix could read as part of a DOI), anything else's with a number."""
    if fresh.startswith("work/"):
        return f"work/{short_hash(fresh, str(again))}"
    return f"{fresh}-{again}"
