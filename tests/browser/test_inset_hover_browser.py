"""The South China Sea inset says, on hover, what the main map says for the same place (its
name, number of policies and incentives), in both languages and after a filter has changed the
values (the inset once named the place only)."""

from __future__ import annotations

import re

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

#: A point inside a region's drawn shape, in the inset (geo2) or on the main map: of the points
#: of a grid over its box that fall inside its fill, the one nearest their centre.
POINT_IN = """([code, inset]) => {
  for (const el of document.querySelectorAll('#map .choroplethlocation')) {
    const d = el.__data__;
    if (!d || d.loc !== code || !!el.closest('g.geo2') !== inset) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1) continue;
    const toShape = el.getScreenCTM().inverse();
    const inside = [];
    for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
      const x = box.x + box.width * i / 30, y = box.y + box.height * j / 30;
      if (el.isPointInFill(new DOMPoint(x, y).matrixTransform(toShape))) inside.push([x, y]);
    }
    if (!inside.length) continue;
    const cx = inside.reduce((a, p) => a + p[0], 0) / inside.length;
    const cy = inside.reduce((a, p) => a + p[1], 0) / inside.length;
    inside.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    return inside[0];
  }
  return null;
}"""
HOVER = "() => (document.querySelector('#map .hoverlayer .hovertext') || {}).textContent || ''"


def hover_text(page, code: str, inset: bool) -> str:
    """What the map's hover label says with the pointer inside ``code`` (inset or main map)."""
    page.mouse.move(2, 2)  # off the map: any label goes
    page.wait_for_function(f"() => !({HOVER})()")
    point = page.evaluate(POINT_IN, [code, inset])
    assert point, f"region {code} is not drawn {'in the inset' if inset else 'on the map'}"
    page.mouse.move(point[0] - 1, point[1], steps=2)
    page.mouse.move(*point)
    page.wait_for_function(f"() => !!({HOVER})()")
    return page.evaluate(HOVER)


@pytest.mark.parametrize(("lang", "policies"), [("zh", "政策数"), ("en", "Policies")])
def test_the_inset_hover_says_what_the_main_map_says(page, app_url, lang, policies):
    page.goto(app_url + f"/?lang={lang}")
    h.wait_ready(page)
    for code in ("460000", "440000"):  # Hainan (its islands are the inset's), Guangdong
        main = hover_text(page, code, inset=False)
        assert policies in main
        assert hover_text(page, code, inset=True) == main
    # a filter changes the values: the inset's hover follows the main map's
    before = hover_text(page, "440000", inset=False)
    h.click_bar(page, "bd-incentive", 0)
    page.wait_for_url(re.compile(r"incentive="))
    h.wait_idle(page)
    page.locator("#map").scroll_into_view_if_needed()
    main = hover_text(page, "440000", inset=False)
    assert main != before and policies in main
    assert hover_text(page, "440000", inset=True) == main
    assert page.watch.errors == [] and page.watch.foreign == []
