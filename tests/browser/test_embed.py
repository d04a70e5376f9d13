"""One chart alone for another site, in headless Chromium: ``?embed=<chart>`` draws that chart
only (title, legend, source, a link back to the full view) at any width, asks nothing from another
host; the Download menu gives the iframe code and the data links for the view on screen."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser


def _open_embed(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 600})
    page.goto(url)
    page.wait_for_selector("#embed-chart .main-svg", state="attached", timeout=30000)


@pytest.mark.parametrize("width", [1440, 390])
def test_embed_shows_one_chart_alone_and_asks_nothing_off_host(page, app_url, width):
    _open_embed(page, app_url + "/?embed=map&region=440000,330000", width)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator("input, select, button, textarea, .modebar").count() == 0
    svg_text = page.locator("#embed-chart").inner_text()
    assert "Policy Atlas" in svg_text  # the source line
    assert page.locator("#embed-chart .choroplethlocation").count() > 0  # regions drawn
    box = page.locator("#embed-chart .main-svg").first.bounding_box()
    assert box and box["width"] <= width and box["width"] > width * 0.9  # fills the frame
    back = page.locator("footer a")
    assert back.get_attribute("href") == "/?region=440000%2C330000"
    assert back.get_attribute("target") == "_top"
    assert page.watch.foreign == [] and page.watch.errors == []
    if width == 1440:
        page.screenshot(path="/tmp/policy-atlas-embed-1440.png")


def test_embed_timeline_in_english(page, app_url):
    _open_embed(page, app_url + "/?embed=timeline&lang=en", 720)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Open the full view" in page.locator("footer").inner_text()
    # the source line is on screen, above the link back (the chart fits the frame's height)
    source = page.locator("#embed-chart .annotation-text", has_text="Policy Atlas").bounding_box()
    footer = page.locator("footer").bounding_box()
    assert source and footer and source["y"] + source["height"] <= footer["y"]
    assert page.watch.foreign == []


def test_download_menu_gives_the_embed_code_and_data_links(page, app_url):
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    page.click("#export-menu summary")
    page.wait_for_function(
        "() => document.getElementById('dl-embed-code').value.includes('embed=map')"
    )
    code = page.input_value("#dl-embed-code")
    assert code.startswith('<iframe src="' + app_url + "/?region=440000&amp;embed=map")
    assert page.get_attribute("#dl-link-csv", "href") == app_url + "/data.csv?region=440000"
    chart_link = page.get_attribute("#dl-link-chart", "href")
    assert chart_link == app_url + "/data/map.csv?region=440000"
    with urllib.request.urlopen(chart_link, timeout=30) as r:
        assert r.status == 200 and r.read().decode("utf-8-sig").startswith("adcode,")
    # the oEmbed answer names the same iframe
    oembed = app_url + "/oembed?url=" + urllib.request.quote(app_url + "/?region=440000")
    with urllib.request.urlopen(oembed, timeout=30) as r:
        body = json.loads(r.read())
    assert body["type"] == "rich" and "embed=map" in body["html"]
