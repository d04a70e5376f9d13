"""CSV parse against pandas' C reader and Arrow, the first ``--data`` parse's memory, the restart.

For SYNTHETIC tables (``tests/bench/synth.py``, never real data) of each size, in one run:

- **read**: ``data.read.read_raw`` (our reader, with each row's line number: what the upload and
  ``--data`` paths call) against ``pandas.read_csv(engine="c")`` and ``pyarrow.csv.read_csv``
  on the same CSV. Each repetition runs each reader in a fresh process (interpreter and imports
  outside the timed call), the readers in a rotating order, so a noisy neighbour hits all three
  alike. Median and p95 seconds per reader; ours ÷ pandas C of the medians and of the p95s.
- **first parse** (the largest size): ``data.loaders.load_dataset(csv, cache=<empty folder>)``
  — read, check, place, store the Parquet twin — in a fresh process whose resident set the parent
  polls every few ms from ``/proc``; the child marks each stage (read, the loader's steps, the
  check report, the store) with a monotonic clock shared with the parent, so the peak of each
  stage is the highest sample inside it; the run's peak is the highest sample. (Not the child's
  ``ru_maxrss``: Linux carries the parent's high-water mark across fork and exec, so a child of
  a large bench process reported the parent's 1.6 GB.)
- **restart**: ``load_dataset`` again on the same cache folder (the stored Parquet, no parse) and
  the index built, in a fresh process: seconds and peak.

Reports figures; asserts none.

``measure(sizes=(50_000, 1_000_000), reps=5, parse_reps=2, seed=42) -> dict`` returns plain
JSON-able numbers::

    {"seed": 42, "reps": 5, "seconds": 123.4,
     "read": {"50000": {"bytes": ..., "rows": ...,
                        "ours": {"median_s": .., "p95_s": .., "n": ..},
                        "pandas_c": {...}, "pyarrow": {...},
                        "ratio_median": ours/pandas_c, "ratio_p95": ours/pandas_c}, ...},
     "first_parse": {"rows": 1000000, "format": "csv", "median_s": .., "p95_s": ..,
                     "peak_mb": .. (median of the runs' ru_maxrss), "start_mb": ..,
                     "stages": [{"stage": "read", "s": .., "peak_mb": ..}, ...]},
     "restart": {"rows": .., "median_s": .., "p95_s": .., "load_s": .., "index_s": ..,
                 "peak_mb": ..}}

    python -m tests.bench.parse [--sizes 50000,1000000] [--reps 5] [--parse-reps 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
READERS = ("ours", "pandas_c", "pyarrow")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
POLL_S = 0.005


def _stats(xs: list[float]) -> dict[str, float]:
    ordered = sorted(xs)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_s": round(statistics.median(xs), 3), "p95_s": round(p95, 3), "n": len(xs)}


# --- the children ---------------------------------------------------------------------------


def _read_once(reader: str, path: str) -> dict[str, Any]:
    """In a fresh process: one read of ``path`` by ``reader``; seconds and rows."""
    import pandas as pd
    import pyarrow.compute  # noqa: F401  (imported by every reader in a running app already)
    import pyarrow.csv as pacsv

    import data.columns  # noqa: F401
    from data.read import read_raw

    calls: dict[str, Callable[[], Any]] = {
        "ours": lambda: read_raw(path).frame,
        "pandas_c": lambda: pd.read_csv(path, engine="c"),
        "pyarrow": lambda: pacsv.read_csv(path),
    }
    t0 = time.perf_counter()
    out = calls[reader]()
    return {"s": time.perf_counter() - t0, "rows": len(out) if hasattr(out, "__len__") else 0}


def _staged(marks: list[tuple[str, float, float]]) -> None:
    """Wrap the first parse's steps so each marks (name, start, end) on the monotonic clock."""
    from data import check, load, table_cache

    def wrap(module: Any, name: str, label: str) -> None:
        fn = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.monotonic()
            try:
                return fn(*args, **kwargs)
            finally:
                marks.append((label, t0, time.monotonic()))

        setattr(module, name, timed)

    wrap(load, "read_raw", "read")
    for step in ("_column_map", "_ids", "_dates", "_places_step", "_levels",
                 "_texts_and_codes", "_hostile", "_assemble", "row_accounting"):  # fmt: skip
        wrap(load, step, step.strip("_"))
    wrap(load, "release_memory", "release")
    wrap(check, "page_report", "check report")
    wrap(table_cache, "_write", "store")


