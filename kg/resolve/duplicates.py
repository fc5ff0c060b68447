"""Persons kept apart who may be one: names that differ only by a middle name.

"Maja Thiele" and "Maja Sofie Thiele" may be one person or two (nothing on a record tells), so
kg keeps them apart, as the identity rules say, and lists them in the merge report with the
evidence a person needs to decide: the co-authors and the journals (or books) they share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.core.records import PersonName, Record
from kg.read.names import is_initials
from kg.resolve.identity import Identities, Resolution, display_name, fold

POSSIBLE_DUPLICATE = "possible duplicate"  # Resolution.kind of these entries


def possible_duplicates(
    records: Iterable[Record],
    identities: Identities,
    names: Iterable[PersonName] | None = None,
) -> list[Resolution]:
    """One kept-apart entry per pair of persons whose full given names differ only by middle
    names (same family name, same first given name, one's given names among the other's).

    ``names``: every person's name of ``records`` in order, when already at hand; ``records``
    are then read only for the evidence, and only when there are candidates (an export reads
    them back from scratch)."""
    groups: dict[tuple[str, str], dict[str, tuple[str, ...]]] = defaultdict(dict)
    if names is None:
        names = (name for record in records for name in _persons(record))
    for name in names:
        key = identities.person(name)
        known = identities.person_names.get(key, name) if key else name
        if key and known.given and known.family and not is_initials(known.given):
            given = tuple(fold(known.given).split())
            if given:
                groups[(fold(known.family), given[0])].setdefault(key, given)
    pairs = [
        (a, b)
        for members in groups.values()
        for a, given_a in sorted(members.items())
        for b, given_b in sorted(members.items())
        if len(given_a) < len(given_b)
        and _within(given_a, given_b)
        and not (a.startswith("orcid-") and b.startswith("orcid-"))  # two ORCIDs: two people
    ]
    if not pairs:
        return []
    wanted = {key for pair in pairs for key in pair}
    co_authors: dict[str, set[str]] = defaultdict(set)
    venues: dict[str, set[str]] = defaultdict(set)
    for record in records:  # the evidence, for the candidates only (hyperauthored records!)
        keys = {identities.person(n): n for n in _persons(record) if identities.person(n)}
        present = wanted & keys.keys()
        if not present:
            continue
        venue = _venue_name(record, identities)
        for key in present:
            co_authors[key].update(k for k in keys if k != key)
            if venue:
                venues[key].add(venue)
    found = []
    for a, b in pairs:
        shared = sorted(_name(identities, key) for key in (co_authors[a] & co_authors[b]) - {a, b})
        journals = sorted(venues[a] & venues[b])
        reason = (
            f"kept apart from person/{b}: the names differ only by a middle name; "
            f"shared co-authors: {', '.join(shared) or 'none'}; "
            f"shared journals or books: {', '.join(journals) or 'none'}"
        )
        forms = (_name(identities, a), _name(identities, b))
        found.append(Resolution(POSSIBLE_DUPLICATE, a, forms, reason, merged=False))
    return found


def _persons(record: Record) -> list[PersonName]:
    return [n for n in (*record.authors, *record.editors) if not n.organization]


def _within(shorter: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    """``shorter`` is ``longer`` with some middle names left out (order kept)."""
    rest = iter(longer)
    return all(any(word == other for other in rest) for word in shorter)


def _name(identities: Identities, key: str) -> str:
    name = identities.person_names.get(key)
    return display_name(name) if name is not None else key


def _venue_name(record: Record, identities: Identities) -> str | None:
    venue = record.venue
    if venue is None:
        return None
    if venue.is_book:
        key = identities.book(venue)
        return identities.book_names.get(key or "", venue.title or "") or None
    key = identities.journal(venue)
    return identities.journal_names.get(key or "", venue.title or "") or None
