"""One guard in front of every request, so none ends in an HTTP 500 for input it was given.

- A callback request (``_dash-update-component``) whose payload does not have the shape of the
  callback it names (the outputs, inputs and state the app publishes in ``_dash-dependencies``,
  in that order, with those ids and properties) is answered 400 with one WARNING line before Dash
  sees it. Inside a callback, :func:`callbacks.service.context.guarded` checks the values' types.
- Anything raised past these checks is a bug: its traceback goes to the log at ERROR and the
  client gets a short JSON message (500), never a traceback.
- A response larger than ``POLICY_ATLAS_MAX_RESPONSE_MB`` is not sent: the client gets 507 with a
  message, the log one ERROR line naming the path and the size.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from dash import Dash
from dash.exceptions import DependencyException

log = logging.getLogger("policy_atlas.guard")
UPDATE = "_dash-update-component"


def install(app: Dash, max_response_bytes: int) -> None:
    """The payload check, the error handler and the response size cap on ``app``'s server."""
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"

    def check_payload() -> Any:
        from flask import request

        if request.method != "POST" or request.path != prefix + UPDATE:
            return None
        body = request.get_json(silent=True, cache=True)
        problem = payload_problem(app.callback_map, body)
        if problem is None:
            return None
        log.warning("refused a malformed callback request: %s", problem[:200])
        return {"error": f"malformed callback request: {problem[:200]}"}, 400

    def failed(exc: Exception) -> Any:
        from flask import request
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        if isinstance(exc, DependencyException):  # a script Dash does not serve
            log.warning("%s %s: %s", request.method, request.path[:200], str(exc)[:200])
            return {"error": "not found"}, 404
        log.error("%s %s failed", request.method, request.path[:200], exc_info=exc)
        return {"error": "the server could not complete this request; the error was logged"}, 500

    def capped(response: Any) -> Any:
        from flask import request

        size = response.calculate_content_length()
        if size is None or size <= max_response_bytes:
            return response
        log.error("response of %d bytes to %s %s not sent (limit %d bytes)", size,
                  request.method, request.path[:200], max_response_bytes)  # fmt: skip
        mb = max_response_bytes / 2**20
        return server.response_class(
            json.dumps({"error": f"the answer would exceed the limit of {mb:g} MB; not sent"}),
            status=507,
            mimetype="application/json",
        )

    server.before_request_funcs.setdefault(None, []).insert(0, check_payload)
    server.register_error_handler(Exception, failed)
    server.after_request(capped)


def payload_problem(callbacks: dict[str, Any], body: Any) -> str | None:
    """What makes ``body`` not a request for one of ``callbacks`` (Dash's ``callback_map``)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return "no callback has this output"
    cb = callbacks[output]
    if "callback" not in cb:
        return "this callback runs in the browser"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of strings"
    for key in ("inputs", "state"):
        problem = _slots_problem(key, body.get(key, []), cb.get(key, []))
        if problem:
            return problem
    if cb.get("no_output"):
        return None
    from dash._utils import split_callback_id

    expected = split_callback_id(output)
    got = body.get("outputs")
    if isinstance(expected, dict):  # one output: the renderer sends it alone (or nothing)
        if got in (None, []):
            return None
        expected, got = [expected], [got]
    return _slots_problem("outputs", got, expected)


def _slots_problem(key: str, got: Any, want: list[dict]) -> str | None:
    if not isinstance(got, list) or len(got) != len(want):
        return f"{key}: not a list of {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        pattern = _pattern(w["id"])
        if isinstance(g, list):  # a wildcard (ALL): one entry per component
            ok = pattern is not None and all(_slot_ok(e, w, pattern) for e in g)
        else:
            ok = _slot_ok(g, w, pattern)
        if not ok:
            return f"{key}[{i}] is not {w['id']}.{w['property']}"[:200]
    return None


def _pattern(cid: Any) -> dict | None:
    if isinstance(cid, dict):
        return cid
    if isinstance(cid, str) and cid.startswith("{"):
        try:
            parsed = json.loads(cid)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _slot_ok(g: Any, w: dict, pattern: dict | None) -> bool:
    if not isinstance(g, dict) or not isinstance(g.get("property"), str):
        return False
    if g["property"].split("@")[0] != w["property"].split("@")[0]:
        return False
    gid = g.get("id")
    if pattern is None:
        return gid == w["id"]
    if not isinstance(gid, dict) or gid.keys() != pattern.keys():
        return False
    return all(
        isinstance(v, list) or gid[k] == v  # wildcards (["ALL"], ["MATCH"]) match any value
        for k, v in pattern.items()
    ) and all(isinstance(v, str | int | float | bool) for v in gid.values())
