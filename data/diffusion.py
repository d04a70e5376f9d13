"""Policy diffusion: when each region first adopted a policy, and how adoption spread.

Pure query functions in the style of ``data.query``: a :class:`~data.query.PolicyIndex` and a
:class:`~data.state.ViewState` in, small frames out. Diffusion is a story over the whole time axis,
so these views apply every filter *except the date and the region ones*: "the first policy offering
subsidies" is the first such row, whatever dates the rest of the page is narrowed to (the current
period is marked on the curve instead). Undated rows cannot be placed in time and are counted in
``attrs["undated"]``. A date keeps its precision: a row dated only to a month is first *in that
month*, never on its 1st (``first_end`` is the last day it may be; the curve counts it from then,
and a step finer than its date gives it a class of its own, "dated to the month only").

The time step (``ViewState.freq``: year, quarter, month, week, day) is offered when the dates
support it (:func:`dense_freqs`) and, when the link asks for none, picked from the span of the dates
in view (:func:`default_freq`: a six-week spread plays by week).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from data import periods, query
from data.query import FINENESS, FREQ_CODES, PolicyIndex
from data.state import ViewState

#: A step is offered for the time slider when at least this share of its periods (first to last
#: dated policy) holds a policy, and there are at most ``MAX_FRAMES`` of them.
DENSE_SHARE = 0.5
MAX_FRAMES = 160
#: The default step is the coarsest offered one with at least this many periods in view.
MIN_STEPS = 3


def undated_state(state: ViewState) -> ViewState:
    """The state without its date filter (range and period): the diffusion views' selection."""
    return replace(state, date_from=None, date_to=None, period=None)


def _region_codes(idx: PolicyIndex, level: str) -> tuple[np.ndarray, np.ndarray]:
    if level == "city":
        return idx.city, idx.city_values
    return idx.province, idx.province_values


def first_adoption(
    idx: PolicyIndex, state: ViewState, adcodes: Sequence[str], level: str = "province"
) -> pd.DataFrame:
    """For each region of ``adcodes`` (in that order): its first dated policy under the current
    filters but the date and region ones.

    Columns: ``adcode``, ``first`` (Timestamp, NaT = never: the first day the date may be),
    ``first_end`` (the last day it may be: ``first`` for a date to the day), ``precision`` (of
    that date: day, month, quarter, year; "" = never), ``year`` (int, 0 = never), ``row``
    (position of that policy in the table, -1 = never; the earliest in table order on a tie),
    ``policies`` (dated policies of the region under the filters).
    """
    codes, values = _region_codes(idx, level)
    mask = query.selection(idx, undated_state(state), except_dim="region")
    # earliest day first, then table order, per region: sorted once per index, so a view is a
    # gather (O(rows)) instead of a sort; the first row of each code is its first adoption
    order = idx.dated_by_region(level)
    rows = order[mask[order]]
    region = codes[rows]
    firsts = rows[np.r_[True, region[1:] != region[:-1]]] if len(rows) else rows
    # at least one slot: a table that places no row has no region values (every slot is -1)
    counts = np.bincount(region, minlength=max(len(values), 1))
    slot = pd.Index(values).get_indexer(list(adcodes))
    first_row = np.full(max(len(values), 1), -1, dtype=np.int64)
    first_row[codes[firsts]] = firsts
    row = np.where(slot >= 0, first_row[np.maximum(slot, 0)], -1)
    days = idx.day if len(idx.day) else np.zeros(1, dtype=idx.day.dtype)  # an empty table
    day = np.where(row >= 0, days[np.maximum(row, 0)], 0)
    first = pd.to_datetime(np.where(row >= 0, day, np.iinfo(np.int64).min).astype("datetime64[D]"))
    out = pd.DataFrame({"adcode": list(adcodes), "first": first, "row": row})
    out["year"] = out["first"].dt.year.fillna(0).astype(int)
    ends = idx.day_end if len(idx.day_end) else np.zeros(1, dtype=idx.day_end.dtype)
    end = np.where(row >= 0, ends[np.maximum(row, 0)], np.iinfo(np.int64).min)
    out["first_end"] = pd.to_datetime(end.astype("datetime64[D]"))
    precision = idx.frame["date_precision"].astype("object").to_numpy()
    if not len(precision):  # an empty table
        precision = np.array([""], dtype=object)
    out["precision"] = np.where(row >= 0, precision[np.maximum(row, 0)], "")
    out["policies"] = np.where(slot >= 0, counts[np.maximum(slot, 0)], 0).astype(int)
    out.attrs["undated"] = int((mask & ~idx.dated & (codes >= 0)).sum())
    return out


