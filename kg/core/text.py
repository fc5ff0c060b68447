"""Text as kg shows it in messages, and the characters no bibliographic text means.

One place for three small rules every stage shares: an error on one line (:func:`one_line`), a
value cut short for a message (:func:`shorten`), and which characters are removed from input
text (:data:`CONTROL_CHARACTERS`, :data:`UNREADABLE_CHARACTERS`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

# C0 controls and DEL, but not tab, line feed or carriage return: no bibliographic text means
# them, and RDF writers would have to escape them (a NUL in a name is an export glitch, not a
# name). Readers of text files remove these, with a warning; so do the citation writers.
CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# The control characters, and what only an escape can write: C1 controls (U+0080-U+009F), lone
# surrogates (no UTF-8 output can encode them) and the non-characters U+FFFE and U+FFFF. JSON's
# "\u" escapes reach every code point, so the JSON readers remove all of these. A text file
# cannot hold a lone surrogate (it would not decode as UTF-8), and in a text file C1 controls
# are what UTF-8 read as Latin-1 leaves behind: those readers keep them, and the BibTeX reader
# names the mojibake they are part of.
UNREADABLE_CHARACTERS: Final = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def one_line(error: Exception) -> str:
    """The error's text on one line (whitespace collapsed), or its type's name if it has none."""
    return " ".join(str(error).split()) or type(error).__name__


def shorten(text: str, width: int = 60) -> str:
    """``text`` as written if it has at most ``width`` characters, else cut to ``width`` with
    ``...`` at the end: how kg quotes a long value in a message.

    >>> shorten("Peer support in mental health")
    'Peer support in mental health'
    >>> shorten("Peer support in mental health", 20)
    'Peer support in m...'
    >>> len(shorten("x" * 100))
    60
    """
    return text if len(text) <= width else text[: width - 3] + "..."


def control_characters(text: str, rule: re.Pattern[str] = CONTROL_CHARACTERS) -> list[str]:
    """The distinct characters of ``text`` that ``rule`` removes, in code point order.

    >>> control_characters("a\\x00b\\x1bc\\x00\\td")
    ['\\x00', '\\x1b']
    >>> control_characters("caf\\u00e9 \\x85", UNREADABLE_CHARACTERS)
    ['\\x85']
    """
    return sorted(set(rule.findall(text)))


def remove_control_characters(text: str, rule: re.Pattern[str] = CONTROL_CHARACTERS) -> str:
    """``text`` without the characters ``rule`` removes (tabs and line ends stay).

    >>> remove_control_characters("Zo\\x00ë\\tEllery\\x7f")
    'Zoë\\tEllery'
    """
    return rule.sub("", text)


def code_points(characters: Iterable[str]) -> str:
    """Characters named by their code points, for a message.

    >>> code_points(["\\x00", "\\x1b"])
    'U+0000, U+001B'
    """
    return ", ".join(f"U+{ord(character):04X}" for character in characters)


# --- numbers ------------------------------------------------------------------------------------

# The largest number kg reads from input unless a reader says otherwise. xsd:integer itself has
# no bound, but stores do: Oxigraph holds an xsd:integer as a signed 64-bit integer (a larger one
# is kept as a string it can neither compare nor add, so `ORDER BY ?downloads` would not sort
# it), and Virtuoso's BIGINT is 64 bits too. No count, year or day in a record comes near it.
MAX_INTEGER: Final = 2**63 - 1

# Python refuses to convert more digits than sys.get_int_max_str_digits() (4,300 by default,
# as few as 640 when configured so): no number kg reads may have more than the fewest.
MAX_CONVERTIBLE: Final = 10**640 - 1
_SAFE_DIGITS: Final = len(str(MAX_INTEGER)) - 1  # fewer digits are always below MAX_INTEGER


class NumberError(ValueError):
    """Text that is not a number kg reads (ASCII digits only); the message says why."""


class NumberTooLargeError(NumberError):
    """Digits that write a number larger than kg reads there."""


def is_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the ASCII digits 0-9, and nothing else.

    ``str.isdigit`` is true for "²" and "٣" too, which ``int`` then refuses or reads: kg reads
    numbers from ASCII digits only.

    >>> is_digits("2024"), is_digits("²"), is_digits("٣"), is_digits(""), is_digits("1_000")
    (True, False, False, False, False)
    """
    return text.isascii() and text.isdigit()


def is_foreign_digits(text: str) -> bool:
    """Whether ``text`` is decimal digits of some script, not all ASCII ("٦١٢", "６１２"): the
    shape of a number that kg does not read as one, so that a reader can say so.

    >>> is_foreign_digits("٦١٢"), is_foreign_digits("612"), is_foreign_digits("²")
    (True, False, False)
    """
    return text.isdecimal() and not text.isascii()


def has_digit(text: str) -> bool:
    """Whether ``text`` holds an ASCII digit anywhere.

    >>> has_digit("Team 2"), has_digit("Julie Repper²")
    (True, False)
    """
    return any("0" <= character <= "9" for character in text)


def read_integer(text: str, *, signed: bool = False, largest: int = MAX_INTEGER) -> int:
    """The integer ``text`` writes in ASCII digits (after one "-" when ``signed``): the one way
    kg turns input text into a number. Raises :class:`NumberError` for anything else ("²",
    "٣", " 7", "1_000", "+7") and :class:`NumberTooLargeError` when the number is larger than
    ``largest`` (at most :data:`MAX_CONVERTIBLE`), found without converting the digits.

    >>> read_integer("0042"), read_integer("-44", signed=True)
    (42, -44)
    >>> read_integer("²")
    Traceback (most recent call last):
    ...
    kg.core.text.NumberError: '²' is not a number (digits 0-9)
    >>> try:
    ...     read_integer("9" * 5000)
    ... except NumberTooLargeError as error:
    ...     print(error)
    '9999999999...' has 5000 digits: more than kg reads (at most 9223372036854775807)
    """
    negative = signed and text.startswith("-")
    digits = text[1:] if negative else text
    if not is_digits(digits):
        raise NumberError(f"{shorten(text)!r} is not a number (digits 0-9)")
    significant = digits.lstrip("0")
    if len(significant) >= _SAFE_DIGITS or largest < MAX_INTEGER:  # else: no need to look
        bound = _spelled(min(largest, MAX_CONVERTIBLE))
        if len(significant) > len(bound) or (
            len(significant) == len(bound) and significant > bound
        ):
            shown = bound if len(bound) <= 20 else f"{len(bound)} digits"
            raise NumberTooLargeError(
                f"{shorten(text, 13)!r} has {len(digits)} digits: more than kg reads "
                f"(at most {shown})"
            )
    number = int(significant or "0")
    return -number if negative else number


@functools.cache
def _spelled(number: int) -> str:
    return str(number)


def integer_or_none(text: str, *, signed: bool = False, largest: int = MAX_INTEGER) -> int | None:
    """:func:`read_integer`, or None where it raises.

    >>> integer_or_none("12"), integer_or_none("١٢"), integer_or_none("1" * 30)
    (12, None, None)
    """
    try:
        return read_integer(text, signed=signed, largest=largest)
    except NumberError:
        return None


def whole_number(value: float, *, largest: int = MAX_INTEGER) -> int | None:
    """A JSON number such as ``2016.0`` as the integer it is; None for a fraction, an infinity,
    or a number larger than ``largest``.

    >>> whole_number(2016.0), whole_number(2016.5), whole_number(1e300), whole_number(-1e400)
    (2016, None, None, None)
    """
    if not value.is_integer() or abs(value) > min(largest, MAX_CONVERTIBLE):
        return None
    return int(value)
