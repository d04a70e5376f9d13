"""How to draw the map's selection without a geo redraw: the options of issue #15 item 1, measured
in one run in headless Chromium on the live app (province map and city map), medians and p95.

(a) the Patch of today: the selection traces and ``selectedpoints`` restyled through
    ``Plotly.react`` (what dcc.Graph does with a Patch): plotly re-projects the whole geo subplot.
(b) ``assets/map_selection.js``: the selected regions' SVG paths cloned and outlined above the
    fills, the others dimmed; plotly untouched.
(c) a second, transparent graph stacked on the map carrying only the outline traces
    (``Plotly.react`` on it; it cannot dim the other regions without drawing them all).

Each timing runs from the call until the next frame has been drawn. Reports figures; asserts none.

    python -m tests.bench.map_selection [--n 20] [--url http://127.0.0.1:8063]
    python -m tests.bench.map_selection --before DIR [--n 20]   (DIR: a checkout of the app before;
        province click -> every view drawn, the map's redraws, time to the first screen drawn with
        and without drawing charts below the fold later)
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from tests.browser import harness as h

PICKS = {"province": ["440000"], "city": ["440300", "440100"]}

# One page-side timer: the call (a promise or not), then a frame, then a task after it.
_JS = """
async ([option, picks, n]) => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const uids = gd.data.map(t => t.uid);
  const at = u => uids.indexOf(u);
  const withSelection = (codes) => {
    const sel = new Set(codes);
    const data = gd.data.map(t => Object.assign({}, t));
    for (const u of ['values-main', 'values-inset', 'nodata-main', 'nodata-inset']) {
      const t = data[at(u)];
      const idx = (t.locations || []).map((a, i) => sel.has(a) ? i : -1).filter(i => i >= 0);
      t.selectedpoints = codes.length ? idx : null;
    }
    const locs = [];
    for (const u of ['values-main', 'nodata-main']) {
      for (const a of data[at(u)].locations || []) if (sel.has(a)) locs.push(a);
    }
    for (const u of ['selected-main', 'selected-inset']) {
      data[at(u)].locations = locs; data[at(u)].z = locs.map(() => 1);
    }
    return data;
  };
  let stacked = null;
  if (option === 'c') {
    stacked = document.createElement('div');
    const box = gd.getBoundingClientRect();
    Object.assign(stacked.style, {position: 'absolute', left: (box.left + scrollX) + 'px',
      top: (box.top + scrollY) + 'px', width: box.width + 'px', height: box.height + 'px',
      pointerEvents: 'none'});
    document.body.appendChild(stacked);
    const layout = JSON.parse(JSON.stringify({geo: gd.layout.geo, geo2: gd.layout.geo2,
      margin: gd.layout.margin}));
    Object.assign(layout, {width: box.width, height: box.height, showlegend: false,
      paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)'});
    layout.geo.bgcolor = 'rgba(0,0,0,0)'; layout.geo2.bgcolor = 'rgba(0,0,0,0)';
    layout.geo2.showland = false; layout.geo2.showframe = false;
    const outline = ['selected-main', 'selected-inset'].map(u => Object.assign({}, gd.data[at(u)]));
    await Plotly.newPlot(stacked, outline, layout, {staticPlot: true,
      topojsonURL: gd._context.topojsonURL});
  }
  const times = [];
  for (let i = 0; i < n; i++) {
    const codes = i % 2 ? [] : picks;
    const t0 = performance.now();
    if (option === 'a') {
      await Plotly.react(gd, withSelection(codes), gd.layout);
    } else if (option === 'b') {
      window.paMapSelection.draw({map: codes});
    } else {
      const data = stacked.data.map(t => Object.assign({}, t));
      const locs = codes.slice();
      for (const t of data) { t.locations = locs; t.z = locs.map(() => 1); }
      await Plotly.react(stacked, data, stacked.layout);
    }
    await frame();
    times.push(performance.now() - t0);
  }
  if (stacked) { Plotly.purge(stacked); stacked.remove(); }
  if (option === 'a') { await Plotly.react(gd, withSelection([]), gd.layout); await frame(); }
  return times;
}
"""


def _app_at(folder: str):
    """``python app.py`` of another checkout (the same harness, run from that folder)."""
    import contextlib
    import os
    import subprocess
    import sys
    import tempfile
    import time
    import urllib.request

    @contextlib.contextmanager
    def run():
        port = h.free_port()
        home = tempfile.mkdtemp(prefix="policy-atlas-before-")
        env = {**os.environ, "POLICY_ATLAS_HOME": home, "PYTHONPATH": folder}
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    with urllib.request.urlopen(base + "/", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    return run()


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 1), "p95": round(p95, 1), "n": len(times)}


def measure(base: str, n: int) -> dict[str, Any]:
    """{level: {option: {median, p95, n}}}, all in one browser session."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for level in ("province", "city"):
            page.goto(base + ("/?map=city" if level == "city" else "/"))
            h.wait_ready(page)
            page.evaluate("() => window.paMapSelection && window.paMapSelection.draw({map: []})")
            out[level] = {}
            for option in ("a", "b", "c", "a", "b", "c"):  # twice, interleaved
                times = page.evaluate(_JS, [option, PICKS[level], n // 2])
                out[level].setdefault(option, []).extend(times)
            out[level] = {k: _stats(v) for k, v in out[level].items()}
        browser.close()
    return out


# Written into every page before it loads: the time (ms since navigation) at which every chart
# whose box starts in the first screen is drawn for the view in the address bar.
FIRST_SCREEN_JS = """
(() => {
  const lazyOff = %s;
  if (lazyOff) window.paLazyCharts = false;
  const check = () => {
    const r = document.getElementById('rendered-search');
    const graphs = [...document.querySelectorAll('.dash-graph')]
      .filter(g => g.getBoundingClientRect().top < innerHeight && g.offsetParent);
    const done = r && r.textContent === location.search && graphs.length
      && graphs.every(g => { const gd = g.querySelector('.js-plotly-plot');
        return gd && gd._fullLayout && gd.data && gd.data.length
          && !gd.classList.contains('dash-graph--pending'); });
    if (done) { window.__firstScreen = performance.now(); return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""

CLICK_JS = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  window.__geoRedraws = 0;
  new MutationObserver(rs => { for (const r of rs)
    if (r.target.classList.contains('choroplethlocation')) window.__geoRedraws++; })
    .observe(gd, {attributes: true, subtree: true, attributeFilter: ['d']});
}"""


def first_screen(browser, base: str, lazy: bool) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script(FIRST_SCREEN_JS % ("false" if lazy else "true"))
    page.goto(base + "/")
    page.wait_for_function("() => window.__firstScreen", timeout=60000)
    out = float(page.evaluate("() => window.__firstScreen"))
    context.close()
    return out


def province_clicks(browser, base: str, n: int) -> tuple[list[float], int]:
    """Click → every view drawn for the new URL (ms), province clicks toggling two provinces;
    and how many times plotly re-projected the map's regions meanwhile."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    h.wait_ready(page)
    page.evaluate(CLICK_JS)
    times = []
    for i in range(n):
        code = ("440000", "110000")[i % 2]
        x, y = h.region_point(page, code)
        page.mouse.move(x, y)
        page.wait_for_timeout(150)
        before = page.evaluate("() => location.search")
        t0 = page.evaluate("() => performance.now()")
        page.mouse.click(x, y)
        page.wait_for_function("(b) => location.search !== b", arg=before)
        h.wait_idle(page, settle_ms=0)
        times.append(page.evaluate("() => performance.now()") - t0)
    redraws = int(page.evaluate("() => window.__geoRedraws"))
    context.close()
    return times, redraws


def compare(bases: dict[str, str], n: int) -> dict[str, Any]:
    """Province clicks and the first screen of each app, interleaved in one browser."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {name: {"click": [], "first": [], "first_eager": []} for name in bases}
    redraws: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        for _ in range(2):
            for name, base in bases.items():
                times, redraws[name] = province_clicks(browser, base, n // 2)
                out[name]["click"] += times
        for _ in range(n // 2):
            for name, base in bases.items():
                out[name]["first"].append(first_screen(browser, base, lazy=True))
                out[name]["first_eager"].append(first_screen(browser, base, lazy=False))
        browser.close()
    return {
        name: {k: _stats(v) for k, v in d.items()} | {"map_redraws_last_run": redraws[name]}
        for name, d in out.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--url", help="a running app (default: start one)")
    parser.add_argument(
        "--before", help="a checkout of the app before: compare clicks, first screen"
    )
    args = parser.parse_args()
    if args.before:
        with h.running_app() as after, _app_at(args.before) as before:
            print(json.dumps(compare({"before": before, "after": after}, args.n), indent=2))
        return
    if args.url:
        print(json.dumps(measure(args.url, args.n), indent=2))
        return
    with h.running_app() as base:
        print(json.dumps(measure(base, args.n), indent=2))


if __name__ == "__main__":
    main()
