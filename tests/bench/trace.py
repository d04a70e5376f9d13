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


# plotly.js is minified, but the graphs hold its modules by name: each trace type's module
# (calc, plot, style, …: ``gd._fullData[i]._module``, ``gd._fullLayout._modules``) and each subplot
# type's (``_basePlotModules``: plot, drawFramework, …), besides the public API. Their functions'
# source positions (CDP ``[[FunctionLocation]]``) name the frames of the profile.
NAMED_JS = """() => {
  const seen = new Set(), out = [];
  const add = (name, f) => {
    if (typeof f === 'function' && !seen.has(f)) { seen.add(f); out.push([name, f]); }
  };
  const each = (mod, prefix) => {
    if (!mod) return;
    for (const k of Object.keys(mod)) add(prefix + '.' + k, mod[k]);
  };
  for (const k of Object.keys(window.Plotly || {})) add('Plotly.' + k, window.Plotly[k]);
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const L = gd._fullLayout;
    if (!L) continue;
    (L._modules || []).forEach(m => each(m, m.name));
    (L._basePlotModules || []).forEach(m => each(m, m.name));
    (gd._fullData || []).forEach(t => t._module && each(t._module, t._module.name));
  }
  window.__benchNamed = out;
  return out.map(x => x[0]);
}"""


def named_functions(cdp: Any, page: Any) -> dict[tuple[str, int, int], str]:
    """(scriptId, line, column) of each plotly.js function the page can name -> its name."""
    names = page.evaluate(NAMED_JS)
    listed = cdp.send("Runtime.evaluate", {"expression": "window.__benchNamed"})["result"]
    items = cdp.send("Runtime.getProperties", {"objectId": listed["objectId"],
                                               "ownProperties": True})["result"]  # fmt: skip
    out: dict[tuple[str, int, int], str] = {}
    for item in items:
        if not item["name"].isdigit() or "objectId" not in item.get("value", {}):
            continue
        fn = cdp.send("Runtime.evaluate", {"expression": f"window.__benchNamed[{item['name']}][1]"})
        props = cdp.send("Runtime.getProperties", {"objectId": fn["result"]["objectId"]})
        for prop in props.get("internalProperties", []):
            if prop["name"] == "[[FunctionLocation]]":
                loc = prop["value"]["value"]
                key = (loc["scriptId"], loc["lineNumber"], loc["columnNumber"])
                out.setdefault(key, names[int(item["name"])])
    return out


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


def breakdown(
    profile: dict[str, Any],
    origin_ms: float,
    window: tuple[float, float],
    named: dict[tuple[str, int, int], str] | None = None,
) -> dict:
    """Self time (ms) per group of the samples whose page time falls in ``window`` (page
    ``performance.now()`` ms), the sample at ``profile["startTime"]`` being at ``origin_ms``;
    plotly.js by its outermost function (inclusive) and its own functions (self)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    groups: Counter[str] = Counter()
    outer: Counter[str] = Counter()
    inner: Counter[str] = Counter()  # the innermost plotly function with a name, inclusive
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
        top, name, cur = None, None, node_id
        while cur is not None:  # the outermost plotly frame on the stack, the innermost named
            f = nodes[cur]["callFrame"]
            if group_of(f) == "plotly.js":
                top = cur
                key = (f.get("scriptId", ""), f.get("lineNumber", -1), f.get("columnNumber", -1))
                name = name or (named or {}).get(key)
            cur = parent.get(cur)
        if top is not None:
            outer[_outer_label(nodes, parent, top, named or {})] += step
            inner[name or "(no named plotly function on the stack)"] += step
    busy = sum(v for k, v in groups.items() if k != "idle")
    return {
        "window_ms": round(hi - lo, 1),
        "busy_ms": round(busy, 1),
        "groups": {k: round(v, 1) for k, v in groups.most_common()},
        "plotly_outer": {k: round(v, 1) for k, v in outer.most_common(6)},
        "plotly_self": {k: round(v, 1) for k, v in own.most_common(8)},
        "plotly_named": {k: round(v, 1) for k, v in inner.most_common(10)},
    }


def _outer_label(nodes: dict, parent: dict, top: int, named: dict) -> str:
    """The outermost plotly frame: its name if known, else its position and who called it."""
    f = nodes[top]["callFrame"]
    key = (f.get("scriptId", ""), f.get("lineNumber", -1), f.get("columnNumber", -1))
    if key in named:
        return named[key]
    up = parent.get(top)
    caller = group_of(nodes[up]["callFrame"]) if up is not None else "the event loop"
    if caller in ("idle", "native: (anonymous)") or up is None or parent.get(up) is None:
        caller = "a timer or promise"
    return f"{_label(f)} (called by {caller})"


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
        named = named_functions(cdp, page)
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
        "after_response": breakdown(profile, origin, (response, end + 1), named),
        "before_response": breakdown(profile, origin, (start, response), named),
        "named_functions": len(named),
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
        named = ", ".join(f"{f} {ms:,.1f} ms" for f, ms in a.get("plotly_named", {}).items())
        lines.append(f"- {k}: plotly.js by its outermost function (inclusive): {outer}; "
                     f"by the innermost named function on the stack (trace and subplot modules, "
                     f"API; inclusive): {named or '–'}; self time by function: {own}.")  # fmt: skip
    return lines
