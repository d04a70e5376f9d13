"""Diffusion queries on a small hand-made table with known answers: first adoption, adoption
curves, the slider's periods, and the period as part of the date filter."""

import pandas as pd
import pytest

from data import diffusion, periods, query
from data.state import ViewState, encode_query, parse_query
from tests.test_query import frame

GD, SZ, GZ = "440000", "440300", "440100"
SH, ZJ, HZ, XZ = "310000", "330000", "330100", "540000"
PROVINCES = [GD, SH, ZJ, XZ]


@pytest.fixture
def idx():
    """Guangdong first (Shenzhen, 2016-12, a subsidy), Shanghai 2017, Zhejiang 2020 (a cash
    reward; an earlier undated row does not count), Tibet never; a national row and a row dated
    only to a year."""
    rows = [
        dict(
            province_adcode=GD,
            city_adcode=SZ,
            placed="city",
            date="2016-12-20",
            incentives=("subsidy",),
        ),
        dict(province_adcode=GD, city_adcode=GZ, placed="city", date="2019-11-02"),
        dict(province_adcode=SH, date="2017-06-01", incentives=("cash-reward",)),
        dict(province_adcode=SH, date="2020-02-01", incentives=("subsidy",)),
        dict(province_adcode=ZJ, date=None),  # undated: cannot be placed in time
        dict(
            province_adcode=ZJ,
            city_adcode=HZ,
            placed="city",
            date="2020-01-01",
            date_precision="year",
            incentives=("cash-reward",),
        ),
        dict(placed="national", level="national", date="2019-10-25"),
    ]
    return query.build_index(frame(rows))


def test_first_adoption_year_of_each_province(idx):
    out = diffusion.first_adoption(idx, ViewState(), PROVINCES)
    assert out["adcode"].tolist() == PROVINCES
    assert out["year"].tolist() == [2016, 2017, 2020, 0]  # 0: never
    assert out["first"].iloc[0] == pd.Timestamp("2016-12-20")
    assert pd.isna(out["first"].iloc[3])
    assert out["row"].tolist() == [0, 2, 5, -1]  # table positions of the first policies
    assert out["policies"].tolist() == [2, 2, 1, 0]
    assert out.attrs["undated"] == 1


def test_first_adoption_follows_the_filters_but_not_the_dates(idx):
    subsidy = ViewState.of(incentive=("subsidy",))
    assert diffusion.first_adoption(idx, subsidy, PROVINCES)["year"].tolist() == [2016, 2020, 0, 0]
    # a date range or a period does not move the first adoption (the curve marks the period)
    narrowed = ViewState(date_from="2019-01-01", period="2020")
    assert diffusion.first_adoption(idx, narrowed, PROVINCES)["year"].tolist() == [
        2016,
        2017,
        2020,
        0,
    ]


def test_first_adoption_of_cities(idx):
    out = diffusion.first_adoption(idx, ViewState(), [SZ, GZ, HZ, "110100"], level="city")
    assert out["year"].tolist() == [2016, 2019, 2020, 0]


def test_adoption_curve_counts_and_shares(idx):
    curve = diffusion.adoption_curve(idx, ViewState(), PROVINCES)
    by_year = dict(zip(curve["period"], curve["adopted"], strict=True))
    assert by_year == {"2016": 1, "2017": 2, "2018": 2, "2019": 2, "2020": 3}
    assert curve["new"].tolist() == [1, 1, 0, 0, 1]
    assert curve["share"].tolist() == [25.0, 50.0, 50.0, 50.0, 75.0]
    assert curve.attrs["regions"] == 4


def test_adoption_curve_by_quarter(idx):
    curve = diffusion.adoption_curve(idx, ViewState(freq="quarter"), PROVINCES)
    got = dict(zip(curve["period"], curve["adopted"], strict=True))
    assert got["2016Q4"] == 1 and got["2017Q1"] == 1 and got["2017Q2"] == 2
    # the row dated only to 2020 counts once 2020 is over (never on 1 January)
    assert got["2019Q4"] == 2 and got["2020Q1"] == 2 and got["2020Q4"] == 3
    assert curve["end"].iloc[0] == pd.Timestamp("2016-12-31")


def test_one_curve_per_picked_value(idx):
    state = ViewState.of(incentive=("cash-reward", "subsidy"))
    curves = diffusion.compared_curves(idx, state, PROVINCES)
    assert [(c.dimension, c.code) for c in curves] == [
        (None, None),
        ("incentive", "cash-reward"),
        ("incentive", "subsidy"),
    ]
    last = {c.code: int(c.frame["adopted"].iloc[-1]) for c in curves}
    assert last == {None: 3, "cash-reward": 2, "subsidy": 2}
    one = diffusion.compared_curves(idx, ViewState.of(incentive=("subsidy",)), PROVINCES)
    assert len(one) == 1


