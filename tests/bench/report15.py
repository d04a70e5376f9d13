"""The docs/BENCHMARKS.md tables of issue #15: clicks against their floor and the straightforward
version (``tests/bench/browser.py``), first load, server time at 1 M rows against the bundled
table's, and the memory engineer's ``tests/bench/scale.py`` figures when it ran — each target with a
*before* column (the figures the issue documented) and an *after* column (this run)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# What issue #15 documented before the work on it (headless Chromium, bundled table, one run).
BEFORE = {
    "province_click": {"median": 430.0, "p95": 748.0},
    "province_over_floor": 1.64,
    "naive_over_ours_province": 2.4,
    "province_bytes": 25.7 * 1024,
    "first_load_ours_ms": 3524.0,
    "first_load_naive_ms": 2585.0,
    "first_load_requests_ours": 29,
    "server_1m_over_bundled": "3–6×",
}
# Bytes per interaction before issue #24's work (commit 2e63c3b, `tests/bench/bytes.py --engine
# json`: the engine Dash used then, without orjson), bundled table.
BYTES_BEFORE = {
    "first view": {"bytes": 186077},
    "province click": {"bytes": 29612},
    "drill-down": {"bytes": 151348},
    "back": {"bytes": 164133},
    "date range": {"bytes": 162321},
    "incentive click": {"bytes": 28993},
    "clear": {"bytes": 167018},
    "city level": {"bytes": 323091},
    "province level": {"bytes": 166956},
}
TARGETS = {
    "province_over_floor": 1.2,  # at most
    "naive_over_ours_province": 4.0,  # at least
    "province_bytes": 16 * 1024,  # at most, uncompressed
    "server_1m_over_bundled": 3.0,  # at most
}


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def mp(s: dict[str, float] | None, fmt: Callable[[float], str] = lambda v: f"{v:,.0f}") -> str:
    """Median and p95 of a summary as "m / p", or a dash when there is none."""
    if not s or not s.get("n"):
        return "–"
    return f"{fmt(s['median'])} / {fmt(s['p95'])}"


def times(v: float | None) -> str:
    return "–" if v is None else f"{v:,.2f}×"


def verdict(value: float | None, limit: float, at_most: bool = True) -> str:
    """'yes' or 'no (missed by N×)'; 'not measured' without a value."""
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    if ok:
        return "yes"
    miss = value / limit if at_most else limit / value if value else float("inf")
    return f"no (missed by {miss:,.2f}×)"


def server_ratio(direct: dict[str, Any]) -> dict[str, float] | None:
    """Server time per filter change at 1 M rows over the bundled table's, per interaction kind
    (medians of the same run)."""
    big, small = direct.get("1000000"), direct.get("bundled")
    if not big or not small:
        return None
    return {
        k: round(big["ours"][k]["median_ms"] / small["ours"][k]["median_ms"], 2)
        for k in big["ours"]
        if small["ours"].get(k, {}).get("median_ms")
    }


def target_rows(res: dict[str, Any]) -> list[str]:
    """Issue #15's targets: before, after, met."""
    b = res.get("browser", {}).get("bundled", {})
    ours = b.get("ours", {})
    prov = ours.get("kinds", {}).get("province click", {})
    vs = b.get("naive_over_ours", {})
    srv = server_ratio(res.get("direct", {}))
    worst = max(srv.values()) if srv else None
    fl_o = ours.get("first_load", {})
    fl_n = b.get("naive", {}).get("first_load", {})
    fo, fn = fl_o.get("ms", {}).get("median"), fl_n.get("ms", {}).get("median")
    pb = prov.get("bytes_uncompressed", {}).get("median")
    ratio = prov.get("click_over_floor", {})
    lines = [
        "| figure | target | before (issue #15) | after (this run) | met? |",
        "|---|---|---|---|---|",
        f"| province click → every view updated, median / p95 ms | – | 430 / 748 | "
        f"{mp(prov.get('click'))} | – |",
        f"| province click ÷ its floor (bare redraw of the changed charts), median (p95) | ≤ 1.2× "
        f"| 1.64× | {times(ratio.get('median'))} ({times(ratio.get('p95'))}) | "
        f"{verdict(ratio.get('median'), TARGETS['province_over_floor'])} |",
        f"| naive ÷ ours, province click, medians (p95s) | ≥ 4× | 2.4× | "
        f"{times(vs.get('province click', {}).get('median'))} "
        f"({times(vs.get('province click', {}).get('p95'))}) | "
        f"{verdict(vs.get('province click', {}).get('median'), 4.0, at_most=False)} |",
        f"| bytes per province click, uncompressed (median) | ≤ 16 KB | 25.7 KB | "
        f"{kb(pb) if pb else '–'} | {verdict(pb, TARGETS['province_bytes'])} |",
        f"| first load → all charts drawn, ours / naive, median ms | ours ≤ naive | 3,524 / 2,585 "
        f"| {f'{fo:,.0f} / {fn:,.0f}' if fo and fn else '–'} | "
        f"{verdict(fo / fn if fo and fn else None, 1.0)} |",
        f"| first load requests, ours / naive (median) | fewer | 29 / – | "
        f"{mp_pair(fl_o.get('requests'), fl_n.get('requests'), lambda v: f'{v:,.0f}')} | – |",
        f"| first load transferred, ours / naive (median) | – | – | "
        f"{mp_pair(fl_o.get('bytes_wire'), fl_n.get('bytes_wire'), kb)} | – |",
        f"| server time per filter change, 1 M rows ÷ bundled (medians, worst kind) | ≤ 3× | 3–6× "
        f"| {times(worst)} | {verdict(worst, TARGETS['server_1m_over_bundled'])} |",
    ]
    return lines


