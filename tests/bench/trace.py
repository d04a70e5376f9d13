"""Where the browser's time goes after a click's response, measured (issue #24: "a trace, not a
guess").

Chromium's sampling CPU profiler (CDP ``Profiler``, one sample every ``INTERVAL_US``) runs from just
before the click until the page has settled (``tests/bench/browser.settle``). Each sample is placed
on the page's clock (``performance.now()`` read right after ``Profiler.start``: a few ms of slack)
and the samples between the end of the interaction callback's response and the last draw are
counted: self time grouped by script (plotly.js, Dash's renderer, React, dcc, dash-ag-grid, the
page's own ``assets/*.js``, native functions such as ``JSON.parse``, garbage collection, and
``(program)``: the browser's own work outside JavaScript — style, layout, paint), and plotly.js's
time by the outermost plotly function on the stack (inclusive) and by its own functions (self).
Reports figures; asserts none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

INTERVAL_US = 200
GROUPS = (  # (group, what its script URL contains), first match wins
    ("plotly.js", ("plotly",)),
    ("dash-ag-grid", ("dash_ag_grid", "ag-grid", "ag_grid")),
    ("Dash renderer", ("dash_renderer", "dash-renderer")),
    ("React", ("react",)),
    ("dcc (dash core components)", ("dash_core_components", "/dcc/", "dcc/async", "dcc.")),
)
SPECIAL = {
    "(garbage collector)": "garbage collection",
    "(program)": "browser outside JS (style, layout, paint: '(program)')",
    "(idle)": "idle",
    "(root)": "idle",
}


def group_of(frame: dict[str, Any]) -> str:
    """The group a profile node's self time counts in, from its call frame."""
    url, name = frame.get("url") or "", frame.get("functionName") or ""
    if not url:
        if name in SPECIAL:
            return SPECIAL[name]
        return "JSON.parse" if name == "parse" else f"native: {name or '(anonymous)'}"
    for group, needles in GROUPS:
        if any(n in url for n in needles):
            return group
    path = url.split("?", 1)[0]
    if "/assets/" in path:
        return "assets/" + path.rsplit("/", 1)[-1]
    return "other script: " + (path.rsplit("/", 1)[-1] or path)


def _label(frame: dict[str, Any]) -> str:
    name = frame.get("functionName") or "(anonymous)"
    if not frame.get("url"):
        return f"{name} (browser API)"
    return f"{name} @{frame.get('lineNumber', 0) + 1}:{frame.get('columnNumber', 0) + 1}"


# Run right after Profiler.start: a function the profiler can see (a named busy loop of MARK_MS)
# and the page time it started at, so samples can be placed on the page's clock.
MARK_MS = 4
MARK_JS = f"""() => {{
  const __benchProfilerMark = () => {{
    const t = performance.now();
    while (performance.now() - t < {MARK_MS}) {{ /* visible to the sampling profiler */ }}
    return t;
  }};
  return __benchProfilerMark();
}}"""


def origin_of(profile: dict[str, Any], stamp: float) -> float | None:
    """The page time of ``profile["startTime"]``: the first sample inside the mark's busy loop
    was taken at ``stamp`` (to one sampling interval); None if no sample fell in it."""
    marks = {n["id"] for n in profile["nodes"]
             if n["callFrame"].get("functionName") == "__benchProfilerMark"}  # fmt: skip
    t = float(profile["startTime"])
    for node_id, delta in zip(profile.get("samples", []), profile.get("timeDeltas", []),
                              strict=False):  # fmt: skip
        t += delta
        if node_id in marks:
            return stamp - (t - profile["startTime"]) / 1000
    return None


