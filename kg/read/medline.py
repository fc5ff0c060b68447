"""Reader for PubMed's MEDLINE format ("PubMed format", ``.nbib``; sometimes saved as ``.txt``
or even ``.ris``).

Each record starts with a ``PMID- `` line; records are separated by blank lines. A field line is
a tag of up to four characters, left-justified and padded to four, then ``- `` and the value
(``PMID- 123``, ``AU  - Griffin DK``, ``FAU - Griffin, Darren K``). Lines starting with
whitespace continue the field above and are joined to it with one space.

Tags read, and where they go:

- ``PMID`` -> ``pmid``; ``TI`` -> ``title``; ``BTI`` (book title) -> ``title`` of a book, or
  ``venue.title`` of a chapter (a record with both ``TI`` and ``BTI``); ``AB`` -> ``abstract``
  (one text: MEDLINE gives structured abstracts as one paragraph with "BACKGROUND:" labels).
- ``FAU``/``AU`` (authors), ``FED``/``ED`` (editors): the full ``FAU`` "Family, Given" is
  preferred; the ``AU`` "Family IN" right after it is its short form and only fills name parts
  when the full form has none (records before 2002 have ``AU`` only). ``AUID- ORCID: ...``
  belongs to the person above it (other ``AUID`` sources are ignored). ``CN`` is a corporate
  author (``organization=True``), kept in its place among the authors.
- ``TA`` -> ``venue.short_title``; ``JT`` -> ``venue.title``; ``VI``/``IP`` -> volume/issue;
  ``IS`` "1755-6228 (Electronic)" -> an Issn of kind ELECTRONIC/PRINT/LINKING (an ``ISBN``
  line, or an ``IS`` holding 10 or 13 digits, is an ISBN); ``PST - aheadofprint`` ->
  ``ahead_of_print``.
- ``PG`` -> pages; MEDLINE abbreviates the end page by rule ("117-55" is 117-155, "S12-5" is
  S12-S15), so a shorter end is expanded (the rule of :mod:`kg.read.pages`, which never calls
  MEDLINE's expansion a guess; an end before the start is kept as written, with a warning);
  "e1234", or a single page equal to the bare ``LID`` locator, is an article number, as is a
  bare ``LID`` when there is no ``PG``. Only the first range of "1-5; discussion 6" is kept (the
  rest is reported).
- ``DP`` -> ``published``: "2024 Mar 4", "2024 Mar", "2024"; the normal MEDLINE forms
  "2024 Mar-Apr" (first month kept), "2024 Mar 4-10" (first day), "1999-2000" (first year) and
  seasons "2023 Winter" (year only) are read without a warning.
- ``AID``/``LID`` "10.xxx [doi]" -> ``doi`` (``AID`` preferred; ``[pii]`` and other kinds
  ignored). ``LA`` -> ``language`` (the first one). ``PB`` -> ``publisher``.
- ``PT`` -> ``kind`` and ``content_type``: the type that decides the kind ("Journal Article",
  "Preprint", "Book Chapter", "Book" ...) is ``content_type``; without one the first ``PT`` is.
  ``article_type`` (schema:genre) is the most telling other type: a main genre ("Review",
  "Randomized Controlled Trial", "Editorial" ...) when there is one, else the first other
  type; the "Research Support, ..." types say who paid, not what the work is, and are skipped.
  A record without ``PT`` is read as an article with an empty ``content_type`` (and a warning).
- ``MH`` MeSH headings and ``OT`` other terms -> ``keywords``, in file order, without MeSH
  qualifiers and major-topic stars ("*Genomics/history" -> "Genomics"), deduplicated
  ignoring case.
- ``GR`` "award/acronym/agency/country" or "award/agency/" -> ``funders`` (one per agency).

Every other tag (``OWN``, ``STAT``, ``DCOM``, ``LR``, ``AD``, ``PL``, ``SO``, ``PHST``,
``MHDA``, ``RN``, ``CI``, ``COIS``, ``PMC``, ``JID`` ...) is normal in MEDLINE and ignored
silently (``PL`` is the country or city of publication: a Record has no place for it).
Text before the first ``PMID`` line is reported as a warning; a blank-line-separated block
that starts with another tag is a record without its ``PMID`` line and is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import (
    Funder,
    Issn,
    IssnKind,
    PartialDate,
    PersonName,
    Record,
    Venue,
    WorkKind,
)
from kg.core.text import is_digits, read_integer, shorten
from kg.errors import RecordError
from kg.read._text import without_control_characters
from kg.read.dates import DateError, checked_date, month_number
from kg.read.names import is_initials, parse_inverted_name
from kg.read.pages import page_range, split_range

# The tag is padded to four characters, so the hyphen is always the fifth character.
_FIELD_LINE = re.compile(r"^(?=.{4}-)(?P<tag>[A-Z][A-Z0-9]{1,3}) *-(?: (?P<value>.*))?$")
_SINGLE_TAGS = ("TI", "BTI", "AB", "DP", "VI", "IP", "PG", "TA", "JT", "PB", "PST")

# Types that decide the kind, most specific first ("Preprint" wins over "Journal Article").
_KIND_BY_TYPE = {
    "preprint": WorkKind.PREPRINT,
    "book chapter": WorkKind.CHAPTER,
    "book": WorkKind.BOOK,
    "technical report": WorkKind.REPORT,
    "academic dissertation": WorkKind.THESIS,
    "dataset": WorkKind.OTHER,
    "journal article": WorkKind.ARTICLE,
}
# Types that name what an article is, preferred over study descriptors ("Comparative Study").
_MAIN_GENRES = (
    "systematic review",
    "meta-analysis",
    "review",
    "randomized controlled trial",
    "clinical trial",
    "case reports",
    "practice guideline",
    "guideline",
    "editorial",
    "letter",
    "comment",
    "news",
    "published erratum",
    "retraction of publication",
    "retracted publication",
)
_FUNDING_TYPE_PREFIX = "research support"

_ISSN_MEDIUM = re.compile(r"^(?P<value>.*?)\s*\((?P<medium>[^()]*)\)$")
_ISSN_KINDS = {
    "electronic": IssnKind.ELECTRONIC,
    "print": IssnKind.PRINT,
    "linking": IssnKind.LINKING,
}
_TYPED_ID = re.compile(r"^(?P<value>.*?)\s*\[(?P<kind>[^\[\]]*)\]$")
_ORCID = re.compile(r"^ORCID:\s*(?P<orcid>\S.*)$", re.IGNORECASE)

_DATE = re.compile(
    r"^(?P<year>[0-9]{4})"
    r"(?:-(?P<year_range>[0-9]{4})"  # "1999-2000"
    r"|\s+(?P<month>[A-Za-z]+|[0-9]{1,2})"
    r"(?:\s*-\s*\S.*"  # "Mar-Apr", "Dec-2000 Jan", "Spring-Summer"
    r"|\s+(?P<day>[0-9]{1,2})(?:\s*-\s*\S.*)?)?)?$"  # "4", "4-10", "28-Mar 3"
)
_SEASONS = frozenset({"spring", "summer", "fall", "autumn", "winter"})

_ELOCATOR = re.compile(r"^e[0-9]+$")
_NAME_SUFFIXES = frozenset({"jr", "sr", "2nd", "3rd", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class _Field:
    tag: str
    value: str
    index: int  # 0-based line index of the tag line


@dataclass
class _Person:
    """One author or editor slot: the full and short name lines that describe it."""

    full: str | None = None
    short: str | None = None
    corporate: str | None = None
    orcid: str | None = None


@dataclass
class _Context:
    """What a record's parse needs to report a warning."""

    label: str
    number: int
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, index: int, message: str) -> None:
        location = SourceLocation(self.label, index + 1)
        self.warnings.append(Problem(location, self.number, message, Severity.WARNING))


