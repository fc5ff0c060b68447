"""Reader for BibTeX and biblatex files (.bib), with a line number for every entry and field.

Syntax (our own scanner, :class:`_Parser`, since bibtexparser 1 gives no line numbers and 2 is
in beta): ``@type{key, name = value, ...}`` and
``@type(key, ...)``; values in braces (nested), in double quotes, bare numbers or ``@string``
macros, joined with ``#``; the month macros ``jan`` ... ``dec`` are built in; field names and
macro names are case-insensitive. ``@comment`` and ``@preamble`` are skipped. Text outside
entries is ignored, as BibTeX ignores it (Scopus's "Scopus / EXPORT DATE" header), except lines
that look like a broken entry: an ``@`` line that does not start an entry, ``article{key,``
without its ``@``, or ``name = value`` outside any entry (an entry closed too early); those are
warnings. A duplicate field keeps its first value (warning); a citation key used twice keeps both
records (warning naming both lines). An entry that is not closed, or that cannot be read, is one
error naming its line, and reading goes on at the next ``@`` that starts a line. An entry with no
fields at all (Zotero writes ``@techreport{__????-2 }`` for empty items) is rejected.

Fields read, and where they go in the :class:`~kg.core.records.Record`:

- the entry type: ``kind`` (article → ARTICLE; inbook/incollection → CHAPTER; book →
  BOOK; inproceedings/conference → CONFERENCE_PAPER; phdthesis/mastersthesis/thesis → THESIS;
  techreport/report → REPORT; misc/online/unpublished with an arXiv ``eprint`` or a
  preprint-server journal → PREPRINT; misc and other known types → OTHER) and ``content_type``
  (the type in lower case);
- ``title`` (+ ``subtitle``), ``author`` and ``editor`` (split on top-level ``and``; "Last,
  First", "First Last", "Last, Jr, First"; ``and others`` sets ``authors_incomplete``; a name
  that is one brace group is an organisation unless it reads like a person's name: Zotero
  writes ``{{Amanda B. Breen} and {Rachel Cahill}}`` for names kept in one field);
- ``journal``/``journaltitle`` (``booktitle`` for chapters and conference papers) →
  ``venue.title``; ``shortjournal``/``abbrev_source_title`` → ``venue.short_title``;
  ``volume``; ``number``/``issue`` → ``venue.issue`` (Scopus's "2 February" is read as "2",
  with a warning; a report's, book's, chapter's or thesis's ``number`` is its number in a
  series and is not read); ``issn`` (split, with "(Print)"-style suffixes read as the medium) and
  ``isbn`` (the book's own ISBNs for books, reports and theses);
- ``year`` + ``month`` (macro, name, abbreviation or number) or biblatex ``date``
  → ``published``; ``pages`` ("29 – 40", "29--40", "e1234") and ``eid``/``art_number`` →
  pages and article number;
- ``doi`` and ``url`` (as written, not LaTeX-converted: URLs hold ``%`` and ``~``),
  ``abstract`` (HTML tags Zotero escaped as ``{\\textless}p{\\textgreater}`` removed, ``<p>``
  kept as a paragraph break), ``keywords``/``author_keywords`` (split on ``;`` when present,
  else on ``,``), ``publisher`` (``institution`` for reports, ``school`` for theses when there
  is no publisher), ``language``/``langid``, ``pmid``/``pubmed_id``, ``type`` → article_type.

Values are LaTeX-converted to Unicode (:mod:`kg.read._latex`) and whitespace is collapsed.
Mojibake (UTF-8 read as Latin-1, e.g. ``â€"`` or ``Ã©``) is kept as written with a warning;
control characters are removed with a warning. Fields known to carry nothing for the graph
(``note``, ``file``, ``urldate``, ``copyright``, ``shorttitle``...) are skipped silently;
other unknown fields are named in one warning per record.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import Issn, IssnKind, PartialDate, PersonName, Record, Venue, WorkKind
from kg.read._latex import latex_to_text
from kg.read.dates import DateError, checked_date, month_number
from kg.read.names import parse_person_name

# --- sniffing ----------------------------------------------------------------------------------

_ENTRY_LINE = re.compile(r"^\s*@\s*[A-Za-z][\w:-]*\s*[{(]")
_OTHER_FORMAT_LINE = re.compile(r"^(?:[A-Z][A-Z0-9]  - |[A-Z][A-Z0-9 ]{1,3}- )")  # RIS, MEDLINE


def sniff(lines: list[str]) -> bool:
    """BibTeX has a line starting ``@type{`` near the top, and no RIS/MEDLINE tag lines."""
    head = lines[:300]
    first = next((line.strip() for line in head if line.strip()), "")
    if first.startswith(("{", "[")):
        return False  # JSON (CSL-JSON, Crossref) may hold "@" inside strings
    if any(_OTHER_FORMAT_LINE.match(line) for line in head):
        return False
    return any(_ENTRY_LINE.match(line) for line in head)


# --- syntax: entries, fields and their lines ---------------------------------------------------

MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

_ENTRY_START = re.compile(r"@[ \t]*(?P<type>[A-Za-z][\w:-]*)\s*(?P<open>[{(])")
_LINE_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w:-]*\s*[{(]", re.MULTILINE)
_NEXT_ENTRY_LINE = r"\n[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]"
_IN_BRACES = re.compile(r"[{}]|" + _NEXT_ENTRY_LINE)
_IN_QUOTES = re.compile(r'[{}"]|' + _NEXT_ENTRY_LINE)
_KEY = re.compile(r"[^\s,{}()\"=#%]*")
_NAME = re.compile(r"[^\s,{}()\"=#%'@]+")
_SPACE = re.compile(r"\s*")

# Outside entries: lines that look like a broken entry rather than furniture.
_LOOSE_AT = re.compile(r"^\s*@")
_MISSING_AT = re.compile(r"^\s*[A-Za-z]+\s*[{(]\s*[^\s,={}()]+\s*,\s*$")
_LOOSE_FIELD = re.compile(r"^\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an entry: its raw value (LaTeX, inner braces kept) and the line it starts."""

    name: str
    raw: str
    line: int


@dataclass(slots=True)
class Entry:
    """One entry as written, with the warnings its syntax raised (line, message)."""

    type: str
    key: str
    line: int
    fields: dict[str, Field] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BrokenEntry:
    """An entry that cannot be read; it becomes one error."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something wrong outside entries (a stray line, a bad ``@string``); a warning."""

    line: int
    message: str


class _SyntaxError(Exception):
    """Raised inside one entry; ``position`` is where reading stopped."""

    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class _Parser:
    """A BibTeX scanner over the whole text; positions become 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self.warnings: list[tuple[int, str]] = []  # of the entry or @string being read
        self._entry_label = "entry"  # names the entry being read in messages

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def items(self) -> Iterator[Entry | BrokenEntry | Notice]:
        position = 0
        while position < len(self.text):
            start = _ENTRY_START.search(self.text, position)
            end_of_gap = start.start() if start else len(self.text)
            yield from self._check_outside(position, end_of_gap)
            if start is None:
                return
            position = yield from self._read_item(start)

    def _read_item(
        self, start: re.Match[str]
    ) -> Generator[Entry | BrokenEntry | Notice, None, int]:
        """Read the entry, @string, @preamble or @comment at ``start``; return where to go on."""
        entry_type = start["type"]
        close = "}" if start["open"] == "{" else ")"
        line = self.line_of(start.start())
        self.warnings = []
        lowered = entry_type.lower()
        self._entry_label = f"@{lowered}"
        try:
            if lowered == "comment":
                return self._skip_group(start.end() - 1)
            if lowered == "preamble":
                _, end = self._read_value(self._skip_space(start.end()), "@preamble", close)
                return self._expect_close(end, close, "@preamble")
            if lowered == "string":
                end = self._read_string(start.end(), close)
                yield from (Notice(at, message) for at, message in self.warnings)
                return end
            entry, end = self._read_entry(entry_type, line, start.end(), close)
        except _SyntaxError as error:
            yield from self._report(lowered, line, error)
            resume = _LINE_ENTRY_START.search(self.text, max(error.position, start.end()))
            return resume.start() if resume else len(self.text)
        yield entry
        return end

    def _report(
        self, lowered: str, line: int, error: _SyntaxError
    ) -> Iterator[BrokenEntry | Notice]:
        if lowered in ("string", "preamble", "comment"):
            yield Notice(line, f"@{lowered} cannot be read and is skipped: {error.message}")
        else:
            yield BrokenEntry(line, error.message)

    def _check_outside(self, start: int, end: int) -> Iterator[Notice]:
        """Warn about lines between entries that look like a broken entry, not furniture."""
        if start >= end:
            return
        first_line = self.line_of(start)
        for offset, text in enumerate(self.text[start:end].split("\n")):
            if _LOOSE_AT.match(text):
                message = f"'@' line does not start an entry (type{{key, ...}}?): {_shown(text)}"
            elif _MISSING_AT.match(text):
                message = f"this looks like an entry start without its '@': {_shown(text)}"
            elif _LOOSE_FIELD.match(text):
                message = (
                    f"field outside any entry (was the entry before it closed too early?): "
                    f"{_shown(text)}"
                )
            else:
                continue
            yield Notice(first_line + offset, message)

    # -- pieces of an entry

    def _skip_space(self, position: int) -> int:
        match = _SPACE.match(self.text, position)
        return match.end() if match else position

    def _at(self, position: int) -> str:
        return self.text[position] if position < len(self.text) else ""

    def _read_entry(
        self, entry_type: str, line: int, position: int, close: str
    ) -> tuple[Entry, int]:
        position = self._skip_space(position)
        key_match = _KEY.match(self.text, position)
        key = key_match.group() if key_match else ""
        position = self._skip_space(key_match.end() if key_match else position)
        entry = Entry(entry_type, key, line)
        self._entry_label = f"entry {key!r}" if key else f"@{entry_type} entry"
        character = self._at(position)
        if character == "=":
            raise _SyntaxError(position, f"@{entry_type} entry has no citation key before '='")
        if character not in (",", close):
            self._unclosed_or(position, f"expected ',' after the citation key {key!r}")
        if not key:
            self.warnings.append((line, "entry has no citation key"))
        while character == ",":
            position = self._skip_space(position + 1)
            if self._at(position) in (",", close):
                character = self._at(position)
                continue
            position = self._read_field(entry, position, close)
            character = self._at(position)
            if character not in (",", close):
                name = next(reversed(entry.fields)) if entry.fields else "?"
                self._unclosed_or(
                    position, f"expected ',' or '{close}' after the value of field {name!r}"
                )
        entry.warnings = self.warnings
        return entry, position + 1

    def _unclosed_or(self, position: int, message: str) -> NoReturn:
        """Raise the error at ``position``: an unclosed entry if the file ends or a new one
        starts there, else ``message`` with what was found."""
        found = self._at(position)
        label = self._entry_label
        if not found:
            raise _SyntaxError(position, f"{label} is not closed: the file ends inside it")
        if found == "@":
            raise _SyntaxError(
                position,
                f"{label} is not closed (a '}}' or ',' is missing) before the entry at line "
                f"{self.line_of(position)}",
            )
        raise _SyntaxError(
            position, f"{message}, found {_shown(self.text[position : position + 30])}"
        )

    def _read_field(self, entry: Entry, position: int, close: str) -> int:
        name_match = _NAME.match(self.text, position)
        if not name_match:
            self._unclosed_or(position, "expected a field name")
        name = name_match.group().lower()
        line = self.line_of(position)
        position = self._skip_space(name_match.end())
        if self._at(position) != "=":
            self._unclosed_or(position, f"expected '=' after field name {name!r}")
        raw, position = self._read_value(self._skip_space(position + 1), name, close)
        if raw is None:
            self.warnings.append((line, f"field {name!r} has no value"))
        elif name in entry.fields:
            first = entry.fields[name].line
            self.warnings.append(
                (line, f"field {name!r} is given twice (first at line {first}); kept the first")
            )
        else:
            entry.fields[name] = Field(name, raw, line)
        return self._skip_space(position)

    def _read_value(self, position: int, name: str, close: str) -> tuple[str | None, int]:
        """A value: parts joined by ``#``; None when there is none (``title = ,``)."""
        parts: list[str] = []
        while True:
            character = self._at(position)
            if character == "{":
                part, position = self._braced(position, name)
            elif character == '"':
                part, position = self._quoted(position, name)
            elif token := _NAME.match(self.text, position):
                part, position = self._macro(token.group(), position, name), token.end()
            elif not parts and character in (",", close):
                return None, position
            elif not character:
                raise _SyntaxError(position, f"the file ends before field {name!r} has a value")
            else:
                raise _SyntaxError(
                    position,
                    f"cannot read the value of field {name!r} at line {self.line_of(position)}: "
                    f"found {_shown(self.text[position : position + 30])}",
                )
            parts.append(part)
            position = self._skip_space(position)
            if self._at(position) != "#":
                return "".join(parts), position
            position = self._skip_space(position + 1)

    def _macro(self, token: str, position: int, name: str) -> str:
        if token.isdigit():
            return token
        value = self.macros.get(token.lower())
        if value is None:
            self.warnings.append(
                (
                    self.line_of(position),
                    f"field {name!r} uses the undefined macro {token!r} (read as empty; "
                    f"define it with @string or put the text in braces)",
                )
            )
            return ""
        return value

    def _braced(self, position: int, name: str) -> tuple[str, int]:
        depth = 0
        for match in _IN_BRACES.finditer(self.text, position):
            token = match.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
                if depth == 0:
                    return self.text[position + 1 : match.start()], match.end()
            else:
                self._unclosed_value(position, match.start() + 1, name)
        self._unclosed_value(position, len(self.text), name)

    def _quoted(self, position: int, name: str) -> tuple[str, int]:
        depth = 0
        for match in _IN_QUOTES.finditer(self.text, position + 1):
            token = match.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
                if depth < 0:
                    raise _SyntaxError(
                        match.start(),
                        f"field {name!r} has a '}}' with no '{{' inside its quotes "
                        f"(line {self.line_of(match.start())})",
                    )
            elif token == '"':
                if depth == 0:
                    return self.text[position + 1 : match.start()], match.end()
            else:
                self._unclosed_value(position, match.start() + 1, name)
        self._unclosed_value(position, len(self.text), name)

    def _unclosed_value(self, opened: int, stopped: int, name: str) -> NoReturn:
        where = f"line {self.line_of(opened)}"
        if stopped >= len(self.text):
            raise _SyntaxError(
                stopped,
                f"{self._entry_label} is not closed: the file ends inside field {name!r} "
                f"(opened at {where})",
            )
        raise _SyntaxError(
            stopped,
            f"field {name!r} (opened at {where}) is not closed before the entry at line "
            f"{self.line_of(stopped)}: a '}}' or '\"' is missing",
        )

    def _read_string(self, position: int, close: str) -> int:
        """``@string{name = value}``: the macro is defined for the entries after it."""
        position = self._skip_space(position)
        name_match = _NAME.match(self.text, position)
        if not name_match:
            raise _SyntaxError(position, "expected a macro name")
        position = self._skip_space(name_match.end())
        if self._at(position) != "=":
            raise _SyntaxError(position, f"expected '=' after macro name {name_match.group()!r}")
        name = name_match.group()
        raw, position = self._read_value(self._skip_space(position + 1), name, close)
        self.macros[name.lower()] = raw or ""
        return self._expect_close(self._skip_space(position), close, "@string")

    def _expect_close(self, position: int, close: str, what: str) -> int:
        position = self._skip_space(position)
        if self._at(position) != close:
            raise _SyntaxError(position, f"{what} is not closed with '{close}'")
        return position + 1

    def _skip_group(self, position: int) -> int:
        """Past the balanced group of an @comment (or past its opening if unbalanced)."""
        try:
            _, end = self._braced(position, "@comment") if self._at(position) == "{" else ("", 0)
        except _SyntaxError:
            return position + 1
        return end or position + 1


# --- from fields to a record ----------------------------------------------------------------

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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MOJIBAKE_START = re.compile(r"[\u00c2-\u00f4][^\x00-\x7f]{1,3}")
_HTML_TAG = re.compile(
    r"</?(?P<tag>p|br|div|span|i|b|em|strong|sub|sup|u|a|li|ul|ol|h[1-6]|font|small|tt|code"
    r"|blockquote|jats:[a-z-]+)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "blockquote"})
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#[xX][0-9A-Fa-f]+);")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~])")

_YEAR = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\.?\s+([A-Za-z]+)\.?$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})$")
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_PAGE_RANGE = re.compile(rf"^(?P<start>[^\s{_DASHES}]+)\s*[{_DASHES}]+\s*(?P<end>[^\s{_DASHES}]+)$")
_SINGLE_PAGE = re.compile(rf"^[^\s{_DASHES},;]+$")
_ELOCATOR = re.compile(r"^[eE]\d+$")
_ISSUE_WITH_MONTH = re.compile(r"^(?P<issue>\d+)\s+(?P<month>[A-Za-z]+)\.?$")
_ISSN_SUFFIX = re.compile(r"\s*\((?P<label>[^()]*)\)\s*$")
_ISSN_TOKEN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_ISSN_KINDS = {
    "print": IssnKind.PRINT,
    "electronic": IssnKind.ELECTRONIC,
    "online": IssnKind.ELECTRONIC,
    "linking": IssnKind.LINKING,
}

