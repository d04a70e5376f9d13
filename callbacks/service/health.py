"""The app as a service: health routes, one request log line, logging, private folders, the
signing secret. Wiring only; the settings come from ``data.config``.

- ``GET {prefix}healthz``: the process answers (JSON, always 200 while it runs).
- ``GET {prefix}readyz``: ready = the table is loaded (rows, date of the data) and the data folder
  is writable: 200, else 503 with the failing check. The job store (Redis or diskcache) is
  reported, never a 503 by itself: when it fails the answer says ``"status": "degraded"`` and
  which features it affects. Its probe is given :data:`PROBE_SECONDS`, so a frozen Redis cannot
  hold the answer. Real Flask routes: Dash's catch-all page never answers them.
- ``GET {prefix}metrics``: Prometheus text format (``callbacks.service.metrics``).
- Any other path that is not the page (``/metrcs``, ``/api/x``) is a 404, not the page.
- Every request has an id (the client's ``X-Request-ID`` if it is a plain token, else a new one),
  sent back in ``X-Request-ID``; every log line carries it with the pid and the client address.
"""

from __future__ import annotations

import json
import logging
import logging.config
import os
import re
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dash import Dash, Input, Output

from callbacks.service import background, guard, metrics, plain_json
from data.config import DASH_PATH_VARIABLES, Config, private_dir
from layouts import ids
from layouts.i18n import t

log = logging.getLogger("policy_atlas")
http_log = logging.getLogger("policy_atlas.http")

#: Libraries that log at WARNING whatever the app's level (kaleido's browser talk, the dev server's
#: own request lines, Celery's task chatter).
QUIET = ("kaleido", "choreographer", "logistro", "werkzeug", "celery", "kombu", "urllib3", "PIL")


#: Seconds the readiness probe waits for the job store (Redis or diskcache).
PROBE_SECONDS = 0.5
#: A request id a client may send (``X-Request-ID``); anything else gets a new id.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [%(process)d] %(request_id)s %(client)s: %(message)s"
)


