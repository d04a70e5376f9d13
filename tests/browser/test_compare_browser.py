"""Compare mode as a user drives it: two provinces, the switch, a split timeline that a link and a
reload bring back, and a click that filters while comparing (the real app in headless Chromium)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from data import compare
from data.loaders import load_dataset
from data.state import parse_query
from tests.browser import harness as h

pytestmark = pytest.mark.browser

GD, JS = "440000", "320000"


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def timeline_series(page) -> dict[str, list[int]]:
    """The per-period series the timeline draws (the upper panel), by their legend name."""
    return page.evaluate(
        """() => {
          const gd = document.querySelector('#timeline .js-plotly-plot');
          const out = {};
          // _fullData: the arrays as drawn (``data`` may hold them base64-encoded)
          gd._fullData.filter(t => t.showlegend && t.yaxis === 'y')
            .forEach(t => { out[t.name] = Array.from(t.y); });
          return out;
        }"""
    )


def legend_names(page) -> list[str]:
    return page.locator("#timeline .legend .legendtext").all_text_contents()


def test_two_provinces_compared_side_by_side_survive_a_reload(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    switch = page.locator("#compare input[type=checkbox]")
    assert switch.is_disabled()  # nothing to compare yet, and the label says why
    assert "两个或以上" in page.inner_text("#compare")
    for code in (GD, JS):
        h.click_region(page, code)
        page.wait_for_url(re.compile(code))
        h.wait_idle(page)
    assert switch.is_enabled()
    assert len(timeline_series(page)) == 1  # still merged: one series, no legend

    page.locator("#compare label").click()
    page.wait_for_url(re.compile(r"compare=1"))
    h.wait_idle(page)
    state = parse_query(urlparse(page.url).query)
    assert state.comparing() and state.region == (JS, GD)
    expected = compare.comparison(ds.index, state)
    series = timeline_series(page)
    assert series == {
        "江苏省": expected.timeline[JS].tolist(),
        "广东省": expected.timeline[GD].tolist(),
    }
    assert legend_names(page) == ["江苏省", "广东省"]
    title = page.locator("#timeline .gtitle").text_content() or ""
    assert "对比：江苏省、广东省" in title.replace("\n", "")

    page.reload()
    h.wait_ready(page)
    assert "compare=1" in page.url
    assert page.locator("#compare input[type=checkbox]").is_checked()
    assert timeline_series(page) == series
    assert legend_names(page) == ["江苏省", "广东省"]
    assert page.watch.errors == [] and page.watch.foreign == []


def test_a_click_while_comparing_redraws_the_split_charts(page, app_url, ds):
    """A filter change while comparing is sent as a whole new figure (never a patch of the merged
    chart's arrays): both series stay, with the filtered counts."""
    page.goto(app_url + f"/?region={JS},{GD}&compare=1")
    h.wait_ready(page)
    # a click on Guangdong's "support" bar in the grouped stance chart
    bar = page.locator("#bd-stance .trace.bars").nth(1).locator(".point path").first
    page.locator("#bd-stance").scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"stance=support"))
    h.wait_idle(page)
    state = parse_query(urlparse(page.url).query)
    expected = compare.comparison(ds.index, state)
    assert timeline_series(page) == {
        "江苏省": expected.timeline[JS].tolist(),
        "广东省": expected.timeline[GD].tolist(),
    }
    bars = page.evaluate(
        "() => document.querySelector('#bd-stance .js-plotly-plot').data.map(t => t.name)"
    )
    assert bars == ["江苏省", "广东省"]
    # one region left: compare goes off, the switch is disabled and says why
    page.locator(".chip").filter(has_text="江苏省").click()
    page.wait_for_url(lambda url: "compare" not in url and JS not in url)
    h.wait_idle(page)
    assert page.locator("#compare input[type=checkbox]").is_disabled()
    assert len(timeline_series(page)) == 1
    assert page.watch.errors == []


@pytest.mark.parametrize(
    "query", [f"?region={JS},{GD}&compare=1&lang=en", f"?region={GD}&compare=1"]
)
def test_axe_finds_nothing_serious_in_compare_mode(page, app_url, query):
    """The switch named in the page's language, enabled or disabled with its reason."""
    from tests.browser.axe import run_axe, serious

    page.goto(app_url + "/" + query)
    h.wait_ready(page)
    found = serious(run_axe(page))
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]
    name = (
        "Compare places side by side"
        if "lang=en" in query
        else "分地区对比（需选择两个或以上地区）"
    )
    assert page.get_by_role("checkbox", name=name, exact=True).count() == 1
    if "lang=en" not in query:  # one province and compare=1: told, not silently ignored
        assert "compare=1" in page.inner_text("#url-notes")
        assert page.locator("#compare input[type=checkbox]").is_disabled()
