"""Language names and codes as sources write them ("English", "eng", "EN") as BCP 47 tags.

schema:inLanguage asks for a BCP 47 tag. MEDLINE writes ISO 639-2 codes ("eng"), Web of Science
and Scopus English names ("English"), Zotero what the user typed. The languages of research
literature that occur in practice are listed; anything else is kept as written.
"""

from __future__ import annotations

import re

# (BCP 47 tag, ISO 639-2 code(s), English name)
_LANGUAGES = (
    ("en", ("eng",), "English"),
    ("de", ("ger", "deu"), "German"),
    ("fr", ("fre", "fra"), "French"),
    ("es", ("spa",), "Spanish"),
    ("pt", ("por",), "Portuguese"),
    ("it", ("ita",), "Italian"),
    ("nl", ("dut", "nld"), "Dutch"),
    ("ru", ("rus",), "Russian"),
    ("zh", ("chi", "zho"), "Chinese"),
    ("ja", ("jpn",), "Japanese"),
    ("ko", ("kor",), "Korean"),
    ("pl", ("pol",), "Polish"),
    ("cs", ("cze", "ces"), "Czech"),
    ("sv", ("swe",), "Swedish"),
    ("da", ("dan",), "Danish"),
    ("no", ("nor",), "Norwegian"),
    ("fi", ("fin",), "Finnish"),
    ("tr", ("tur",), "Turkish"),
    ("ar", ("ara",), "Arabic"),
    ("he", ("heb",), "Hebrew"),
    ("hu", ("hun",), "Hungarian"),
    ("el", ("gre", "ell"), "Greek"),
    ("uk", ("ukr",), "Ukrainian"),
    ("fa", ("per", "fas"), "Persian"),
    ("hr", ("hrv",), "Croatian"),
    ("ro", ("rum", "ron"), "Romanian"),
    ("ca", ("cat",), "Catalan"),
    ("af", ("afr",), "Afrikaans"),
    ("id", ("ind",), "Indonesian"),
    ("ms", ("may", "msa"), "Malay"),
)
_KNOWN = frozenset(tag for tag, _, _ in _LANGUAGES)
_BY_WRITTEN = {
    written.casefold(): tag for tag, codes, name in _LANGUAGES for written in (tag, *codes, name)
}


def language_tag(written: str) -> str:
    """The BCP 47 tag for a language as written, or the text as written when unknown.

    >>> language_tag("eng"), language_tag("English"), language_tag("EN"), language_tag("en-GB")
    ('en', 'en', 'en', 'en-GB')
    >>> language_tag("Klingon")
    'Klingon'
    """
    cleaned = written.strip()
    return _BY_WRITTEN.get(cleaned.casefold(), cleaned)


_TAG = re.compile(r"(?P<primary>[A-Za-z]{2,3})(?:-[A-Za-z0-9]{1,8})*")


def known_language_tag(written: str) -> str | None:
    """The BCP 47 tag of a language kg knows (one of the list above, with any subtags), for
    tagging text; None for anything else ("Klingon", "English; French"), which must not become
    a language tag on a title.

    >>> known_language_tag("eng"), known_language_tag("en-GB"), known_language_tag("Klingon")
    ('en', 'en-GB', None)
    """
    tag = language_tag(written)
    match = _TAG.fullmatch(tag)
    if match is None or match["primary"].casefold() not in _KNOWN:
        return None
    return tag
