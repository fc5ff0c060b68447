"""How large a value may be, for every reader: a record holding a larger one is rejected.

Every value of a record ends up in one RDF term, and a strict parser reads one term into one
buffer. Oxigraph's Turtle and N-Triples parsers stop with "Reached the buffer maximal size" at
16 MiB, and its JSON-LD parser a little before 8 MiB of one JSON string (measured with
pyoxigraph 0.5: 8,388,606 bytes between the quotes when it opens the file itself, 8,385,445
when it is given a Python file object, wherever the string is in the file). kg writes all three and
reads them back with Oxigraph (``kg query graph.jsonld``), so a 10 MB abstract used to be
written, and then the commands that read the export died on it. So the readers cap values, by
their size as kg writes them (:func:`written_size`: UTF-8, with the escapes of N-Triples, which
are as long as JSON's or longer):

- **Long texts** (an abstract, a section of one, a snippet): at most :data:`MAX_LONG_TEXT`,
  8 MiB less 64 KiB (:data:`JSON_LD_STRING`, the smallest of those buffers, with room to spare).
- **Every other value** (a title, a name, an identifier, a keyword, a volume ...): at most
  :data:`MAX_VALUE`, 64 KiB. Such values also become parts of IRIs, where they can grow: a DOI
  is percent-encoded (up to 3 bytes for 1), a name or keyword becomes a slug (Unicode's
  compatibility decomposition turns one character into up to 18), and an IRI is a JSON-LD
  string too. 64 KiB keeps the worst of these (about 4.5 MiB) below the buffer; no real title,
  name or identifier comes near it.

A record with a larger value is **rejected** (an error naming file, line and record, and the
value), not cut short and not kept without the value: a value that size is a broken export or
hostile input, the rest of the record is suspect too, and a rejection makes the exit code say
that the input needs a look, where a warning would let a record go into the graph saying less
than its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from kg.core.records import PersonName, Record

JSON_LD_STRING: Final = 8 * 1024 * 1024  # Oxigraph reads a JSON-LD string a little shorter
MAX_LONG_TEXT: Final = JSON_LD_STRING - 64 * 1024
MAX_VALUE: Final = 64 * 1024

# How kg.write.terms.quote_string (and JSON's escapes) write a string: these characters take two
# bytes (\n), the other control characters six (\u0001); everything else its UTF-8 bytes.
_TWO_BYTE_ESCAPES: Final = ("\\", '"', "\n", "\r", "\t", "\b", "\f")
_SIX_BYTE_ESCAPES: Final = re.compile(r"[\x00-\x07\x0b\x0e-\x1f\x7f]")
_MOST_BYTES_A_CHARACTER: Final = 6  # "\u0001" for one character


def written_size(text: str) -> int:
    """The bytes ``text`` takes inside the quotes of an N-Triples or Turtle string literal.

    >>> written_size("Zoë"), written_size('say "hi"\\n'), written_size("\\x01")
    (4, 12, 6)
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    size += sum(text.count(character) for character in _TWO_BYTE_ESCAPES)
    return size + 5 * len(_SIX_BYTE_ESCAPES.findall(text))


def too_large(text: str | None, limit: int) -> int | None:
    """The written size of ``text`` when it is over ``limit``, else None (cheap for short text)."""
    if text is None or len(text) * _MOST_BYTES_A_CHARACTER <= limit:
        return None
    size = written_size(text)
    return size if size > limit else None


def oversized_value(record: Record) -> str | None:
    """Why ``record`` is too large to write, naming its first value over the limit; None when
    every value fits."""
    if _longest(record) * _MOST_BYTES_A_CHARACTER <= MAX_VALUE:
        return None  # the common case, checked without naming every value
    for name, text, limit in _values(record):
        size = too_large(text, limit)
        if size is not None:
            why = (
                "a long text (Oxigraph, a strict RDF parser, reads at most 8 MiB of one "
                "JSON-LD string)"
                if limit == MAX_LONG_TEXT
                else "a value such as this (no title, name or identifier is that long, and "
                "the IRIs made of it would grow past what strict RDF parsers read at once)"
            )
            return (
                f"{name} is {size:,} bytes as RDF text, more than the {limit:,} kg writes for "
                f"{why}; the record is rejected"
            )
    return None


