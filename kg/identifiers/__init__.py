"""Validation and normalisation of bibliographic identifiers (pure standard library).

In the style of python-stdnum, every identifier module (:mod:`~kg.identifiers.doi`,
:mod:`~kg.identifiers.isbn`, :mod:`~kg.identifiers.issn`, :mod:`~kg.identifiers.orcid`)
provides the same four functions:

``compact(value: str) -> str``
    Remove presentation noise (whitespace, separators, labels or resolver prefixes as the
    module documents) and normalise case.  Does not validate and never raises for a ``str``.
``validate(value: str) -> str``
    Return the compact form if the value is valid, otherwise raise a subclass of
    :class:`InvalidIdentifier`: :class:`InvalidFormat` (characters or structure not allowed),
    :class:`InvalidLength` (wrong number of characters) or :class:`InvalidChecksum` (check
    digit mismatch).  The message says what is wrong in plain words.
``is_valid(value: str) -> bool``
    ``True`` if :func:`validate` would succeed; never raises for a ``str``.
``format(value: str) -> str``
    Validate and return the standard presentation form (e.g. ``1755-6228`` for an ISSN).

Modules add identifier-specific helpers such as ``calc_check_digit``, ``to_uri`` or
``to_isbn13``.  :class:`InvalidIdentifier` is a :class:`ValueError`.

>>> from kg.identifiers import issn
>>> issn.format('17556228')
'1755-6228'
>>> try:
...     issn.validate('1755-6229')
... except InvalidIdentifier as exc:
...     print(type(exc).__name__, exc)
InvalidChecksum ISSN check digit is 9, expected 8
"""

from . import doi, isbn, issn, orcid
from ._errors import InvalidChecksum, InvalidFormat, InvalidIdentifier, InvalidLength

__all__ = [
    "InvalidChecksum",
    "InvalidFormat",
    "InvalidIdentifier",
    "InvalidLength",
    "doi",
    "isbn",
    "issn",
    "orcid",
]
