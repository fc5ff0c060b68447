"""The BibTeX scanner: entries, fields and ``@string`` macros, with a line number for each.

Our own scanner, since bibtexparser 1 gives no line numbers and 2 is in beta. Syntax:
``@type{key, name = value, ...}`` and ``@type(key, ...)``; values in braces (nested), in double
quotes, bare numbers or ``@string`` macros, joined with ``#``; the month macros ``jan`` ...
``dec`` are built in; field names and macro names are case-insensitive. ``@comment`` and
``@preamble`` are skipped. Text outside entries is ignored, as BibTeX ignores it (Scopus's
"Scopus / EXPORT DATE" header), except lines that look like a broken entry: an ``@`` line that
does not start an entry, ``article{key,`` without its ``@``, or ``name = value`` outside any entry
(an entry closed too early); those are notices (warnings). A duplicate field keeps its first value
(warning). An entry that is not closed, or that cannot be read, is one broken entry naming its
line, and scanning goes on at the next ``@`` that starts a line.

A value is kept raw (LaTeX, inner braces kept): :mod:`kg.read.bibtex.fields` converts it. The
brace-aware splitting that names need (``and``, commas, words) is here too:
:func:`split_top_level`, :func:`is_one_group`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from kg.core.text import shorten

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


def _shown(text: str) -> str:
    return repr(shorten(" ".join(text.split())))


def scan(text: str) -> Iterator[Entry | BrokenEntry | Notice]:
    """The entries of a whole .bib text in order, with the broken ones and the notices (stray
    lines, bad ``@string``) where they occur."""
    return _Parser(text).items()


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


def split_top_level(raw: str, separator: re.Pattern[str]) -> list[str]:
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


def is_one_group(text: str) -> bool:
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
