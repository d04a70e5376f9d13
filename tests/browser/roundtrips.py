"""Requests and time per interaction and for the first paint, in headless Chromium.

    python -m tests.browser.roundtrips [--base OTHER_CHECKOUT] [--mid THIRD] [--n 8]

Starts this checkout's app (and, with ``--base``, another checkout's, e.g. ``git archive`` of the
commit before a change) and drives both in turn in the same run, so the figures compare on the
same loaded machine. Counted: POSTs to ``_dash-update-component`` (the page's own fetches,
instrumented in the page). Timed: from ``goto`` until every chart is drawn and the grid shows
its rows; from a province click until every view and the grid show the new view.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.browser import harness as h

#: Counts the page's callback requests and when the last one ended (installed before any script).
INSTRUMENT = """
(() => {
  const w = window; w.__cb = {n: 0, inflight: 0, ends: 0, bodies: []};
  const orig = w.fetch;
  w.fetch = function(input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!url.includes('_dash-update-component')) return orig.apply(this, arguments);
    w.__cb.n += 1; w.__cb.inflight += 1;
    try { w.__cb.bodies.push(JSON.parse(init.body).output.slice(0, 60)); } catch (e) {}
    const done = () => { w.__cb.inflight -= 1; w.__cb.ends = performance.now(); };
    return orig.apply(this, arguments).then((r) => { done(); return r; },
                                            (e) => { done(); throw e; });
  };
})();
"""

#: Every chart drawn (not the placeholder), views drawn for the address bar, the grid's rows shown.
DRAWN = """(graphs) => {
  const r = document.getElementById('rendered-search');
  if (!r || r.textContent !== location.search) return false;
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  if (window.__cb.inflight) return false;
  for (const id of graphs) {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!gd || !gd.data || !gd.data.length || !gd._fullLayout) return false;
  }
  const panel = document.querySelector('#table .ag-paging-row-summary-panel');
  const rows = document.querySelectorAll('#table .ag-row').length;
  return !!panel && /\\d$/.test(panel.innerText.trim()) && rows > 0;
}"""


@contextlib.contextmanager
def serve(checkout: Path) -> Iterator[str]:
    port = h.free_port()
    home = tempfile.mkdtemp(prefix="policy-atlas-rt-")
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    env = {**os.environ, "POLICY_ATLAS_HOME": home}
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port)],
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "/", timeout=2) as r:
                if r.status == 200:
                    break
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def graphs(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.dash-graph')].map(g => g.id).filter(Boolean)"
    )


def first_load(browser, base: str, query: str) -> tuple[int, float]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    ctx.add_init_script(INSTRUMENT)
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(base + "/" + query)
    page.wait_for_selector("#map .js-plotly-plot", state="attached", timeout=60000)
    page.wait_for_function(DRAWN, arg=graphs(page), timeout=60000, polling="raf")
    ms = (time.perf_counter() - t0) * 1000
    page.wait_for_timeout(400)
    n = page.evaluate("() => window.__cb.n")
    ctx.close()
    return n, ms


def clicks(browser, base: str, n: int) -> list[tuple[int, float, list]]:
    """Province clicks (Guangdong on, off, …): requests and ms until everything shows it."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    ctx.add_init_script(INSTRUMENT)
    page = ctx.new_page()
    page.goto(base + "/")
    h.wait_ready(page)
    ids = graphs(page)
    page.wait_for_function(DRAWN, arg=ids, timeout=60000)
    page.wait_for_timeout(300)
    out = []
    for i in range(n):
        before = page.evaluate("() => { window.__cb.bodies = []; return window.__cb.n; }")
        search = page.evaluate("() => location.search")
        x, y = h.region_point(page, "440000")
        page.mouse.move(x, y)
        page.wait_for_timeout(60)
        t0 = time.perf_counter()
        page.mouse.click(x, y)
        page.wait_for_function("(s) => location.search !== s", arg=search, timeout=30000)
        page.wait_for_function(DRAWN, arg=ids, timeout=60000, polling="raf")
        ms = (time.perf_counter() - t0) * 1000
        page.wait_for_timeout(400)
        cb = page.evaluate("() => window.__cb")
        out.append((cb["n"] - before, ms, cb["bodies"]))
        del i
    ctx.close()
    return out


def summary(label: str, values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, round(0.95 * (len(v) - 1)))]
    return f"{label}: median {statistics.median(v):.0f} ms, p95 {p95:.0f} ms (n={len(v)})"


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser()
    p.add_argument("--base", type=Path, help="another checkout to compare with")
    p.add_argument("--mid", type=Path, help="a third checkout (between before and after)")
    p.add_argument("--n", type=int, default=8)
    args = p.parse_args(argv)
    checkouts = {"after": h.REPO}
    if args.mid:
        checkouts = {"mid": args.mid, **checkouts}
    if args.base:
        checkouts = {"before": args.base, **checkouts}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        urls = {k: stack.enter_context(serve(c)) for k, c in checkouts.items()}
        browser = pw.chromium.launch(executable_path=h.chromium_path(), args=h.CHROMIUM_ARGS)
        results: dict[str, dict[str, list]] = {k: {} for k in urls}
        for rnd in range(args.n):  # interleaved: both versions see the same machine load
            for k, base in urls.items():
                for q in ("", "?region=440000&lang=en"):
                    results[k].setdefault("load" + q, []).append(first_load(browser, base, q))
            print(f"round {rnd + 1}/{args.n} loads done", file=sys.stderr)
        for k, base in urls.items():
            results[k]["click"] = clicks(browser, base, 2 * args.n)
        browser.close()
    for k, res in results.items():
        print(f"== {k}")
        for name, rows in res.items():
            counts = sorted({r[0] for r in rows})
            print(f"  {name}: requests {counts}; " + summary("time", [r[1] for r in rows]))
        print("  outputs of one click's requests:", res["click"][-1][2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
