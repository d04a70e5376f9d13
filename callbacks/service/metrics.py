"""Prometheus metrics of the service (``GET {prefix}metrics``, text format 0.0.4).

- ``policy_atlas_http_requests_total{route, method, status}``: every request, by Flask route rule
  (a bounded set: unknown paths are ``(unmatched)``);
- ``policy_atlas_interaction_seconds``: time to answer a Dash callback request (one interaction);
- ``policy_atlas_export_jobs_total{event}``: export jobs started, finished, failed (job store);
- ``policy_atlas_upload_bytes_total`` and ``policy_atlas_uploads_total{status}``: upload bodies.

Under gunicorn every worker counts in its own files in ``PROMETHEUS_MULTIPROC_DIR`` (set by
``callbacks.service.gunicorn_conf`` before any worker starts: :func:`multiprocess_dir`) and a
scrape adds them up (prometheus_client's multiprocess mode); elsewhere (``python app.py``,
tests) the process registry answers.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
EXPORT_EVENTS = ("started", "finished", "failed")
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_dir(state_dir: Path) -> None:
    """Before gunicorn forks: an empty private folder for the workers' metric files (a restart
    starts from zero, as a single process would), unless ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    if os.environ.get(ENV):
        return
    from data.config import private_dir

    folder = private_dir(state_dir, "POLICY_ATLAS_HOME") / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    os.environ[ENV] = str(folder)


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook: a dead worker's live gauges are dropped (its counters stay summed)."""
    if os.environ.get(ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


class _Metrics:
    """The metric objects, made on first use (after ``PROMETHEUS_MULTIPROC_DIR`` is known)."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.requests = Counter(
            "policy_atlas_http_requests",
            "HTTP requests by route rule, method and status",
            ["route", "method", "status"],
        )
        self.interaction = Histogram(
            "policy_atlas_interaction_seconds",
            "Seconds to answer one interaction (a Dash callback request)",
            buckets=LATENCY_BUCKETS,
        )
        self.exports = Counter(
            "policy_atlas_export_jobs",
            "Export jobs by event (started, finished, failed)",
            ["event"],
        )
        for event in EXPORT_EVENTS:  # listed at 0 from the start
            self.exports.labels(event=event)
        self.upload_bytes = Counter("policy_atlas_upload_bytes", "Bytes of uploaded table bodies")
        self.uploads = Counter("policy_atlas_uploads", "Upload requests by status", ["status"])


_metrics: _Metrics | None = None
_made = threading.Lock()


def get() -> _Metrics:
    """The metrics of this process (made once: ``callbacks.service.health.install`` makes them
    before any request; two threads must never both register them)."""
    global _metrics
    if _metrics is None:
        with _made:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


def export_job(event: str) -> None:
    get().exports.labels(event=event).inc()


def scrape() -> bytes:
    """Every metric of this service in the text format (all workers' under gunicorn)."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

    get()
    if not os.environ.get(ENV):
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)
