"""Policy diffusion: when each region first adopted a policy, and how adoption spread.

Pure query functions in the style of ``data.query``: a :class:`~data.query.PolicyIndex` and a
:class:`~data.state.ViewState` in, small frames out. Diffusion is a story over the whole time axis,
so these views apply every filter *except the date and the region ones*: "the first policy offering
subsidies" is the first such row, whatever dates the rest of the page is narrowed to (the current
period is marked on the curve instead). Undated rows cannot be placed in time and are counted in
``attrs["undated"]``; rows dated only to a year count from that year's first day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from data import periods, query
from data.query import FREQ_CODES, PolicyIndex
from data.state import ViewState

#: A step is offered for the time slider when at least this share of its periods (first to last
#: dated policy) holds a policy, and there are at most ``MAX_FRAMES`` of them.
DENSE_SHARE = 0.5
MAX_FRAMES = 160


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

    Columns: ``adcode``, ``first`` (Timestamp, NaT = never), ``year`` (int, 0 = never), ``row``
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
    out["policies"] = np.where(slot >= 0, counts[np.maximum(slot, 0)], 0).astype(int)
    out.attrs["undated"] = int((mask & ~idx.dated & (codes >= 0)).sum())
    return out


def adoption_curve(
    idx: PolicyIndex, state: ViewState, adcodes: Sequence[str], level: str = "province"
) -> pd.DataFrame:
    """How many of ``adcodes`` had at least one policy by the end of each period (``state.freq``),
    over every period from the table's first to its last dated row.

    Columns: ``period`` (str, ``data.periods``), ``start``, ``end`` (Timestamps), ``new`` (regions
    whose first policy fell in the period), ``adopted`` (by its end), ``share`` (% of ``adcodes``).
    """
    frame = first_adoption(idx, state, adcodes, level)
    span = query.period_range(idx, state.freq)
    firsts = frame.loc[frame["row"] >= 0, "first"]
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
    return out


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
    days = pd.DatetimeIndex(idx.day[keep].astype("datetime64[D]"))
    slot = days.to_period(FREQ_CODES[state.freq]).asi8
    pairs = pd.Series(1, index=pd.MultiIndex.from_arrays([codes[keep], slot]))
    return int(pairs.groupby(level=[0, 1]).sum().max())


def _period_string(period: pd.Period, freq: str) -> str:
    return periods.label(period.year, period.month if freq != "year" else 1, freq)


def slider_periods(idx: PolicyIndex, freq: str) -> list[str]:
    """Every period of ``freq`` from the table's first to its last dated row (the slider's
    stops; fixed by the table, not by the filters, so the slider does not jump)."""
    return [_period_string(p, freq) for p in query.period_range(idx, freq)]


def dense_freqs(idx: PolicyIndex) -> tuple[str, ...]:
    """The steps the time slider offers: years always; quarters and months when at least
    ``DENSE_SHARE`` of their periods hold a dated policy (and there are at most ``MAX_FRAMES``)."""
    out = ["year"]
    for freq in ("quarter", "month"):
        span = query.period_range(idx, freq)
        if not len(span) or len(span) > MAX_FRAMES:
            continue
        dates = pd.DatetimeIndex(idx.day[idx.dated].astype("datetime64[D]"))
        filled = np.unique(dates.to_period(FREQ_CODES[freq]).asi8).size
        if filled / len(span) >= DENSE_SHARE:
            out.append(freq)
    return tuple(out)


def frame_periods(idx: PolicyIndex, state: ViewState) -> list[str]:
    """The periods an animation of the map steps through: the slider's, at the view's step when
    the data is dense enough for it (else by year), within the view's date range if it has one."""
    freq = state.freq if state.freq in dense_freqs(idx) else "year"
    return _within(slider_periods(idx, freq), state)


def year_periods(idx: PolicyIndex, state: ViewState | None = None) -> list[str]:
    """One period per year (the small multiples), within the view's date range if it has one."""
    return _within(slider_periods(idx, "year"), state or ViewState())


def _within(stops: list[str], state: ViewState) -> list[str]:
    lo, hi = state.date_from or "0000", state.date_to or "9999"
    return [p for p in stops if periods.bounds(p)[1] >= lo and periods.bounds(p)[0] <= hi]
