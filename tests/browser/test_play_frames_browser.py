"""Play as a user sees it (issue 24): every frame computed once and sent together, played in the
browser with every view on screen in step (no request per frame), the URL written once on pause,
and the page after pause exactly what a fresh load of that URL shows."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from data import periods, query
from data.state import ViewState, parse_query
from tests.browser import harness as h

pytestmark = pytest.mark.browser


def counts(entry: dict) -> dict[str, float]:
    """A recorded map's policy count per region, as its hover says ("政策数: 4 …")."""
    numbers = [float(re.search(r"\d+", text).group()) for text in entry["text"]]
    return dict(zip(entry["locations"], numbers, strict=True))


def expected_counts(ds, state: ViewState) -> dict[str, float]:
    frame = query.region_counts(ds.index, state, ds.regions("province"))
    return {a: float(c) for a, c in zip(frame["adcode"], frame["count"], strict=True)}


def dash_requests(page) -> list[str]:
    """The bodies of the callback requests the page sends from now on (a list that fills)."""
    bodies: list[str] = []
    page.on(
        "request",
        lambda r: bodies.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    return bodies


def not_playing(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('#play').className.includes('playing')",
        timeout=h.STATE_TIMEOUT_MS,
    )


def test_play_moves_the_slider_and_the_map_per_frame_without_a_request_per_frame(
    page, app_url, bundled
):
    page.goto(app_url + "/")
    h.wait_ready(page)
    history = page.evaluate("() => window.history.length")
    page.click("#speed input[value='200']")  # the fast speed: 5 frames a second
    h.record_play(page)
    bodies = dash_requests(page)
    page.click("#play")
    not_playing(page)  # played to the end: it stops by itself
    h.wait_idle(page)
    seen = h.recorded(page)[1:]  # the frames after the page as opened
    stops = [periods.from_value(e["value"], "year") for e in seen]
    assert stops == [str(y) for y in range(2013, 2025)]  # every year, in order, from the first
    for period, entry in zip(stops, seen, strict=True):  # each frame shows its period's counts
        want = expected_counts(bundled, ViewState(period=period))
        assert counts(entry) == {a: want[a] for a in entry["locations"]}, period
    assert len({tuple(sorted(counts(e).items())) for e in seen}) >= 4  # not only the label moves
    # one request for every frame, one for the URL written at the end (the views answer it)
    assert sum("play-frames" in b for b in bodies) == 1
    assert len(bodies) == 2, f"{len(bodies)} requests for {len(seen)} frames"
    assert parse_query(urlparse(page.url).query).period == "2024"
    assert page.inner_text("#period-label").strip() == "2024 年"
    assert page.evaluate("() => window.history.length") <= history + 1  # one entry, not twelve
    assert page.watch.errors == []


# What a user sees of the views: the texts, the slider, and each chart's data and titles.
VIEWS = """() => {
  const text = id => document.getElementById(id).innerText.trim();
  // an array as plotly holds it: a typed array (a figure sent whole) or a list (a patch)
  const v = x => x && x._inputArray ? Array.from(x._inputArray)
    : (ArrayBuffer.isView(x) ? Array.from(x) : x);
  const charts = {};
  for (const g of document.querySelectorAll('.dash-graph')) {
    const gd = g.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || gd.hasAttribute('data-pa-waiting') || !g.offsetParent) continue;
    charts[g.id] = {
      data: gd.data.map(t => [t.uid, t.name, t.visible, t.showlegend, v(t.x), v(t.y), v(t.z),
                              v(t.text), v(t.locations), v(t.customdata),
                              t.marker && v(t.marker.color)]),
      title: gd.layout.title && gd.layout.title.subtitle && gd.layout.title.subtitle.text,
      annotations: (gd.layout.annotations || []).map(a => [a.text, a.visible]),
      shapes: (gd.layout.shapes || []).map(s => [s.name, s.x0, s.x1]),
    };
  }
  return {label: text('period-label'), summary: text('summary'), beside: text('map-beside'),
          chips: text('chips'), slider: document.querySelector('#period [role=slider]')
            .getAttribute('aria-valuenow'), charts: charts};
}"""


def views_drawn(page) -> dict:
    """``VIEWS`` once every chart is drawn with its latest figure: each scrolled into view as a
    user would (a chart out of view keeps its latest figure until then: ``assets/lazy_charts.js``;
    dcc.Graph plots after rendering, so a figure can reach a chart after the views are idle)."""
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.dash-graph')].filter(g => g.offsetParent)"
        ".map(g => g.id)"
    )
    for graph in shown:
        h.drawn(page, graph)
    handle = page.wait_for_function(
        """(views) => {
          const drawn = [...document.querySelectorAll('.dash-graph')].filter(g => g.offsetParent)
            .every(g => { const gd = g.querySelector('.js-plotly-plot');
              return gd && gd._fullLayout && !gd.hasAttribute('data-pa-waiting')
                && !gd.classList.contains('dash-graph--pending'); });
          return drawn && (0, eval)(views)(); }""",
        arg=VIEWS,
        timeout=h.STATE_TIMEOUT_MS,
    )
    return handle.json_value()


def test_pause_writes_the_url_and_the_page_is_what_that_url_shows(page, app_url, browser):
    page.goto(app_url + "/?period=2015")
    h.wait_ready(page)
    page.click("#speed input[value='1600']")  # slow: pause lands in the middle
    page.click("#play")
    page.wait_for_function("() => window.paPlayback.shown.length >= 2", timeout=h.STATE_TIMEOUT_MS)
    assert parse_query(urlparse(page.url).query).period == "2015"  # not written while playing
    page.click("#play")  # pause
    not_playing(page)
    page.wait_for_function(
        "() => !location.search.includes('period=2015')", timeout=h.STATE_TIMEOUT_MS
    )
    h.wait_idle(page)
    shown = page.evaluate("() => window.paPlayback.shown")
    period = parse_query(urlparse(page.url).query).period
    assert period == shown[-1][0] and period > "2016"  # the period on screen at the pause
    after = views_drawn(page)
    fresh = browser.new_page(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    fresh.goto(page.url)
    h.wait_ready(fresh)
    again = views_drawn(fresh)
    fresh.close()
    assert after["label"] == periods.display(period, "zh")
    assert set(after["charts"]) == set(again["charts"]) >= {"map", "ranked", "timeline"}
    for chart in again["charts"]:
        assert after["charts"][chart] == again["charts"][chart], chart
    assert after == again
    assert page.watch.errors == []
