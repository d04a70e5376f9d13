"""The benchmark's arithmetic: percentiles, paired ratios, verdicts and the before/after table of
issue #15 (pure helpers of ``tests/bench/browser.py`` and ``tests/bench/report15.py``).

No timing."""

from __future__ import annotations

import numpy as np
import pytest

from tests.bench import report15
from tests.bench.browser import percentile, ratio_of, ratios, summarise, summary


@pytest.mark.parametrize("values", [[5.0], [3.0, 1.0], [1, 2, 3, 4, 100], list(range(37))])
@pytest.mark.parametrize("q", [0, 50, 95, 100])
def test_percentile_agrees_with_numpy(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 95)


def test_summary_median_p95_n():
    s = summary([10, 20, 30, 40, 1000])
    assert s == {"median": 30, "p95": pytest.approx(808.0), "n": 5}
    assert summary([]) == {"n": 0}


def test_ratios_are_paired_and_skip_a_zero_floor():
    s = ratios([100, 300, 50], [50, 100, 0])  # 2×, 3×; the third has no floor
    assert s["n"] == 2 and s["median"] == 2.5


def test_ratio_of_two_summaries():
    naive, ours = {"median": 900.0, "p95": 1200.0}, {"median": 300.0, "p95": 600.0}
    assert ratio_of(naive, ours, "median") == 3.0
    assert ratio_of(naive, ours, "p95") == 2.0
    assert ratio_of(naive, {"n": 0}, "median") is None


def test_verdict_says_by_how_much_a_target_is_missed():
    assert report15.verdict(1.1, 1.2) == "yes"
    assert report15.verdict(2.4, 1.2) == "no (missed by 2.00×)"
    assert report15.verdict(2.0, 4.0, at_most=False) == "no (missed by 2.00×)"
    assert report15.verdict(None, 4.0) == "not measured"


def _click(kind: str, ms: float, floor: float, changed: list[str], drawn: list[str]) -> dict:
    return {"kind": kind, "ms": ms, "last_response_ms": ms / 3, "requests": 2,
            "bytes_uncompressed": 20_000, "bytes_wire": 5_000, "drawn": drawn,
            "changed": changed, "floor_ms": floor}  # fmt: skip


def _load(ms: float) -> dict:
    return {"ms": ms, "requests": 30, "bytes_wire": 2_500_000, "bytes_uncompressed": 9_000_000,
            "graphs": 6, "graphs_drawn": 6}  # fmt: skip


def test_summarise_and_the_before_after_table():
    raw = {
        "ours": {
            "loads": [_load(3000), _load(3400)],
            "clicks": [
                _click("province click", 400, 200, ["map"], ["map", "timeline"]),
                _click("province click", 600, 300, ["map"], ["map"]),
            ],  # fmt: skip
        },
        "naive": {
            "loads": [_load(2000), _load(2200)],
            "clicks": [
                _click("province click", 1500, 100, ["map"], ["map"]),
                _click("province click", 2500, 100, ["map"], ["map"]),
            ],  # fmt: skip
        },
    }
    b = summarise(raw)
    prov = b["ours"]["kinds"]["province click"]
    assert prov["click_over_floor"]["median"] == 2.0
    assert prov["graphs_drawn"] == ["map", "timeline"] and prov["graphs_changed"] == ["map"]
    assert b["naive_over_ours"]["province click"]["median"] == 4.0
    direct = {
        "bundled": {"ours": {"map click": {"median_ms": 20.0}}},
        "1000000": {"ours": {"map click": {"median_ms": 70.0}}},
    }
    text = "\n".join(report15.render({"browser": {"bundled": b}, "direct": direct}))
    assert "| 430 / 748 | 500 / 590 |" in text  # before (issue) and after (this run)
    assert "2.00× (2.00×) | no (missed by 1.67×)" in text  # click ÷ floor against ≤ 1.2×
    assert "| 3.50× | no (missed by 1.17×)" in text  # 1 M ÷ bundled against ≤ 3×
    assert "redrawn with nothing changed: timeline" in text
    assert "3,200 / 2,100" in text  # first load medians, ours / naive


def test_scale_figures_render_whatever_their_keys():
    rows = report15.scale_rows({"100000": {"load_s": 1.5, "peak_rss_mb": 300}, "note": "x"})
    assert rows[0] == "| | load_s | peak_rss_mb |"
    assert "| 100000 | 1.50 | 300 |" in rows
    assert "- note: x" in rows
