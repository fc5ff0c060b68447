r"""ISSN (International Standard Serial Number).

An ISSN identifies a serial publication (journal, magazine, series).  It consists of seven
digits and a check character, written ``NNNN-NNNC``.  The check character is computed with
weights 8..2 modulo 11, where a value of 10 is written ``X``.

All identifier modules share the same API:

* ``compact(value)`` removes presentation noise and never raises for a ``str``;
* ``validate(value)`` returns the compact form or raises an
  :class:`~kg.identifiers.InvalidIdentifier` subclass;
* ``is_valid(value)`` returns a ``bool`` and never raises for a ``str``;
* ``format(value)`` validates and returns the standard presentation.

>>> validate('ISSN 1755-6228')
'17556228'
>>> format('20428308')
'2042-8308'
>>> is_valid('0378-5955')
True
>>> validate('1755-6229')
Traceback (most recent call last):
    ...
kg.identifiers.InvalidChecksum: ISSN check digit is 9, expected 8
"""

import re

from ._errors import InvalidChecksum, InvalidIdentifier, InvalidLength
from ._util import check_digits_and_x, remove_separators, require_ascii_digits, upper_x

__all__ = ["calc_check_digit", "compact", "format", "is_valid", "validate"]

# Optional leading label, matched after separators and whitespace are removed.  re.ASCII keeps
# IGNORECASE from matching look-alikes such as U+017F (long s).
_LABEL = re.compile(r"ISSN:?", re.ASCII | re.IGNORECASE)


def compact(value: str) -> str:
    r"""Return *value* without separators, whitespace and an optional leading ISSN label.

    Whitespace (including U+00A0 and other Unicode spaces) and hyphens/dashes (ASCII ``-``,
    U+2010..U+2015, U+2212, ...) are removed anywhere, a leading ``ISSN`` or ``issn:`` label is
    removed and a lower-case ``x`` is upper-cased.  Nothing else is changed, so any other
    character remains and makes :func:`validate` fail.  Never raises for a ``str``.

    >>> compact(' 1755\u20116228 ')
    '17556228'
    >>> compact('ISSN 1050-124x')
    '1050124X'
    >>> compact('issn: 2042-8308')
    '20428308'
    >>> compact('2042-8308 (print)')
    '20428308(print)'
    """
    value = remove_separators(value)
    label = _LABEL.match(value)
    if label:
        value = value[label.end() :]
    return upper_x(value)


def calc_check_digit(digits7: str) -> str:
    """Return the check character (``0``-``9`` or ``X``) for the first seven ISSN digits.

    >>> calc_check_digit('1755622')
    '8'
    >>> calc_check_digit('1050124')
    'X'
    >>> calc_check_digit('17556')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidLength: expected 7 ISSN digits, got 5
    """
    require_ascii_digits("ISSN", digits7, 7)
    total = sum((8 - i) * int(d) for i, d in enumerate(digits7))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def validate(value: str) -> str:
    """Return the compact ISSN ``NNNNNNNC`` or raise an ``InvalidIdentifier`` subclass.

    >>> validate('2041-1723')
    '20411723'
    >>> validate('1050-124X')
    '1050124X'
    >>> validate('1755-622')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidLength: ISSN has 7 characters, expected 8
    >>> validate('1755-62a8')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: ISSN contains invalid character 'a'
    >>> validate('10X0-1245')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: ISSN may only have X as its last character (the check digit)
    >>> validate('0378-5954')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISSN check digit is 4, expected 5
    """
    value = compact(value)
    if not value:
        raise InvalidLength("ISSN is empty")
    check_digits_and_x("ISSN", value)
    if len(value) != 8:
        raise InvalidLength(f"ISSN has {len(value)} characters, expected 8")
    expected = calc_check_digit(value[:7])
    if value[7] != expected:
        raise InvalidChecksum(f"ISSN check digit is {value[7]}, expected {expected}")
    return value


def is_valid(value: str) -> bool:
    """Return whether *value* is a valid ISSN; never raises for a ``str``.

    >>> is_valid('1755-6228')
    True
    >>> is_valid('1755-6229')
    False
    >>> is_valid('')
    False
    """
    try:
        validate(value)
    except InvalidIdentifier:
        return False
    return True


def format(value: str) -> str:
    """Validate *value* and return it in the standard presentation ``NNNN-NNNC``.

    >>> format('ISSN 17556228')
    '1755-6228'
    >>> format('1050124x')
    '1050-124X'
    >>> format('17556229')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISSN check digit is 9, expected 8
    """
    value = validate(value)
    return f"{value[:4]}-{value[4:]}"
