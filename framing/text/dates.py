"""Dates as news exports and pages write them, read into `datetime.date`.

Pure functions: a string in, a date (or None) out. ISO 8601 is read first; then
dates with month names ("12 March 2024", "March 12, 2024", e-mail style
"Tue, 12 Mar 2024 10:00:00 GMT"); numeric dates with slashes or dots only when
the caller says which comes first, because 05/04/2024 is April in London and May
in New York.
"""

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Year first is read with dashes (ISO 8601), and with slashes or dots as some
# exports write it (2024/04/13), one separator throughout.
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?(?:$|[t ])")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})$")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:$|\s)")


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def numeric_order(value: str) -> str | None:
    """For a date like 05/04/2024: "day" if it must be day first (13/04/2024),
    "month" if it must be month first (04/13/2024), "either" if both read, None
    if it is not such a date."""
    match = _NUMERIC.match(value.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 and second <= 12:
        return "day"
    if second > 12 and first <= 12:
        return "month"
    return "either" if first <= 12 and second <= 12 else None


def parse_date(value: str, *, day_first: bool | None = None) -> date | None:
    """The date `value` names, or None. "2024-03" is read as 1 March 2024.

    Numeric dates with slashes, dots or dashes (05/04/2024, 05-04-2024) are read
    only with `day_first` set, or when one of the numbers is over 12.
    """
    text = value.strip().lower()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, _separator, month, day = match.groups()
        return _make(int(year), int(month), int(day or 1))
    match = _COMPACT.match(text)
    if match:
        return _make(*(int(group) for group in match.groups()))
    text = re.sub(r"^[a-z]+day,?\s+|^(mon|tue|wed|thu|fri|sat|sun),?\s+", "", text)
    match = _DAY_MONTH_YEAR.match(text)
    if match and match.group(2) in _MONTHS:
        day, month, year = match.groups()
        return _make(int(year), _MONTHS[month], int(day))
    match = _MONTH_DAY_YEAR.match(text)
    if match and match.group(1) in _MONTHS:
        month, day, year = match.groups()
        return _make(int(year), _MONTHS[month], int(day))
    match = _MONTH_YEAR.match(text)
    if match and match.group(1) in _MONTHS:
        return _make(int(match.group(2)), _MONTHS[match.group(1)], 1)
    match = _NUMERIC.match(text)
    if match:
        first, second, year = (int(match.group(n)) for n in (1, 3, 4))
        order = numeric_order(text)
        if order == "day" or (order == "either" and day_first is True):
            return _make(year, second, first)
        if order == "month" or (order == "either" and day_first is False):
            return _make(year, first, second)
    return None


def iso_date(value: str | None) -> str | None:
    """`value` as YYYY-MM-DD when it can be read unambiguously, else None."""
    if not value:
        return None
    parsed = parse_date(str(value))
    return parsed.isoformat() if parsed else None
