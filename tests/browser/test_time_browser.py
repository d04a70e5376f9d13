"""Time at the data's own scale in the page, on the SYNTHETIC six-week table
(``tests/fixtures/fast_spread.csv``): the step offered and chosen is the week, Play goes through
the weeks; and the keyboard paths of issue 21 (Copy link, Esc on the details, the skip link to
the table, the mode-bar out of the Tab order)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from data import periods
from data.state import parse_query
from tests.browser import harness as h
from tests.fixtures import make_fast_spread as fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fast_url():
    with h.running_app("--data", str(fixture.OUT)) as base:
        yield base


@pytest.fixture
def fast_page(browser, fast_url):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    pg.watch = h.PageWatch(pg, fast_url)
    yield pg
    ctx.close()


def test_six_weeks_play_by_week(fast_page, fast_url):
    pg = fast_page
    pg.goto(fast_url + "/?map=city")
    h.wait_ready(pg)
    # the step the data picked: week checked, day offered, nothing written in the URL
    assert pg.is_checked("#freq input[value='week']")
    assert pg.is_enabled("#freq input[value='day']")
    assert "freq=" not in pg.url
    pg.locator("#adoption-map").scroll_into_view_if_needed()  # drawn when it comes into view
    # the first-adoption map's classes are weeks (its legend names each week's Monday)
    pg.wait_for_function(
        "() => [...document.querySelectorAll('#adoption-map text')]"
        ".some(t => t.textContent === '1月27日')",
        timeout=20000,
    )
    pg.locator("#play").scroll_into_view_if_needed()
    pg.click("#speed input[value='900']")
    h.record_play(pg)
    pg.click("#play")
    # while playing, the slider shows the period (the URL is written on pause)
    seen = [periods.from_value(e["value"], "week") for e in h.recorded(pg, frames=4)[1:]]
    assert seen[:4] == ["2020-W04", "2020-W05", "2020-W06", "2020-W07"]
    assert re.search(r"第 \d+ 周", pg.inner_text("#period-label"))
    pg.click("#play")  # pause (or Play again, had it reached the end: it stops there)
    pg.wait_for_function("() => !document.querySelector('#play').className.includes('playing')")
    pg.wait_for_function("() => location.search.includes('period=')")  # written on pause
    value = pg.locator("#period [role=slider]").get_attribute("aria-valuenow")
    assert parse_query(urlparse(pg.url).query).period == periods.from_value(int(value), "week")
    assert pg.watch.errors == []


def test_keyboard_copy_link_skip_to_table_and_chart_menus(sized_page):
    pg = sized_page
    # the mode-bar buttons are out of the Tab order; one chart menu per chart opens them
    tabbable = "() => [...document.querySelectorAll('.modebar-btn')].filter(b => b.tabIndex >= 0)"
    assert pg.evaluate(tabbable + ".length") == 0
    menus = pg.locator(".chart-menu")
    drawn = pg.evaluate("() => [...document.querySelectorAll('.dash-graph')]"
                        ".filter(g => g.querySelector('.modebar')).length")  # fmt: skip
    assert menus.count() == drawn >= 3  # one per drawn chart (the others draw in view)
    menus.first.focus()
    pg.keyboard.press("Enter")
    assert pg.evaluate("() => document.activeElement.classList.contains('modebar-btn')")
    pg.keyboard.press("Escape")
    assert pg.evaluate("() => document.activeElement.classList.contains('chart-menu')")
    # Copy link is a button Tab reaches, and Enter copies the address
    assert pg.evaluate("() => document.getElementById('copy-link').tagName") == "BUTTON"
    pg.focus("#copy-link")
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => document.getElementById('copy-status').textContent !== ''")
    assert pg.evaluate("() => navigator.clipboard.readText()") == pg.url
    # the second skip link goes to the policy table
    pg.focus(".skip-table")
    pg.keyboard.press("Enter")
    assert pg.evaluate("() => document.activeElement.id") == "table-section"


def test_escape_closes_the_details_and_returns_to_the_row(sized_page):
    pg = sized_page
    pg.locator("#table .ag-cell").first.click()
    pg.wait_for_selector("#detail:not([hidden]) #detail-title", timeout=10000)
    pg.keyboard.press("Escape")
    pg.wait_for_selector("#detail[hidden]", state="attached", timeout=5000)
    assert pg.evaluate("() => !!document.activeElement.closest('#table .ag-cell')")


def test_the_place_picker_keeps_earlier_picks_while_typing(sized_page):
    """Two places picked with the keyboard only: type, Enter, type, Enter. The search box is
    cleared after each pick, so the second name is searched alone (not "广东浙江")."""
    pg = sized_page
    # the full place list first: typing while it arrives is test_place_options_browser's case
    pg.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(e => /\\/places\\.[0-9a-f]+\\.json$/.test(e.name) && e.responseEnd > 0)"
    )
    pg.click("#f-region")
    pg.keyboard.type("广东")
    pg.wait_for_selector(".dash-dropdown-content .dash-dropdown-option", timeout=10000)
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => location.search.includes('region=440000')", timeout=15000)
    pg.wait_for_function(
        "() => document.querySelector('.dash-dropdown-content .dash-dropdown-search').value === ''",
        timeout=5000,
    )
    pg.keyboard.type("浙江")
    pg.wait_for_selector(".dash-dropdown-content .dash-dropdown-option", timeout=10000)
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => location.search.includes('region=330000,440000')", timeout=15000)
    assert pg.watch.errors == []


@pytest.fixture
def sized_page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    pg = ctx.new_page()
    pg.watch = h.PageWatch(pg, app_url)
    pg.goto(app_url + "/")
    h.wait_ready(pg)
    yield pg
    ctx.close()


LABELS_JS = """() => {
  const shown = [...document.querySelectorAll('#map g.geo:not(.geo2) .trace.scattergeo text')]
    .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.getBBox().width > 0);
  const boxes = shown.map(e => e.getBoundingClientRect());
  const svg = document.querySelector('#map .main-svg').getBoundingClientRect();
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      pairs.push(shown[i].textContent + '/' + shown[j].textContent);
  }
  const cut = shown.filter((e, i) => boxes[i].right > svg.right + 1).map(e => e.textContent);
  return {shown: shown.length, pairs, cut};
}"""


@pytest.mark.parametrize("width,height", [(1440, 900), (1280, 720), (390, 844)])
def test_map_labels_never_overlap_nor_leave_the_map(browser, app_url, width, height):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(app_url + "/?region=440000")
    h.wait_ready(pg)
    pg.wait_for_function(LABELS_JS.replace("return {", "return shown.length > 0 && {"))
    got = pg.evaluate(LABELS_JS)
    ctx.close()
    assert got["shown"] >= 5  # the biggest regions keep their labels
    assert got["pairs"] == [] and got["cut"] == [], got
