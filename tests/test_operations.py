"""Operating the service, on the real stack (redis-server, a Celery worker, gunicorn with two
workers): readiness with Redis frozen and stopped, /metrics summed over the workers, 404 for paths
that are not the page, request ids in headers and log lines, and bad settings as one line."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import stack as stack_harness

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ops_stack():
    with stack_harness.running_stack(web_workers=2, export_workers=1) as st:
        yield st


def _get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _count(metrics: str, route: str, status: str = "200") -> float:
    pattern = (
        r'^policy_atlas_http_requests_total\{method="GET",route="' + re.escape(route)
        + r'",status="' + status + r'"\} ([0-9.e+]+)$'
    )  # fmt: skip
    found = re.search(pattern, metrics, re.M)
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_every_worker(ops_stack):
    status, headers, body = _get(ops_stack.url + "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    before = _count(body.decode(), "/healthz")
    for _ in range(12):  # spread over both workers
        assert _get(ops_stack.url + "/healthz")[0] == 200
    _get(ops_stack.url + "/")
    text = _get(ops_stack.url + "/metrics")[2].decode()
    assert _count(text, "/healthz") == before + 12
    assert _count(text, "/") >= 1
    assert 'policy_atlas_interaction_seconds_bucket{le="0.5"}' in text
    for event in ("started", "finished", "failed"):
        assert f'policy_atlas_export_jobs_total{{event="{event}"}}' in text


def test_metrics_count_upload_bytes(ops_stack):
    body = (REPO / "data" / "policies.csv").read_bytes()
    req = urllib.request.Request(ops_stack.url + "/upload?name=p.csv", data=body, method="POST")
    try:
        urllib.request.urlopen(req, timeout=60).read()
    except urllib.error.HTTPError as err:  # refused or not: the bytes were received
        err.read()
    text = _get(ops_stack.url + "/metrics")[2].decode()
    found = re.search(r"^policy_atlas_upload_bytes_total ([0-9.e+]+)$", text, re.M)
    assert found and float(found.group(1)) == len(body)
    assert re.search(r'^policy_atlas_uploads_total\{status="\d+"\} 1\.0$', text, re.M)


def test_paths_that_are_not_the_page_are_404(ops_stack):
    for path in ("/metrcs", "/api/x", "/readyz/x", "/favicon.ico", "/data/../x"):
        status, headers, body = _get(ops_stack.url + path)
        assert status == 404, path
        assert json.loads(body)["error"] == "not found"
    for path in ("/", "/?region=440000&lang=en"):
        status, headers, body = _get(ops_stack.url + path)
        assert status == 200 and headers["Content-Type"].startswith("text/html"), path


def test_every_request_has_an_id_in_its_header_and_log_line(ops_stack):
    status, headers, _ = _get(ops_stack.url + "/healthz", {"X-Request-ID": "probe-42"})
    assert headers["X-Request-ID"] == "probe-42"
    status, headers, _ = _get(ops_stack.url + "/healthz", {"X-Request-ID": "bad id\u00e9<>"})
    made = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", made)
    time.sleep(0.5)  # the log line is written after the response
    lines = ops_stack.log("web").splitlines()
    line = next(x for x in lines if " probe-42 " in x)
    assert re.search(r"\[\d+\] probe-42 127\.0\.0\.1: GET /healthz 200", line), line
    assert any(f" {made} 127.0.0.1: GET /healthz 200" in x for x in lines)


def test_readiness_with_redis_frozen_answers_at_once(ops_stack):
    redis = ops_stack.procs["redis"]
    os.kill(redis.pid, signal.SIGSTOP)
    try:
        # a client that waits 3 s at most: the probe must not wait for Redis's 10 s
        status, _, body = _get(ops_stack.url + "/readyz", timeout=3)
        ready = json.loads(body)
        assert status == 200 and ready["ready"] is True and ready["status"] == "degraded"
        assert "did not answer within" in ready["checks"]["jobs"]["problem"]
        assert ready["degraded"] == ["exports", "uploaded tables"]
        assert _get(ops_stack.url + "/healthz", timeout=3)[0] == 200
    finally:
        os.kill(redis.pid, signal.SIGCONT)


def test_readiness_with_redis_stopped_is_degraded_not_503(ops_stack):
    redis = ops_stack.procs["redis"]
    redis.terminate()
    redis.wait(timeout=20)
    status, _, body = _get(ops_stack.url + "/readyz", timeout=5)
    ready = json.loads(body)
    assert status == 200 and ready["status"] == "degraded"
    assert ready["checks"]["jobs"]["problem"] == "Redis is not reachable"
    assert ready["checks"]["table"]["rows"] == 181


GUNICORN = [sys.executable, "-m", "gunicorn", "-c", stack_harness.GUNICORN_CONF, "app:server"]


@pytest.mark.parametrize(
    "env, line",
    [
        (
            {"POLICY_ATLAS_VIEW_CACHE_MB": "abc"},
            "Configuration: POLICY_ATLAS_VIEW_CACHE_MB='abc': expected a whole number",
        ),
        (
            {"POLICY_ATLAS_MAX_ROWS": "abc"},
            "Configuration: POLICY_ATLAS_MAX_ROWS='abc': expected a whole number",
        ),
        (
            {"POLICY_ATLAS_MAX_FILE_MB": "0"},
            "Configuration: POLICY_ATLAS_MAX_FILE_MB='0': expected a number of at least 1",
        ),
        (
            {"POLICY_ATLAS_DATA": "/nonexistent/policies.csv"},
            "Configuration: POLICY_ATLAS_DATA='/nonexistent/policies.csv': no such file",
        ),
        (
            {"DASH_URL_BASE_PATHNAME": "/a/", "POLICY_ATLAS_URL_PREFIX": "/b/"},
            "Configuration: POLICY_ATLAS_URL_PREFIX='/b/', DASH_URL_BASE_PATHNAME='/a/': these "
            "name different paths; set POLICY_ATLAS_URL_PREFIX only",
        ),
        (
            {"DASH_ASSETS_EXTERNAL_PATH": "https://cdn.example.com/"},
            "Configuration: DASH_ASSETS_EXTERNAL_PATH='https://cdn.example.com/': not supported "
            "(the page requests nothing from another host); unset it",
        ),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else None,
)
@pytest.mark.parametrize("command", ["gunicorn", "app.py"])
def test_a_bad_setting_stops_the_service_in_one_line(env, line, command, tmp_path):
    argv = GUNICORN + ["-b", "127.0.0.1:0"] if command == "gunicorn" else [sys.executable, "app.py"]
    out = subprocess.run(
        argv,
        cwd=REPO,
        env={**os.environ, "POLICY_ATLAS_HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr[-1500:]
    assert out.stderr.strip() == line


def test_dash_base_pathname_is_the_url_prefix(tmp_path):
    from tests.browser import harness

    env = {"DASH_URL_BASE_PATHNAME": "/atlas/", "POLICY_ATLAS_HOME": str(tmp_path)}
    with harness.running_app(env={**env, "POLICY_ATLAS_URL_PREFIX": "/atlas/"}) as base:
        assert _get(base + "/atlas/readyz")[0] == 200
    env_only = {**os.environ, **env}
    env_only.pop("POLICY_ATLAS_URL_PREFIX", None)
    from data.config import load

    assert load(env_only).url_prefix == "/atlas/"
