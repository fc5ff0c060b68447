"""Who is who across records and inputs: the keys the minter turns into IRIs.

One record alone gives each journal, book and person a key from what it says (``issn-1755-6228``,
``isbn-9781803824291``, ``orcid-0000-…`` or ``julie-repper``). Several inputs say more together, so
:func:`resolve` looks at every record of an export once and decides which keys name one thing:

journals   every ISSN one venue gives (print, electronic, linking) names one journal,
           transitively; the key is the linking ISSN when known, else the print ISSN, else the
           lowest. A venue with no valid ISSN joins a journal whose title (or abbreviation) is the
           same, folded, when exactly one journal has it.
books      ISBN-10 and ISBN-13 forms and every ISBN one venue gives name one book; the key is the
           lowest ISBN-13.
persons    an ORCID is the person. A full name ("Laura N. Wilson") without an ORCID is the ORCID
           holder of that very name when exactly one holder has it. A name with initials only
           ("Wilson, L.N.") is the one person of that family name whose given names start with those
           initials; with two or more such candidates it stays a person of its own and the report
           says why. Nothing else merges two written names.

Each merge is kept as a :class:`Resolution` for the merge report.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import quote

from kg.core.problems import SourceLocation
from kg.core.records import IssnKind, PersonName, Record, Venue, WorkKind
from kg.identifiers import doi, isbn, issn, orcid
from kg.read.names import is_initials
from kg.resolve.slugs import slug

_ISSN_KIND_RANK = {
    IssnKind.LINKING: 0,
    IssnKind.PRINT: 1,
    IssnKind.ELECTRONIC: 2,
    IssnKind.UNKNOWN: 3,
}


def fold(text: str | None) -> str:
    """Case, accents and spacing folded, for comparing names and titles as equal.

    >>> fold("  Ibáñez,  J.  ") == fold("IBANEZ, J.")
    True
    """
    text = (text or "").casefold()
    if not text.isascii():  # ASCII has no accents to take off (and most text is ASCII)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.replace(".", " ").split())


def display_name(name: PersonName) -> str:
    """The name in "Given Family" order: ``Wilson, L.N.`` reads ``L.N. Wilson``.

    >>> display_name(PersonName("Repper, Julie", given="Julie", family="Repper"))
    'Julie Repper'
    >>> display_name(PersonName("King, Martin Luther, Jr.", given="Martin Luther", family="King"))
    'Martin Luther King Jr.'
    >>> display_name(PersonName("Julie Repper", given="Julie", family="Repper"))
    'Julie Repper'
    """
    parts = [part.strip() for part in name.written.split(",")]
    if name.organization or len(parts) < 2 or not (name.given and name.family):
        return name.written.strip()
    return " ".join([name.given, name.family, *filter(None, parts[2:])])


def initials(given: str) -> tuple[str, ...]:
    """First letters of the given names: ``L.N.``, ``L. N.``, ``LN`` and ``Laura Nicole`` agree.

    >>> initials("L.N."), initials("SD"), initials("Jean-Paul"), initials("Laura Nicole")
    (('l', 'n'), ('s', 'd'), ('j', 'p'), ('l', 'n'))
    """
    if is_initials(given):
        return tuple(c for c in fold(given) if c.isalpha())
    words = fold(given).replace("-", " ").split()
    return tuple(word[0] for word in words if word[0].isalpha())


@functools.lru_cache(maxsize=1 << 16)  # a name recurs in every record it is on, and slugs cost
def person_key(name: PersonName) -> str:
    """The key one name gives alone: ORCID, else the name in "Given Family" order, as a slug."""
    if name.orcid and orcid.is_valid(name.orcid):
        return f"orcid-{orcid.format(name.orcid)}"
    if name.given and name.family and is_initials(name.given):
        return slug(" ".join([*initials(name.given), name.family]))
    return slug(display_name(name))


def organization_key(name: str) -> str:
    """A corporate author, publisher or funder without a DOI, by its name folded."""
    return slug(name)


def funder_key(funder_doi: str) -> str:
    """A funder of the Crossref Funder Registry, by its DOI (10.13039/…)."""
    return "doi/" + quote(doi.compact(funder_doi), safe="/._-")


def _valid_issns(venue: Venue) -> list[tuple[str, IssnKind]]:
    return [(issn.format(i.value), i.kind) for i in venue.issns if issn.is_valid(i.value)]


def _valid_isbns(venue: Venue) -> list[str]:
    return [isbn.to_isbn13(value) for value in venue.isbns if isbn.is_valid(value)]


def journal_key(venue: Venue) -> str | None:
    """The key one venue gives alone (before resolution joins ISSNs)."""
    issns = sorted(_valid_issns(venue), key=lambda pair: (_ISSN_KIND_RANK[pair[1]], pair[0]))
    if issns:
        return f"issn-{issns[0][0]}"
    if venue.title:
        return slug(venue.title) or None
    if venue.issn:  # an invalid ISSN and nothing else: still one journal per written ISSN
        return f"issn-unverified-{slug(venue.issn)}"
    return None


def book_key(venue: Venue) -> str | None:
    """The key one venue gives alone: its lowest valid ISBN-13, else its title (and volume)."""
    isbns = sorted(_valid_isbns(venue))
    if isbns:
        return f"isbn-{isbns[0]}"
    if venue.title:  # the volume tells apart the books of one series without ISBNs
        key = slug(venue.title)
        if not key:
            return None
        return f"{key}/volume/{slug(venue.volume)}" if venue.volume and slug(venue.volume) else key
    if venue.isbn:
        return f"isbn-unverified-{slug(venue.isbn)}"
    return None


@dataclass(frozen=True)
class Resolution:
    """One identity decision: several written forms found to be one thing, or kept apart."""

    kind: str  # "journal", "book", "person"; "possible duplicate" (kg.resolve.duplicates)
    key: str  # the key (IRI path) they resolved to
    forms: tuple[str, ...]  # the identifiers and names involved, as written
    reason: str
    merged: bool = True  # False: a candidate merge that was refused, and why


@dataclass
class Identities:
    """Key overrides decided by :func:`resolve`; without them every record keys itself alone."""

    journals: dict[str, str] = field(default_factory=dict)  # local key -> resolved key
    journal_names: dict[str, str] = field(default_factory=dict)  # resolved key -> one name
    issn_kinds: dict[str, IssnKind] = field(default_factory=dict)  # ISSN -> the medium it names
    books: dict[str, str] = field(default_factory=dict)
    book_names: dict[str, str] = field(default_factory=dict)
    persons: dict[str, str] = field(default_factory=dict)
    person_names: dict[str, PersonName] = field(default_factory=dict)  # resolved key -> name
    # organisation key -> the name first seen ("PeerJ Inc." before "PEERJ INC")
    organization_names: dict[str, str] = field(default_factory=dict)
    # works that would share a key with an earlier work: their own (kg.resolve.mint)
    works: dict[SourceLocation, str] = field(default_factory=dict)

    def organization_name(self, key: str, written: str) -> str:
        return self.organization_names.get(key, written)

    def journal(self, venue: Venue) -> str | None:
        local = journal_key(venue)
        return self.journals.get(local, local) if local else None

    def book(self, venue: Venue) -> str | None:
        local = book_key(venue)
        return self.books.get(local, local) if local else None

    def person(self, name: PersonName) -> str:
        local = person_key(name)
        return self.persons.get(local, local)  # "" for a name without letters: nobody's key

    def canonical_person(self, name: PersonName) -> PersonName:
        """The name the person is known by in this export (the fullest form seen first)."""
        key = self.person(name)
        return self.person_names.get(key, name) if key else name


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, items: Sequence[str]) -> None:
        roots = [self.find(item) for item in items]
        for root in roots[1:]:
            self.parent[root] = roots[0]


_Held = TypeVar("_Held", Venue | None, PersonName)


@dataclass
class IdentityInputs:
    """What :func:`resolve` reads of the records, gathered one record at a time in precedence
    order, so an export need not hold its records to resolve them. Equal names and venues are
    held once: at a million records they repeat far more than they differ."""

    venues: list[Venue] = field(default_factory=list)  # every record's, in order
    titled_books: list[tuple[Venue, str]] = field(default_factory=list)  # books' own records
    names: list[PersonName] = field(default_factory=list)  # every author and editor not an org
    organization_names: dict[str, str] = field(default_factory=dict)  # key -> first written
    _held: dict[object, object] = field(default_factory=dict, repr=False)

    def add(self, record: Record) -> None:
        venue = self.held(record.venue)
        if venue is not None:
            self.venues.append(venue)
            if record.kind is WorkKind.BOOK and venue.is_book and record.title:
                self.titled_books.append((venue, record.title))  # before any chapter names it
        for agent in (*record.authors, *record.editors):
            if agent.organization:
                self.organization_names.setdefault(organization_key(agent.written), agent.written)
            else:
                self.names.append(self.held(agent))
        if record.publisher:
            self.organization_names.setdefault(organization_key(record.publisher), record.publisher)
        for funder in record.funders:
            if not funder.name:
                continue
            key = (
                funder_key(funder.doi)
                if funder.doi and doi.is_valid(funder.doi)
                else organization_key(funder.name)
            )
            self.organization_names.setdefault(key, funder.name)

    def held(self, value: _Held) -> _Held:
        """``value``, or the equal value held already."""
        if value is None:
            return value
        return self._held.setdefault(value, value)  # type: ignore[return-value]


def resolve(records: Iterable[Record]) -> tuple[Identities, list[Resolution]]:
    """Identities across all ``records``, given in precedence order (first input first)."""
    inputs = IdentityInputs()
    for record in records:
        inputs.add(record)
    return resolve_inputs(inputs)


def resolve_inputs(inputs: IdentityInputs) -> tuple[Identities, list[Resolution]]:
    """Identities across the records ``inputs`` were gathered from."""
    identities = Identities()
    resolutions: list[Resolution] = []
    venues = inputs.venues
    _resolve_journals([v for v in venues if not v.is_book], identities, resolutions)
    _resolve_books([v for v in venues if v.is_book], inputs.titled_books, identities, resolutions)
    _resolve_persons(inputs.names, identities, resolutions)
    identities.organization_names.update(inputs.organization_names)
    return identities, resolutions


def _resolve_journals(
    venues: list[Venue], identities: Identities, resolutions: list[Resolution]
) -> None:
    groups = _UnionFind()
    kinds: dict[str, IssnKind] = {}
    for venue in venues:
        issns = _valid_issns(venue)
        for value, kind in issns:  # the first medium a source names for an ISSN is its medium
            if kinds.get(value, IssnKind.UNKNOWN) is IssnKind.UNKNOWN:
                kinds[value] = kind
        groups.union([value for value, _ in issns])
    identities.issn_kinds.update(kinds)
    members: dict[str, list[str]] = defaultdict(list)
    for value in sorted(kinds):
        members[groups.find(value)].append(value)
    canonical: dict[str, str] = {}  # root -> key
    for root, values in members.items():
        best = min(values, key=lambda v: (_ISSN_KIND_RANK[kinds[v]], v))
        canonical[root] = f"issn-{best}"
        for value in values:
            identities.journals[f"issn-{value}"] = canonical[root]
        if len(values) > 1:
            # the medium in brackets where a source named it ("1755-6228 (print)")
            forms = tuple(
                v if kinds[v] is IssnKind.UNKNOWN else f"{v} ({kinds[v].value})" for v in values
            )
            reason = "ISSNs given together for one journal"
            resolutions.append(Resolution("journal", canonical[root], forms, reason))
    # Titles (and abbreviations) of journals known by ISSN, to place venues that give no ISSN.
    by_title: dict[str, set[str]] = defaultdict(set)
    for venue in venues:
        issns = _valid_issns(venue)
        if issns:
            key = canonical[groups.find(issns[0][0])]
            for title in (venue.title, venue.short_title):
                if title:
                    by_title[fold(title)].add(key)
            if venue.title:
                identities.journal_names.setdefault(key, venue.title)
    for venue in venues:
        if _valid_issns(venue) or not venue.title:
            continue
        local = journal_key(venue)
        candidates = by_title.get(fold(venue.title), set())
        if local and len(candidates) == 1:
            (key,) = candidates
            if identities.journals.get(local) != key:
                identities.journals[local] = key
                reason = "same journal title as a journal known by ISSN"
                resolutions.append(Resolution("journal", key, (venue.title,), reason))
        elif local and len(candidates) > 1:
            reason = f"title matches {len(candidates)} journals with different ISSNs; kept apart"
            resolutions.append(Resolution("journal", local, (venue.title,), reason, merged=False))
        if local:
            identities.journal_names.setdefault(identities.journals.get(local, local), venue.title)


def _resolve_books(
    venues: list[Venue],
    titled_books: list[tuple[Venue, str]],
    identities: Identities,
    resolutions: list[Resolution],
) -> None:
    groups = _UnionFind()
    for venue in venues:
        groups.union(_valid_isbns(venue))
    members: dict[str, set[str]] = defaultdict(set)
    for value in list(groups.parent):
        members[groups.find(value)].add(value)
    for values in members.values():
        key = f"isbn-{min(values)}"
        for value in values:
            identities.books[f"isbn-{value}"] = key
        if len(values) > 1:
            reason = "ISBNs given together for one book"
            resolutions.append(Resolution("book", key, tuple(sorted(values)), reason))
    for book, title in titled_books:
        book_key_ = identities.book(book)
        if book_key_:
            identities.book_names.setdefault(book_key_, title)
    for venue in venues:
        book_key_ = identities.book(venue)
        if book_key_ and venue.title:
            identities.book_names.setdefault(book_key_, venue.title)


@dataclass
class _Candidate:
    key: str  # resolved key
    initials: tuple[str, ...]
    name: PersonName


def _resolve_persons(
    names: list[PersonName], identities: Identities, resolutions: list[Resolution]
) -> None:
    orcids_by_name: dict[str, set[str]] = defaultdict(set)
    for name in names:
        if name.orcid and orcid.is_valid(name.orcid) and slug(display_name(name)):
            orcids_by_name[slug(display_name(name))].add(person_key(name))
    # Full names: the ORCID holder of that very name, when there is exactly one.
    for name in names:
        local = person_key(name)
        if not local or local.startswith("orcid-") or _initials_only(name):
            continue  # a name without letters ("???") names nobody in particular
        holders = orcids_by_name.get(local, set())
        if len(holders) == 1 and local not in identities.persons:
            (holder,) = holders
            identities.persons[local] = holder
            reason = "same full name as the one ORCID holder of that name"
            resolutions.append(Resolution("person", holder, (display_name(name),), reason))
    candidates: dict[str, dict[str, _Candidate]] = defaultdict(dict)  # family -> key -> candidate
    for name in names:
        if name.family and name.given and not _initials_only(name):
            key = identities.person(name)
            if not key:
                continue
            candidates[fold(name.family)].setdefault(
                key, _Candidate(key, initials(name.given), name)
            )
    # Initials: the one candidate of that family name whose given names start with them.
    for name in names:
        if not _initials_only(name) or not name.family or not name.given:
            continue
        local = person_key(name)
        if not local or local in identities.persons or local.startswith("orcid-"):
            continue
        given = initials(name.given)
        matches = [
            c
            for c in candidates.get(fold(name.family), {}).values()
            if _compatible(given, c.initials)
        ]
        if len(matches) == 1:
            identities.persons[local] = matches[0].key
            reason = f"initials match the one {name.family} with those given names"
            resolutions.append(Resolution("person", matches[0].key, (name.written,), reason))
        elif len(matches) > 1:
            others = ", ".join(sorted(display_name(c.name) for c in matches))
            reason = f"initials match {len(matches)} people ({others}); kept apart"
            resolutions.append(Resolution("person", local, (name.written,), reason, merged=False))
    # The name each person is known by: the first full name seen, else the first name seen.
    for name in sorted(names, key=_initials_only):  # stable: full names first, in input order
        if identities.person(name):
            identities.person_names.setdefault(identities.person(name), name)


def _initials_only(name: PersonName) -> bool:
    return bool(name.given) and is_initials(name.given or "")


def _compatible(given: tuple[str, ...], candidate: tuple[str, ...]) -> bool:
    """``L.`` fits Laura Nicole; ``L.N.`` fits Laura Nicole and Laura; ``L.K.`` fits neither."""
    shorter = min(len(given), len(candidate))
    return shorter > 0 and given[:shorter] == candidate[:shorter]