def sniff(lines: list[str]) -> bool:
    """MEDLINE text starts with a PMID line (RIS starts with ``TY  - ``)."""
    for line in lines[:300]:
        text = line.lstrip("\ufeff").strip()
        if text:
            return _is_pmid_line(text)
    return False


def _is_pmid_line(line: str) -> bool:
    match = _FIELD_LINE.match(line)
    return match is not None and match["tag"] == "PMID"


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records in file order; each unreadable record or stray text is a Problem naming its line."""
    lines, removed = without_control_characters(lines)
    number = 0
    for start, end in _record_blocks(lines):
        first = lines[start]
        if _is_pmid_line(first):
            number += 1
            for index in range(start, end):
                if index in removed:
                    location = SourceLocation(label, index + 1)
                    yield Problem(location, number, removed[index], Severity.WARNING)
            yield from _read_record(lines, start, end, label, number)
        elif number and _FIELD_LINE.match(first):
            number += 1  # a record without its PMID line: counted and rejected
            tag = first[:4].strip()
            yield Problem(
                SourceLocation(label, start + 1),
                number,
                f"record starts with {tag!r}, not 'PMID- '; every MEDLINE record starts with its"
                " PMID line (if this continues the record above, remove the blank line before it)",
            )
        else:
            where = "before the first record (PMID- line)" if not number else "between records"
            shown = shorten(first.strip())
            yield Problem(
                SourceLocation(label, start + 1),
                None,
                f"text {where} is not a MEDLINE field, ignored: {shown!r}",
                Severity.WARNING,
            )


def _record_blocks(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-blank lines; a PMID line also starts a new run, so two
    records with no blank line between them are still two."""
    start: int | None = None
    for index, line in enumerate(lines):
        if not line.strip():
            if start is not None:
                yield start, index
            start = None
        elif start is None:
            start = index
        elif _is_pmid_line(line):
            yield start, index
            start = index
    if start is not None:
        yield start, len(lines)


