"""The policy table as the grid shows it: one block of rows at a time, sorted and filtered.

The grid uses AG Grid's infinite row model: it asks for rows ``start``..``end`` with its sort and
column-filter models, so an interaction never ships the whole selection, only the block on screen.
This module is pure (no Dash): the selection comes from ``data.query``, display strings are made
once per distinct value (a place, a code, a date at its precision), and the sorted, filtered order
of a view is cached so paging and scrolling cost a slice.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import pandas as pd

from data import config, query, schema
from data.query import PolicyIndex
from data.state import ViewState, encode_query, parse_query

NameOf = Callable[[str, str], str]
COLUMNS = (
    "date",
    "place",
    "level",
    "title_zh",
    "title_en",
    "issuer",
    "type",
    "stance",
    "incentives",
    "amount",
    "source",
    "placed",
)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), "").astype(str)


def _mapped(codes: pd.Series, fn: Callable[[object], str]) -> pd.Series:
    """``fn`` applied once per distinct value, then mapped back (cheap for a million rows)."""
    values = pd.unique(codes)
    table = {v: fn(v) for v in values}
    return codes.map(table).astype(object)


def display_frame(frame: pd.DataFrame, lang: str, name_of: NameOf) -> pd.DataFrame:
    """The grid's columns for ``frame``'s rows, plus sort keys ``_day`` and ``_amount``."""

    sep = "\x1f"

    def place(key: object) -> str:
        p, c, d, fallback = str(key).split(sep)
        if not (p or c):
            return fallback
        # The deepest place first in English ("Longhua, Shenzhen"), so a narrow column still
        # shows it; Chinese reads from the larger unit down (深圳市 龙华区).
        label = name_of(c or p, lang)
        if not d:
            return label
        return f"{name_of(d, lang)}, {label}" if lang == "en" else f"{label} {name_of(d, lang)}"

    codes = {c: _text(frame[c]) for c in ("province_adcode", "city_adcode", "district_adcode")}
    placed = _text(frame["placed"])
    written = (
        _text(frame["province_zh"])
        + " "
        + _text(frame["city_zh"])
        + " "
        + _text(frame["district_zh"])
    ).str.strip()
    national = schema.label(schema.PLACED, "national", lang)
    fallback = written.where(placed != "national", national).str.replace(sep, " ", regex=False)
    keys = (
        codes["province_adcode"] + sep + codes["city_adcode"] + sep + codes["district_adcode"]
    ) + (sep + fallback)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    precision = _text(frame["date_precision"])
    iso = _text(pd.Series(dates.dt.strftime("%Y-%m-%d"), index=frame.index))
    date_key = iso + sep + precision

    def date_text(key: object) -> str:
        day, p = str(key).split(sep)
        return schema.format_date(day or None, p)

    issuer_own = _text(frame["issuer_zh"] if lang == "zh" else frame["issuer_en"])
    out = pd.DataFrame(
        {
            "row": frame["row"].to_numpy(),
            "date": _mapped(date_key, date_text),
            "place": _mapped(keys, place),
            "level": _mapped(_text(frame["level"]), lambda c: schema.label(schema.LEVELS, c, lang)),
            "title_zh": _text(frame["title_zh"]),
            "title_en": _text(frame["title_en"]),
            "issuer": issuer_own.where(issuer_own != "", _text(frame["issuer_zh"])),
            "type": _mapped(
                _text(frame["policy_type"]), lambda c: schema.label(schema.POLICY_TYPES, c, lang)
            ),
            "stance": _mapped(
                _text(frame["stance"]), lambda c: schema.label(schema.STANCES, c, lang)
            ),
            "incentives": _mapped(
                frame["incentives"].map(lambda v: tuple(v) if isinstance(v, list | tuple) else ()),
                lambda v: "、".join(schema.label(schema.INCENTIVES, c, lang) for c in v),  # type: ignore[attr-defined]
            ),
            "amount": pd.to_numeric(frame["amount_cny"], errors="coerce").to_numpy(),
            "source": _text(frame["source"]),
            "placed": _mapped(placed, lambda c: schema.label(schema.PLACED, c, lang)),
        },
        index=frame.index,
    )
    out["_day"] = np.where(
        dates.notna(), dates.to_numpy(dtype="datetime64[D]").astype("int64"), np.iinfo(np.int64).min
    )
    return out


# ------------------------------------------------------------------------------- filters
def _text_condition(values: pd.Series, cond: dict) -> pd.Series:
    kind = cond.get("type", "contains")
    if kind == "blank":
        return values == ""
    if kind == "notBlank":
        return values != ""
    needle = str(cond.get("filter") or "").casefold()
    hay = values.str.casefold()
    if kind == "contains":
        return hay.str.contains(needle, regex=False)
    if kind == "notContains":
        return ~hay.str.contains(needle, regex=False)
    if kind == "equals":
        return hay == needle
    if kind == "notEqual":
        return hay != needle
    if kind == "startsWith":
        return hay.str.startswith(needle)
    if kind == "endsWith":
        return hay.str.endswith(needle)
    return pd.Series(True, index=values.index)


def _number_condition(values: pd.Series, cond: dict) -> pd.Series:
    kind = cond.get("type", "equals")
    if kind == "blank":
        return values.isna()
    if kind == "notBlank":
        return values.notna()
    try:
        a = float(cond.get("filter"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return pd.Series(True, index=values.index)
    ops = {
        "equals": values == a,
        "notEqual": values != a,
        "lessThan": values < a,
        "lessThanOrEqual": values <= a,
        "greaterThan": values > a,
        "greaterThanOrEqual": values >= a,
    }
    if kind == "inRange":
        try:
            b = float(cond.get("filterTo"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return values >= a
        return (values >= a) & (values <= b)
    return ops.get(kind, pd.Series(True, index=values.index)).fillna(False)


def column_mask(view: pd.DataFrame, field: str, model: dict) -> pd.Series:
    """Rows passing one column's filter model (AG Grid text or number filter, with an optional
    AND/OR pair of conditions)."""
    if field not in view.columns or field.startswith("_"):
        return pd.Series(True, index=view.index)
    values = view[field]
    numeric = values.dtype.kind in "fiu"
    if numeric != (model.get("filterType") == "number"):
        return pd.Series(True, index=view.index)  # a filter of the wrong kind for this column
    condition = _number_condition if numeric else _text_condition
    if "conditions" in model:
        masks = [condition(values, c) for c in model["conditions"]]
        if not masks:
            return pd.Series(True, index=view.index)
        combined = masks[0]
        for m in masks[1:]:
            combined = (combined | m) if model.get("operator") == "OR" else (combined & m)
        return combined
    return condition(values, model)


def quick_mask(view: pd.DataFrame, text: str) -> pd.Series:
    """Rows where every word of ``text`` appears in some shown column (the grid's quick filter)."""
    words = [w for w in text.casefold().split() if w]
    if not words:
        return pd.Series(True, index=view.index)
    cols = [c for c in COLUMNS if c != "amount"]
    blob = view[cols[0]].astype(str)
    for c in cols[1:]:
        blob = blob + "\u241f" + view[c].astype(str)
    blob = blob.str.casefold()
    mask = pd.Series(True, index=view.index)
    for w in words:
        mask &= blob.str.contains(w, regex=False)
    return mask


# ------------------------------------------------------------------------------- blocks
NUMERIC_SORTS = {"date", "amount"}


def _needs_text(sort_model: list | None, filter_model: dict | None, quick: str) -> bool:
    """Whether display strings are needed for every matched row (a text sort, filter or search);
    otherwise only the rows on screen are formatted."""
    if quick.strip() or any(isinstance(m, dict) for m in (filter_model or {}).values()):
        return True
    return any(s.get("colId") not in NUMERIC_SORTS for s in (sort_model or []) if s.get("colId"))


#: The grid asks for 25-100 rows at a time; a request for more is cut to this many.
MAX_BLOCK = 500
#: Display frames of recent views kept for paging, bounded by their size in memory
#: (``POLICY_ATLAS_VIEW_CACHE_MB``: ``data.config``, checked at start-up).
VIEW_CACHE_BYTES = config.limit("POLICY_ATLAS_VIEW_CACHE_MB") * 1_000_000


class _ViewCache:
    """Least-recently-used display frames, bounded in bytes (not in count: one view of a
    million rows weighs as much as thousands of small ones). Thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> pd.DataFrame | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key: tuple, frame: pd.DataFrame) -> None:
        size = int(frame.memory_usage(deep=True).sum())
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (frame, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    @property
    def nbytes(self) -> int:
        return self._bytes


_views = _ViewCache(VIEW_CACHE_BYTES)


def _view(idx: PolicyIndex, query_string: str, lang: str, name_of: NameOf) -> pd.DataFrame:
    """Display strings of every row of one view, newest first; built only for a text sort,
    filter or search, and cached per (index, view) so paging through the result is a slice."""
    key = (idx, query_string, lang, name_of)  # the index itself: its id cannot be reused
    found = _views.get(key)
    if found is None:
        positions = _positions(idx, parse_query(query_string))
        found = display_frame(idx.frame.iloc[positions], lang, name_of).reset_index(drop=True)
        _views.put(key, found)
    return found


def _positions(idx: PolicyIndex, state: ViewState) -> np.ndarray:
    """Row positions of the view, newest first (undated last)."""
    return query.selected_positions(idx, state)


def _numeric_order(idx: PolicyIndex, positions: np.ndarray, sort_model: list | None) -> np.ndarray:
    """``positions`` reordered by date and/or amount (blanks last), stable over the default."""
    for sort in reversed(sort_model or []):
        col, desc = sort.get("colId"), sort.get("sort") == "desc"
        if col == "date":
            keys = np.where(idx.dated[positions], idx.day[positions], np.nan).astype(float)
        elif col == "amount":
            keys = idx.amount[positions]
        else:
            continue
        blank = np.isnan(keys)
        filled = np.where(blank, 0.0, -keys if desc else keys)
        positions = positions[np.lexsort((filled, blank))]
    return positions


def _records(shown: pd.DataFrame) -> list[dict]:
    records = []
    for rec in shown[["row", *COLUMNS]].to_dict("records"):
        amount = rec["amount"]
        rec["amount"] = None if amount is None or math.isnan(amount) else float(amount)
        rec["row"] = int(rec["row"])
        records.append(rec)
    return records


def block(
    idx: PolicyIndex,
    state: ViewState,
    name_of: NameOf,
    start: int = 0,
    end: int = 100,
    sort_model: list | None = None,
    filter_model: dict | None = None,
    quick: str = "",
) -> tuple[list[dict], int]:
    """Rows ``start``..``end`` of the table for ``state`` and the grid's sort, filters and quick
    search; and how many rows match in all (the grid's ``rowCount``)."""
    start, end = max(0, int(start or 0)), max(0, int(end if end is not None else 100))
    end = min(end, start + MAX_BLOCK)
    # only sorts and filters of columns the grid has (anything else was never sent by the page)
    sort_model = [
        x
        for x in (sort_model if isinstance(sort_model, list) else [])
        if isinstance(x, dict) and x.get("colId") in COLUMNS
    ]
    filter_model = {
        k: v
        for k, v in (filter_model if isinstance(filter_model, dict) else {}).items()
        if k in COLUMNS and isinstance(v, dict)
    }
    if not _needs_text(sort_model, filter_model, quick):
        positions = _numeric_order(idx, _positions(idx, state), sort_model)
        page = idx.frame.iloc[positions[start:end]]
        return _records(display_frame(page, state.lang, name_of)), len(positions)
    view = _view(idx, encode_query(state), state.lang, name_of)
    mask = pd.Series(True, index=view.index)
    for field, model in (filter_model or {}).items():
        if isinstance(model, dict):
            mask &= column_mask(view, field, model)
    if quick:
        mask &= quick_mask(view, quick)
    shown = view[mask.to_numpy()] if not mask.all() else view
    for sort in reversed(sort_model or []):
        col, desc = sort.get("colId"), sort.get("sort") == "desc"
        if col not in COLUMNS:
            continue
        if col == "date":
            keys = shown["_day"].where(shown["_day"] != np.iinfo(np.int64).min, np.nan)
            order = keys.sort_values(ascending=not desc, na_position="last", kind="stable").index
        else:
            order = (
                shown[col]
                .sort_values(ascending=not desc, na_position="last", kind="stable", key=_sort_key)
                .index
            )
        shown = shown.loc[order]
    return _records(shown.iloc[start:end]), len(shown)


def _sort_key(values: pd.Series) -> pd.Series:
    if values.dtype.kind in "fi":
        return values
    return values.astype(str).str.casefold().replace("", None)
