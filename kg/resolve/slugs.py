"""Readable IRI path segments from names and titles."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[\W_]+")
_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
# Letters NFKD does not take apart, spelled as readers of the language would in ASCII.
_TRANSLITERATE = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d",
                                "þ": "th", "ð": "d", "ı": "i", "ħ": "h"})  # fmt: skip


def slug(text: str) -> str:
    """A readable IRI path segment: lower case, accents folded, words joined by hyphens.

    >>> slug("Siobhán Ní Bhriain")
    'siobhan-ni-bhriain'
    >>> slug("Aoife O'Connell-Hayes")
    'aoife-oconnell-hayes'
    >>> slug("Søren Kierkegaard")
    'soren-kierkegaard'
    >>> slug("2/3")
    '2-3'
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATE))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_SLUG.sub("-", folded.translate(_APOSTROPHES)).strip("-")
