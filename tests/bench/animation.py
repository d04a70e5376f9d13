"""The time player's two ways of animating the map, measured in headless Chromium.

    python -m tests.bench.animation [docs/img/animation.json]

*Patch per frame* (what the app does): the period changes in the URL and every view answers with a
Dash ``Patch``. Measured per frame, stepping the slider with the keyboard: the bytes of the callback
responses (as transferred, gzip, and decoded), the number of requests, and the milliseconds from
the key press until every view is drawn for the new URL. Then Play at the fast speed (a tick every
450 ms, the next waiting for the views): the time between frames as drawn. Boundary files
fetched during the frames are counted too (they must be 0: the boundaries are never sent again).

*All frames at once, played in the browser*: every period's map values and hover texts computed
on the server (``present_map.map_updates`` of each period, what a clientside player would
need), sent once (bytes raw and gzip), and applied in the page with ``Plotly.restyle`` on the
map (ms per frame, measured in the page). The other views would not follow while it plays.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import plotly

from data import diffusion
from data.loaders import load_dataset
from data.state import ViewState, encode_query
from layouts import present_map
from layouts.figures import china_map
from tests.browser import harness as h


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


def patch_per_frame(page, base: str, query: str) -> dict:
    """Step the slider with the keyboard through every period; measure each frame."""
    page.goto(base + "/" + query)
    h.wait_ready(page)
    page.wait_for_timeout(300)
    page.focus("#period [role=slider]")
    frames = []
    while True:
        before = page.evaluate("() => location.search")
        page.evaluate("() => performance.clearResourceTimings()")
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(
                "(b) => location.search !== b && document.getElementById('rendered-search')"
                ".textContent === location.search && !document.querySelector("
                "'[data-dash-is-loading=\"true\"]')",
                arg=before,
                timeout=5000,
            )
        except Exception:  # the last period: the slider does not move on
            break
        ms = (time.perf_counter() - start) * 1000
        page.wait_for_timeout(250)  # the grid's block request follows the URL
        entries = page.evaluate(
            """() => performance.getEntriesByType('resource').map(e =>
                 [e.name, e.encodedBodySize, e.decodedBodySize])"""
        )
        dash = [e for e in entries if "_dash-update-component" in e[0]]
        frames.append(
            {
                "ms": ms,
                "requests": len(dash),
                "gzip": sum(e[1] for e in dash),
                "raw": sum(e[2] for e in dash),
                "geometry_requests": sum(1 for e in entries if "geojson" in e[0]),
            }
        )
    return {
        "frames": len(frames),
        "ms_per_frame": _stats([f["ms"] for f in frames]),
        "bytes_per_frame_gzip": _stats([f["gzip"] for f in frames]),
        "bytes_per_frame_raw": _stats([f["raw"] for f in frames]),
        "requests_per_frame": _stats([f["requests"] for f in frames]),
        "geometry_requests": sum(f["geometry_requests"] for f in frames),
    }


def played(page, base: str, query: str) -> dict:
    """Press Play at the fastest speed and time the frames as they are drawn: what a user sees
    (a tick writes the URL in the browser: one server hop per frame)."""
    page.goto(base + "/" + query)
    h.wait_ready(page)
    page.wait_for_timeout(300)
    page.click("#speed input[value='450']")
    page.evaluate("() => performance.clearResourceTimings()")
    page.click("#play")
    stamps: dict[str, float] = {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        search, done, playing = page.evaluate(
            """() => [location.search,
                      document.getElementById('rendered-search').textContent === location.search,
                      document.querySelector('#play').className.includes('playing')]"""
        )
        period = dict(p.split("=", 1) for p in search.lstrip("?").split("&") if "=" in p).get(
            "period"
        )
        if period and done and period not in stamps:
            stamps[period] = time.perf_counter()
        if not playing and period and done:
            break
        page.wait_for_timeout(15)
    page.wait_for_timeout(400)
    entries = page.evaluate(
        """() => performance.getEntriesByType('resource')
             .filter(e => e.name.includes('_dash-update-component'))
             .map(e => [e.encodedBodySize, e.decodedBodySize])"""
    )
    times = list(stamps.values())
    gaps = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
    frames = max(1, len(stamps))
    return {
        "frames": len(stamps),
        "tick_ms": 450,
        "ms_between_frames": _stats(gaps) if gaps else {},
        "requests_per_frame": round(len(entries) / frames, 1),
        "bytes_per_frame_gzip": round(sum(e[0] for e in entries) / frames),
        "bytes_per_frame_raw": round(sum(e[1] for e in entries) / frames),
    }


def all_frames_payload(state: ViewState) -> list[dict]:
    """What a clientside player needs: the map's values and hover texts of every period."""
    ds = load_dataset()
    out = []
    for p in diffusion.slider_periods(ds.index, state.freq):
        at = replace(state, period=p)
        updates = present_map.map_updates(ds, at, present_map.map_frame(ds, at), "")
        out.append(
            {
                "z": updates[("data", china_map.Z_TRACES[0], "z")],
                "text": updates[("data", china_map.Z_TRACES[0], "text")],
            }
        )
    return out


def played_in_browser(page, base: str, query: str, frames: list[dict]) -> dict:
    """Send every frame once, then time ``Plotly.restyle`` of the map for each, in the page."""
    body = json.dumps(frames, cls=plotly.utils.PlotlyJSONEncoder).encode()
    page.goto(base + "/" + query)
    h.wait_ready(page)
    page.wait_for_timeout(300)
    ms = page.evaluate(
        """async (frames) => {
          const gd = document.querySelector('#map .js-plotly-plot');
          const out = [];
          for (const f of frames) {
            const t0 = performance.now();
            await Plotly.restyle(gd, {z: [f.z, f.z], text: [f.text, null]}, [0, 1]);
            await new Promise(r => requestAnimationFrame(() => r()));
            out.push(performance.now() - t0);
          }
          return out;
        }""",
        frames,
    )
    return {
        "frames": len(frames),
        "bytes_once_raw": len(body),
        "bytes_once_gzip": len(gzip.compress(body, 6)),
        "ms_per_frame": _stats(ms),
    }


def main(out_path: str = "docs/img/animation.json") -> int:
    from playwright.sync_api import sync_playwright

    results: dict = {}
    views = {
        "province map, by year": ViewState(period="2013"),
        "province map, by quarter": ViewState(period="2016Q4", freq="quarter"),
        "city map, by year": ViewState(period="2013", map_level="city"),
    }
    with h.running_app() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
        for name, state in views.items():
            query = encode_query(state)
            results[name] = {
                "patch per frame (chosen)": patch_per_frame(page, base, query),
                "patch per frame, Play at the fast speed": played(
                    page, base, encode_query(replace(state, period=None))
                ),
                "all frames at once, played in the browser": played_in_browser(
                    page, base, query, all_frames_payload(state)
                ),
            }
        browser.close()
    Path(out_path).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
