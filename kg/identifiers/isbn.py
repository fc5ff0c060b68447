r"""ISBN (International Standard Book Number), both ISBN-10 and ISBN-13.

An ISBN-13 is 13 digits starting with the EAN prefix ``978`` or ``979``; its last digit is an
EAN-13 check digit (weights 1, 3, 1, 3, ... modulo 10).  The legacy ISBN-10 is nine digits and
a check character computed with weights 10..2 modulo 11 (a value of 10 is written ``X``).
Every ISBN-10 corresponds to a ``978`` ISBN-13; ``979`` ISBN-13s have no ISBN-10.

Shared API (see :mod:`kg.identifiers`): ``compact``, ``validate``, ``is_valid``, ``format``.

Why ``format`` returns the bare ISBN-13: the hyphens in a printed ISBN separate the
registration group, registrant and publication elements, whose lengths vary and can only be
determined with the ISBN range table published by the International ISBN Agency.  We do not
ship that table (it changes regularly), so rather than placing hyphens at wrong positions,
``format`` returns the canonical unhyphenated ISBN-13, which is also what should be stored
and compared.

>>> validate('978-1-80382-429-1')
'9781803824291'
>>> format('0-306-40615-2')
'9780306406157'
>>> to_isbn10('978-0-306-40615-7')
'0306406152'
>>> to_isbn10('979-10-90636-07-1') is None
True
"""

import re

from ._errors import InvalidChecksum, InvalidFormat, InvalidIdentifier, InvalidLength
from ._util import check_digits_and_x, remove_separators, require_ascii_digits, upper_x

__all__ = [
    "calc_check_digit10",
    "calc_check_digit13",
    "compact",
    "format",
    "is_valid",
    "to_isbn10",
    "to_isbn13",
    "validate",
]

# Optional leading label, matched after separators and whitespace are removed: "ISBN",
# "ISBN:" and, only when followed by a colon, "ISBN-10:"/"ISBN-13:".  Without the colon
# "ISBN-10 ..." is ambiguous with "ISBN 10..." (an ISBN-10 may start with the digits 10), so
# such a label is left alone and validation fails.  re.ASCII keeps IGNORECASE from matching
# look-alikes such as U+017F (long s).
_LABEL = re.compile(r"ISBN(?:1[03])?:|ISBN", re.ASCII | re.IGNORECASE)


def compact(value: str) -> str:
    r"""Return *value* without separators, whitespace and an optional leading ISBN label.

    Whitespace (including U+00A0) and hyphens/dashes are removed anywhere, a leading
    ``ISBN``, ``ISBN:``, ``ISBN-10:`` or ``ISBN-13:`` label is removed and a lower-case ``x``
    is upper-cased.  Nothing else is changed.  ISBN-10s are not converted (see
    :func:`to_isbn13`).  Never raises for a ``str``.

    >>> compact('ISBN 978\u20111\u201180382\u2011429\u20111')
    '9781803824291'
    >>> compact('ISBN-10: 0-306-40615-2')
    '0306406152'
    >>> compact('isbn 0-8044-2957-x')
    '080442957X'
    """
    value = remove_separators(value)
    label = _LABEL.match(value)
    if label:
        value = value[label.end() :]
    return upper_x(value)


def calc_check_digit10(digits9: str) -> str:
    """Return the ISBN-10 check character (``0``-``9`` or ``X``) for nine digits.

    >>> calc_check_digit10('030640615')
    '2'
    >>> calc_check_digit10('080442957')
    'X'
    """
    require_ascii_digits("ISBN-10", digits9, 9)
    total = sum((10 - i) * int(d) for i, d in enumerate(digits9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def calc_check_digit13(digits12: str) -> str:
    """Return the ISBN-13 (EAN-13) check digit for twelve digits.

    >>> calc_check_digit13('978180382429')
    '1'
    >>> calc_check_digit13('97818038242')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidLength: expected 12 ISBN-13 digits, got 11
    """
    require_ascii_digits("ISBN-13", digits12, 12)
    total = sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def validate(value: str) -> str:
    """Return the compact ISBN (10 or 13 characters) or raise an ``InvalidIdentifier``.

    ISBN-10s are returned as ISBN-10s; use :func:`format` or :func:`to_isbn13` to normalise.

    >>> validate('0-306-40615-2')
    '0306406152'
    >>> validate('978-0-306-40615-7')
    '9780306406157'
    >>> validate('0-306-40615-3')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISBN-10 check digit is 3, expected 2
    >>> validate('978-0-306-40615-2')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISBN-13 check digit is 2, expected 7
    >>> validate('977-0-306-40615-8')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: ISBN-13 must start with 978 or 979, not 977
    >>> validate('30640615')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidLength: ISBN has 8 characters, expected 10 or 13
    """
    value = compact(value)
    if not value:
        raise InvalidLength("ISBN is empty")
    check_digits_and_x("ISBN", value)
    if len(value) == 10:
        expected = calc_check_digit10(value[:9])
        if value[9] != expected:
            raise InvalidChecksum(f"ISBN-10 check digit is {value[9]}, expected {expected}")
    elif len(value) == 13:
        if value[12] == "X":
            raise InvalidFormat("ISBN-13 check digit must be a digit, not X")
        if value[:3] not in ("978", "979"):
            raise InvalidFormat(f"ISBN-13 must start with 978 or 979, not {value[:3]}")
        expected = calc_check_digit13(value[:12])
        if value[12] != expected:
            raise InvalidChecksum(f"ISBN-13 check digit is {value[12]}, expected {expected}")
    else:
        raise InvalidLength(f"ISBN has {len(value)} characters, expected 10 or 13")
    return value


def is_valid(value: str) -> bool:
    """Return whether *value* is a valid ISBN-10 or ISBN-13; never raises for a ``str``.

    >>> is_valid('978-1-80382-429-1')
    True
    >>> is_valid('978-1-80382-429-2')
    False
    >>> is_valid('not an isbn')
    False
    """
    try:
        validate(value)
    except InvalidIdentifier:
        return False
    return True


def to_isbn13(value: str) -> str:
    """Validate *value* and return it as a compact ISBN-13 (ISBN-10s get the 978 prefix).

    >>> to_isbn13('0-306-40615-2')
    '9780306406157'
    >>> to_isbn13('0-8044-2957-X')
    '9780804429573'
    >>> to_isbn13('979-10-90636-07-1')
    '9791090636071'
    """
    value = validate(value)
    if len(value) == 13:
        return value
    digits12 = "978" + value[:9]
    return digits12 + calc_check_digit13(digits12)


def to_isbn10(value: str) -> str | None:
    """Validate *value* and return it as a compact ISBN-10, or ``None`` for a 979 ISBN-13.

    >>> to_isbn10('978-1-80382-429-1')
    '1803824298'
    >>> to_isbn10('9780804429573')
    '080442957X'
    >>> print(to_isbn10('979-10-90636-07-1'))
    None
    >>> to_isbn10('978-1-80382-429-0')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISBN-13 check digit is 0, expected 1
    """
    value = validate(value)
    if len(value) == 10:
        return value
    if value.startswith("979"):
        return None
    return value[3:12] + calc_check_digit10(value[3:12])


def format(value: str) -> str:
    """Validate *value* and return the compact ISBN-13 (13 digits, no hyphens).

    See the module docstring for why no hyphens are inserted.

    >>> format('ISBN 0-306-40615-2')
    '9780306406157'
    >>> format('978 1 80382 429 1')
    '9781803824291'
    >>> format('0-306-40615-X')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidChecksum: ISBN-10 check digit is X, expected 2
    """
    return to_isbn13(value)
