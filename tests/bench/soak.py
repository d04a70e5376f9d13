"""Soak: the service under mixed load and abuse, on gunicorn as ``make run`` starts it (loopback).

    python -m tests.bench.soak [--requests 200] [--slow 20] [--big-mb 45] [--big 20]

1. 20 slow clients each send an upload body at ~100 B/s while /healthz is probed every 0.25 s:
   the probes' p95 (target ≤ 1 s), and how each slow upload ended (429 refused at once, 408 cut).
2. 200 mixed requests from 4 threads: uploads (good tables, bombs, a 16 k-column CSV, a huge
   cell), page views (layout, the views callback by its published signature), problems.csv,
   health — errors (HTTP ≥ 500), p95 of the health probe meanwhile, peak RSS per worker.
3. ``--big`` uploads of a ``--big-mb`` MB CSV in a row: each worker's RSS after each (flat?), and
   the parse child's peak as the app logs it.
Prints one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests import bombs
from tests.browser.stack import Stack, running_stack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def token(base: str) -> str:
    """A CSRF token for this client, as the page fetches it before any POST."""
    with urllib.request.urlopen(f"{base}/upload/token", timeout=30) as r:
        return json.loads(r.read())["token"]


def http(url: str, body: bytes | None = None, timeout: float = 120) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one request; status 0 when it did not answer in time. A POST
    carries a CSRF token, as the page's do."""
    t0 = time.perf_counter()
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if body is not None:
        base = url.split("/upload", 1)[0]
        req.add_header("X-CSRF-Token", token(base))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), time.perf_counter() - t0
    except urllib.error.HTTPError as err:
        return err.code, err.read(), time.perf_counter() - t0
    except OSError:
        return 0, b"", time.perf_counter() - t0


def upload(base: str, name: str, body: bytes, timeout: float = 900) -> tuple[int, bytes, float]:
    """An upload as the page makes it (w/jobs): the body sent, then, for a 202, its parse job run
    to its end (``tests.upload_jobs``); (200 with the table's id and rows, or 400 with the
    error; the seconds from the first byte sent to the end)."""
    from tests import upload_jobs

    t0 = time.perf_counter()
    status, out, _ = http(f"{base}/upload?name={name}", body, timeout=timeout)
    if status != 202:
        return status, out, time.perf_counter() - t0
    end = upload_jobs.run(base, json.loads(out))["end"]
    return (
        (200 if end.get("id") and not end.get("error") else 400),
        json.dumps(end).encode(),
        (time.perf_counter() - t0),
    )


HEAD = (
    "POST /upload?name=slow.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nX-CSRF-Token: {token}\r\n"
    "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n"
)


def slow_upload(port: int, results: list, seconds: float = 60, rate: int = 100) -> None:
    """One client sending an upload's body at ``rate`` bytes a second; appends (status, s)."""
    head = HEAD.format(token=token(f"http://127.0.0.1:{port}")).encode()
    t0 = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=seconds + 30) as s:
            s.sendall(head)
            s.settimeout(1.0)
            answer = b""
            while time.perf_counter() - t0 < seconds + 20 and not answer:
                with contextlib.suppress(OSError):
                    s.sendall(b"x" * rate)
                try:
                    answer = s.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    break
        m = re.match(rb"HTTP/1.[01] (\d+)", answer)
        results.append((int(m.group(1)) if m else 0, time.perf_counter() - t0))
    except OSError:
        results.append((0, time.perf_counter() - t0))


def probe(url: str, stop: threading.Event, out: list[float], failed: list[int]) -> None:
    """GET /healthz every 0.25 s until ``stop``: seconds per answer, statuses that failed."""
    while not stop.is_set():
        status, _, seconds = http(url + "/healthz", timeout=15)
        out.append(seconds)
        if status != 200:
            failed.append(status)
        time.sleep(0.25)


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18], 3) if len(values) >= 20 else max(values)


def slow_clients(stack: Stack, n: int = 20, seconds: float = 30) -> dict[str, Any]:
    port = int(stack.url.rsplit(":", 1)[1])
    results: list = []
    latencies: list[float] = []
    failed: list[int] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(stack.url, stop, latencies, failed))
    args = (port, results, seconds)
    clients = [threading.Thread(target=slow_upload, args=args) for _ in range(n)]
    for c in clients:
        c.start()
    time.sleep(0.5)
    prober.start()
    for c in clients:
        c.join()
    stop.set()
    prober.join()
    ends: dict[str, int] = {}
    for status, _ in results:
        ends[str(status)] = ends.get(str(status), 0) + 1
    return {
        "slow_clients": n,
        "health_probes": len(latencies),
        "health_failed": len(failed),
        "health_p95_s": p95(latencies),
        "health_max_s": round(max(latencies), 3),
        "slow_upload_ends": ends,
        "slowest_end_s": round(max(s for _, s in results), 1),
    }