class RequestContext(logging.Filter):
    """Adds the request id and the client address to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import g, has_request_context, request

        if has_request_context():
            record.request_id = getattr(g, "request_id", "-")
            record.client = request.remote_addr or "-"
        else:
            record.request_id = getattr(record, "request_id", "-")
            record.client = getattr(record, "client", "-")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, pid, request id, client, message (and the
    exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "request_id": getattr(record, "request_id", "-"),
            "client": getattr(record, "client", "-"),
            "message": record.getMessage(),
        }
        for key in ("method", "path", "status", "bytes", "ms", "callback"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def logging_config(config: Config) -> dict:
    """``logging.config.dictConfig`` settings (also gunicorn's ``logconfig_dict``)."""
    if config.log_format == "json":
        formatter: dict[str, Any] = {"()": JsonFormatter}
    else:
        formatter = {"format": TEXT_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request"],
        "stream": "ext://sys.stderr",
    }
    loggers: dict[str, dict] = {name: {"level": "WARNING"} for name in QUIET}
    loggers["policy_atlas"] = {"level": config.log_level}
    # gunicorn's start/stop lines stay; its access log would repeat the app's request line.
    for name, level in (("gunicorn.error", "INFO"), ("gunicorn.access", "WARNING")):
        loggers[name] = {"level": level, "handlers": ["default"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"request": {"()": RequestContext}},
        "handlers": {"default": handler},
        "root": {"level": "WARNING", "handlers": ["default"]},
        "loggers": loggers,
    }


def configure_logging(config: Config) -> None:
    logging.config.dictConfig(logging_config(config))


def prepare(config: Config) -> None:
    """Before the app is built: logging, the private folders, the Chromium for exports."""
    configure_logging(config)
    private_dir(config.home, "POLICY_ATLAS_HOME")
    private_dir(config.data_dir, "POLICY_ATLAS_DATA_DIR")
    if not config.redis_url:
        private_dir(config.cache_dir, "POLICY_ATLAS_CACHE_DIR")
    if config.chromium:
        os.environ["BROWSER_PATH"] = config.chromium  # kaleido's variable
    for name in DASH_PATH_VARIABLES:  # read into config.url_prefix; Dash refuses them beside it
        os.environ.pop(name, None)


def dash_paths(config: Config) -> dict[str, str]:
    """``Dash(...)`` arguments for serving under ``POLICY_ATLAS_URL_PREFIX``."""
    return {
        "requests_pathname_prefix": config.url_prefix,
        "routes_pathname_prefix": config.url_prefix,
    }


def secret_key(config: Config) -> str:
    """``POLICY_ATLAS_SECRET_KEY``, else a random key kept in the private data folder (0600), so
    every process of this host signs export handles alike without asking the job store."""
    if config.secret_key:
        return config.secret_key
    path = Path(config.data_dir) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def install(app: Dash, config: Config, dataset: Callable[[], Any], jobs: Any) -> None:
    """Routes, request log, secret and the export notice on a built app; ``dataset`` returns
    the table this process serves and ``jobs`` is the background manager (for ``/readyz``)."""
    server = app.server
    server.secret_key = secret_key(config)
    prefix = config.url_prefix

    @server.route(prefix + "healthz")
    def healthz():
        return {"status": "ok", "pid": os.getpid()}

    @server.route(prefix + "readyz")
    def readyz():
        body = readiness(config, dataset, jobs)
        return body, (200 if body["ready"] else 503)

    @server.route(prefix + "metrics")
    def metrics_route():
        from flask import Response

        return Response(metrics.scrape(), mimetype=None, content_type=metrics.CONTENT_TYPE)

    metrics.get()  # before any request (and before gunicorn forks)
    server.before_request(_start_clock)
    server.before_request(_not_a_page(prefix))
    server.after_request(_log_request)
    guard.install(app, config.max_response_mb * 2**20)  # no 500 for input, no huge answer
    plain_json.install(app)  # JSON answers without plotly's HTML escapes (before the size cap)
    # A new export clears the message left by the last one.
    app.clientside_callback(
        "function(a, b) { return ''; }",
        Output(background.NOTICE_ID, "children"),
        Input(ids.DL_GO, "n_clicks"),
        Input(ids.PACK_GO, "n_clicks"),
        prevent_initial_call=True,
    )
    # Dash registers its JS bundles and callbacks on the first request; under gunicorn's threads
    # a request racing that first one sees an empty registry and gets a 500 (plotly/dash#3971).
    # Do it now, before any request: with --preload, before the workers fork. As Dash's layout
    # request with no page address, so that the layout it checks is the bare page (not one drawn
    # for a view, which costs half a second of `import app`).
    with server.test_request_context(prefix + "_dash-layout"):
        server.preprocess_request()


def readiness(config: Config, dataset: Callable[[], Any], manager: Any) -> dict:
    """What ``/readyz`` answers: each check with ``ok`` and what it saw; ``ready`` needs the table
    and the data folder; a failing job store makes the status ``degraded`` with what it affects."""
    checks: dict[str, dict] = {}
    try:
        ds = dataset()
        checks["table"] = {"ok": ds.rows > 0, "rows": ds.rows, "as_of": ds.as_of, "label": ds.label}
    except Exception as exc:  # the route must answer whatever went wrong
        checks["table"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    data_ok = os.path.isdir(config.data_dir) and os.access(config.data_dir, os.W_OK)
    checks["data_dir"] = {"ok": data_ok}
    kind = "redis" if config.redis_url else "diskcache"
    problem = _probe(manager)
    checks["jobs"] = {"ok": problem is None, "store": kind, "required": False}
    ready = checks["table"]["ok"] and data_ok
    body: dict[str, Any] = {"ready": ready, "status": "ok" if ready else "not ready"}
    if problem:
        checks["jobs"]["problem"] = problem
        affects = ["exports", "uploaded tables"] if config.redis_url else ["exports"]
        checks["jobs"]["affects"] = affects
        if ready:
            body["status"] = "degraded"
        body["degraded"] = affects
    body["checks"] = checks
    return body


_probing = threading.Lock()


def _probe(manager: Any) -> str | None:
    """The job store's problem in words, or None; waits at most :data:`PROBE_SECONDS` (one probe
    at a time: while a stuck one runs, later calls say so rather than start another)."""
    if not hasattr(manager, "problem"):
        return None
    if not _probing.acquire(blocking=False):
        return f"the job store did not answer within {PROBE_SECONDS} s"
    result: list[str | None] = []

    def run() -> None:
        try:
            key = manager.problem()
            result.append(t(key, "en") if key else None)  # a key of layouts.i18n
        except Exception as exc:  # reported, never raised: the probe must answer
            result.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            _probing.release()

    worker = threading.Thread(target=run, name="readyz-probe", daemon=True)
    worker.start()
    worker.join(PROBE_SECONDS)
    if not result:
        return f"the job store did not answer within {PROBE_SECONDS} s"
    return result[0]


def _not_a_page(prefix: str) -> Callable[[], Any]:
    """A ``before_request`` hook: a path only Dash's catch-all would answer, other than the page
    itself, is a 404 (a mistyped probe must not look healthy)."""
    pages = {prefix, prefix + "index.html"}

    def check() -> Any:
        from flask import request

        rule = request.url_rule.rule if request.url_rule is not None else None
        if (rule is None or rule.endswith("<path:path>")) and request.path not in pages:
            return {"error": "not found", "path": request.path[:200]}, 404
        return None

    return check


def _start_clock() -> None:
    from flask import g, request

    g.policy_atlas_t0 = time.perf_counter()
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]


def _log_request(response):
    """One line per request: method, path, status, bytes, milliseconds (and the callback)."""
    from flask import g, request

    t0 = getattr(g, "policy_atlas_t0", None)
    ms = round((time.perf_counter() - t0) * 1000, 1) if t0 is not None else None
    extra: dict[str, Any] = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "bytes": response.calculate_content_length(),
        "ms": ms,
    }
    line = f"{request.method} {request.path} {response.status_code} {extra['bytes']} B {ms} ms"
    if request.path.endswith("_dash-update-component"):
        body = request.get_json(silent=True, cache=True)
        extra["callback"] = str(body.get("output", "") if isinstance(body, dict) else "")[:120]
        line += f" {extra['callback']}"
    http_log.info(line, extra=extra)
    response.headers["X-Request-ID"] = getattr(g, "request_id", "-")
    _count(request, response, ms)
    return response