def _first_parse(path: str, cache: str, restart: bool) -> dict[str, Any]:
    """In a fresh process: ``load_dataset`` through the cache folder, then the index; every
    stage marked on the monotonic clock (the parent polls this process's memory)."""
    from data.loaders import load_dataset

    marks: list[tuple[str, float, float]] = []
    if not restart:
        _staged(marks)
    start_mb = _rss_mb(os.getpid())
    t0 = time.monotonic()
    ds = load_dataset(path, cache=Path(cache))
    t1 = time.monotonic()
    ds.index  # noqa: B018  (built on first use)
    t2 = time.monotonic()
    marks += [("load", t0, t1), ("index", t1, t2)]
    return {
        "rows": ds.rows,
        "start_mb": start_mb,
        "load_s": t1 - t0,
        "index_s": t2 - t1,
        "marks": marks,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- the parent -----------------------------------------------------------------------------


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _child(args: list[str], poll: bool = False) -> tuple[dict[str, Any], list[tuple[float, float]]]:
    """Run ``python -m tests.bench.parse --child ...``; its JSON and, with ``poll``, the
    (monotonic time, RSS MB) samples taken while it ran."""
    cmd = [sys.executable, "-m", "tests.bench.parse", "--child", *args]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.monotonic(), _rss_mb(proc.pid)))
            time.sleep(POLL_S)

    poller = threading.Thread(target=sample, daemon=True) if poll else None
    if poller:
        poller.start()
    out, err = proc.communicate(timeout=1800)
    done.set()
    if poller:
        poller.join()
    if proc.returncode:
        raise RuntimeError(err.decode(errors="replace")[-3000:])
    return json.loads(out.decode().strip().splitlines()[-1]), samples


