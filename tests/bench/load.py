"""50 concurrent sessions against Policy Atlas under gunicorn, on loopback only.

Starts ``gunicorn -w 4 -b 127.0.0.1:<free port> app:server`` (several workers, so one session's
requests land on different workers: the view lives in the URL and the client's ``rendered`` store,
never in a worker), then runs ``sessions`` threads, each a user: load the page, then the views
callback for the initial view, a map click, a date range, an incentive click and clear. Bounded:
a fixed number of requests, a per-request timeout and an overall deadline; gunicorn is stopped at
the end. Reports errors (non-200, callback errors, wrong content) and latency.

    python -m tests.bench.load [--sessions 50] [--workers 4] [--data FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SEQUENCE = ["", "?region=440000", "?region=440000&from=2020-01-01&to=2021-06-30",
            "?incentive=subsidy&region=440000&from=2020-01-01&to=2021-06-30", ""]  # fmt: skip


def gunicorn_command(port: int, workers: int) -> list[str]:
    bin_dir = Path(sys.executable).parent
    return [str(bin_dir / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "--timeout", "120", "app:server"]  # fmt: skip


def run_load(
    sessions: int = 50,
    workers: int = 4,
    data: str | None = None,
    deadline_s: float = 180.0,
) -> dict[str, Any]:
    """Start gunicorn, drive ``sessions`` concurrent users, stop gunicorn; return the figures."""
    import requests

    from tests.bench.run import _ours_key, render_payload, with_view
    from tests.browser.harness import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ}
    if data:
        env["POLICY_ATLAS_DATA"] = data
    cmd = gunicorn_command(port, workers)
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    try:
        stop_at = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + "/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > stop_at or proc.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        time.sleep(2.0)  # let every worker finish importing before the burst
        template = render_payload(base, "", None)
        _ours_key("", data)  # the served table, loaded before the clock starts
        end_by = time.monotonic() + deadline_s

        def user(k: int) -> None:
            s = requests.Session()
            rendered: dict | None = None
            steps: list[tuple[str, Any]] = [("page", None), *[("views", q) for q in SEQUENCE]]
            for kind, query in steps:
                if time.monotonic() > end_by:
                    with lock:
                        errors.append(f"session {k}: deadline reached")
                    return
                t0 = time.perf_counter()
                try:
                    if kind == "page":
                        r = s.get(base + "/", timeout=60)
                        ok = r.status_code == 200 and "_dash-config" in r.text
                    else:
                        body = with_view(template, query, rendered)
                        r = s.post(base + "/_dash-update-component", json=body, timeout=60)
                        ok = r.status_code == 200 and '"rendered"' in r.text
                        if ok:
                            rendered = r.json()["response"]["rendered"]["data"]
                            # the view it answered (the store also keeps per-chart hashes)
                            want = _ours_key(query, data)
                            ok = {k: rendered.get(k) for k in want} == want
                except (requests.RequestException, ValueError, KeyError) as exc:
                    ok, r = False, exc
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(dt)
                    if not ok:
                        errors.append(f"session {k} {kind} {query!r}: {str(r)[:200]}")

        started = time.perf_counter()
        threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, end_by - time.monotonic()))
        wall = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    cmd_text = f"gunicorn -w {workers} -b 127.0.0.1:8050 app:server"
    return {
        "command": (f"POLICY_ATLAS_DATA={data} " if data else "") + cmd_text,
        "sessions": sessions,
        "steps": 1 + len(SEQUENCE),
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "median_ms": round(statistics.median(latencies), 1) if latencies else float("nan"),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else float("nan"),
        "wall_s": round(wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--data")
    args = p.parse_args(argv)
    res = run_load(args.sessions, args.workers, args.data)
    print(json.dumps(res, indent=1))
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
