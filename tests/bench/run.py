"""``make bench``: Policy Atlas measured side by side with the straightforward way (issues #6, #15).

For the bundled table and SYNTHETIC tables (``tests/bench/synth.py``) of each size it reports:
load time and peak memory; server time per interaction kind (map click, date range, incentive
click, clear) calling the real callback body directly (median, p95 over many repetitions) and the
bytes of its JSON; over HTTP against the running app, the bytes each response carries (raw and
gzip); in one headless Chromium session (``tests/bench/browser.py``) each click's time to every view
updated against its floor (the bare redraw of the charts it changed) and against
``tests/bench/naive_app.py``, and both versions' first load; ``tests/bench/scale.py`` when it is
there; finally the 50-session gunicorn load test (``tests/bench/load.py``). Figures go to
``bench/results.json`` and ``docs/BENCHMARKS.md`` (issue #15's targets before and after).
Reports figures; asserts none.

    python -m tests.bench.run [--sizes 1000,10000,100000,1000000] [--rounds 5] [--loads 3] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results.json"
REPORT = REPO / "docs" / "BENCHMARKS.md"
NOTES_MARKER = "<!-- notes: kept when run.py rewrites the tables above -->"

# Each interaction kind: the URL query strings it leads to, cycled through the repetitions, and
# the state it starts from. A map click adds a province; a date range brushes the timeline; an
# incentive click adds a category; clear goes from a filtered view back to everything.
PROVINCES = ["440000", "320000", "110000", "310000", "500000", "430000", "330000", "510000"]
INCENTIVES = ["subsidy", "cash-reward", "fund", "rd-support", "industrial-park", "tax-incentive"]
RANGES = [("2019-01-01", "2020-12-31"), ("2020-03-01", "2021-06-30"), ("2017-01-01", "2018-12-31"),
          ("2021-01-01", "2023-12-31"), ("2016-06-01", "2019-05-31")]  # fmt: skip
KINDS = ("map click", "date range", "incentive click", "clear")
TARGETS = {
    "bytes_per_interaction": 2048,
    "server_ms_100k": 20.0,
    "server_ms_1m": 100.0,
    "click_p95_ms_100k": 100.0,
    "first_load_bytes": 3_000_000,
    "start_s": 2.0,
}


def interaction_queries(kind: str, i: int) -> str:
    """The i-th query string of an interaction kind (after the click)."""
    p = PROVINCES[i % len(PROVINCES)]
    if kind == "map click":
        return f"?region={p}"
    if kind == "date range":
        lo, hi = RANGES[i % len(RANGES)]
        return f"?region={p}&from={lo}&to={hi}"
    if kind == "incentive click":
        lo, hi = RANGES[i % len(RANGES)]
        return f"?region={p}&incentive={INCENTIVES[i % len(INCENTIVES)]}&from={lo}&to={hi}"
    if kind == "clear":
        return "" if i % 2 == 0 else "?map=city"  # back to everything (province or city map)
    raise ValueError(kind)


def _stats(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "n": len(ms),
    }


def _json_bytes(value: Any) -> int:
    import plotly.utils

    return len(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder).encode("utf-8"))


# ------------------------------------------------------------------------ direct server times
def server_times(reps: int = 30, warm: int = 2) -> dict[str, dict[str, Any]]:
    """Time the interaction callback body (``callbacks.interaction.respond``: parse_query,
    viewmodel, Patch, the controls, the grid's first rows) plus its JSON serialisation, per
    interaction kind, on the dataset this process serves
    (``callbacks.service.context.dataset_for``). Also the bytes of the response JSON and of the
    grid's rows in it. No HTTP."""
    from callbacks import interaction
    from data.state import parse_query
    from layouts import viewmodel

    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        ms: list[float] = []
        sizes: list[int] = []
        rows_bytes: list[int] = []
        for i in range(-warm, reps):
            query = interaction_queries(kind, i)
            state = parse_query(query)
            rendered = {"key": viewmodel.view_key(state), "lang": state.lang}
            table = f"{state.data or ''}|{state.lang}"  # the page shows this table already
            t0 = time.perf_counter()
            result = interaction.respond(query, rendered, state.lang, table, before="?")
            body = _json_bytes(result)
            dt = (time.perf_counter() - t0) * 1000
            if i >= 0:
                ms.append(dt)
                sizes.append(body)
                rows_bytes.append(_json_bytes(result["grid_first"]))
        out[kind] = {
            **_stats(ms),
            "bytes": int(statistics.median(sizes)),
            "rowdata_bytes": int(statistics.median(rows_bytes)),
        }
    return out


def table_block_times(reps: int = 15, warm: int = 1, size: int = 25) -> dict[str, dict[str, Any]]:
    """Time the grid's block request (``callbacks.grid.rows_block``) for each interaction's new
    view: the rows the table shows after the change (first page, newest first)."""
    import callbacks.grid as ct

    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        ms, sizes = [], []
        for i in range(-warm, reps):
            query = interaction_queries(kind, i)
            request = {"startRow": 0, "endRow": size, "sortModel": [], "filterModel": {}}
            ct.table._views.clear()  # a new view: nothing cached yet
            t0 = time.perf_counter()
            body = _json_bytes(ct.rows_block(request, query, ""))
            dt = (time.perf_counter() - t0) * 1000
            if i >= 0:
                ms.append(dt)
                sizes.append(body)
        out[kind] = {**_stats(ms), "bytes": int(statistics.median(sizes))}
    return out


def naive_server_times(frame, reps: int = 30, warm: int = 1) -> dict[str, dict[str, Any]]:
    """The same for the straightforward version (``naive_app.naive_views``)."""
    from data.state import parse_query
    from layouts.figures import geo_assets
    from tests.bench.naive_app import naive_views

    geojson = geo_assets.load_geojson("province")
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        ms, sizes = [], []
        for i in range(-warm, reps):
            t0 = time.perf_counter()
            v = naive_views(frame, geojson, parse_query(interaction_queries(kind, i)))
            body = _json_bytes(v)
            dt = (time.perf_counter() - t0) * 1000
            if i >= 0:
                ms.append(dt)
                sizes.append(body)
        out[kind] = {**_stats(ms), "bytes": int(statistics.median(sizes))}
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_direct(data: str | None, reps: int, naive_reps: int) -> dict[str, Any]:
    """Run in a fresh process: load, index, time both versions' callback bodies."""
    import pandas as pd

    from callbacks.service.context import serve
    from data.dataset import DatasetStore
    from data.loaders import load_dataset

    base = _rss_mb()
    t0 = time.perf_counter()
    ds = load_dataset(data)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds.index  # noqa: B018  (built on first use)
    index_s = time.perf_counter() - t0
    serve(DatasetStore(ds))
    res: dict[str, Any] = {
        "rows": ds.rows,
        "load_s": round(load_s, 2),
        "index_s": round(index_s, 2),
        "rss_before_mb": round(base),
        "peak_rss_mb": round(_rss_mb()),
    }
    res["ours"] = server_times(reps)
    if data is None:  # bytes per interaction, followed as the browser (tests/bench/bytes.py)
        from tests.bench import bytes as per_click

        res["bytes"] = per_click.measure()
    # The grid's own request after each change: the first block of 25 rows (infinite row model).
    res["ours_block"] = table_block_times(max(5, reps // 2))
    if naive_reps:
        frame = ds.frame.copy()
        frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
        frame["incentives"] = frame["incentives"].map(lambda v: v if isinstance(v, tuple) else ())
        res["naive"] = naive_server_times(frame, naive_reps)
    res["peak_rss_after_mb"] = round(_rss_mb())
    return res


def run_child(data: str | None, reps: int, naive_reps: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "tests.bench.run", "--child", data or "", "--reps", str(reps),
           "--naive-reps", str(naive_reps)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------ HTTP
def render_payload(base: str, query: str, rendered: dict | None) -> dict:
    """The body the browser POSTs when the URL changes (the one interaction callback: every
    input and state it declares, from ``/_dash-dependencies``; all empty but the URL)."""
    import requests

    deps = requests.get(base + "/_dash-dependencies", timeout=10).json()
    dep = next(d for d in deps if "rendered-search.children" in d["output"])
    outputs = [
        {"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
        for o in dep["output"].strip(".").split("...")
    ]

    def item(spec: dict) -> Any:
        if spec["id"].startswith("{"):  # a pattern-matching input: the list of its matches
            return []
        return {"id": spec["id"], "property": spec["property"], "value": None}

    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [item(i) for i in dep["inputs"]],
        "changedPropIds": ["url.search"],
        "state": [item(i) for i in dep.get("state", [])],
    }
    return with_view(body, query, rendered)


def with_view(body: dict, query: str, rendered: dict | None) -> dict:
    """A copy of ``body`` asking for the view ``query`` with the browser's ``rendered`` store."""
    body = json.loads(json.dumps(body))
    for group, (cid, prop, value) in (("inputs", ("url", "search", query)),
                                      ("state", ("rendered", "data", rendered))):  # fmt: skip
        for spec in body.get(group, []):
            if isinstance(spec, dict) and (spec["id"], spec["property"]) == (cid, prop):
                spec["value"] = value
    return body


def http_times(base: str, reps: int, view_key: Callable[[str], dict | None]) -> dict[str, Any]:
    """POST the views callback as the browser does; time it and count raw and gzip bytes."""
    import requests

    s = requests.Session()
    template = render_payload(base, "", None)
    out: dict[str, Any] = {}
    for kind in KINDS:
        ms, raw, wire = [], [], []
        for i in range(-1, reps):
            query = interaction_queries(kind, i)
            body = with_view(template, query, view_key(query))
            t0 = time.perf_counter()
            r = s.post(base + "/_dash-update-component", json=body, timeout=120)
            dt = (time.perf_counter() - t0) * 1000
            r.raise_for_status()
            if i >= 0:
                ms.append(dt)
                raw.append(len(r.content))
                wire.append(int(r.headers.get("Content-Length") or len(r.content)))
        out[kind] = {**_stats(ms), "bytes": int(statistics.median(raw)),
                     "gzip_bytes": int(statistics.median(wire))}  # fmt: skip
    return out


def _ours_key(query: str, data: str | None = None) -> dict:
    """The ``rendered`` store's view of ``query`` as the app answers it: the state resolved
    against the table it serves (a date range picks its own step: the key says quarter where
    the URL says nothing)."""
    from data.state import parse_query
    from layouts import viewmodel

    state = _served(data).restrict(parse_query(query))
    return {"key": viewmodel.view_key(state), "lang": state.lang}


@functools.cache
def _served(data: str | None) -> Any:
    from data.loaders import load_dataset

    return load_dataset(data) if data else load_dataset()


# ------------------------------------------------------------------------ apps
def start_naive(data: str | None, timeout: float = 300, charts: str = "six"):
    """Start ``naive_app`` (``charts``: "six" or "full") in a subprocess; returns (process,
    base URL)."""
    import urllib.request

    from tests.browser.harness import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "tests.bench.naive_app", "--port", str(port), "--charts", charts]
    if data:
        cmd += ["--data", data]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("naive app exited")
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("naive app did not start")


def app_figures(
    data: str | None, reps: int, rounds: int, loads: int, extras: dict[str, int] | None = None
) -> dict[str, Any]:
    """HTTP figures for both versions on one table, then both in one headless Chromium session
    (``tests/bench/browser.py``: clicks against their floor and each other, first loads; with
    ``extras``: compare-mode clicks, the click trace, Play)."""
    from tests.bench import browser
    from tests.browser.harness import running_app

    out: dict[str, Any] = {}
    args = ("--data", data) if data else ()
    t0 = time.perf_counter()
    with running_app(*args, timeout=600) as base:
        out["ours_start_s"] = round(time.perf_counter() - t0, 2)
        out["ours_http"] = http_times(base, reps, _ours_key)
        proc, naive_base = start_naive(data)
        full, full_base = start_naive(data, charts="full")
        try:
            out["naive_http"] = http_times(naive_base, max(5, reps // 3), lambda q: None)
            if rounds or loads:
                bases = {"ours": base, "naive_full": full_base, "naive": naive_base}
                out["browser"] = browser.measure(
                    bases, rounds=rounds, loads=loads, kinds={"naive": browser.SIX},
                    compare_rounds=(extras or {}).get("compare_rounds", 0),
                    trace=bool((extras or {}).get("trace")),
                )  # fmt: skip
            if (extras or {}).get("play"):
                out["play"] = play_figures(base)
        finally:
            for p in (proc, full):
                p.terminate()
                p.wait(timeout=10)
    return out


def play_figures(base: str) -> dict[str, Any]:
    """``tests.bench.animation.play_figures(base)`` (Play's frames a second in the browser) when
    that function exists; otherwise why not."""
    from tests.bench import animation

    if not hasattr(animation, "play_figures"):
        return {"not_measured": "tests/bench/animation.py has no play_figures yet"}
    try:
        return dict(animation.play_figures(base))
    except Exception as exc:  # report what was measured, say what failed
        return {"error": repr(exc)[:300]}


def parse_figures() -> dict[str, Any]:
    """``tests.bench.parse.measure()`` (CSV parse against pandas' C reader, the 1 M-row first
    parse) when that module exists; otherwise why not."""
    try:
        from tests.bench import parse  # type: ignore[attr-defined, unused-ignore]
    except ImportError as exc:
        return {"not_measured": f"no tests/bench/parse.py ({exc})"[:200]}
    try:
        return dict(parse.measure())
    except Exception as exc:  # report what was measured, say what failed
        return {"error": repr(exc)[:300]}


def import_times(n: int = 3) -> dict[str, Any]:
    """``python -c "import app"`` in ``n`` fresh processes (a fresh ``POLICY_ATLAS_HOME`` each):
    median wall and CPU (user + system of the child) seconds."""
    import shutil
    import tempfile

    wall, cpu = [], []
    for _ in range(n):
        home = tempfile.mkdtemp(prefix="policy-atlas-import-")
        try:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import app"], cwd=REPO, check=True,
                           env={**os.environ, "POLICY_ATLAS_HOME": home},
                           capture_output=True, timeout=300)  # fmt: skip
            wall.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return {"wall_s": round(statistics.median(wall), 2), "cpu_s": round(statistics.median(cpu), 2),
            "wall_all_s": [round(w, 2) for w in wall], "n": n}  # fmt: skip


def scale_figures(sizes: list[int]) -> dict[str, Any] | None:
    """``tests/bench/scale.measure(sizes)`` (load times, peak RSS, server time per filter change
    against the bundled table's) when that module is there; None when it is not."""
    try:
        from tests.bench import scale
    except ImportError:
        return None
    return scale.measure(sizes)


# ------------------------------------------------------------------------ report
def machine() -> dict[str, Any]:
    import pandas as pd

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    import dash
    import plotly

    return {
        "cores": os.cpu_count(),
        "ram_gb": round(mem_gb, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "dash": dash.__version__,
        "plotly": plotly.__version__,
    }


def _ratio(naive: float, ours: float) -> str:
    return f"{naive / ours:,.0f}×" if ours > 0 else "–"


def _kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def _header(res: dict[str, Any]) -> list[str]:
    m = res["machine"]
    return [
        "# Benchmarks — Policy Atlas vs the straightforward way",
        "",
        f"Measured {res['date']} by `{res['command']}` in {res['runtime_s']:.0f} s on: "
        f"{m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']}; {m['os']}; Python {m['python']}, "
        f"pandas {m['pandas']}, numpy {m['numpy']}, dash {m['dash']}, plotly {m['plotly']}"
        + (f"; load average at the start {res['loadavg']}" if res.get("loadavg") else "")
        + ".",
        "",
        "Tables other than `bundled` are SYNTHETIC (`tests/bench/synth.py`, seed "
        f"{res['seed']}), never shipped. *Ours* = Policy Atlas as committed; *naive* = "
        "`tests/bench/naive_app.py` (every figure rebuilt, GeoJSON inline, full pandas frame "
        "filtered per interaction). The machine is shared and noisy: compare figures of the same "
        "run (ratios), medians and p95.",
        "",
    ] + (
        ["Time per part of the run: "
         + ", ".join(f"{k} {v} s" for k, v in res["phase_s"].items()) + ".", ""]
        if res.get("phase_s") else []
    )  # fmt: skip


def _direct_rows(res: dict[str, Any]) -> list[str]:
    lines = [
        "## Load and server time per interaction",
        "",
        "Server time = the URL→views callback body plus JSON serialisation, called directly (no "
        "HTTP), median / p95 over the repetitions; bytes = uncompressed JSON of that response.",
        "",
        "| rows | load s | peak RSS MB | interaction | ours median / p95 ms "
        "| naive median / p95 ms | ratio (median) | ours bytes (of which table rows) "
        "| naive bytes | ours, the grid's 25-row block request: median ms / bytes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, d in res["direct"].items():
        for j, kind in enumerate(KINDS):
            o = d["ours"][kind]
            n = d.get("naive", {}).get(kind)
            b = d.get("ours_block", {}).get(kind)
            first = (f"{label}", f"{d['load_s']} (+{d['index_s']} index)",
                     str(d["peak_rss_after_mb"])) if j == 0 else ("", "", "")  # fmt: skip
            cells = [
                *first,
                kind,
                f"{o['median_ms']:.1f} / {o['p95_ms']:.1f}",
                f"{n['median_ms']:.0f} / {n['p95_ms']:.0f} (n={n['n']})" if n else "–",
                _ratio(n["median_ms"], o["median_ms"]) if n else "–",
                f"{_kb(o['bytes'])} ({_kb(o['rowdata_bytes'])})",
                _kb(n["bytes"]) if n else "–",
                f"{b['median_ms']:.1f} / {_kb(b['bytes'])}" if b else "–",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _http_rows(res: dict[str, Any]) -> list[str]:
    lines = [
        "## Over HTTP",
        "",
        "POST /_dash-update-component with the body the browser sends for the URL→views "
        "callback (compressed as served), the map click.",
        "",
        "| rows | version | start s | HTTP median / p95 ms (map click) "
        "| response bytes raw / compressed (map click) |",
        "|---|---|---|---|---|",
    ]
    for label, a in res["apps"].items():
        for who in ("ours", "naive"):
            h = a[f"{who}_http"]["map click"]
            lines.append(
                f"| {label} | {who} | {a.get(f'{who}_start_s', '–')} | "
                f"{h['median_ms']:.0f} / {h['p95_ms']:.0f} | {_kb(h['bytes'])} / "
                f"{_kb(h['gzip_bytes'])} |"
            )
    return lines


def render_report(res: dict[str, Any]) -> str:
    from tests.bench import report15, report24

    lines = [*_header(res), *report24.render(res), *report15.render(res), *_direct_rows(res), "",
             *_http_rows(res)]  # fmt: skip
    if res.get("load"):
        ld = res["load"]
        lines += [
            "",
            "## Many users (gunicorn)",
            "",
            f"`{ld['command']}`; {ld['sessions']} concurrent sessions × {ld['steps']} requests "
            f"(page, then the views callback for initial view, map click, date range, incentive "
            f"click, clear): {ld['requests']} requests, **{ld['errors']} errors**, latency median "
            f"{ld['median_ms']:.0f} ms, p95 {ld['p95_ms']:.0f} ms, wall {ld['wall_s']:.1f} s.",
        ]
    for failure in res.get("failures", []):
        lines.append(f"\n**Not measured:** {failure}")
    lines += ["", "## Targets of issue #6", "", *res.get("target_lines", [])]
    return "\n".join(lines) + "\n"


def target_lines(res: dict[str, Any]) -> list[str]:
    t = TARGETS
    out = ["| target | measured | met? |", "|---|---|---|"]

    def row(name: str, measured: float | None, limit: float, fmt: Callable[[float], str]) -> None:
        if measured is None:
            out.append(f"| {name} | not measured | – |")
            return
        ok = measured <= limit
        miss = "" if ok else f" (missed by {measured / limit:,.1f}×)"
        out.append(f"| {name} ≤ {fmt(limit)} | {fmt(measured)} | {'yes' if ok else 'no'}{miss} |")

    direct = res["direct"]
    worst_bytes = max(max(v["bytes"] for v in d["ours"].values()) for d in direct.values())
    row("bytes per interaction (uncompressed, worst)", worst_bytes, t["bytes_per_interaction"], _kb)
    for label, key in (("100000", "server_ms_100k"), ("1000000", "server_ms_1m")):
        if label in direct:
            worst = max(v["median_ms"] for v in direct[label]["ours"].values())
            row(f"server time at {label} rows (worst median)", worst, t[key],
                lambda v: f"{v:.1f} ms")  # fmt: skip
    big = res.get("browser", {}).get("100000", {}).get("ours", {})
    p95 = big.get("kinds", {}).get("province click", {}).get("click", {}).get("p95")
    row("province click→views p95 at 100 k rows", p95, t["click_p95_ms_100k"],
        lambda v: f"{v:.0f} ms")  # fmt: skip
    first = res.get("browser", {}).get("bundled", {}).get("ours", {}).get("first_load", {})
    row("first page load transferred (median)", first.get("bytes_wire", {}).get("median"),
        t["first_load_bytes"], lambda v: f"{v / 1e6:.2f} MB")  # fmt: skip
    b = res["apps"].get("bundled")
    row("app start, bundled data", b["ours_start_s"] if b else None, t["start_s"],
        lambda v: f"{v:.1f} s")  # fmt: skip
    return out


def write_report(res: dict[str, Any], out: Path) -> None:
    """The tables, then any hand-written analysis already below the notes marker."""
    notes = ""
    if out.exists() and NOTES_MARKER in (old := out.read_text(encoding="utf-8")):
        notes = "\n" + old[old.index(NOTES_MARKER) :]
    out.write_text(render_report(res) + notes, encoding="utf-8")


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100000,1000000", help="SYNTHETIC sizes (and bundled)")
    p.add_argument("--app-sizes", default="bundled", help="tables for the HTTP/browser runs")
    p.add_argument("--rounds", type=int, default=4, help="browser rounds of the interactions")
    p.add_argument("--loads", type=int, default=3, help="first loads of each version")
    # 1 M rows' first parse, peak and restart are tests/bench/parse.py's (scale.py at 1 M rows took
    # ~320 s of a quiet run and pushed make bench past 15 minutes): add 1000000 here to have both
    p.add_argument("--scale-sizes", default="100000", help="for tests/bench/scale.py")
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--naive-reps", type=int, default=5)
    p.add_argument("--naive-1m", action="store_true", help="also the naive version at 1 M rows")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--compare-rounds", type=int, default=3, help="compare vs merged clicks")
    p.add_argument("--no-trace", action="store_true", help="no CPU profile of a click")
    p.add_argument("--no-play", action="store_true", help="no Play frames/s")
    lazy = "the straightforward apps defer off-screen charts too (as before issue #24's bench)"
    p.add_argument("--naive-lazy", action="store_true", help=lazy)
    p.add_argument("--import-runs", type=int, default=3, help="fresh `import app` processes")
    budget = "seconds: a later phase that would end past it is skipped (and named in the report)"
    p.add_argument("--budget", type=float, default=870, help=budget)
    p.add_argument("--quick", action="store_true", help="1k and 10k only, fewer repetitions")
    p.add_argument("--no-load-test", action="store_true")
    p.add_argument("--out", default=str(REPORT))
    p.add_argument("--reuse-direct", metavar="JSON", help="direct figures of an earlier run")
    p.add_argument("--render-only", action="store_true", help="rewrite the report from JSON")
    p.add_argument("--direct-only", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.scale_sizes = "1000,10000", ""
        args.reps, args.naive_reps = 10, 3
        args.rounds, args.loads = min(args.rounds, 3), min(args.loads, 2)
    return args


def _say(*parts: Any) -> None:
    print("[bench]", time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _phase(res: dict[str, Any], name: str) -> Iterator[None]:
    """Time one part of the run into ``res["phase_s"]`` (shown under the report's header)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        res.setdefault("phase_s", {})[name] = round(time.perf_counter() - t0)
        _say(f"{name}: {res['phase_s'][name]} s")


def _direct(res: dict[str, Any], tables: dict[str, str | None], args: argparse.Namespace) -> None:
    reuse = json.loads(Path(args.reuse_direct).read_text()) if args.reuse_direct else {}
    if reuse and "direct" in reuse:
        reuse = reuse["direct"]
    sizes = {s for s in args.sizes.split(",") if s} | {"bundled"}
    for label, path in tables.items():
        if label not in sizes:
            continue
        if label in reuse:
            res["direct"][label] = reuse[label]
            continue
        big = label == "1000000"
        _say("direct", label)
        with _phase(res, f"direct {label}"):
            # at 1 M rows the straightforward version takes seconds per change: left out by
            # default (--naive-1m to measure it), so the run stays within its 15 minutes
            naive = (3 if args.naive_1m else 0) if big else args.naive_reps
            res["direct"][label] = run_child(path, 6 if big else args.reps, naive)


def _apps(res: dict[str, Any], tables: dict[str, str | None], args: argparse.Namespace) -> None:
    if args.naive_lazy:
        from tests.bench import browser

        browser.EAGER.clear()
    res["naive_lazy"] = args.naive_lazy
    for label in args.app_sizes.split(","):
        _say("apps and browser", label)
        try:
            extras = {"compare_rounds": args.compare_rounds, "trace": not args.no_trace,
                      "play": not args.no_play} if label == "bundled" else {}  # fmt: skip
            with _phase(res, f"apps and browser {label}"):
                figures = app_figures(tables[label], args.reps, args.rounds, args.loads, extras)
        except Exception as exc:  # report what was measured, say what failed
            res.setdefault("failures", []).append(f"apps {label}: {exc!r}"[:500])
            continue
        if "browser" in figures:
            res["browser"][label] = figures.pop("browser")
        if "play" in figures:
            res.setdefault("issue24", {})["play"] = figures.pop("play")
        res["apps"][label] = figures


def _over_budget(
    res: dict[str, Any], phase: str, started: float, budget: float, expected: float
) -> bool:
    """Whether ``phase`` (taking about ``expected`` s) would end past the run's ``budget``; if so
    the report names it as skipped."""
    spent = time.perf_counter() - started
    if spent + expected <= budget:
        return False
    res.setdefault("failures", []).append(
        f"{phase}: skipped to keep the run within {budget:.0f} s ({spent:.0f} s spent, about "
        f"{expected:.0f} s more needed)"
    )
    _say(f"{phase}: skipped (time budget)")
    return True


def _server24(res: dict[str, Any], args: argparse.Namespace) -> None:
    """Issue #24's server figures: ``import app`` and the CSV parse (``tests/bench/parse.py``)."""
    extra = res.setdefault("issue24", {})
    if args.import_runs:
        _say("import app")
        try:
            with _phase(res, "import app"):
                extra["import_app"] = import_times(args.import_runs)
        except Exception as exc:  # report what was measured, say what failed
            extra["import_app"] = {"error": repr(exc)[:300]}
    _say("parse")
    with _phase(res, "parse"):
        extra["parse"] = parse_figures()


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    from tests.bench.synth import write_table

    if args.direct_only:  # re-measure the direct figures into an existing bench/results.json
        res = json.loads(RESULTS.read_text(encoding="utf-8"))
        for label in res["direct"]:
            path = None if label == "bundled" else str(write_table(int(label), args.seed))
            big = label == "1000000"
            _say("direct", label)
            res["direct"][label] = run_child(path, 10 if big else args.reps, 3 if big else 10)
        RESULTS.write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
        args.render_only = True
    if args.render_only:  # rewrite the report from bench/results.json
        res = json.loads(RESULTS.read_text(encoding="utf-8"))
        res["target_lines"] = target_lines(res)
        write_report(res, Path(args.out))
        return 0
    if args.child is not None:
        print(json.dumps(child_direct(args.child or None, args.reps, args.naive_reps)))
        return 0

    started = time.perf_counter()
    tables: dict[str, str | None] = {"bundled": None}
    for label in [*args.sizes.split(","), *args.app_sizes.split(",")]:
        if label and label not in tables:
            tables[label] = str(write_table(int(label), args.seed))
    res: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "seed": args.seed,
                           "machine": machine(), "loadavg": _loadavg(), "direct": {}, "apps": {},
                           "browser": {}}  # fmt: skip
    _direct(res, tables, args)
    _apps(res, tables, args)
    _server24(res, args)
    scale_sizes = [int(s) for s in args.scale_sizes.split(",") if s]
    expected = 30 + sum(40 if n <= 100_000 else 320 for n in scale_sizes)  # measured, quiet
    if scale_sizes and _over_budget(res, "scale", started, args.budget, expected):
        scale_sizes = []
    if scale_sizes:
        _say("scale", scale_sizes)
        try:
            with _phase(res, "scale"):
                scale = scale_figures(scale_sizes)
        except Exception as exc:  # report what was measured, say what failed
            res.setdefault("failures", []).append(f"scale: {exc!r}"[:500])
        else:
            if scale is not None:
                res["scale"] = scale
    if not args.no_load_test and not _over_budget(res, "load test", started, args.budget, 40):
        from tests.bench.load import run_load

        _say("load test")
        with _phase(res, "load test"):
            res["load"] = run_load(sessions=50)
    res["runtime_s"] = time.perf_counter() - started
    res["command"] = "python -m tests.bench.run " + " ".join(argv or sys.argv[1:])
    res["target_lines"] = target_lines(res)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    write_report(res, Path(args.out))
    print(render_report(res))
    _say(f"done in {res['runtime_s']:.0f} s ({res['runtime_s'] / 60:.1f} min)")
    return 0


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