def adoption_curve(
    idx: PolicyIndex, state: ViewState, adcodes: Sequence[str], level: str = "province"
) -> pd.DataFrame:
    """How many of ``adcodes`` had at least one policy by the end of each period (``state.freq``),
    over every period from the table's first to its last dated row. A region whose first date is
    known only to a month (a quarter, a year) counts from the period holding its last day.

    Columns: ``period`` (str, ``data.periods``), ``start``, ``end`` (Timestamps), ``new`` (regions
    whose first policy fell in the period), ``adopted`` (by its end), ``share`` (% of ``adcodes``).
    ``attrs["steps"]``: the empirical cumulative curve itself (:func:`adoption_steps`).
    """
    frame = first_adoption(idx, state, adcodes, level)
    span = query.period_range(idx, state.freq)
    firsts = frame.loc[frame["row"] >= 0, "first_end"]
    if len(span):
        pos = pd.DatetimeIndex(firsts).to_period(FREQ_CODES[state.freq]).asi8 - span.asi8[0]
        new = np.bincount(pos, minlength=len(span))[: len(span)]
    else:
        new = np.zeros(0, dtype=int)
    out = pd.DataFrame(
        {
            "period": [_period_string(p, state.freq) for p in span],
            "start": span.start_time,
            "end": span.end_time.normalize(),
            "new": new.astype(int),
        }
    )
    out["adopted"] = out["new"].cumsum().astype(int)
    out["share"] = out["adopted"] / len(adcodes) * 100 if len(adcodes) else 0.0
    out.attrs["regions"] = len(adcodes)
    out.attrs["undated"] = frame.attrs["undated"]
    out.attrs["steps"] = adoption_steps(frame)
    return out


def adoption_steps(frame: pd.DataFrame) -> pd.DataFrame:
    """The empirical cumulative curve of a :func:`first_adoption` frame: one row per distinct
    day on which regions adopted, ``date`` (the first date; for a date known only to the month,
    its last day: from then it had surely adopted), ``new``, ``adopted`` (running total) and
    ``coarse`` (how many of the ``new`` are dated only to a month, quarter or year)."""
    seen = frame[frame["row"] >= 0]
    coarse = seen["precision"].isin(("month", "quarter", "year"))
    when = seen["first"].where(~coarse, seen["first_end"])
    steps = (
        pd.DataFrame({"date": when.to_numpy(), "new": 1, "coarse": coarse.astype(int).to_numpy()})
        .groupby("date", as_index=False)
        .sum()
        .sort_values("date", ignore_index=True)
    )
    steps["adopted"] = steps["new"].cumsum().astype(int)
    return steps


@dataclass(frozen=True)
class Curve:
    """One adoption curve: ``dimension``/``code`` name the compared value (None: every policy
    the filters keep)."""

    dimension: str | None
    code: str | None
    frame: pd.DataFrame


def compared_curves(
    idx: PolicyIndex, state: ViewState, adcodes: Sequence[str], level: str = "province"
) -> list[Curve]:
    """The adoption curve of the current filters and, when two or more values of a categorical
    dimension are picked (e.g. subsidy and cash reward), one curve per picked value: adoption of
    each policy instrument, compared. Only the first such dimension (registry order) is split."""
    curves = [Curve(None, None, adoption_curve(idx, state, adcodes, level))]
    for category in idx.dimensions.values():
        picked = state.picked(category.id)
        if len(picked) >= 2:
            for code in picked:
                one = state.with_picked(category.id, (code,))
                curves.append(Curve(category.id, code, adoption_curve(idx, one, adcodes, level)))
            break
    return curves


def busiest(idx: PolicyIndex, state: ViewState, level: str = "province") -> int:
    """The most policies any region has in one period of ``state.freq`` (or, ``cumulative``, up
    to the last period) under the filters but the date and region ones: the top of a colour
    scale that stays the same while the slider moves, so colours compare across periods."""
    codes, _ = _region_codes(idx, level)
    keep = query.selection(idx, undated_state(state), except_dim="region") & idx.dated
    keep &= codes >= 0
    if not keep.any():
        return 0
    if state.cumulative:
        return int(np.bincount(codes[keep]).max())
    keep &= ~idx.too_coarse(state.freq)  # the map at a period does not draw them
    if not keep.any():
        return 0
    days = pd.DatetimeIndex(idx.day[keep].astype("datetime64[D]"))
    slot = days.to_period(FREQ_CODES[state.freq]).asi8
    pairs = pd.Series(1, index=pd.MultiIndex.from_arrays([codes[keep], slot]))
    return int(pairs.groupby(level=[0, 1]).sum().max())


def _period_string(period: pd.Period, freq: str) -> str:
    return periods.label_of(period.start_time.date(), freq)


def _in_view(idx: PolicyIndex, state: ViewState | None) -> np.ndarray:
    """The dated rows whose day is in the view's date range (every row without one)."""
    keep = idx.dated.copy()
    if state is not None and state.date_from:
        keep &= idx.day >= query.day_number(state.date_from)
    if state is not None and state.date_to:
        keep &= idx.day <= query.day_number(state.date_to)
    return keep


