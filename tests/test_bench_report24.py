"""The issue #24 bench's arithmetic: the CPU profile's breakdown (``tests/bench/trace.py``) and the
"Issue #24: targets" table (``tests/bench/report24.py``). Pure functions on made-up figures; no
timing, no browser."""

from __future__ import annotations

from tests.bench import report24, trace

PLOTLY = "http://127.0.0.1:1/_dash-component-suites/plotly/package_data/plotly.min.js"
LAZY = "http://127.0.0.1:1/assets/lazy_charts.js?m=1"


def _node(i: int, name: str, url: str, children: list[int], line: int = 0) -> dict:
    frame = {"functionName": name, "url": url, "scriptId": "7" if url else "0",
             "lineNumber": line, "columnNumber": 0}  # fmt: skip
    return {"id": i, "callFrame": frame, "children": children}


def _profile() -> dict:
    """root → lazy wrapper → plotly react → bar.plot → getBBox; GC and idle beside; a mark."""
    nodes = [
        _node(1, "(root)", "", [2, 6, 7, 8]),
        _node(2, "wrapper", LAZY, [3]),
        _node(3, "jkt", PLOTLY, [4], line=24),
        _node(4, "xq", PLOTLY, [5], line=30),
        _node(5, "getBBox", "", []),
        _node(6, "(garbage collector)", "", []),
        _node(7, "(idle)", "", []),
        _node(8, "__benchProfilerMark", "", []),
    ]
    # one sample a millisecond from 1,000,000 µs: the mark, then 2 idle, 3 in getBBox, 1 in the
    # plotly function itself, 1 GC, 1 in the wrapper
    samples = [8, 7, 7, 5, 5, 5, 4, 6, 2]
    return {"nodes": nodes, "startTime": 1_000_000, "samples": samples,
            "timeDeltas": [1000] * len(samples)}  # fmt: skip


def test_the_profile_is_placed_on_the_page_clock_by_its_mark():
    # the mark's sample is 1 ms after the start; the page read 501 ms when the mark ran
    assert trace.origin_of(_profile(), 501.0) == 500.0
    unmarked = {**_profile(), "samples": [7, 7]}
    assert trace.origin_of(unmarked, 501.0) is None


def test_self_time_by_script_counts_a_dom_call_for_the_script_that_made_it():
    named = {("7", 30, 0): "bar.plot"}
    # page clock: sample i is at 500 + i + 1 ms; window from 503 to 510 keeps the last six
    got = trace.breakdown(_profile(), 500.0, (504.0, 510.0), named)
    assert got["groups"] == {
        "plotly.js": 4.0,
        "garbage collection": 1.0,
        "assets/lazy_charts.js": 1.0,
    }
    assert got["busy_ms"] == 6.0
    assert got["plotly_named"] == {"bar.plot": 4.0}
    (outer,) = got["plotly_outer"]
    assert outer.startswith("jkt @25:1 (called by assets/lazy_charts.js)")
    assert got["plotly_self"]["getBBox (browser API)"] == 3.0


def test_script_groups():
    assert trace.group_of({"url": PLOTLY}) == "plotly.js"
    assert trace.group_of({"url": LAZY}) == "assets/lazy_charts.js"
    assert trace.group_of({"url": "", "functionName": "parse"}) == "JSON.parse"
    assert trace.group_of({"url": "", "functionName": "(program)"}).startswith("browser outside JS")


def _kind(visible: float, floor: float) -> dict:
    s = {"median": visible, "p95": visible, "n": 3}
    return {"visible": s, "click": s, "visible_over_floor": {"median": visible / floor,
            "p95": visible / floor, "n": 3}, "bytes_uncompressed": {"median": 10_000,
            "p95": 11_000, "n": 3}, "catch_up": {"median": 90.0, "p95": 120.0, "n": 3},
            "catch_up_charts": ["adoption-map"], "catch_up_timed_out": 0}  # fmt: skip


def test_the_targets_table_says_met_missed_and_not_measured():
    load = {"visible_ms": {"median": 3000.0, "p95": 3100.0, "n": 2}}
    naive_load = {"visible_ms": {"median": 2500.0, "p95": 2600.0, "n": 2}}
    browser = {
        "ours": {"kinds": {"province click": _kind(250, 200), "clear": _kind(500, 200)},
                 "first_load": load},
        "naive_full": {"first_load": naive_load},
        "naive_full_over_ours": {"province click": {"visible_median": 3.5, "visible_p95": 2.9}},
        "compare": {"compare": {"visible": {"median": 900.0, "p95": 990.0, "n": 3}},
                    "merged": {"visible": {"median": 300.0, "p95": 330.0, "n": 3}},
                    "compare_over_merged_visible": {"median": 3.0, "p95": 3.0}},
    }  # fmt: skip
    res = {"browser": {"bundled": browser},
           "issue24": {"import_app": {"wall_s": 3.2, "cpu_s": 2.5, "n": 3},
                       "play": {"not_measured": "no play_figures yet"},
                       "parse": {"rows_50k": {"ours_s": 0.9, "pandas_s": 0.75,
                                              "ratio": 1.2}}}}  # fmt: skip
    text = "\n".join(report24.render(res))
    assert "| province click: click → visible views ÷ visible floor, median (p95) | ≤ 1.3× " in text
    assert "| 1.25× (1.25×) | yes |" in text  # 250 / 200
    assert "| 2.50× (2.50×) | no (missed by 1.92×) |" in text  # clear: 500 / 200 against 1.3
    assert "| 3.50× (2.90×) | yes |" in text  # naive same charts ÷ ours
    assert "3,000 / 3,100 vs 2,500 / 2,600" in text and "no (missed by 1.20×)" in text
    assert "3.00× (3.00×): 900 / 990 vs 300 / 330 ms" in text and "no (missed by 1.50×)" in text
    assert "not measured: no play_figures yet" in text
    assert "| 3.20 / 2.50 | yes |" in text  # import app, wall against 4 s
    assert "| 1.20×; " in text  # the parse bench's ratio, found by name
    assert "90 / 120 (adoption-map)" in text  # catch-up on scroll
    drill = "drill-down: click → visible views ÷ visible floor, median (p95) | ≤ 1.3× | – | "
    assert drill + "not measured | not measured |" in text  # a kind that was not measured


def test_the_parse_bench_is_read_in_its_own_shape_and_scale_is_the_fallback():
    parse = {
        "read": {"50000": {"ours": {"median_s": 0.8, "p95_s": 0.9, "n": 5},
                           "pandas_c": {"median_s": 0.7, "p95_s": 0.75, "n": 5},
                           "ratio_median": 1.14, "ratio_p95": 1.2}},
        "first_parse": {"peak_mb": 948, "stages": [{"stage": "read", "peak_mb": 3}]},
        "restart": {"median_s": 1.5},
    }  # fmt: skip
    text = "\n".join(report24.parse_rows({}, {"parse": parse}))
    assert "50,000 rows 1.14× (1.20×): 0.80 / 0.90 vs 0.70 / 0.75 s | yes |" in text
    assert "| 948 MB (parse.py) | no (missed by 1.19×) |" in text
    assert "| 1.50 s | yes |" in text
    scale = {"scale": {"sizes": {"1000000": {"cold": {"peak_rss_mb": 700},
                                             "warm": {"start_s": 2.5}}}}}  # fmt: skip
    text = "\n".join(report24.parse_rows(scale, {"parse": {"not_measured": "no parse.py"}}))
    assert "not measured: no parse.py | not measured |" in text
    assert "| 700 MB (scale.py cold start) | yes |" in text
    assert "| 2.50 s | no (missed by 1.25×) |" in text