def mp_pair(a: dict | None, b: dict | None, fmt: Callable[[float], str] = str) -> str:
    if not a or not b or not a.get("n") or not b.get("n"):
        return "–"
    return f"{fmt(a['median'])} / {fmt(b['median'])}"


VERSIONS = {"ours": "ours", "naive_full": "naive, same charts", "naive": "naive, six charts"}


def click_rows(label: str, b: dict[str, Any]) -> list[str]:
    """Per interaction kind and version: click, floor, ratios (all charts and the charts in the
    window), network, bytes, graphs."""
    lines = [
        f"### {label}",
        "",
        "| interaction | version | click → visible views drawn median / p95 ms | visible floor "
        "median / p95 ms | visible ÷ floor median / p95 | click → every view median / p95 ms "
        "| floor (all changed) median / p95 ms | naive ÷ ours (visible) median / p95 "
        "| last response median / p95 ms | requests | bytes uncompressed / on the wire (median) "
        "| charts changed / redrawn / in the window |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in b.get("ours", {}).get("kinds", {}):
        for who, name in VERSIONS.items():
            k = b.get(who, {}).get("kinds", {}).get(kind)
            if not k:
                continue
            vis = k.get("visible", k["click"])
            ratio = ""
            if who != "ours":
                o = b["ours"]["kinds"][kind].get("visible", b["ours"]["kinds"][kind]["click"])
                ratio = f"{times(ratio_of(vis, o, 'median'))} / {times(ratio_of(vis, o, 'p95'))}"
            miss = f" ({k['missed']} changed nothing)" if k.get("missed") else ""
            lines.append(
                f"| {kind if who == 'ours' else ''} | {name} | {mp(vis)}{miss} | "
                f"{mp(k.get('floor_visible', k['floor']))} | "
                f"{mp(k.get('visible_over_floor', k['click_over_floor']), lambda x: f'{x:.2f}×')} "
                f"| {mp(k['click'])} | {mp(k['floor'])} | {ratio} | {mp(k['last_response'])} | "
                f"{mp(k['requests'])} | {kb(k['bytes_uncompressed'].get('median', 0))} / "
                f"{kb(k['bytes_wire'].get('median', 0))} | {len(k['graphs_changed'])} / "
                f"{len(k['graphs_drawn'])} / {len(k.get('visible_graphs', []))} |"
            )
    return lines


def ratio_of(a: dict, b: dict, key: str) -> float | None:
    if not a.get(key) or not b.get(key):
        return None
    return round(a[key] / b[key], 2)


def load_rows(b: dict[str, Any]) -> list[str]:
    lines = [
        "| version | navigation → all charts drawn, median / p95 ms | requests | transferred "
        "| uncompressed | charts drawn / on the page |",
        "|---|---|---|---|---|---|",
    ]
    for who, name in VERSIONS.items():
        f = b.get(who, {}).get("first_load")
        if not f or not f["ms"].get("n"):
            continue
        lines.append(
            f"| {name} | {mp(f['ms'])} (n={f['ms']['n']}) | {mp(f['requests'])} | "
            f"{mp(f['bytes_wire'], kb)} | {mp(f['bytes_uncompressed'], kb)} | "
            f"{f['graphs_drawn']} / {f['graphs']} |"
        )
    return lines


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_cell(x)}" for k, x in v.items())
    return str(v)


