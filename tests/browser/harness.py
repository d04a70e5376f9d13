"""Start the real app and drive it in Debian's headless Chromium (Playwright, not its own browser).

Shared by the browser tests, the screenshot script and the benchmark: one way to start the server,
one way to launch the browser, one way to click a region or drag the timeline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError("Debian's chromium is not installed: run `make test` (it installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(*args: str, env: dict | None = None, timeout: float = 300) -> Iterator[str]:
    """``python app.py --port N *args`` in a subprocess; yields its base URL once the page
    answers. ``timeout`` only bounds a start that never comes (a loaded machine running the
    tests in parallel workers took over a minute to start the app)."""
    port = free_port()
    env = dict(env or {})
    home = None
    if "POLICY_ATLAS_HOME" not in env and "POLICY_ATLAS_HOME" not in os.environ:
        home = tempfile.mkdtemp(prefix="policy-atlas-home-")  # private state, removed after
        env["POLICY_ATLAS_HOME"] = home
    ready_path = env.get("POLICY_ATLAS_URL_PREFIX") or "/"  # the page, under its prefix
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the server's lifetime)
        "w+", prefix="policy-atlas-app-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"app.py exited with {proc.returncode}: {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=10) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"app did not answer in {timeout:.0f} s: {log.read()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if home:
            shutil.rmtree(home, ignore_errors=True)


class PageWatch:
    """Console errors and requests to any host but the app's, collected while a page is open."""

    def __init__(self, page, base: str) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlparse(base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_request(req) -> None:
            u = urlparse(req.url)
            if u.scheme in ("http", "https", "ws", "wss") and u.netloc != host:
                self.foreign.append(req.url)

        page.on("request", on_request)


# ----------------------------------------------------------------------------- user actions
# How long a wait for a state may last before the test fails: a bound, not a pause (each wait
# returns as soon as its state holds). On the shared 2-core machine under load, with two test
# workers, drawing the first map took over 30 s.
STATE_TIMEOUT_MS = 120_000


def wait_ready(page) -> None:
    """Wait until the map has drawn its regions and no callback is pending."""
    page.wait_for_selector("#map .choroplethlocation", state="attached", timeout=STATE_TIMEOUT_MS)
    wait_idle(page)


def wait_idle(page, settle_ms: int = 100) -> None:
    """Wait until every view is drawn for the URL in the address bar (the app writes the query
    string it last rendered into ``#rendered-search``) and no callback is in flight."""
    page.wait_for_function(
        """() => {
          const r = document.getElementById('rendered-search');
          // the first page has the views' texts before plotly has drawn the map
          return r && r.textContent === location.search
            && document.querySelector('#map .js-plotly-plot')
            && !document.querySelector('[data-dash-is-loading="true"]');
        }""",
        timeout=STATE_TIMEOUT_MS,
    )
    page.wait_for_timeout(settle_ms)


def region_box(page, adcode: str, timeout: float = 15000) -> dict:
    """Bounding box of a region's shape on the main map (not the inset), once plotly has drawn
    it: a new map layer (the cities) is fetched and drawn after the views are in the page."""
    from playwright.sync_api import TimeoutError as NotDrawn

    try:
        page.wait_for_function(REGION_BOX_JS, arg=adcode, timeout=timeout)
    except NotDrawn as exc:
        raise AssertionError(f"region {adcode} is not drawn on the map") from exc
    return page.evaluate(REGION_BOX_JS, adcode)


REGION_BOX_JS = """(code) => {
          for (const el of document.querySelectorAll('#map .choroplethlocation')) {
            const d = el.__data__;
            const geo = el.closest('.geo');
            if (d && d.loc === code && el.getBoundingClientRect().width > 0
                && !(d.trace && d.trace.geo === 'geo2') && geo) {
              const r = el.getBoundingClientRect();
              if (r.width > 2) return {x: r.x, y: r.y, width: r.width, height: r.height};
            }
          }
          return null;
        }"""


def next_frames(page) -> None:
    """Wait until the page has drawn two more frames: what runs on the next animation frame
    (assets/a11y.js repairs names there) has run."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def click_region(page, adcode: str) -> None:
    """Click inside a region's shape, as a user would."""
    x, y = region_point(page, adcode)
    page.mouse.move(x, y)
    page.wait_for_timeout(50)
    page.mouse.click(x, y)


def region_point(page, adcode: str) -> tuple[float, float]:
    """A point inside a region's shape on the main map: points of its box are tried until one
    falls inside the shape's fill."""
    box = region_box(page, adcode)
    for fx, fy in ((0.5, 0.5), (0.45, 0.4), (0.55, 0.6), (0.4, 0.55), (0.6, 0.35), (0.35, 0.35)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        hit = page.evaluate(
            """([x, y, code]) => {
              // plotly's shapes take no pointer events, so test the geometry itself
              for (const el of document.querySelectorAll('#map .choroplethlocation')) {
                const d = el.__data__;
                if (!d || d.loc !== code || !(el.getBoundingClientRect().width > 2)) continue;
                const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM().inverse());
                if (el.isPointInFill(p)) return true;
              }
              return false;
            }""",
            [x, y, adcode],
        )
        if hit:
            return x, y
    raise AssertionError(f"found no clickable point inside region {adcode}")


def click_bar(page, graph_id: str, index: int) -> None:
    drawn(page, graph_id)
    bar = page.locator(f"#{graph_id} .bars .point").nth(index)
    box = bar.bounding_box()
    assert box and box["width"] > 0, f"bar {index} of {graph_id} is not drawn"
    page.mouse.click(box["x"] + min(box["width"] / 2, 20), box["y"] + box["height"] / 2)


def drag_timeline(page, start: float, end: float) -> None:
    """Drag across the timeline plot from fraction ``start`` to ``end`` of its width."""
    drawn(page, "timeline")
    box = page.locator("#timeline .nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    for step in range(1, 11):
        frac = start + (end - start) * step / 10
        page.mouse.move(box["x"] + box["width"] * frac, y)
    page.mouse.up()


def drawn(page, graph_id: str) -> None:
    """Scroll a graph into view and wait until plotly has drawn it (charts below the fold are
    drawn when they come into view: ``assets/lazy_charts.js``)."""
    page.locator("#" + graph_id).scroll_into_view_if_needed()
    page.wait_for_function(
        "(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " return !!(g && g._fullLayout && g.data && !g.hasAttribute('data-pa-waiting')); }",
        arg=graph_id,
        timeout=STATE_TIMEOUT_MS,
    )


def draw_all(page) -> None:
    """Draw the charts still waiting to come into view (before a full-page screenshot)."""
    page.evaluate("() => window.paCharts && window.paCharts.drawAll()")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dash-graph')].filter(g => g.offsetParent)"
        ".every(g => { const gd = g.querySelector('.js-plotly-plot');"
        " return gd && gd._fullLayout; })",
        timeout=STATE_TIMEOUT_MS,
    )


def figure_data(page, graph_id: str) -> list[dict]:
    """The traces plotly has drawn in a graph (its ``data``), as the browser holds them (a chart
    out of view is scrolled into view first, so that it is drawn: ``assets/lazy_charts.js``)."""
    read = (
        "(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " if (!(g && g._fullLayout && g.data) || g.hasAttribute('data-pa-waiting')) return null;"
        " return g.data.map(t => ({uid: t.uid, z: t.z, x: t.x, y: t.y, locations: t.locations,"
        " text: t.text})); }"
    )
    traces = page.evaluate(read, graph_id)
    if traces is None:
        drawn(page, graph_id)
        traces = page.evaluate(read, graph_id)
    return traces


# ----------------------------------------------------------------------------- the time player
# Records, at every animation frame of the page, the slider's value and the map's hover texts
# whenever either changes: what a user sees of Play, frame by frame, whatever the machine's speed
# (a loop reading from the test would miss frames on a loaded machine).
RECORD_PLAY = """() => {
  window.__seen = []; let last = null;
  function look() {
    const gd = document.querySelector('#map .js-plotly-plot');
    const thumb = document.querySelector('#period [role=slider]');
    const main = gd && gd.data && gd.data.find(t => t.uid === 'values-main');
    if (main && thumb) {
      const key = thumb.getAttribute('aria-valuenow') + '|' + main.text.join('|');
      if (key !== last) {
        last = key;
        window.__seen.push({value: Number(thumb.getAttribute('aria-valuenow')),
                            locations: main.locations.slice(), text: main.text.slice()});
      }
    }
    window.__recording = requestAnimationFrame(look);
  }
  look();
}"""


def record_play(page) -> None:
    """Start recording what Play shows (``RECORD_PLAY``); ``recorded`` reads it."""
    page.evaluate(RECORD_PLAY)


def recorded(page, frames: int = 0) -> list[dict]:
    """The slider values and map texts seen since ``record_play``, the page as it was first; with
    ``frames``, once that many have been seen after it."""
    if frames:
        page.wait_for_function(
            "(n) => window.__seen.length > n", arg=frames, timeout=STATE_TIMEOUT_MS
        )
    return page.evaluate("() => window.__seen")