def slider_periods(idx: PolicyIndex, freq: str, state: ViewState | None = None) -> list[str]:
    """Every period of ``freq`` from the table's first to its last dated row (the slider's
    stops; fixed by the table, not by the filters, so the slider does not jump), within the
    view's date range if it has one."""
    stops = [_period_string(p, freq) for p in query.period_range(idx, freq)]
    return stops if state is None else _within(stops, state)


_FINENESS_OF: weakref.WeakKeyDictionary[PolicyIndex, np.ndarray] = weakref.WeakKeyDictionary()


def row_fineness(idx: PolicyIndex) -> np.ndarray:
    """Each row's date precision as its ``FINENESS`` rank (0 when unknown), computed once per
    index: a table of a million rows asks for it on every click (a loop over the rows cost
    ~0.2 s a call, seven calls a click)."""
    known = _FINENESS_OF.get(idx)
    if known is None:
        codes = pd.Categorical(idx.frame["date_precision"].astype("object"))
        ranks = [FINENESS.get(str(c), 0) for c in codes.categories]
        known = np.array([*ranks, 0], dtype=np.int8)[codes.codes]  # code -1 (missing): 0
        _FINENESS_OF[idx] = known
    return known


_DENSE: weakref.WeakKeyDictionary[PolicyIndex, dict[tuple, tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def dense_freqs(idx: PolicyIndex, state: ViewState | None = None) -> tuple[str, ...]:
    """The steps the time slider offers: years always; a finer step (quarter, month, week, day)
    when the dates in view (the date range's) span at most ``MAX_FRAMES`` of its periods and at
    least ``DENSE_SHARE`` of them hold a policy dated at least that finely. Kept per table and
    date range (a view asks seven times; a million rows take ~60 ms a time)."""
    key = (state.date_from, state.date_to) if state is not None else (None, None)
    memo = _DENSE.setdefault(idx, {})
    if key not in memo:
        if len(memo) >= 64:
            memo.clear()
        memo[key] = _dense_freqs(idx, state)
    return memo[key]


def _dense_freqs(idx: PolicyIndex, state: ViewState | None) -> tuple[str, ...]:
    out = ["year"]
    keep = _in_view(idx, state)
    if not keep.any():
        return tuple(out)
    days = idx.day[keep]
    fineness = row_fineness(idx)[keep]
    lo = pd.Timestamp(np.datetime64(int(days.min()), "D"))
    hi = pd.Timestamp(np.datetime64(int(days.max()), "D"))
    for freq in ("quarter", "month", "week", "day"):
        span = pd.period_range(lo, hi, freq=FREQ_CODES[freq])
        if not len(span) or len(span) > MAX_FRAMES:
            continue
        fine = days[fineness <= FINENESS[freq]].astype("datetime64[D]")
        filled = np.unique(pd.DatetimeIndex(fine).to_period(FREQ_CODES[freq]).asi8).size
        if filled / len(span) >= DENSE_SHARE:
            out.append(freq)
    return tuple(out)


def default_freq(idx: PolicyIndex, state: ViewState | None = None) -> str:
    """The step a view with none asked plays by: the coarsest offered step with at least
    ``MIN_STEPS`` periods over the dates in view (years over a decade; weeks over six weeks),
    else the finest offered one."""
    offered = dense_freqs(idx, state)
    keep = _in_view(idx, state)
    if not keep.any():
        return "year"
    lo = pd.Timestamp(np.datetime64(int(idx.day[keep].min()), "D"))
    hi = pd.Timestamp(np.datetime64(int(idx.day[keep].max()), "D"))
    for freq in offered:
        if len(pd.period_range(lo, hi, freq=FREQ_CODES[freq])) >= MIN_STEPS:
            return freq
    return offered[-1]


def with_step(idx: PolicyIndex, state: ViewState) -> ViewState:
    """``state`` with its step picked from the data when the link asks for none: the period's
    own step when it names one (``period=2020-W05``), else :func:`default_freq`."""
    if state.freq_from != "data":
        return state
    freq = periods.freq_of(state.period) if state.period else default_freq(idx, state)
    return state if freq == state.freq else replace(state, freq=freq)


def frame_periods(idx: PolicyIndex, state: ViewState) -> list[str]:
    """The periods an animation of the map steps through: the slider's, at the view's step when
    the data is dense enough for it (else by year), within the view's date range if it has one."""
    freq = state.freq if state.freq in dense_freqs(idx, state) else "year"
    return slider_periods(idx, freq, state)


def year_periods(idx: PolicyIndex, state: ViewState | None = None) -> list[str]:
    """One period per year (the small multiples), within the view's date range if it has one."""
    return _within(slider_periods(idx, "year"), state or ViewState())


def _within(stops: list[str], state: ViewState) -> list[str]:
    lo, hi = state.date_from or "0000", state.date_to or "9999"
    return [p for p in stops if periods.bounds(p)[1] >= lo and periods.bounds(p)[0] <= hi]
