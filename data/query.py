"""Pure query functions: (policy index, view state) in, small frames out.

Cross-filtering follows crossfilter/dc.js: each view shows the rows selected by every active
filter *except its own dimension*, and marks its own selection. So after a click on Guangdong the
map still shows every province (the others dimmed) while the timeline, breakdowns and table show
Guangdong only.

The work is independent of how the rows are spelled: :class:`PolicyIndex` encodes each dimension
once as integer codes and boolean matrices, so a filter is a handful of vectorised comparisons
and a count is a ``bincount``. Nothing here imports Dash or plotly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from data import measures
from data.dimensions import CATEGORIES, CATEGORY, FILTERS, OTHER, Category
from data.state import ViewState
from geodata import gazetteer

FREQ_CODES = {"year": "Y", "quarter": "Q", "month": "M", "week": "W-SUN", "day": "D"}
#: How fine each date precision is, finest first: a period finer than a row's date cannot hold it
#: (a date known to the month is in no one week of that month, and not on its 1st).
FINENESS = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing or empty) and the sorted distinct values (as text).

    Works on the categories, not the rows: a categorical column (``data.load``) is not expanded,
    and any other column is factorised once."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), np.asarray(values.cat.categories, object)
    else:
        codes, found = pd.factorize(values, use_na_sentinel=True)
        uniques = np.asarray(found, dtype=object)
    text = np.array(["" if _missing(v) else str(v) for v in uniques], dtype=object)
    kept = np.flatnonzero(text != "")
    distinct, inverse = np.unique(text[kept], return_inverse=True)
    remap = np.full(len(uniques) + 1, -1, dtype=np.int32)  # the last slot: code -1 stays -1
    remap[kept] = inverse
    return remap[np.asarray(codes, dtype=np.int64)], np.asarray(distinct, dtype=object)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]


@dataclass(eq=False)
class Encoded:
    """One categorical dimension, encoded: ``values`` the distinct codes (sorted); a single-valued
    column as ``codes`` (int index into ``values``, -1 when missing), a multi-valued one (a tuple
    per row) as a boolean ``matrix`` (rows x values)."""

    values: np.ndarray
    codes: np.ndarray | None = None
    matrix: np.ndarray | None = None

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(row, value) of every True in ``matrix``: counts become one ``bincount``."""
        assert self.matrix is not None
        rows, cols = np.nonzero(self.matrix)
        small = np.int32 if len(self.matrix) < 2**31 else np.int64  # half the memory
        return rows.astype(small), cols.astype(small)

    def mask(self, wanted: Sequence[str]) -> np.ndarray:
        """Rows having any of ``wanted``."""
        if self.matrix is not None:
            cols = np.flatnonzero(np.isin(self.values, list(wanted)))
            return np.asarray(self.matrix[:, cols].any(axis=1), dtype=bool)
        assert self.codes is not None
        return _in(self.codes, self.values, wanted)

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Rows of ``mask`` per value (a row with several values counts in each)."""
        if self.matrix is not None:
            rows, cols = self.pairs
            return np.bincount(cols[mask[rows]], minlength=len(self.values))
        assert self.codes is not None
        return np.bincount(self.codes[mask & (self.codes >= 0)], minlength=len(self.values))


def _encode(column: pd.Series, multi: bool) -> Encoded:
    if not multi:
        codes, values = _codes(column)
        return Encoded(values=values, codes=codes)
    # each distinct cell once (a million rows hold a few hundred tuples): hashed, faster than
    # telling the shared tuples apart by identity; unhashable cells (lists) by identity, where
    # equal lists that are separate objects only give the small matrix a repeated row
    cells = column.to_numpy(dtype=object)
    try:
        combos, distinct = pd.factorize(cells, use_na_sentinel=False)
    except TypeError:
        combos, ids = pd.factorize(np.fromiter(map(id, cells), dtype=np.uint64, count=len(cells)))
        first = np.empty(len(ids), dtype=np.int64)
        first[combos[::-1]] = np.arange(len(cells))[::-1]
        distinct = cells[first]
    uniques = [tuple(v) if isinstance(v, list | tuple) else () for v in distinct]
    values = np.array(sorted({i for combo in uniques for i in combo}), dtype=object)
    lookup = {v: j for j, v in enumerate(values)}
    small = np.zeros((len(uniques), len(values)), dtype=bool)
    for i, combo in enumerate(uniques):
        for v in combo:
            small[i, lookup[v]] = True
    matrix = small[combos] if len(column) else np.zeros((0, len(values)), dtype=bool)
    return Encoded(values=values, matrix=matrix)


@dataclass(eq=False)
class PolicyIndex:
    """The canonical policy frame, encoded once for fast filtering (see :func:`build_index`)."""

    frame: pd.DataFrame
    province: np.ndarray  # int codes into province_values
    province_values: np.ndarray
    city: np.ndarray
    city_values: np.ndarray
    day: np.ndarray  # days since epoch, or INT_MIN when undated
    dated: np.ndarray
    categories: dict[str, Encoded]  # one per bundled dimension and per own one of the table
    work_report: np.ndarray
    amount: np.ndarray
    national: np.ndarray
    #: the table's dimensions (``data.dimensions.dimensions_of``), by id
    dimensions: dict[str, Category] = field(default_factory=lambda: dict(CATEGORY))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _derived: dict[tuple, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.frame)

    @cached_property
    def search_text(self) -> pd.Series:
        cols = [
            c
            for c in (
                "title_zh",
                "title_en",
                "issuer_zh",
                "issuer_en",
                "summary_en",
                "province_zh",
                "city_zh",
                "district_zh",
            )
            if c in self.frame
        ]
        # Column by column (vectorised); the same text as joining each row's cells with spaces.
        parts = [self.frame[c].astype("object").fillna("").astype(str) for c in cols]
        # English place names too, so "Guangdong" finds what the English interface shows
        for c in ("province_adcode", "city_adcode", "district_adcode"):
            if c in self.frame:
                codes = self.frame[c].astype("object")
                names = {a: gazetteer.name_of(a, "en") or "" for a in pd.unique(codes.dropna())}
                parts.append(codes.map(names).fillna("").astype(str))
        text = parts[0]
        for part in parts[1:]:
            text = text + " " + part
        return text.str.casefold()

    @cached_property
    def newest_first(self) -> np.ndarray:
        """Every row position, newest first (undated last, ties in table order), sorted once."""
        positions = np.arange(self.n, dtype=np.int32 if self.n < 2**31 else np.int64)
        key = np.where(self.dated, -self.day, np.iinfo(np.int64).max)
        return positions[np.lexsort((positions, key))]

    def derived(self, key: tuple, build: Callable[[], Any]) -> Any:
        """A value derived from the table once and kept (a sorted order, each row's period):
        what a view would otherwise recompute over every row. Built outside the lock."""
        with self._lock:
            found = self._derived.get(key)
        if found is None:
            found = build()
            with self._lock:
                found = self._derived.setdefault(key, found)
        return found

    def dated_by_region(self, level: str) -> np.ndarray:
        """Positions of the dated rows placed at ``level`` ("province" or "city"), by region
        code, then day, then table order: sorted once, so a first adoption is a gather."""
        codes = self.city if level == "city" else self.province

        def build() -> np.ndarray:
            rows = np.flatnonzero(self.dated & (codes >= 0))
            order = rows[np.lexsort((rows, self.day[rows], codes[rows]))]
            return order.astype(np.int32) if self.n < 2**31 else order

        return self.derived(("dated_by_region", level == "city"), build)

    def region_incentive_pairs(self, level: str) -> tuple[np.ndarray, np.ndarray]:
        """(row, region code × incentives + incentive) of every placed row's incentive at
        ``level``: a region × incentive count is one gather and one ``bincount``."""
        codes = self.city if level == "city" else self.province

        def build() -> tuple[np.ndarray, np.ndarray]:
            rows, cols = self.categories["incentive"].pairs
            placed = codes[rows] >= 0
            k = len(self.categories["incentive"].values)
            keys = codes[rows[placed]].astype(np.int64) * k + cols[placed]
            small = np.int32 if keys.size == 0 or keys.max() < 2**31 else np.int64
            return rows[placed], keys.astype(small)

        return self.derived(("region_incentive_pairs", level == "city"), build)

    @cached_property
    def day_span(self) -> tuple[int, int] | None:
        """The first and last day of the dated rows (days since the epoch; the last day a date
        known only to a month or a year may be), None if none."""
        if not self.dated.any():
            return None
        return int(self.day[self.dated].min()), int(self.day_end[self.dated].max())

    def period_offsets(self, freq: str) -> np.ndarray:
        """Each row's period of ``freq`` counted from the table's first period (0 if undated)."""

        def build() -> np.ndarray:
            span = period_range(self, freq)
            out = np.zeros(self.n, dtype=np.int32)
            if len(span):
                dates = pd.DatetimeIndex(self.day[self.dated].astype("datetime64[D]"))
                out[self.dated] = dates.to_period(FREQ_CODES[freq]).asi8 - span.asi8[0]
            return out

        return self.derived(("period_offsets", freq), build)

    @cached_property
    def fineness(self) -> np.ndarray:
        """Each row's date precision as ``FINENESS`` (0, a day, when the table says none)."""
        if "date_precision" not in self.frame:
            return np.zeros(self.n, dtype=np.int8)
        found = self.frame["date_precision"].astype("object").map(FINENESS)
        return found.fillna(0).to_numpy(dtype=np.int8)

    def too_coarse(self, freq: str) -> np.ndarray:
        """The dated rows known less finely than a period of ``freq`` (a month at week step):
        no one bar of that step holds them, so none draws them (they are counted apart)."""
        return self.dated & (self.fineness > FINENESS[freq])

    @cached_property
    def day_end(self) -> np.ndarray:
        """The last day each row's date may be (its date's precision: the month's last day for a
        date known to the month; the day itself for a day), days since the epoch."""
        precision = self.frame.get("date_precision", pd.Series("day", index=self.frame.index))
        start = pd.DatetimeIndex(np.where(self.dated, self.day, 0).astype("datetime64[D]"))
        end = start.to_numpy(dtype="datetime64[D]")
        prec = precision.astype("object").to_numpy()
        for name, code in (("month", "M"), ("quarter", "Q"), ("year", "Y")):
            rows = prec == name
            if rows.any():
                end[rows] = start[rows].to_period(code).end_time.to_numpy(dtype="datetime64[D]")
        return np.where(self.dated, end.astype("int64"), self.day)

    @cached_property
    def unplaced(self) -> np.ndarray:
        return (self.frame["placed"].astype("object") == "unplaced").to_numpy()

    @cached_property
    def masks(self) -> dict[tuple, np.ndarray]:
        """Filter masks already computed, by (dimension, its settings): a view asks for the same
        dimension's mask once per other view, and one click changes one dimension. Shared by the
        requests a process serves: read and written under ``_lock``."""
        return {}


def _column(frame: pd.DataFrame, c: Category) -> pd.Series:
    """The column a dimension counts; a ``top`` dimension's other values as ``OTHER``."""
    if c.column not in frame:
        return pd.Series([None] * len(frame))
    column = frame[c.column]
    if not c.top:
        return column
    text = column.astype("object")
    kept = text.isna() | text.astype(str).str.strip().isin(c.top)
    return text.where(kept, OTHER)


def build_index(frame: pd.DataFrame, dimensions: Sequence[Category] = CATEGORIES) -> PolicyIndex:
    """Encode a canonical policy frame (see docs/ARCHITECTURE.md) for querying: every bundled
    dimension (the map's hover names incentives) and the table's own ``dimensions``."""
    province, province_values = _codes(frame["province_adcode"])
    city, city_values = _codes(frame["city_adcode"])
    dates = pd.to_datetime(frame["date"], errors="coerce")
    dated = dates.notna().to_numpy()
    day = np.where(
        dated, dates.to_numpy(dtype="datetime64[D]").astype("int64"), np.iinfo(np.int64).min
    )
    every = {**CATEGORY, **{c.id: c for c in dimensions}}
    categories = {c.id: _encode(_column(frame, c), c.multi) for c in every.values()}
    amount = pd.to_numeric(frame["amount_cny"], errors="coerce").to_numpy(dtype=float)
    wr = frame.get("is_work_report", pd.Series(False, index=frame.index))
    return PolicyIndex(
        frame=frame,
        province=province,
        province_values=province_values,
        city=city,
        city_values=city_values,
        day=day,
        dated=dated,
        categories=categories,
        work_report=wr.fillna(False).astype(bool).to_numpy(),
        amount=amount,
        national=(frame["placed"].astype("object") == "national").to_numpy(),
        dimensions={c.id: c for c in dimensions},
    )


# ------------------------------------------------------------------------------- filtering
def _in(codes: np.ndarray, values: np.ndarray, wanted: Sequence[str]) -> np.ndarray:
    want = np.flatnonzero(np.isin(values, list(wanted)))
    return np.isin(codes, want)


def day_number(iso: str) -> int:
    """An ISO date as days since 1970-01-01 (the index's ``day`` column)."""
    return int(np.datetime64(iso, "D").astype("int64"))


_MASK_CACHE_SIZE = 256
_MASK_CACHE_BYTES = 32 << 20  # at a million rows (1 MB a mask) 32 masks, not 256 MB of them


def _mask_cache_size(rows: int) -> int:
    return max(16, min(_MASK_CACHE_SIZE, _MASK_CACHE_BYTES // max(1, rows)))


def _mask_key(state: ViewState, dimension: str) -> tuple:
    if dimension == "region":
        return (dimension, state.region, state.drill)
    if dimension == "date":
        return (dimension, *state.date_window(), bool(state.period))
    if dimension == "work_reports":
        return (dimension, state.work_reports)
    if dimension == "text":
        return (dimension, state.text)
    return (dimension, state.picked(dimension))


def dimension_mask(idx: PolicyIndex, state: ViewState, dimension: str) -> np.ndarray | None:
    """The rows one filter keeps, or None when that filter is not active. Cached per index (the
    returned array is read-only)."""
    if not state.active(dimension):
        return None
    key = _mask_key(state, dimension)
    with idx._lock:
        cached = idx.masks.get(key)
    if cached is None:
        cached = _dimension_mask(idx, state, dimension)
        cached.flags.writeable = False
        with idx._lock:
            if len(idx.masks) >= _mask_cache_size(idx.n):
                idx.masks.clear()
            idx.masks[key] = cached
    return cached


def _dimension_mask(idx: PolicyIndex, state: ViewState, dimension: str) -> np.ndarray:
    if dimension == "region":
        provinces = [a for a in state.region if gazetteer.is_province(a)]
        cities = [a for a in state.region if not gazetteer.is_province(a)]
        if state.drill:  # drilled into a province: it is the region, or its chosen cities are
            cities = [c for c in cities if c[:2] == state.drill[:2]]
            provinces = [] if cities else [state.drill]
        mask = _in(idx.province, idx.province_values, provinces)
        if cities:
            mask |= _in(idx.city, idx.city_values, cities)
        return mask
    if dimension == "date":
        date_from, date_to = state.date_window()  # the date range, narrowed by the period
        lo = day_number(date_from) if date_from else np.iinfo(np.int64).min + 1
        hi = day_number(date_to) if date_to else np.iinfo(np.int64).max
        if state.period:  # a slider period holds a row only if its whole date does (a date
            # known to the month is in no week of it, and not on its 1st)
            return idx.dated & (idx.day >= lo) & (idx.day_end <= hi)
        return idx.dated & (idx.day >= lo) & (idx.day <= hi)
    if dimension in idx.categories:
        return idx.categories[dimension].mask(state.picked(dimension))
    if dimension == "text":
        found = idx.search_text.str.contains(state.text.casefold(), regex=False)
        return found.to_numpy(dtype=bool, na_value=False)
    if dimension == "work_reports":
        return ~idx.work_report
    raise ValueError(f"unknown dimension {dimension!r}")


def selection(idx: PolicyIndex, state: ViewState, except_dim: str | None = None) -> np.ndarray:
    """Rows kept by every active filter except ``except_dim`` (crossfilter's group view)."""
    mask = np.ones(idx.n, dtype=bool)
    own = tuple(d for d, _ in state.picks if d not in CATEGORY and d in idx.categories)
    for dim in (*FILTERS, *own):
        if dim == except_dim:
            continue
        m = dimension_mask(idx, state, dim)
        if m is not None:
            mask &= m
    return mask


# ------------------------------------------------------------------------------- the map
def region_counts(
    idx: PolicyIndex,
    state: ViewState,
    regions: pd.DataFrame,
    reference: pd.DataFrame | None = None,
    *,
    crossfilter: bool = True,
) -> pd.DataFrame:
    """Policy counts and the chosen measure for each region of the map.

    ``regions``: the map's units (columns ``adcode``, ``level`` province|city). Returns one row per
    unit in that order with ``count`` (rows selected by every filter but the region one), ``z`` (the
    measure), ``status`` — ``no_record`` (no row of the whole table names this region), ``zero``
    (rows exist but the filters leave none) or ``value`` — ``selected`` and ``top_incentives``.
    ``reference`` (province level only): columns ``adcode, population, gdp_2020, gdp_2023``.
    ``crossfilter=False`` counts the rows of every filter, the region one included (exports).
    """
    level = regions["level"].iloc[0] if len(regions) else "province"
    codes, values = (idx.province, idx.province_values)
    if level == "city":
        codes, values = (idx.city, idx.city_values)
    mask = selection(idx, state, except_dim="region" if crossfilter else None)
    slot = pd.Index(values).get_indexer(regions["adcode"].to_numpy())  # -1: never named
    n_values = len(values)
    placed = codes >= 0
    counts_all = np.bincount(codes[placed], minlength=n_values)
    counts = np.bincount(codes[placed & mask], minlength=n_values)
    incentives = idx.categories["incentive"]
    k = len(incentives.values)
    rows, keys = idx.region_incentive_pairs(level)
    inc = np.bincount(keys[mask[rows]], minlength=n_values * k)
    inc = inc.astype(np.int64).reshape(n_values, k)

    def take(arr: np.ndarray) -> np.ndarray:
        out = np.zeros((len(slot), *arr.shape[1:]), dtype=arr.dtype)
        ok = slot >= 0
        out[ok] = arr[slot[ok]]
        return out

    out = pd.DataFrame({"adcode": regions["adcode"].to_numpy()})
    out["count"] = take(counts)
    ever = take(counts_all)
    out["status"] = np.where(
        ever == 0, measures.NO_RECORD, np.where(out["count"] == 0, measures.ZERO, measures.VALUE)
    )
    measure = measures.effective(state.measure, level, reference is not None)
    z = measures.values(
        measure, out["count"].to_numpy(), out["adcode"].to_numpy(), reference, state.gdp_year
    )
    out["z"] = np.asarray(z, dtype=float)
    out["measure"] = measure.id
    out.attrs["measure"] = measure  # the typed measure, carried with the frame
    out["selected"] = out["adcode"].isin(state.region)
    inc_rows = take(inc)
    names = incentives.values
    informative = np.array([v != CATEGORY["incentive"].none_code for v in names], dtype=bool)
    out["top_incentives"] = [
        tuple(names[j] for j in np.argsort(-row, kind="stable") if row[j] and informative[j])[:3]
        for row in inc_rows
    ]
    return out


def unmapped_counts(idx: PolicyIndex, state: ViewState, map_level: str) -> dict[str, int]:
    """Rows in the current selection the map cannot show: national rows, rows with no place, and
    (on the city map) rows placed only at province level. Shown beside the map, never dropped."""
    mask = selection(idx, state, except_dim="region")
    out = {
        "national": int((mask & idx.national).sum()),
        "unplaced": int((mask & idx.unplaced).sum()),
    }
    if map_level == "city":
        in_view = idx.province >= 0
        if state.drill:  # only the drilled province's own rows are missing from its city map
            in_view = _in(idx.province, idx.province_values, [state.drill])
        out["province_only"] = int((mask & (idx.city < 0) & in_view).sum())
    return out


# ------------------------------------------------------------------------------- timeline
def period_range(idx: PolicyIndex, freq: str) -> pd.PeriodIndex:
    """Every period from the first to the last dated row (fixed, so a figure can be patched)."""
    if idx.day_span is None:
        return pd.PeriodIndex([], freq=FREQ_CODES[freq])
    lo = pd.Timestamp(np.datetime64(idx.day_span[0], "D"))
    hi = pd.Timestamp(np.datetime64(idx.day_span[1], "D"))
    return pd.period_range(lo, hi, freq=FREQ_CODES[freq])


def timeline(idx: PolicyIndex, state: ViewState, *, crossfilter: bool = True) -> pd.DataFrame:
    """Policies per period (every filter but the date one) with the running total.

    Columns: ``period`` (Period), ``start`` (Timestamp), ``count``, ``cumulative``, ``selected``
    (the period overlaps the date filter). A row dated less finely than the step (a month at week
    step, a year at month step) is in no bar: ``attrs["coarse"]`` counts those rows by precision
    ({"month": 2}), ``attrs["undated"]`` the selected rows with no date.
    ``crossfilter=False``: the date filter applies too (exports show exactly the rows selected).
    """
    periods = period_range(idx, state.freq)
    mask = selection(idx, state, except_dim="date" if crossfilter else None)
    coarse = idx.too_coarse(state.freq)
    rows = mask & idx.dated & ~coarse
    if len(periods):
        pos = idx.period_offsets(state.freq)[rows]  # each row's period, computed once
        counts = np.bincount(pos, minlength=len(periods))
    else:
        counts = np.zeros(0, dtype=int)
    out = pd.DataFrame(
        {"period": periods, "start": periods.start_time, "count": counts.astype(int)}
    )
    out["cumulative"] = out["count"].cumsum()
    if state.active("date"):
        date_from, date_to = state.date_window()
        lo = pd.Timestamp(date_from) if date_from else pd.Timestamp.min
        hi = pd.Timestamp(date_to) if date_to else pd.Timestamp.max
        out["selected"] = (periods.end_time >= lo) & (periods.start_time <= hi)
    else:
        out["selected"] = False
    # rows with no date, of every filter but the date one (an export's date filter drops them)
    undated = mask if crossfilter else selection(idx, state, except_dim="date")
    out.attrs["undated"] = int((undated & ~idx.dated).sum())
    out.attrs["coarse"] = by_precision(idx, mask & coarse)
    out.attrs["freq"] = state.freq
    return out


def by_precision(idx: PolicyIndex, rows: np.ndarray) -> dict[str, int]:
    """How many of ``rows`` are dated to each precision, finest first, those with any only."""
    counts = np.bincount(idx.fineness[rows], minlength=len(FINENESS))
    return {p: int(counts[f]) for p, f in FINENESS.items() if counts[f]}


def cut_by_period(idx: PolicyIndex, state: ViewState) -> dict[str, int]:
    """The rows of the view a slider period cuts through, by precision: dated less finely than
    the period and overlapping it (February at a week of February), so the map at that period
    does not draw them (``_dimension_mask``: a period holds a row only if its whole date does)."""
    if not state.period:
        return {}
    date_from, date_to = state.date_window()
    lo = day_number(date_from) if date_from else np.iinfo(np.int64).min + 1
    hi = day_number(date_to) if date_to else np.iinfo(np.int64).max
    mask = selection(idx, state, except_dim="date") & idx.dated
    overlapping = mask & (idx.day <= hi) & (idx.day_end >= lo)
    return by_precision(idx, overlapping & ~((idx.day >= lo) & (idx.day_end <= hi)))


# ------------------------------------------------------------------------------- breakdowns
def breakdown(
    idx: PolicyIndex,
    state: ViewState,
    dimension: str,
    order: Sequence[str] | None = None,
    *,
    crossfilter: bool = True,
) -> pd.DataFrame:
    """Counts per category of one dimension (every filter but its own).

    ``order``: the categories listed first and always present, so a figure can be patched (default:
    the dimension's vocabulary, ``data.dimensions``); categories found in the data but not in
    ``order`` (labels kept as written) follow.
    Columns: ``code``, ``count``, ``selected``; ``attrs["rows"]``: the rows counted.
    ``crossfilter=False``: the dimension's own filter applies too (exports show exactly the rows
    selected).
    """
    mask = selection(idx, state, except_dim=dimension if crossfilter else None)
    encoded = idx.categories[dimension]
    counts = encoded.counts(mask)
    if order is None:
        order = (idx.dimensions.get(dimension) or CATEGORY[dimension]).order
    found = dict(zip(encoded.values.tolist(), counts.tolist(), strict=True))
    codes_out = list(order) + sorted(v for v in found if v not in set(order))
    chosen = set(state.picked(dimension))
    out = pd.DataFrame(
        {
            "code": codes_out,
            "count": [int(found.get(c, 0)) for c in codes_out],
            "selected": [c in chosen for c in codes_out],
        }
    )
    out.attrs["rows"] = int(mask.sum())  # the policies counted (some may state no category)
    return out


# ------------------------------------------------------------------------------- summary, table
def summary(idx: PolicyIndex, state: ViewState) -> dict[str, float | int]:
    """The summary line: policies, provinces and cities touched, stated amounts."""
    mask = selection(idx, state)
    amounts = idx.amount[mask]
    stated = amounts[~np.isnan(amounts)]
    return {
        "policies": int(mask.sum()),
        "total": idx.n,
        "provinces": _distinct(idx.province, mask, len(idx.province_values)),
        "cities": _distinct(idx.city, mask, len(idx.city_values)),
        "national": int((mask & idx.national).sum()),
        "amount_total": float(stated.sum()),
        "amount_rows": int(stated.size),
        "undated": int((mask & ~idx.dated).sum()),
    }


def _distinct(codes: np.ndarray, mask: np.ndarray, n_values: int) -> int:
    """How many distinct codes the rows of ``mask`` hold (a count, not a sort)."""
    return int(np.count_nonzero(np.bincount(codes[mask & (codes >= 0)], minlength=n_values)))


def selected_rows(idx: PolicyIndex, state: ViewState, limit: int | None = None) -> pd.DataFrame:
    """The rows behind the current view, newest first (undated last); at most ``limit``."""
    positions = selected_positions(idx, state)
    matched = len(positions)
    if limit is not None:
        positions = positions[:limit]
    out = idx.frame.iloc[positions]
    out.attrs["matched"] = matched
    return out


def selected_positions(idx: PolicyIndex, state: ViewState) -> np.ndarray:
    """Row positions of the view, newest first (undated last): a gather, not a sort per view."""
    mask = selection(idx, state)
    return idx.newest_first[mask[idx.newest_first]]
