"""The timeline's running total spans the last period (the line stepped flat to the right from each
period's start, so it stopped at the last period's start and the final total showed only as a
vertical rise at that edge, the last period's column empty), at every step, on the page and in an
export; the chart's CSV twin keeps one row per period (no made-up period for the line's end)."""

from __future__ import annotations

import pandas as pd
import pytest

from data import periods, query
from data.state import ViewState
from layouts import ids, viewmodel
from layouts.exports import chart_data
from layouts.figures import timeline as tl

SUBSIDIES = dict(incentive=("subsidy",), date_from="2019-01-01", date_to="2021-12-31")


def _level_at(line, when: pd.Timestamp) -> float | None:
    """What a reader sees the step line at ``when``: the level of the last point at or before
    it, if the line goes on past it (None: no line drawn there)."""
    xs = pd.to_datetime(pd.Series(list(line.x)))
    if not len(xs) or when < xs.iloc[0] or when >= xs.iloc[-1]:
        return None
    return list(line.y)[int((xs <= when).sum()) - 1]


@pytest.mark.parametrize("freq", periods.FREQS)
@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
def test_the_running_total_covers_the_last_period(ds, freq, export):
    state = ViewState.of(freq=freq, **SUBSIDIES)
    fig = viewmodel.views(ds, state, full=True, export=export).figures[ids.TIMELINE]
    bars, line = fig.data[tl.BAR], fig.data[tl.LINE]
    last = pd.Period(pd.Timestamp(bars.x[-1]), freq=query.FREQ_CODES[freq])
    total = sum(bars.y)
    assert total > 0
    for when in (last.start_time, last.start_time + (last.end_time - last.start_time) / 2):
        assert _level_at(line, when) == total, (freq, when, list(line.x)[-3:])
    assert pd.Timestamp(line.x[-1]) == (last + 1).start_time  # and ends where its bar ends
    # the line's hover labels: one per point, the end's is the last period's
    assert len(line.customdata) == len(line.x) and line.customdata[-1] == bars.customdata[-1]


@pytest.mark.parametrize("freq", ["year", "week"])
def test_the_csv_twin_has_no_row_for_the_lines_end(ds, freq):
    """The line's end point is drawing only: the data behind the chart lists each period once."""
    state = ViewState.of(freq=freq, **SUBSIDIES)
    table = chart_data.chart_table(ds, state, ids.TIMELINE)
    drawn = table[table["drawn_as_bar"].astype(bool)]
    assert len(drawn) == len(query.period_range(ds.index, freq)) == drawn["period"].nunique()
    assert drawn["count"].sum() == drawn["cumulative"].iloc[-1]
