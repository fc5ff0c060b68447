"""Small helpers shared by the identifier modules (private; pure stdlib)."""

import unicodedata

from ._errors import InvalidFormat, InvalidLength

ASCII_DIGITS = frozenset("0123456789")

# Characters treated as visual separators inside ISSN/ISBN/ORCID: the ASCII hyphen-minus,
# the soft hyphen, the Unicode dashes U+2010..U+2015, the minus sign U+2212 and the small
# and full-width hyphen-minus forms.
DASHES = frozenset("-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")

_ASCII_SPACE = frozenset(" \t\n\r\v\f")
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})  # incl. U+00A0, U+2009, U+3000, U+2028


def is_space(char: str) -> bool:
    """Return whether *char* is whitespace.

    ASCII whitespace plus the Unicode space/line/paragraph separators.  Unlike
    :meth:`str.isspace` this does not count the control characters U+001C..U+001F and U+0085
    as whitespace, so they are not silently dropped but make validation fail.
    """
    return char in _ASCII_SPACE or unicodedata.category(char) in _SPACE_CATEGORIES


def strip_space(value: str) -> str:
    """Remove leading and trailing whitespace (as defined by :func:`is_space`)."""
    start, end = 0, len(value)
    while start < end and is_space(value[start]):
        start += 1
    while end > start and is_space(value[end - 1]):
        end -= 1
    return value[start:end]


def remove_separators(value: str) -> str:
    """Remove all whitespace and dashes from *value*."""
    return "".join(c for c in value if c not in DASHES and not is_space(c))


def upper_x(value: str) -> str:
    """Upper-case the check character ``x`` only (``str.upper`` may change the length)."""
    return value.replace("x", "X")


def describe(char: str) -> str:
    """Describe a single character for an error message."""
    if char.isprintable() and not is_space(char):
        return repr(char)
    return f"U+{ord(char):04X}"


def check_digits_and_x(name: str, value: str) -> None:
    """Raise :class:`InvalidFormat` unless *value* is ASCII digits with an optional final X."""
    last = len(value) - 1
    for i, char in enumerate(value):
        if char in ASCII_DIGITS:
            continue
        if char == "X":
            if i == last:
                continue
            raise InvalidFormat(f"{name} may only have X as its last character (the check digit)")
        raise InvalidFormat(f"{name} contains invalid character {describe(char)}")


def require_ascii_digits(name: str, value: str, length: int) -> None:
    """Check the argument of a ``calc_check_digit`` function."""
    for char in value:
        if char not in ASCII_DIGITS:
            raise InvalidFormat(f"{name} digits must be 0-9, got {describe(char)}")
    if len(value) != length:
        raise InvalidLength(f"expected {length} {name} digits, got {len(value)}")