def test_slider_periods_and_dense_steps(idx):
    assert diffusion.slider_periods(idx, "year") == ["2016", "2017", "2018", "2019", "2020"]
    assert diffusion.slider_periods(idx, "quarter")[:2] == ["2016Q4", "2017Q1"]
    # 5 of 5 years hold a policy; 4 of 14 quarters; 5 of 40 months
    assert diffusion.dense_freqs(idx) == ("year",)
    assert diffusion.frame_periods(idx, ViewState(freq="quarter"))[0] == "2016"
    ranged = ViewState(date_from="2017-03-01", date_to="2019-12-31")
    assert diffusion.frame_periods(idx, ranged) == ["2017", "2018", "2019"]
    assert diffusion.year_periods(idx, ranged) == ["2017", "2018", "2019"]


def test_bundled_table_offers_quarters_but_not_months(bundled):
    assert diffusion.dense_freqs(bundled.index) == ("year", "quarter")


def test_period_narrows_the_date_filter(idx):
    in_2020 = ViewState(period="2020")
    assert in_2020.date_window() == ("2020-01-01", "2020-12-31")
    assert query.summary(idx, in_2020)["policies"] == 2
    up_to = ViewState(period="2017", cumulative=True)
    assert up_to.date_window() == (None, "2017-12-31")
    assert query.summary(idx, up_to)["policies"] == 2
    counts = query.region_counts(
        idx, up_to, pd.DataFrame({"adcode": PROVINCES, "level": "province"})
    )
    assert counts["count"].tolist() == [1, 1, 0, 0]
    both = ViewState(date_from="2020-02-01", period="2020")
    assert both.date_window() == ("2020-02-01", "2020-12-31")
    timeline = query.timeline(idx, in_2020)
    assert timeline.loc[timeline["selected"], "period"].astype(str).tolist() == ["2020"]


def test_period_in_the_url_round_trips():
    state = parse_query("?period=2020Q3&cum=1")
    assert (state.period, state.cumulative) == ("2020Q3", True)
    assert encode_query(state) == "?period=2020Q3&cum=1"
    assert parse_query("?period=2020Q5").notes == ("ignored period='2020Q5'",)
    assert state.without("date").period is None
    assert state.cleared().cumulative is True


@pytest.mark.parametrize(
    ("lo", "hi", "freq", "expected"),
    [
        # the drag of the issue: late 2017 .. late 2021 at the yearly step
        ("2017-11-24", "2021-11-07", "year", ("2018-01-01", "2021-12-31")),
        ("2018-02-10 04:00:00.5", "2021-12-30", "year", ("2018-01-01", "2021-12-31")),
        ("2020-03-01", "2020-09-01", "year", ("2020-01-01", "2020-12-31")),  # inside one year
        ("2020-02-20", "2020-08-10", "quarter", ("2020-04-01", "2020-06-30")),
        ("2020-01-20", "2020-01-24", "month", ("2020-01-01", "2020-01-31")),
        ("2021-11-07", "2017-11-24", "year", ("2018-01-01", "2021-12-31")),  # dragged leftwards
    ],
)
def test_brush_snaps_to_whole_periods(lo, hi, freq, expected):
    assert periods.snap(lo, hi, freq) == expected


def test_period_values_of_the_slider():
    assert periods.to_value("2020") == 2020 * 12
    assert periods.from_value(2020 * 12 + 7, "quarter") == "2020Q3"
    assert periods.from_value(2020 * 12 + 7, "month") == "2020-08"
    assert periods.convert("2020Q3", "year") == "2020"
    assert periods.from_value("x", "year") is None
    assert periods.bounds("2020Q1") == ("2020-01-01", "2020-03-31")
    assert periods.bounds("2024-02") == ("2024-02-01", "2024-02-29")


def test_busiest_region_period_fixes_the_colour_scale(idx):
    assert diffusion.busiest(idx, ViewState()) == 1  # never two in one province in one year
    assert diffusion.busiest(idx, ViewState(cumulative=True)) == 2  # Guangdong, Shanghai in all
    assert diffusion.busiest(idx, ViewState(), level="city") == 1
    assert diffusion.busiest(idx, ViewState.of(stance=("restrict",))) == 0
