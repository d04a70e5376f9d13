"""Policy Atlas at scale: start time, peak memory and server time per filter change for SYNTHETIC
tables (``tests/bench/synth.py``) of each size, beside the bundled table's in the same run.

For each size, each in a fresh process: a *cold* start (an empty cache folder: the file is
parsed, then its Parquet twin written, ``data.table_cache``) and a *warm* one (the same folder: a
restart or a second worker reads the Parquet). Each process reports its load and index times,
its RSS after the load, after the index and its peak over the whole run (``getrusage``), and the
server time of the URL->views callback per interaction kind (``tests.bench.run.server_times``:
map click, date range, incentive click, clear; median and p95 over the repetitions). The bundled
table is measured the same way in its own process, and each size's median is divided by it.
Reports figures; asserts none.

    python -m tests.bench.scale [--sizes 100000,1000000] [--reps 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
KINDS = ("map click", "date range", "incentive click", "clear")


def _rss_mb() -> float:
    """This process's resident set now (MB)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(data: str | None, cache: str | None, reps: int) -> dict[str, Any]:
    """In a fresh process: load (through ``cache``, a folder, or none), build the index, time
    the views callback. Every figure of one process."""
    from callbacks.service.context import serve
    from data.dataset import DatasetStore
    from data.loaders import load_dataset
    from tests.bench.run import server_times

    out: dict[str, Any] = {"rss_start_mb": round(_rss_mb())}
    t0 = time.perf_counter()
    ds = load_dataset(data, cache=Path(cache) if cache else False)
    out["load_s"] = round(time.perf_counter() - t0, 2)
    out["rss_after_load_mb"], out["peak_after_load_mb"] = round(_rss_mb()), round(_peak_mb())
    t0 = time.perf_counter()
    ds.index  # noqa: B018  (built on first use)
    out["index_s"] = round(time.perf_counter() - t0, 2)
    out["start_s"] = round(out["load_s"] + out["index_s"], 2)
    out["rss_after_index_mb"], out["peak_after_index_mb"] = round(_rss_mb()), round(_peak_mb())
    out["rows"] = ds.rows
    serve(DatasetStore(ds))
    out["server"] = server_times(reps)
    out["rss_end_mb"], out["peak_rss_mb"] = round(_rss_mb()), round(_peak_mb())
    return out


def run_child(data: str | None, cache: str | None, reps: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "tests.bench.scale", "--child", data or "",
           "--cache", cache or "", "--reps", str(reps)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=1800)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(
    sizes: tuple[int, ...] = (100_000, 1_000_000), reps: int = 20, seed: int = 42
) -> dict[str, Any]:
    """Bundled table, then each size cold and warm, each in a fresh process. Returns
    ``{"bundled": {...}, "sizes": {n: {"cold": {...}, "warm": {...}, "ratio": {kind: x}}}}``;
    ``ratio`` is the warm process's median server time over the bundled table's, per kind."""
    from tests.bench import synth

    started = time.perf_counter()
    out: dict[str, Any] = {"reps": reps, "seed": seed, "bundled": run_child(None, None, reps)}
    out["sizes"] = {}
    base = out["bundled"]["server"]
    for n in sizes:
        path = str(synth.write_table(n, seed))
        folder = tempfile.mkdtemp(prefix="policy-atlas-scale-")
        try:
            cold = run_child(path, folder, reps)
            warm = run_child(path, folder, reps)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        ratio = {
            k: round(warm["server"][k]["median_ms"] / max(base[k]["median_ms"], 1e-9), 2)
            for k in KINDS
        }
        out["sizes"][n] = {"cold": cold, "warm": warm, "ratio": ratio}
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def table(res: dict[str, Any]) -> str:
    """The figures as a Markdown table (one line per rows × start × interaction kind)."""
    lines = [
        "| rows | start | load s | index s | RSS after load / index MB | peak RSS MB | "
        "interaction | median / p95 ms | bundled median ms | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = res["bundled"]["server"]

    def rows_of(label: str, kind_of_start: str, p: dict[str, Any], ratio: dict | None) -> None:
        for i, k in enumerate(KINDS):
            s = p["server"][k]
            head = (
                [label, kind_of_start, f"{p['load_s']}", f"{p['index_s']}",
                 f"{p['rss_after_load_mb']} / {p['rss_after_index_mb']}", f"{p['peak_rss_mb']}"]
                if i == 0 else ["", "", "", "", "", ""]
            )  # fmt: skip
            r = f"{ratio[k]}×" if ratio else "1×"
            lines.append(
                "| "
                + " | ".join(
                    head + [k, f"{s['median_ms']} / {s['p95_ms']}", f"{base[k]['median_ms']}", r]
                )
                + " |"  # fmt: skip
            )

    rows_of("bundled", "–", res["bundled"], None)
    for n, m in res["sizes"].items():
        cold_ratio = {
            k: round(m["cold"]["server"][k]["median_ms"] / max(base[k]["median_ms"], 1e-9), 2)
            for k in KINDS
        }
        rows_of(f"{int(n):,}", "cold", m["cold"], cold_ratio)
        rows_of(f"{int(n):,}", "warm", m["warm"], m["ratio"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100000,1000000")
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--cache", default="", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child or None, args.cache or None, args.reps)))
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    res = measure(sizes, reps=args.reps, seed=args.seed)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
    print(table(res))
    print(f"\n{res['seconds']} s; SYNTHETIC tables (tests/bench/synth.py, seed {res['seed']}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
