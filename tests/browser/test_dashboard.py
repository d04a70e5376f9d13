"""The dashboard as a user drives it, in Debian's headless Chromium against the real app."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from data import query
from data.loaders import load_dataset
from data.state import ViewState, parse_query
from layouts import map_story
from tests.browser import harness as h

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def expected_policies(ds, state: ViewState) -> int:
    return query.summary(ds.index, state)["policies"]


def summary_count(page) -> int:
    text = page.inner_text("#summary")
    return int(re.match(r"\s*([\d,]+)", text).group(1).replace(",", ""))


def state_of(page) -> ViewState:
    return parse_query(urlparse(page.url).query)


def map_values(page) -> dict[str, float]:
    """The legend class each region is drawn in (``z`` of the map is the class index)."""
    traces = h.figure_data(page, "map")
    main = next(t for t in traces if t["uid"] == "values-main")
    return dict(zip(main["locations"], main["z"], strict=True))


def expected_classes(ds, state) -> dict[str, float]:
    """The class of each region's count, computed from the data as the legend would."""
    values = query.region_counts(ds.index, state, ds.regions("province"))
    classes = map_story.map_classes(values, state).of(values["z"].to_numpy())
    return {a: float(c) for a, c in zip(values["adcode"], classes, strict=True)}


def table_total(page) -> int:
    """Rows in the grid, from its pagination panel ("1 to 20 of 20"), read as a user reads it:
    with the grid scrolled into view (off the screen it asks for no rows, "of more")."""
    was = page.evaluate("() => window.scrollY")
    page.locator("#table").scroll_into_view_if_needed()
    panel = "#table .ag-paging-row-summary-panel"
    page.wait_for_function(
        "s => /\\d\\s*$/.test((document.querySelector(s) || {}).innerText || '')", arg=panel
    )
    total = int(page.inner_text(panel).replace(",", "").split()[-1])
    page.evaluate("y => window.scrollTo(0, y)", was)  # back where the test's clicks aim
    return total


