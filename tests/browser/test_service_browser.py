"""The export panel when the service cannot finish a job: no Celery worker, Redis down, the
diskcache folder deleted. Each ends with a message the user can read, the button usable again,
and no download — never a spinner that does not stop."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import harness as h

pytestmark = [pytest.mark.browser]


def _export_ends_with_notice(page, base: str, timeout_s: float = 60) -> tuple[str, float]:
    """Click 'Download chart' on the English page; the notice's text and seconds until it shows."""
    page.goto(base + "?lang=en")
    h.wait_ready(page)
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#export-menu > summary")
    t0 = time.monotonic()
    page.click("#dl-go")
    page.wait_for_function(
        "() => document.getElementById('export-notice').innerText.trim().length > 0",
        timeout=timeout_s * 1000,
    )
    took = time.monotonic() - t0
    page.wait_for_function("() => !document.getElementById('dl-go').disabled", timeout=10_000)
    assert page.is_hidden("#dl-busy")
    assert not downloads
    return page.inner_text("#export-notice"), took


def test_no_worker_answers_the_page_says_so(page, stack):
    # Same Redis, another database: no worker of the stack listens there.
    env = {"REDIS_URL": stack.redis_db(1), "POLICY_ATLAS_WORKER_TIMEOUT": "3"}
    with h.running_app(env=env) as base:
        text, took = _export_ends_with_notice(page, base + "/")
        assert "no export worker answered within 3 s" in text
        assert took < 20
        # A later click clears the old message first.
        page.click("#dl-go")
        page.wait_for_function("() => !document.getElementById('export-notice').innerText")


def test_redis_down_the_page_says_so(page):
    env = {"REDIS_URL": f"redis://127.0.0.1:{h.free_port()}/0"}  # nothing listens there
    with h.running_app(env=env) as base:
        # still ready (the page works): degraded, naming what Redis is needed for
        status, _, body = _get(base + "/readyz")
        ready = json.loads(body)
        assert status == 200 and ready["ready"] is True and ready["status"] == "degraded"
        assert ready["checks"]["jobs"] == {
            "ok": False,
            "store": "redis",
            "required": False,
            "problem": "Redis is not reachable",
            "affects": ["exports", "uploaded tables"],
        }
        text, _ = _export_ends_with_notice(page, base + "/")
        assert "job store is not usable (Redis is not reachable)" in text


def test_cache_folder_deleted_the_page_says_so(page):
    home = Path(tempfile.mkdtemp(prefix="policy-atlas-home-"))
    try:
        with h.running_app(env={"POLICY_ATLAS_HOME": str(home)}) as base:
            shutil.rmtree(home / "cache")
            status, _, body = _get(base + "/readyz")
            ready = json.loads(body)
            assert status == 200 and ready["status"] == "degraded"
            assert ready["checks"]["jobs"]["problem"] == "its folder is missing"
            assert ready["degraded"] == ["exports"]
            text, _ = _export_ends_with_notice(page, base + "/")
            assert "job store is not usable (its folder is missing)" in text
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def test_health_routes_answer_json_and_each_request_is_logged(stack):
    status, kind, body = _get(stack.url + "/healthz")
    assert status == 200 and kind.startswith("application/json")
    assert json.loads(body)["status"] == "ok"
    status, kind, body = _get(stack.url + "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["ready"] is True
    assert ready["checks"]["table"]["rows"] == 181
    assert ready["checks"]["table"]["as_of"] == "2026-11-22"
    assert ready["checks"]["jobs"] == {"ok": True, "store": "redis", "required": False}
    assert ready["status"] == "ok"
    before = stack.log("web").count("GET /healthz 200")
    for _ in range(3):
        _get(stack.url + "/healthz")
    time.sleep(0.5)
    assert stack.log("web").count("GET /healthz 200") == before + 3
    assert "gunicorn.access" not in stack.log("web")


@pytest.fixture(scope="module")
def prefixed_url():
    with h.running_app(env={"POLICY_ATLAS_URL_PREFIX": "/atlas/"}) as base:
        yield base + "/atlas/"


def test_served_under_a_url_prefix(page, prefixed_url):
    status, kind, body = _get(prefixed_url + "readyz")
    assert status == 200 and json.loads(body)["checks"]["table"]["rows"] == 181
    assert _get(prefixed_url.replace("/atlas/", "/healthz"))[0] == 404
    page.goto(prefixed_url + "?region=440000")
    h.wait_idle(page)  # every view rendered for the URL: the callbacks answer under the prefix
    assert "440000" in page.evaluate("location.search")
    topojson = page.evaluate("document.querySelector('#map .js-plotly-plot')._context.topojsonURL")
    assert topojson == "/atlas/assets/topojson/"


def test_map_layers_are_fetched_under_the_url_prefix(page, prefixed_url):
    page.goto(prefixed_url + "?region=440000")
    h.wait_idle(page)
    page.wait_for_selector("#map .js-plotly-plot")
    geojson = page.evaluate("document.querySelector('#map .js-plotly-plot').data[0].geojson")
    assert geojson.startswith("/atlas/assets/geo/")
    # the layer arrived: the provinces are drawn
    page.wait_for_function("document.querySelectorAll('#map .choroplethlocation').length >= 34")


def test_wait_ready_returns_when_the_stack_is_ready(stack):
    """What the web unit's ExecStartPost runs: exit 0 once /readyz answers 200."""
    env = {**stack.env, "POLICY_ATLAS_BIND": stack.url.removeprefix("http://")}
    out = subprocess.run(
        [sys.executable, "-m", "callbacks.service.health", "--wait-ready", "20"],
        cwd=h.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr


def test_first_requests_after_a_start_all_succeed(stack):
    """Right after gunicorn starts, many requests at once for the page's scripts (a browser's
    first load) all get 200 from either worker: none meets Dash's half-built registry."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from tests.browser.stack import running_stack

    page = _get(stack.url + "/")[2].decode()  # another server of the same install: same URLs
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert len(scripts) >= 5
    with running_stack(celery=False, probe=False) as fresh:  # no worker has had a request yet
        urls = [fresh.url + s for s in scripts] * 8
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = [r[0] for r in pool.map(_get, urls)]
        assert statuses == [200] * len(urls)
        assert "Traceback" not in fresh.log("web")
