"""The first screen at three sizes for the README: a desktop (1440x900), a laptop (1280x720) and
a phone (390x844, device scale 2), from the real app in Debian's headless Chromium.

    python -m tests.browser.screenshot_sizes docs/img      (part of `make screenshots`)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser import harness as h

SIZES = {"1440": (1440, 900, 1), "1280": (1280, 720, 1), "390": (390, 844, 2)}


def main(out: str) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with h.running_app() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        for name, (width, height, scale) in SIZES.items():
            ctx = browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=scale,
                locale="zh-CN",
            )
            page = ctx.new_page()
            page.goto(base + ("/?lang=en" if name == "390" else "/"))
            h.wait_ready(page)
            page.wait_for_timeout(500)
            page.screenshot(path=str(folder / f"screen-{name}.png"))
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
