"""JSON text read with the line of every value, for the JSON readers (CSL-JSON, Crossref): the
parser, the paths that name values, and sniffing.

Python's :mod:`json` gives no positions, so :func:`parse_json` is a small recursive-descent
walker: strings go through the standard library's own string scanner (so a 10 MB abstract costs
no more than :func:`json.loads`), objects and arrays come back as :class:`JsonObject` and
:class:`JsonArray`, ordinary ``dict``/``list`` values that also know the line each member starts
on. Malformed JSON makes the whole file unreadable: one :class:`~kg.core.problems.InputError` naming
line and column. Duplicate keys keep the last value (as :mod:`json` does) and are reported.

Paths name values the JSONPath way, without the ``$``: ``message.items[3]``, ``[4].author[0]``;
indexes count from 0 while record numbers count from 1.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.core.text import MAX_CONVERTIBLE, NumberTooLargeError, read_integer
from kg.errors import InputError

MAX_DEPTH = 100  # bibliographic JSON is about 8 levels deep; deeper input is not an export
SNIFF_CHARS = 200_000  # of the tokens at the start, each cut short (see json_head)
SNIFF_TOKEN = 200  # characters of one token the sniffers look at

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w-]*")
# The standard library's own string scanner (C when available): escapes, \uXXXX pairs, errors.
_scan_string: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class LongNumber(str):
    """A JSON number too large for Python to hold, kept as written: an integer of more digits
    than Python converts in every setting (640), or an exponent beyond a float's (``1e400``).
    Valid JSON, so no reason to refuse the file, but no value a record holds: readers take it
    as the text it is ("numbers are written as text"), or as too large a number where they want
    one."""

    __slots__ = ()


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

    def _number(self, match: re.Match[str]) -> int | float | LongNumber:
        written = match.group()
        if match.group(1) or match.group(2):
            number = float(written)
            return number if math.isfinite(number) else LongNumber(written)
        try:
            return read_integer(written, signed=True, largest=MAX_CONVERTIBLE)
        except NumberTooLargeError:
            return LongNumber(written)

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
    """The start of the text when it starts like JSON (``[`` or ``{``), for the sniffers, else
    None.

    The head is the first :data:`SNIFF_CHARS` characters of the text's tokens, each cut to
    :data:`SNIFF_TOKEN` characters (a string keeps its quotes, a run of white space is one
    space), so how far in the telling keys are does not depend on how long the values before
    them are: a 1 MB abstract ahead of ``"type"`` costs one scan of it, and no more room than a
    short one. JSON strings hold no line breaks, so the text is cut line by line.
    """
    lines_iter = iter(lines)
    for line in lines_iter:
        stripped = line.lstrip()
        if stripped:
            if stripped[0] not in "[{":
                return None
            break
    else:
        return None
    pieces = [_cut_tokens(line, SNIFF_CHARS)]
    room = SNIFF_CHARS - len(pieces[0])
    for line in lines_iter:
        if room <= 0:
            break
        if line.strip():  # blank lines are white space, which the head keeps one of
            pieces.append(_cut_tokens(line, room))
            room -= len(pieces[-1]) + 1
    return "\n".join(pieces)[:SNIFF_CHARS]


_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|\s+|[^"\s]+')


def _cut_tokens(line: str, room: int) -> str:
    """``line`` with every token cut to :data:`SNIFF_TOKEN` characters, up to ``room``."""
    pieces: list[str] = []
    for token in _TOKEN.finditer(line):
        if room <= 0:
            break
        start, end = token.span()
        first = line[start]
        if first.isspace():
            piece = " "
        elif end - start <= SNIFF_TOKEN:
            piece = line[start:end]
        elif first == '"':  # a long string: its start, closed again (not inside an escape)
            piece = line[start : start + SNIFF_TOKEN].rstrip("\\") + '"'
        else:
            piece = line[start : start + SNIFF_TOKEN]
        pieces.append(piece)
        room -= len(piece)
    return "".join(pieces)


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
    if isinstance(value, int | float | LongNumber):
        return "a number"
    return "a text"
