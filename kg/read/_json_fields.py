"""What the JSON readers (CSL-JSON, Crossref) do with one record: field access that turns odd
values into warnings, the value shapes both formats use (dates, pages, ISSNs, ISBNs), and the
loop that turns the items of a document into records and problems."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.core.problems import Problem, Severity, SourceLocation
from kg.core.records import AbstractSection, Issn, IssnKind, PartialDate, PersonName, Record
from kg.core.text import (
    MAX_CONVERTIBLE,
    UNREADABLE_CHARACTERS,
    NumberError,
    NumberTooLargeError,
    code_points,
    control_characters,
    has_digit,
    is_digits,
    read_integer,
    remove_control_characters,
    shorten,
    whole_number,
)
from kg.errors import RecordError
from kg.read._json import (
    DuplicateKey,
    JsonArray,
    JsonDocument,
    JsonObject,
    describe,
    index_path,
    member_path,
)
from kg.read._markup import abstract_from, has_markup, markup_blocks
from kg.read.dates import DateError, checked_date, month_number
from kg.read.names import parse_person_name
from kg.read.pages import DASH_CLASS, page_range, split_range

_SPACES = re.compile(r"\s+")


@dataclass
class JsonFields:
    """One JSON object of a record, read member by member.

    Values of the wrong JSON type, stray control characters and the like become WARNING
    problems (the value is left out or cleaned), located at the member's own line and path.
    Objects inside the record share the record's problem list.
    """

    obj: JsonObject
    label: str
    path: str
    record: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.label, self.obj.line, self.path or None)

    def member_location(self, key: str) -> SourceLocation:
        line = self.obj.key_lines.get(key, self.obj.line)
        return SourceLocation(self.label, line, member_path(self.path, key))

    def warn(self, key: str | None, message: str) -> None:
        where = self.member_location(key) if key is not None else self.location
        self.problems.append(Problem(where, self.record, message, Severity.WARNING))

    def text(self, key: str, *, markup: bool = False) -> str | None:
        """A text member (numbers are written as text); null or blank is None."""
        value = self.obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.warn(key, f"{key!r} is {describe(value)}, not a text; left out")
            return None
        return self.clean(key, value if isinstance(value, str) else str(value), markup=markup)

    def first_text(self, key: str, *, markup: bool = False) -> str | None:
        """A text member, or the first text of a list of texts (Crossref's ``"title": [...]``);
        when a list holds several different texts the others are reported as left out."""
        value = self.obj.get(key)
        if not isinstance(value, list):
            return self.text(key, markup=markup)
        texts = self.texts(key, markup=markup)
        if not texts:
            return None
        others = [text for text in texts[1:] if text != texts[0]]
        if others:
            shown = "; ".join(repr(text) for text in others)
            self.warn(key, f"{key!r} has {len(texts)} values; the first is used, left out: {shown}")
        return texts[0]

    def texts(self, key: str, *, markup: bool = False) -> list[str]:
        """Every text of a list member (a single text counts as a list of one)."""
        value = self.obj.get(key)
        if not isinstance(value, list):
            single = self.text(key, markup=markup)
            return [single] if single is not None else []
        found = []
        for index, element in enumerate(value):
            if element is None:
                continue
            if isinstance(element, bool) or not isinstance(element, str | int | float):
                self.warn(key, f"{key}[{index}] is {describe(element)}, not a text; left out")
                continue
            cleaned = self.clean(key, str(element), markup=markup)
            if cleaned is not None:
                found.append(cleaned)
        return found

    def child(self, key: str) -> JsonFields | None:
        """An object member, read the same way; another kind of value is reported."""
        value = self.obj.get(key)
        if value is None:
            return None
        if not isinstance(value, JsonObject):
            self.warn(key, f"{key!r} is {describe(value)}, not an object; left out")
            return None
        return JsonFields(
            value, self.label, member_path(self.path, key), self.record, self.problems
        )

    def children(self, key: str) -> list[JsonFields]:
        """The objects of a list member (a single object counts as a list of one)."""
        value = self.obj.get(key)
        if value is None:
            return []
        if isinstance(value, JsonObject):
            return [
                JsonFields(
                    value, self.label, member_path(self.path, key), self.record, self.problems
                )
            ]
        if not isinstance(value, JsonArray):
            self.warn(key, f"{key!r} is {describe(value)}, not a list of objects; left out")
            return []
        found = []
        list_path = member_path(self.path, key)
        for index, element in enumerate(value):
            path = index_path(list_path, index)
            if isinstance(element, JsonObject):
                found.append(JsonFields(element, self.label, path, self.record, self.problems))
            elif element is not None:
                where = SourceLocation(self.label, value.item_lines[index], path)
                message = f"{key}[{index}] is {describe(element)}, not an object; left out"
                self.problems.append(Problem(where, self.record, message, Severity.WARNING))
        return found

    def clean(self, key: str, text: str, *, markup: bool = False) -> str | None:
        """``text`` without control characters (reported) and with its spaces collapsed;
        with ``markup``, tags are removed and entities decoded first."""
        text = self._without_bad_characters(key, text)
        if markup and has_markup(text):
            text = " ".join(block.text for block in markup_blocks(text))
        text = _SPACES.sub(" ", text).strip()
        return text or None

    def _without_bad_characters(self, key: str, text: str) -> str:
        """``text`` without :data:`~kg.core.text.UNREADABLE_CHARACTERS` (reported): JSON's
        escapes can write C1 controls and lone surrogates as well as control characters."""
        bad = control_characters(text, UNREADABLE_CHARACTERS)
        if not bad:
            return text
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        self.warn(
            key,
            f"{key!r} holds control or invalid characters ({code_points(bad[:5])}{more}); removed",
        )
        return remove_control_characters(text, UNREADABLE_CHARACTERS)

    def long_text(self, key: str) -> tuple[str | None, tuple[AbstractSection, ...]]:
        """An abstract: paragraphs (blank line between them) or titled sections; JATS and HTML
        markup become text."""
        value = self.obj.get(key)
        if isinstance(value, list):  # some producers give a list of paragraphs
            value = "\n".join(item for item in value if isinstance(item, str))
        if value is None or value == "":
            return None, ()
        if not isinstance(value, str):
            self.warn(key, f"{key!r} is {describe(value)}, not a text; left out")
            return None, ()
        return abstract_from(self._without_bad_characters(key, value))

    def issns(self, key: str) -> list[Issn]:
        return [issn for text in self.texts(key) for issn in split_issns(text)]

    def isbns(self, key: str) -> list[str]:
        return [isbn for text in self.texts(key) for isbn in split_isbns(text)]


# --- dates ----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^([0-9]{4})(?:[-/]([0-9]{1,2})(?:[-/]([0-9]{1,2}))?)?(?:[T ].*)?$")
_SEASONS = {13: "spring", 14: "summer", 15: "autumn", 16: "winter"}
_SEASONS.update({21: "spring", 22: "summer", 23: "autumn", 24: "winter"})


def read_date(fields: JsonFields, key: str) -> PartialDate | None:
    """A CSL/Crossref date member: ``{"date-parts": [[2016, 4]]}`` (parts may be texts),
    ``{"raw": "2016-04-01"}``, ``{"literal": ...}`` or ``{"date-time": ...}`` in ISO form, or
    a bare ISO text.

    ``[[null]]`` and an empty list mean "no date": None without a warning. A date that is
    there but not readable is reported and left out.
    """
    value = fields.obj.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return _iso_date(fields, key, value)
    date = fields.child(key)
    if date is None:
        return None
    parts = date.obj.get("date-parts")
    if parts is None:
        written = date.text("raw") or date.text("literal") or date.text("date-time")
        return _iso_date(fields, key, written) if written else None
    if not isinstance(parts, list) or any(not isinstance(p, list) for p in parts):
        fields.warn(key, f"{key!r} date-parts {_shown(parts)} is not a list of [year, month, day]")
        return None
    if not parts:
        return None
    if len(parts) > 1 and any(part not in (None, "") for part in parts[1]):
        fields.warn(key, f"{key!r} is a date range; only its start is kept")
    return _date_from_parts(fields, key, parts[0])


def _shown(value: object) -> str:
    return shorten(json.dumps(value, ensure_ascii=False), 40)


def _date_from_parts(fields: JsonFields, key: str, parts: list[Any]) -> PartialDate | None:
    if not parts or parts[0] in (None, ""):
        return None
    written = _written_date(parts)
    numbers: list[int | None] = []
    for index, part in enumerate(parts[:3]):
        if part in (None, ""):
            numbers.append(None)
            continue
        try:
            numbers.append(_date_number(part, index))
        except NumberError as error:
            fields.warn(key, f"date {written!r} is not a date ({error})")
            return None
    while len(numbers) < 3:
        numbers.append(None)
    year, month, day = numbers
    assert year is not None  # parts[0] is neither None nor ""
    if month is None:
        day = None
    if day is not None and not 1 <= day <= 31:  # checked here: a huge day overflows datetime
        fields.warn(
            key,
            f"date {written!r} is not a date (day {_shown_number(day)} is not a day (1-31)); "
            "left out",
        )
        return None
    if month in _SEASONS:
        fields.warn(
            key, f"date {written!r} names a season ({_SEASONS[month]}); only the year is kept"
        )
        month = day = None
    try:
        return checked_date(year, month, day)
    except DateError as error:
        fields.warn(key, f"date {written!r} is not a date ({error}); left out")
        return None


def _date_number(part: object, index: int) -> int:
    """A date part as a number: a JSON integer, a whole float, digits in a text, or a month
    name or number in second place. Raises NumberError saying why not."""
    if isinstance(part, int) and not isinstance(part, bool):
        return part
    if isinstance(part, float):
        number = whole_number(part, largest=MAX_CONVERTIBLE)
        if number is None:
            raise NumberError(f"{_shown(part)} is not a whole number")
        return number
    if isinstance(part, str):
        text = part.strip()
        if index == 1 and not is_digits(text):
            try:
                return month_number(text)
            except DateError:
                raise NumberError(f"{_shown(part)} is not a month") from None
        try:
            return read_integer(text, signed=True, largest=MAX_CONVERTIBLE)
        except NumberTooLargeError as error:
            raise NumberError(str(error)) from None
        except NumberError:
            raise NumberError(f"{_shown(part)} is not a number") from None
    raise NumberError(f"{_shown(part)} is not a number")


def _shown_number(number: int) -> str:
    """A number for a message: its digits, or how many it has when it has very many."""
    digits = str(abs(number))
    return digits if len(digits) <= 60 else f"of {len(digits)} digits"


def _written_date(parts: list[Any]) -> str:
    shown = []
    for index, part in enumerate(parts[:3]):
        if isinstance(part, int) and not isinstance(part, bool) and index > 0:
            shown.append(f"{part:02d}")
        elif isinstance(part, str | int | float) and not isinstance(part, bool):
            shown.append(str(part))
        else:
            shown.append(_shown(part))
    return shorten("-".join(shown))


def _iso_date(fields: JsonFields, key: str, written: str) -> PartialDate | None:
    text = written.strip()
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if not match:
        fields.warn(
            key,
            f"date {shorten(text)!r} is not a date this reader can read "
            "(YYYY, YYYY-MM or YYYY-MM-DD); left out",
        )
        return None
    year, month, day = (read_integer(group) if group else None for group in match.groups())
    assert year is not None
    try:
        return checked_date(year, month, day)
    except DateError as error:
        fields.warn(key, f"date {shorten(text)!r} is not a date ({error}); left out")
        return None


# --- pages and serial numbers ---------------------------------------------------------------

_PAGE_PIECE_BREAK = re.compile(rf"[\s,;{DASH_CLASS}]+")


def split_pages(fields: JsonFields, key: str) -> tuple[str | None, str | None]:
    """``"29-40"`` / ``"29 – 40"`` as start and end, ``"1234"`` as a start, as written but for
    a short end page (``"573-78"``), expanded by the rule of :mod:`kg.read.pages`."""
    text = fields.text(key)
    if text is None:
        return None, None
    whole = split_range(text)
    if whole is not None:
        pages = page_range(*whole)
    elif " " not in text and "," not in text:
        return text, None
    else:
        pieces = [piece for piece in _PAGE_PIECE_BREAK.split(text) if piece]
        if not pieces:  # only dashes and separators: "- -"
            fields.warn(key, f"pages {shorten(text)!r} hold no page number; left out")
            return None, None
        pages = page_range(pieces[0], pieces[-1] if len(pieces) > 1 else None)
        last = pages.end or pages.start
        fields.warn(
            key,
            f"pages {shorten(text)!r} are not one range; kept from {shorten(pages.start)!r} to "
            f"{shorten(last)!r}",
        )
    if pages.warning:
        fields.warn(key, pages.warning)
    return pages.start, pages.end


_ISSN_KINDS = {
    "print": IssnKind.PRINT,
    "p": IssnKind.PRINT,
    "electronic": IssnKind.ELECTRONIC,
    "online": IssnKind.ELECTRONIC,
    "e": IssnKind.ELECTRONIC,
    "linking": IssnKind.LINKING,
    "l": IssnKind.LINKING,
}
_SUFFIX = re.compile(r"^(?P<value>.*?)\s*\((?P<note>[^()]*)\)$")


def issn_kind(text: str | None) -> IssnKind:
    """``"print"``, ``"electronic"``, ``"online"``, ``"linking"`` as an IssnKind."""
    return _ISSN_KINDS.get((text or "").strip().lower(), IssnKind.UNKNOWN)


def split_issns(text: str) -> list[Issn]:
    """The ISSNs in one field ("1234-5678, 2345-6789", "0378-5955 (Print)"), as written
    without separators and a medium suffix; the suffix gives the kind."""
    found = []
    for piece in re.split(r"\s*[,;]\s*|\s+(?!\()", text.strip()):
        if not piece or piece.upper().rstrip(":") == "ISSN":
            continue
        suffix = _SUFFIX.match(piece)
        if suffix and suffix["value"]:
            found.append(Issn(suffix["value"], issn_kind(suffix["note"])))
        else:
            found.append(Issn(piece))
    return found


def split_isbns(text: str) -> list[str]:
    """The ISBNs in one field ("978-1-83797-562-4, 978-1-83797-561-7"), as written; a space
    separates two ISBNs only when both sides are whole ISBNs (ISBNs may contain spaces)."""
    found: list[str] = []
    for piece in re.split(r"\s*[,;]\s*", text.strip()):
        suffix = _SUFFIX.match(piece)
        piece = suffix["value"] if suffix and suffix["value"] else piece
        words = piece.split()
        if len(words) > 1 and all(_isbn_length(word) for word in words):
            found.extend(words)
        elif piece and piece.upper().rstrip(":") != "ISBN":
            found.append(piece)
    return found


def _isbn_length(word: str) -> bool:
    return len(re.sub(r"[-‐‑–]", "", word)) in (10, 13)


# --- names ----------------------------------------------------------------------------------

# Words that make a one-piece name an organisation rather than a person.
_ORGANIZATION_WORDS = re.compile(
    r"\b(?:consortium|group|committee|collaboration|network|association|society|institute"
    r"|university|council|organi[sz]ation|foundation|agency|cent(?:er|re)|team|study|project"
    r"|initiative|alliance|ministry|department|office|board|investigators|working|program(?:me)?"
    r"|federation|union|commission|trust|inc|ltd|gmbh|llc|corporation|company|laboratory"
    r"|hospital|school|college|academy|world|national|international)\b",
    re.IGNORECASE,
)


def read_names(
    fields: JsonFields, key: str, *, whole_name: str, whole_name_is_organization: bool = False
) -> tuple[PersonName, ...]:
    """The names of a CSL-JSON or Crossref name list (``author``, ``editor``), in order.

    A name is read from its parts: ``family`` (with CSL's ``dropping-particle`` and
    ``non-dropping-particle`` in front, as in :mod:`kg.read.names`), ``given`` and ``suffix``
    (after a comma when ``comma-suffix`` is true); a family name alone that reads like an
    organisation's (:func:`looks_like_organization`) is an organisation. Without a family name,
    the name is the one text under ``whole_name`` (CSL's ``literal``, Crossref's ``name``): an
    organisation when ``whole_name_is_organization`` (Crossref keeps ``name`` for them) or when
    it reads like one, else a person's name split with :func:`kg.read.names.parse_person_name`.
    ``ORCID`` (or ``orcid``) is kept as written. An entry with no name is reported and left
    out; a name listed twice keeps both places and is reported.
    """
    names = []
    for index, entry in enumerate(fields.children(key)):
        name = _name_parts(entry, whole_name, whole_name_is_organization)
        if name is None:
            entry.warn(
                None, f"{key}[{index}] has no name (no family, given or {whole_name}); left out"
            )
            continue
        orcid = entry.text("ORCID") or entry.text("orcid")
        names.append(dataclasses.replace(name, orcid=orcid) if orcid else name)
    return _first_places(fields, key, names)


def _name_parts(
    entry: JsonFields, whole_name: str, whole_name_is_organization: bool
) -> PersonName | None:
    whole = entry.text(whole_name)
    family_name = entry.text("family")
    if whole is not None and family_name is None:
        if whole_name_is_organization or looks_like_organization(whole):
            return PersonName(written=whole, organization=True)
        return parse_person_name(whole)
    given = entry.text("given")
    particles = [entry.text("dropping-particle"), entry.text("non-dropping-particle")]
    family_parts = [part for part in [*particles, family_name] if part]
    family = " ".join(family_parts) if family_parts else None
    suffix = entry.text("suffix")
    if family is None and given is None:
        return None
    written = " ".join(part for part in (given, family) if part)
    if suffix:
        comma = entry.obj.get("comma-suffix") is True
        written += f", {suffix}" if comma else f" {suffix}"
    if given is None and family is not None and looks_like_organization(family):
        return PersonName(written=written, organization=True)
    return PersonName(written=written, given=given, family=family)


def looks_like_organization(name: str) -> bool:
    """Whether a one-piece name names a group ("PREDICT Study Group of the EASL-CLIF
    Consortium", "World Health Organization") rather than a person ("Simon Y. Graeber").

    >>> looks_like_organization("PREDICT Study Group of the EASL-CLIF Consortium")
    True
    >>> looks_like_organization("Simon Y. Graeber")
    False
    """
    return bool(_ORGANIZATION_WORDS.search(name)) or len(name.split()) > 5 or has_digit(name)


def _first_places(fields: JsonFields, key: str, names: list[PersonName]) -> tuple[PersonName, ...]:
    """A name listed more than once in one list is one author at its first place, reported.

    One person cannot hold two places in one author list (Zotero exports repeat an author when
    an item was merged); keeping both would make ``bibo:authorList`` longer than the work's
    distinct authors. The mapping keeps the same rule by person IRI (kg.map.record), so
    reader, graph, shapes and ``kg convert`` agree on one count.
    """
    places: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        places.setdefault(name.written.casefold(), []).append(position)
    repeated = [(names[spots[0] - 1].written, spots) for spots in places.values() if len(spots) > 1]
    if repeated:
        shown = "; ".join(
            f"{written} ({', '.join(str(spot) for spot in spots)})" for written, spots in repeated
        )
        fields.warn(
            key,
            f"{key} list names the same person more than once (kept once, at the first "
            f"place): {shown}",
        )
    return tuple(names[spots[0] - 1] for spots in places.values())


# --- duplicates ---------------------------------------------------------------------------


def duplicate_warnings(
    duplicates: tuple[DuplicateKey, ...], label: str, owner: dict[str, int]
) -> dict[int | None, list[Problem]]:
    """Each duplicate key as a WARNING, grouped by the record whose path holds it (``owner``:
    item path to record number); None collects those in the envelope."""
    grouped: dict[int | None, list[Problem]] = {}
    for duplicate in duplicates:
        record = _owning_record(duplicate.path, owner)
        where = SourceLocation(label, duplicate.line, member_path(duplicate.path, duplicate.key))
        message = f"key {duplicate.key!r} appears twice in one object; the last value is used"
        grouped.setdefault(record, []).append(Problem(where, record, message, Severity.WARNING))
    return grouped


def _owning_record(path: str, owner: dict[str, int]) -> int | None:
    """The record whose item path is ``path`` or one of its prefixes."""
    prefixes = [path] + [path[:end] for end, char in enumerate(path) if char in ".[" and end]
    for prefix in prefixes:
        if prefix in owner:
            return owner[prefix]
    return owner.get("")  # the document itself is the one record, or None


# --- items ----------------------------------------------------------------------------------

Item = tuple[str, int, object]  # path, line, value


def read_items(
    items: list[Item],
    document: JsonDocument,
    label: str,
    build: Callable[[JsonFields], Record],
    not_an_object_message: str,
) -> Iterator[Record | Problem]:
    """Each item as a record (``build`` reads it) followed by its warnings and its duplicate
    keys, in file order; the envelope's duplicate keys come last.

    An item that is not an object is reported with ``not_an_object_message`` (``{value}``
    becomes what it is), and an item whose ``build`` raises RecordError with the error's text;
    either is skipped and the file goes on.
    """
    owner = {path: number for number, (path, _, _) in enumerate(items, start=1)}
    duplicates = duplicate_warnings(document.duplicates, label, owner)
    for number, (path, line, item) in enumerate(items, start=1):
        location = SourceLocation(label, line, path or None)
        if not isinstance(item, JsonObject):
            message = not_an_object_message.format(value=describe(item))
            yield Problem(location, number, message)
            continue
        fields = JsonFields(item, label, path, number)
        try:
            yield build(fields)
        except RecordError as error:
            yield Problem(location, number, str(error))
            continue
        yield from fields.problems
        yield from duplicates.get(number, [])
    yield from duplicates.get(None, [])
