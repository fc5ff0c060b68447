"""Publication dates from their parts, checked: every reader builds its dates here."""

from __future__ import annotations

import calendar
import datetime

from kg.core.records import PartialDate
from kg.core.text import integer_or_none, shorten

# English month names and abbreviations as bibliographic sources write them ("SEP", "Sept", "dec").
MONTHS: dict[str, int] = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

EARLIEST_YEAR = 1000  # older "years" in bibliographic records are typing errors, not dates


class DateError(ValueError):
    """A date that is not a real calendar date; the message says what is wrong."""


def checked_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    """A PartialDate after checking it names a real day, month or year.

    >>> checked_date(2024, 2, 29).lexical
    '2024-02-29'
    >>> checked_date(2011, 0)
    Traceback (most recent call last):
    ...
    kg.read.dates.DateError: month 0 is not a month (1-12)
    >>> checked_date(2023, 2, 29)
    Traceback (most recent call last):
    ...
    kg.read.dates.DateError: 2023-02-29 is not a day of the calendar
    """
    if not EARLIEST_YEAR <= year <= 9999:
        raise DateError(f"year {shorten(str(year))} is out of range ({EARLIEST_YEAR}-9999)")
    if month is None:
        if day is not None:
            raise DateError("a day without a month")
        return PartialDate(year)
    if not 1 <= month <= 12:
        raise DateError(f"month {shorten(str(month))} is not a month (1-12)")
    if day is None:
        return PartialDate(year, month)
    try:
        datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise DateError(f"{year:04d}-{month:02d}-{day:02d} is not a day of the calendar") from None
    return PartialDate(year, month, day)


def month_number(text: str) -> int:
    """``"SEP"``, ``"September"``, ``"9"`` or ``"09"`` as a month number.

    >>> month_number("SEP"), month_number("sept"), month_number("09")
    (9, 9, 9)
    >>> month_number("²")
    Traceback (most recent call last):
    ...
    kg.read.dates.DateError: '²' is not a month
    """
    cleaned = text.strip().rstrip(".").lower()
    number = integer_or_none(cleaned)
    if number is not None:
        return number
    try:
        return MONTHS[cleaned]
    except KeyError:
        raise DateError(f"{shorten(text)!r} is not a month") from None
