"""The export panel when the service cannot finish a job: no Celery worker, Redis down, the
diskcache folder deleted. Each ends with a message the user can read, the button usable again,
and no download — never a spinner that does not stop."""

from __future__ import annotations

import json
import shutil
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
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + "/readyz", timeout=10)
        assert err.value.code == 503
        ready = json.loads(err.value.read())
        assert ready["checks"]["jobs"] == {
            "ok": False,
            "store": "redis",
            "problem": "Redis is not reachable",
        }
        text, _ = _export_ends_with_notice(page, base + "/")
        assert "job store is not usable (Redis is not reachable)" in text


def test_cache_folder_deleted_the_page_says_so(page):
    home = Path(tempfile.mkdtemp(prefix="policy-atlas-home-"))
    try:
        with h.running_app(env={"POLICY_ATLAS_HOME": str(home)}) as base:
            shutil.rmtree(home / "cache")
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(base + "/readyz", timeout=10)
            assert json.loads(err.value.read())["checks"]["jobs"]["problem"] == (
                "its folder is missing"
            )
            text, _ = _export_ends_with_notice(page, base + "/")
            assert "job store is not usable (its folder is missing)" in text
    finally:
        shutil.rmtree(home, ignore_errors=True)
