"""Reader for RIS files (Scopus, Web of Science, Zotero, EndNote and publisher exports).

A record is a run of tag lines ``XX  - value`` from ``TY  - <type>`` to ``ER  -``. Lines without
a tag continue the value above them (Web of Science indents them by three spaces); the pieces
are joined with a space.

Where the tags go:

- ``TY`` -> ``kind`` and ``content_type`` (JOUR/JFULL/MGZN/NEWS/EJOUR/INPR: article; CHAP/ECHAP:
  chapter; BOOK/EBOOK/EDBOOK: book; CONF/CPAPER: conference paper; THES; RPRT; UNPB: preprint;
  any other type: OTHER, with a warning naming it).
- ``AU``/``A1`` -> authors (one name a line, or several split on ``;``; ``Family, Given`` or
  ``Given Family``; corporate names kept whole). ``A2`` -> editors on chapters and conference
  papers, ``ED`` -> editors; on an ``EDBOOK`` the ``AU`` names are the editors.
- ``TI``/``T1`` -> title (``BT`` for a book without one). ``T2``/``JF``/``JO`` -> venue title
  (the book or proceedings title for a chapter or conference paper; a book has none);
  ``J2``/``JA``/``JI``/``J9`` -> venue short title; ``VL`` (else ``VO``), ``IS``; ``SN`` -> ISSNs
  and ISBNs (by the ``(ISSN)``/``(ISBN)`` note, else by shape: 8 characters an ISSN, 10 or 13
  digits an ISBN, else an ISBN on a book or chapter and an ISSN elsewhere).
- ``PY``/``Y1``/``DA`` -> ``published``: ``2024``, ``2024///``, ``2024/05/17/``, ``2019 Mar 4``,
  ``2019-03-04``; a ``DA`` without a year (``SEP 22``, ``DEC``) adds month and day to the year of
  ``PY``. ``Y2`` is not used: most exporters write the access date there.
- ``AB`` (else ``N2``) -> abstract; ``KW`` -> keywords (also split on ``;``); ``DO`` -> DOI (``M3``
  when it holds a DOI and there is no ``DO``); ``UR`` -> url (the first); ``LA``; ``PB`` (Web of
  Science: ``PU``) -> publisher; ``SP``/``EP`` -> pages (``SP`` may hold ``29-40``; a short
  end page, ``SP 573``/``EP 78``, is expanded by the rule of :mod:`kg.read.pages`); ``C7``/``AR``
  -> article number; ``M3`` -> article type; ``C2`` -> PMID in Scopus exports (``DB  - Scopus``);
  ``AN`` -> PMID when ``DB`` is PubMed or MEDLINE; ``FU`` (Web of Science funding text) ->
  funders with award numbers.

Dialect quirks handled: a BOM, CRLF, ``ER  -`` with or without its trailing space, several ISSNs or
ISBNs in one ``SN`` (``20411723 (ISSN)``, ``1234-5678 (Print); 2345-6789 (Online)``), inline
HTML (``<i>``, ``<sub>``) and XML character references (``&amp;``) from Web of Science, control
characters (removed, with a warning), tag lines with irregular spacing (``TI - x``, read when
the tag is a known RIS tag), headers such as ``Provider:`` before the first record, a record whose
``ER`` is missing.
Known tags that have no place in a Record (``AD``, ``N1``, ``DB``, other ``AN``, ``C3``, ``Y2``
...) are skipped without a problem; tags no exporter documents are reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
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
from kg.core.text import (
    CONTROL_CHARACTERS,
    has_digit,
    is_digits,
    read_integer,
    remove_control_characters,
    shorten,
)
from kg.read.dates import MONTHS, DateError, checked_date, month_number
from kg.read.names import parse_inverted_name, parse_person_name
from kg.read.pages import page_range, split_range

# "TI  - value": two letters or a letter and a digit, two spaces, a hyphen, a space and the
# value. Lines arrive right-stripped, so "ER  - " is "ER  -".
_STRICT_TAG = re.compile(r"(?P<tag>[A-Z][A-Z0-9])  -(?: (?P<value>.*))?")
# "TI - value", "TI   -  value", "TY\t- JOUR": read only for known tags, so prose such as
# "CD-ROM" or "UK - based" in a continued abstract stays text.
_LOOSE_TAG = re.compile(r"(?P<tag>[A-Z][A-Z0-9])[ \t]{1,4}-(?:[ \t]+(?P<value>.*))?")
# Lines some databases write before the first record (ScienceDirect, Springer ...).
_HEADER = re.compile(r"^(?:Provider|Database|Content|Export Date)\s*:", re.IGNORECASE)

KIND_BY_TYPE: dict[str, WorkKind] = {
    **dict.fromkeys(("JOUR", "JFULL", "MGZN", "NEWS", "EJOUR", "INPR"), WorkKind.ARTICLE),
    **dict.fromkeys(("CHAP", "ECHAP"), WorkKind.CHAPTER),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK"), WorkKind.BOOK),
    **dict.fromkeys(("CONF", "CPAPER"), WorkKind.CONFERENCE_PAPER),
    "THES": WorkKind.THESIS,
    "RPRT": WorkKind.REPORT,
    "UNPB": WorkKind.PREPRINT,
}
_BOOK_KINDS = frozenset({WorkKind.BOOK, WorkKind.CHAPTER})
_EDITED_BY_A2 = frozenset({WorkKind.CHAPTER, WorkKind.CONFERENCE_PAPER})

# Tags this reader maps to Record fields.
MAPPED_TAGS = frozenset(
    {"TY", "ER", "AU", "A1", "A2", "ED", "TI", "T1", "BT", "T2", "JF", "JO", "J2", "JA", "JI"}
    | {"J9", "VL", "IS", "SN", "PY", "Y1", "DA", "AB", "N2", "KW", "DO", "UR", "LA", "PB", "PU"}
    | {"SP", "EP", "C7", "AR", "M3", "C2", "DB", "FU", "VO"}
)
# RIS tags (the RIS specification, EndNote, Web of Science extras) with no place in a Record.
IGNORED_TAGS = frozenset(
    {"A3", "A4", "AD", "AN", "AV", "C1", "C3", "C4", "C5", "C6", "C8", "CA", "CN", "CP", "CT"}
    | {"CY", "DP", "ET", "FX", "ID", "J1", "L1", "L2", "L3", "L4", "LB", "LK", "M1", "M2", "N1"}
    | {"NV", "OP", "PA", "PI", "PP", "RI", "RN", "RP", "SE", "ST", "T3", "TA", "TT", "U1", "U2"}
    | {"U3", "U4", "U5", "WE", "Y2", "H1", "H2", "SC", "UT"}
)
KNOWN_TAGS = MAPPED_TAGS | IGNORED_TAGS

# Tags that hold one value; a second one with a different value is reported and left out.
_SINGLE_VALUED = frozenset(
    {"TI", "T1", "BT", "T2", "JF", "JO", "J2", "JA", "JI", "J9", "VL", "VO", "IS", "PY", "Y1"}
    | {"DA", "AB", "N2", "DO", "LA", "PB", "PU", "SP", "EP", "C7", "AR", "M3", "C2", "DB"}
)

# Words that make an author without a comma an organization ("World Health Organization").
_ORGANIZATION_WORDS = frozenset(
    {"organization", "organisation", "group", "consortium", "committee", "association"}
    | {"society", "institute", "collaboration", "network", "council", "agency", "university"}
    | {"department", "centre", "center", "foundation", "ministry", "board", "commission"}
    | {"investigators", "team", "working"}
)
# Joining words that occur in names of bodies, not in personal names ("Centers for Disease ...").
_ORGANIZATION_JOINERS = frozenset({"of", "for", "and", "the", "on", "&"})
_MAX_PERSON_WORDS = 4  # "José María Pérez García" is a person; longer runs name bodies
_INCOMPLETE_MARKERS = frozenset({"et al", "et al.", "and others", "others"})

# Inline HTML that Web of Science keeps in titles and abstracts ("<i>Kulindadromeus</i>").
_INLINE_MARKUP = re.compile(
    r"</?(?:i|b|em|strong|sub|sup|scp|u|span|italic|bold)(?:\s[^<>]*)?/?>", re.IGNORECASE
)
_CHARACTER_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_MAX_NUMBER_LENGTH = 40  # a longer VL/IS is text put in the wrong field (an address, a note)

_SLASH_DATE = re.compile(
    r"(?P<year>[0-9]{4})?/(?P<month>[0-9]{0,2})(?:/(?P<day>[0-9]{0,2})(?:/(?P<other>.*))?)?"
)
_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2}))?")
_YEAR = re.compile(r"[0-9]{4}")
_DAY = re.compile(r"[0-9]{1,2}")
_DATE_TAGS = ("PY", "Y1", "DA")

_STANDARD_NUMBER = re.compile(r"(?P<value>[^\s;,()]+)(?:\s*\((?P<note>[^()]*)\))?")
_NUMBER_LABELS: dict[str, IssnKind | None] = {
    "issn": IssnKind.UNKNOWN,
    "issn:": IssnKind.UNKNOWN,
    "eissn": IssnKind.ELECTRONIC,
    "e-issn": IssnKind.ELECTRONIC,
    "pissn": IssnKind.PRINT,
    "p-issn": IssnKind.PRINT,
    "issn-l": IssnKind.LINKING,
    "isbn": None,
    "isbn:": None,
    "print": IssnKind.PRINT,
    "online": IssnKind.ELECTRONIC,
    "electronic": IssnKind.ELECTRONIC,
    "linking": IssnKind.LINKING,
}
_FUNDING_SOURCE = re.compile(r"\s+Funding Source:.*$")
_FUNDER_AWARDS = re.compile(r"(?P<name>.*?)\s*\[(?P<awards>[^\]]*)\]")
_OUTSIDE_BRACKETS_SEMICOLON = re.compile(r";(?![^\[]*\])")


def sniff(lines: list[str]) -> bool:
    """RIS starts with ``TY  - <type>`` (after at most a few header lines, as Zotero checks)."""
    seen = 0
    for line in lines[:300]:
        text = line.lstrip("\ufeff")  # tags start in column 1, as the reader wants them
        if not text.strip():
            continue
        if re.match(r"TY {1,2}- ?\S", text):
            return True
        seen += 1
        if seen > 5 or _STRICT_TAG.fullmatch(text):
            return False
    return False


def read(lines: Iterable[str], label: str) -> Iterator[Record | Problem]:
    """Records in file order; a record without ``TY`` is rejected, oddities are warnings.

    ``lines`` are taken once, in order: only the record being read is held."""
    number = 0
    for item in _scan(lines):
        if isinstance(item, _Stray):
            yield Problem(
                SourceLocation(label, item.index + 1), None, item.message, Severity.WARNING
            )
            continue
        number += 1
        yield from _read_block(item, number, label)


# --- splitting the file into records ----------------------------------------------------------


@dataclass(frozen=True)
class _TagLine:
    tag: str
    value: str
    loose: bool  # spaced irregularly ("TI - x")


@dataclass
class _Field:
    tag: str
    index: int  # 0-based line of the tag
    parts: list[str]

    @property
    def raw(self) -> str:
        return " ".join(part for part in self.parts if part)


@dataclass
class _Block:
    """The tag lines of one record, from its first tag to its ``ER`` (or what ended it)."""

    start: int
    typed: bool  # begins with TY
    fields: list[_Field] = field(default_factory=list)
    loose_lines: list[tuple[int, str]] = field(default_factory=list)
    ended_by_next_type: int | None = None  # line of the TY that began before this ER
    ended_by_file_end: bool = False
    last: int = 0  # 0-based line of the last line read into the record


@dataclass(frozen=True)
class _Stray:
    index: int
    message: str


def _tag_line(line: str) -> _TagLine | None:
    strict = _STRICT_TAG.fullmatch(line)
    if strict:
        return _TagLine(strict["tag"], (strict["value"] or "").strip(), loose=False)
    loose = _LOOSE_TAG.fullmatch(line)
    if loose and loose["tag"] in KNOWN_TAGS:
        return _TagLine(loose["tag"], (loose["value"] or "").strip(), loose=True)
    return None


def _scan(lines: Iterable[str]) -> Iterator[_Block | _Stray]:
    block: _Block | None = None
    for index, raw in enumerate(lines):
        line = raw.lstrip("\ufeff") if index == 0 else raw
        tag_line = _tag_line(line)
        if tag_line is None:
            text = line.strip()
            if block is not None:
                if text:  # continues the value above (WoS indents these lines)
                    block.fields[-1].parts.append(text)
                    block.last = index
            elif text and not _HEADER.match(text):
                yield _Stray(index, f"text outside a record: {_shown(text)}")
            continue
        if tag_line.tag == "ER":
            if block is None:
                yield _Stray(index, "'ER  -' with no record open (no 'TY  - ' line before it)")
            else:
                yield block
                block = None
            continue
        if tag_line.tag == "TY" and block is not None:
            block.ended_by_next_type = index
            yield block
            block = None
        if block is None:
            block = _Block(start=index, typed=tag_line.tag == "TY")
        block.last = index
        block.fields.append(_Field(tag_line.tag, index, [tag_line.value]))
        if tag_line.loose:
            block.loose_lines.append((index, line.strip()))
    if block is not None:
        block.ended_by_file_end = True
        yield block


def _shown(text: str) -> str:
    return repr(shorten(remove_control_characters(text)))


# --- one record ---------------------------------------------------------------------------------


def _read_block(block: _Block, number: int, label: str) -> Iterator[Record | Problem]:
    if not block.typed:
        first = block.fields[0]
        message = (
            f"record has no 'TY  - <type>' line: it starts with {first.tag!r} "
            "(every RIS record begins with 'TY  - ', e.g. 'TY  - JOUR')"
        )
        yield Problem(SourceLocation(label, first.index + 1), number, message)
        return
    try:
        builder = _RecordBuilder(block, number, label)
        record = builder.record()
    except Exception as error:  # a reader bug must not stop the file: the record is reported
        message = f"could not read this record ({type(error).__name__}: {error}); please report it"
        yield Problem(SourceLocation(label, block.start + 1), number, message)
        return
    yield record
    if block.ended_by_next_type is not None:
        builder.warn(
            block.ended_by_next_type,
            "no 'ER  -' line before the next 'TY  - ' here; the record was ended at this line",
        )
    if block.ended_by_file_end:
        builder.warn(
            block.last,
            "no 'ER  -' line before the end of the file; the record was read to the end",
        )
    for index, message in sorted(builder.warnings, key=lambda warning: warning[0]):
        yield Problem(SourceLocation(label, index + 1), number, message, Severity.WARNING)


@dataclass(frozen=True)
class _Value:
    tag: str
    index: int
    text: str


class _RecordBuilder:
    """Turns one block's tag lines into a Record, collecting warnings with their lines."""

    def __init__(self, block: _Block, number: int, label: str) -> None:
        self.block = block
        self.number = number
        self.label = label
        self.warnings: list[tuple[int, str]] = []
        self.values: dict[str, list[_Value]] = {}
        self._collect()

    def warn(self, index: int, message: str) -> None:
        self.warnings.append((index, message))

    def _collect(self) -> None:
        unknown: set[str] = set()
        for item in self.block.fields:
            text = _INLINE_MARKUP.sub("", item.raw)
            text = _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m[0]), text)
            if CONTROL_CHARACTERS.search(text):
                text = remove_control_characters(text).strip()
                self.warn(item.index, f"removed control characters from {item.tag}")
            if item.tag not in KNOWN_TAGS and item.tag not in unknown:
                unknown.add(item.tag)
                self.warn(item.index, f"unknown tag {item.tag!r} (not an RIS tag); left out")
            self.values.setdefault(item.tag, []).append(_Value(item.tag, item.index, text))
        if self.block.loose_lines:
            index, text = self.block.loose_lines[0]
            more = len(self.block.loose_lines) - 1
            self.warn(
                index,
                f"tag line {_shown(text)} is not written 'XX  - value' (two spaces, hyphen, "
                f"space); read as a tag" + (f", and {more} more like it" if more else ""),
            )
        for tag in sorted(_SINGLE_VALUED & self.values.keys()):
            self._check_single(self.values[tag])

    def _check_single(self, values: list[_Value]) -> None:
        kept = values[0]
        for extra in values[1:]:
            if extra.text != kept.text:
                self.warn(
                    extra.index,
                    f"a second {extra.tag} (the first is on line {kept.index + 1}); "
                    f"kept the first, left out {_shown(extra.text)}",
                )

    def first(self, *tags: str) -> _Value | None:
        """The first non-empty value among ``tags``, in the order of the tags given."""
        for tag in tags:
            for value in self.values.get(tag, ()):
                if value.text:
                    return value
        return None

    def text(self, *tags: str) -> str | None:
        value = self.first(*tags)
        return value.text if value else None

    def all(self, tag: str) -> list[_Value]:
        return [value for value in self.values.get(tag, ()) if value.text]

    def record(self) -> Record:
        content_type = self.values["TY"][0].text
        kind = self._kind(content_type)
        # EndNote may give the same names twice, as AU and as A1: take one of them.
        authors, incomplete = self._persons(("AU",) if self.all("AU") else ("A1",))
        editors, _ = self._persons(("ED", "A2") if kind in _EDITED_BY_A2 else ("ED",))
        if content_type.upper() == "EDBOOK" and not editors:
            authors, editors = (), authors
        page_start, page_end = self._pages()
        title = self.text("TI", "T1") or (self.text("BT") if kind is WorkKind.BOOK else None)
        return Record(
            source=SourceLocation(self.label, self.block.start + 1),
            number=self.number,
            kind=kind,
            content_type=content_type,
            published=self._published(),
            authors=authors,
            title=title,
            doi=self._doi(),
            authors_incomplete=incomplete,
            editors=editors,
            pmid=self._pmid(),
            url=self.text("UR"),
            language=self.text("LA"),
            publisher=self.text("PB", "PU"),
            page_start=page_start,
            page_end=page_end,
            article_number=self.text("C7", "AR"),
            funders=self._funders(),
            abstract=self.text("AB", "N2"),
            venue=self._venue(kind),
            article_type=self._article_type(),
            keywords=self._keywords(),
        )

    # --- kind, people -------------------------------------------------------------------------

    def _kind(self, content_type: str) -> WorkKind:
        kind = KIND_BY_TYPE.get(content_type.upper())
        if kind is not None:
            return kind
        where = self.block.start
        if content_type:
            self.warn(
                where,
                f"record type {shorten(content_type)!r} is not one this reader maps; read as OTHER",
            )
        else:
            self.warn(where, "'TY  - ' gives no record type; read as OTHER")
        return WorkKind.OTHER

    def _persons(self, tags: tuple[str, ...]) -> tuple[tuple[PersonName, ...], bool]:
        names: list[PersonName] = []
        incomplete = False
        for tag in tags:
            for value in self.all(tag):
                for written in (part.strip() for part in value.text.split(";")):
                    if written.lower() in _INCOMPLETE_MARKERS:
                        incomplete = True
                    elif written:
                        names.append(_person(written))
        return tuple(names), incomplete

    # --- date -----------------------------------------------------------------------------------

    def _published(self) -> PartialDate | None:
        readings: list[tuple[_Value, _DateParts]] = []
        for tag in _DATE_TAGS:
            value = self.first(tag)
            if value is None:
                continue
            try:
                parts = _date_parts(value.text)
            except DateError as error:
                self.warn(
                    value.index, f"{tag} {_shown(value.text)} is not a date ({error}); left out"
                )
                continue
            if parts.left_out:
                self.warn(value.index, f"{tag} {_shown(value.text)}: {parts.left_out}")
            readings.append((value, parts))
        year_reading = next(((v, p) for v, p in readings if p.year is not None), None)
        if year_reading is None:
            for value, _ in readings:
                self.warn(
                    value.index, f"{value.tag} {_shown(value.text)} gives no year; no date kept"
                )
            return None
        year_value, year = year_reading[0], year_reading[1].year
        assert year is not None
        try:
            checked_date(year)
        except DateError as error:
            self.warn(
                year_value.index,
                f"{year_value.tag} {_shown(year_value.text)} is not a date ({error})",
            )
            return None
        agreeing = []
        for value, parts in readings:
            if parts.year in (None, year):
                agreeing.append((value, parts))
            else:
                self.warn(
                    value.index,
                    f"{value.tag} {_shown(value.text)} gives the year {parts.year}, "
                    f"{year_value.tag} gives {year}; kept {year}",
                )
        value, parts = max(agreeing, key=lambda reading: reading[1].precision)
        return self._checked(value, year, parts)

    def _checked(self, value: _Value, year: int, parts: _DateParts) -> PartialDate | None:
        """The date checked against the calendar; what does not check out is left out."""
        try:
            return checked_date(year, parts.month, parts.day)
        except DateError as error:
            problem = f"{value.tag} {_shown(value.text)} is not a date ({error})"
        coarser = [(year, parts.month)] if parts.day is not None else []
        for year_and_month in [*coarser, (year, None)]:
            try:
                kept = checked_date(*year_and_month)
            except DateError:
                continue
            self.warn(value.index, f"{problem}; kept {kept.lexical}")
            return kept
        return None

    # --- identifiers, venue -----------------------------------------------------------------------

    def _doi(self) -> str | None:
        doi = self.text("DO")
        if doi is None:
            type_of_work = self.text("M3")
            if type_of_work and type_of_work.startswith("10."):
                return type_of_work  # old Zotero exports put the DOI in M3
        return doi

    def _article_type(self) -> str | None:
        type_of_work = self.text("M3")
        return None if type_of_work is None or type_of_work.startswith("10.") else type_of_work

    def _pmid(self) -> str | None:
        # Scopus writes the PubMed ID in C2; elsewhere C2 is free text (EndNote: a PMCID).
        # Records from PubMed (DB  - PubMed / MEDLINE, as EndNote and kg convert write them)
        # carry it as the accession number AN.
        database, custom, accession = self.text("DB"), self.text("C2"), self.text("AN")
        source = (database or "").lower()
        if source == "scopus" and custom and is_digits(custom):
            return custom
        if source in ("pubmed", "medline") and accession and is_digits(accession):
            return accession
        return None

    def _number(self, tags: tuple[str, ...], what: str) -> str | None:
        value = self.first(*tags)
        if value is None:
            return None
        if len(value.text) > _MAX_NUMBER_LENGTH:
            self.warn(value.index, f"{value.tag} {_shown(value.text)} is not {what}; left out")
            return None
        return value.text

    def _venue(self, kind: WorkKind) -> Venue | None:
        issns, isbns = self._standard_numbers(kind)
        title = None
        if kind is not WorkKind.BOOK:
            title_tags = ("T2", "JF", "JO", "BT") if kind in _EDITED_BY_A2 else ("T2", "JF", "JO")
            title = self.first(*title_tags)
        short_tags = ("J2", "JA", "JI", "J9") + (("JO",) if title and title.tag != "JO" else ())
        venue = Venue(
            title=title.text if title else None,
            volume=self._number(("VL", "VO"), "a volume number"),
            issue=self._number(("IS",), "an issue number"),
            issns=issns,
            isbns=isbns,
            short_title=self.text(*short_tags),
        )
        return None if venue == Venue(title=None) else venue

    def _standard_numbers(self, kind: WorkKind) -> tuple[tuple[Issn, ...], tuple[str, ...]]:
        issns: list[Issn] = []
        isbns: list[str] = []
        for value in self.all("SN"):
            for number, is_isbn, issn_kind in _split_standard_numbers(value.text, kind):
                if number is None:
                    self.warn(value.index, f"SN text {_shown(issn_kind)} is not an ISSN or ISBN")
                elif is_isbn and number not in isbns:
                    isbns.append(number)
                elif not is_isbn and all(issn.value != number for issn in issns):
                    issns.append(Issn(number, IssnKind(issn_kind)))
        return tuple(issns), tuple(isbns)

    # --- pages, keywords, funders -------------------------------------------------------------

    def _pages(self) -> tuple[str | None, str | None]:
        start, end = self.first("SP"), self.first("EP")
        if start is None:
            return None, end.text if end else None
        first, last = start.text, end.text if end else None
        if split := split_range(first):
            first, last = split[0], last or split[1]
        pages = page_range(first, last)
        if pages.warning:
            self.warn((end or start).index, pages.warning)
        return pages.start, pages.end

    def _keywords(self) -> tuple[str, ...]:
        keywords: dict[str, None] = {}  # ordered and without repeats (Scopus repeats index terms)
        for value in self.all("KW"):
            for keyword in value.text.split(";"):
                if keyword.strip():
                    keywords[keyword.strip()] = None
        return tuple(keywords)

    def _funders(self) -> tuple[Funder, ...]:
        funders: dict[Funder, None] = {}
        for value in self.all("FU"):
            for part in _OUTSIDE_BRACKETS_SEMICOLON.split(value.text):
                funder = _funder(_FUNDING_SOURCE.sub("", part).strip())
                if funder is not None:
                    funders[funder] = None
        return tuple(funders)


