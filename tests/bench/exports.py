"""Export times as a user waits for them, diskcache jobs vs Celery workers (issue #13).

For each way of running export jobs, gunicorn with two workers serves the app (the Celery way adds
redis-server and one Celery worker process with its warm Chromium); headless Chromium opens a
Guangdong 2019-2021 view and times click -> file received, for the map as PNG (A4, 300 dpi) and the
report pack, ``--runs`` times each; the median is reported (and min/max). Reports; asserts none.

    python -m tests.bench.exports [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from tests.browser import harness as h
from tests.browser.stack import running_stack

VIEW = "/?region=440000&from=2019-01-01&to=2021-12-31"


def _time_download(page, button: str) -> float:
    t0 = time.perf_counter()
    with page.expect_download(timeout=300_000):
        page.click(button)
    took = time.perf_counter() - t0
    page.wait_for_function(f"() => !document.querySelector('{button}').disabled", timeout=60_000)
    return took


def measure(celery: bool, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"map_png": [], "report_pack": []}
    with running_stack(celery=celery) as stack, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(stack.url + VIEW)
        h.wait_ready(page)
        page.click("#export-menu > summary")
        for _ in range(runs):
            out["map_png"].append(_time_download(page, "#dl-go"))
            out["report_pack"].append(_time_download(page, "#pack-go"))
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    report = {}
    for name, celery in (("diskcache", False), ("celery", True)):
        times = measure(celery, args.runs)
        report[name] = {
            k: {
                "median_s": round(statistics.median(v), 1),
                "min_s": round(min(v), 1),
                "max_s": round(max(v), 1),
                "runs": [round(x, 2) for x in v],
            }
            for k, v in times.items()
        }
        print(name, json.dumps(report[name]), flush=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
