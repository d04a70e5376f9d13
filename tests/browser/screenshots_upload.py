"""Screenshots of "Your own table" for the README: the upload card and the check report.

    python -m tests.browser.screenshots_upload docs/img

Starts the app, uploads a messy GBK table (the fixture plus the rows with problems the browser
test uses) through the page like a user, and saves ``upload.png`` and ``upload-problems.png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser import harness as h
from tests.browser.test_upload_browser import messy_gbk, upload


def main(out_dir: str) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, h.running_app() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page.goto(base + "/?lang=en")
        h.wait_ready(page)
        page.click("#upload-card > summary")
        page.hover("#upload-drop")
        page.locator("#upload-card").screenshot(path=str(out / "upload.png"))
        upload(page, messy_gbk(Path(tmp)))
        page.wait_for_url("**data=*", timeout=30_000)
        h.wait_idle(page)
        page.click("#upload-banner .upload-see >> nth=0")
        page.wait_for_selector("#upload-problems-grid .ag-row")
        page.evaluate("() => document.getElementById('upload-card').open = false")
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        box = page.locator(".upload-table").bounding_box()
        grid = page.locator("#upload-problems").bounding_box()
        assert box is not None and grid is not None
        page.screenshot(
            path=str(out / "upload-problems.png"),
            full_page=True,
            clip={"x": 0, "y": box["y"] - 8, "width": 1440,
                  "height": grid["y"] + grid["height"] - box["y"] + 16},
        )  # fmt: skip
        browser.close()
    print(out / "upload.png", out / "upload-problems.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
