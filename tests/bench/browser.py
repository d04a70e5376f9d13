"""Clicks against their floor, in one headless Chromium session (issue #15 items 4 and 5).

Both versions — Policy Atlas and ``tests/bench/naive_app.py`` — run side by side; one browser drives
them in alternating rounds so the machine's noise falls on both. Per interaction (province click,
date range, incentive click, clear) it records:

* **click → every view updated**: from the user's release of the mouse until the page has
  settled — no request in flight, no plotly call pending, nothing new for ``QUIET_MS`` — ending at
  the later of the last response's end and the last draw of any plotly graph (a
  ``plotly_afterplot`` event or the end of a ``Plotly.*`` call). Only network and plotly events
  are used, never the app's callback structure, so the figures stay valid as the callbacks change.
* requests, bytes uncompressed (response bodies) and on the wire (Resource Timing).
* **the floor**: the same graphs' bare redraw. The figures the browser holds after the click are
  compared with those it held before; for exactly the graphs that changed, the previous figure is
  restored and ``Plotly.react(gd, newData, newLayout)`` is timed (no network, no Dash). Arrays that
  did not change keep their identity, so plotly recomputes only what changed.

And the first load of each version in a fresh context (cold cache): navigation start → every chart
drawn and the page settled, requests, bytes. Reports figures; asserts none.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

EAGER_JS = "window.paLazyCharts = false;"
#: The versions that draw every chart at once (``run.py --naive-lazy`` empties it: continuity with
#: the runs before issue #24's bench, where the straightforward apps deferred charts out of view).
EAGER = {"naive", "naive_full"}
#: Compare mode against the same click merged (issue #24): two regions selected, an incentive click.
COMPARED = "?region=320000,440000"
QUIET_MS = 500  # nothing new for this long after the last response or draw: the page has settled
KINDS = ("province click", "drill-down", "back", "date range", "incentive click", "clear",
         "city level", "province level")  # fmt: skip
#: What each version can do (the six-chart straightforward app has no level switch or drill-down).
SIX = ("province click", "date range", "incentive click", "clear")
PROVINCES = ["440000", "320000", "110000", "310000", "500000", "430000", "330000", "510000"]
# Timeline drags (fractions of its width). Each starts outside the previous one: the app keeps the
# last selection's outline drawn (even after "clear"), and a drag that starts inside it moves it.
RANGES = [(0.15, 0.45), (0.55, 0.85), (0.2, 0.5), (0.6, 0.9), (0.1, 0.4), (0.5, 0.8)]
VIEWPORT = {"width": 1400, "height": 1000}

# Installed before any page script: counts requests in flight, wraps plotly's API when it is
# defined and listens for plotly_afterplot on every graph it touches.
INIT_JS = """
(() => {
  if (window.__bench) return;
  const B = window.__bench = {pending: 0, plotting: 0, activity: 0, draws: [], up: 0, down: 0};
  const now = () => performance.now();
  const touch = () => { B.activity = now(); };
  const graphId = (gd) => gd.id || (gd.parentElement && gd.parentElement.closest('[id]') || {}).id;
  const drawn = (gd, how) => { B.draws.push([graphId(gd), now(), how]); touch(); };
  const hook = (gd) => {
    if (!gd || gd.__benchHooked || typeof gd.on !== 'function') return;
    gd.__benchHooked = true;
    gd.on('plotly_afterplot', () => drawn(gd, 'afterplot'));
  };
  B.hook = hook;
  B.idOf = graphId;
  // a fetch is in flight until its body has been read (Dash reads it as JSON right away)
  const ofetch = window.fetch;
  window.fetch = function (...a) {
    B.pending++; touch();
    let open = true;
    const done = () => { if (open) { open = false; B.pending--; touch(); } };
    return ofetch.apply(this, a).then((r) => {
      for (const m of ['json', 'text', 'arrayBuffer', 'blob']) {
        const f = r[m];
        r[m] = (...x) => f.apply(r, x).finally(() => setTimeout(done, 0));
      }
      setTimeout(done, 10000);  // a body nobody reads
      return r;
    }, (e) => { done(); throw e; });
  };
  for (const m of ['pushState', 'replaceState']) {
    const f = history[m];
    history[m] = function (...a) { touch(); return f.apply(this, a); };
  }
  const osend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...a) {
    B.pending++; touch();
    this.addEventListener('loadend', () => { B.pending--; touch(); }, {once: true});
    return osend.apply(this, a);
  };
  const API = ['newPlot', 'react', 'restyle', 'relayout', 'update', 'redraw', 'plot', 'animate',
               'addTraces', 'deleteTraces', 'moveTraces', 'extendTraces', 'prependTraces'];
  const wrap = (P) => {
    for (const name of API) {
      const f = P && P[name];
      if (typeof f !== 'function' || f.__bench) continue;
      const w = function (g, ...rest) {
        const gd = typeof g === 'string' ? document.getElementById(g) : g;
        B.plotting++; touch();
        let out;
        try { out = f.call(this, g, ...rest); } catch (e) { B.plotting--; throw e; }
        hook(gd);
        Promise.resolve(out).then(() => drawn(gd, name), () => {})
          .finally(() => { B.plotting--; touch(); });
        return out;
      };
      w.__bench = true;
      try { P[name] = w; } catch (e) { /* read-only API: afterplot events still count */ }
    }
  };
  let real = window.Plotly;
  if (real) wrap(real);
  Object.defineProperty(window, 'Plotly', {configurable: true, get() { return real; },
    set(v) { real = v; wrap(v); }});
  document.addEventListener('mousedown', (e) => { B.down = e.timeStamp; }, true);
  document.addEventListener('mouseup', (e) => { B.up = e.timeStamp; }, true);
  performance.setResourceTimingBufferSize(100000);
})();
"""

# Settled: nothing in flight and nothing new for `quiet` ms since the mark; "idle" if nothing at
# all happened after the mark for `idle` ms (the action changed nothing). With `page`: also the
# page is loaded and every graph in the first screen is drawn (scripts loading are not visible as
# requests in flight, so a quiet moment alone does not mean the page is there).
SETTLED_JS = """([mark, quiet, idle, page]) => {
  const B = window.__bench, t = performance.now();
  document.querySelectorAll('.js-plotly-plot').forEach(B.hook);
  const busy = () => {
    if (B.pending > 0 || B.plotting > 0) return true;
    if (document.querySelector('[data-dash-is-loading="true"]')) return true;
    if (!page) return false;
    if (document.readyState !== 'complete' || document.querySelector('._dash-loading')) return true;
    const graphs = [...document.querySelectorAll('.dash-graph')];
    // a hidden graph (display none) is not in view: assets/lazy_charts.js draws it when shown
    const inView = graphs.filter(g => g.offsetParent
      && g.getBoundingClientRect().top < innerHeight);
    return !graphs.length
      || inView.some(g => !(g.querySelector('.js-plotly-plot') || {})._fullLayout);
  };
  // quiet on three polls in a row with nothing new in between: a renderer starved of CPU by other
  // jobs runs an overdue poll before the network tasks that queued meanwhile
  const calm = !busy() && (B.activity <= mark ? t - mark > idle : t - B.activity >= quiet);
  B.calm = calm && B.calmAt === B.activity ? (B.calm || 0) + 1 : (calm ? 1 : 0);
  B.calmAt = B.activity;
  if (B.calm < 3) return false;
  return B.activity <= mark ? 'idle' : 'settled';
}"""

# What happened since the mark: the end of the last response and of the last draw, the requests.
COLLECT_JS = """(mark) => {
  const B = window.__bench;
  // a click's requests are the page's own (the favicon Chromium refetches when the URL changes
  // is not the app's doing); the first load counts everything
  const res = performance.getEntriesByType('resource').filter(e => e.startTime >= mark
    && (mark <= 0 || e.initiatorType !== 'other'));
  const nav = mark <= 0 ? performance.getEntriesByType('navigation') : [];
  const all = nav.concat(res);
  const draws = B.draws.filter(d => d[1] >= mark);
  const sum = (k) => all.reduce((a, e) => a + (e[k] || 0), 0);
  return {
    last_response: Math.max(0, ...all.map(e => e.responseEnd)),
    last_draw: Math.max(0, ...draws.map(d => d[1])),
    drawn: [...new Set(draws.map(d => d[0]).filter(Boolean))].sort(),
    requests: all.length,
    bytes_uncompressed: sum('decodedBodySize'),
    bytes_body_wire: sum('encodedBodySize'),
    bytes_wire: sum('transferSize'),
    released: B.up,
    pressed: B.down,
    draw_list: draws.map(d => [d[0], Math.round(d[1] - mark), d[2]]),
    list: all.map(e => [e.name.replace(location.origin, '').split('?')[0],
                        Math.round(e.startTime - mark), Math.round(e.responseEnd - mark),
                        e.decodedBodySize || 0]),
    // the graphs in the window at the end, and the last draw of one of them
    visible: [...document.querySelectorAll('.js-plotly-plot')].filter((g) => {
      const b = g.getBoundingClientRect();
      return b.bottom > 0 && b.top < innerHeight && b.width > 0;
    }).map((g) => B.idOf(g)).sort(),
    graphs: document.querySelectorAll('.js-plotly-plot').length,
    graphs_drawn: [...document.querySelectorAll('.js-plotly-plot')]
      .filter(g => g._fullLayout).length,
  };
}"""

# Shared helpers in the page: a clone without private keys, deep equality, and "prev with every
# part that equals next replaced by next's own object" (so unchanged arrays keep their identity).
HELPERS_JS = """
window.__benchUtil = (() => {
  const isArr = (v) => Array.isArray(v) || ArrayBuffer.isView(v);
  const clone = (v) => {
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
    if (ArrayBuffer.isView(v)) return v.slice();
    if (Array.isArray(v)) return v.map(clone);
    if (v instanceof Date) return new Date(v);
    const o = {};
    for (const k of Object.keys(v)) if (k[0] !== '_') o[k] = clone(v[k]);
    return o;
  };
  const same = (a, b) => {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
      return Number.isNaN(a) && Number.isNaN(b);
    if (isArr(a) !== isArr(b)) return false;
    if (isArr(a)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
      return true;
    }
    const ka = Object.keys(a).filter(k => k[0] !== '_' && a[k] !== undefined);
    const kb = Object.keys(b).filter(k => k[0] !== '_' && b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!same(a[k], b[k])) return false;
    return true;
  };
  const share = (prev, next) => {
    if (same(prev, next)) return next;
    if (prev === null || next === null || typeof prev !== 'object' || typeof next !== 'object'
        || ArrayBuffer.isView(prev) || Array.isArray(prev) !== Array.isArray(next)) return prev;
    if (Array.isArray(prev)) return prev.map((v, i) => share(v, next[i]));
    const o = {};
    for (const k of Object.keys(prev)) o[k] = share(prev[k], next[k]);
    return o;
  };
  const graphs = () => [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout);
  const idOf = (gd) => gd.id || gd.parentElement.closest('[id]').id;
  return {clone, same, share, graphs, idOf};
})();
"""

SNAPSHOT_JS = """() => {
  const U = window.__benchUtil;
  window.__benchPrev = new Map(U.graphs().map(gd =>
    [gd, {data: U.clone(gd.data), layout: U.clone(gd.layout)}]));
}"""

# For the graphs whose figure changed: restore the previous figure (untimed), then time
# Plotly.react back to the figure the click produced.
FLOOR_JS = """async () => {
  const U = window.__benchUtil, B = window.__bench, P = window.Plotly;
  const out = {changed: [], ms: {}, total: 0, visible: 0};
  const inView = (g) => {
    const b = g.getBoundingClientRect();
    return b.bottom > 0 && b.top < innerHeight && b.width > 0;
  };
  for (const gd of U.graphs()) {
    const prev = window.__benchPrev.get(gd);
    if (!prev || (U.same(prev.data, gd.data) && U.same(prev.layout, gd.layout))) continue;
    const data = gd.data, layout = gd.layout;
    const back = U.share(prev, {data, layout});
    await P.react(gd, back.data, back.layout);
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const t = performance.now();
    await P.react(gd, data, layout);
    const ms = performance.now() - t;
    const id = U.idOf(gd);
    out.changed.push(id); out.ms[id] = ms; out.total += ms;
    if (inView(gd)) out.visible += ms;
  }
  B.activity = performance.now();
  return out;
}"""


# The charts a click left waiting (out of view, ``assets/lazy_charts.js``: ``data-pa-waiting``):
# scrolled into view one after the other, as a reader scrolling down would, each timed from its
# scroll until plotly has drawn it (its ``plotly_afterplot``, or for a chart never drawn before,
# the first frame after its waiting mark is gone and plotly has laid it out).
CATCHUP_JS = """async () => {
  const B = window.__bench;
  const out = {charts: [], ms: {}, total: 0, timed_out: []};
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  for (const gd of [...document.querySelectorAll('[data-pa-waiting]')]) {
    if (!gd.hasAttribute('data-pa-waiting')) continue;  // drawn on the way to an earlier one
    if (!gd.offsetParent) continue;  // hidden (an own-dimension slot): no reader scrolls to it
    const id = B.idOf(gd);
    B.hook(gd);
    const hooked = !!gd.__benchHooked;  // drawn before: its afterplot says when it is drawn again
    const t0 = performance.now();
    gd.scrollIntoView({block: 'center'});
    let end = null;
    while (end === null && performance.now() - t0 < 20000) {
      await frame();
      if (gd.hasAttribute('data-pa-waiting') || !gd._fullLayout) continue;
      const drew = B.draws.filter(d => d[0] === id && d[1] >= t0).map(d => d[1]);
      if (drew.length) end = Math.max(...drew);
      else if (!hooked) end = performance.now();
    }
    if (end === null) { out.timed_out.push(id); end = performance.now(); }
    out.charts.push(id); out.ms[id] = end - t0; out.total += end - t0;
  }
  window.scrollTo(0, 0);
  B.activity = performance.now();
  return out;
}"""


# ------------------------------------------------------------------------ figures
def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks (numpy's
    default), so medians and p95 read the same everywhere in the report."""
    if not values:
        raise ValueError("no values")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(values: Sequence[float], digits: int = 1) -> dict[str, float]:
    """Median, p95 and n of a sample (empty sample: n = 0 and no figures)."""
    if not values:
        return {"n": 0}
    return {
        "median": round(statistics.median(values), digits),
        "p95": round(percentile(values, 95), digits),
        "n": len(values),
    }


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> dict[str, float]:
    """Paired ratios (one per interaction: its time over its own floor), summarised."""
    pairs = [n / d for n, d in zip(numerators, denominators, strict=True) if d > 0]
    return summary(pairs, 2)


