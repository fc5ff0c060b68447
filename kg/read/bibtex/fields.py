"""From a BibTeX entry's fields to the values of a :class:`~kg.core.records.Record`.

Fields read, and where they go in the Record (the names in ``author`` and ``editor`` are read by
:mod:`kg.read.bibtex.names`):

- the entry type: ``kind`` (article → ARTICLE; inbook/incollection → CHAPTER; book →
  BOOK; inproceedings/conference → CONFERENCE_PAPER; phdthesis/mastersthesis/thesis → THESIS;
  techreport/report → REPORT; misc/online/unpublished with an arXiv ``eprint`` or a
  preprint-server journal → PREPRINT; misc and other known types → OTHER) and ``content_type``
  (the type in lower case);
- ``title`` (+ ``subtitle``);
- ``journal``/``journaltitle`` (``booktitle`` for chapters and conference papers) →
  ``venue.title``; ``shortjournal``/``abbrev_source_title`` → ``venue.short_title``;
  ``volume``; ``number``/``issue`` → ``venue.issue`` (Scopus's "2 February" is read as "2",
  with a warning; a report's, book's, chapter's or thesis's ``number`` is its number in a
  series and is not read); ``issn`` (split, with "(Print)"-style suffixes read as the medium) and
  ``isbn`` (the book's own ISBNs for books, reports and theses);
- ``year`` + ``month`` (macro, name, abbreviation or number) or biblatex ``date``
  → ``published``; ``pages`` ("29 – 40", "29--40", "e1234"; a short end page such as
  ``573--78`` is expanded by the rule of :mod:`kg.read.pages`) and ``eid``/``art_number`` →
  pages and article number;
- ``doi`` and ``url`` (as written, not LaTeX-converted: URLs hold ``%`` and ``~``),
  ``abstract`` (HTML tags Zotero escaped as ``{\\textless}p{\\textgreater}`` removed, ``<p>``
  kept as a paragraph break), ``keywords``/``author_keywords`` (split on ``;`` when present,
  else on ``,``), ``publisher`` (``institution`` for reports, ``school`` for theses when there
  is no publisher), ``language``/``langid``, ``pmid``/``pubmed_id``, ``type`` → article_type.

Values are LaTeX-converted to Unicode (:mod:`kg.read._latex`) and whitespace is collapsed.
Mojibake (UTF-8 read as Latin-1, e.g. ``â€"`` or ``Ã©``) is kept as written with a warning;
control characters (:data:`kg.core.text.CONTROL_CHARACTERS`) are removed with a warning. Fields
known to carry nothing for the graph (``note``, ``file``, ``urldate``, ``copyright``,
``shorttitle``...) are skipped silently; other unknown fields are named in one warning per
record.
"""

from __future__ import annotations

import html
import re

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import Issn, IssnKind, PartialDate, Venue, WorkKind
from kg.core.text import (
    code_points,
    control_characters,
    read_integer,
    remove_control_characters,
    shorten,
)
from kg.read._latex import latex_to_text
from kg.read.bibtex.scanner import MONTH_MACROS, Entry, Field, is_one_group
from kg.read.dates import DateError, checked_date, month_number
from kg.read.pages import DASH_CLASS, page_range, split_range

_KINDS = {
    "article": WorkKind.ARTICLE,
    "inbook": WorkKind.CHAPTER,
    "incollection": WorkKind.CHAPTER,
    "inreference": WorkKind.CHAPTER,
    "bookinbook": WorkKind.CHAPTER,
    "suppbook": WorkKind.CHAPTER,
    "book": WorkKind.BOOK,
    "mvbook": WorkKind.BOOK,
    "collection": WorkKind.BOOK,
    "mvcollection": WorkKind.BOOK,
    "proceedings": WorkKind.BOOK,
    "mvproceedings": WorkKind.BOOK,
    "reference": WorkKind.BOOK,
    "inproceedings": WorkKind.CONFERENCE_PAPER,
    "conference": WorkKind.CONFERENCE_PAPER,
    "phdthesis": WorkKind.THESIS,
    "mastersthesis": WorkKind.THESIS,
    "thesis": WorkKind.THESIS,
    "techreport": WorkKind.REPORT,
    "report": WorkKind.REPORT,
}
_OTHER_TYPES = frozenset(
    {"misc", "online", "electronic", "www", "unpublished", "others", "manual", "booklet"}
    | {"patent", "dataset", "software", "periodical", "suppperiodical", "standard", "letter"}
    | {"artwork", "audio", "image", "movie", "music", "video", "performance", "review"}
    | {"jurisdiction", "legislation", "legal", "set", "xdata", "preprint"}
)
_PREPRINT_TYPES = frozenset({"misc", "online", "electronic", "www", "unpublished", "preprint"})
_PREPRINT_VENUE = re.compile(
    r"^(?:arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|techrxiv|ssrn)\b", re.IGNORECASE
)