# --- values ---------------------------------------------------------------------------------------


def _person(written: str) -> PersonName:
    if _is_organization(written):
        return PersonName(written=written, organization=True)
    if "," in written:
        return parse_inverted_name(written)
    return parse_person_name(written)


def _is_organization(written: str) -> bool:
    """A corporate author: "World Health Organization", "Centers for Disease Control", "NASA".

    "Family, Given" is a person unless its family part is several words naming a body
    ("Department of Health, UK"); "Board, J." stays a person.
    """
    family_part = written.split(",")[0] if "," in written else written
    words = [word.strip(".,()").lower() for word in family_part.split()]
    if any(word in _ORGANIZATION_WORDS for word in words) and (
        "," not in written or len(words) > 1
    ):
        return True
    if "," in written:
        return False
    capitalised = [word for word in written.split() if word[:1].isupper()]
    return (
        len(capitalised) > _MAX_PERSON_WORDS
        or any(word in _ORGANIZATION_JOINERS for word in words)
        or (len(words) == 1 and len(written) >= 3 and written.isalpha() and written.isupper())
    )


@dataclass(frozen=True)
class _DateParts:
    year: int | None
    month: int | None = None
    day: int | None = None
    left_out: str | None = None  # what of the text could not be kept, said for the warning

    @property
    def precision(self) -> int:
        return (self.month is not None) + (self.day is not None)