def ratio_of(a: dict[str, float], b: dict[str, float], key: str) -> float | None:
    """``a[key] / b[key]`` for two summaries (medians or p95 of unpaired samples)."""
    if key not in a or key not in b or not b[key]:
        return None
    return round(a[key] / b[key], 2)


# ------------------------------------------------------------------------ driving the page
def settle(
    page: Any, mark: float, timeout_ms: int = 30000, idle_ms: int = 5000, loading: bool = False
) -> str:
    """Wait until the page has settled after ``mark`` (``performance.now()`` of the page);
    "idle" when nothing happened at all."""
    quiet = QUIET_MS * 2 if loading else QUIET_MS
    page.evaluate("window.__bench.calm = 0")
    handle = page.wait_for_function(
        SETTLED_JS, arg=[mark, quiet, idle_ms, loading], polling=50, timeout=timeout_ms
    )
    return str(handle.json_value())


def open_page(context: Any, base: str, query: str = "") -> Any:
    page = context.new_page()
    page.goto(base + "/" + query)
    settle(page, 0, timeout_ms=120000, idle_ms=60000, loading=True)
    page.evaluate(HELPERS_JS)
    return page


def _action(page: Any, kind: str, r: int) -> Callable[[], None]:
    """Prepare (find the target, move the mouse there, let any hover settle) and return the act."""
    from tests.browser.harness import drag_timeline, region_point

    if kind == "province click":
        page.locator("#map").scroll_into_view_if_needed()
        x, y = region_point(page, PROVINCES[r % len(PROVINCES)])
    elif kind == "incentive click":  # the widest bar: a category with rows, never a no-op
        page.locator("#bd-incentive").scroll_into_view_if_needed()
        bars = page.locator("#bd-incentive .bars .point")
        bars.first.wait_for(state="attached", timeout=20000)
        widths = bars.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        box = bars.nth(max(range(len(widths)), key=widths.__getitem__)).bounding_box()
        x, y = box["x"] + min(box["width"] / 2, 20), box["y"] + box["height"] / 2
    elif kind in ("city level", "province level"):
        level = "city" if kind == "city level" else "province"
        target = page.locator(f"#map-level input[value='{level}']")
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    elif kind in ("drill-down", "back"):
        target = page.locator("#drill-btn" if kind == "drill-down" else "#back-btn")
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    elif kind == "date range":
        page.locator("#timeline").scroll_into_view_if_needed()
        lo, hi = RANGES[r % len(RANGES)]
        return lambda: drag_timeline(page, lo, hi)
    else:
        page.locator("#clear-all").scroll_into_view_if_needed()
        box = page.locator("#clear-all").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    return lambda: page.mouse.click(x, y)


