"""Periods of the time slider: a year, a quarter or a month, as written in the URL (pure).

A period is a string that says its own frequency: ``2020`` (a year), ``2020Q3`` (a quarter),
``2020-07`` (a month). The slider works in *month numbers* (``year * 12 + month - 1`` of a
period's first month) so its value means the same thing whatever the dataset: its step is 12, 3 or
1 months and the events that move it need no table to turn a position into a period.

Brushing on the timeline snaps to whole periods (:func:`snap`): a drag from late 2017 to late 2021
at the yearly step gives 2018-01-01 .. 2021-12-31, the bars the drag covered.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

FREQ_MONTHS = {"year": 12, "quarter": 3, "month": 1}
_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(\d{2}))?$")


def parse(period: str | None) -> tuple[int, int, str] | None:
    """(year, first month, frequency) of a period string, or None when it is not one."""
    if not period:
        return None
    m = _PERIOD.match(period.strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        return year, (int(m.group(2)) - 1) * 3 + 1, "quarter"
    if m.group(3):
        month = int(m.group(3))
        return (year, month, "month") if 1 <= month <= 12 else None
    return year, 1, "year"


def freq_of(period: str) -> str:
    parsed = parse(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    return parsed[2]


def label(year: int, month: int, freq: str) -> str:
    """The period string of the ``freq`` period holding ``year``-``month``."""
    if freq == "year":
        return f"{year}"
    if freq == "quarter":
        return f"{year}Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def bounds(period: str) -> tuple[str, str]:
    """First and last day of a period, as ISO dates."""
    parsed = parse(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    year, month, freq = parsed
    last_month = month + FREQ_MONTHS[freq] - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, month, 1).isoformat(), date(year, last_month, last_day).isoformat()


def to_value(period: str | None) -> int | None:
    """The slider value of a period: the month number of its first month (None for no period)."""
    parsed = parse(period)
    if parsed is None:
        return None
    return parsed[0] * 12 + parsed[1] - 1


def from_value(value: object, freq: str) -> str | None:
    """The ``freq`` period holding month number ``value`` (None for a value that is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or freq not in FREQ_MONTHS:
        return None
    number = int(value)
    if not 0 <= number < 10000 * 12:
        return None
    return label(number // 12, number % 12 + 1, freq)


def convert(period: str | None, freq: str) -> str | None:
    """The ``freq`` period holding the first month of ``period`` (a new timeline step)."""
    return from_value(to_value(period), freq)


def display(period: str, lang: str) -> str:
    """A period as people read it: ``2020 年``, ``2020 年第 3 季度``, ``2020 Q3``, ``2020-07``."""
    year, month, freq = parse(period) or (0, 1, "year")
    if freq == "year":
        return f"{year} 年" if lang == "zh" else f"{year}"
    if freq == "quarter":
        q = (month - 1) // 3 + 1
        return f"{year} 年第 {q} 季度" if lang == "zh" else f"{year} Q{q}"
    return f"{year} 年 {month} 月" if lang == "zh" else f"{year}-{month:02d}"


def _when(value: str) -> datetime:
    """A plotly axis value ("2017-11-24", "2017-11-24 03:12:45.123") as a datetime."""
    text = value.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:26], fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def _start(year: int, month: int, freq: str) -> datetime:
    months = FREQ_MONTHS[freq]
    return datetime(year, (month - 1) // months * months + 1, 1)


def _next(start: datetime, freq: str) -> datetime:
    n = start.year * 12 + start.month - 1 + FREQ_MONTHS[freq]
    return datetime(n // 12, n % 12 + 1, 1)


def _nearest_boundary(when: datetime, freq: str) -> datetime:
    start = _start(when.year, when.month, freq)
    end = _next(start, freq)
    return start if when - start <= end - when else end


def snap(lo: str, hi: str, freq: str) -> tuple[str, str]:
    """A brushed range snapped to whole periods of ``freq``: each end moves to the nearest period
    boundary; a drag inside one period selects that period. Returns ISO (first day, last day)."""
    a, b = sorted((_when(lo), _when(hi)))
    start, end = _nearest_boundary(a, freq), _nearest_boundary(b, freq)
    if end <= start:  # a short drag: the period under its middle
        middle = a + (b - a) / 2
        start = _start(middle.year, middle.month, freq)
        end = _next(start, freq)
    return start.date().isoformat(), (end - timedelta(days=1)).date().isoformat()