def _reads(path: str, reps: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {r: [] for r in READERS}
    rows = 0
    for i in range(reps):
        order = READERS[i % 3 :] + READERS[: i % 3]  # rotate: no reader always first
        for reader in order:
            res, _ = _child(["read", reader, path])
            times[reader].append(res["s"])
            rows = res["rows"] if reader == "ours" else rows
    out: dict[str, Any] = {"bytes": os.path.getsize(path), "rows": rows}
    out.update({r: _stats(times[r]) for r in READERS})
    for k in ("median", "p95"):
        out[f"ratio_{k}"] = round(out["ours"][f"{k}_s"] / out["pandas_c"][f"{k}_s"], 2)
    return out


def _stage_peaks(res: dict[str, Any], samples: list[tuple[float, float]]) -> list[dict]:
    """Each marked stage: seconds and the highest RSS sampled inside it (a stage shorter than
    the polling interval gets the nearest sample)."""
    out = []
    for name, t0, t1 in sorted(res["marks"], key=lambda m: m[1]):
        inside = [mb for t, mb in samples if t0 <= t <= t1]
        if not inside and samples:
            inside = [min(samples, key=lambda s: abs(s[0] - t1))[1]]
        out.append({"stage": name, "s": round(t1 - t0, 3), "peak_mb": round(max(inside or [0]))})
    return out


def _first_parses(path: str, reps: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first parse and the restart, ``reps`` times each, each pair on a new cache folder."""
    cold: list[tuple[dict[str, Any], list[dict]]] = []
    warm: list[dict[str, Any]] = []
    for _ in range(reps):
        folder = tempfile.mkdtemp(prefix="policy-atlas-parse-")
        try:
            res, samples = _child(["first", path, folder], poll=True)
            cold.append((res, _stage_peaks(res, samples)))
            res, samples = _child(["restart", path, folder], poll=True)
            res["peak_mb"] = max([mb for _, mb in samples], default=0.0)
            warm.append(res)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    loads = [r["load_s"] + r["index_s"] for r, _ in cold]
    peaks = [max((s["peak_mb"] for s in stages), default=0) for _, stages in cold]
    best = sorted(zip(peaks, cold, strict=True), key=lambda c: c[0])[len(cold) // 2][1]
    first = {
        "rows": best[0]["rows"],
        "format": Path(path).suffix.lstrip("."),
        **_stats(loads),
        "peak_mb": round(statistics.median(peaks)),
        "start_mb": round(best[0]["start_mb"]),
        "stages": best[1],
    }
    starts = [r["load_s"] + r["index_s"] for r in warm]
    restart = {
        "rows": warm[0]["rows"],
        **_stats(starts),
        "load_s": round(statistics.median(r["load_s"] for r in warm), 3),
        "index_s": round(statistics.median(r["index_s"] for r in warm), 3),
        "peak_mb": round(statistics.median(r["peak_mb"] for r in warm)),
    }
    return first, restart


def measure(
    sizes: tuple[int, ...] = (50_000, 1_000_000), reps: int = 5, parse_reps: int = 2, seed: int = 42
) -> dict[str, Any]:
    """Every figure of this benchmark (see the module docstring for the shape)."""
    from tests.bench import synth

    started = time.perf_counter()
    out: dict[str, Any] = {"seed": seed, "reps": reps, "read": {}}
    paths = {n: str(synth.write_table(n, seed, fmt="csv")) for n in sizes}
    for n in sizes:
        out["read"][str(n)] = _reads(paths[n], reps)
    if sizes and parse_reps:
        out["first_parse"], out["restart"] = _first_parses(paths[max(sizes)], parse_reps)
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def table(res: dict[str, Any]) -> str:
    """The figures as Markdown."""
    lines = [
        "| rows | MB | ours median / p95 s | pandas C median / p95 s | pyarrow median / p95 s "
        "| ours ÷ pandas C median / p95 |",
        "|---|---|---|---|---|---|",
    ]
    for n, r in res["read"].items():
        cells = [f"{r[k]['median_s']} / {r[k]['p95_s']}" for k in READERS]
        lines.append(f"| {int(n):,} | {r['bytes'] / 2**20:,.0f} | " + " | ".join(cells)
                     + f" | {r['ratio_median']}× / {r['ratio_p95']}× |")  # fmt: skip
    if "first_parse" in res:
        f, w = res["first_parse"], res["restart"]
        lines += [
            "",
            f"First `--data` parse of {f['rows']:,} rows ({f['format']}): {f['median_s']} / "
            f"{f['p95_s']} s (median / p95), peak RSS {f['peak_mb']:,} MB (at start "
            f"{f['start_mb']} MB). Restart from the stored Parquet: {w['median_s']} / "
            f"{w['p95_s']} s (load {w['load_s']} s + index {w['index_s']} s), peak "
            f"{w['peak_mb']:,} MB.",
            "",
            "| stage | s | peak RSS MB |",
            "|---|---|---|",
        ]
        lines += [f"| {s['stage']} | {s['s']} | {s['peak_mb']:,} |" for s in f["stages"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="50000,1000000")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--parse-reps", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "read":
            res = _read_once(rest[0], rest[1])
        else:
            res = _first_parse(rest[0], rest[1], kind == "restart")
        print(json.dumps(res))
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    res = measure(sizes, reps=args.reps, parse_reps=args.parse_reps, seed=args.seed)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
    print(table(res))
    print(f"\n{res['seconds']} s; SYNTHETIC tables (tests/bench/synth.py, seed {res['seed']}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