def interact(page: Any, kind: str, r: int) -> dict[str, Any]:
    """One interaction: its time to every view updated, its requests and bytes, its floor."""
    act = _action(page, kind, r)
    settle(page, page.evaluate("performance.now()"), idle_ms=200)
    page.evaluate(SNAPSHOT_JS)
    mark = page.evaluate("performance.now()")
    act()
    if settle(page, mark) == "idle":
        return {"kind": kind, "missed": True}
    got = page.evaluate(COLLECT_JS, mark)
    start = got["released"] if got["released"] >= mark else mark
    end = max(got["last_response"], got["last_draw"])
    if end <= start or not got["requests"]:  # only the pointer's own feedback: nothing changed
        return {"kind": kind, "missed": True}
    floor = page.evaluate(FLOOR_JS)
    settle(page, page.evaluate("performance.now()"), idle_ms=100)
    seen = [d[1] + mark for d in got["draw_list"] if d[0] in got["visible"]]
    end_visible = max([got["last_response"], *seen])
    catch = page.evaluate(CATCHUP_JS)
    if catch["charts"]:
        settle(page, page.evaluate("performance.now()"), idle_ms=100)
    return {
        "catchup_ms": round(catch["total"], 1),
        "catchup_charts": catch["charts"],
        "catchup_by_graph": {k: round(v, 1) for k, v in catch["ms"].items()},
        "catchup_timed_out": catch["timed_out"],
        "kind": kind,
        "ms": round(end - start, 1),
        "visible_ms": round(end_visible - start, 1),
        "visible": got["visible"],
        "floor_visible_ms": round(floor["visible"], 1),
        "last_response_ms": round(max(0.0, got["last_response"] - start), 1),
        "requests": got["requests"],
        "bytes_uncompressed": got["bytes_uncompressed"],
        "bytes_wire": got["bytes_wire"],
        "drawn": got["drawn"],
        "request_list": got["list"],
        "draw_list": got["draw_list"],
        "changed": floor["changed"],
        "floor_ms": round(floor["total"], 1),
        "floor_by_graph": {k: round(v, 1) for k, v in floor["ms"].items()},
    }


