"""Reader for a copied publisher search-results page (plain text, one record after another).

A record starts with its content type line ("Article", "Book part", "Case study" ...) directly
followed by "Publication date: 15 June 2012". Then come the author line, the snippet, an optional
download count, "Abstract" (structured sections or one paragraph), an optional "Details" block
(venue line, "Type:", "ISSN:"/"ISBN:") and an optional "Keywords" block, one keyword a line.
The page header ("Search results") and the "1 – 10 of over 67000" lines are not records.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import (
    STRUCTURED_HEADINGS,
    AbstractSection,
    Issn,
    PartialDate,
    PersonName,
    Record,
    Venue,
    WorkKind,
)
from kg.core.text import NumberError, is_foreign_digits, read_integer, shorten
from kg.errors import RecordError
from kg.read._text import without_control_characters
from kg.read.dates import MONTHS, checked_date
from kg.read.names import parse_person_name, split_author_line

DATE_PREFIX = "Publication date:"

# A results page prints only the seven structured headings, so only they start a section.
_HEADINGS_BY_LOWER = {heading.lower(): heading for heading in STRUCTURED_HEADINGS}

# Type lines known to start a record even when the date line after them is missing.
KNOWN_CONTENT_TYPES = frozenset(
    {"Article", "Book part", "Case study", "Chapter", "Conference paper", "Earlycite article"}
)
_CHAPTER_TYPES = frozenset({"book part", "chapter", "book chapter"})

_PAGE_COUNTER = re.compile(r"^[0-9][0-9,]* [–-] [0-9][0-9,]* of (?:over )?[0-9][0-9,]*$")
_PAGE_HEADER = re.compile(r"^Search results$", re.IGNORECASE)
_DOWNLOADS = re.compile(r"^[0-9]{1,3}(?:,?[0-9]{3})*$")
_VENUE = re.compile(r"^(?P<title>.+?),\s+vol\.\s*(?P<volume>\S+)(?:\s+no\.\s*(?P<issue>\S+))?$")
_ISSUE_ONLY = re.compile(r"^(?P<title>.+?),\s+no\.\s*(?P<issue>\S+)$")
_LABELLED = re.compile(r"^(?P<label>Type|ISSN|ISBN|DOI):\s*(?P<value>.*)$", re.IGNORECASE)
_AHEAD_OF_PRINT = "ahead-of-print"


def sniff(lines: list[str]) -> bool:
    """A search page has "Publication date:" lines and "Abstract" blocks."""
    head = lines[:2000]
    has_date = any(line.startswith(DATE_PREFIX) for line in head)
    return has_date and any(line.strip() == "Abstract" for line in head)


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records of one page; each unreadable record or stray line is a Problem naming its line."""
    lines, removed = without_control_characters(lines)
    starts = _record_starts(lines)
    for index, message in removed.items():
        number = bisect.bisect_right(starts, index) or None  # None: before the first record
        yield Problem(SourceLocation(label, index + 1), number, message, Severity.WARNING)
    bounds = [*starts, len(lines)]
    for index in range(starts[0] if starts else len(lines)):
        if not _is_page_furniture(lines[index]):
            yield _stray(label, index, lines[index])
    for number, (start, end) in enumerate(itertools.pairwise(bounds), start=1):
        block_end = _strip_footer(lines, start, end)
        warnings: list[Problem] = []
        try:
            yield _parse_record(lines, start, block_end, label, number, warnings)
        except RecordError as error:
            yield Problem(SourceLocation(label, (error.at or 0) + 1), number, error.message)
        else:
            yield from warnings
        for index in range(block_end, end):
            if lines[index].strip() and not _is_page_furniture(lines[index]):
                yield _stray(label, index, lines[index])


def _stray(label: str, index: int, text: str) -> Problem:
    """A line outside every record (before the first, after a page counter): a warning, as in
    the other readers, since no record is read from it or lost with it. It used to be an error
    of no record, so `kg export` said "0 rejected" and still exited 2."""
    shown = shorten(text.strip())
    return Problem(
        SourceLocation(label, index + 1),
        None,
        f"text outside any record, ignored: {shown!r}",
        Severity.WARNING,
    )


def _is_page_furniture(line: str) -> bool:
    text = line.strip()
    return not text or bool(_PAGE_HEADER.match(text) or _PAGE_COUNTER.match(text))


def _record_starts(lines: list[str]) -> list[int]:
    starts = []
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or text.startswith(DATE_PREFIX):
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if next_line.startswith(DATE_PREFIX):
            starts.append(index)
        elif (
            text in KNOWN_CONTENT_TYPES
            and not next_line.strip()
            and (
                index == 0 or not lines[index - 1].strip() or lines[index - 1].strip() == "Keywords"
            )
        ):
            starts.append(index)  # a record whose date line is missing: reported when parsed
    return starts


