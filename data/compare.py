"""Compare mode: the timeline and every breakdown split by region instead of merged.

With two regions or more selected and ``ViewState.compare`` on, each compared region gets its own
series. A region's series is exactly what the dashboard shows with that region alone selected
(every other filter applied, crossfilter rules unchanged): the counts come from ``data.query`` run
on the state narrowed to that region, so they reuse its cached filter masks and can never drift
from the single-region views.

Overlaps are shown, not hidden: a province compared together with one of its own cities keeps all
of its rows (the city's included), and :attr:`Comparison.contains` says so, for the legend and the
caption. At most :data:`MAX_REGIONS` regions are compared; the rest are named in
:attr:`Comparison.left_out`. Pure: no Dash, no plotly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from data import query
from data.query import PolicyIndex
from data.state import ViewState
from geodata import gazetteer

#: More series than this are unreadable as lines or grouped bars (and the palette has six).
MAX_REGIONS = 6


@dataclass(frozen=True)
class Comparison:
    """The split views of one state.

    ``regions``: adcodes compared, in order (one series each); ``left_out``: selected regions past
    the cap; ``contains``: a compared province -> the compared cities inside it (their rows count
    in both series). ``timeline``: ``period``, ``start``, ``selected`` and one count column per
    region (named by adcode). ``breakdowns``: per dimension id, ``code``, ``selected`` and one
    count column per region (a policy with several values counts once per value, as in the merged
    breakdowns). ``undated``: per region, rows with no date (not in the timeline).
    """

    regions: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    contains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    timeline: pd.DataFrame = field(default_factory=pd.DataFrame)
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)
    undated: dict[str, int] = field(default_factory=dict)


def overlaps(regions: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each province in ``regions`` that also has some of its own cities in ``regions``."""
    provinces = [a for a in regions if gazetteer.is_province(a)]
    out: dict[str, tuple[str, ...]] = {}
    for p in provinces:
        inside = tuple(a for a in regions if a != p and a[:2] == p[:2])
        if inside:
            out[p] = inside
    return out


def single(state: ViewState, region: str) -> ViewState:
    """The state narrowed to one compared region (the view a user sees with it alone selected)."""
    return replace(state, region=(region,), compare=False)


def comparison(
    idx: PolicyIndex, state: ViewState, *, crossfilter: bool = True, limit: int = MAX_REGIONS
) -> Comparison:
    """Per compared region, policies per period and per category of every breakdown dimension.

    ``crossfilter=False`` (exports): each view's own filter applies too, as in ``data.query``.
    A state that is not comparing (``ViewState.comparing``) gives an empty comparison.
    """
    wanted = state.compared() if state.comparing() else ()
    regions, left_out = wanted[:limit], wanted[limit:]
    periods: pd.DataFrame | None = None
    counts: dict[str, dict[str, pd.Series]] = {c: {} for c in idx.dimensions}
    undated: dict[str, int] = {}
    for r in regions:
        one = single(state, r)
        tl = query.timeline(idx, one, crossfilter=crossfilter)
        if periods is None:
            periods = tl[["period", "start", "selected"]].copy()
        periods[r] = tl["count"].to_numpy()
        undated[r] = int(tl.attrs.get("undated", 0))
        for c in idx.dimensions.values():
            f = query.breakdown(idx, one, c.id, crossfilter=crossfilter)
            counts[c.id][r] = pd.Series(f["count"].to_numpy(), index=f["code"].to_numpy())
    bars = {dim: _side_by_side(per, state.picked(dim)) for dim, per in counts.items() if per}
    return Comparison(
        regions=regions,
        left_out=left_out,
        contains=overlaps(regions),
        timeline=periods if periods is not None else pd.DataFrame(),
        breakdowns=bars,
        undated=undated,
    )


def _side_by_side(per_region: dict[str, pd.Series], picked: tuple[str, ...]) -> pd.DataFrame:
    """One column per region, codes in the breakdowns' order (the vocabulary first; labels a
    table uses as written, which may differ between regions, after it)."""
    codes: dict[str, None] = {}
    for series in per_region.values():
        codes.update(dict.fromkeys(series.index))
    out = pd.DataFrame({"code": list(codes)})
    out["selected"] = out["code"].isin(picked)
    for r, series in per_region.items():
        out[r] = series.reindex(out["code"]).fillna(0).astype(int).to_numpy()
    return out
