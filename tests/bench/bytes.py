"""Bytes per interaction (issue #24 item 2), without a browser: the interaction callback called as
the page calls it, each response's stores (``rendered``, table, language) carried into the next
request, the response serialised as the app sends it (Dash's serialiser, no "no update" outputs,
patches as their operations, without plotly's HTML escapes: ``callbacks.service.plain_json``).
Per interaction: the total and its largest parts.

    python -m tests.bench.bytes [--engine json]   # json: plotly's pure-Python engine (\\uXXXX)
    python -m tests.bench.bytes --time 21          # and the server's CPU ms per interaction
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dash import no_update

#: The browser bench's sequence (tests/bench/browser.py), as URLs: (name, query).
SEQUENCE = [
    ("province click", "?region=440000"),
    ("drill-down", "?drill=440000"),
    ("back", "?region=440000"),
    ("date range", "?region=440000&from=2019-01-01&to=2020-12-31"),
    ("incentive click", "?region=440000&from=2019-01-01&to=2020-12-31&incentive=subsidy"),
    ("clear", ""),
    ("city level", "?map=city"),
    ("province level", ""),
]


def _sent(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sent(v) for k, v in value.items() if not isinstance(v, type(no_update))}
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else value


def wire(value: Any) -> str:
    """``value`` as the app's answer carries it (``callbacks.service.plain_json``)."""
    from dash._utils import to_json

    from callbacks.service import plain_json

    return plain_json.unescape(to_json(value))


def _parts(sent: dict, prefix: str = "") -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in sent.items():
        if isinstance(v, dict) and k in ("views", "figures", "widgets", "measure"):
            out.update(_parts(v, prefix + k + "."))
        else:
            out[prefix + k] = len(wire(v).encode())
    return out


def carried(res: dict[str, Any], rendered: Any, shown: Any, table: Any) -> tuple[Any, Any, Any]:
    """The page's stores after ``res``: each as the response set it, or as it was."""

    def kept(new: Any, old: Any) -> Any:
        return old if isinstance(new, type(no_update)) else new

    return (
        kept(res["views"]["rendered"], rendered),
        kept(res["widgets"]["shown"], shown),
        kept(res["table"], table),
    )


def measure(grid_in_view: bool | None = False) -> dict[str, Any]:
    """Bytes per interaction of ``SEQUENCE`` on the dataset this process serves, the grid off the
    screen (as on a page at its top; ``grid_in_view=None``: every response with the grid's rows,
    as before the page said where the grid is)."""
    from callbacks import interaction

    rendered, shown, table, search = None, None, None, ""
    out: dict[str, Any] = {}
    for name, query in [("first view", ""), *SEQUENCE]:
        before = None if name == "first view" else search
        res = interaction.respond(
            query, rendered, shown, table, before=before, grid_in_view=grid_in_view
        )
        sent = _sent(res)
        total = len(wire(sent).encode())
        parts = sorted(_parts(sent).items(), key=lambda kv: -kv[1])[:5]
        out[name] = {"bytes": total, "largest": dict(parts)}
        rendered, shown, table = carried(res, rendered, shown, table)
        search = query
    return out


def server_ms(repeat: int, grid_in_view: bool | None = False) -> dict[str, dict[str, float]]:
    """CPU ms of the interaction callback per interaction of ``SEQUENCE`` (median and p95 of
    ``repeat`` calls, each given the stores of the view before, as the page sends them)."""
    import statistics
    import time

    from callbacks import interaction

    rendered, shown, table, search = None, None, None, ""
    out: dict[str, dict[str, float]] = {}
    for name, query in [("first view", ""), *SEQUENCE]:
        before = None if name == "first view" else search
        ms = []
        for _ in range(repeat if name != "first view" else 1):
            start = time.process_time()
            res = interaction.respond(
                query, rendered, shown, table, before=before, grid_in_view=grid_in_view
            )
            ms.append((time.process_time() - start) * 1000)
        ms.sort()
        out[name] = {"median": statistics.median(ms), "p95": ms[round(0.95 * (len(ms) - 1))]}
        rendered, shown, table = carried(res, rendered, shown, table)
        search = query
    del out["first view"]
    return out


def rows(res: dict[str, Any], before: dict[str, Any] | None = None) -> list[str]:
    """The markdown table: per interaction, bytes (and before, when given) and largest parts."""
    lines = [
        "| interaction | target | before | after | largest parts after (KB) |",
        "|---|---|---|---|---|",
    ]
    for name, r in res.items():
        switch = "level" in name or name in ("drill-down", "back")
        target = "–" if name == "first view" else ("≤ 60 KB" if switch else "≤ 12 KB")
        was = f"{before[name]['bytes'] / 1024:.1f} KB" if before and name in before else "–"
        parts = ", ".join(f"{k.split('.')[-1]} {v / 1024:.1f}" for k, v in r["largest"].items())
        lines.append(f"| {name} | {target} | {was} | {r['bytes'] / 1024:.1f} KB | {parts} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--engine", choices=("auto", "json"), default="auto")
    p.add_argument("--time", type=int, default=0, help="also time N calls per interaction")
    args = p.parse_args(argv)
    import plotly.io

    plotly.io.json.config.default_engine = args.engine
    from callbacks.service.context import serve
    from data.dataset import DatasetStore
    from data.loaders import load_dataset

    serve(DatasetStore(load_dataset()))
    res = measure()
    print("\n".join(rows(res)), file=sys.stderr)
    if args.time:
        res = {"bytes": res, "server_cpu_ms": server_ms(args.time)}
        for name, ms in res["server_cpu_ms"].items():
            print(f"{name}: {ms['median']:.0f} ms median, {ms['p95']:.0f} p95", file=sys.stderr)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
