"""Benchmark: an uploaded table, from the bytes to a view, and a reopened link.

    python -m tests.bench.upload [--rows 10000]

Times (SYNTHETIC table from ``tests.bench.synth``, CSV): the HTTP upload to a running app (the
route reads the body, parses with ``data.load``, writes the original + Parquet + record), the
first full view of the link (``/_dash-update-component`` for every figure), and reopening the stored
table in a process that has not seen it (Parquet read, no parsing) against parsing it again.
Numbers, not assertions: timing goals live here, not in tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request

from data import config as settings
from data.load import load_table
from data.uploads import Uploads
from tests.bench.synth import write_table
from tests.browser.harness import running_app


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000)
    args = p.parse_args(argv)
    path = write_table(args.rows, 7, fmt="csv")
    body = path.read_bytes()
    out: dict[str, float | int | str] = {"rows": args.rows, "bytes": len(body)}
    with running_app() as base:
        with urllib.request.urlopen(f"{base}/upload/token", timeout=60) as r:
            token = json.loads(r.read())["token"]
        req = urllib.request.Request(
            f"{base}/upload?name={path.name}",
            data=body,
            method="POST",
            headers={"X-CSRF-Token": token},
        )
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=300) as r:
            answer = json.loads(r.read())
        out["http_upload_and_load_s"] = round(time.perf_counter() - t0, 3)
        out["server_ingest_s"] = answer["seconds"]
        out["problems"] = answer["problems"]
    with tempfile.TemporaryDirectory() as home:
        up = Uploads(settings.load({"POLICY_ATLAS_HOME": home}))
        table_id = up.ingest(path.name, body).id
        assert table_id is not None
        blob = up.backend.root / ("blob-" + up.meta(table_id)["blob"])  # type: ignore[attr-defined]
        out["stored_bytes"] = sum(f.stat().st_size for f in blob.iterdir())
        out["reopen_from_parquet_s"] = round(_best(lambda: up.dataset(table_id)), 3)
        out["parse_again_s"] = round(_best(lambda: load_table(path), repeat=1), 3)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