# Fields that carry nothing the graph holds; skipped without a warning.
_IGNORED_FIELDS = frozenset(
    {"note", "annote", "annotation", "file", "urldate", "copyright", "shorttitle", "source"}
    | {"publication_stage", "timestamp", "owner", "address", "location", "edition", "series"}
    | {"organization", "howpublished", "chapter", "pmcid", "eprintclass", "primaryclass"}
    | {"crossref", "key", "comment", "comments", "affiliations", "affiliation", "coden"}
    | {"correspondence_address", "correspondence_address1", "funding_details"}
    | {"funding_text", "funding_text 1", "references", "mendeley-tags", "mendeley-groups"}
    | {"groups", "ranking", "readstatus", "priority", "printed", "qualityassured"}
    | {"date-added", "date-modified", "bdsk-url-1", "bdsk-url-2", "bdsk-file-1", "local-url"}
    | {"eventtitle", "eventdate", "venue", "titleaddon", "pagetotal", "numpages", "addendum"}
    | {"urlyear", "urlmonth", "hyphenation", "translator", "bookauthor", "biburl", "bibsource"}
    | {"abstractnote", "rights", "archive", "archive_location", "archiveprefix", "eprinttype"}
    | {"eprint", "day", "isrn", "keywords-plus", "web-of-science-categories", "da"}
    | {"unique-id", "doc-delivery-number", "journal-iso", "researcherid-numbers"}
    | {"orcid-numbers", "times-cited", "usage-count-last-180-days", "usage-count-since-2013"}
    | {"number-of-cited-references", "cited-references", "research-areas", "publisher-place"}
    | {"booksubtitle", "maintitle", "mainsubtitle", "origdate", "origtitle", "version"}
    | {"institution", "school", "journal-abbreviation", "iso_abbreviation", "issue_date"}
    | {"month_numeric", "sortname", "sortkey", "shortauthor", "shorteditor", "eissn"}
)
_READ_FIELDS = frozenset(
    {"title", "subtitle", "author", "editor", "journal", "journaltitle", "booktitle"}
    | {"shortjournal", "abbrev_source_title", "journalabbreviation", "volume", "number"}
    | {"issue", "issn", "isbn", "year", "month", "date", "pages", "eid", "art_number"}
    | {"articleno", "article-number", "doi", "url", "abstract", "keywords", "keyword"}
    | {"author_keywords", "publisher", "language", "langid", "pmid", "pubmed_id", "type"}
)

_MOJIBAKE_START = re.compile(r"[\u00c2-\u00f4][^\x00-\x7f]{1,3}")
_HTML_TAG = re.compile(
    r"</?(?P<tag>p|br|div|span|i|b|em|strong|sub|sup|u|a|li|ul|ol|h[1-6]|font|small|tt|code"
    r"|blockquote|jats:[a-z-]+)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "blockquote"})
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~])")

_YEAR = re.compile(r"^[0-9]{4}$")
_ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
_DAY_MONTH = re.compile(r"^([0-9]{1,2})\.?\s+([A-Za-z]+)\.?$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+([0-9]{1,2})$")
_SINGLE_PAGE = re.compile(rf"^[^\s{DASH_CLASS},;]+$")
_ELOCATOR = re.compile(r"^[eE][0-9]+$")
_ISSUE_WITH_MONTH = re.compile(r"^(?P<issue>[0-9]+)\s+(?P<month>[A-Za-z]+)\.?$")
_ISSN_SUFFIX = re.compile(r"\s*\((?P<label>[^()]*)\)\s*$")
_ISSN_TOKEN = re.compile(r"^[0-9]{4}-?[0-9]{3}[0-9Xx]$")
_ISSN_KINDS = {
    "print": IssnKind.PRINT,
    "electronic": IssnKind.ELECTRONIC,
    "online": IssnKind.ELECTRONIC,
    "linking": IssnKind.LINKING,
}
_MONTH_NAMES = frozenset(MONTH_MACROS) | {name.lower() for name in MONTH_MACROS.values()}