def worker_rss(stack: Stack) -> dict[int, int]:
    """Resident MB of each gunicorn worker (children of the master)."""
    master = stack.procs["web"].pid
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ")[-1].split()
            if int(fields[1]) == master:
                pid = int(stat.parent.name)
                rss = int((stat.parent / "statm").read_text().split()[1]) * 4096 >> 20
                out[pid] = rss
        except (OSError, ValueError, IndexError):
            continue
    return out


def _mixed(stack: Stack, rng: random.Random, count: int) -> tuple[list[int], list[int]]:
    good = (FIXTURES / "messy_gbk.csv").read_bytes()
    uploads = [
        ("good.csv", good),
        ("bomb.xlsx", bombs.xlsx(50_000, 5, "x" * 5000)),
        ("dict.parquet", bombs.parquet_dictionary_bomb()),
        ("wide.csv", bombs.wide_csv()),
        ("cell.csv", bombs.huge_cell_csv(9_000)),
    ]
    views = ["/", "/?region=440000", "/?lang=en&from=2020", "/healthz", "/readyz",
             "/upload/default/problems.csv", "/_dash-layout", "/_dash-dependencies"]  # fmt: skip
    statuses, sizes = [], []
    for _ in range(count):
        if rng.random() < 0.35:
            name, body = rng.choice(uploads)
            status, out, _ = upload(stack.url, name, body)
            if status == 200:
                table = json.loads(out)["id"]
                status2, page, _ = http(f"{stack.url}/_dash-layout?data={table}")
                sizes.append(len(page))
                statuses.append(status2)
        else:
            status, out, _ = http(stack.url + rng.choice(views))
            sizes.append(len(out))
        statuses.append(status)
    return statuses, sizes


def mixed(stack: Stack, n: int = 200, threads: int = 4) -> dict[str, Any]:
    latencies: list[float] = []
    failed: list[int] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(stack.url, stop, latencies, failed))
    prober.start()
    results: list = []
    peak: dict[int, int] = {}

    def run(seed: int) -> None:
        results.append(_mixed(stack, random.Random(seed), n // threads))

    def sample() -> None:
        while not stop.is_set():
            for pid, rss in worker_rss(stack).items():
                peak[pid] = max(peak.get(pid, 0), rss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stop.set()
    prober.join()
    sampler.join()
    statuses = [s for r in results for s in r[0]]
    sizes = [s for r in results for s in r[1]]
    return {
        "requests": len(statuses),
        "errors_5xx": sum(1 for s in statuses if s >= 500),
        "no_answer": sum(1 for s in statuses if s == 0),
        "statuses": {str(k): statuses.count(k) for k in sorted(set(statuses))},
        "health_p95_s": p95(latencies),
        "health_failed": len(failed),
        "largest_response_mb": round(max(sizes) / 2**20, 2),
        "peak_worker_rss_mb": peak,
    }


def big_uploads(stack: Stack, mb: int, count: int) -> dict[str, Any]:
    good = (FIXTURES / "messy_gbk.csv").read_bytes()
    body = good * (mb * 2**20 // len(good))
    rss, seconds = [], []
    for i in range(count):
        one = body + f"\n第{i}条,2020,广东省\n".encode("gb18030")
        status, out, s = upload(stack.url, f"big{i}.csv", one, timeout=900)
        seconds.append(round(s, 1))
        rss.append(max(worker_rss(stack).values()))
        if status != 200:
            print(f"big upload {i}: {status} {out[:200]!r}")
    peaks = [int(m) for m in re.findall(r"bounded parse: ok in [\d.]+ s, peak (\d+) MB",
                                        stack.log("web"))]  # fmt: skip
    return {
        "big_uploads": count,
        "big_mb": round(len(body) / 2**20, 1),
        "seconds_each": seconds,
        "max_worker_rss_after_each_mb": rss,
        "rss_growth_first_to_last": round(rss[-1] / rss[0] - 1, 3),
        "parse_child_peak_mb": max(peaks) if peaks else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--slow-seconds", type=float, default=30)
    parser.add_argument("--big-mb", type=int, default=45)
    parser.add_argument("--big", type=int, default=20)
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    with running_stack(web_workers=3, celery=False) as stack:
        report["slow"] = slow_clients(stack, args.slow, args.slow_seconds)
        print(json.dumps(report["slow"]), flush=True)
        report["mixed"] = mixed(stack, args.requests)
        print(json.dumps(report["mixed"]), flush=True)
        if args.big:
            report["big"] = big_uploads(stack, args.big_mb, args.big)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
