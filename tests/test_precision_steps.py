"""A date keeps its precision at every step (issue 21): a row dated only to a month (a year) is
drawn in no week or day bar (no month bar), never on its 1st; it is counted and said, on screen
and in the exported image and CSV. On ``tests/fixtures/mixed_precision.csv`` (SYNTHETIC, see the
fixtures' README): four rows dated to the day (23 Jan, 30 Jan, 4 and 5 Feb 2020), three to the
month (two February, one March), one to the year (2020, a province row), one undated.

Rows left out of the bars, per step, on that table:

    step     bars (period: rows)                 left out
    year     2020: 8                             -
    quarter  2020 Q1: 7                          1 dated to the year
    month    01: 2, 02: 4, 03: 1                 1 dated to the year
    week     W04: 1, W05: 1, W06: 2              3 dated to the month, 1 to the year
    day      23 Jan, 30 Jan, 4 Feb, 5 Feb: 1     3 dated to the month, 1 to the year
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from data import diffusion, query
from data.dataset import Dataset
from data.loaders import load_dataset
from data.state import ViewState, parse_query
from layouts import ids, map_story, present_charts, present_texts, spread, viewmodel
from layouts.exports import render, report_pack
from layouts.figures import timeline as tl
from tests.fixtures import make_fast_spread

FIXTURE = "tests/fixtures/mixed_precision.csv"

BARS = {
    "year": {"2020": 8},
    "quarter": {"2020 Q1": 7},
    "month": {"2020-01": 2, "2020-02": 4, "2020-03": 1},
    "week": {"2020-W04": 1, "2020-W05": 1, "2020-W06": 2},
    "day": {"2020-01-23": 1, "2020-01-30": 1, "2020-02-04": 1, "2020-02-05": 1},
}
LEFT_OUT = {
    "year": {},
    "quarter": {"year": 1},
    "month": {"year": 1},
    "week": {"month": 3, "year": 1},
    "day": {"month": 3, "year": 1},
}


@pytest.fixture(scope="module")
def mixed() -> Dataset:
    return load_dataset(FIXTURE, cache=False)


def _at(ds: Dataset, query_string: str) -> ViewState:
    return ds.restrict(parse_query(query_string))


def _bars(frame: pd.DataFrame, freq: str) -> dict[str, int]:
    return {
        label: int(n)
        for label, n in zip(tl.hover_labels(frame, freq), frame["count"], strict=True)
        if n
    }


@pytest.mark.parametrize("freq", list(BARS))
def test_no_row_is_drawn_in_a_bar_finer_than_its_date(mixed, freq):
    frame = query.timeline(mixed.index, _at(mixed, f"?freq={freq}"))
    assert _bars(frame, freq) == BARS[freq]
    assert frame.attrs["coarse"] == LEFT_OUT[freq]
    assert frame.attrs["undated"] == 1
    # every dated row is either in a bar or counted apart: none lost
    assert sum(BARS[freq].values()) + sum(LEFT_OUT[freq].values()) == 8
    assert frame["cumulative"].iloc[-1] == sum(BARS[freq].values())


def test_the_timeline_says_what_its_bars_leave_out_on_screen_and_in_a_patch(mixed):
    state = _at(mixed, "?freq=week&lang=en")
    views = viewmodel.views(mixed, state, full=True)
    fig = views.figures[ids.TIMELINE]
    note = fig.layout.annotations[tl.NOTES]
    assert note.visible
    for line in (
        "1 undated, not counted",
        "4 dated to the month/year only, not drawn at week step",
    ):
        assert line in note.text
    # a filter leaving only Hebei's day-dated rows: the patch hides the note, the margin shrinks
    hebei = _at(mixed, "?freq=week&lang=en&region=130000")
    patch = viewmodel.views(mixed, hebei, full=False).updates[ids.TIMELINE]
    assert patch[("layout", "annotations", tl.NOTES, "visible")] is False
    assert patch[("layout", "margin", "b")] == tl.BOTTOM
    # and back: the same paths a full draw has
    back = viewmodel.views(mixed, state, full=False).updates[ids.TIMELINE]
    assert back[("layout", "annotations", tl.NOTES, "text")] == note.text
    assert back[("layout", "margin", "b")] == fig.layout.margin.b > tl.BOTTOM


def test_chinese_line_names_the_precision_and_the_step(mixed):
    frame = query.timeline(mixed.index, _at(mixed, "?freq=day"))
    assert present_charts.timeline_notes(frame, "zh") == [
        "1 项日期不详，未计入",
        "4 项日期只知到月份/年份，以日为单位时未画出",
    ]
    month = query.timeline(mixed.index, _at(mixed, "?freq=month"))
    assert present_charts.timeline_notes(month, "en") == [
        "1 undated, not counted",
        "1 dated to the year only, not drawn at month step",
    ]


def _texts(svg: bytes) -> str:
    return " ".join(re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg.decode()))


@pytest.mark.export
def test_exported_timeline_image_and_csv_count_the_rows_no_bar_holds(mixed):
    state = _at(mixed, "?freq=week&lang=en")
    name, svg = report_pack.chart_file(mixed, state, ids.TIMELINE, "svg")
    found = _texts(svg)
    assert "4 dated to the month/year only, not drawn at week step" in found
    assert "1 undated, not counted" in found
    _, csv = report_pack.chart_file(mixed, state, ids.TIMELINE, "csv")
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    bars = table[table["drawn_as_bar"]]
    drawn = {p: n for p, n in zip(bars["period"], bars["count"], strict=True) if n}
    assert drawn == BARS["week"]  # weeks as the URL writes them (2020-W06)
    apart = table[~table["drawn_as_bar"]].set_index("period")["count"].to_dict()
    assert apart == {"undated": 1, "dated to the month only": 3, "dated to the year only": 1}
    render.stop()


def test_the_map_at_a_week_says_the_rows_that_week_cuts_through(mixed):
    # 3-9 February: the two rows dated "2020-02" and the one dated "2020" overlap it, not drawn
    state = _at(mixed, "?period=2020-W06&lang=en")
    assert query.cut_by_period(mixed.index, state) == {"month": 2, "year": 1}
    line = "3 dated to the month/year only, not drawn at week step"
    assert line in present_texts.beside_lines(mixed, state)
    assert line in map_story.left_out(mixed, state)
    # the month: February holds its two month rows whole; only the year row is cut
    assert query.cut_by_period(mixed.index, _at(mixed, "?period=2020-02")) == {"year": 1}
    # up to the end of March, every month row is whole (the year row is not: it runs to December)
    up_to = _at(mixed, "?period=2020-03&cum=1")
    assert query.cut_by_period(mixed.index, up_to) == {"year": 1}
    assert query.cut_by_period(mixed.index, _at(mixed, "?period=2020")) == {}


def test_busiest_week_counts_only_rows_a_week_holds(mixed):
    # Hebei has two day-dated rows in W06; at week step a month row is in no week
    state = _at(mixed, "?freq=week&period=2020-W06")
    assert diffusion.busiest(mixed.index, state) == 2


@pytest.mark.export
def test_small_multiples_file_name_follows_the_step_shown(mixed):
    fast = load_dataset(str(make_fast_spread.OUT), cache=False)
    weekly = fast.restrict(parse_query("?map=city"))
    assert spread.multiples_step(fast, weekly) == "week"
    name, _ = report_pack.sequence_file(fast, weekly, "multiples", "pdf")
    assert name == "policy-map-by-week.pdf"
    by_day = fast.restrict(parse_query("?map=city&freq=day&from=2020-01-23&to=2020-01-31"))
    assert report_pack.sequence_file(fast, by_day, "multiples", "pdf")[0].startswith(
        "policy-map-by-day_"
    )
    monthly = _at(mixed, "?freq=month&lang=en")
    name, svg = report_pack.sequence_file(mixed, monthly, "multiples", "svg")
    assert name == "policy-map-by-month.svg"
    assert "1 dated to the year only, not drawn at month step" in _texts(svg)
    bundled = load_dataset()
    name, _ = report_pack.sequence_file(
        bundled, bundled.restrict(parse_query("")), "multiples", "pdf"
    )
    assert name == "policy-map-by-year.pdf"
    render.stop()