def new_context(browser: Any, who: str) -> Any:
    """A browser context with the bench's script installed; the straightforward versions draw
    every chart at once, as a Dash app written from the docs does (they share our assets folder,
    so ``assets/lazy_charts.js`` is switched off for them: ``window.paLazyCharts = false``)."""
    context = browser.new_context(viewport=VIEWPORT)
    if who in EAGER:
        context.add_init_script(EAGER_JS)
    context.add_init_script(INIT_JS)
    return context


def first_load(browser: Any, base: str, who: str = "ours") -> dict[str, Any]:
    """Navigation start → every chart drawn, in a fresh context (nothing cached)."""
    context = new_context(browser, who)
    try:
        page = context.new_page()
        page.goto(base + "/")
        settle(page, 0, timeout_ms=120000, idle_ms=60000, loading=True)
        got = page.evaluate(COLLECT_JS, 0)
        seen = [d[1] for d in got["draw_list"] if d[0] in got["visible"]]
        return {
            "ms": round(max(got["last_response"], got["last_draw"]), 1),
            # navigation start -> the last draw of a chart in the window (what the reader sees)
            "visible_ms": round(max(seen) if seen else got["last_draw"], 1),
            "visible": got["visible"],
            "requests": got["requests"],
            "bytes_wire": got["bytes_wire"],
            "bytes_uncompressed": got["bytes_uncompressed"],
            "graphs": got["graphs"],
            "graphs_drawn": got["graphs_drawn"],
        }
    finally:
        context.close()


