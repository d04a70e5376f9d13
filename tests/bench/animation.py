"""The time player, measured in headless Chromium: Play as the page does it now against the old
patch per frame, in the same run.

    python -m tests.bench.animation [docs/img/animation.json]

*Play* (issue 24: frames computed once and sent together, views updated in the browser): press
Play and read, per frame shown, the page's own timestamp (``window.paPlayback.shown``, written by
``assets/playback.js`` once every chart on screen has been updated): the interval between frames
(median and p95) at the fast speed (``layouts.player.SPEEDS["fast"]``: what a user sees) and with no
pause between frames (what the browser can do: the frame's own cost), the time from the click to
the first frame (the server computing the first chunk), and the frames' responses: count, bytes as
received (raw) and gzip (level 6), per frame.

*Patch per frame* (the old way, still how the slider moves): the period changes in the URL and
every view answers with a Dash ``Patch``. Measured per frame, stepping the slider with the
keyboard: the bytes of the callback responses (as transferred, gzip, and decoded), the number of
requests, and the milliseconds from the key press until every view is drawn for the new URL.
Boundary files fetched during the frames are counted too (they must be 0).

*Map only* (the alternative measured before issue 24, kept for continuity): every period's map
values sent once and applied with ``Plotly.restyle`` on the map alone.

``play_figures(base_url)`` gives the Play and patch-per-frame figures of the province map by year
on a running app (what ``tests/bench/run.py`` calls); the CLI measures three views.
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
from layouts import player, present_map
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


def _gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, 6))


def play(page, base: str, query: str, speed_ms: int | None) -> dict:
    """Press Play on the view ``query`` and time the frames as the page shows them. ``speed_ms``:
    the speed control's value to pick, or None for no pause between frames (the frame's cost)."""
    page.goto(base + "/" + query)
    h.wait_ready(page)
    page.wait_for_timeout(300)
    if speed_ms is not None:
        page.click(f"#speed input[value='{speed_ms}']")
    bodies: list[bytes] = []

    def on_response(response) -> None:
        if "_dash-update-component" in response.url and "play-frames" in (
            response.request.post_data or ""
        ):
            bodies.append(response.body())

    page.on("response", on_response)
    clicked = page.evaluate("() => performance.now()")
    page.click("#play")
    if speed_ms is None:  # no pause between frames (Play reads the control when pressed)
        page.evaluate("() => window.dash_clientside.playback.speed(1)")
    page.wait_for_function(
        "() => !document.querySelector('#play').className.includes('playing')", timeout=300_000
    )
    h.wait_idle(page)
    page.remove_listener("response", on_response)
    shown = page.evaluate("() => window.paPlayback.shown")
    stamps = [t for _, t in shown]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    raw = sum(len(b) for b in bodies)
    gzipped = sum(_gzip_size(b) for b in bodies)
    frames = max(1, len(shown))
    intervals = _stats(gaps) if gaps else {"median": 0.0, "p95": 0.0}
    return {
        "frames": len(shown),
        "speed_ms": speed_ms or 0,
        "frame_interval_ms": intervals,
        "frames_per_second": round(1000 / intervals["median"], 1) if intervals["median"] else 0.0,
        "first_frame_ms": round(stamps[0] - clicked, 1) if stamps else 0.0,
        "frames_requests": len(bodies),
        "frames_bytes_raw": raw,
        "frames_bytes_gzip": gzipped,
        "bytes_per_frame_raw": round(raw / frames),
        "bytes_per_frame_gzip": round(gzipped / frames),
    }


def _views_figures(page, base: str, state: ViewState) -> dict:
    """Play (fast speed and unpaced) and the patch per frame of one view, in one page."""
    start = encode_query(replace(state, period=None))
    fast = play(page, base, start, player.SPEEDS["fast"])
    unpaced = play(page, base, start, None)
    old = patch_per_frame(page, base, encode_query(state))
    old_ms = old["ms_per_frame"]["median"]
    new_ms = fast["frame_interval_ms"]["median"]
    return {
        "play (frames at once, every view in the browser)": fast,
        "play, no pause between frames (the frame's own cost)": unpaced,
        "patch per frame (old way: a round trip a frame)": old,
        "old median ms per frame / play median frame interval": (
            round(old_ms / new_ms, 2) if new_ms else 0.0
        ),
        "old median ms per frame / unpaced median frame interval": (
            round(old_ms / unpaced["frame_interval_ms"]["median"], 2)
            if unpaced["frame_interval_ms"]["median"]
            else 0.0
        ),
    }


def play_figures(base_url: str, browser=None) -> dict:
    """Play at province level by year on the app at ``base_url`` (running): frame intervals
    (median, p95) and frames a second at the fast speed and unpaced, bytes of the frames'
    responses (raw, gzip), and the old patch per frame in the same run. Plain numbers. Its own
    Chromium, or ``browser`` (a Playwright browser already open: a second sync Playwright cannot
    start inside the first)."""
    if browser is not None:
        return _figures_in(browser, base_url)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        try:
            return _figures_in(own, base_url)
        finally:
            own.close()


def _figures_in(browser, base_url: str) -> dict:
    page = browser.new_page(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    try:
        figures = _views_figures(page, base_url.rstrip("/"), ViewState(period="2013"))
    finally:
        page.close()
    return figures  # the province map by year at 1440x1400 px


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
            results[name] = _views_figures(page, base, state)
            results[name]["map only, all frames at once (before issue 24)"] = played_in_browser(
                page, base, encode_query(state), all_frames_payload(state)
            )
        browser.close()
    Path(out_path).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
