"""The values rows are grouped and stratified by: metadata columns, the model's
labels, the document (`id`), and periods (day, week, month, quarter, year) read
from a date column.

Dates are read column-wide: numeric dates such as 05/04/2024 are read day first
or month first for the whole column, from the values that can only be one or the
other (13/04/2024), or as the caller says; a column whose numeric dates could be
either, with nothing to tell, is an error that names the option to set.
"""

from collections.abc import Sequence
from datetime import date

from framing.errors import InputError
from framing.findings.scores import ScoreRow, Scores
from framing.text.dates import numeric_order, parse_date

PERIODS = ("day", "week", "month", "quarter", "year")
NO_VALUE = "(none)"
NO_DATE = "(no date)"


def period(day: date, unit: str) -> str:
    """The period `day` falls in, as text that sorts in time order."""
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def day_first_of(values: Sequence[str], column: str, day_first: bool | None) -> bool:
    """Whether the column's numeric dates are day first (see the module doc)."""
    if day_first is not None:
        return day_first
    orders = {numeric_order(value) for value in values} - {None}
    if {"day", "month"} <= orders:
        raise InputError(
            f"the dates in column {column!r} are written both day first (as "
            "13/04/2024) and month first (as 04/13/2024); make them one way, "
            "ideally 2024-04-13"
        )
    if "day" in orders:
        return True
    if "month" in orders:
        return False
    if "either" in orders:
        raise InputError(
            f"the dates in column {column!r} (such as 05/04/2024) could be day or "
            "month first; say which with --day-first or --month-first"
        )
    return True  # no numeric dates: it does not matter


class Keys:
    """For each row, the values of the grouping keys (metadata columns, heads, or
    periods of the date column)."""

    def __init__(
        self,
        scores: Scores,
        keys: Sequence[str],
        *,
        date_column: str = "date",
        day_first: bool | None = None,
    ):
        self.keys = list(keys)
        self.metadata = set(scores.metadata_columns)
        self.heads = set(scores.heads)
        known = sorted(self.metadata | self.heads)
        self.dates: dict[str, date | None] = {}
        # Rows whose date is written but could not be read: they go under
        # NO_DATE, and the user should hear of it (with one as an example).
        self.unread_dates, self.unread_example = 0, ""
        for key in self.keys:
            if key in self.metadata or key in self.heads or key == "id":
                continue
            if key not in PERIODS:
                raise InputError(
                    f"{scores.path} has no column {key!r} to group by; use one of "
                    f"{', '.join(['id', *known, *PERIODS])}"
                )
            if date_column not in self.metadata:
                raise InputError(
                    f"grouping by {key} needs a {date_column!r} column in "
                    f"{scores.path}; it has {', '.join(known) or 'none'}"
                )
        if any(key in PERIODS and key not in self.metadata for key in self.keys):
            values = sorted({row.metadata.get(date_column, "") for row in scores.rows})
            first = day_first_of(values, date_column, day_first)
            self.dates = {value: parse_date(value, day_first=first) for value in values}
            unread = {v for v, d in self.dates.items() if d is None and v.strip()}
            self.unread_dates = sum(
                row.metadata.get(date_column, "") in unread for row in scores.rows
            )
            self.unread_example = min(unread, default="")
        self.date_column = date_column

    def is_time(self, key: str) -> bool:
        return key in PERIODS and key not in self.metadata

    def value(self, row: ScoreRow, key: str) -> str:
        if key in self.metadata:
            return row.metadata.get(key) or NO_VALUE
        if key in self.heads:
            return row.labels.get(key) or NO_VALUE
        if key == "id":
            return row.id
        parsed = self.dates.get(row.metadata.get(self.date_column, ""))
        return period(parsed, key) if parsed else NO_DATE

    def of(self, row: ScoreRow, keys: Sequence[str] | None = None) -> tuple[str, ...]:
        return tuple(self.value(row, key) for key in (keys or self.keys))
