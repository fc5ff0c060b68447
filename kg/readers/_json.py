"""What the JSON readers (CSL-JSON, Crossref) share: JSON with the line of every value, field
access that turns odd values into warnings, and the value shapes both formats use.

Python's :mod:`json` gives no positions, so :func:`parse_json` is a small recursive-descent
walker: strings go through the standard library's own string scanner (so a 10 MB abstract costs
no more than :func:`json.loads`), objects and arrays come back as :class:`JsonObject` and
:class:`JsonArray`, ordinary ``dict``/``list`` values that also know the line each member starts
on. Malformed JSON makes the whole file unreadable: one :class:`~kg.problems.InputError` naming
line and column. Duplicate keys keep the last value (as :mod:`json` does) and are reported.

Paths name values the JSONPath way, without the ``$``: ``message.items[3]``, ``[4].author[0]``;
indexes count from 0 while record numbers count from 1.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from kg.dates import DateError, checked_date, month_number
from kg.problems import InputError, Problem, Severity, SourceLocation
from kg.records import AbstractSection, Issn, IssnKind, PartialDate

MAX_DEPTH = 100  # bibliographic JSON is about 8 levels deep; deeper input is not an export
SNIFF_LINES = 300
SNIFF_CHARS = 200_000  # a compact one-line export is one very long line

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w-]*")
# The standard library's own string scanner (C when available): escapes, \uXXXX pairs, errors.
_scan_string: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonObject(dict[str, Any]):
    """A JSON object that knows the line it starts on and the line of each member's value."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class JsonArray(list[Any]):
    """A JSON array that knows the line it starts on and the line of each element."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    path: str  # the object holding the key
    key: str
    line: int  # where the second value starts


@dataclass(frozen=True, slots=True)
class JsonDocument:
    root: Any
    duplicates: tuple[DuplicateKey, ...]


class _TooDeepError(Exception):
    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def member_path(path: str, key: str) -> str:
    """The path of member ``key`` of the object at ``path`` ("" is the document itself)."""
    if not _PLAIN_KEY.fullmatch(key):
        return f"{path}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{path}.{key}" if path else key


def index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


def parse_json(lines: list[str], label: str) -> JsonDocument:
    """The JSON value in ``lines``, every object and array with its lines.

    Raises InputError ("file:line:col: not valid JSON: ...") when the text is not JSON.
    """
    text = "\n".join(lines)
    if not text.strip():
        raise InputError(f"{label}: the file is empty; a JSON export holds an array or an object")
    walker = _Walker(text, lines)
    try:
        return walker.document()
    except json.JSONDecodeError as error:
        raise InputError(
            f"{label}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None
    except (_TooDeepError, RecursionError) as error:
        position = error.position if isinstance(error, _TooDeepError) else 0
        line = walker.line_at(position)
        raise InputError(
            f"{label}:{line}: JSON nested deeper than {MAX_DEPTH} levels; "
            "not a bibliographic export"
        ) from None


class _Walker:
    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.duplicates: list[DuplicateKey] = []
        self.line_starts: list[int] = []
        offset = 0
        for line in lines:
            self.line_starts.append(offset)
            offset += len(line) + 1

    def line_at(self, position: int) -> int:
        return max(1, bisect.bisect_right(self.line_starts, position))

    def document(self) -> JsonDocument:
        position = self._skip(0)
        root, position = self._value(position, "", 0)
        position = self._skip(position)
        if position != len(self.text):
            raise json.JSONDecodeError("Extra data", self.text, position)
        return JsonDocument(root, tuple(self.duplicates))

    def _skip(self, position: int) -> int:
        match = _WHITESPACE.match(self.text, position)
        return match.end() if match else position

    def _char(self, position: int) -> str:
        return self.text[position : position + 1]

    def _value(self, position: int, path: str, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise _TooDeepError(position)
        char = self._char(position)
        if char == "{":
            return self._object(position, path, depth)
        if char == "[":
            return self._array(position, path, depth)
        if char == '"':
            return _scan_string(self.text, position + 1, False)
        for word, value in _LITERALS.items():
            if self.text.startswith(word, position):
                return value, position + len(word)
        number = _NUMBER.match(self.text, position)
        if number:
            return self._number(number), number.end()
        raise json.JSONDecodeError("Expecting value", self.text, position)

    def _number(self, match: re.Match[str]) -> int | float:
        written = match.group()
        if match.group(1) or match.group(2):
            return float(written)
        try:
            return int(written)
        except ValueError:  # more digits than Python converts (4300)
            raise json.JSONDecodeError("number too long", self.text, match.start()) from None

    def _object(self, start: int, path: str, depth: int) -> tuple[JsonObject, int]:
        found = JsonObject(self.line_at(start))
        position = self._skip(start + 1)
        if self._char(position) == "}":
            return found, position + 1
        while True:
            if self._char(position) != '"':
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", self.text, position
                )
            key, position = _scan_string(self.text, position + 1, False)
            position = self._skip(position)
            if self._char(position) != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", self.text, position)
            position = self._skip(position + 1)
            line = self.line_at(position)
            value, position = self._value(position, member_path(path, key), depth + 1)
            if key in found:
                self.duplicates.append(DuplicateKey(path, key, line))
            found[key] = value
            found.key_lines[key] = line
            position = self._skip(position)
            char = self._char(position)
            if char == "}":
                return found, position + 1
            if char != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", self.text, position)
            position = self._skip(position + 1)

    def _array(self, start: int, path: str, depth: int) -> tuple[JsonArray, int]:
        found = JsonArray(self.line_at(start))
        position = self._skip(start + 1)
        if self._char(position) == "]":
            return found, position + 1
        while True:
            found.item_lines.append(self.line_at(position))
            value, position = self._value(position, index_path(path, len(found)), depth + 1)
            found.append(value)
            position = self._skip(position)
            char = self._char(position)
            if char == "]":
                return found, position + 1
            if char != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", self.text, position)
            position = self._skip(position + 1)


# --- sniffing -------------------------------------------------------------------------------


def json_head(lines: list[str]) -> str | None:
    """The start of the text when it starts like JSON (``[`` or ``{``), else None."""
    for line in lines[:SNIFF_LINES]:
        stripped = line.lstrip()
        if stripped:
            if stripped[0] not in "[{":
                return None
            return "\n".join(lines[:SNIFF_LINES])[:SNIFF_CHARS]
    return None


_CROSSREF_ENVELOPE = re.compile(r'"message-type"\s*:\s*"work(?:-list)?"')
_LIST_TITLES = re.compile(r'"(?:title|container-title)"\s*:\s*\[')
_CROSSREF_COUNTS = re.compile(r'"(?:is-referenced-by-count|reference-count)"\s*:')
_TEXT_TITLE = re.compile(r'"title"\s*:\s*"')


def looks_like_crossref(head: str) -> bool:
    """Crossref's envelope (``"message-type": "work-list"``), or works with list-valued titles,
    or Crossref's counts without a text title (an untitled work). Crossref's own CSL-JSON
    output has the counts too, but text titles: that is CSL-JSON."""
    if _CROSSREF_ENVELOPE.search(head) or _LIST_TITLES.search(head):
        return True
    return bool(_CROSSREF_COUNTS.search(head)) and not _TEXT_TITLE.search(head)


# --- values ---------------------------------------------------------------------------------


def describe(value: object) -> str:
    """What kind of JSON value this is, for messages: "a list", "an object", "true" ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "a text"


_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
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
        bad = sorted(set(_BAD_CHARACTER.findall(text)))
        if not bad:
            return text
        shown = ", ".join(f"U+{ord(char):04X}" for char in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        self.warn(key, f"{key!r} holds control or invalid characters ({shown}{more}); removed")
        return _BAD_CHARACTER.sub("", text)

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


# --- abstracts and markup -------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_BLOCK_ELEMENTS = frozenset({"p", "title", "sec", "list-item", "li", "div", "abstract"})
_SKIPPED_ELEMENTS = frozenset({"script", "style"})
_LEADING_HEADINGS = frozenset({"abstract", "summary"})


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text) or _ENTITY.search(text))


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "title" or "p"
    text: str


def abstract_from(text: str) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """An abstract as plain text (paragraphs split by a blank line), or as titled sections when
    every paragraph sits under a title (JATS ``<sec><title>``); a leading "Abstract" title is
    dropped."""
    if has_markup(text):
        blocks = markup_blocks(text)
    else:
        blocks = [Block("p", line) for line in text.split("\n")]
    blocks = [Block(b.kind, _SPACES.sub(" ", b.text).strip()) for b in blocks]
    blocks = [b for b in blocks if b.text]
    if blocks and blocks[0].kind == "title" and blocks[0].text.lower() in _LEADING_HEADINGS:
        blocks = blocks[1:]
    if not blocks:
        return None, ()
    sections = _sections(blocks)
    if sections:
        return None, sections
    return "\n\n".join(b.text for b in blocks), ()


def _sections(blocks: list[Block]) -> tuple[AbstractSection, ...]:
    if blocks[0].kind != "title" or len(blocks) < 2:
        return ()
    grouped: list[tuple[str, list[str]]] = []
    for block in blocks:
        if block.kind == "title":
            grouped.append((block.text, []))
        else:
            grouped[-1][1].append(block.text)
    if any(not texts for _, texts in grouped):
        return ()
    return tuple(AbstractSection(heading, "\n\n".join(texts)) for heading, texts in grouped)


def markup_blocks(text: str) -> list[Block]:
    """The paragraphs and titles of JATS or HTML text, with inline markup removed.

    ``<jats:tex-math>`` keeps its TeX; of the forms in ``<alternatives>`` only the TeX is kept
    (not the MathML or the image), or the first form with text when there is no TeX.
    html.parser never fetches or expands anything beyond the standard character references and
    copes with text that is not well-formed, so no XML parser (with its entity expansion) is
    involved.
    """
    parser = _MarkupParser()
    parser.feed(text)
    parser.close()
    return parser.blocks


@dataclass
class _Alternatives:
    """An open ``<alternatives>``: the text of each form, kept until it closes."""

    depth: int  # the element stack depth inside <alternatives>
    forms: list[tuple[str, list[str]]] = field(default_factory=list)

    def choice(self) -> str:
        """The TeX form when there is one, else the first form with text."""
        texts = [(name, "".join(pieces)) for name, pieces in self.forms]
        texts = [(name, text) for name, text in texts if text.strip()]
        tex = [text for name, text in texts if name == "tex-math"]
        return tex[0] if tex else (texts[0][1] if texts else "")


class _MarkupParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.kind: str | None = None  # the open block, None outside any block element
        self.pieces: list[str] = []
        self.stack: list[str] = []
        self.alternatives: list[_Alternatives] = []
        self.skipping = 0

    @staticmethod
    def _local(tag: str) -> str:
        return tag.rsplit(":", 1)[-1].lower()

    def flush(self) -> None:
        text = "".join(self.pieces)
        if text.strip():
            self.blocks.append(Block(self.kind or "p", text))
        self.pieces = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self._local(tag)
        if name == "br":
            self._emit(" ")
            return
        if self.alternatives and len(self.stack) == self.alternatives[-1].depth:
            self.alternatives[-1].forms.append((name, []))
        self.stack.append(name)
        if name in _SKIPPED_ELEMENTS:
            self.skipping += 1
        if name == "alternatives":
            self.alternatives.append(_Alternatives(len(self.stack)))
        elif name in _BLOCK_ELEMENTS and not self.alternatives:
            self.flush()
            self.kind = "title" if name == "title" else "p"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._local(tag) == "br":
            self._emit(" ")
        elif self.alternatives and len(self.stack) == self.alternatives[-1].depth:
            self.alternatives[-1].forms.append((self._local(tag), []))  # an image: no text

    def handle_endtag(self, tag: str) -> None:
        name = self._local(tag)
        if name not in self.stack:
            return  # an end tag without its start: ignored
        while self.stack:
            closed = self.stack.pop()
            if closed in _SKIPPED_ELEMENTS:
                self.skipping -= 1
            if closed == "alternatives" and self.alternatives:
                self._emit(self.alternatives.pop().choice())
            elif closed in _BLOCK_ELEMENTS and not self.alternatives:
                self.flush()
                self.kind = None
            if closed == name:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._emit(data)

    def _emit(self, data: str) -> None:
        if self.alternatives:
            current = self.alternatives[-1]
            if len(self.stack) > current.depth and current.forms:  # not between the forms
                current.forms[-1][1].append(data)
            return
        if self.kind is None and "\n" in data:  # text outside blocks: lines are paragraphs
            *complete, rest = data.split("\n")
            for piece in complete:
                self.pieces.append(piece)
                self.flush()
            self.pieces.append(rest)
            return
        self.pieces.append(data)

    def close(self) -> None:
        super().close()
        while self.alternatives:  # never closed: its text still counts
            self._emit(self.alternatives.pop().choice())
        self.flush()


# --- dates ----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ].*)?$")
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
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _date_from_parts(fields: JsonFields, key: str, parts: list[Any]) -> PartialDate | None:
    if not parts or parts[0] in (None, ""):
        return None
    written = _written_date(parts)
    numbers: list[int | None] = []
    for index, part in enumerate(parts[:3]):
        number = _date_number(part, index)
        if number is None and part not in (None, ""):
            fields.warn(key, f"date {written!r} is not a date ({_shown(part)} is not a number)")
            return None
        numbers.append(number)
    while len(numbers) < 3:
        numbers.append(None)
    year, month, day = numbers
    assert year is not None  # parts[0] is neither None nor ""
    if month is None:
        day = None
    if day is not None and not 1 <= day <= 31:  # checked here: a huge day overflows datetime
        fields.warn(
            key, f"date {written!r} is not a date (day {day} is not a day (1-31)); left out"
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


def _date_number(part: object, index: int) -> int | None:
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part
    if isinstance(part, float) and part.is_integer():
        return int(part)
    if isinstance(part, str):
        text = part.strip()
        if text.lstrip("-").isdigit() and len(text) <= 6:
            return int(text)
        if index == 1:
            try:
                return month_number(text)
            except DateError:
                return None
    return None


def _written_date(parts: list[Any]) -> str:
    shown = []
    for index, part in enumerate(parts[:3]):
        if isinstance(part, int) and not isinstance(part, bool) and index > 0:
            shown.append(f"{part:02d}")
        else:
            shown.append(str(part))
    return "-".join(shown)


def _iso_date(fields: JsonFields, key: str, written: str) -> PartialDate | None:
    text = written.strip()
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if not match:
        fields.warn(
            key,
            f"date {text!r} is not a date this reader can read (YYYY, YYYY-MM or YYYY-MM-DD); "
            "left out",
        )
        return None
    year, month, day = (int(group) if group else None for group in match.groups())
    assert year is not None
    try:
        return checked_date(year, month, day)
    except DateError as error:
        fields.warn(key, f"date {text!r} is not a date ({error}); left out")
        return None


# --- pages and serial numbers ---------------------------------------------------------------

_PAGE_RANGE = re.compile(r"^(?P<start>[^\s\-–—‐‑]+)\s*[-–—‐‑]+\s*(?P<end>[^\s\-–—‐‑]+)$")


def split_pages(fields: JsonFields, key: str) -> tuple[str | None, str | None]:
    """``"29-40"`` / ``"29 – 40"`` as start and end, ``"1234"`` as a start, all as written."""
    text = fields.text(key)
    if text is None:
        return None, None
    match = _PAGE_RANGE.match(text)
    if match:
        return match["start"], match["end"]
    if " " not in text and "," not in text:
        return text, None
    pieces = [piece for piece in re.split(r"[\s,;\-–—‐‑]+", text) if piece]
    fields.warn(key, f"pages {text!r} are not one range; kept from {pieces[0]!r} to {pieces[-1]!r}")
    return pieces[0], pieces[-1] if len(pieces) > 1 else None


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
