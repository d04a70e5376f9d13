"""Nothing cut at the right edge, no title under the mode-bar (issue 21), at 1440, 1280 and 390 px,
in Chinese and English: every text plotly draws in a chart (the South China Sea inset label, the
legend, the source line and the notes) lies inside the chart's box; a chart's title never meets
its mode-bar, closed or opened from the chart menu; on a phone the chart menu button covers no
text of its chart. Measured in Chromium (bounding boxes), on the page as a user opens it."""

from __future__ import annotations

import pytest

from data.dimensions import CATEGORIES
from layouts import ids
from tests.browser import harness as h

pytestmark = pytest.mark.browser

SIZES = {"1440": (1440, 900), "1280": (1280, 720), "390": (390, 844)}
CHARTS = (
    "map",
    "ranked",
    "timeline",
    "adoption-map",
    "adoption-curve",
    # the breakdowns: their source line, after long English labels, lost its date at the edge
    *(ids.breakdown(c.id) for c in CATEGORIES),
)

#: every drawn text of a chart: (text, left, right, top, bottom), and the chart's own box
TEXTS_JS = """(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  const g = gd.getBoundingClientRect();
  const texts = [];
  for (const el of gd.querySelectorAll('.infolayer text, .geo text, .legendtext, .annotation-text')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !el.textContent.trim() || getComputedStyle(el).visibility === 'hidden') continue;
    texts.push([el.textContent.slice(0, 60), r.left, r.right, r.top, r.bottom]);
  }
  const box = (sel) => { const el = gd.querySelector(sel); if (!el) return null;
    const r = el.getBoundingClientRect(); return r.width ? [r.left, r.right, r.top, r.bottom] : null; };
  const button = gd.closest('.dash-graph').previousElementSibling;
  const b = button && button.classList.contains('chart-menu') ? button.getBoundingClientRect() : null;
  return {graph: [g.left, g.right, g.top, g.bottom], texts, title: box('.gtitle'),
          modebar: box('.modebar'), button: b && b.width ? [b.left, b.right, b.top, b.bottom] : null};
}"""  # noqa: E501


#: the map's legend box and its labels' boxes (regions and the inset), as (text, l, r, t, b)
LEGEND_AND_LABELS_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
  const labels = [...gd.querySelectorAll('.geo text')].filter((el) => el.textContent.trim()
    && el.getBoundingClientRect().width && getComputedStyle(el).visibility !== 'hidden').map((el) => [el.textContent.slice(0, 60), ...box(el)]);
  return [box(gd.querySelector('.legend .bg')), labels];
}"""  # noqa: E501


def _meets(a: list[float] | None, b: list[float] | None) -> bool:
    """Two boxes (left, right, top, bottom) overlap by more than a pixel."""
    if not a or not b:
        return False
    return min(a[1], b[1]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[2], b[2]) > 1


def _measure(page, chart: str) -> dict:
    h.drawn(page, chart)
    return page.evaluate(TEXTS_JS, chart)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
def test_no_text_past_a_charts_edge_and_no_title_under_its_mode_bar(browser, app_url, size, lang):
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(f"{app_url}/?lang={lang}")
        h.wait_ready(page)
        h.draw_all(page)
        for chart in CHARTS:
            found = _measure(page, chart)
            left, right = found["graph"][0], found["graph"][1]
            cut = [t for t in found["texts"] if t[1] < left - 1 or t[2] > right + 1]
            assert not cut, f"{chart} at {size} px ({lang}): text past the edge {cut}"
            if chart in ("map", "adoption-map"):  # the inset is labelled, inside the chart
                inset = "南海诸岛" if lang == "zh" else "South China"
                assert any(inset in t[0] for t in found["texts"]), chart
            assert not _meets(found["title"], found["modebar"]), f"{chart} at {size}: mode-bar"
            if size == "390":
                covered = [t for t in found["texts"] if _meets(t[1:], found["button"])]
                assert not covered, f"{chart}: the chart menu button covers {covered}"
                page.evaluate(
                    "(id) => document.querySelector('#' + id).previousElementSibling.click()", chart
                )
                page.wait_for_selector(f"#{chart}.chart-menu-open .modebar", state="visible")
                opened = _measure(page, chart)
                assert opened["modebar"], chart
                assert not _meets(opened["title"], opened["modebar"]), f"{chart}: opened mode-bar"
                page.keyboard.press("Escape")
                page.wait_for_selector(f"#{chart}.chart-menu-open", state="detached")
    finally:
        ctx.close()


def test_legend_fits_a_phone_in_english(browser, app_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(f"{app_url}/?lang=en")
        h.wait_ready(page)
        found = _measure(page, "map")
        right = found["graph"][1]
        assert all(t[2] <= right + 1 for t in found["texts"]), found["texts"]
        # the legend (its title above its entries) covers no label: not the inset's, not a region's
        legend, labels = page.evaluate(LEGEND_AND_LABELS_JS)
        assert legend[0] >= found["graph"][0] - 1 and legend[2] < legend[3]
        covered = [t for t in labels if _meets(t[1:], legend)]
        assert not covered, f"the legend {legend} covers {covered}"
    finally:
        ctx.close()
