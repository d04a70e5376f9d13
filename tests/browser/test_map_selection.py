"""The map's selection is drawn over the plotly map in the browser (``assets/map_selection.js``):
a province click leaves the map's own drawing alone, and the selection survives every redraw."""

from __future__ import annotations

import re

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

# Counts every re-projection of the map's regions (plotly sets each region's ``d`` when it redraws
# the geo subplot) and keeps plotly's calculated data, which any restyle of the map replaces.
WATCH_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  window.__redraws = 0;
  window.__calcdata = gd.calcdata;
  new MutationObserver(rs => {
    for (const r of rs) if (r.target.classList.contains('choroplethlocation')) window.__redraws++;
  }).observe(gd, {attributes: true, subtree: true, attributeFilter: ['d', 'fill']});
}"""

UNTOUCHED_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  return {redraws: window.__redraws, same: gd.calcdata === window.__calcdata};
}"""

# What a user sees: for each region of the main map, its opacity, and the outlines drawn on top.
SEEN_JS = """(graph) => {
  const gd = document.querySelector('#' + graph + ' .js-plotly-plot');
  const main = gd.querySelector('.geo');  // the main map (the inset is the second)
  const opacity = {};
  for (const p of main.querySelectorAll('g.trace.choropleth path.choroplethlocation')) {
    const uid = p.closest('g.trace').__data__[0].trace.uid;
    if (/^(values|nodata)-main$/.test(uid)) opacity[p.__data__.loc] = getComputedStyle(p).opacity;
  }
  const outlines = [...main.querySelectorAll('.pa-outline')].map(o => {
    const cs = getComputedStyle(o);
    const shape = [...main.querySelectorAll('path.choroplethlocation')]
      .find(p => p.__data__ && p.__data__.loc === o.dataset.adcode);
    const onTop = o.parentNode === o.parentNode.parentNode.lastChild;  // above every fill
    const sameShape = !!shape && shape.getAttribute('d') === o.getAttribute('d');
    return {code: o.dataset.adcode, stroke: cs.stroke, width: parseFloat(cs.strokeWidth),
            fill: cs.fill, onTop, sameShape, box: o.getBoundingClientRect().width};
  });
  return {opacity, outlines};
}"""


SETTLED_JS = """() => new Promise(done => {
  // until the map has drawn nothing for half a second (a new layer, a late resize)
  const gd = document.querySelector('#map .js-plotly-plot');
  const finish = () => { watch.disconnect(); done(true); };
  let timer = setTimeout(finish, 500);
  const watch = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(finish, 500);
  });
  watch.observe(gd, {attributes: true, subtree: true, childList: true});
  setTimeout(finish, 10000);
})"""


# plotly has redrawn the map at a new width and the outline follows the region's new shape
RESIZED_JS = """(before) => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const main = gd.querySelector('.geo');
  const outline = main && main.querySelector('.pa-outline');
  if (gd.querySelector('.main-svg').getAttribute('width') === before || !outline) return false;
  const shape = [...main.querySelectorAll('path.choroplethlocation')]
    .find(p => p.__data__ && p.__data__.loc === outline.dataset.adcode);
  return !!shape && shape.getAttribute('d') === outline.getAttribute('d');
}"""


def watch_map(page) -> None:
    """Start counting the map's redraws once it has finished drawing the current view."""
    page.evaluate(SETTLED_JS)
    page.evaluate(WATCH_JS)


def seen(page, graph: str = "map") -> dict:
    return page.evaluate(SEEN_JS, graph)


def assert_outlined(view: dict, codes: set[str]) -> None:
    drawn = {o["code"] for o in view["outlines"]}
    assert drawn == codes, view["outlines"]
    for o in view["outlines"]:
        assert o["stroke"] == "rgb(17, 17, 17)" and o["width"] >= 2 and o["fill"] == "none", o
        assert o["onTop"] and o["sameShape"] and o["box"] > 2, o
    for code, opacity in view["opacity"].items():
        assert float(opacity) == (1.0 if code in codes else pytest.approx(0.45)), code