def _date_parts(text: str) -> _DateParts:
    """Year, month and day as written, not yet checked against the calendar."""
    slashed = _SLASH_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)
    if slashed:
        groups = slashed.groupdict()
        return _DateParts(
            _int_or_none(groups.get("year")),
            _int_or_none(groups.get("month")),
            _int_or_none(groups.get("day")),
        )
    return _worded_date_parts(text)


def _int_or_none(digits: str | None) -> int | None:
    return read_integer(digits) if digits else None


def _worded_date_parts(text: str) -> _DateParts:
    """``2019 Mar 4``, ``SEP 22``, ``DEC``, ``4 March 2019``, ``JUL-DEC``, ``Spring 2019``."""
    year = month = day = None
    left_out: list[str] = []
    for token in re.split(r"[\s,]+", text.strip()):
        word = token.rstrip(".")
        if _YEAR.fullmatch(word) and year is None:
            year = read_integer(word)
        elif _DAY.fullmatch(word) and day is None:
            day = read_integer(word)
        elif word.isalpha() and word.lower() in MONTHS and month is None:
            month = month_number(word)
        elif word:
            left_out.append(token)
    shown = " ".join(left_out)
    if year is None and month is None:
        raise DateError(
            f"{shorten(shown)!r} is not a year, month or day" if left_out else "no year in it"
        )
    if left_out:
        # A season or a range of months ("Spring 2019"): only the year is certain.
        return _DateParts(
            year, left_out=f"{shorten(shown)!r} is not a month or day; kept the year only"
        )
    if day is not None and month is None:
        raise DateError(f"a day ({day}) without a month")
    return _DateParts(year, month, day)


