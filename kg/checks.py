"""Identifier checks on a record: an invalid identifier is kept as written and reported here.

The shapes catch the same values in the graph; this report says which record of which file holds
them, before validation runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kg.identifiers import InvalidIdentifier, doi, isbn, issn, orcid
from kg.problems import Problem, Severity
from kg.records import Record, WorkKind


def unmapped_warnings(record: Record) -> Iterator[Problem]:
    """Parts of a record the model has no place for yet are reported, never silently dropped."""
    venue = record.venue
    if venue is None or not (record.kind is WorkKind.CHAPTER or venue.is_book):
        return
    for name, value in (
        ("series ISSN", venue.issn),
        ("volume", venue.volume),
        ("issue", venue.issue),
    ):
        if value is not None:
            message = (
                f"the {name} {value!r} of a part of a book is not in the graph (not mapped yet)"
            )
            yield Problem(record.source, record.number, message, Severity.WARNING)


def identifier_warnings(record: Record) -> Iterator[Problem]:
    venue = record.venue
    candidates: list[tuple[str, str | None, Callable[[str], str]]] = [
        ("DOI", record.doi, doi.validate),
        ("ISSN", venue.issn if venue else None, issn.validate),
        ("ISBN", venue.isbn if venue else None, isbn.validate),
    ]
    candidates += [("ORCID", author.orcid, orcid.validate) for author in record.authors]
    for name, value, validate in candidates:
        if value is None:
            continue
        try:
            validate(value)
        except InvalidIdentifier as error:
            message = f"{name} {value!r} is not valid ({error}); kept as written"
            yield Problem(record.source, record.number, message, Severity.WARNING)