def warning(label: str, line: int, number: int | None, message: str) -> Problem:
    """A warning about ``label``'s line ``line``, of record ``number`` (None: of no record)."""
    return Problem(SourceLocation(label, line), number, message, Severity.WARNING)


class FieldValues:
    """One entry's field values, read as text, dates, pages and the like, collecting warnings
    on the way (each once)."""

    def __init__(self, entry: Entry, label: str, number: int) -> None:
        self.entry = entry
        self.label = label
        self.number = number
        self.warnings: list[Problem] = []
        self._checked: dict[str, str] = {}

    def warn(self, line: int, message: str) -> None:
        problem = warning(self.label, line, self.number, message)
        if problem not in self.warnings:  # a field read twice is reported once
            self.warnings.append(problem)

    def line(self, name: str) -> int:
        found = self.entry.fields.get(name)
        return found.line if found else self.entry.line

    # -- field values

    def raw(self, name: str) -> str | None:
        """The raw value with control characters removed; checked (and warned about) once."""
        found = self.entry.fields.get(name)
        if found is None:
            return None
        if name not in self._checked:
            self._checked[name] = self._check(found)
        return self._checked[name]

    def _check(self, found: Field) -> str:
        value = found.raw
        controls = control_characters(value)
        if controls:
            self.warn(
                found.line,
                f"field {shorten(found.name)!r} holds control characters "
                f"({code_points(controls)}); removed",
            )
            value = remove_control_characters(value)
        mojibake = _find_mojibake(value)
        if mojibake:
            wrong, right = mojibake
            self.warn(
                found.line,
                f"field {shorten(found.name)!r} looks like UTF-8 read as Latin-1 "
                f"({wrong!r} would be {right!r}); kept as written",
            )
        return value

    def latex(self, name: str, raw: str) -> str:
        converted = latex_to_text(raw)
        if converted.fallback_reason:
            self.warn(
                self.line(name),
                f"field {shorten(name)!r}: LaTeX markup not converted "
                f"({converted.fallback_reason}); braces and commands removed",
            )
        return converted.text

    def text(self, *names: str) -> str | None:
        """The first of ``names`` given, as one line of plain text (None when empty)."""
        for name in names:
            raw = self.raw(name)
            if raw is not None:
                text = collapse(strip_html(self.latex(name, raw), block=" "))
                return text or None
        return None

    def paragraphs(self, name: str) -> str | None:
        raw = self.raw(name)
        if raw is None:
            return None
        text = strip_html(self.latex(name, raw), block="\n\n")
        kept = [collapse(part) for part in _PARAGRAPH_BREAK.split(text)]
        return "\n\n".join(part for part in kept if part) or None

    def verbatim(self, name: str) -> str | None:
        """URLs and DOIs: no LaTeX conversion (they hold % and ~), only escapes undone."""
        raw = self.raw(name)
        if raw is None:
            return None
        value = _VERBATIM_ESCAPE.sub(r"\1", raw)
        if value.startswith("{") and value.endswith("}") and is_one_group(value):
            value = value[1:-1]
        return collapse(value) or None

    def kind(self, content_type: str) -> WorkKind:
        preprint_possible = content_type in _PREPRINT_TYPES or content_type == "article"
        if preprint_possible and self.is_preprint():
            return WorkKind.PREPRINT
        known = _KINDS.get(content_type)
        if known is not None:
            return known
        if content_type not in _OTHER_TYPES:
            self.warn(
                self.entry.line,
                f"entry type @{shorten(self.entry.type)} is not a BibTeX or biblatex "
                "type; read as a work of kind 'other'",
            )
        return WorkKind.OTHER

    def is_preprint(self) -> bool:
        """An arXiv (or other preprint server) posting, when the entry says so clearly."""
        server = " ".join(
            value
            for value in (self.text("archiveprefix"), self.text("eprinttype"))
            if value is not None
        )
        if _PREPRINT_VENUE.match(server):
            return True
        if self.raw("eprint") is not None and not server and self.entry.type.lower() != "article":
            return True
        venue = self.text("journal", "journaltitle", "howpublished", "publisher") or ""
        doi = self.verbatim("doi") or ""
        return bool(_PREPRINT_VENUE.match(venue)) or "10.48550/" in doi

    def title(self) -> str | None:
        title = self.text("title")
        subtitle = self.text("subtitle")
        if title and subtitle:
            return f"{title}: {subtitle}"
        return title or subtitle

    def publisher(self, kind: WorkKind) -> str | None:
        publisher = self.text("publisher")
        if publisher is None and kind is WorkKind.REPORT:
            return self.text("institution")
        if publisher is None and kind is WorkKind.THESIS:
            return self.text("school", "institution")
        return publisher

    def keywords(self) -> tuple[str, ...]:
        found: list[str] = []
        for name in ("keywords", "keyword", "author_keywords"):
            text = self.text(name)
            if text is None:
                continue
            separator = ";" if ";" in text else ","
            for keyword in text.split(separator):
                keyword = keyword.strip()
                if keyword and keyword not in found:
                    found.append(keyword)
        return tuple(found)

    def report_unknown_fields(self) -> None:
        unknown = [
            name
            for name in self.entry.fields
            if name not in _READ_FIELDS and name not in _IGNORED_FIELDS
        ]
        if unknown:
            self.warn(self.entry.line, f"fields not read: {shorten(', '.join(unknown), 200)}")

    # -- dates

    def published(self) -> PartialDate | None:
        if self.raw("date") is not None:
            return self.biblatex_date()
        year_text = self.text("year")
        if year_text is None:
            return None
        if not _YEAR.match(year_text):
            self.warn(
                self.line("year"), f"year {shorten(year_text)!r} is not a year; kept without a date"
            )
            return None
        month, day = self.month()
        try:
            return checked_date(read_integer(year_text), month, day)
        except DateError as error:
            shown = f"year {shorten(year_text)!r}"
            if month is not None:
                shown += f" with month {shorten(self.text('month') or '')!r}"
            self.warn(self.line("year"), f"{shown} is not a date ({error}); kept without a date")
            return None

    def month(self) -> tuple[int | None, int | None]:
        text = self.text("month")
        if text is None:
            return None, None
        day: int | None = None
        month_text = text
        if match := _DAY_MONTH.match(text):
            day, month_text = read_integer(match[1]), match[2]
        elif match := _MONTH_DAY.match(text):
            month_text, day = match[1], read_integer(match[2])
        try:
            month = month_number(month_text)
            checked_date(2000, month, day)  # a leap year: the real year is checked later
        except DateError as error:
            self.warn(
                self.line("month"),
                f"month {shorten(text)!r} cannot be read ({error}); kept the year only",
            )
            return None, None
        return month, day

    def biblatex_date(self) -> PartialDate | None:
        text = self.text("date") or ""
        start = text.split("/", 1)[0].strip()
        match = _ISO_DATE.match(start)
        if not match:
            self.warn(
                self.line("date"),
                f"date {shorten(text)!r} is not a date like 2024-05-17; kept without a date",
            )
            return None
        if start != text:
            self.warn(
                self.line("date"),
                f"date range {shorten(text)!r} read as its start {shorten(start)!r}",
            )
        year, month, day = (read_integer(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return checked_date(year, month, day)
        except DateError as error:
            self.warn(
                self.line("date"),
                f"date {shorten(text)!r} is not a date ({error}); kept without a date",
            )
            return None

    # -- where it appeared

    def pages(self) -> tuple[str | None, str | None, str | None]:
        article_number = self.text("eid", "art_number", "articleno", "article-number")
        text = self.text("pages")
        if text is None:
            return None, None, article_number
        if split := split_range(text):
            pages = page_range(*split)
            if pages.warning:
                self.warn(self.line("pages"), pages.warning)
            return pages.start, pages.end, article_number
        if _SINGLE_PAGE.match(text):
            if _ELOCATOR.match(text) and article_number is None:
                return None, None, text
            return text, None, article_number
        self.warn(
            self.line("pages"),
            f"pages {shorten(text)!r} are not a page or a range like 29-40; left out",
        )
        return None, None, article_number

    def venue(self, kind: WorkKind) -> Venue | None:
        journal = self.text("journal", "journaltitle")
        if kind in (WorkKind.CHAPTER, WorkKind.CONFERENCE_PAPER):
            title = self.text("booktitle") or journal
        elif kind is WorkKind.BOOK:
            title = None
        else:
            title = journal
        # a report's, a book's or a chapter's "number" is its number in a series, not an issue
        has_issues = kind not in (WorkKind.REPORT, WorkKind.BOOK, WorkKind.CHAPTER, WorkKind.THESIS)
        issue = self.issue() if has_issues else None
        venue = Venue(
            title=title,
            volume=self.text("volume"),
            issue=issue,
            issns=self.issns(),
            isbns=self.isbns(),
            short_title=self.text("shortjournal", "abbrev_source_title", "journalabbreviation"),
        )
        return venue if venue != Venue(title=None) else None

    def issue(self) -> str | None:
        text = self.text("number", "issue")
        if text is None:
            return None
        match = _ISSUE_WITH_MONTH.match(text)
        if match and match["month"].lower() in _MONTH_NAMES:
            name = "number" if "number" in self.entry.fields else "issue"
            self.warn(
                self.line(name),
                f"issue {shorten(text)!r} read as issue {shorten(match['issue'])!r} (the month "
                "name after the number dropped)",
            )
            return match["issue"]
        return text

    def issns(self) -> tuple[Issn, ...]:
        found: list[Issn] = []
        for piece in _split_identifiers(self.text("issn"), split_spaces=True):
            label = _ISSN_SUFFIX.search(piece)
            kind = IssnKind.UNKNOWN
            if label:
                piece = piece[: label.start()].strip()
                kind = _ISSN_KINDS.get(label["label"].strip().lower(), IssnKind.UNKNOWN)
            if piece:
                found.append(Issn(piece, kind))
        return tuple(found)

    def isbns(self) -> tuple[str, ...]:
        found = []
        for piece in _split_identifiers(self.text("isbn"), split_spaces=False):
            piece = _ISSN_SUFFIX.sub("", piece).strip()
            if piece:
                found.append(piece)
        return tuple(found)


def _split_identifiers(text: str | None, *, split_spaces: bool) -> list[str]:
    """ISSNs/ISBNs in one field: separated by commas or semicolons (ISSNs also by spaces)."""
    if text is None:
        return []
    pieces = [piece.strip() for piece in re.split(r"[,;]", text)]
    if not split_spaces:
        return pieces
    found: list[str] = []
    for piece in pieces:
        words = piece.split()
        if len(words) > 1 and all(_ISSN_TOKEN.match(word) for word in words):
            found.extend(words)
        else:
            found.append(piece)
    return found


def collapse(text: str) -> str:
    return " ".join(text.split())


def strip_html(text: str, block: str) -> str:
    """Simple HTML tags removed (block tags become ``block``) and entities decoded."""
    if "<" not in text and "&" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        return block if match["tag"].lower() in _BLOCK_TAGS else ""

    text = _HTML_TAG.sub(replace, text)
    return _HTML_ENTITY.sub(lambda match: html.unescape(match.group()), text)


def _find_mojibake(value: str) -> tuple[str, str] | None:
    """The first stretch that is UTF-8 bytes decoded as Latin-1/Windows-1252, and its repair."""
    for match in _MOJIBAKE_START.finditer(value):
        candidate = match.group()
        for length in range(len(candidate), 1, -1):
            piece = candidate[:length]
            try:
                repaired = _as_single_byte(piece).decode("utf-8")
            except (UnicodeDecodeError, UnicodeEncodeError):
                continue
            return piece, repaired
    return None


def _as_single_byte(text: str) -> bytes:
    return b"".join(
        character.encode("latin-1") if ord(character) < 0x100 else character.encode("cp1252")
        for character in text
    )
