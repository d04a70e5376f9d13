"""Screenshots of the real app for the README, and the bytes and milliseconds of each interaction.

    python -m tests.browser.screenshots docs/img      (what `make screenshots` runs)

Starts the app, drives Debian's headless Chromium like a user, saves PNGs and writes
``interactions.json`` beside them: for each interaction the bytes the browser received for the
callbacks it fired (as transferred, compressed) and the time from the user's action until every
view was drawn.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tests.browser import harness as h


def _click_at(page, point: tuple[float, float]):
    """An action that clicks a point found beforehand (finding it is not part of the timing)."""

    def act() -> None:
        page.mouse.click(*point)

    page.mouse.move(*point)
    return act


def _measure(page, label: str, action, records: list[dict]) -> None:
    """Run one user action and record the callbacks it caused (from the browser's own Resource
    Timing entries: body bytes as sent, gzip, and decoded) and the time until every view was
    drawn for the new URL."""
    page.evaluate("() => performance.clearResourceTimings()")
    before = page.evaluate("() => location.search")
    start = time.perf_counter()
    action()
    page.wait_for_function(
        "(before) => location.search !== before"
        " && document.getElementById('rendered-search').textContent === location.search",
        arg=before,
        timeout=15000,
    )
    h.wait_idle(page, settle_ms=0)
    elapsed = (time.perf_counter() - start) * 1000
    page.wait_for_timeout(400)
    entries = page.evaluate(
        """() => performance.getEntriesByType('resource')
             .filter(e => e.name.includes('_dash-update-component'))
             .map(e => [e.encodedBodySize, e.decodedBodySize])"""
    )
    records.append(
        {
            "interaction": label,
            "ms_to_all_views": round(elapsed),
            "callbacks": len(entries),
            "bytes_transferred": sum(e[0] for e in entries),
            "bytes_uncompressed": sum(e[1] for e in entries),
        }
    )


def _grid_filled(page) -> None:
    """Scroll the policy table into view until its rows are drawn, then back to the top: the
    grid asks for its rows only once in view (``assets/lazy_grid.js``), so a full-page shot
    taken from the top showed an empty table."""
    page.locator("#table").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#table .ag-row .ag-cell')]"
        ".some(c => c.textContent.trim())",
        timeout=h.STATE_TIMEOUT_MS,
    )
    page.evaluate("() => window.scrollTo(0, 0)")
    h.wait_idle(page)


def main(out_dir: str = "docs/img") -> int:
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records: list[dict] = []
    with h.running_app() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1500}, locale="zh-CN")
        page.goto(base + "/")
        h.wait_ready(page)
        page.wait_for_timeout(500)
        first_load = page.evaluate(
            """() => performance.getEntriesByType('navigation')
                 .concat(performance.getEntriesByType('resource'))
                 .reduce((n, e) => n + e.transferSize, 0)"""
        )
        h.draw_all(page)  # charts below the fold are drawn on scroll
        _grid_filled(page)
        page.screenshot(path=str(out / "dashboard.png"), full_page=True)

        _measure(
            page,
            "click a province (Guangdong)",
            _click_at(page, h.region_point(page, "440000")),
            records,
        )
        h.draw_all(page)  # charts below the fold are drawn on scroll
        _grid_filled(page)
        page.screenshot(path=str(out / "dashboard-guangdong.png"), full_page=True)
        _measure(page, "drag a date range", lambda: h.drag_timeline(page, 0.55, 0.85), records)
        _measure(
            page, "click an incentive bar", lambda: h.click_bar(page, "bd-incentive", 1), records
        )
        _measure(page, "clear all filters", lambda: page.click("#clear-all"), records)
        _measure(
            page,
            "switch to the city map",
            lambda: page.click("#map-level input[value=city]"),
            records,
        )
        _measure(
            page,
            "click a city (Shenzhen)",
            _click_at(page, h.region_point(page, "440300")),
            records,
        )
        _measure(page, "switch to English", lambda: page.click("#lang-toggle"), records)
        h.draw_all(page)  # charts below the fold are drawn on scroll
        _grid_filled(page)
        page.screenshot(path=str(out / "dashboard-city-en.png"), full_page=True)
        page.goto(base + "/?drill=440000&map=city&lang=en")
        h.wait_ready(page)
        page.wait_for_timeout(500)
        page.locator(".map-card").screenshot(path=str(out / "dashboard-drill-guangdong.png"))
        browser.close()
    summary = {"first_page_load_bytes_transferred": first_load, "interactions": records}
    (out / "interactions.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
