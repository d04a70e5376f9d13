"""No text of an exported chart is drawn outside its canvas (issue 21): the SVG laid out by
Chromium (plotly places text through transforms of the element and its groups, so only a browser
knows where each piece lands). Uses the session's browser (a second Playwright inside the same
test run cannot start)."""

from __future__ import annotations

import pytest

from data.loaders import load_dataset
from data.state import parse_query
from layouts.exports import render
from layouts.exports.report_pack import chart_file
from tests.test_export_honesty import canvas

pytestmark = [pytest.mark.browser, pytest.mark.export]


@pytest.fixture(scope="module")
def bundled_ds():
    yield load_dataset()
    render.stop()


def text_boxes(browser, svg: bytes) -> list[tuple[str, dict]]:
    """(text, box) of every drawn ``<text>`` as Chromium lays the SVG out (the real positions:
    plotly places text through transforms of the element and its groups)."""
    page = browser.new_page()
    try:
        page.set_content(f"<body style='margin:0'>{svg.decode()}</body>")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('svg text')]
                .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none'
                             && t.getBBox().width > 0)
                .map(t => { const r = t.getBoundingClientRect();
                            return [t.textContent, {x: r.left, y: r.top, r: r.right,
                                                    b: r.bottom}]; })"""
        )
    finally:
        page.close()
    return [(text, box) for text, box in boxes]


@pytest.mark.parametrize(
    "chart", ["map", "ranked", "multiples", "timeline", "adoption-map", "adoption-curve"]
)
def test_no_text_outside_the_canvas(browser, bundled_ds, chart):
    _, svg = chart_file(bundled_ds, parse_query("?from=2020-01-01&lang=en"), chart, "svg")
    width, height = canvas(svg)
    boxes = text_boxes(browser, svg)
    assert len(boxes) > 5
    for text, box in boxes:
        inside = box["x"] >= -1 and box["y"] >= -1 and box["r"] <= width + 1
        assert inside and box["b"] <= height + 1, (text, box, width, height)