def _count(request: Any, response: Any, ms: float | None) -> None:
    """The request in the metrics: by route rule and status; a callback's time; upload bytes."""
    m = metrics.get()
    rule = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    m.requests.labels(route=rule, method=request.method, status=str(response.status_code)).inc()
    if rule.endswith("_dash-update-component") and ms is not None:
        m.interaction.observe(ms / 1000)
    if request.method == "POST" and rule.endswith("/upload"):
        m.upload_bytes.inc(request.content_length or 0)
        m.uploads.labels(status=str(response.status_code)).inc()


def wait_ready(config: Config, timeout: float) -> int:
    """Poll ``/readyz`` at ``POLICY_ATLAS_BIND`` until it answers 200 (exit status 0) or
    ``timeout`` seconds pass (1): systemd's ``ExecStartPost``, so "started" means ready."""
    import urllib.error
    import urllib.request

    if config.bind.startswith(("unix:", "fd://")):
        return 0
    host, _, port = config.bind.rpartition(":")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "[::]") else host
    url = f"http://{host}:{port}{config.url_prefix}readyz"
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return 0
        except urllib.error.HTTPError as err:
            last = f"{err.code}: {err.read()[:300].decode(errors='replace')}"
        except OSError as exc:
            last = str(exc)
        time.sleep(1)
    print(f"{url} not ready after {timeout:.0f} s: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    import argparse

    from data.config import load

    parser = argparse.ArgumentParser(description="Wait until the service's /readyz answers 200.")
    parser.add_argument("--wait-ready", type=float, metavar="SECONDS", required=True)
    sys.exit(wait_ready(load(), parser.parse_args().wait_ready))
