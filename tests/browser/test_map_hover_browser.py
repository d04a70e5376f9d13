"""Hovering a region on the two maps, in Chromium against the real app.

The regions' names are not in the server's answer: plotly.js reads them from the boundary layer
the browser holds (``layouts.figures.china_map.NAMES``: ``properties.name_zh`` and ``name_en``),
and the first-adoption map's "never" travels once, as its hover's fallback. What a user reads must
be what the server wrote for every region before (issue 24): both names, the page's language
first, then what the view says of the region; "no recorded policy" and "filtered to zero" apart.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from data import measures, query
from data.loaders import load_dataset
from data.state import parse_query
from tests.browser import harness as h

pytestmark = pytest.mark.browser

# A point inside a region's drawn shape, on one subplot of one graph (geo: the map, geo2: the
# South China Sea inset), or null while it is not drawn.
POINT_JS = """([graph, code, subplot]) => {
  for (const el of document.querySelectorAll('#' + graph + ' .choroplethlocation')) {
    const d = el.__data__;
    const geo = el.closest('.geo');
    if (!d || d.loc !== code || !geo || !geo.classList.contains(subplot)) continue;
    const r = el.getBoundingClientRect();
    if (!(r.width > 2)) continue;
    for (const [fx, fy] of [[.5, .5], [.45, .4], [.55, .6], [.4, .55], [.6, .35], [.35, .65]]) {
      const x = r.x + r.width * fx, y = r.y + r.height * fy;
      const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM().inverse());
      if (el.isPointInFill(p)) return {x: x, y: y};
    }
  }
  return null;
}"""

# The hover label of a graph as plotly wrote it (its text before it is laid out in lines).
LABEL_JS = """(graph) => {
  const t = document.querySelector('#' + graph + ' .hoverlayer .hovertext text.nums');
  return t ? t.getAttribute('data-unformatted') : null;
}"""


def hover(page, graph: str, adcode: str, subplot: str = "geo") -> str:
    """The hover label of a region, as a user gets it: the mouse moved onto its shape."""
    h.drawn(page, graph)
    page.mouse.move(1, 1)  # off every chart: the last label goes
    page.wait_for_function(f"() => !({LABEL_JS})({graph!r})")
    point = page.wait_for_function(POINT_JS, arg=[graph, adcode, subplot]).json_value()
    page.mouse.move(point["x"], point["y"])
    return page.wait_for_function(LABEL_JS, arg=graph).json_value()


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


#: (query, first names, the grey layer's line, the first-adoption map's "never" line)
NO_POLICY = [
    ("", "<b>唐山市</b> Tangshan", "<b>三亚市</b> Sanya", "无政策记录", "从未 (筛选条件下无政策)"),
    (
        "&lang=en",
        "<b>Tangshan</b> 唐山市",
        "<b>Sanya</b> 三亚市",
        "No recorded policy",
        "Never (no policy under the filters)",
    ),
]


def test_a_city_with_no_policy_is_named_in_both_languages_and_says_so(page, app_url):
    for lang, tangshan, sanya, none, never in NO_POLICY:
        page.goto(app_url + "/?map=city" + lang)
        h.wait_ready(page)
        assert hover(page, "map", "130200") == f"{tangshan}<br>{none}"
        # the South China Sea inset reads the same layer
        assert hover(page, "map", "460200", "geo2") == f"{sanya}<br>{none}"
        assert hover(page, "adoption-map", "130200") == f"{tangshan}<br>{never}"
    assert page.watch.errors == []


def test_a_city_filtered_to_zero_says_so_not_no_record_after_a_click(page, app_url, ds):
    """A filter click patches the hover lines (the names stay the layer's): a city whose
    policies the filter leaves out reads "0 under these filters" on the map and "never" on the
    first-adoption map, where a city with no policy at all reads "no recorded policy"."""
    page.goto(app_url + "/?map=city")
    h.wait_ready(page)
    h.click_bar(page, "bd-incentive", 0)
    page.wait_for_function("() => location.search.includes('incentive=')")
    h.wait_idle(page)
    state = parse_query(urlparse(page.url).query)
    regions = ds.regions("city")
    counts = query.region_counts(ds.index, state, regions)
    zero = counts[counts["status"] == measures.ZERO].merge(regions, on="adcode")
    assert len(zero), "the click leaves no city at zero: pick another bar"
    city = zero.iloc[0]  # the first in adcode order: 北京 or 天津, large enough to point at
    names = f"<b>{city['name_zh']}</b> {city['name_en']}"
    assert hover(page, "map", city["adcode"]) == f"{names}<br>政策数: 0 (筛选后为零)"
    never = f"{names}<br>从未 (筛选条件下无政策)"
    assert hover(page, "adoption-map", city["adcode"]) == never
    assert hover(page, "map", "130200") == "<b>唐山市</b> Tangshan<br>无政策记录"
    assert page.watch.errors == []