_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du"}
    | {"la", "le", "ter", "ten", "zu", "bin", "ibn", "al", "el", "y"}
)
# Words that make a name an organisation's, not a person's.
_STRONG_ORGANIZATION_WORDS = frozenset(
    {"organization", "organisation", "institute", "institut", "university", "association"}
    | {"council", "committee", "consortium", "collaboration", "agency", "ministry"}
    | {"department", "foundation", "society", "centre", "center", "office", "bureau"}
    | {"commission", "network", "initiative", "program", "programme", "administration"}
)
_ORGANIZATION_WORDS = _STRONG_ORGANIZATION_WORDS | frozenset(
    {"group", "bank", "team", "project", "board", "company", "inc", "inc.", "ltd", "ltd."}
    | {"llc", "corporation", "corp", "corp.", "trust", "fund", "federation", "union"}
    | {"alliance", "league", "research", "national", "international", "world", "health"}
    | {"school", "college", "hospital", "clinic", "laboratory", "press", "library"}
    | {"museum", "partnership", "authority", "service", "services", "unit", "investigators"}
    | {"the", "of", "for", "and", "on", "administrator", "anonymous", "staff", "editors"}
)


def read(lines: list[str], label: str) -> Iterator[Record | Problem]:
    """Records of one .bib file in file order; each unreadable entry is one error problem."""
    number = 0
    keys: dict[str, int] = {}
    try:
        for item in _Parser("\n".join(lines)).items():
            if isinstance(item, Notice):
                yield _warning(label, item.line, None, item.message)
                continue
            number += 1
            if isinstance(item, BrokenEntry):
                yield Problem(SourceLocation(label, item.line), number, item.message)
                continue
            yield from _read_entry(item, label, number, keys)
    except Exception as error:  # a bug in the scanner must not lose the file silently
        yield Problem(
            SourceLocation(label, 1), None, f"reading stopped after {number} entries: {error!r}"
        )


