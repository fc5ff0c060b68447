r"""DOI (Digital Object Identifier).

A DOI is ``prefix/suffix``.  The prefix is the directory indicator ``10`` and a registrant
code of four or more digits, optionally followed by dot-separated subcodes
(``10.1108``, ``10.1000.10``).  The suffix is any non-empty string chosen by the registrant;
this module only rejects whitespace and control characters in it.

DOIs are case-insensitive (the DOI Handbook: ASCII letters are matched without regard to
case), so :func:`compact` lower-cases them to give one canonical form for storage and
comparison.  Only ASCII letters are lower-cased: non-ASCII characters are not case-folded by
the DOI system and Unicode lower-casing could even change the length of the string.

Shared API (see :mod:`kg.identifiers`): ``compact``, ``validate``, ``is_valid``, ``format``;
plus :func:`to_uri`.

>>> compact('https://doi.org/10.1108/JMHTEP-09-2011-0012')
'10.1108/jmhtep-09-2011-0012'
>>> to_uri('doi:10.1108/JMHTEP-09-2011-0012')
'https://doi.org/10.1108/jmhtep-09-2011-0012'
"""

import re
import string
import unicodedata
from urllib.parse import quote, unquote

from ._errors import InvalidFormat, InvalidIdentifier, InvalidLength
from ._util import describe, is_space, strip_space

__all__ = ["compact", "format", "is_valid", "to_uri", "validate"]

# Resolver URLs: http(s)://doi.org/, http(s)://dx.doi.org/ (and www.doi.org/, or no scheme).
_RESOLVER = re.compile(r"(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.ASCII | re.IGNORECASE)
_LABEL = re.compile(r"doi:", re.ASCII | re.IGNORECASE)
_PREFIX = re.compile(r"10\.[0-9]{4,}(?:\.[0-9]+)*", re.ASCII)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})  # controls, format chars, lone surrogates

# Characters left unencoded by to_uri().  A path segment may contain (RFC 3986, section 3.3)
#   pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
#   unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"     (quote() never encodes these)
#   sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
# and "/" separates segments (doi.org resolves DOIs whose suffix contains "/" unencoded), so
# it is kept; a segment that is exactly "." or ".." is encoded ("%2E") so that URI
# normalisation (RFC 3986 remove_dot_segments) cannot drop it.
# Everything else is encoded: space, '"', "<", ">", "[", "]", "{", "}", "|", "\", "^", "`" are
# not allowed in a URI at all; "#" and "?" would end the path; "%" must be encoded so that a
# literal "%" in a DOI is not read as an escape.  This matches the DOI Handbook's list of
# characters to encode in URLs.  Non-ASCII characters are percent-encoded as UTF-8 as well, so
# the result is a plain ASCII URI (which is also a valid IRI); DOIs are virtually all ASCII.
_SEGMENT_SAFE = ":@!$&'()*+,;="


def compact(value: str) -> str:
    """Return the bare, lower-cased DOI; never raises for a ``str``.

    Removes surrounding whitespace and a resolver prefix (``https://doi.org/``,
    ``http://dx.doi.org/``, ... case-insensitive; the rest of such a URL is percent-decoded)
    or a ``doi:`` label.  Nothing else is removed: whitespace inside the DOI stays and makes
    :func:`validate` fail.

    >>> compact('  doi: 10.1108/JMHTEP-09-2011-0012 ')
    '10.1108/jmhtep-09-2011-0012'
    >>> compact('HTTP://DX.DOI.ORG/10.1108/JMHTEP-09-2011-0012')
    '10.1108/jmhtep-09-2011-0012'
    >>> compact('https://doi.org/10.1000/a%23b')
    '10.1000/a#b'
    """
    value = strip_space(value)
    resolver = _RESOLVER.match(value)
    if resolver:
        value = unquote(value[resolver.end() :])
    else:
        label = _LABEL.match(value)
        if label:
            value = strip_space(value[label.end() :])
    return value.translate(_ASCII_LOWER)


def validate(value: str) -> str:
    r"""Return the compact DOI or raise an ``InvalidIdentifier`` subclass.

    >>> validate('10.1108/JMHTEP-09-2011-0012')
    '10.1108/jmhtep-09-2011-0012'
    >>> validate('10.1000.10/123456')
    '10.1000.10/123456'
    >>> validate('10.123/abc')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: DOI prefix must be 10. and a registrant code of 4 or more digits
    >>> validate('10.1108')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: DOI has no / between prefix and suffix
    >>> validate('10.1108/')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: DOI suffix is empty
    >>> validate('10.1108/JMHTEP 09')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: DOI contains whitespace (U+0020)
    >>> validate('10.1108/a\x07b')
    Traceback (most recent call last):
        ...
    kg.identifiers.InvalidFormat: DOI contains a control character (U+0007)
    """
    value = compact(value)
    if not value:
        raise InvalidLength("DOI is empty")
    for char in value:
        if is_space(char) or char.isspace():
            raise InvalidFormat(f"DOI contains whitespace ({describe(char)})")
        if unicodedata.category(char) in _CONTROL_CATEGORIES:
            raise InvalidFormat(f"DOI contains a control character ({describe(char)})")
    prefix, slash, suffix = value.partition("/")
    if not _PREFIX.fullmatch(prefix):
        raise InvalidFormat("DOI prefix must be 10. and a registrant code of 4 or more digits")
    if not slash:
        raise InvalidFormat("DOI has no / between prefix and suffix")
    if not suffix:
        raise InvalidFormat("DOI suffix is empty")
    return value


def is_valid(value: str) -> bool:
    """Return whether *value* is a valid DOI; never raises for a ``str``.

    >>> is_valid('https://dx.doi.org/10.1108/JMHTEP-09-2011-0012')
    True
    >>> is_valid('10.1108')
    False
    """
    try:
        validate(value)
    except InvalidIdentifier:
        return False
    return True


def format(value: str) -> str:
    """Validate *value* and return the compact (bare, lower-case) DOI.

    >>> format('https://doi.org/10.1108/JMHTEP-09-2011-0012')
    '10.1108/jmhtep-09-2011-0012'
    """
    return validate(value)


def to_uri(value: str) -> str:
    """Validate *value* and return its ``https://doi.org/`` URI, percent-encoded as needed.

    >>> to_uri('10.1108/JMHTEP-09-2011-0012')
    'https://doi.org/10.1108/jmhtep-09-2011-0012'
    >>> to_uri('10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O')
    'https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3C693::aid-asi4%3E3.0.co;2-o'
    >>> to_uri('10.1000/100%#?')
    'https://doi.org/10.1000/100%25%23%3F'
    >>> compact(to_uri('10.1000/100%#?'))
    '10.1000/100%#?'
    >>> to_uri('10.1000/a/../b')
    'https://doi.org/10.1000/a/%2E%2E/b'
    """
    segments = [quote(segment, safe=_SEGMENT_SAFE) for segment in validate(value).split("/")]
    path = "/".join(
        segment.replace(".", "%2E") if segment in (".", "..") else segment for segment in segments
    )
    return "https://doi.org/" + path
