"""Time at the data's own scale, on a SYNTHETIC table whose policies spread over six weeks
(``tests/fixtures/fast_spread.csv``, see its README): the day and week steps are offered and the
week is chosen, the first-adoption classes and the adoption curve's steps are the table's dates
exactly, a date known only to the month stays a month, and the URL says weeks and days."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from data import diffusion, periods
from data.dataset import Dataset
from data.loaders import load_dataset
from data.state import ViewState, encode_query, parse_query
from layouts import present_map, spread
from tests.fixtures import make_fast_spread as fixture

FIXTURE = str(fixture.OUT)


@pytest.fixture(scope="module")
def fast() -> Dataset:
    return load_dataset(FIXTURE, cache=False)


def _city_view(fast: Dataset, query: str = "?map=city") -> ViewState:
    return fast.restrict(parse_query(query))


def test_day_and_week_offered_and_week_chosen(fast):
    state = _city_view(fast)
    assert diffusion.dense_freqs(fast.index, state) == ("year", "quarter", "month", "week", "day")
    assert state.freq == "week"  # six weeks play by week, not in one frame "2020"
    assert encode_query(state) == "?map=city"  # a step the data picked is not written
    # the bundled table (a decade) still plays by year
    assert load_dataset().restrict(parse_query("")).freq == "year"
    # a link asking for a step keeps it, and says it
    day = _city_view(fast, "?map=city&freq=day")
    assert day.freq == "day" and encode_query(day) == "?map=city&freq=day"
    # a link naming a week period plays by week
    assert _city_view(fast, "?period=2020-W05&freq=").freq == "week"


def test_first_adoption_classes_are_the_weeks_of_the_dates(fast):
    state = _city_view(fast)
    weeks = spread.class_periods(fast, state)
    assert weeks == ["2020-W04", "2020-W05", "2020-W06", "2020-W07", "2020-W08", "2020-W09"]
    frame = spread.adoption_frame(fast, state).set_index("adcode")
    for adcode, day in fixture.DAYS.items():
        week = periods.label_of(day, "week")
        assert frame.loc[adcode, "cls"] == weeks.index(week) + 1, adcode
        assert frame.loc[adcode, "first"] == pd.Timestamp(day)
        assert day.isoformat() in frame.loc[adcode, "hover"]  # the exact date in the hover
    # dated only to February: a class of its own, never the week of 1 February
    assert frame.loc[fixture.MONTH_ONLY, "cls"] == len(weeks) + 1
    assert "2020-02" in frame.loc[fixture.MONTH_ONLY, "hover"]
    assert frame.loc[fixture.UNDATED, "cls"] == 0  # undated: never placed in time
    fig = spread.adoption_map_figure(fast, state, frame.reset_index(), inline=True)
    ticks = fig.layout.coloraxis.colorbar.ticktext
    assert ticks[1:3] == ("20 Jan", "27 Jan") or ticks[1:3] == ("1月20日", "1月27日")
    assert "月" in ticks[-1] or "month" in ticks[-1]  # the month-only class is named
    assert "周" in fig.layout.title.text  # "首次采纳：首项政策所在的周"


def test_day_classes_match_each_date(fast):
    state = _city_view(fast, "?map=city&freq=day")
    days = spread.class_periods(fast, state)
    frame = spread.adoption_frame(fast, state).set_index("adcode")
    for adcode, day in fixture.DAYS.items():
        assert days[frame.loc[adcode, "cls"] - 1] == day.isoformat()


def test_adoption_curve_steps_on_each_first_date(fast):
    state = _city_view(fast)
    regions = fast.regions("city")["adcode"].tolist()
    curve = diffusion.adoption_curve(fast.index, state, regions, "city")
    steps = curve.attrs["steps"]
    expected = Counter(fixture.DAYS.values())
    precise = steps[steps["coarse"] == 0]
    assert [d.date() for d in precise["date"]] == sorted(expected)
    assert precise["new"].tolist() == [expected[d] for d in sorted(expected)]
    assert precise["adopted"].iloc[-1] == len(fixture.DAYS)
    # the city known only to February counts once February is over, not on the 1st
    last = steps.iloc[-1]
    assert (last["date"], last["coarse"], last["adopted"]) == (pd.Timestamp("2020-02-29"), 1, 41)
    # the drawn line: a step at each date, from 0
    fig = spread.curve_figure(fast, state)
    xs = [pd.Timestamp(x) for x in fig.data[0].x[1:-1]]
    assert xs == list(steps["date"]) and fig.data[0].y[0] == 0
    assert fig.data[0].line.shape == "hv"


def test_week_and_day_periods_in_the_url_and_the_date_filter(fast):
    week = parse_query("?period=2020-W05&freq=week")
    assert week.date_window() == ("2020-01-27", "2020-02-02")
    assert encode_query(week) == "?period=2020-W05&freq=week"
    assert parse_query("?period=2020-01-27").period == "2020-01-27"
    assert parse_query("?period=2020-W54").notes == ("ignored period='2020-W54'",)
    # a slider value is a day number past DAY_BASE at weekly and daily steps
    value = periods.to_value("2020-W05")
    assert value == periods.DAY_BASE + (dt.date(2020, 1, 27) - dt.date(1970, 1, 1)).days
    assert periods.from_value(value + 7, "week") == "2020-W06"
    assert periods.from_value(value + 3, "day") == "2020-01-30"
    # the map of week 5 counts the cities of that week; Lhasa (February only) is in no week
    in_w05 = sum(1 for d in fixture.DAYS.values() if periods.label_of(d, "week") == "2020-W05")
    counts = present_map.map_frame(fast, _city_view(fast, "?map=city&period=2020-W05"))
    assert int(counts["count"].sum()) == in_w05
    lhasa = counts.set_index("adcode").loc[fixture.MONTH_ONLY, "count"]
    assert lhasa == 0
    upto = _city_view(fast, "?map=city&period=2020-W09&cum=1")
    assert (
        present_map.map_frame(fast, upto).set_index("adcode").loc[fixture.MONTH_ONLY, "count"] == 1
    )


@pytest.mark.slow
def test_slider_and_frames_follow_the_week(fast):
    state = _city_view(fast)
    config = spread.slider_config(fast, state)
    assert config["step"] == 7
    assert periods.from_value(config["min"], "week") == "2020-W04"
    assert periods.from_value(config["max"], "week") == "2020-W09"
    frames = [p for p, _ in spread.frame_figures(fast, state)]
    assert frames[:4] == ["2020-W04", "2020-W05", "2020-W06", "2020-W07"]
