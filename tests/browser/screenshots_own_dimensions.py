"""Screenshots of a table's own dimensions for the README (issue 20 item 6).

    python -m tests.browser.screenshots_own_dimensions docs/img

Starts the app, uploads ``tests/fixtures/own_dimensions.csv`` (a ``policy`` column of 6 kinds,
no incentive, stance or sector column) through the page, clicks the first bar of its "By policy"
chart, and saves ``own-dimensions.png`` (1440 px: filter bar, chips, map and the breakdowns) and
``own-dimensions-390.png`` (a phone: the filter bar and the breakdown cards).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser import harness as h
from tests.browser.test_upload_browser import upload

FIXTURE = Path(__file__).parent.parent / "fixtures" / "own_dimensions.csv"


def _shoot(browser, base: str, width: int, out: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="en-GB")
    page.goto(base + "/?lang=en")
    h.wait_ready(page)
    upload(page, FIXTURE)
    page.wait_for_url("**data=*", timeout=30_000)
    page.wait_for_selector("#bd-own-1-card", state="visible")
    h.wait_idle(page)
    h.click_bar(page, "bd-own-1", 0)
    page.wait_for_url("**policy=*", timeout=15_000)
    h.wait_idle(page, settle_ms=400)
    page.evaluate("() => document.getElementById('upload-card').open = false")
    h.draw_all(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(400)
    if width >= 1000:
        grid = page.locator("#main").bounding_box()
        assert grid is not None
        page.screenshot(
            path=str(out / "own-dimensions.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": grid["y"] + grid["height"]},
        )
    else:
        top = page.locator(".filter-bar").bounding_box()
        side = page.locator(".col-side").bounding_box()
        assert top is not None and side is not None
        filters = out / "own-dimensions-390-filters.png"
        page.screenshot(
            path=str(filters),
            full_page=True,
            clip={"x": 0, "y": top["y"], "width": width, "height": top["height"] + 120},
        )
        page.locator(".col-side").screenshot(path=str(out / "own-dimensions-390.png"))
    page.close()


def main(out_dir: str) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with h.running_app() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        for width in (1440, 390):
            _shoot(browser, base, width, out)
        browser.close()
    print(*sorted(out.glob("own-dimensions*.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
