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

**Macro expansion is capped**, as XML parsers cap entity expansion: ``@string`` macros defined
through one another double at each step, and 30 of them in a 723-byte file would expand to 64
million characters. Three limits, each found before the larger text is built:

- a value (a field's or a macro's) that macros expand beyond :data:`MAX_EXPANDED_VALUE`
  characters, the most kg writes for any value (:data:`kg.read._limits.MAX_LONG_TEXT`);
- a macro defined through more than :data:`MAX_MACRO_DEPTH` levels of other macros (real files
  nest them two or three deep: a journal's name built from a publisher's);
- more characters from macros in the whole file than :data:`MACRO_EXPANSION_FLOOR` plus
  :data:`MACRO_AMPLIFICATION` times the file's own size (real files expand macros to a small
  fraction of their size), which keeps time and memory linear in the input.

An ``@string`` that passes a limit is refused (a warning naming its line); an entry whose
field passes one, or uses a refused macro, is rejected (an error naming the entry and the macro),
so that no field is read as less than it says.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Final, NoReturn

from kg.core.text import is_digits, shorten
from kg.read._limits import MAX_LONG_TEXT

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

MAX_EXPANDED_VALUE: Final = MAX_LONG_TEXT  # characters (each at least one byte as written)
MAX_MACRO_DEPTH: Final = 20  # libxml2 allows 40 levels of entities; BibTeX files need 2 or 3
MACRO_EXPANSION_FLOOR: Final = MAX_LONG_TEXT  # even a small file may use one long macro once
MACRO_AMPLIFICATION: Final = 10  # characters from macros for each character of the file

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
_LOOSE_FIELD = re.compile(r"^\s*[A-Za-z][\w-]*\s*=\s*[{\"0-9]")


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


class _ExpansionError(_SyntaxError):
    """Macro expansion passed one of the limits: the entry is rejected, the @string refused.
    ``refused`` is the refused macro that was used, when that is the reason."""

    def __init__(self, position: int, message: str, refused: _RefusedMacro | None = None) -> None:
        super().__init__(position, message)
        self.refused = refused


@dataclass(frozen=True, slots=True)
class _Macro:
    value: str
    depth: int  # 1 for a macro of plain text, 1 + the deepest macro its value uses otherwise


@dataclass(frozen=True, slots=True)
class _RefusedMacro:
    """A macro whose expansion passed a limit, and why: the first refusal of a chain, so that
    messages about macros built on refused ones stay short however long the chain."""

    line: int  # of its @string
    cause_line: int  # of the @string that passed the limit (this one or one it is built on)
    reason: str


def _shown(text: str) -> str:
    return repr(shorten(" ".join(text.split())))


def _named(name: str) -> str:
    """A field or macro name for a message (a name can be as long as the file)."""
    return repr(shorten(name))


def scan(text: str) -> Iterator[Entry | BrokenEntry | Notice]:
    """The entries of a whole .bib text in order, with the broken ones and the notices (stray
    lines, bad ``@string``) where they occur."""
    return _Parser(text).items()