def _read_record(
    lines: Sequence[str], start: int, end: int, label: str, number: int
) -> Iterator[Record | Problem]:
    context = _Context(label, number)
    try:
        fields = _fields(lines, start, end, context)
        record = _build_record(fields, SourceLocation(label, start + 1), context)
    except RecordError as error:
        yield Problem(SourceLocation(label, (error.at or 0) + 1), number, error.message)
        return
    yield record
    yield from context.warnings


def _fields(lines: Sequence[str], start: int, end: int, context: _Context) -> list[_Field]:
    """The record's fields with continuation lines joined (one space between lines)."""
    fields: list[_Field] = []
    parts: list[str] = []
    for index in range(start, end):
        line = lines[index]
        match = _FIELD_LINE.match(line)
        if match:
            _close_field(fields, parts)
            fields.append(_Field(match["tag"], "", index))
            parts = [(match["value"] or "").strip()]
        elif line[:1].isspace() and fields:
            parts.append(line.strip())
        else:
            context.warn(
                index,
                f"cannot read this line, ignored: {shorten(line.strip())!r} (a MEDLINE field is"
                " a tag padded to 4 characters, then '- ' and the value)",
            )
    _close_field(fields, parts)
    return fields


def _close_field(fields: list[_Field], parts: list[str]) -> None:
    if fields:
        last = fields[-1]
        fields[-1] = _Field(last.tag, " ".join(part for part in parts if part), last.index)


def _build_record(fields: list[_Field], source: SourceLocation, context: _Context) -> Record:
    pmid = fields[0].value
    if not pmid:
        raise RecordError("the PMID line has no PMID", fields[0].index)
    if not is_digits(pmid):
        context.warn(fields[0].index, f"PMID {shorten(pmid)!r} is not a number; kept as written")
    single = _single_values(fields, context)
    types = [f.value for f in fields if f.tag == "PT" and f.value]
    kind, content_type = _kind(types, single, fields[0].index, context)
    authors, editors = _people(fields, context)
    title = single.get("TI") or (single.get("BTI") if kind is WorkKind.BOOK else None)
    pages = _pages(single, fields, context)
    return Record(
        source=source,
        number=context.number,
        kind=kind,
        content_type=content_type,
        published=_published(single, fields, context),
        authors=authors,
        editors=editors,
        title=title,
        doi=_doi(fields),
        pmid=pmid,
        language=next((f.value for f in fields if f.tag == "LA" and f.value), None),
        publisher=single.get("PB"),
        page_start=pages[0],
        page_end=pages[1],
        article_number=pages[2],
        funders=_funders(fields),
        abstract=single.get("AB"),
        venue=_venue(kind, single, fields),
        article_type=_article_type(types, content_type),
        keywords=_keywords(fields),
    )


def _single_values(fields: list[_Field], context: _Context) -> dict[str, str]:
    """The value of each tag a record has once; a repeated one keeps its first value."""
    values: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for item in fields:
        if item.tag not in _SINGLE_TAGS or not item.value:
            continue
        if item.tag in values:
            context.warn(
                item.index,
                f"a second {item.tag} line, ignored (the record keeps the one on line"
                f" {first_line[item.tag] + 1})",
            )
            continue
        values[item.tag] = item.value
        first_line[item.tag] = item.index
    return values


def _line_of(fields: list[_Field], tag: str) -> int:
    return next(f.index for f in fields if f.tag == tag)


# --- kind and types ----------------------------------------------------------------------


def _kind(
    types: list[str], single: dict[str, str], pmid_index: int, context: _Context
) -> tuple[WorkKind, str]:
    for known, kind in _KIND_BY_TYPE.items():
        for written in types:
            if written.lower() == known:
                return kind, written
    if "BTI" in single:  # a Bookshelf record that gives no book type
        kind = WorkKind.CHAPTER if "TI" in single else WorkKind.BOOK
        return kind, types[0] if types else ""
    if not types:
        context.warn(pmid_index, "record has no PT (publication type) line; read as an article")
        return WorkKind.ARTICLE, ""
    return WorkKind.ARTICLE, types[0]  # "Editorial", "Letter" ... all appear in journals


