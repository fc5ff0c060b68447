"""Identifier checks on a record: an invalid identifier is kept as written and reported here.

The shapes catch the same values in the graph; this report says which record of which file holds
them, before validation runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kg.core.problems import Problem, Severity
from kg.core.records import Record, WorkKind
from kg.core.text import is_digits
from kg.errors import IriError
from kg.identifiers import InvalidIdentifier, doi, isbn, issn, orcid
from kg.map.record import BOOK_PARTS
from kg.resolve.mint import check_iri


def unmapped_warnings(record: Record) -> Iterator[Problem]:
    """Parts of a record the model has no place for yet are reported, never silently dropped."""
    for message in _unmapped(record):
        yield Problem(record.source, record.number, message, Severity.WARNING)


def _unmapped(record: Record) -> Iterator[str]:
    if record.url and not _is_web_iri(record.url):
        yield f"the URL {record.url!r} is not a valid web address; not in the graph"
    for license_url in record.licenses:
        if not _is_web_iri(license_url):
            yield f"the licence {license_url!r} is not a web address; not in the graph"
    for funder in record.funders:
        if not funder.name and not (funder.doi and doi.is_valid(funder.doi)):
            yield f"a funder with neither a name nor a valid DOI ({funder.doi!r}); not in the graph"
    venue = record.venue
    if venue is None or record.kind is WorkKind.BOOK:
        return
    if record.kind in BOOK_PARTS or venue.is_book:
        for name, value in (
            ("series ISSN", venue.issn),
            ("volume", venue.volume),
            ("issue", venue.issue),
        ):
            if value is not None:
                yield f"the {name} {value!r} of a part of a book is not in the graph (not mapped)"
        return
    if record.kind is not WorkKind.ARTICLE and not venue.issns and venue.title:
        yield (
            f"the venue {venue.title!r} of {_a(record.kind)} has no ISSN, so it is not "
            "placed as a journal; not in the graph"
        )


def _is_web_iri(text: str) -> bool:
    try:
        check_iri(text)
    except IriError:
        return False
    return text.startswith(("http://", "https://"))


def identifier_warnings(record: Record) -> Iterator[Problem]:
    venue = record.venue
    candidates: list[tuple[str, str | None, Callable[[str], str]]] = [
        ("DOI", record.doi, doi.validate)
    ]
    if venue:
        candidates += [("ISSN", value.value, issn.validate) for value in venue.issns]
        candidates += [("ISBN", value, isbn.validate) for value in venue.isbns]
    candidates += [
        ("ORCID", person.orcid, orcid.validate) for person in (*record.authors, *record.editors)
    ]
    candidates += [("funder DOI", funder.doi, doi.validate) for funder in record.funders]
    for name, value, validate in candidates:
        if value is None:
            continue
        try:
            validate(value)
        except InvalidIdentifier as error:
            message = f"{name} {value!r} is not valid ({error}); kept as written"
            yield Problem(record.source, record.number, message, Severity.WARNING)
    if record.pmid is not None and not is_digits(record.pmid):
        message = f"PMID {record.pmid!r} is not a PubMed identifier (digits); kept as written"
        yield Problem(record.source, record.number, message, Severity.WARNING)


def _a(kind: WorkKind) -> str:
    """The kind with its article, as a sentence says it: "a thesis", "an other work"."""
    noun = "work of another kind" if kind is WorkKind.OTHER else kind.value.replace("-", " ")
    return ("an " if noun[0] in "aeiou" else "a ") + noun