def _longest(record: Record) -> int:
    """The length of the longest text ``record`` holds, in characters."""
    texts = [
        record.abstract,
        record.snippet,
        record.content_type,
        record.title,
        record.doi,
        record.pmid,
        record.url,
        record.language,
        record.publisher,
        record.page_start,
        record.page_end,
        record.article_number,
        record.article_type,
        *record.keywords,
        *record.licenses,
    ]
    for section in record.abstract_sections:
        texts += (section.heading, section.text)
    for person in (*record.authors, *record.editors):
        texts += (person.written, person.given, person.family, person.orcid, person.honorific)
    for funder in record.funders:
        texts += (funder.name, funder.doi, *funder.awards)
    venue = record.venue
    if venue is not None:
        texts += (venue.title, venue.short_title, venue.volume, venue.issue, *venue.isbns)
        texts += (issn.value for issn in venue.issns)
    return max((len(text) for text in texts if text is not None), default=0)


def _values(record: Record) -> Iterator[tuple[str, str | None, int]]:
    """(name for a message, value, limit) of every text a record holds; every field of Record
    and of what it holds is here (tests/test_hostile_input.py checks that none is missed)."""
    yield "the abstract", record.abstract, MAX_LONG_TEXT
    if record.abstract_sections:
        yield "the abstract (its sections with their headings)", record.full_abstract, MAX_LONG_TEXT
    for position, section in enumerate(record.abstract_sections, start=1):
        yield f"abstract section {position}", section.text, MAX_LONG_TEXT
        yield f"the heading of abstract section {position}", section.heading, MAX_VALUE
    yield "the snippet", record.snippet, MAX_LONG_TEXT
    for name, value in (
        ("the content type", record.content_type),
        ("the title", record.title),
        ("the DOI", record.doi),
        ("the PMID", record.pmid),
        ("the URL", record.url),
        ("the language", record.language),
        ("the publisher", record.publisher),
        ("the start page", record.page_start),
        ("the end page", record.page_end),
        ("the article number", record.article_number),
        ("the article type", record.article_type),
    ):
        yield name, value, MAX_VALUE
    for position, keyword in enumerate(record.keywords, start=1):
        yield f"keyword {position}", keyword, MAX_VALUE
    for position, license_url in enumerate(record.licenses, start=1):
        yield f"licence {position}", license_url, MAX_VALUE
    for role, people in (("author", record.authors), ("editor", record.editors)):
        for position, person in enumerate(people, start=1):
            yield from _person_values(f"{role} {position}", person)
    for position, funder in enumerate(record.funders, start=1):
        yield f"the name of funder {position}", funder.name, MAX_VALUE
        yield f"the DOI of funder {position}", funder.doi, MAX_VALUE
        for award in funder.awards:
            yield f"an award number of funder {position}", award, MAX_VALUE
    venue = record.venue
    if venue is not None:
        yield "the venue's title", venue.title, MAX_VALUE
        yield "the venue's short title", venue.short_title, MAX_VALUE
        yield "the volume", venue.volume, MAX_VALUE
        yield "the issue", venue.issue, MAX_VALUE
        for issn in venue.issns:
            yield "an ISSN", issn.value, MAX_VALUE
        for isbn in venue.isbns:
            yield "an ISBN", isbn, MAX_VALUE


def _person_values(who: str, person: PersonName) -> Iterator[tuple[str, str | None, int]]:
    yield f"the name of {who}", person.written, MAX_VALUE
    yield f"the given name of {who}", person.given, MAX_VALUE
    yield f"the family name of {who}", person.family, MAX_VALUE
    yield f"the ORCID of {who}", person.orcid, MAX_VALUE
    yield f"the title (Mr, Dr) of {who}", person.honorific, MAX_VALUE