def scale_rows(scale: dict[str, Any]) -> list[str]:
    """``tests/bench/scale.measure`` figures, whatever their keys: one row per entry."""
    rows = {k: v for k, v in scale.items() if isinstance(v, dict)}
    plain = {k: v for k, v in scale.items() if not isinstance(v, dict)}
    lines: list[str] = []
    if rows:
        cols = list(dict.fromkeys(str(c) for v in rows.values() for c in v))
        lines += ["| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
        for name, v in rows.items():
            cells = {str(c): x for c, x in v.items()}
            lines.append(f"| {name} | " + " | ".join(_cell(cells.get(c, "–")) for c in cols) + " |")
    lines += [f"- {k}: {_cell(v)}" for k, v in plain.items()]
    return lines


def why_lines(b: dict[str, Any]) -> list[str]:
    """Where the click's time goes, measured: until the last response, after it, and the charts
    redrawn although their figure did not change."""
    out = []
    for kind, k in b.get("ours", {}).get("kinds", {}).items():
        c, lr, fl = k["click"], k["last_response"], k["floor"]
        if not c.get("n"):
            continue
        wasted = sorted(set(k["graphs_drawn"]) - set(k["graphs_changed"]))
        out.append(
            f"- {kind}: median {c['median']:,.0f} ms = {lr['median']:,.0f} ms until the last "
            f"response + {c['median'] - lr['median']:,.0f} ms in the browser after it, of which "
            f"the bare redraw of the {len(k['graphs_changed'])} changed charts is "
            f"{fl['median']:,.0f} ms"
            + (f"; redrawn with nothing changed: {', '.join(wasted)}" if wasted else "")
            + "."
        )
    return out


def render(res: dict[str, Any]) -> list[str]:
    """The issue #15 part of docs/BENCHMARKS.md."""
    lines = ["## Issue #15: before and after", "", *target_rows(res), ""]
    srv = server_ratio(res.get("direct", {}))
    if srv:
        lines += [
            "Server time per filter change, 1 M rows ÷ bundled table (medians, same run): "
            + ", ".join(f"{k} {v:.2f}×" for k, v in srv.items())
            + ".",
            "",
        ]
    per_click = res.get("direct", {}).get("bundled", {}).get("bytes")
    if per_click:
        from tests.bench import bytes as bytes_bench

        lines += [
            "## Bytes per interaction (issue #24, bundled table, `tests/bench/bytes.py`)",
            "",
            "The interaction callback called as the page calls it, each response's stores "
            "carried into the next request; uncompressed JSON as Dash sends it. *Before*: the "
            "figures of the commit this work started from (hand-copied below).",
            "",
            *bytes_bench.rows(per_click, BYTES_BEFORE),
            "",
        ]
    for label, b in res.get("browser", {}).items():
        lines += [
            f"## Clicks against their floor, headless Chromium ({label} table)",
            "",
            "One Chromium session (software rendering), both versions side by side, rounds "
            "alternating between them. *Click → views*: from the mouse release until no request "
            "is in flight and every plotly graph's last draw has happened (network and plotly "
            "events only). *Floor*: in the same page, right after the click, the charts whose "
            "figure changed are set back to their previous figure and `Plotly.react` to the new "
            "one is timed (no network, no Dash). Ratios: click ÷ floor per click; naive ÷ ours of "
            "medians and of p95s (> 1: ours faster). Bytes: response bodies as decoded, and "
            "as transferred (headers included).",
            "",
            *click_rows("Per interaction", b),
            "",
            "Where the time goes (ours):",
            "",
            *why_lines(b),
            "",
            "### First load (fresh browser context each, nothing cached)",
            "",
            *load_rows(b),
            "",
        ]
    if res.get("scale"):
        lines += ["## Scale (`tests/bench/scale.py`)", "", *scale_rows(res["scale"]), ""]
    return lines