def _article_type(types: list[str], content_type: str) -> str | None:
    # "Journal Article" says no more than the kind; "Research Support, ..." says who paid.
    others = [
        t
        for t in types
        if t != content_type
        and t.lower() != "journal article"
        and not t.lower().startswith(_FUNDING_TYPE_PREFIX)
    ]
    for genre in _MAIN_GENRES:
        for written in others:
            if written.lower().startswith(genre):  # "Clinical Trial, Phase III" too
                return written
    return others[0] if others else None


# --- people ------------------------------------------------------------------------------


def _people(
    fields: list[_Field], context: _Context
) -> tuple[tuple[PersonName, ...], tuple[PersonName, ...]]:
    authors: list[_Person] = []
    editors: list[_Person] = []
    last: _Person | None = None
    for item in fields:
        if not item.value:
            continue
        if item.tag in ("FAU", "AU", "CN"):
            last = _add_person(authors, item)
        elif item.tag in ("FED", "ED"):
            last = _add_person(editors, item)
        elif item.tag == "AUID":
            _add_orcid(last, item, context)
    return tuple(_person_name(p) for p in authors), tuple(_person_name(p) for p in editors)


def _add_person(people: list[_Person], item: _Field) -> _Person:
    """A short name right after its full name is the same person; anything else is a new one."""
    full = item.tag in ("FAU", "FED")
    short = item.tag in ("AU", "ED")
    current = people[-1] if people else None
    if short and current and current.full is not None and current.short is None:
        current.short = item.value
        return current
    person = _Person(
        full=item.value if full else None,
        short=item.value if short else None,
        corporate=item.value if item.tag == "CN" else None,
    )
    people.append(person)
    return person


def _add_orcid(person: _Person | None, item: _Field, context: _Context) -> None:
    match = _ORCID.match(item.value)
    if not match:
        return  # an identifier of another scheme: nothing in the record to hold it
    if person is None:
        context.warn(item.index, "AUID line comes before any author; its ORCID is ignored")
    elif person.orcid is not None:
        context.warn(
            item.index,
            f"a second ORCID for one person, ignored (kept {shorten(person.orcid)!r})",
        )
    else:
        person.orcid = match["orcid"].strip()


def _person_name(person: _Person) -> PersonName:
    if person.corporate is not None:
        return PersonName(written=person.corporate, orcid=person.orcid, organization=True)
    name = parse_inverted_name(person.full) if person.full is not None else None
    if name is None or name.family is None:
        short = _short_name(person.short) if person.short is not None else None
        if short is not None and (name is None or short.family is not None):
            name = PersonName(
                written=name.written if name else short.written,
                given=short.given,
                family=short.family,
            )
    assert name is not None  # every slot has a full, short or corporate name
    return PersonName(name.written, name.given, name.family, orcid=person.orcid)


def _short_name(written: str) -> PersonName:
    """MEDLINE's "Family IN" form ("Griffin DK", "van Raaij MJ", "King ML Jr")."""
    tokens = written.split()
    if len(tokens) > 2 and tokens[-1].lower().rstrip(".") in _NAME_SUFFIXES:
        tokens = tokens[:-1]
    if len(tokens) >= 2 and is_initials(tokens[-1]):
        return PersonName(written=written, given=tokens[-1], family=" ".join(tokens[:-1]))
    return PersonName(written=written)


# --- date --------------------------------------------------------------------------------


def _published(
    single: dict[str, str], fields: list[_Field], context: _Context
) -> PartialDate | None:
    text = single.get("DP")
    if text is None:
        return None
    try:
        return _parse_date(text)
    except DateError as error:
        context.warn(
            _line_of(fields, "DP"),
            f"DP {shorten(text)!r} is not a date ({error}); the record is kept without a date",
        )
        return None


def _parse_date(text: str) -> PartialDate:
    match = _DATE.match(text)
    if not match:
        raise DateError("MEDLINE writes '2024 Mar 4', '2024 Mar', '2024' or '2023 Winter'")
    year = read_integer(match["year"])
    month_text, day_text = match["month"], match["day"]
    if month_text is None or month_text.lower() in _SEASONS:
        return checked_date(year)  # a season, or a year (range): the first year is kept
    month = month_number(month_text)
    return checked_date(year, month, read_integer(day_text) if day_text else None)


# --- pages -------------------------------------------------------------------------------