def _split_standard_numbers(text: str, kind: WorkKind) -> Iterator[tuple[str | None, bool, str]]:
    """(number as written, is an ISBN, ISSN kind value) for each number in one SN line;
    (None, False, text) for text that is neither."""
    label_kind: IssnKind | None = IssnKind.UNKNOWN
    label_isbn = False
    for match in _STANDARD_NUMBER.finditer(text):
        value, note = match["value"], (match["note"] or "").strip().lower()
        if not has_digit(value):
            if value.lower() in _NUMBER_LABELS:
                label_kind = _NUMBER_LABELS[value.lower()]
                label_isbn = label_kind is None
            else:
                yield None, False, value
            continue
        digits = re.sub(r"[^0-9Xx]", "", value)
        note_kind = _NUMBER_LABELS.get(note.replace(" ", ""))
        if "isbn" in note or label_isbn:
            is_isbn = True
        elif "issn" in note or note_kind is not None or len(digits) == 8:
            is_isbn = False
        else:
            is_isbn = len(digits) in (10, 13) or kind in _BOOK_KINDS
        issn_kind = note_kind or label_kind or IssnKind.UNKNOWN
        yield value, is_isbn, issn_kind.value
        label_kind, label_isbn = IssnKind.UNKNOWN, False


def _funder(text: str) -> Funder | None:
    if not text:
        return None
    with_awards = _FUNDER_AWARDS.fullmatch(text)
    if with_awards is None:
        return Funder(name=text)
    awards = tuple(a.strip() for a in with_awards["awards"].split(",") if a.strip())
    return Funder(name=with_awards["name"] or None, awards=awards)