def test_first_load_shows_every_province_and_all_policies(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    assert summary_count(page) == ds.rows == 181
    drawn = {t["uid"]: t["locations"] for t in h.figure_data(page, "map")}
    main = set(drawn["values-main"]) | set(drawn["nodata-main"])
    assert len(main) == 34  # every provincial-level unit, Taiwan, Hong Kong and Macau included
    assert {"230000", "540000", "710000", "810000", "820000"} <= set(drawn["nodata-main"])
    assert "南海诸岛" in page.inner_text("#map")  # the South China Sea inset
    assert "全国性政策" in page.inner_text("#map-beside")  # national rows shown, not dropped
    assert table_total(page) == 181
    assert page.watch.errors == []
    assert page.watch.foreign == []


def test_click_guangdong_filters_every_other_view(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    before = map_values(page)
    h.click_region(page, "440000")
    page.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(page)
    gd = ViewState(region=("440000",))
    assert summary_count(page) == expected_policies(ds, gd) == 20
    assert table_total(page) == 20
    assert "广东省" in page.inner_text("#chips")
    timeline = next(t for t in h.figure_data(page, "timeline") if t["uid"] is None or True)
    assert sum(timeline["y"]) == query.timeline(ds.index, gd)["count"].sum()
    # crossfilter: the map keeps the other provinces (its own filter is not applied to it)
    assert map_values(page) == before
    # a second click on another province adds it
    h.click_region(page, "110000")
    page.wait_for_url(re.compile(r"region=110000%2C440000|region=110000,440000"))
    h.wait_idle(page)
    assert summary_count(page) == expected_policies(ds, ViewState(region=("110000", "440000")))
    assert page.watch.errors == []


def test_drag_on_timeline_selects_dates_and_map_follows(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    h.drag_timeline(page, 0.55, 0.8)
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=|from=.*to="))
    h.wait_idle(page)
    state = state_of(page)
    assert state.date_from and state.date_to and state.date_from < state.date_to
    expected = expected_classes(ds, state)
    got = map_values(page)
    assert got and all(got[a] == expected[a] for a in got)
    assert summary_count(page) == expected_policies(ds, state) < 181
    assert table_total(page) == expected_policies(ds, state)
    assert page.watch.errors == []


def test_click_incentive_bar_then_remove_chip(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    labels = h.figure_data(page, "bd-incentive")[0]["y"]  # sorted by value
    h.click_bar(page, "bd-incentive", list(labels).index("补贴"))
    page.wait_for_url(re.compile(r"incentive=subsidy"))
    h.wait_idle(page)
    state = ViewState.of(incentive=("subsidy",))
    expected = expected_classes(ds, state)
    got = map_values(page)
    assert got and {a: got[a] for a in got} == {a: expected[a] for a in got}
    assert summary_count(page) == expected_policies(ds, state)
    page.click("#chips .chip")
    page.wait_for_function("() => !location.search.includes('incentive')")
    h.wait_idle(page)
    assert summary_count(page) == 181
    assert page.inner_text("#chips").strip() == ""
    assert page.watch.errors == []


def test_opening_a_url_reproduces_the_view_and_back_steps_back(page, app_url, ds):
    query_string = "?region=440000&incentive=cash-reward,subsidy&from=2018-01-01&to=2021-12-31"
    page.goto(app_url + "/" + query_string)
    h.wait_ready(page)
    state = parse_query(query_string)
    assert summary_count(page) == expected_policies(ds, state)
    chips = page.inner_text("#chips")
    assert "广东省" in chips and "现金奖励" in chips and "补贴" in chips and "2018-01-01" in chips
    # the filter bar shows the same filters
    assert "现金奖励" in page.inner_text("#f-incentive")
    page.click("#chips .chip >> nth=0")
    page.wait_for_function("() => !location.search.includes('region')")
    h.wait_idle(page)
    page.go_back()
    page.wait_for_function("() => location.search.includes('region=440000')")
    h.wait_idle(page)
    assert summary_count(page) == expected_policies(ds, state)
    assert page.watch.errors == []


def test_city_level_english_and_drill_down(page, app_url, ds):
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    page.click("#drill-btn")
    page.wait_for_url(re.compile(r"drill=440000"))
    h.wait_idle(page)
    locs = {t["uid"]: t["locations"] for t in h.figure_data(page, "map")}
    drawn = set(locs["values-main"]) | set(locs["nodata-main"])
    assert "440300" in drawn and all(a.startswith("44") for a in drawn)  # Guangdong's cities
    # …and drawn on screen, filling the map (a projection mistake once drew nothing)
    assert h.region_box(page, "440300")["width"] > 20
    assert h.region_box(page, "441500")["width"] > 20  # 汕尾, a city with no recorded policy
    assert summary_count(page) == expected_policies(ds, ViewState(drill="440000"))
    page.click("#back-btn")
    page.wait_for_function("() => !location.search.includes('drill')")
    h.wait_idle(page)
    page.click("#map-level input[value=city]")
    page.wait_for_url(re.compile(r"map=city"))
    h.wait_idle(page)
    locs = {t["uid"]: t["locations"] for t in h.figure_data(page, "map")}
    assert len(set(locs["values-main"]) | set(locs["nodata-main"])) > 350  # every city-level unit
    page.click("#lang-toggle")
    page.wait_for_url(re.compile(r"lang=en"))
    h.wait_idle(page)
    assert "Policy Atlas" in page.inner_text("header")
    assert "policies" in page.inner_text("#summary")
    assert "by incentive" in page.inner_text(
        "#bd-incentive"
    )  # "Blockchain policies …, by incentive"
    assert parse_qs(urlparse(page.url).query)["map"] == ["city"]
    assert page.watch.errors == []
    assert page.watch.foreign == []


def test_copy_link_copies_the_view_url(page, app_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page.goto(app_url + "/?region=440000&lang=en")
    h.wait_ready(page)
    page.click("#copy-link")
    page.wait_for_function("() => document.getElementById('copy-status').textContent !== ''")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == app_url + "/?region=440000&lang=en"


def test_dashboard_runs_on_a_users_file(browser):
    """`python app.py --data FILE`: a GBK CSV in mixed languages, shown like the bundled data."""
    from data.loaders import load_dataset as load

    fixture = h.REPO / "tests" / "fixtures" / "messy_gbk.csv"
    expected = load(str(fixture))
    with h.running_app("--data", str(fixture)) as base:
        context = browser.new_context(viewport={"width": 1440, "height": 1400})
        page = context.new_page()
        watch = h.PageWatch(page, base)
        page.goto(base + "/")
        h.wait_ready(page)
        assert summary_count(page) == expected.rows == 12
        assert table_total(page) == 12
        h.click_region(page, "440000")
        page.wait_for_url(re.compile(r"region=440000"))
        h.wait_idle(page)
        assert (
            summary_count(page)
            == query.summary(expected.index, ViewState(region=("440000",)))["policies"]
        )
        assert watch.errors == [] and watch.foreign == []
        context.close()


def test_place_filter_and_pilot_layer(page, app_url, ds):
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    assert not page.locator("#pilot-field").is_visible()  # only with the pilot layer on
    page.click("#f-region")
    page.keyboard.type("Shenzhen")
    page.wait_for_function(  # the search has narrowed the list: Enter picks its first option
        "() => (document.querySelector('.dash-dropdown-content .dash-options-list-option')"
        " || {textContent: ''}).textContent.includes('Shenzhen')"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"region=440300"))
    h.wait_idle(page)
    assert summary_count(page) == expected_policies(ds, ViewState(region=("440300",)))
    assert "Shenzhen" in page.inner_text("#chips")
    page.click("#pilots input")
    page.wait_for_url(re.compile(r"pilots=1"))
    h.wait_idle(page)
    assert page.locator("#pilot-field").is_visible()
    pilots = page.evaluate(
        "() => document.querySelector('#map .js-plotly-plot').data"
        ".find(t => t.uid === 'pilots').lon.length"
    )
    assert pilots == len(ds.pilots.dropna(subset=["lon", "lat"]))
    assert page.watch.errors == []


def test_find_in_table_narrows_the_rows_shown(page, app_url):
    page.goto(app_url + "/?region=440000&lang=en")
    h.wait_ready(page)
    assert table_total(page) == 20
    page.fill("#table-search", "Huangpu")
    # the search is debounced and the grid's block may still be on its way on a busy machine
    # ("1 to 25 of more"): wait until the panel counts the rows found, fewer than before
    page.wait_for_function(
        "() => { const t = document.querySelector('#table .ag-paging-row-summary-panel')"
        ".innerText.trim().replace(/,/g, ''); return /\\d$/.test(t)"
        " && Number(t.split(/\\s+/).pop()) < 20; }"
    )
    assert 0 < table_total(page) < 20
    assert all(
        "Huangpu" in t or "黄埔" in t for t in page.locator("#table .ag-row").all_inner_texts()
    )