def _pages(
    single: dict[str, str], fields: list[_Field], context: _Context
) -> tuple[str | None, str | None, str | None]:
    """(page_start, page_end, article_number)."""
    locator = _bare_locator(fields)
    text = single.get("PG")
    if text is None:
        return None, None, locator
    parts = re.split(r"\s*[;,]\s*", text)
    first, rest_parts = parts[0], [p for p in parts[1:] if p]
    index = _line_of(fields, "PG")
    if rest_parts:
        context.warn(
            index,
            f"PG {shorten(text)!r} has more than one part; only {shorten(first)!r} is kept",
        )
    if not first:
        return None, None, locator
    if _ELOCATOR.match(first) or first == locator:
        return None, None, first
    split = split_range(first)
    if split is None:
        return first, None, None
    pages = page_range(*split, abbreviated=True)  # MEDLINE shortens end pages by rule
    if pages.warning:
        context.warn(index, pages.warning)
    return pages.start, pages.end, None


def _bare_locator(fields: list[_Field]) -> str | None:
    """An ``LID`` with no "[doi]"/"[pii]" kind is the article's electronic locator."""
    for item in fields:
        if item.tag == "LID" and item.value and not _TYPED_ID.match(item.value):
            return item.value
    return None


# --- identifiers, venue, keywords, funders -----------------------------------------------


def _doi(fields: list[_Field]) -> str | None:
    for tag in ("AID", "LID"):
        for item in fields:
            match = _TYPED_ID.match(item.value) if item.tag == tag else None
            if match and match["kind"].strip().lower() == "doi" and match["value"]:
                return match["value"]
    return None


def _venue(kind: WorkKind, single: dict[str, str], fields: list[_Field]) -> Venue | None:
    issns: list[Issn] = []
    isbns: list[str] = []
    for item in fields:
        if item.tag in ("IS", "ISBN") and item.value:
            _add_standard_number(item.tag, item.value, issns, isbns)
    if kind is WorkKind.BOOK:
        return Venue(title=None, isbns=tuple(isbns)) if isbns else None
    if kind is WorkKind.CHAPTER and "BTI" in single:
        return Venue(title=single["BTI"], volume=single.get("VI"), isbns=tuple(isbns))
    venue = Venue(
        title=single.get("JT"),
        short_title=single.get("TA"),
        volume=single.get("VI"),
        issue=single.get("IP"),
        issns=tuple(issns),
        isbns=tuple(isbns),
        ahead_of_print=single.get("PST", "").lower() == "aheadofprint",
    )
    return venue if venue != Venue(title=None) else None


def _add_standard_number(tag: str, value: str, issns: list[Issn], isbns: list[str]) -> None:
    match = _ISSN_MEDIUM.match(value)
    number = match["value"] if match and match["value"] else value
    medium = match["medium"].strip().lower() if match and match["value"] else ""
    compact = re.sub(r"[\s-]", "", number)
    if tag == "ISBN" or (len(compact) in (10, 13) and is_digits(compact[:-1])):
        isbns.append(number)
    else:
        issns.append(Issn(number, _ISSN_KINDS.get(medium, IssnKind.UNKNOWN)))


def _keywords(fields: list[_Field]) -> tuple[str, ...]:
    keywords: list[str] = []
    seen: set[str] = set()
    for item in fields:
        if item.tag == "MH":
            keyword = item.value.split("/", 1)[0].replace("*", "").strip()
        elif item.tag == "OT":
            keyword = item.value.replace("*", "").strip()
        else:
            continue
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            keywords.append(keyword)
    return tuple(keywords)


def _funders(fields: list[_Field]) -> tuple[Funder, ...]:
    awards_by_agency: dict[str, list[str]] = {}
    for item in fields:
        grant = _grant(item.value) if item.tag == "GR" else None
        if grant is None:
            continue
        agency, award = grant
        awards = awards_by_agency.setdefault(agency, [])
        if award and award not in awards:
            awards.append(award)
    return tuple(Funder(name, awards=tuple(awards)) for name, awards in awards_by_agency.items())


def _grant(text: str) -> tuple[str, str] | None:
    """(agency, award) from "award/acronym/agency/country" (NIH form, country given) or
    "award/agency/" (the newer form: no acronym, empty country). Awards may hold "/" too."""
    parts = [part.strip() for part in text.split("/")]
    if len(parts) >= 4 and parts[-1]:
        agency, award = parts[-2], "/".join(parts[:-3])
    elif len(parts) >= 2:
        agency, award = parts[-2], "/".join(parts[:-2])
    else:
        return None
    return (agency, award.strip("/ ")) if agency else None
