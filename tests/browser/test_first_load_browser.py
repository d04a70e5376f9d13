"""The first load asks for nothing it discovers late: the code the first view runs (plotly.js and
the lazy chunks of dcc and AG Grid) and the map's files are named in the page's head, so they are
fetched while the server draws the first page; the map's files are fetched once each (plotly's
two geo subplots share the base topojson) and no callback runs before the first paint."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from app import FIRST_VIEW_SCRIPTS
from tests.browser import harness as h

pytestmark = pytest.mark.browser

REQUESTS = """() => performance.getEntriesByType('resource').map(e => ({
  path: e.name.replace(location.origin, '').split('?')[0], initiator: e.initiatorType}))"""


#: The files plotly fetches to draw the map of a link: the base topojson, the layer of the level the
#: map shows, the neighbouring land (not drilled into a province).
MAP_FILES = {
    "": ("topojson/world_110m.json", "geo/provinces.geojson", "geo/neighbours.geojson"),
    "?map=city": ("topojson/world_110m.json", "geo/cities.geojson", "geo/neighbours.geojson"),
}


@pytest.mark.parametrize("link", MAP_FILES)
def test_the_first_view_is_fetched_from_the_page_head_and_nothing_twice(page, app_url, link):
    html = page.request.get(app_url + "/" + link).text()
    named = set(re.findall(r'<script[^>]* src="([^"?]+)', html))
    page.goto(app_url + "/" + link)
    h.wait_ready(page)
    got = page.evaluate(REQUESTS)
    scripts = {r["path"] for r in got if r["path"].endswith(".js")}
    # every script the page ran was in the page itself: none was fetched on demand after the
    # layout (dcc.Graph's plotly.js, the graph, dropdown, date picker, slider and grid chunks)
    assert scripts <= named, scripts - named
    assert {"/_dash-component-suites/" + s for s in FIRST_VIEW_SCRIPTS} <= scripts
    # the map's files came from the head's preloads, once each, none for nothing (a layer of
    # another level); plotly fetched none itself
    files = Counter(r["path"] for r in got if r["path"].startswith("/assets/") and
                    r["path"].endswith(("json", "geojson")))  # fmt: skip
    assert files == Counter({"/assets/" + f: 1 for f in MAP_FILES[link]})
    assert {r["initiator"] for r in got if r["path"] in files} == {"link"}
    assert not [r for r in got if "_dash-update-component" in r["path"]]  # no callback
    assert page.watch.errors == [] and page.watch.foreign == []
