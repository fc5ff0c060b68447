"""ORCID iD (Open Researcher and Contributor ID).

An ORCID iD is 15 digits and a check character computed with ISO 7064 MOD 11-2 (a value of
10 is written ``X``), presented as four groups of four (``0000-0002-1825-0097``) and
canonically as the URI ``https://orcid.org/0000-0002-1825-0097``.  Only the syntax and check
digit are verified, not whether the iD lies in a block ORCID has issued or is registered.

Shared API (see :mod:`kg.identifiers`): ``compact``, ``validate``, ``is_valid``, ``format``;
plus :func:`to_uri` and :func:`calc_check_digit`.

>>> format('https://orcid.org/0000000218250097')
'0000-0002-1825-0097'
>>> to_uri('0000-0002-1694-233x')
'https://orcid.org/0000-0002-1694-233X'
"""

import re

from ._errors import InvalidChecksum, InvalidIdentifier, InvalidLength
from ._util import (
    check_digits_and_x,
    remove_separators,
    require_ascii_digits,
    strip_space,
    upper_x,
)

__all__ = ["calc_check_digit", "compact", "format", "is_valid", "to_uri", "validate"]

_RESOLVER = re.compile(r"(?:https?://)?(?:www\.)?orcid\.org/", re.ASCII | re.IGNORECASE)


def compact(value: str) -> str:
    r"""Return the 16 characters of the iD without URL prefix, separators or whitespace.

    Removes a leading ``https://orcid.org/``, ``http://orcid.org/`` or ``orcid.org/``
    (case-insensitive), all whitespace and hyphens/dashes, and upper-cases ``x``.  Never raises
    for a ``str``.

    >>> compact(' https://orcid.org/0000-0002-1825-0097 ')
    '0000000218250097'
    >>> compact('orcid.org/0000\u00a00002\u00a01694\u00a0233x')
    '000000021694233X'
    """
    value = strip_space(value)
    resolver = _RESOLVER.match(value)
    if resolver:
        value = value[resolver.end() :]
    return upper_x(remove_separators(value))


def calc_check_digit(digits15: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``) for 15 digits.

    >>> calc_check_digit('000000021825009')
    '7'
    >>> calc_check_digit('000000021694233')
    'X'
    """
    require_ascii_digits("ORCID iD", digits15, 15)
    total = 0
    for digit in digits15:
        total = (total + int(digit)) * 2 % 11
    check = (12 - total) % 11
    return "X" if check == 10 else str(check)


def validate(value: str) -> str:
    """Return the compact 16-character iD or raise an ``InvalidIdentifier`` subclass.

    >>> validate('0000-0001-5109-3700')
    '0000000151093700'
    >>> validate('0000-0002-1825-0098')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ORCID iD check digit is 8, expected 7
    >>> validate('0000-0002-1825-009')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidLength: ORCID iD has 15 characters, expected 16
    >>> validate('0000-0002-18X5-0097')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: ORCID iD may only have X as its last character (the check digit)
    """
    value = compact(value)
    if not value:
        raise InvalidLength("ORCID iD is empty")
    check_digits_and_x("ORCID iD", value)
    if len(value) != 16:
        raise InvalidLength(f"ORCID iD has {len(value)} characters, expected 16")
    expected = calc_check_digit(value[:15])
    if value[15] != expected:
        raise InvalidChecksum(f"ORCID iD check digit is {value[15]}, expected {expected}")
    return value


def is_valid(value: str) -> bool:
    """Return whether *value* is a valid ORCID iD; never raises for a ``str``.

    >>> is_valid('https://orcid.org/0000-0002-1694-233X')
    True
    >>> is_valid('0000-0002-1694-2330')
    False
    """
    try:
        validate(value)
    except InvalidIdentifier:
        return False
    return True


def format(value: str) -> str:
    """Validate *value* and return it as four hyphen-separated groups of four.

    >>> format('000000021825 0097')
    '0000-0002-1825-0097'
    """
    value = validate(value)
    return "-".join(value[i : i + 4] for i in range(0, 16, 4))


def to_uri(value: str) -> str:
    """Validate *value* and return its canonical ``https://orcid.org/`` URI.

    >>> to_uri('0000000218250097')
    'https://orcid.org/0000-0002-1825-0097'
    """
    return "https://orcid.org/" + format(value)