def _strip_footer(lines: list[str], start: int, end: int) -> int:
    """End of the record proper: the page counter line and anything after it are not the record."""
    for index in range(start + 1, end):
        if _PAGE_COUNTER.match(lines[index].strip()):
            return index
    return end


@dataclass
class _Cursor:
    lines: list[str]
    index: int
    end: int

    def skip_blank(self) -> None:
        while self.index < self.end and not self.lines[self.index].strip():
            self.index += 1

    def at(self, text: str) -> bool:
        return self.index < self.end and self.lines[self.index].strip() == text


def _parse_record(
    lines: list[str], start: int, end: int, label: str, number: int, warnings: list[Problem]
) -> Record:
    """The record of lines ``start`` to ``end``; what is kept with a warning goes to
    ``warnings``."""
    content_type = lines[start].strip()
    cursor = _Cursor(lines, start + 1, end)
    if not (cursor.index < end and lines[cursor.index].startswith(DATE_PREFIX)):
        raise RecordError(
            f"{shorten(content_type)!r} record has no 'Publication date:' line", start
        )
    published = _parse_date(lines[cursor.index], cursor.index)
    cursor.index += 1

    authors, snippet, downloads = _parse_preamble(cursor, label, number, warnings)
    abstract, sections = _parse_abstract(cursor)
    venue, article_type, doi = _parse_details(cursor)
    keywords = _parse_keywords(cursor)
    cursor.skip_blank()
    if cursor.index < end:
        shown = shorten(lines[cursor.index].strip())
        raise RecordError(f"cannot place this line: {shown!r}", cursor.index)

    kind = _kind(content_type, start)
    if kind is WorkKind.CHAPTER and article_type and article_type.casefold() == "book":
        article_type = None  # a chapter's "Type: Book" names its container, not its genre
    return Record(
        source=SourceLocation(label, start + 1),
        number=number,
        kind=kind,
        content_type=content_type,
        published=published,
        authors=authors,
        doi=doi,
        snippet=snippet,
        downloads=downloads,
        abstract=abstract,
        abstract_sections=sections,
        venue=venue,
        article_type=article_type,
        keywords=keywords,
    )


def _kind(content_type: str, index: int) -> WorkKind:
    lowered = content_type.lower()
    if lowered in _CHAPTER_TYPES:
        return WorkKind.CHAPTER
    if "book" in lowered:
        raise RecordError(
            f"content type {shorten(content_type)!r} is not supported (only parts of books)", index
        )
    return WorkKind.ARTICLE


def _parse_date(line: str, index: int) -> PartialDate:
    text = line[len(DATE_PREFIX) :].strip()
    if not text:
        raise RecordError("'Publication date:' has no date", index)
    parts = text.replace(",", " ").split()
    try:
        if len(parts) == 3 and len(parts[2]) == 4:
            day = read_integer(parts[0])
            return checked_date(read_integer(parts[2]), MONTHS[parts[1].lower()], day)
        if len(parts) == 2 and len(parts[1]) == 4:
            return checked_date(read_integer(parts[1]), MONTHS[parts[0].lower()])
        if len(parts) == 1 and len(parts[0]) == 4:
            return checked_date(read_integer(parts[0]))
    except (KeyError, ValueError):  # DateError and NumberError are ValueErrors
        pass
    raise RecordError(
        f"publication date {shorten(text)!r} is not a date like '15 June 2012'", index
    )


def _parse_preamble(
    cursor: _Cursor, label: str, number: int, warnings: list[Problem]
) -> tuple[tuple[PersonName, ...], str | None, int | None]:
    """Author line, snippet and download count: the lines before "Abstract". A count larger
    than kg reads (:data:`kg.core.text.MAX_INTEGER`) is left out with a warning."""
    found: list[int] = []
    while cursor.index < cursor.end:
        text = cursor.lines[cursor.index].strip()
        if text in ("Abstract", "Details", "Keywords"):
            break
        if text:
            found.append(cursor.index)
        cursor.index += 1
    downloads = None
    last = cursor.lines[found[-1]].strip() if found else ""
    if _DOWNLOADS.match(last) or is_foreign_digits(last.replace(",", "")):
        index = found.pop()
        try:
            downloads = read_integer(last.replace(",", ""))
        except NumberError as error:
            message = f"download count {error}; left out"
            warnings.append(
                Problem(SourceLocation(label, index + 1), number, message, Severity.WARNING)
            )
    texts = [cursor.lines[i].strip() for i in found]
    if len(found) > 2:
        raise RecordError(f"cannot place this line: {shorten(texts[2])!r}", found[2])
    if len(texts) == 2:
        return _authors(texts[0], found[0]), texts[1], downloads
    if len(texts) == 1 and _looks_like_snippet(texts[0]):
        return (), texts[0], downloads
    if len(texts) == 1:
        return _authors(texts[0], found[0]), None, downloads
    return (), None, downloads


