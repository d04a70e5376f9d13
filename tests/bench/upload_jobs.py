"""Benchmark (w/jobs, issue 25 item 4): uploads as background jobs on gunicorn as ``make run``
starts it (three workers, diskcache jobs, loopback).

    python -m tests.bench.upload_jobs [--rows 1048575] [--slow 20] [--uploads 20] [--mb 10]

Reports, as JSON: the time a 1 M-row XLSX and a 16 k-column CSV take as jobs (from the first byte
sent to the job's end, with the number of progress updates the page got and the last one shown),
the health-probe p95 while 20 slow uploads run, and the web workers' resident memory over
``--uploads`` uploads of ``--mb`` MB each (parsed by jobs). Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from tests import bombs, upload_jobs
from tests.bench import soak
from tests.browser.stack import running_stack


def job(base: str, name: str, body: bytes) -> dict[str, Any]:
    """One upload run as a job: seconds, progress updates, the last progress, how it ended."""
    t0 = time.perf_counter()
    status, out, _ = soak.http(f"{base}/upload?name={name}", body, timeout=900)
    received = time.perf_counter() - t0
    if status != 202:
        return {"status": status, "answer": out[:300].decode("utf-8", "replace")}
    seen: list = []
    done = upload_jobs.run(base, json.loads(out), "?lang=en", seen)
    end = done["end"]
    return {
        "mb": round(len(body) / 2**20, 1),
        "received_s": round(received, 2),
        "total_s": round(time.perf_counter() - t0, 1),
        "progress_updates": len(seen),
        "last_progress": upload_jobs.texts(seen[-1]) if seen else None,
        "rows": end.get("rows"),
        "error": end.get("error"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_575)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--slow-seconds", type=float, default=30)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--parse-seconds", default="900")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    env = {
        "POLICY_ATLAS_PARSE_SECONDS": args.parse_seconds,
        "POLICY_ATLAS_UPLOAD_CLIENT_MAX_MB": "4000",
        "POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB": "8000",
    }
    with running_stack(web_workers=3, celery=False, env=env) as stack:
        if args.rows:  # (0: skip the large files)
            report["xlsx_1m"] = job(stack.url, "million.xlsx", bombs.big_xlsx(args.rows))
            print(json.dumps(report["xlsx_1m"], ensure_ascii=False), flush=True)
            report["csv_16k_columns"] = job(stack.url, "wide.csv", bombs.wide_csv())
            print(json.dumps(report["csv_16k_columns"], ensure_ascii=False), flush=True)
        if args.slow:
            report["slow"] = soak.slow_clients(stack, args.slow, args.slow_seconds)
            print(json.dumps(report["slow"]), flush=True)
        if args.uploads:
            rss0 = max(soak.worker_rss(stack).values())
            report["uploads"] = soak.big_uploads(stack, args.mb, args.uploads)
            report["uploads"]["worker_rss_before_mb"] = rss0
            print(json.dumps(report["uploads"]), flush=True)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