class _Parser:
    """A BibTeX scanner over the whole text; positions become 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.macros: dict[str, _Macro | _RefusedMacro] = {
            name: _Macro(value, 1) for name, value in MONTH_MACROS.items()
        }
        self.expanded = 0  # characters put in values by macros, in the whole file
        self.expansion_budget = MACRO_EXPANSION_FLOOR + MACRO_AMPLIFICATION * len(text)
        self.warnings: list[tuple[int, str]] = []  # of the entry or @string being read
        self._entry_label = "entry"  # names the entry being read in messages
        self._defining: str | None = None  # the macro whose @string is being read

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
        self._entry_label = f"@{shorten(lowered)}"
        try:
            if lowered == "comment":
                return self._skip_group(start.end() - 1)
            if lowered == "preamble":
                _, end, _ = self._read_value(self._skip_space(start.end()), "@preamble", close)
                return self._expect_close(end, close, "@preamble")
            if lowered == "string":
                end = self._read_string(start.end(), close, line)
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
        if lowered == "string" and isinstance(error, _ExpansionError):
            yield Notice(
                line, f"@string refused: {error.message}; an entry that uses it is rejected"
            )
        elif lowered in ("string", "preamble", "comment"):
            yield Notice(
                line, f"@{shorten(lowered)} cannot be read and is skipped: {error.message}"
            )
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
        self._entry_label = f"entry {_named(key)}" if key else f"@{shorten(entry_type)} entry"
        character = self._at(position)
        if character == "=":
            raise _SyntaxError(
                position, f"@{shorten(entry_type)} entry has no citation key before '='"
            )
        if character not in (",", close):
            self._unclosed_or(position, f"expected ',' after the citation key {_named(key)}")
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
                    position, f"expected ',' or '{close}' after the value of field {_named(name)}"
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
            self._unclosed_or(position, f"expected '=' after field name {_named(name)}")
        raw, position, _ = self._read_value(self._skip_space(position + 1), name, close)
        if raw is None:
            self.warnings.append((line, f"field {_named(name)} has no value"))
        elif name in entry.fields:
            first = entry.fields[name].line
            self.warnings.append(
                (
                    line,
                    f"field {_named(name)} is given twice (first at line {first}); kept the first",
                )
            )
        else:
            entry.fields[name] = Field(name, raw, line)
        return self._skip_space(position)

    def _read_value(self, position: int, name: str, close: str) -> tuple[str | None, int, int]:
        """A value: parts joined by ``#``; None when there is none (``title = ,``). Also the
        depth of the deepest macro it uses (0 for none)."""
        parts: list[str] = []
        size = depth = 0
        while True:
            character = self._at(position)
            if character == "{":
                part, position = self._braced(position, name)
            elif character == '"':
                part, position = self._quoted(position, name)
            elif token := _NAME.match(self.text, position):
                macro = self._macro(token.group(), position, name)
                if macro is not None:
                    depth = max(depth, macro.depth)
                    if size + len(macro.value) > MAX_EXPANDED_VALUE:
                        raise _ExpansionError(
                            position,
                            f"{self._owner(name)} would be more than {MAX_EXPANDED_VALUE:,} "
                            f"characters once macro {_named(token.group())} is expanded at line "
                            f"{self.line_of(position)}",
                        )
                part, position = (macro.value if macro else ""), token.end()
            elif not parts and character in (",", close):
                return None, position, 0
            elif not character:
                raise _SyntaxError(
                    position, f"the file ends before field {_named(name)} has a value"
                )
            else:
                raise _SyntaxError(
                    position,
                    f"cannot read the value of field {_named(name)} at line "
                    f"{self.line_of(position)}: "
                    f"found {_shown(self.text[position : position + 30])}",
                )
            parts.append(part)
            size += len(part)
            position = self._skip_space(position)
            if self._at(position) != "#":
                return "".join(parts), position, depth
            position = self._skip_space(position + 1)

    def _macro(self, token: str, position: int, name: str) -> _Macro | None:
        """The macro ``token`` names (a bare number stands for itself), charged to the file's
        expansion budget; None (with a warning) when it is not defined."""
        if is_digits(token):  # BibTeX's bare numbers are ASCII digits; "²" is a macro name
            return _Macro(token, 0)
        macro = self.macros.get(token.lower())
        line = self.line_of(position)
        if macro is None:
            self.warnings.append(
                (
                    line,
                    f"field {_named(name)} uses the undefined macro {_named(token)} (read as "
                    f"empty; define it with @string or put the text in braces)",
                )
            )
            return None
        if isinstance(macro, _RefusedMacro):
            why = (
                f"built on the one refused at line {macro.cause_line}"
                if macro.cause_line != macro.line
                else macro.reason
            )
            raise _ExpansionError(
                position,
                f"{self._owner(name)} uses macro {_named(token)} at line {line}, refused at "
                f"line {macro.line} ({why})",
                macro,
            )
        self.expanded += len(macro.value)
        if self.expanded > self.expansion_budget:
            raise _ExpansionError(
                position,
                f"expanding macro {_named(token)} in {self._owner(name)} at line {line} takes "
                f"the text expanded from macros in this file past {self.expansion_budget:,} "
                f"characters ({MACRO_EXPANSION_FLOOR:,}, and {MACRO_AMPLIFICATION} for each "
                "character of the file; a chain of @string macros doubling at each step?)",
            )
        return macro

    def _owner(self, name: str) -> str:
        """What a value belongs to, for a message: a field, or the macro being defined."""
        return f"macro {_named(name)}" if self._defining is not None else f"field {_named(name)}"

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
                        f"field {_named(name)} has a '}}' with no '{{' inside its quotes "
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
                f"{self._entry_label} is not closed: the file ends inside field {_named(name)} "
                f"(opened at {where})",
            )
        raise _SyntaxError(
            stopped,
            f"field {_named(name)} (opened at {where}) is not closed before the entry at line "
            f"{self.line_of(stopped)}: a '}}' or '\"' is missing",
        )

    def _read_string(self, position: int, close: str, line: int) -> int:
        """``@string{name = value}``: the macro is defined for the entries after it; one whose
        expansion passes a limit is refused, and so is every entry that uses it."""
        position = self._skip_space(position)
        name_match = _NAME.match(self.text, position)
        if not name_match:
            raise _SyntaxError(position, "expected a macro name")
        position = self._skip_space(name_match.end())
        if self._at(position) != "=":
            raise _SyntaxError(
                position, f"expected '=' after macro name {_named(name_match.group())}"
            )
        name = name_match.group()
        self._defining = name
        try:
            raw, position, depth = self._read_value(self._skip_space(position + 1), name, close)
            if depth + 1 > MAX_MACRO_DEPTH:
                raise _ExpansionError(
                    position,
                    f"macro {_named(name)} is defined through {depth} levels of other macros "
                    f"(at most {MAX_MACRO_DEPTH - 1})",
                )
        except _ExpansionError as error:
            refused = error.refused
            self.macros[name.lower()] = (
                _RefusedMacro(line, line, error.message)
                if refused is None
                else _RefusedMacro(line, refused.cause_line, refused.reason)
            )
            raise
        finally:
            self._defining = None
        self.macros[name.lower()] = _Macro(raw or "", depth + 1)
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
