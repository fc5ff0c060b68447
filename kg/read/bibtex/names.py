"""Names in BibTeX's ``author`` and ``editor`` fields: the list, and each name's parts.

A list is split on ``and`` outside braces; ``and others`` says the list is incomplete
(``authors_incomplete``), and an empty name (``A and and B``) is a warning. Each name is read
the BibTeX way: "Last, First", "von Last, Jr, First" (the suffix stays in the written form only)
or "First von Last", where a brace group is one word (``{van der Berg}`` stays one); more than
two commas keep the name without parts (warning). A name that is one brace group is an
organisation unless it reads like a person's name: Zotero writes
``{{Amanda B. Breen} and {Rachel Cahill}}`` for names kept in one field. An unbraced name of
three words or more with an organisation's word in it ("World Health Organization") is read as
an organisation, with a warning saying how to brace it.
"""

from __future__ import annotations

import re

from kg.core.records import PersonName
from kg.core.text import has_digit, shorten
from kg.read._latex import latex_to_text
from kg.read.bibtex.fields import FieldValues, collapse, strip_html
from kg.read.bibtex.scanner import is_one_group, split_top_level
from kg.read.names import parse_person_name

_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)
_COMMA = re.compile(",")
_WORD_BREAK = re.compile(r"\s+")

_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du"}
    | {"la", "le", "ter", "ten", "zu", "bin", "ibn", "al", "el", "y"}
)
# Words that make a name an organisation's, not a person's.
_STRONG_ORGANIZATION_WORDS = frozenset(
    {"organization", "organisation", "institute", "institut", "university", "association"}
    | {"council", "committee", "consortium", "collaboration", "agency", "ministry"}
    | {"department", "foundation", "society", "centre", "center", "office", "bureau"}
    | {"commission", "network", "initiative", "program", "programme", "administration"}
)
_ORGANIZATION_WORDS = _STRONG_ORGANIZATION_WORDS | frozenset(
    {"group", "bank", "team", "project", "board", "company", "inc", "inc.", "ltd", "ltd."}
    | {"llc", "corporation", "corp", "corp.", "trust", "fund", "federation", "union"}
    | {"alliance", "league", "research", "national", "international", "world", "health"}
    | {"school", "college", "hospital", "clinic", "laboratory", "press", "library"}
    | {"museum", "partnership", "authority", "service", "services", "unit", "investigators"}
    | {"the", "of", "for", "and", "on", "administrator", "anonymous", "staff", "editors"}
)


def read_names(values: FieldValues, name: str) -> tuple[tuple[PersonName, ...], bool]:
    """The people of the name list in field ``name``, and whether it ends in ``and others``."""
    raw = values.raw(name)
    if raw is None:
        return (), False
    people: list[PersonName] = []
    incomplete = False
    for part in split_top_level(raw, _AND):
        written = part.strip()
        if not written:
            values.warn(values.line(name), f"field {name!r} has an empty name (' and and '?)")
        elif written.lower() == "others":
            incomplete = True
        else:
            people.append(_person(values, name, written))
    return tuple(people), incomplete


def _person(values: FieldValues, name: str, written: str) -> PersonName:
    if is_one_group(written) and not written.startswith("{\\"):
        return _braced_name(written[1:-1])
    parts = split_top_level(written, _COMMA)
    text = collapse(values.latex(name, written))
    if len(parts) == 1:
        return _direct_name(values, name, written, text)
    cleaned = [collapse(values.latex(name, part)) for part in parts]
    if len(parts) == 2:
        return PersonName(written=text, given=cleaned[1] or None, family=cleaned[0] or None)
    if len(parts) == 3:  # "von Last, Jr, First": the suffix stays in the written form only
        return PersonName(written=text, given=cleaned[2] or None, family=cleaned[0] or None)
    values.warn(
        values.line(name),
        f"{name} {shorten(text)!r} has {len(parts) - 1} commas (BibTeX allows 'Last, Jr, First'); "
        "kept without name parts",
    )
    return PersonName(written=text)


def _braced_name(inner: str) -> PersonName:
    """A name braced as one unit: BibTeX's way to write an organisation, and Zotero's
    way to write any name kept in a single field. A person's name stays a person's."""
    text = collapse(strip_html(latex_to_text(inner).text, block=" "))
    if is_one_group(inner.strip()) or not _looks_like_person(text):
        return PersonName(written=text, organization=True)
    parsed = parse_person_name(text)
    return PersonName(written=text, given=parsed.given, family=parsed.family)


def _direct_name(values: FieldValues, name: str, written: str, text: str) -> PersonName:
    """A "First von Last" name; a brace group is one word ("{van der Berg}" stays one)."""
    tokens = [collapse(latex_to_text(token).text) for token in _split_words(written)]
    tokens = [token for token in tokens if token]
    if len(tokens) >= 3 and _is_organization_name(tokens):
        values.warn(
            values.line(name),
            f"{name} {shorten(text)!r} read as an organisation "
            f"(brace it as {{{{{shorten(text)}}}}} to say so)",
        )
        return PersonName(written=text, organization=True)
    if any(" " in token for token in tokens):
        return PersonName(written=text, given=" ".join(tokens[:-1]), family=tokens[-1])
    parsed = parse_person_name(" ".join(tokens))
    return PersonName(written=text, given=parsed.given, family=parsed.family)


def _split_words(raw: str) -> list[str]:
    return [word for word in split_top_level(raw.strip(), _WORD_BREAK) if word]


def _looks_like_person(text: str) -> bool:
    """Two to five capitalised words (particles allowed), none an organisation's word."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    for token in tokens:
        bare = token.strip(".,").lower()
        if bare in _ORGANIZATION_WORDS or has_digit(token) or any(c in "_&@/()" for c in token):
            return False
        if token[0].islower() and bare not in _PARTICLES:
            return False
        if not token[0].isalpha():
            return False
        if len(token) >= 3 and token.isupper() and "." not in token and "-" not in token:
            return False  # an acronym: "WHO", "UNICEF"
    return True


def _is_organization_name(tokens: list[str]) -> bool:
    """An unbraced name that names an organisation ("World Health Organization")."""
    return any(token.strip(".,").lower() in _STRONG_ORGANIZATION_WORDS for token in tokens)
