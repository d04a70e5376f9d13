"""Driving an upload's parse job as the page does (w/jobs): the ``upload`` route answers 202 with a
job, and the page runs the background callback ``callbacks.upload.parse_job`` through Dash's
endpoint, polling it until it ends. Real service (``tests.browser.stack``), real job machinery
(Celery or the diskcache manager's subprocess), real bounded child; no mocks."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from layouts import ids

END = f"{ids.UPLOAD_JOB_END}.data"


def _json(url: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, None


def start(base: str, job: dict, search: str = "") -> tuple[dict, dict]:
    """Start the job of the 202 answer ``job``: (the request body, the first answer)."""
    _, deps = _json(f"{base}/_dash-dependencies")
    dep = next(d for d in deps if END in d["output"])
    parts = [
        {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
        for part in dep["output"].strip(".").split("...")
    ]
    outputs: Any = parts if dep["output"].startswith("..") else parts[0]  # one output: no list
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": ids.UPLOAD_JOB, "property": "data", "value": job}],
        "changedPropIds": [f"{ids.UPLOAD_JOB}.data"],
        "state": [{"id": ids.URL, "property": "search", "value": search}],
    }
    status, first = _json(f"{base}/_dash-update-component", body)
    assert status == 200 and first and "cacheKey" in first, (status, first)
    return body, first


def poll(base: str, body: dict, first: dict, seen: list | None = None, limit_s: float = 900):
    """Poll the job until it ends: its last answer; each progress shown appended to ``seen``."""
    url = f"{base}/_dash-update-component?cacheKey={first['cacheKey']}&job={first['job']}"
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        status, answer = _json(url, body)
        assert status in (200, 204), f"the job's poll answered {status}"
        if status == 204 or answer is None:
            return {}
        if seen is not None and answer.get("progress"):
            seen.append(answer["progress"])
        if "response" in answer or "sideUpdate" in answer:
            return answer
        time.sleep(0.3)
    raise AssertionError("the upload job did not end in time")


def outcome(final: dict) -> dict:
    """``{"search": the URL it opened (None: none), "end": what the page's script is told}``."""
    response, side = final.get("response") or {}, final.get("sideUpdate") or {}
    end = (response.get(ids.UPLOAD_JOB_END) or side.get(ids.UPLOAD_JOB_END) or {}).get("data")
    return {"search": (end or {}).get("search"), "end": end or {}}


def run(base: str, answer: dict, search: str = "", seen: list | None = None) -> dict:
    """The 202 ``answer``'s job run to its end (:func:`outcome`)."""
    body, first = start(base, {"job": answer["job"], "id": answer["id"]}, search)
    return outcome(poll(base, body, first, seen))


def texts(progress: dict) -> str:
    """The words of one progress answer (both languages)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            walk(node.get("props", {}).get("children"))
            for v in node.values():
                if isinstance(v, (dict, list)) and v is not node.get("props"):
                    walk(v)

    walk(progress)
    return " ".join(found)
