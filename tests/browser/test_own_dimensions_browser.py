"""A table's own dimensions in the page (issue 20 item 6): an uploaded table with a ``policy``
column of 6 kinds and no incentive, stance or sector column gets a "By policy" chart and filter,
and not the bundled charts it has no column for; a click on its bar filters in one round trip.
A slot the table does not fill is hidden and not drawn (assets/lazy_charts.js): its chart is drawn
when a table fills it and it shows, with that table's figure.
Fixture: ``tests/fixtures/own_dimensions.csv`` (see ``tests/test_own_dimensions.py``)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import harness as h
from tests.browser.test_roundtrips_browser import Calls, summary_count
from tests.browser.test_upload_browser import upload

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent.parent / "fixtures" / "own_dimensions.csv"


def test_an_uploaded_table_gets_its_own_breakdown_and_filter(page, app_url):
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    assert page.is_hidden("#bd-own-1-card") and page.is_visible("#bd-incentive-card")
    upload(page, FIXTURE)
    page.wait_for_url(re.compile(r"data=[0-9a-f]{64}"), timeout=30_000)
    page.wait_for_selector("#bd-own-1-card", state="visible")
    h.wait_idle(page)
    # its own column: a chart and a filter named by its header; no wall of zeros
    for dim in ("incentive", "type", "stance", "sector"):
        assert page.is_hidden(f"#bd-{dim}-card") and page.is_hidden(f"#f-{dim}-field")
    assert page.is_visible("#f-own-1-field") and page.inner_text("#f-own-1-label") == "policy"
    h.drawn(page, "bd-own-1")
    title = page.locator("#bd-own-1 .gtitle").text_content() or ""
    assert title.startswith("Policies, by policy"), title
    assert "lockchain" not in (page.locator("#map .gtitle").text_content() or "")
    total = summary_count(page)
    # a click on a bar: one round trip, the URL key, the chip, the filter, the counts
    calls = Calls(page)
    h.click_bar(page, "bd-own-1", 0)
    page.wait_for_url(re.compile(r"policy="), timeout=15_000)
    h.wait_idle(page, settle_ms=600)
    label = parse_qs(urlsplit(page.url).query)["policy"][0]
    assert len(calls.since(0)) <= 2, calls.outputs
    assert label in page.inner_text("#chips")
    assert label in page.inner_text("#f-own-1-field")
    assert 0 < summary_count(page) < total
    assert page.watch.errors == []


# the slot's graph div: plotly's class once drawn, lazy_charts.js's mark while it waits
SLOT = """() => { const g = document.querySelector('#bd-own-1 .js-plotly-plot')
  || document.querySelector('#bd-own-1 [data-pa-waiting]');
  return {drawn: !!(g && g._fullLayout), waiting: !!(g && g.hasAttribute('data-pa-waiting')),
          cats: g && g.data
            ? g.data.flatMap(t => [...(t.x || []), ...(t.y || [])]).map(String) : []};
}"""


def test_a_hidden_slot_is_drawn_only_when_a_table_fills_it(page, app_url):
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    h.drawn(page, "map")
    h.drawn(page, "bd-incentive")
    assert page.is_hidden("#bd-own-1-card")
    assert page.evaluate(SLOT)["drawn"] is False  # hidden: not drawn at load
    upload(page, FIXTURE)
    page.wait_for_selector("#bd-own-1-card", state="visible")
    h.wait_idle(page)
    h.drawn(page, "bd-own-1")
    slot = page.evaluate(SLOT)
    with FIXTURE.open(encoding="utf-8") as f:
        kinds = {row["policy"] for row in csv.DictReader(f)}
    assert slot["drawn"] and not slot["waiting"]
    assert kinds <= set(slot["cats"]), (kinds, slot["cats"])  # the uploaded table's bars
    assert page.watch.errors == []
