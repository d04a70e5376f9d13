"""Compare mode (issue 16 item 6): the timeline and breakdowns split by region, not merged.

The query's numbers are checked against the single-region views and against counts taken straight
from the policy table; the views, the URL, the switch, the exports and the figures as a user (or a
reader of an exported chart) meets them.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from callbacks import events
from callbacks.url_sync import CONTROLS, control_values
from callbacks.views import to_patch
from data import compare, query
from data.dimensions import CATEGORIES, CATEGORY
from data.state import NEEDS_TWO, ViewState, encode_query, parse_query
from layouts import compare_switch, ids, viewmodel
from layouts.exports import chart_data, report_pack
from layouts.figures import compare_charts

GD, JS, GZ, SZ, BJ = "440000", "320000", "440100", "440300", "110000"


def both(*regions: str, **kw) -> ViewState:
    return ViewState.of(region=tuple(sorted(regions)), compare=True, **kw)


# ------------------------------------------------------------------------------ the query
@pytest.mark.parametrize(
    "state",
    [
        both(GZ, SZ),
        both(GD, JS, BJ),
        both(GD, JS, incentive=("subsidy",), date_from="2019-01-01", date_to="2021-12-31"),
        both(GZ, SZ, freq="quarter", stance=("support",)),
    ],
    ids=["two cities", "three provinces", "filtered", "quarters"],
)
def test_each_region_counts_what_its_single_region_view_counts(ds, state):
    cmp = compare.comparison(ds.index, state)
    assert cmp.regions == state.region
    for r in cmp.regions:
        alone = replace(state, region=(r,), compare=False)
        assert cmp.timeline[r].tolist() == query.timeline(ds.index, alone)["count"].tolist()
        for c in CATEGORIES:
            merged = query.breakdown(ds.index, alone, c.id).set_index("code")["count"]
            split = cmp.breakdowns[c.id].set_index("code")[r]
            assert split.reindex(merged.index).tolist() == merged.tolist(), (r, c.id)


def test_a_region_s_yearly_counts_are_the_rows_of_the_table(ds):
    """Independent of ``data.query``: the rows of each city, counted by year with pandas."""
    cmp = compare.comparison(ds.index, both(GZ, SZ))
    frame = ds.frame
    for r in (GZ, SZ):
        rows = frame[(frame["city_adcode"] == r) & frame["date"].notna()]
        by_year = rows["date"].dt.year.value_counts()
        got = dict(zip(cmp.timeline["period"].dt.year, cmp.timeline[r], strict=True))
        assert {y: n for y, n in got.items() if n} == by_year.to_dict()
    subsidy = cmp.breakdowns["incentive"].set_index("code").loc["subsidy"]
    for r in (GZ, SZ):
        rows = frame[frame["city_adcode"] == r]
        assert subsidy[r] == sum("subsidy" in tuple(v) for v in rows["incentives"])


@pytest.mark.parametrize(
    "extra", [{}, {"incentive": ("subsidy", "fund")}, {"date_from": "2020-01-01"}]
)
def test_disjoint_regions_add_up_to_the_merged_view(ds, extra):
    state = both(GD, JS, BJ, **extra)
    cmp = compare.comparison(ds.index, state)
    merged = replace(state, compare=False)
    assert cmp.timeline[list(cmp.regions)].sum(axis=1).tolist() == (
        query.timeline(ds.index, merged)["count"].tolist()
    )
    for c in CATEGORIES:  # multi-valued dimensions count a policy once per value, as merged
        split = cmp.breakdowns[c.id].set_index("code")[list(cmp.regions)].sum(axis=1)
        whole = query.breakdown(ds.index, merged, c.id).set_index("code")["count"]
        assert split.reindex(whole.index).tolist() == whole.tolist(), c.id


def test_a_province_with_its_own_city_keeps_the_city_s_rows_and_says_so(ds):
    cmp = compare.comparison(ds.index, both(GD, SZ))
    assert cmp.contains == {GD: (SZ,)}
    province = query.timeline(ds.index, ViewState(region=(GD,)))["count"]
    assert cmp.timeline[GD].tolist() == province.tolist()  # nothing taken out
    assert int(cmp.timeline[GD].sum()) > int(cmp.timeline[SZ].sum()) > 0
    view = viewmodel.views(ds, both(GD, SZ), full=True).figures[ids.TIMELINE]
    assert {t.name for t in view.data} == {"广东省（含深圳市）", "深圳市"}
    assert "广东省的数字包含深圳市" in view.layout.annotations[compare_charts.NOTE_INDEX].text


def test_at_most_six_regions_and_the_rest_named(ds):
    seven = ("110000", "310000", "320000", "330000", "440000", "500000", "510000")
    state = both(*seven, lang="en")
    cmp = compare.comparison(ds.index, state)
    assert cmp.regions == seven[:6] and cmp.left_out == ("510000",)
    fig = viewmodel.views(ds, state, full=True).figures[ids.TIMELINE]
    assert len({t.name for t in fig.data}) == 6
    note = fig.layout.annotations[compare_charts.NOTE_INDEX].text.replace("<br>", " ")
    assert "left out: Sichuan" in note


def test_nothing_is_split_below_two_regions_or_without_the_switch(ds):
    assert compare.comparison(ds.index, both(GZ)).regions == ()
    assert compare.comparison(ds.index, ViewState(region=(GZ, SZ))).regions == ()
    drilled = ViewState(region=(GZ, SZ), drill=GD, map_level="city", compare=True)
    assert compare.comparison(ds.index, drilled).regions == (GZ, SZ)
    # drilled into Guangdong, Beijing is not in the region filter: nothing left to compare with
    assert not ViewState(region=(BJ, SZ), drill=GD, compare=True).comparing()


# ------------------------------------------------------------------------------ the URL
def test_compare_round_trips_through_the_url():
    state = both(GZ, SZ)
    query_string = encode_query(state)
    assert "compare=1" in query_string
    assert parse_query(query_string) == state
    assert "compare" not in encode_query(replace(state, compare=False))
    assert parse_query("?compare=yes").notes == ("ignored compare='yes'",)


def test_a_link_comparing_fewer_than_two_places_says_so(ds):
    one = ds.restrict(parse_query(f"?region={SZ}&compare=1"))
    assert NEEDS_TWO in one.notes and one.compare and not one.comparing()
    typo = ds.restrict(parse_query(f"?region={SZ},999999&compare=1"))
    assert NEEDS_TWO in typo.notes
    assert not ds.restrict(parse_query(f"?region={SZ},{GZ}&compare=1")).notes


def test_the_switch_is_disabled_with_a_reason_below_two_regions():
    (opt,) = compare_switch.options(ViewState(region=(SZ,)))
    assert opt["disabled"] and "两个或以上" in opt["label"]
    (opt,) = compare_switch.options(ViewState(region=(SZ, GZ), lang="en"))
    assert not opt["disabled"] and opt["label"] == "Compare places side by side"
    values = dict(zip(CONTROLS, control_values(both(GZ, SZ)), strict=True))
    assert values[(ids.COMPARE, "value")] == ["on"]


def test_the_switch_and_region_changes_set_compare():
    two = ViewState(region=(GZ, SZ))
    on = events.apply(two, ids.COMPARE, ["on"])
    assert on.comparing()
    assert not events.apply(on, ids.COMPARE, []).compare
    # removing a chip leaves one region: compare goes off rather than stay on, disabled
    after = events.apply(on, {"type": ids.CHIP, "dim": "region", "value": SZ}, 1)
    assert after.region == (GZ,) and not after.compare
    # the switch's options (a list of dicts) are never read as its value
    assert events.apply(on, ids.COMPARE, compare_switch.options(on)) == on


# ------------------------------------------------------------------------------ the views
def test_compare_redraws_and_is_never_patched_over_the_merged_charts(ds):
    merged, split = ViewState(region=(GZ, SZ)), both(GZ, SZ)
    assert viewmodel.view_key(merged) != viewmodel.view_key(split)
    later = viewmodel.views(ds, both(GZ, SZ, incentive=("subsidy",)), full=False)
    for chart in (ids.TIMELINE, *ids.BREAKDOWNS):
        assert set(later.updates[chart]) == {("data",), ("layout",)}, chart
        patch = to_patch(later.updates[chart]).to_plotly_json()
        assert [op["location"] for op in patch["operations"]] == [["data"], ["layout"]]
    traces = later.updates[ids.TIMELINE][("data",)]
    assert [t["name"] for t in traces[::2]] == ["广州市", "深圳市"]
    # the map and the ranking still patch their arrays
    assert ("data", 0, "z") in later.updates[ids.MAP]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_figures_name_the_regions_in_the_chart_s_language(ds, lang):
    figs = viewmodel.views(ds, both(GZ, SZ, lang=lang), full=True).figures
    names = ["广州市", "深圳市"] if lang == "zh" else ["Guangzhou", "Shenzhen"]
    stated = "对比：广州市、深圳市" if lang == "zh" else "compared: Guangzhou, Shenzhen"
    for chart in (ids.TIMELINE, *ids.BREAKDOWNS):
        fig = figs[chart]
        shown = [t for t in fig.data if t.showlegend is not False]
        assert [t.name for t in shown] == names, chart
        assert fig.layout.showlegend
        assert stated in fig.layout.title.text.replace("<br>", " ").replace(",  ", ", "), chart
        colours = {t.marker.color for t in shown}
        assert colours == set(compare_charts.PALETTE[:2]), chart


def test_grouped_bars_click_like_the_merged_chart_and_mark_the_pick(ds):
    fig = viewmodel.views(ds, both(GZ, SZ, incentive=("subsidy",)), full=True).figures[
        ids.breakdown("incentive")
    ]
    assert fig.layout.barmode == "group" and len(fig.data) == 2
    bar = fig.data[0]
    assert bar.orientation == "h" and "none-stated" not in bar.customdata
    i = list(bar.customdata).index("subsidy")
    assert bar.y[i] == "<b>补贴</b>" and bar.marker.opacity[i] == 1.0
    assert min(bar.marker.opacity) < 1.0  # the other categories pale, as on the merged chart
    counts = compare.comparison(ds.index, both(GZ, SZ)).breakdowns["incentive"]
    assert list(bar.x)[i] == int(counts.set_index("code").loc["subsidy", GZ])
    events_state = events.apply(
        both(GZ, SZ), ids.breakdown("type"), {"points": [{"customdata": "plan"}]}
    )
    assert events_state.picked("type") == ("plan",) and events_state.comparing()


def test_the_timeline_figure_builder_draws_one_line_and_one_total_per_region():
    frame = pd.DataFrame(
        {
            "period": pd.period_range("2019", "2021", freq="Y"),
            "start": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
            "selected": [False, True, False],
            "a": [1, 0, 2],
            "b": [0, 3, 1],
        }
    )
    fig = compare_charts.timeline_figure(
        frame, ("a", "b"), ["A", "B"], freq="year", lang="en", title="T", subtitle="S", source="x"
    )
    lines = [t for t in fig.data if t.yaxis in (None, "y")]
    totals = [t for t in fig.data if t.yaxis == "y2"]
    assert [list(t.y) for t in lines] == [[1, 0, 2], [0, 3, 1]]
    # each total spans the last period: its level repeated at the end of 2021
    assert [list(t.y) for t in totals] == [[1, 1, 3, 3], [0, 3, 4, 4]]
    assert {pd.Timestamp(t.x[-1]) for t in totals} == {pd.Timestamp("2022-01-01")}
    assert [t.line.color for t in lines] == [t.line.color for t in totals]
    assert len({t.marker.symbol for t in lines}) == 2  # not told apart by colour alone
    assert len(fig.layout.shapes) == 1  # the date filter's period, shaded
    assert not fig.layout.annotations[1].visible  # something to show
    empty = compare_charts.timeline_figure(
        frame.assign(a=0, b=0), ("a", "b"), ["A", "B"], freq="year", lang="en",
        title="T", subtitle="S", source="x", empty="Nothing",
    )  # fmt: skip
    assert empty.layout.annotations[1].visible and empty.layout.annotations[1].text == "Nothing"


# ------------------------------------------------------------------------------ exports
def test_the_csv_twin_has_one_column_per_region(ds):
    state = both(GZ, SZ, date_from="2019-01-01", date_to="2020-12-31")
    table = chart_data.chart_table(ds, state, ids.TIMELINE)
    assert list(table.columns) == [
        "period",
        "start",
        "广州市 Guangzhou (440100)",
        "深圳市 Shenzhen (440300)",
    ]
    assert table["period"].tolist() == ["2019", "2020"]
    alone = query.timeline(ds.index, replace(state, region=(GZ,), compare=False), crossfilter=False)
    kept = alone[alone["selected"]]["count"].tolist()
    assert table["广州市 Guangzhou (440100)"].tolist() == kept and sum(kept) > 0
    bars = chart_data.chart_table(ds, state, ids.breakdown("incentive"))
    assert {"code", "label_zh", "label_en", "drawn_as_bar"} < set(bars.columns)
    assert bars.columns[3:5].tolist() == ["广州市 Guangzhou (440100)", "深圳市 Shenzhen (440300)"]
    assert bars.loc[bars["code"] == "none-stated", "drawn_as_bar"].tolist() == [False]
    # the merged view keeps its single count column
    assert "count" in chart_data.chart_table(ds, replace(state, compare=False), ids.TIMELINE)


def test_exports_draw_the_compare_charts(ds):
    state = both(GZ, SZ, lang="en")
    figs = report_pack.figures(ds, state)
    assert [t.name for t in figs[ids.TIMELINE].data][::2] == ["Guangzhou", "Shenzhen"]
    assert "compared: Guangzhou, Shenzhen" in figs[ids.TIMELINE].layout.title.text
    name, data = report_pack.chart_file(ds, state, ids.breakdown("sector"), "csv")
    assert name.startswith("policies-by-sector-compared_guangzhou-shenzhen")
    assert report_pack.chart_stem(ds, state, ids.MAP).startswith("policy-map_")  # not split
    placeholder = report_pack.default_title(ds, state, ids.breakdown("type"))
    assert placeholder.endswith("by policy type, compared: Guangzhou, Shenzhen")
    assert name.endswith(".csv") and "Shenzhen (440300)" in data.decode("utf-8-sig")
    name, data = report_pack.chart_file(ds, state, ids.TIMELINE, "html")
    assert b"Guangzhou" in data and b"compared: Guangzhou, Shenzhen" in data
    members = report_pack.data_members(ds, state, figs)
    timeline_csv = next(v for k, v in members.items() if "policy-timeline" in k)
    header = timeline_csv.decode("utf-8-sig").splitlines()[0]
    assert header.endswith("Guangzhou (440100),深圳市 Shenzhen (440300)")


def test_category_labels_of_every_dimension_are_in_the_bars(ds):
    figs = viewmodel.views(ds, both(GD, JS, lang="en"), full=True).figures
    for c in CATEGORIES:
        fig = figs[ids.breakdown(c.id)]
        shown = set(fig.data[0].customdata)
        assert set(CATEGORY[c.id].order) - {c.none_code} <= shown, c.id  # every bar, as merged
        assert c.none_code not in shown, c.id  # "nothing stated" kept apart, in the note