def _warning(label: str, line: int, number: int | None, message: str) -> Problem:
    return Problem(SourceLocation(label, line), number, message, Severity.WARNING)


def _read_entry(
    entry: Entry, label: str, number: int, keys: dict[str, int]
) -> Iterator[Record | Problem]:
    if not entry.fields:
        shown = f"entry {entry.key!r}" if entry.key else f"@{entry.type} entry"
        message = f"{shown} has no fields (an empty item in the exporting library?)"
        yield Problem(SourceLocation(label, entry.line), number, message)
        return
    try:
        builder = _RecordBuilder(entry, label, number)
        record = builder.build()
    except Exception as error:  # never a traceback: the entry is reported, the file goes on
        message = f"could not read this entry ({type(error).__name__}: {error})"
        yield Problem(SourceLocation(label, entry.line), number, message)
        return
    yield record
    for line, message in entry.warnings:
        yield _warning(label, line, number, message)
    if entry.key:
        first = keys.setdefault(entry.key.lower(), entry.line)
        if first != entry.line:
            message = (
                f"citation key {entry.key!r} is also used by the entry at line {first}; "
                f"both records kept"
            )
            yield _warning(label, entry.line, number, message)
    yield from builder.warnings


class _RecordBuilder:
    """Turns one entry's fields into a Record, collecting warnings on the way."""

    def __init__(self, entry: Entry, label: str, number: int) -> None:
        self.entry = entry
        self.label = label
        self.number = number
        self.warnings: list[Problem] = []
        self._checked: dict[str, str] = {}

    def warn(self, line: int, message: str) -> None:
        problem = _warning(self.label, line, self.number, message)
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
        controls = sorted(set(_CONTROL.findall(value)))
        if controls:
            shown = ", ".join(f"U+{ord(c):04X}" for c in controls)
            self.warn(
                found.line, f"field {found.name!r} holds control characters ({shown}); removed"
            )
            value = _CONTROL.sub("", value)
        mojibake = _find_mojibake(value)
        if mojibake:
            wrong, right = mojibake
            self.warn(
                found.line,
                f"field {found.name!r} looks like UTF-8 read as Latin-1 ({wrong!r} would be "
                f"{right!r}); kept as written",
            )
        return value

    def latex(self, name: str, raw: str) -> str:
        converted = latex_to_text(raw)
        if converted.fallback_reason:
            self.warn(
                self.line(name),
                f"field {name!r}: LaTeX markup not converted ({converted.fallback_reason}); "
                f"braces and commands removed",
            )
        return converted.text

    def text(self, *names: str) -> str | None:
        """The first of ``names`` given, as one line of plain text (None when empty)."""
        for name in names:
            raw = self.raw(name)
            if raw is not None:
                text = _collapse(_strip_html(self.latex(name, raw), block=" "))
                return text or None
        return None

    def paragraphs(self, name: str) -> str | None:
        raw = self.raw(name)
        if raw is None:
            return None
        text = _strip_html(self.latex(name, raw), block="\n\n")
        kept = [_collapse(part) for part in _PARAGRAPH_BREAK.split(text)]
        return "\n\n".join(part for part in kept if part) or None

    def verbatim(self, name: str) -> str | None:
        """URLs and DOIs: no LaTeX conversion (they hold % and ~), only escapes undone."""
        raw = self.raw(name)
        if raw is None:
            return None
        value = _VERBATIM_ESCAPE.sub(r"\1", raw)
        if value.startswith("{") and value.endswith("}") and _is_one_group(value):
            value = value[1:-1]
        return _collapse(value) or None

    # -- the record

    def build(self) -> Record:
        entry = self.entry
        content_type = entry.type.lower()
        kind = self.kind(content_type)
        authors, incomplete = self.names("author")
        editors, _ = self.names("editor")
        page_start, page_end, article_number = self.pages()
        self.report_unknown_fields()
        return Record(
            source=SourceLocation(self.label, entry.line),
            number=self.number,
            kind=kind,
            content_type=content_type,
            published=self.published(),
            authors=authors,
            title=self.title(),
            doi=self.verbatim("doi"),
            authors_incomplete=incomplete,
            editors=editors,
            pmid=self.text("pmid", "pubmed_id"),
            url=self.verbatim("url"),
            language=self.text("language", "langid"),
            publisher=self.publisher(kind),
            page_start=page_start,
            page_end=page_end,
            article_number=article_number,
            abstract=self.paragraphs("abstract"),
            venue=self.venue(kind),
            article_type=self.text("type"),
            keywords=self.keywords(),
        )

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
                f"entry type @{self.entry.type} is not a BibTeX or biblatex "
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
            self.warn(self.entry.line, f"fields not read: {', '.join(unknown)}")

    # -- names

    def names(self, name: str) -> tuple[tuple[PersonName, ...], bool]:
        raw = self.raw(name)
        if raw is None:
            return (), False
        people: list[PersonName] = []
        incomplete = False
        for part in _split_top_level(raw, _AND):
            written = part.strip()
            if not written:
                self.warn(self.line(name), f"field {name!r} has an empty name (' and and '?)")
            elif written.lower() == "others":
                incomplete = True
            else:
                people.append(self.person(name, written))
        return tuple(people), incomplete

    def person(self, name: str, written: str) -> PersonName:
        if _is_one_group(written) and not written.startswith("{\\"):
            return self.braced_name(written[1:-1])
        parts = _split_top_level(written, _COMMA)
        text = _collapse(self.latex(name, written))
        if len(parts) == 1:
            return self.direct_name(name, written, text)
        cleaned = [_collapse(self.latex(name, part)) for part in parts]
        if len(parts) == 2:
            return PersonName(written=text, given=cleaned[1] or None, family=cleaned[0] or None)
        if len(parts) == 3:  # "von Last, Jr, First": the suffix stays in the written form only
            return PersonName(written=text, given=cleaned[2] or None, family=cleaned[0] or None)
        self.warn(
            self.line(name),
            f"{name} {text!r} has {len(parts) - 1} commas (BibTeX allows 'Last, Jr, First'); "
            "kept without name parts",
        )
        return PersonName(written=text)

    def braced_name(self, inner: str) -> PersonName:
        """A name braced as one unit: BibTeX's way to write an organisation, and Zotero's
        way to write any name kept in a single field. A person's name stays a person's."""
        text = _collapse(_strip_html(latex_to_text(inner).text, block=" "))
        if _is_one_group(inner.strip()) or not _looks_like_person(text):
            return PersonName(written=text, organization=True)
        parsed = parse_person_name(text)
        return PersonName(written=text, given=parsed.given, family=parsed.family)

    def direct_name(self, name: str, written: str, text: str) -> PersonName:
        """A "First von Last" name; a brace group is one word ("{van der Berg}" stays one)."""
        tokens = [_collapse(latex_to_text(token).text) for token in _split_words(written)]
        tokens = [token for token in tokens if token]
        if len(tokens) >= 3 and _is_organization_name(tokens):
            self.warn(
                self.line(name),
                f"{name} {text!r} read as an organisation (brace it as {{{{{text}}}}} to say so)",
            )
            return PersonName(written=text, organization=True)
        if any(" " in token for token in tokens):
            return PersonName(written=text, given=" ".join(tokens[:-1]), family=tokens[-1])
        parsed = parse_person_name(" ".join(tokens))
        return PersonName(written=text, given=parsed.given, family=parsed.family)

    # -- dates

    def published(self) -> PartialDate | None:
        if self.raw("date") is not None:
            return self.biblatex_date()
        year_text = self.text("year")
        if year_text is None:
            return None
        if not _YEAR.match(year_text):
            self.warn(self.line("year"), f"year {year_text!r} is not a year; kept without a date")
            return None
        month, day = self.month()
        try:
            return checked_date(int(year_text), month, day)
        except DateError as error:
            shown = f"year {year_text!r}"
            if month is not None:
                shown += f" with month {self.text('month')!r}"
            self.warn(self.line("year"), f"{shown} is not a date ({error}); kept without a date")
            return None

    def month(self) -> tuple[int | None, int | None]:
        text = self.text("month")
        if text is None:
            return None, None
        day: int | None = None
        month_text = text
        if match := _DAY_MONTH.match(text):
            day, month_text = int(match[1]), match[2]
        elif match := _MONTH_DAY.match(text):
            month_text, day = match[1], int(match[2])
        try:
            month = month_number(month_text)
            checked_date(2000, month, day)  # a leap year: the real year is checked later
        except DateError as error:
            self.warn(
                self.line("month"), f"month {text!r} cannot be read ({error}); kept the year only"
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
                f"date {text!r} is not a date like 2024-05-17; kept without a date",
            )
            return None
        if start != text:
            self.warn(self.line("date"), f"date range {text!r} read as its start {start!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return checked_date(year, month, day)
        except DateError as error:
            self.warn(
                self.line("date"), f"date {text!r} is not a date ({error}); kept without a date"
            )
            return None

    # -- where it appeared

    def pages(self) -> tuple[str | None, str | None, str | None]:
        article_number = self.text("eid", "art_number", "articleno", "article-number")
        text = self.text("pages")
        if text is None:
            return None, None, article_number
        if match := _PAGE_RANGE.match(text):
            return match["start"], match["end"], article_number
        if _SINGLE_PAGE.match(text):
            if _ELOCATOR.match(text) and article_number is None:
                return None, None, text
            return text, None, article_number
        self.warn(
            self.line("pages"), f"pages {text!r} are not a page or a range like 29-40; left out"
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
                f"issue {text!r} read as issue {match['issue']!r} (the month name after the "
                "number dropped)",
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


_MONTH_NAMES = frozenset(MONTH_MACROS) | {name.lower() for name in MONTH_MACROS.values()}
_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)
_COMMA = re.compile(",")
_WORD_BREAK = re.compile(r"\s+")


def _split_top_level(raw: str, separator: re.Pattern[str]) -> list[str]:
    """``raw`` split where ``separator`` matches outside braces."""
    depth = 0
    parts: list[str] = []
    start = 0
    position = 0
    pattern = re.compile(r"[{}]|" + separator.pattern, separator.flags)
    while (match := pattern.search(raw, position)) is not None:
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(raw[start : match.start()])
            start = match.end()
        position = max(match.end(), match.start() + 1)
    parts.append(raw[start:])
    return parts


def _split_words(raw: str) -> list[str]:
    return [word for word in _split_top_level(raw.strip(), _WORD_BREAK) if word]


def _is_one_group(text: str) -> bool:
    """Whether ``text`` is one brace group from its first character to its last."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, character in enumerate(text):
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False


def _looks_like_person(text: str) -> bool:
    """Two to five capitalised words (particles allowed), none an organisation's word."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    for token in tokens:
        bare = token.strip(".,").lower()
        if bare in _ORGANIZATION_WORDS or any(c.isdigit() or c in "_&@/()" for c in token):
            return False
        if token[0].islower() and bare not in _PARTICLES:
            return False
        if not token[0].isalpha():
            return False
        if len(token) >= 3 and token.isupper() and "." not in token and "-" not in token:
            return False  # an acronym: "WHO", "UNICEF"
    return True


def _is_organization_name(tokens: list[str]) -> bool:
    """An unbraced name that names an organisation ("World Health Organization")."""
    return any(token.strip(".,").lower() in _STRONG_ORGANIZATION_WORDS for token in tokens)


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


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _strip_html(text: str, block: str) -> str:
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
