"""Page ranges, one rule for every reader: where a range splits, and what a short end page means.

**Splitting.** A range is a start page, one or more dashes and an end page, each page without
spaces or dashes, with spaces allowed around the dashes: ``29-40``, ``29--40`` (BibTeX),
``29 – 40`` (Scopus), ``S12—S15``. The dashes are the hyphen-minus and every dash a publisher
writes between pages: hyphen U+2010, non-breaking hyphen U+2011, figure dash U+2012, en dash
U+2013, em dash U+2014, horizontal bar U+2015 and minus sign U+2212. Anything else (``e1234``,
``1-2-3``, ``1-5, 7-9``) is not one range, and each reader says what it makes of it.

**Short end pages.** ``573-78`` is 573 to 578: MEDLINE and the citation styles (Chicago's
``321-28``, ``1087-89``) write only the last digits of the end page, and the start page's
leading digits go back in front of them. An end page is expanded when both pages are numbers
(digits only) and the end has fewer digits than the start. The expansion is certain when the
format abbreviates end pages by rule (MEDLINE's ``PG``: ``117-55``, ``123-9``), or when the end
keeps two digits or more (``573-78``, ``1234-56``). A one-digit end in a format that writes
whole pages (``1234-5`` in BibTeX, RIS, CSL-JSON or Crossref, Chicago's ``1103-4`` too) gives a
plausible range, but one digit is as likely a slip (a digit lost) as a shortening: it is
expanded, and the reader warns that this is a guess.

Only MEDLINE's rule reaches past plain numbers: its ``S12-5`` is ``S12-S15`` (the letter that
marks supplement pages, then the number). Elsewhere a page that is not a number stays exactly
as written: ``e62``, ``S12-S19``, ``iii-iv``, ``A1-7``, article numbers.

**End before start.** An end page lower than its start page (``199-5`` when even the expansion,
195, stays below 199; ``573-512``) is kept as written, with a warning; the SHACL shapes warn
about it again in the graph (``schema:pageEnd`` lower than ``schema:pageStart``).

>>> split_range("29 – 40")
('29', '40')
>>> split_range("29--40"), split_range("1-2-3"), split_range("e1234")
(('29', '40'), None, None)
>>> page_range("573", "78")
Pages(start='573', end='578', warning=None)
>>> page_range("1234", "5").warning
"end page '5' read as '1235' (start page '1234'), a guess: one digit may be a slip"
>>> page_range("123", "9", abbreviated=True)
Pages(start='123', end='129', warning=None)
>>> page_range("S12", "5", abbreviated=True), page_range("S12", "5")
(Pages(start='S12', end='S15', warning=None), Pages(start='S12', end='5', warning=None))
>>> page_range("e145", "e154"), page_range("iii", "iv")
(Pages(start='e145', end='e154', warning=None), Pages(start='iii', end='iv', warning=None))
>>> page_range("199", "5")
Pages(start='199', end='5', warning="end page '5' is before start page '199'; kept as written")
>>> page_range("1499", "501"), page_range("98", "102")
(Pages(start='1499', end='1501', warning=None), Pages(start='98', end='102', warning=None))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kg.core.text import shorten

DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# The dashes escaped for a regular expression's character class (the hyphen-minus is special).
DASH_CLASS: Final = re.escape(DASHES)

_RANGE = re.compile(
    rf"(?P<start>[^\s{DASH_CLASS}]+)\s*[{DASH_CLASS}]+\s*(?P<end>[^\s{DASH_CLASS}]+)"
)
_PREFIXED_NUMBER = re.compile(r"(?P<prefix>[^0-9]*)(?P<digits>[0-9]+)")
_NUMBER = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class Pages:
    """A start page and maybe an end page, as the record keeps them, and what a reader must
    report about them (None when there is nothing to say)."""

    start: str
    end: str | None = None
    warning: str | None = None


def split_range(text: str) -> tuple[str, str] | None:
    """(start, end) of a range such as ``29-40`` or ``29 – 40``; None when ``text`` is not
    one range."""
    match = _RANGE.fullmatch(text.strip())
    return (match["start"], match["end"]) if match else None


def page_range(start: str, end: str | None, *, abbreviated: bool = False) -> Pages:
    """The start and end pages as the record keeps them: a short end expanded (see the module's
    rule), an end before the start kept as written, each with its warning.

    ``abbreviated`` says that the format writes end pages shortened by rule (MEDLINE).
    """
    if end is None:
        return Pages(start)
    start_number = _PREFIXED_NUMBER.fullmatch(start)
    if start_number is None or (start_number["prefix"] and not abbreviated):
        return Pages(start, end)
    prefix, digits = start_number["prefix"], start_number["digits"]
    if not _NUMBER.fullmatch(end):
        return Pages(start, end)
    before = f"end page {shorten(end)!r} is before start page {shorten(start)!r}; kept as written"
    if len(end) >= len(digits):
        lower = not prefix and _number_key(end) < _number_key(digits)
        return Pages(start, end, before if lower else None)
    expanded = digits[: len(digits) - len(end)] + end
    if expanded < digits:  # digit strings of one length compare like their numbers
        return Pages(start, end, before)
    guess = None
    if len(end) == 1 and not abbreviated:
        guess = (
            f"end page {end!r} read as {shorten(prefix + expanded)!r} "
            f"(start page {shorten(start)!r}), a guess: one digit may be a slip"
        )
    return Pages(start, prefix + expanded, guess)


def _number_key(digits: str) -> tuple[int, str]:
    """Orders digit strings as numbers, without turning a 5,000-digit page into an int."""
    significant = digits.lstrip("0")
    return len(significant), significant
