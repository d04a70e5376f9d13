"""A window narrowed live (a desktop browser dragged to a phone's width) redraws every chart at
its new width, as a fresh load at that width draws it: no chart keeps the width it was drawn
at, overflowing the screen or cut by its card (the ranking kept 817 px in a 390 px window: its
grid column, ``1fr``, was held open by the chart's own width)."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as NotReached

from tests.browser import harness as h

pytestmark = pytest.mark.browser

#: [graph id, its width, its drawn svg's width, its card's width] of each chart on the page
WIDTHS = """() => [...document.querySelectorAll('.dash-graph')].filter(g => g.offsetParent)
    .map(g => {
      const gd = g.querySelector('.js-plotly-plot');
      const svg = gd && gd.querySelector('.main-svg');
      const card = g.closest('.card') || g.parentElement;
      return [g.id, g.getBoundingClientRect().right, svg ? svg.getBoundingClientRect().width : -1,
              card.getBoundingClientRect().width, g.getBoundingClientRect().width];
    })"""
#: every chart drawn at its box's width, inside the screen, and nothing wider than the screen
FITS = f"""() => ({WIDTHS})().every(([id, right, svg, card, box]) =>
      right <= window.innerWidth + 0.5 && Math.abs(svg - box) <= 1 && box <= card + 0.5)
    && document.documentElement.scrollWidth <= window.innerWidth"""


@pytest.mark.parametrize("start", [1440, 1280])
def test_narrowing_the_window_redraws_every_chart_at_the_new_width(page, app_url, start):
    page.set_viewport_size({"width": start, "height": 900})
    page.goto(app_url + "/")
    h.wait_ready(page)
    h.draw_all(page)  # every chart drawn at the wide width first
    page.wait_for_function(FITS)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.wait_for_function(FITS, timeout=60_000)
    except NotReached:
        wide = [w for w in page.evaluate(WIDTHS) if w[1] > 390.5 or abs(w[2] - w[4]) > 1]
        raise AssertionError(f"charts not fitted to 390 px: {wide}") from None
    # the ranking keeps the height its figure sets (assets/lazy_charts.js keepHeight)
    heights = page.evaluate(
        "() => { const gd = document.querySelector('#ranked .js-plotly-plot');"
        " return [gd.layout.height, gd._fullLayout.height]; }"
    )
    assert heights[0] and heights[0] == heights[1]
    assert page.watch.errors == [] and page.watch.foreign == []
