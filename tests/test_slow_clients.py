"""Slow clients do not stall the service (issue 25 items 4, 6): on gunicorn as ``make run``
starts it (three workers of four threads, loopback), 20 clients sending an upload body at
~100 B/s leave /healthz answering, and each slow upload ends with a message (429 refused at
once, or 408 cut for its rate) instead of holding a thread. No timing assertion: the probes must
answer (each within the client's 15 s), the figures are printed (and measured by the soak)."""

from __future__ import annotations

import json

import pytest

from tests.bench import soak
from tests.browser.stack import running_stack


@pytest.fixture(scope="module")
def service():
    with running_stack(web_workers=3, celery=False) as stack:
        yield stack


def test_twenty_slow_uploads_leave_health_probes_answering(service):
    figures = soak.slow_clients(service, n=20, seconds=20)
    print(json.dumps(figures))
    assert figures["health_probes"] >= 20 and figures["health_failed"] == 0
    ends = figures["slow_upload_ends"]
    assert set(ends) <= {"429", "408"} and sum(ends.values()) == 20, ends
    assert ends.get("429", 0) >= 10  # the cap answers at once
    log = service.log("web")
    at = log.find("Traceback")
    assert at < 0, log[max(0, at - 300) : at + 3000]
    assert "upload of 'slow.csv' refused: another upload from you" in log  # all on 127.0.0.1


def test_a_whole_upload_still_goes_through_after_the_slow_ones(service):
    body = (soak.FIXTURES / "messy_gbk.csv").read_bytes()
    status, out, _ = soak.upload(service.url, "after.csv", body)
    assert status == 200 and json.loads(out)["rows"] == 12


def test_the_intake_caps_uploads_per_client_and_in_total():
    from callbacks.intake import Intake

    intake = Intake(at_once=2, min_kbps=32)
    assert intake.admit("a") is None
    assert "another upload from you" in (intake.admit("a") or "")
    assert intake.admit("b") is None
    assert "too many uploads at once" in (intake.admit("c") or "")
    intake.release("a")
    assert intake.admit("c") is None and intake.admit("a") is not None


def test_behind_a_proxy_on_this_host_the_client_is_the_address_it_forwards():
    from types import SimpleNamespace

    from callbacks.intake import client_address

    def req(addr: str, xff: str = "") -> SimpleNamespace:
        return SimpleNamespace(remote_addr=addr, headers={"X-Forwarded-For": xff} if xff else {})

    assert client_address(req("127.0.0.1", "1.2.3.4, 10.0.0.9")) == "10.0.0.9"
    assert client_address(req("127.0.0.1")) == "127.0.0.1"
    assert client_address(req("8.8.8.8", "1.2.3.4")) == "8.8.8.8"  # not a proxy of ours