def breakdown(profile: dict[str, Any], origin_ms: float, window: tuple[float, float]) -> dict:
    """Self time (ms) per group of the samples whose page time falls in ``window`` (page
    ``performance.now()`` ms), the sample at ``profile["startTime"]`` being at ``origin_ms``;
    plotly.js by its outermost function (inclusive) and its own functions (self)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    groups: Counter[str] = Counter()
    outer: Counter[str] = Counter()
    own: Counter[str] = Counter()
    t = float(profile["startTime"])
    lo, hi = window
    samples = profile.get("samples", [])
    deltas = profile.get("timeDeltas", [0] * len(samples))
    for i, (node_id, delta) in enumerate(zip(samples, deltas, strict=False)):
        t += delta
        at = origin_ms + (t - profile["startTime"]) / 1000
        if not lo <= at < hi:
            continue
        step = (deltas[i + 1] if i + 1 < len(deltas) else delta) / 1000  # this sample's span
        frame = nodes[node_id]["callFrame"]
        group = group_of(frame)
        cur = node_id  # a DOM or browser API call counts for the script that made it
        while group.startswith("native: ") and cur in parent:
            cur = parent[cur]
            if nodes[cur]["callFrame"].get("url"):
                group = group_of(nodes[cur]["callFrame"])
        groups[group] += step
        if group == "plotly.js":
            own[_label(frame)] += step
        top, cur = None, node_id
        while cur is not None:  # the outermost plotly frame on the stack
            if group_of(nodes[cur]["callFrame"]) == "plotly.js":
                top = cur
            cur = parent.get(cur)
        if top is not None:
            outer[_label(nodes[top]["callFrame"])] += step
    busy = sum(v for k, v in groups.items() if k != "idle")
    return {
        "window_ms": round(hi - lo, 1),
        "busy_ms": round(busy, 1),
        "groups": {k: round(v, 1) for k, v in groups.most_common()},
        "plotly_outer": {k: round(v, 1) for k, v in outer.most_common(6)},
        "plotly_self": {k: round(v, 1) for k, v in own.most_common(8)},
    }


def profile_click(page: Any, kind: str, r: int = 1) -> dict[str, Any]:
    """One interaction of ``kind`` with the CPU profiler running; its breakdown after the
    response (and, for scale, before it)."""
    from tests.bench.browser import COLLECT_JS, _action, settle

    act = _action(page, kind, r)
    settle(page, page.evaluate("performance.now()"), idle_ms=200)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": INTERVAL_US})
        mark = page.evaluate("performance.now()")
        cdp.send("Profiler.start")
        stamp = page.evaluate(MARK_JS)
        act()
        settle(page, mark)
        profile = cdp.send("Profiler.stop")["profile"]
    finally:
        cdp.detach()
    origin = origin_of(profile, stamp)
    if origin is None:  # the mark was not sampled: the page clock cannot be placed
        origin = stamp
    got = page.evaluate(COLLECT_JS, mark)
    start = got["released"] if got["released"] >= mark else mark
    updates = [e for e in got["list"] if "_dash-update-component" in e[0]]
    response = mark + (updates[0][2] if updates else 0)
    end = max(got["last_response"], got["last_draw"])
    return {
        "click_ms": round(end - start, 1),
        "response_ms": round(response - start, 1),
        "requests": [e[0] for e in got["list"]],
        "after_response": breakdown(profile, origin, (response, end + 1)),
        "before_response": breakdown(profile, origin, (start, response)),
        "aligned": origin is not None,
    }


def rows(traces: dict[str, Any]) -> list[str]:
    """Markdown: per traced interaction, the groups' self time after the response, then
    plotly.js's outermost functions."""
    if not traces or "error" in traces:
        return [f"Not measured: {traces.get('error') if traces else 'no trace taken'}."]
    kinds = [k for k, v in traces.items() if isinstance(v, dict) and "after_response" in v]
    groups: defaultdict[str, dict[str, float]] = defaultdict(dict)
    for k in kinds:
        for g, ms in traces[k]["after_response"]["groups"].items():
            groups[g][k] = ms
    head = " | ".join(
        f"{k}: ms (% of {traces[k]['after_response']['busy_ms']:,.0f} ms busy)" for k in kinds
    )
    lines = [f"| after the response, self time by script | {head} |",
             "|---" * (len(kinds) + 1) + "|"]  # fmt: skip
    busy = {k: traces[k]["after_response"]["busy_ms"] or 1 for k in kinds}
    shown = [g for g in groups if g != "idle"
             and any(ms >= 0.01 * busy[k] for k, ms in groups[g].items())]  # fmt: skip
    rest = {k: sum(groups[g].get(k, 0) for g in groups if g not in shown and g != "idle")
            for k in kinds}  # fmt: skip
    table = [(g, groups[g]) for g in sorted(shown, key=lambda g: -sum(groups[g].values()))]
    table += [("other (each < 1 %)", rest), ("idle (not counted as busy)", groups.get("idle", {}))]
    for g, per in table:
        cells = []
        for k in kinds:
            ms = per.get(k)
            share = "" if g.startswith("idle") or ms is None else f" ({100 * ms / busy[k]:.0f} %)"
            cells.append("–" if ms is None else f"{ms:,.1f}{share}")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines.append(
        "| *click → last draw / response at* | "
        + " | ".join(
            f"{traces[k]['click_ms']:,.0f} / {traces[k]['response_ms']:,.0f} ms" for k in kinds
        )  # fmt: skip
        + " |"
    )
    lines.append("")
    for k in kinds:
        a = traces[k]["after_response"]
        outer = ", ".join(f"{f} {ms:,.1f} ms" for f, ms in a["plotly_outer"].items()) or "–"
        own = ", ".join(f"{f} {ms:,.1f} ms" for f, ms in a["plotly_self"].items()) or "–"
        lines.append(f"- {k}: plotly.js by its outermost function (inclusive): {outer}; "
                     f"its own functions (self): {own}.")  # fmt: skip
    return lines
