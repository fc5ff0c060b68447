"""Author lines and person names as publishers print them ("A, B and C"; "Pieter van der Berg")."""

from __future__ import annotations

import dataclasses
import re

from kg.core.records import PersonName

# "A and B", "A, B and C", "A, B, and C" (serial comma), "A & B".
_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")

# Lower-case words that start a family name: "van der Berg", "d'Aubigné" is one token already.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "das", "dos", "do", "du"}
    | {"la", "le", "les", "ter", "ten", "zu", "bin", "ibn", "al", "el", "ní", "nic", "ó", "ua"}
    | {"mac", "ap", "ab"}  # Irish "Mac Aodha", Welsh "ap Gwilym" (as separate words)
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Titles some exports (Zotero's, notably) leave in front of the given names: "Shillcutt, Mr
# Samuel D". They are not names: a person's key and name must not depend on them.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd"}
)


def split_author_line(line: str) -> list[str]:
    """The names in an author line, in order.

    >>> split_author_line("Liza Hopkins, Glenda Pedwell, Katie Wilson and Prunella Howell-Jay")
    ['Liza Hopkins', 'Glenda Pedwell', 'Katie Wilson', 'Prunella Howell-Jay']
    >>> split_author_line("Simon Lawton-Smith")
    ['Simon Lawton-Smith']
    """
    return [part.strip() for part in _AUTHOR_SEPARATOR.split(line.strip())]


def parse_person_name(written: str) -> PersonName:
    """Split a "given family" name; particles belong to the family name.

    >>> name = parse_person_name("Pieter van der Berg")
    >>> name.given, name.family
    ('Pieter', 'van der Berg')
    >>> parse_person_name("Siobhán Ní Bhriain").family
    'Ní Bhriain'
    >>> parse_person_name("Madonna").family is None
    True
    """
    tokens = written.split()
    if len(tokens) < 2:
        return PersonName(written=written)
    end = len(tokens)
    if tokens[-1].lower() in _SUFFIXES and len(tokens) > 2:
        end -= 1
    start = end - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return PersonName(
        written=written, given=" ".join(tokens[:start]), family=" ".join(tokens[start:end])
    )


_INITIALS = re.compile(r"^(?:[^\W\d_][.\s-]*){1,4}$")


def is_initials(given: str) -> bool:
    """Whether a given name is written as initials only: "L.N.", "SD", "J. P.", "J.-P.".

    >>> is_initials("L.N."), is_initials("SD"), is_initials("J.-P."), is_initials("Laura")
    (True, True, True, False)
    """
    compact = given.replace(" ", "")
    return (
        bool(compact)
        and bool(_INITIALS.match(compact))
        and ("." in compact or compact.isupper() or len(compact) == 1)
    )


def parse_inverted_name(written: str) -> PersonName:
    """Split a "Family, Given" name (RIS, BibTeX, MEDLINE ``FAU``); a suffix may follow.

    Exporters (Zotero, notably) leave a particle at the end of the given names ("Dusen, Eric
    Van") and suffixes inside either part ("Colford Jr, John M"): the particle goes back to the
    family name, the suffix is neither given nor family name (it stays in ``written``).

    >>> name = parse_inverted_name("Wilson, L.N.")
    >>> name.given, name.family
    ('L.N.', 'Wilson')
    >>> parse_inverted_name("van der Berg, Pieter").family
    'van der Berg'
    >>> parse_inverted_name("King, Martin Luther, Jr.").given
    'Martin Luther'
    >>> name = parse_inverted_name("Windt, Peter van der")
    >>> name.given, name.family
    ('Peter', 'van der Windt')
    >>> name = parse_inverted_name("Colford Jr, John M")
    >>> name.given, name.family
    ('John M', 'Colford')
    >>> parse_inverted_name("Chamberlain, John A Jr").given
    'John A'
    >>> parse_inverted_name("Plato").family is None
    True
    """
    parts = [part.strip() for part in written.split(",")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return PersonName(written=written.strip())
    family, given = _without_suffix(parts[0].split()), _without_suffix(parts[1].split())
    # A trailing particle in the given part belongs in front of the family name.
    moved = 0
    while moved < len(given) - 1 and given[len(given) - 1 - moved].lower() in _PARTICLES:
        moved += 1
    if moved:
        family = [*given[len(given) - moved :], *family]
        given = given[: len(given) - moved]
    if not family or not given:
        return PersonName(written=written.strip())
    return PersonName(written=written.strip(), given=" ".join(given), family=" ".join(family))


def _without_suffix(words: list[str]) -> list[str]:
    if len(words) > 1 and words[-1].lower() in _SUFFIXES:
        return words[:-1]
    return words


def without_honorific(name: PersonName) -> PersonName:
    """The name with a leading title moved out of the given names into ``honorific``.

    >>> name = without_honorific(PersonName("Shillcutt, Mr Samuel D", "Mr Samuel D", "Shillcutt"))
    >>> name.given, name.honorific
    ('Samuel D', 'Mr')
    >>> without_honorific(PersonName("Prof. Ann Oakley", "Prof. Ann", "Oakley")).honorific
    'Prof.'
    >>> without_honorific(PersonName("Dr Who", "Dr", "Who")).given  # nothing would be left
    'Dr'
    """
    if name.organization or not name.given:
        return name
    first, _, rest = name.given.partition(" ")
    if first.rstrip(".").casefold() not in _HONORIFICS or not rest.strip():
        return name
    return dataclasses.replace(name, given=rest.strip(), honorific=first)
