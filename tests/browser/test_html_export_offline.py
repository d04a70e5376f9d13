"""The interactive HTML export opened in Debian's headless Chromium with networking off: the
chart draws (plotly.js and the base map come from the file itself) and nothing is requested."""

from __future__ import annotations

import pytest

from data.state import parse_query
from layouts import ids
from layouts.exports import report_pack

pytestmark = [pytest.mark.browser, pytest.mark.export]


@pytest.mark.parametrize("chart", [ids.MAP, ids.RANKED])
def test_html_export_draws_offline(browser, bundled, tmp_path, chart):
    state = parse_query("?incentive=cash-reward,subsidy&from=2020&lang=en")
    name, data = report_pack.chart_file(bundled, state, chart, "html")
    path = tmp_path / name
    path.write_bytes(data)
    context = browser.new_context(offline=True)  # the shared Chromium, networking off
    page = context.new_page()
    asked: list[str] = []

    def guard(route):  # anything but the file itself is refused and recorded
        if route.request.url.startswith("file://"):
            return route.continue_()
        asked.append(route.request.url)
        return route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Plotly && document.querySelector('.js-plotly-plot')")
    if chart == ids.MAP:
        page.wait_for_selector("path.choroplethlocation", state="attached", timeout=30_000)
        shapes = page.locator("path.choroplethlocation").count()
        assert shapes >= 34  # every province (and the inset's copies)
        assert page.locator("text", has_text="Guangdong").count() >= 1  # region labels
    else:
        page.wait_for_selector("g.point path", state="attached", timeout=30_000)
        assert page.locator("g.point path").count() == 5
    title = page.locator(".gtitle").first.text_content() or ""
    assert title.startswith("Blockchain policies offering")
    assert asked == [] and errors == []
    context.close()
