"""Periods of the time slider: a year, a quarter, a month, a week or a day, as written in the URL
(pure).

A period is a string that says its own frequency: ``2020`` (a year), ``2020Q3`` (a quarter),
``2020-07`` (a month), ``2020-W05`` (an ISO week, Monday to Sunday), ``2020-01-27`` (a day). The
slider works in numbers that mean the same thing whatever the dataset, so the events that move it
need no table to turn a position into a period: *month numbers* (``year * 12 + month - 1`` of a
period's first month; step 12, 3 or 1) for years, quarters and months, and ``DAY_BASE`` + *day
numbers* (days since 1970-01-01 of a period's first day; step 7 or 1) for weeks and days. The two
ranges do not overlap (month numbers stay below ``DAY_BASE``), so a value says which it is.

Brushing on the timeline snaps to whole periods (:func:`snap`): a drag from late 2017 to late 2021
at the yearly step gives 2018-01-01 .. 2021-12-31, the bars the drag covered.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

FREQ_MONTHS = {"year": 12, "quarter": 3, "month": 1}
FREQ_DAYS = {"week": 7, "day": 1}
#: every step, coarsest first
FREQS = ("year", "quarter", "month", "week", "day")
#: slider values of weeks and days start here (month numbers of years up to 9999 stay below it)
DAY_BASE = 1_000_000
_EPOCH = date(1970, 1, 1)
_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|-(\d{2})|-W(\d{2})|-(\d{2})-(\d{2}))?$")


def _start_of(period: str | None) -> tuple[date, str] | None:
    """First day and frequency of a period string, or None when it is not one."""
    if not period:
        return None
    m = _PERIOD.match(period.strip())
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(2):
            return date(year, (int(m.group(2)) - 1) * 3 + 1, 1), "quarter"
        if m.group(4):
            return date.fromisocalendar(year, int(m.group(4)), 1), "week"
        if m.group(5):
            return date(year, int(m.group(5)), int(m.group(6))), "day"
        if m.group(3):
            return date(year, int(m.group(3)), 1), "month"
    except ValueError:  # month 13, week 54, 30 February
        return None
    return date(year, 1, 1), "year"


def parse(period: str | None) -> tuple[int, int, str] | None:
    """(year, first month, frequency) of a period string, or None when it is not one."""
    found = _start_of(period)
    if found is None:
        return None
    first, freq = found
    return first.year, first.month, freq


def freq_of(period: str) -> str:
    parsed = parse(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    return parsed[2]


def label(year: int, month: int, freq: str) -> str:
    """The period string of the ``freq`` period holding ``year``-``month`` (its first day)."""
    if freq in FREQ_DAYS:
        return label_of(date(year, month, 1), freq)
    if freq == "year":
        return f"{year}"
    if freq == "quarter":
        return f"{year}Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def label_of(day: date, freq: str) -> str:
    """The period string of the ``freq`` period holding ``day``."""
    if freq == "day":
        return day.isoformat()
    if freq == "week":
        iso = day.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return label(day.year, day.month, freq)


def _end_of(first: date, freq: str) -> date:
    if freq in FREQ_DAYS:
        return first + timedelta(days=FREQ_DAYS[freq] - 1)
    last_month = first.month + FREQ_MONTHS[freq] - 1
    return date(first.year, last_month, calendar.monthrange(first.year, last_month)[1])


def bounds(period: str) -> tuple[str, str]:
    """First and last day of a period, as ISO dates."""
    found = _start_of(period)
    if found is None:
        raise ValueError(f"not a period: {period!r}")
    first, freq = found
    return first.isoformat(), _end_of(first, freq).isoformat()


def to_value(period: str | None) -> int | None:
    """The slider value of a period: the month number of its first month, or for a week or a day
    ``DAY_BASE`` + the day number of its first day (None for no period)."""
    found = _start_of(period)
    if found is None:
        return None
    first, freq = found
    if freq in FREQ_DAYS:
        return DAY_BASE + (first - _EPOCH).days
    return first.year * 12 + first.month - 1


def step(freq: str) -> int:
    """The slider's step at ``freq`` (in month numbers or day numbers)."""
    return FREQ_MONTHS.get(freq) or FREQ_DAYS[freq]


