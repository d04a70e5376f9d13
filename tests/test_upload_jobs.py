"""Uploads as background jobs (issue 25 item 4, w/jobs), on a running service (gunicorn, two
workers, diskcache jobs): the request only receives the file (202 and a job), the page's
background callback parses it in the bounded child, showing its stage and rows read; it ends as
the synchronous upload did, or in its message; a job process killed mid-parse leaves a clear
message and no file behind. Real service, real job, real child processes; waits for states."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import psutil
import pytest

from tests import bombs, upload_jobs
from tests.bench import soak
from tests.browser.stack import running_stack


@pytest.fixture(scope="module")
def service():
    with running_stack(web_workers=2, celery=False) as stack:
        yield stack


def _send(service, name: str, body: bytes) -> tuple[int, dict]:
    status, out, _ = soak.http(f"{service.url}/upload?name={name}", body)
    return status, json.loads(out or b"{}")


def _incoming(service) -> list[str]:
    """What upload jobs keep in the service's incoming folders (their files, progress)."""
    return sorted(
        p.name for p in Path(service.home).rglob("incoming/*") if not p.name.startswith(".")
    )


def _rows(texts: list[str]) -> list[int]:
    return [int(m.replace(",", "")) for t in texts for m in re.findall(r"([\d,]+) rows", t)]


def test_a_job_shows_its_progress_and_ends_as_the_synchronous_upload(service, tmp_path):
    body = bombs.big_xlsx(60_000)
    status, answer = _send(service, "big.xlsx", body)
    assert status == 202 and answer["job"] and answer["owner"] and len(answer["id"]) == 64
    seen: list = []
    done = upload_jobs.run(service.url, answer, "?lang=en", seen)
    words = [upload_jobs.texts(p) for p in seen]
    read = _rows(words)
    assert any("Reading:" in w for w in words) and any("正在读取" in w for w in words), words
    assert len(set(read)) >= 2 and read == sorted(read), words  # the rows read go up
    assert done["search"] == f"?lang=en&data={answer['id']}"
    assert done["end"]["id"] == answer["id"] and done["end"]["rows"] == 60_000
    # the same file uploaded in the request (the synchronous path): the same table
    from data import config as settings
    from data.uploads import Uploads

    sync = Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path)})).ingest("big.xlsx", body)
    assert (sync.rows, sync.problems) == (done["end"]["rows"], done["end"].get("problems", 0))
    meta_status, meta, _ = soak.http(f"{service.url}/upload/{answer['id']}/problems.csv")
    assert meta_status == 200
    assert _incoming(service) == []


def test_an_over_budget_file_ends_in_its_message():
    gbk = (Path(__file__).parent / "fixtures" / "messy_gbk.csv").read_bytes()
    big = gbk * (4_000_000 // len(gbk))  # about 4 MB, ~50 k rows: over a 40 MB budget
    with running_stack(celery=False, env={"POLICY_ATLAS_PARSE_MEMORY_MB": "40"}) as tight:
        status, answer = _send(tight, "big.csv", big)
        assert status == 202
        done = upload_jobs.run(tight.url, answer)
        assert done["search"] is None
        assert "more than the memory limit of 40 MB" in done["end"]["error"], done
        assert "nothing was stored" in done["end"]["error"]
        assert _incoming(tight) == []
        assert "Traceback" not in tight.log("web")


def _job_process(service) -> psutil.Process:
    """The diskcache job process parsing an upload: a child of a web worker that is neither the
    forkserver nor the resource tracker."""
    web = psutil.Process(service.procs["web"].pid)
    for worker in web.children():
        for child in worker.children():
            line = " ".join(child.cmdline())
            if "forkserver" not in line and "resource_tracker" not in line:
                return child
    raise AssertionError("no job process")


def test_a_job_killed_mid_parse_says_so_and_leaves_no_file(service):
    status, answer = _send(service, "killed.xlsx", bombs.big_xlsx(400_000))
    assert status == 202
    body, first = upload_jobs.start(service.url, {"job": answer["job"], "id": answer["id"]})
    seen: list = []
    deadline = time.monotonic() + 300
    url = f"{service.url}/_dash-update-component?cacheKey={first['cacheKey']}&job={first['job']}"
    while not any(_rows([upload_jobs.texts(p)]) for p in seen[-1:]):  # until rows are read
        assert time.monotonic() < deadline, "no progress"
        _, answer_now = upload_jobs._json(url, body)
        if answer_now and answer_now.get("progress"):
            seen.append(answer_now["progress"])
        time.sleep(0.3)
    os.kill(_job_process(service).pid, signal.SIGKILL)
    done = upload_jobs.outcome(upload_jobs.poll(service.url, body, first))
    assert done["end"].get("lost") is True and done["search"] is None, done
    deadline = time.monotonic() + 30
    while _incoming(service) and time.monotonic() < deadline:  # the child's watcher removes them
        time.sleep(0.5)
    assert _incoming(service) == []
    log = service.log("web")
    assert "upload job" in log and "ended without an answer" in log
