"""Text as kg shows it in messages, and the characters no bibliographic text means.

One place for three small rules every stage shares: an error on one line (:func:`one_line`), a
value cut short for a message (:func:`shorten`), and which characters are removed from input
text (:data:`CONTROL_CHARACTERS`, :data:`UNREADABLE_CHARACTERS`).
"""

from __future__ import annotations

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