def from_value(value: object, freq: str) -> str | None:
    """The ``freq`` period holding slider value ``value`` (None for a value that is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or freq not in FREQS:
        return None
    number = int(value)
    if number >= DAY_BASE:
        if number - DAY_BASE > (date(9999, 12, 31) - _EPOCH).days:
            return None
        return label_of(_EPOCH + timedelta(days=number - DAY_BASE), freq)
    if not 0 <= number < 10000 * 12:
        return None
    return label(number // 12, number % 12 + 1, freq)


def convert(period: str | None, freq: str) -> str | None:
    """The ``freq`` period holding the first day of ``period`` (a new timeline step)."""
    found = _start_of(period)
    if found is None or freq not in FREQS:
        return None
    return label_of(found[0], freq)


def display(period: str, lang: str) -> str:
    """A period as people read it: ``2020 年``, ``2020 年第 3 季度``, ``2020 Q3``, ``2020-07``,
    ``2020 年第 5 周（1月27日–2月2日）``, ``2020-W05 (27 Jan–2 Feb)``, ``2020-01-27``."""
    first, freq = _start_of(period) or (date(1, 1, 1), "year")
    year, month = first.year, first.month
    if freq == "year":
        return f"{year} 年" if lang == "zh" else f"{year}"
    if freq == "quarter":
        q = (month - 1) // 3 + 1
        return f"{year} 年第 {q} 季度" if lang == "zh" else f"{year} Q{q}"
    if freq == "week":
        last = _end_of(first, freq)
        iso = first.isocalendar()
        if lang == "zh":
            span = f"{first.month}月{first.day}日–{last.month}月{last.day}日"
            return f"{iso[0]} 年第 {iso[1]} 周（{span}）"
        span = f"{first.day} {first:%b}–{last.day} {last:%b}"
        return f"{iso[0]}-W{iso[1]:02d} ({span})"
    if freq == "day":
        return f"{year} 年 {month} 月 {first.day} 日" if lang == "zh" else first.isoformat()
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


def _start(when: datetime, freq: str) -> datetime:
    """The first day of the ``freq`` period holding ``when``."""
    if freq == "day":
        return datetime(when.year, when.month, when.day)
    if freq == "week":
        monday = when.date() - timedelta(days=when.weekday())
        return datetime(monday.year, monday.month, monday.day)
    months = FREQ_MONTHS[freq]
    return datetime(when.year, (when.month - 1) // months * months + 1, 1)


def _next(start: datetime, freq: str) -> datetime:
    if freq in FREQ_DAYS:
        return start + timedelta(days=FREQ_DAYS[freq])
    n = start.year * 12 + start.month - 1 + FREQ_MONTHS[freq]
    return datetime(n // 12, n % 12 + 1, 1)


def _nearest_boundary(when: datetime, freq: str) -> datetime:
    start = _start(when, freq)
    end = _next(start, freq)
    return start if when - start <= end - when else end


def snap(lo: str, hi: str, freq: str) -> tuple[str, str]:
    """A brushed range snapped to whole periods of ``freq``: each end moves to the nearest period
    boundary; a drag inside one period selects that period. Returns ISO (first day, last day)."""
    a, b = sorted((_when(lo), _when(hi)))
    start, end = _nearest_boundary(a, freq), _nearest_boundary(b, freq)
    if end <= start:  # a short drag: the period under its middle
        middle = a + (b - a) / 2
        start = _start(middle, freq)
        end = _next(start, freq)
    return start.date().isoformat(), (end - timedelta(days=1)).date().isoformat()