def test_a_province_click_outlines_it_without_redrawing_the_map(page, app_url):
    page.goto(app_url + "/")
    h.wait_ready(page)
    before = seen(page)
    assert before["outlines"] == [] and set(before["opacity"].values()) == {"1"}
    watch_map(page)
    h.click_region(page, "440000")
    page.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(page, settle_ms=300)
    assert page.evaluate(UNTOUCHED_JS) == {"redraws": 0, "same": True}
    assert_outlined(seen(page), {"440000"})
    h.click_region(page, "110000")  # a second province joins the selection
    page.wait_for_url(re.compile(r"region=110000(%2C|,)440000"))
    h.wait_idle(page, settle_ms=300)
    assert page.evaluate(UNTOUCHED_JS) == {"redraws": 0, "same": True}
    assert_outlined(seen(page), {"110000", "440000"})
    page.click("#clear-all")  # everything again: no outline, nothing dimmed
    page.wait_for_function("() => !location.search.includes('region')")
    h.wait_idle(page, settle_ms=300)
    assert seen(page)["outlines"] == [] and set(seen(page)["opacity"].values()) == {"1"}
    assert page.watch.errors == []


def test_the_selection_survives_resize_language_and_drill_down(page, app_url):
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    assert_outlined(seen(page), {"440000"})
    width = page.evaluate("() => document.querySelector('#map .main-svg').getAttribute('width')")
    page.set_viewport_size({"width": 1100, "height": 1400})  # plotly redraws at the new size
    page.wait_for_function(RESIZED_JS, arg=width)
    assert_outlined(seen(page), {"440000"})
    page.click("#lang-toggle")  # a full redraw of every figure
    page.wait_for_url(re.compile(r"lang=en"))
    h.wait_idle(page, settle_ms=300)
    assert_outlined(seen(page), {"440000"})
    h.drawn(page, "adoption-map")  # the first-adoption map shows the same selection
    assert_outlined(seen(page, "adoption-map"), {"440000"})
    page.locator("#map").scroll_into_view_if_needed()
    page.click("#drill-btn")  # Guangdong's cities
    page.wait_for_url(re.compile(r"drill=440000"))
    h.wait_idle(page, settle_ms=300)
    watch_map(page)
    h.click_region(page, "440300")  # Shenzhen, on the drilled-down city map
    page.wait_for_url(re.compile(r"region=440300"))
    h.wait_idle(page, settle_ms=300)
    assert page.evaluate(UNTOUCHED_JS) == {"redraws": 0, "same": True}
    view = seen(page)
    assert len(view["opacity"]) > 15
    assert_outlined(view, {"440300"})
    assert page.watch.errors == []


def test_the_overlay_is_drawn_only_under_the_plotly_major_it_reads(page, app_url):
    """The overlay reads plotly.js's SVG and d3 data (no public API outlines a location without
    re-projecting the map): under another plotly.js major version it draws nothing, and the
    map still selects through its callback."""
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    assert page.evaluate("() => window.paMapSelection.supported()")  # the plotly.js shipped
    assert_outlined(seen(page), {"440000"})
    page.evaluate("() => { window.Plotly.version = '99.0.0'; }")  # an upgrade it was not tested on
    assert not page.evaluate("() => window.paMapSelection.supported()")
    h.click_region(page, "110000")
    page.wait_for_url(re.compile(r"region=110000(%2C|,)440000"))
    h.wait_idle(page)
    page.wait_for_function("() => !document.querySelector('#map .pa-selection')")
    view = seen(page)
    assert view["outlines"] == [] and set(view["opacity"].values()) == {"1"}  # plain map
    chips = page.inner_text("#chips")
    assert "广东省" in chips and "北京市" in chips  # the page still says what is selected
    assert page.watch.errors == []


