"""Benchmark: requests lost when one gunicorn worker is killed (``kill -9``) under load.

    python -m tests.bench.worker_loss [--sessions 100] [--seconds 24] [--workers 3 --threads 4]
                                      [--connections N]

Starts gunicorn on loopback as ``make run`` does (``callbacks/service/gunicorn_conf.py``, diskcache
jobs, two or more workers), runs ``--sessions`` simulated users, each asking for the page of a view
(``/_dash-layout`` with the view as Referer: the server draws every view, as an interaction does)
with a short pause between requests, kills one worker with SIGKILL a third of the way in, and
counts the requests that failed (connection reset, 5xx, no answer within 60 s). gunicorn forks a
new worker; what is lost is what the killed worker held: the requests its threads were serving
and the connections it had accepted but not started (``worker_connections``). Loopback only,
bounded in time; figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.request

from tests.browser.stack import running_stack

VIEWS = ["?region=440000", "?from=2019", "?incentive=subsidy", "?map=city", "", "?lang=en"]


#: A person reading between two requests (seconds, uniform), and the share of requests that draw
#: a whole view (the rest fetch the page's index): a load two cores sustain, so what is lost is
#: what the kill took, not what an overloaded server would have dropped anyway.
THINK = (5.0, 15.0)
HEAVY = 0.1


def _session(base: str, until: float, seed: int, out: list, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        view = rng.choice(VIEWS)
        path = "/_dash-layout" if rng.random() < HEAVY else "/" + view
        req = urllib.request.Request(base + path, headers={"Referer": base + "/" + view})
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()
                ok = "ok" if r.status == 200 else f"http {r.status}"
        except urllib.error.HTTPError as err:
            ok = f"http {err.code}"
        except TimeoutError:
            ok = "timeout"
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            ok = "timeout" if isinstance(reason, TimeoutError | socket.timeout) else "reset"
        with lock:
            out.append((t0, time.monotonic(), ok))
        time.sleep(rng.uniform(*THINK))


def _workers(log: str, master: int) -> list[int]:
    pids = [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", log)]
    return [p for p in pids if p != master and os.path.exists(f"/proc/{p}")]


def measure(
    sessions: int, seconds: float, workers: int, threads: int, connections: int | None
) -> dict:
    env = {"POLICY_ATLAS_WORKERS": str(workers), "POLICY_ATLAS_THREADS": str(threads),
           "POLICY_ATLAS_LOG_LEVEL": "WARNING"}  # fmt: skip
    if connections:
        env["POLICY_ATLAS_WORKER_CONNECTIONS"] = str(connections)
    with running_stack(web_workers=workers, celery=False, env=env) as st:
        results: list = []
        lock = threading.Lock()
        until = time.monotonic() + seconds
        threads_ = [threading.Thread(target=_session, args=(st.url, until, i, results, lock))
                    for i in range(sessions)]  # fmt: skip
        for t in threads_:
            t.start()
            time.sleep(0.02)
        time.sleep(seconds / 3)
        victim = _workers(st.log("web"), st.procs["web"].pid)[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        for t in threads_:
            t.join()
    lost = [r for r in results if r[2] != "ok"]
    took = sorted(b - a for a, b, ok in results if ok == "ok")
    return {
        "sessions": sessions,
        "workers": workers,
        "threads": threads,
        "worker_connections": connections or f"{threads} (= threads)",
        "requests": len(results),
        "lost": len(lost),
        # cut off by the kill (connection reset) vs. slow (no answer in 60 s: the machine's load)
        "lost_reset": sum(1 for r in lost if r[2] == "reset"),
        "lost_timeout": sum(1 for r in lost if r[2] == "timeout"),
        "lost_http": sum(1 for r in lost if r[2].startswith("http")),
        "lost_near_kill": sum(1 for a, b, _ in lost if a <= killed_at + 1 and b >= killed_at - 1),
        "median_s": round(took[len(took) // 2], 2) if took else None,
        "p95_s": round(took[int(len(took) * 0.95)], 2) if took else None,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=100)
    p.add_argument("--seconds", type=float, default=45.0)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--connections", type=int, default=None)
    a = p.parse_args(argv)
    print(json.dumps(measure(a.sessions, a.seconds, a.workers, a.threads, a.connections)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