# ------------------------------------------------------------------------ the run
@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _rounds(pages: dict[str, Any], rounds: int, kinds: dict[str, Sequence[str]] | None,
            raw: dict[str, dict[str, list]]) -> None:  # fmt: skip
    for r in range(rounds):
        for who, page in pages.items():
            for kind in (kinds or {}).get(who, KINDS):
                try:
                    got = interact(page, kind, r)
                except Exception as e:  # noqa: BLE001  (one failed action: counted, not fatal)
                    print(f"[bench] {who} {kind}: {e!r}"[:300], file=sys.stderr, flush=True)
                    got = {"kind": kind, "missed": True, "error": repr(e)[:300]}
                raw[who]["clicks"].append({"round": r, **got})
        _log(f"browser round {r + 1}/{rounds}")


def measure(
    bases: dict[str, str],
    rounds: int = 8,
    loads: int = 5,
    kinds: dict[str, Sequence[str]] | None = None,
    compare_rounds: int = 0,
    trace: bool = False,
) -> dict[str, Any]:
    """Every version (``bases``: name -> base URL) in one browser: ``loads`` first loads each,
    then ``rounds`` rounds of the interactions each (``kinds``: name -> what that version can do;
    all of ``KINDS`` by default), alternating versions round by round. Then, on ours:
    ``compare_rounds`` compare-mode clicks against merged ones, and with ``trace`` a CPU profile
    of a province click and a city-level switch (``tests/bench/trace.py``)."""
    raw: dict[str, dict[str, list]] = {who: {"loads": [], "clicks": []} for who in bases}
    extra: dict[str, Any] = {}
    with chromium() as browser:
        for _ in range(loads):
            for who, base in bases.items():
                raw[who]["loads"].append(first_load(browser, base, who))
        _log(f"browser: {loads} first loads each")
        pages = {who: open_page(new_context(browser, who), base) for who, base in bases.items()}
        _rounds(pages, rounds, kinds, raw)
        if "ours" in pages and trace:
            extra["trace"] = _guarded("trace", lambda: traced(pages["ours"]))
            _log("browser: click trace taken")
        if "ours" in bases and compare_rounds:
            extra["compare"] = _guarded(
                "compare", lambda: compare_clicks(browser, bases["ours"], compare_rounds)
            )
            _log("browser: compare clicks")
    return {**summarise(raw), **extra}


