"""Policy diffusion as a user drives it: play and pause the map through the periods, open a link
at a period, step the slider with the keyboard, brush the timeline (snapped to whole periods)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from data import periods, query
from data.state import ViewState, parse_query
from tests.browser import harness as h

pytestmark = pytest.mark.browser


def state_of(page) -> ViewState:
    return parse_query(urlparse(page.url).query)


def map_values(page) -> dict[str, float]:
    """Each coloured region's policy count, as its hover says ("政策数: 4 …"; ``z`` is the
    legend class since the map's legend is stepped)."""
    main = next(t for t in h.figure_data(page, "map") if t["uid"] == "values-main")
    counts = [float(re.search(r"\d+", text).group()) for text in main["text"]]
    return dict(zip(main["locations"], counts, strict=True))


def drawn(page) -> bool:
    """Every view is drawn for the URL in the address bar."""
    return page.evaluate(
        "() => document.getElementById('rendered-search').textContent === location.search"
    )


def expected_counts(ds, state: ViewState) -> dict[str, float]:
    frame = query.region_counts(ds.index, state, ds.regions("province"))
    return {a: float(c) for a, c in zip(frame["adcode"], frame["count"], strict=True)}


def shown_frame(page) -> tuple[str | None, dict[str, float]]:
    """The period the slider shows (while playing, the URL keeps the period Play started from
    until pause) and the map's counts, read together."""
    value, main = page.evaluate(
        """() => [document.querySelector('#period [role=slider]').getAttribute('aria-valuenow'),
                  document.querySelector('#map .js-plotly-plot').data
                    .find(t => t.uid === 'values-main')]"""
    )
    counts = [float(re.search(r"\d+", text).group()) for text in main["text"]]
    return periods.from_value(int(value), "year"), dict(zip(main["locations"], counts, strict=True))


def test_play_animates_the_map_and_pause_stops_it(page, app_url, bundled):
    page.goto(app_url + "/")
    h.wait_ready(page)
    page.click("#speed input[value='900']")
    h.record_play(page)
    page.click("#play")
    history_at_play = page.evaluate("() => window.history.length")
    seen: dict[str, dict[str, float]] = {}
    for entry in h.recorded(page, frames=6)[1:]:  # the frames after the page as opened
        counts = [float(re.search(r"\d+", text).group()) for text in entry["text"]]
        period = periods.from_value(entry["value"], "year")
        seen[period] = dict(zip(entry["locations"], counts, strict=True))
    assert len(seen) >= 6, f"the map stepped through {sorted(seen)} only"
    assert list(seen) == sorted(seen)  # forwards, one period after another
    assert list(seen)[:3] == ["2013", "2014", "2015"]  # from the first year of the table
    for period, got in seen.items():  # each frame shows the policies of its period
        want = expected_counts(bundled, ViewState(period=period))
        assert {a: got[a] for a in got} == {a: want[a] for a in got}, period
    distinct = {tuple(sorted(v.items())) for v in seen.values()}
    assert len(distinct) >= 4  # the values change, not only the label
    assert "playing" in page.get_attribute("#play", "class")
    assert state_of(page).period is None  # the URL is written on pause, not per frame
    page.click("#play")  # pause
    page.wait_for_function("() => !document.querySelector('#play').className.includes('playing')")
    page.wait_for_function("() => location.search.includes('period=')")  # written on pause
    stopped_at = state_of(page).period
    page.wait_for_timeout(2000)  # two ticks at the normal speed
    h.wait_idle(page)
    assert state_of(page).period == stopped_at == shown_frame(page)[0]
    assert page.inner_text("#period-label").strip() == periods.display(stopped_at, "zh")
    # one history entry for the pause: the back button leaves the animation, not one frame
    assert page.evaluate("() => window.history.length") <= history_at_play + 1
    assert page.watch.errors == []


def test_a_link_with_a_period_opens_at_that_period(page, app_url, bundled):
    page.goto(app_url + "/?period=2020Q1&freq=quarter&cum=1")
    h.wait_ready(page)
    state = ViewState(period="2020Q1", freq="quarter", cumulative=True)
    assert page.inner_text("#period-label").strip() == "截至 2020 年第 1 季度"
    value = page.locator("#period [role=slider]").get_attribute("aria-valuenow")
    assert int(value) == periods.to_value("2020Q1")
    assert page.is_checked("#cumulative input")
    assert map_values(page) == {
        a: v for a, v in expected_counts(bundled, state).items() if a in map_values(page)
    }
    summary = page.inner_text("#summary")
    assert summary.startswith(f"{query.summary(bundled.index, state)['policies']} ")
    bands = page.evaluate(
        "() => document.querySelector('#timeline .js-plotly-plot').layout.shapes"
        ".filter(s => s.name === 'current-period').map(s => [s.x0, s.x1])"
    )
    assert bands == [["2020-01-01T00:00:00", "2020-04-01T00:00:00"]]
    assert page.watch.errors == []


def test_the_slider_works_with_the_keyboard(page, app_url):
    page.goto(app_url + "/?period=2019")
    h.wait_ready(page)
    page.focus("#period [role=slider]")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"period=2020"))
    h.wait_idle(page)
    assert page.inner_text("#period-label").strip() == "2020 年"
    page.keyboard.press("End")
    page.wait_for_url(re.compile(r"period=2024"))
    h.wait_idle(page)
    assert page.inner_text("#period-label").strip() == "2024 年"


def _date_x(page, when: str) -> float:
    """The page x of a date on the timeline's axis (plotly's own conversion)."""
    box = page.locator("#timeline .nsewdrag").first.bounding_box()
    offset = page.evaluate(
        "(d) => document.querySelector('#timeline .js-plotly-plot')._fullLayout.xaxis.d2p(d)",
        when,
    )
    return box["x"] + offset


def test_brushing_the_timeline_snaps_to_whole_periods(page, app_url, bundled):
    page.goto(app_url + "/?period=2019")
    h.wait_ready(page)
    box = page.locator("#timeline .nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    start, end = _date_x(page, "2017-11-24"), _date_x(page, "2021-11-07")  # the drag
    page.mouse.move(start, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(start + (end - start) * i / 10, y)
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=2018-01-01&to=2021-12-31"))
    h.wait_idle(page)
    state = state_of(page)
    assert state.period is None  # the brushed range replaces the slider's period
    assert page.inner_text("#period-label").strip() == "全部时期"
    assert page.inner_text("#summary").startswith(
        f"{query.summary(bundled.index, state)['policies']} "
    )
    assert page.watch.errors == []
