"""Cross-filter queries: each view counts the rows of every active filter except its own."""

import numpy as np
import pandas as pd
import pytest

from data import query
from data.state import ViewState


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "row": 0,
        "policy_id": "",
        "date": pd.NaT,
        "date_precision": "unknown",
        "level": "provincial",
        "province_zh": "",
        "city_zh": "",
        "district_zh": "",
        "province_adcode": None,
        "city_adcode": None,
        "district_adcode": None,
        "placed": "province",
        "issuer_zh": "",
        "issuer_en": "",
        "title_zh": "",
        "title_en": "",
        "policy_type": "other",
        "stance": "support",
        "incentives": (),
        "amount_cny": np.nan,
        "summary_en": "",
        "source": "s",
        "is_work_report": False,
    }
    out = pd.DataFrame([{**base, **r, "row": i + 2} for i, r in enumerate(rows)])
    out["date"] = pd.to_datetime(out["date"])
    return out


@pytest.fixture
def idx():
    return query.build_index(
        frame(
            [
                # Guangdong: a provincial plan, a Shenzhen measure with cash, a district subsidy
                dict(province_adcode="440000", date="2019-05-01", policy_type="action-plan"),
                dict(
                    province_adcode="440000",
                    city_adcode="440300",
                    placed="city",
                    level="city",
                    date="2020-03-15",
                    incentives=("cash-reward", "subsidy"),
                    amount_cny=5e6,
                    title_en="Shenzhen blockchain measures",
                ),
                dict(
                    province_adcode="440000",
                    city_adcode="440300",
                    district_adcode="440305",
                    placed="district",
                    level="district",
                    date="2021-01-01",
                    incentives=("subsidy",),
                ),
                # Beijing: a municipality counts at province and city level
                dict(province_adcode="110000", city_adcode="110100", date="2020-07-01"),
                # a crackdown in Inner Mongolia, a work report
                dict(province_adcode="150000", date="2021-03-01", stance="restrict"),
                dict(province_adcode="150000", date="2020-02-01", is_work_report=True),
                # national, undated
                dict(placed="national", level="national"),
                # unplaced row: kept, never on the map
                dict(placed="unplaced", province_zh="Atlantis", date="2020-01-01"),
            ]
        )
    )


PROVINCES = pd.DataFrame(
    {"adcode": ["110000", "150000", "230000", "440000"], "level": ["province"] * 4}
)


def test_map_counts_ignore_the_region_filter_but_mark_the_selection(idx):
    state = ViewState(region=("440000",))
    out = query.region_counts(idx, state, PROVINCES).set_index("adcode")
    assert out["count"].to_dict() == {"110000": 1, "150000": 2, "230000": 0, "440000": 3}
    assert out.loc["440000", "selected"] and not out.loc["110000", "selected"]
    # every other view does apply it
    assert query.summary(idx, state)["policies"] == 3


def test_no_recorded_policy_is_distinct_from_filtered_to_zero(idx):
    out = query.region_counts(idx, ViewState.of(stance=("restrict",)), PROVINCES).set_index(
        "adcode"
    )
    assert out.loc["230000", "status"] == "no_record"  # no row names Heilongjiang at all
    assert out.loc["440000", "status"] == "zero"  # Guangdong has rows, none is a crackdown
    assert out.loc["150000", "status"] == "value"


def test_top_incentives_skip_none_stated_and_follow_counts(idx):
    out = query.region_counts(idx, ViewState(), PROVINCES).set_index("adcode")
    assert out.loc["440000", "top_incentives"] == ("subsidy", "cash-reward")
    assert "none-stated" not in out.loc["150000", "top_incentives"]


def test_city_level_rolls_districts_up_and_counts_province_only_rows_beside(idx):
    cities = pd.DataFrame({"adcode": ["110100", "440100", "440300"], "level": ["city"] * 3})
    out = query.region_counts(idx, ViewState(), cities).set_index("adcode")
    assert out["count"].to_dict() == {"110100": 1, "440100": 0, "440300": 2}
    beside = query.unmapped_counts(idx, ViewState(), "city")
    assert beside == {"national": 1, "unplaced": 1, "province_only": 3}


def test_measures_share_and_per_capita(idx):
    ref = pd.DataFrame(
        {
            "adcode": ["110000", "150000", "230000", "440000"],
            "population": [20_000_000, 25_000_000, 30_000_000, 120_000_000],
            "gdp_2020": [36000.0, 17000.0, 13000.0, 110000.0],
            "gdp_2023": [43000.0, 24000.0, 16000.0, 135000.0],
        }
    )
    share = query.region_counts(idx, ViewState(measure="share"), PROVINCES, ref)
    assert share["z"].sum() == pytest.approx(100.0)
    per_pop = query.region_counts(idx, ViewState(measure="per_pop"), PROVINCES, ref)
    assert per_pop.set_index("adcode").loc["440000", "z"] == pytest.approx(3 / 12)
    per_gdp = query.region_counts(idx, ViewState(measure="per_gdp", gdp_year=2023), PROVINCES, ref)
    assert per_gdp.set_index("adcode").loc["110000", "z"] == pytest.approx(1 / 43)