def _looks_like_snippet(text: str) -> bool:
    """A lone line before "Abstract" is the snippet, not an author line, when it reads like
    prose: cut off with an ellipsis, or holding a sentence break."""
    return text.endswith(("…", "...")) or re.search(r"(?<!\b[A-Z])[.?!;:]\s+\S", text) is not None


def _authors(line: str, index: int) -> tuple[PersonName, ...]:
    names = split_author_line(line)
    if any(not name for name in names):
        raise RecordError(f"author line has an empty name: {shorten(line)!r}", index)
    return tuple(parse_person_name(name) for name in names)


def _paragraphs(cursor: _Cursor, stop: tuple[str, ...]) -> list[tuple[int, str]]:
    """Non-blank lines up to one of the ``stop`` lines, with their indexes."""
    found = []
    while cursor.index < cursor.end and cursor.lines[cursor.index].strip() not in stop:
        text = cursor.lines[cursor.index].strip()
        if text:
            found.append((cursor.index, text))
        cursor.index += 1
    return found


def _parse_abstract(cursor: _Cursor) -> tuple[str | None, tuple[AbstractSection, ...]]:
    if not cursor.at("Abstract"):
        return None, ()
    abstract_line = cursor.index
    cursor.index += 1
    paragraphs = _paragraphs(cursor, ("Details", "Keywords"))
    if not paragraphs:
        raise RecordError("'Abstract' is followed by no text", abstract_line)
    if paragraphs[0][1].lower() not in _HEADINGS_BY_LOWER:
        return "\n\n".join(text for _, text in paragraphs), ()
    sections: list[tuple[int, str, list[str]]] = []
    for index, text in paragraphs:
        heading = _HEADINGS_BY_LOWER.get(text.lower())
        if heading:
            sections.append((index, heading, []))
        else:
            sections[-1][2].append(text)
    for index, heading, texts in sections:
        if not texts:
            raise RecordError(f"abstract section {heading!r} has no text", index)
    return None, tuple(
        AbstractSection(heading, "\n\n".join(texts)) for _, heading, texts in sections
    )


def _parse_details(cursor: _Cursor) -> tuple[Venue | None, str | None, str | None]:
    if not cursor.at("Details"):
        return None, None, None
    cursor.index += 1
    venue_line: str | None = None
    values: dict[str, str] = {}
    for index, text in _paragraphs(cursor, ("Keywords",)):
        labelled = _LABELLED.match(text)
        if labelled:
            label = labelled["label"].upper()
            if label in values:
                raise RecordError(f"a second {labelled['label']!r} line in Details", index)
            values[label] = labelled["value"].strip()
        elif venue_line is None and not values:
            venue_line = text
        else:
            raise RecordError(f"cannot place this line in Details: {shorten(text)!r}", index)
    isbn, issn = values.get("ISBN"), values.get("ISSN")
    venue = _venue(venue_line, issn, isbn)
    return venue, values.get("TYPE"), values.get("DOI")


def _venue(line: str | None, issn: str | None, isbn: str | None) -> Venue:
    issns = (Issn(issn),) if issn is not None else ()
    if line is None or isbn is not None:
        return Venue(title=line, issns=issns, isbns=(isbn,) if isbn is not None else ())
    match = _VENUE.match(line) or _ISSUE_ONLY.match(line)
    if not match:
        return Venue(title=line, issns=issns)
    groups = match.groupdict()
    volume, issue = groups.get("volume"), groups.get("issue")
    if _AHEAD_OF_PRINT in (volume, issue):
        return Venue(title=match["title"], issns=issns, ahead_of_print=True)
    return Venue(title=match["title"], volume=volume, issue=issue, issns=issns)


def _parse_keywords(cursor: _Cursor) -> tuple[str, ...]:
    cursor.skip_blank()
    if not cursor.at("Keywords"):
        return ()
    cursor.index += 1
    cursor.skip_blank()
    keywords = []
    while cursor.index < cursor.end and cursor.lines[cursor.index].strip():
        keywords.append(cursor.lines[cursor.index].strip())
        cursor.index += 1
    return tuple(keywords)