def _log(text: str) -> None:
    print(f"[bench] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _guarded(name: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``run()``, or what failed (the report names it; the other figures stand)."""
    try:
        return run()
    except Exception as e:  # noqa: BLE001  (reported, not fatal)
        print(f"[bench] {name}: {e!r}"[:300], file=sys.stderr, flush=True)
        return {"error": repr(e)[:300]}


def compare_clicks(browser: Any, base: str, rounds: int) -> dict[str, Any]:
    """The same incentive click with two regions selected, split by region (compare mode) and
    merged, alternating, each in its own page: click → visible views drawn, its floor, the time
    until the last response, bytes."""
    pages = {
        "merged": open_page(new_context(browser, "ours"), base, COMPARED),
        "compare": open_page(new_context(browser, "ours"), base, COMPARED + "&compare=1"),
    }
    clicks: dict[str, list[dict[str, Any]]] = {mode: [] for mode in pages}
    for r in range(rounds):
        for mode, page in pages.items():
            try:
                clicks[mode].append(interact(page, "incentive click", r))
            except Exception as e:  # noqa: BLE001  (one failed action: counted, not fatal)
                clicks[mode].append({"kind": "incentive click", "missed": True, "error": repr(e)})
    out: dict[str, Any] = {m: _kind_figures(c) for m, c in clicks.items()}
    for key in ("visible", "last_response"):
        out[f"compare_over_merged_{key}"] = {
            q: ratio_of(out["compare"][key], out["merged"][key], q) for q in ("median", "p95")
        }
    out["query"] = COMPARED
    return out


def traced(page: Any) -> dict[str, Any]:
    """A CPU profile (Chromium's sampling profiler through CDP) of one province click and one
    city-level switch on ours, broken down after the response (``tests/bench/trace.py``)."""
    from tests.bench import trace

    out = {}
    for kind in ("province click", "city level"):
        out[kind] = trace.profile_click(page, kind)
    page.evaluate("window.scrollTo(0, 0)")
    with contextlib.suppress(Exception):  # back to the province map, as the rounds leave it
        interact(page, "province level", 0)
    return out


def _kind_figures(clicks: list[dict[str, Any]]) -> dict[str, Any]:
    done = [c for c in clicks if not c.get("missed")]
    changed = sorted({g for c in done for g in c["changed"]})
    drawn = sorted({g for c in done for g in c["drawn"]})
    return {
        "click": summary([c["ms"] for c in done]),
        "visible": summary([c.get("visible_ms", c["ms"]) for c in done]),
        "floor_visible": summary([c.get("floor_visible_ms", c["floor_ms"]) for c in done]),
        "visible_over_floor": ratios(
            [c.get("visible_ms", c["ms"]) for c in done],
            [c.get("floor_visible_ms", c["floor_ms"]) for c in done],
        ),
        "visible_graphs": sorted({g for c in done for g in c.get("visible", [])}),
        "last_response": summary([c["last_response_ms"] for c in done]),
        "floor": summary([c["floor_ms"] for c in done]),
        "click_over_floor": ratios([c["ms"] for c in done], [c["floor_ms"] for c in done]),
        "requests": summary([c["requests"] for c in done], 0),
        "bytes_uncompressed": summary([c["bytes_uncompressed"] for c in done], 0),
        "bytes_wire": summary([c["bytes_wire"] for c in done], 0),
        "graphs_changed": changed,
        "graphs_drawn": drawn,
        "missed": len(clicks) - len(done),
        # the charts the click left waiting, scrolled into view and drawn (CATCHUP_JS)
        "catch_up": summary([c["catchup_ms"] for c in done if c.get("catchup_charts")]),
        "catch_up_charts": sorted({g for c in done for g in c.get("catchup_charts", [])}),
        "catch_up_timed_out": sum(len(c.get("catchup_timed_out", [])) for c in done),
    }


def summarise(raw: dict[str, dict[str, list]]) -> dict[str, Any]:
    """Per version and interaction kind: medians and p95; ours against naive (ratio of medians and
    of p95: naive / ours, so > 1 means ours is faster)."""
    out: dict[str, Any] = {"raw": raw}
    for who, r in raw.items():
        loads = r["loads"]
        out[who] = {
            "first_load": {
                "ms": summary([x["ms"] for x in loads]),
                "visible_ms": summary([x.get("visible_ms", x["ms"]) for x in loads]),
                "requests": summary([x["requests"] for x in loads], 0),
                "bytes_wire": summary([x["bytes_wire"] for x in loads], 0),
                "bytes_uncompressed": summary([x["bytes_uncompressed"] for x in loads], 0),
                "graphs": max((x["graphs"] for x in loads), default=0),
                "graphs_drawn": min((x["graphs_drawn"] for x in loads), default=0),
            },
            "kinds": {
                k: _kind_figures([c for c in r["clicks"] if c["kind"] == k])
                for k in KINDS
                if any(c["kind"] == k for c in r["clicks"])
            },
        }
    for other, key in (("naive", "naive_over_ours"), ("naive_full", "naive_full_over_ours")):
        if "ours" not in out or other not in out:
            continue
        vs: dict[str, Any] = {}
        for k, n_k in out[other]["kinds"].items():
            o_k = out["ours"]["kinds"].get(k)
            if not o_k:
                continue
            o, n = o_k["click"], n_k["click"]
            vs[k] = {"median": ratio_of(n, o, "median"), "p95": ratio_of(n, o, "p95")}
            o, n = o_k["visible"], n_k["visible"]
            vs[k] |= {"visible_median": ratio_of(n, o, "median"),
                      "visible_p95": ratio_of(n, o, "p95")}  # fmt: skip
        o, n = out["ours"]["first_load"]["ms"], out[other]["first_load"]["ms"]
        vs["first load"] = {"median": ratio_of(n, o, "median"), "p95": ratio_of(n, o, "p95")}
        o, n = out["ours"]["first_load"]["visible_ms"], out[other]["first_load"]["visible_ms"]
        vs["first load"] |= {"visible_median": ratio_of(n, o, "median"),
                             "visible_p95": ratio_of(n, o, "p95")}  # fmt: skip
        out[key] = vs
    return out