# Shenzhen on the main map: its fill colour, and the device pixels (of its box) whose whole
# area lies inside its shape, where a reader sees the city itself
SHENZHEN_JS = """(scale) => {
  const main = document.querySelector('#map .js-plotly-plot .geo');
  const p = [...main.querySelectorAll('path.choroplethlocation')]
    .find(el => el.__data__ && el.__data__.loc === '440300' && el.getAttribute('d') !== 'null');
  const r = p.getBoundingClientRect();
  const box = {x: Math.floor(r.x), y: Math.floor(r.y)};  // whole CSS pixels: the clip's grid
  box.width = Math.ceil(r.right) - box.x;
  box.height = Math.ceil(r.bottom) - box.y;
  const toShape = p.getScreenCTM().inverse();
  const inside = (x, y) => p.isPointInFill(new DOMPoint(x, y).matrixTransform(toShape));
  const pixels = [];
  for (let j = 0; j < box.height * scale; j++) {
    for (let i = 0; i < box.width * scale; i++) {
      const x = box.x + i / scale, y = box.y + j / scale, e = 1 / scale;
      if (inside(x, y) && inside(x + e, y) && inside(x, y + e) && inside(x + e, y + e)) {
        pixels.push([i, j]);
      }
    }
  }
  return {fill: getComputedStyle(p).fill, pixels, box};
}"""


@pytest.fixture
def sharp_page(browser, app_url):
    """The page at 1440 px on a 4x screen: Shenzhen, 7 x 4 px on the national city map, is seen
    in 28 x 16 device pixels."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 1400}, device_scale_factor=4, locale="zh-CN"
    )
    context.set_default_timeout(h.STATE_TIMEOUT_MS)
    pg = context.new_page()
    pg.watch = h.PageWatch(pg, app_url)
    yield pg
    context.close()


@pytest.mark.parametrize("picked, shown", [("440000", 21), ("440300", 1)])
def test_the_city_map_outlines_a_province_once_and_its_cities_whole(
    sharp_page, app_url, picked, shown
):
    """``?region=440000&map=city``: one line along Guangdong's border, not one per city; its
    cities in full (the others dimmed), and Shenzhen's colour seen inside the line. Shenzhen
    picked itself: outlined as a city, its colour seen inside its line."""
    import io

    import numpy as np
    from PIL import Image

    page = sharp_page
    page.goto(app_url + f"/?region={picked}&map=city")
    h.wait_ready(page)
    page.wait_for_function("() => document.querySelector('#map .geo .pa-outline')")
    h.region_box(page, "440300")  # the city layer is drawn
    view = seen(page)
    assert [o["code"] for o in view["outlines"]] == [picked], view["outlines"]
    (line,) = view["outlines"]
    assert line["stroke"] == "rgb(17, 17, 17)" and line["fill"] == "none" and line["onTop"]
    assert line["sameShape"] == (picked == "440300")  # a city's own shape; else its cities'
    full = {code for code, opacity in view["opacity"].items() if float(opacity) == 1}
    assert len(full) == shown and all(code.startswith(picked[:2]) for code in full)
    rest = [float(o) for code, o in view["opacity"].items() if code not in full]
    assert len(rest) > 300 and rest == [pytest.approx(0.45)] * len(rest)  # the rest: dimmed
    # what a reader sees: Shenzhen in its own colour, not in the selection's ink
    page.locator("#map").scroll_into_view_if_needed()
    h.wait_idle(page)
    shenzhen = page.evaluate(SHENZHEN_JS, 4)
    rgb = np.array([int(v) for v in re.findall(r"\d+", shenzhen["fill"])[:3]])
    shot = page.screenshot(clip=shenzhen["box"], scale="device")
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    assert pixels.shape[:2] == (shenzhen["box"]["height"] * 4, shenzhen["box"]["width"] * 4)
    inside = np.array([pixels[j, i] for i, j in shenzhen["pixels"]])
    assert len(inside) > 40, "Shenzhen is drawn on fewer device pixels than expected"
    ink = (inside.max(axis=1) < 90).mean()  # the selection's line (#111) over the city
    own = (np.abs(inside - rgb).max(axis=1) <= 12).mean()  # (the label's white halo: the rest)
    assert ink < 0.05 and own > 0.25, f"inside Shenzhen: {ink:.0%} ink, {own:.0%} its colour"
    assert page.watch.errors == []