def test_timeline_ignores_its_own_date_filter_and_marks_it(idx):
    state = ViewState(date_from="2020-01-01", date_to="2020-12-31")
    tl = query.timeline(idx, state)
    assert tl["period"].astype(str).tolist() == ["2019", "2020", "2021"]
    assert tl["count"].tolist() == [1, 4, 2]  # all dated rows: its own filter not applied
    assert tl["selected"].tolist() == [False, True, False]
    assert tl["cumulative"].iloc[-1] == 7
    assert tl.attrs["undated"] == 1
    assert query.summary(idx, state)["policies"] == 4  # other views apply it; undated excluded


def test_breakdown_keeps_every_category_in_order_and_unknown_labels_after(idx):
    bd = query.breakdown(idx, ViewState(region=("440000",)), "incentive", ("cash-reward", "fund"))
    assert bd["code"].tolist() == ["cash-reward", "fund", "subsidy"]
    assert bd["count"].tolist() == [1, 0, 2]
    sel = query.breakdown(idx, ViewState.of(incentive=("subsidy",)), "incentive", ("subsidy",))
    assert sel.set_index("code").loc["subsidy", "selected"]
    # the incentive view does not apply its own filter
    assert sel.set_index("code").loc["cash-reward", "count"] == 1


def test_filters_combine_across_dimensions(idx):
    state = ViewState.of(region=("440000",), incentive=("subsidy",), date_from="2021-01-01")
    assert query.summary(idx, state)["policies"] == 1
    # the title, and the district row whose city is Shenzhen (English place names are searched)
    assert query.summary(idx, ViewState(text="shenzhen"))["policies"] == 2
    assert query.summary(idx, ViewState(work_reports=False))["policies"] == 7
    assert query.summary(idx, ViewState.of(level=("city", "district")))["policies"] == 2


def test_summary_amounts_and_places(idx):
    s = query.summary(idx, ViewState(region=("440000",)))
    assert (s["policies"], s["provinces"], s["cities"]) == (3, 1, 1)
    assert s["amount_total"] == 5e6 and s["amount_rows"] == 1


def test_rows_newest_first_undated_last_and_nothing_dropped(idx):
    rows = query.selected_rows(idx, ViewState())
    assert len(rows) == idx.n == 8
    assert rows["date"].iloc[0] == pd.Timestamp("2021-03-01")
    assert rows["date"].iloc[-1] is pd.NaT or pd.isna(rows["date"].iloc[-1])
    assert rows.attrs["matched"] == 8
    assert len(query.selected_rows(idx, ViewState(), limit=3)) == 3


def test_drill_restricts_other_views_to_the_province(idx):
    assert query.summary(idx, ViewState(drill="440000"))["policies"] == 3
    assert query.summary(idx, ViewState(drill="440000", region=("440300",)))["policies"] == 2


# ----------------------------------------------------------------------- the bundled data
def test_bundled_map_shows_all_34_units_and_no_record_where_the_table_has_none(bundled):
    out = query.region_counts(bundled.index, ViewState(), bundled.regions("province"))
    assert len(out) == 34
    no_record = set(out.loc[out["status"] == "no_record", "adcode"])
    # the data README: Heilongjiang and Tibet have no row, nor do Hong Kong, Macau and Taiwan
    assert no_record == {"230000", "540000", "810000", "820000", "710000"}
    assert (
        out["count"].sum()
        + query.unmapped_counts(bundled.index, ViewState(), "province")["national"]
        == bundled.rows
    )


def test_bundled_counts_match_the_data_readme(bundled):
    s = query.summary(bundled.index, ViewState())
    assert s["policies"] == 181 and s["national"] == 35
    levels = query.breakdown(bundled.index, ViewState(), "level").set_index("code")["count"]
    assert levels.to_dict() == {"city": 33, "district": 25, "national": 35, "provincial": 88}
    assert query.summary(bundled.index, ViewState.of(stance=("restrict",)))["policies"] == 17
    assert query.summary(bundled.index, ViewState(work_reports=False))["policies"] == 181 - 34


def test_drilled_city_map_counts_only_its_provinces_province_level_rows(idx):
    drilled = query.unmapped_counts(idx, ViewState(drill="440000"), "city")
    assert drilled["province_only"] == 1  # Guangdong's own provincial plan, not Beijing's or IM's
    assert query.unmapped_counts(idx, ViewState(), "city")["province_only"] == 3


def test_a_city_outside_the_drilled_province_is_ignored(idx):
    # ?drill=110000&region=440300: the map shows Beijing, so the other views do too
    assert query.summary(idx, ViewState(drill="110000", region=("440300",)))["policies"] == 1
