"""No request ends in an HTTP 500: a seeded fuzz of forged payloads against the running service
(gunicorn on loopback, as ``make run`` starts it), over the callback signatures the app itself
publishes (``_dash-dependencies``) and every route (upload, remove, problems.csv, templates,
export downloads, health, assets, Dash's own). Malformed input gets a 4xx or "no update" and at
most a WARNING line; the log holds no traceback and no ERROR line.
"""

from __future__ import annotations

import json
import logging
import random
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.stack import Stack, running_stack

SEED = 25
TABLE_ID = "f" * 64
#: Values a forged payload puts where the page sends something else.
VALUES: list[Any] = [
    None, 0, 1, -1, 2**63, 1.5, float("1e308"), True, "", "x", "\x00", "<script>", "A" * 20_000,
    "?data=" + TABLE_ID, "?region=440000&from=2020", "?lang=en&view=%ff%fe", "?" + "&" * 5000,
    [], [None], [1, "a"], [{"id": 1}], {}, {"row": "x"}, {"row": 10**12}, {"row": -1},
    {"startRow": "a", "endRow": None}, {"startRow": 0, "endRow": 10**9, "sortModel": "x"},
    {"startRow": 0, "endRow": 5, "sortModel": [{"colId": None, "sort": 5}], "filterModel": []},
    {"a": {"b": [{}]}}, {"x": None, "y": [1]}, [[[[]]]],
]  # fmt: skip


@pytest.fixture(scope="module")
def service() -> Iterator[Stack]:
    with running_stack(web_workers=1, celery=False) as stack:
        yield stack


def _send(url: str, body: bytes | None, method: str = "POST", ctype: str = "application/json"):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _parsed_id(raw: str) -> Any:
    return json.loads(raw) if raw.startswith("{") else raw


def _slot(rng: random.Random, dep: dict[str, str]) -> dict[str, Any]:
    """One input or state of a payload, with a forged value (a list of them for a wildcard)."""
    cid = _parsed_id(dep["id"])
    value = rng.choice(VALUES)
    if isinstance(cid, dict):
        concrete = {k: (rng.choice(["a", "all", 1]) if isinstance(v, list) else v)
                    for k, v in cid.items()}  # fmt: skip
        if rng.random() < 0.7:
            return {
                "id": cid,
                "property": dep["property"],
                "value": [{"id": concrete, "property": dep["property"], "value": value}],
            }
        return {"id": concrete, "property": dep["property"], "value": value}
    return {"id": cid, "property": dep["property"], "value": value}


def _payload(rng: random.Random, cb: dict[str, Any]) -> Any:
    """A payload for ``cb``: its shape with forged values, or a broken shape."""
    from dash._utils import split_callback_id

    outputs = split_callback_id(cb["output"])
    inputs = [_slot(rng, d) for d in cb["inputs"]]
    state = [_slot(rng, d) for d in cb["state"]]
    body: dict[str, Any] = {
        "output": cb["output"],
        "outputs": outputs if not cb.get("no_output") else [],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs[:1] if
                           isinstance(i["id"], str)],
    }  # fmt: skip
    kind = rng.random()
    if kind < 0.65:
        return body
    breaks = [
        lambda b: b.pop("inputs"),
        lambda b: b.pop("output"),
        lambda b: b.update(inputs=b["inputs"][:-1]),
        lambda b: b.update(inputs=b["inputs"] + b["inputs"]),
        lambda b: b.update(state="x"),
        lambda b: b.update(output=b["output"] + "x"),
        lambda b: b.update(inputs=[{"id": None}] * len(b["inputs"])),
        lambda b: b.update(changedPropIds=[None, 5, "nope.nope"]),
        lambda b: b.update(inputs={"a": 1}),
        lambda b: b.update(output=12),
    ]
    rng.choice(breaks)(body)
    return body


def _callback_requests(url: str, rng: random.Random, n: int) -> Iterator[tuple[str, bytes]]:
    status, raw = _send(url + "/_dash-dependencies", None, "GET")
    assert status == 200
    # exports (background jobs) are test_exports' and the browser's own callbacks never reach it
    deps = [d for d in json.loads(raw) if not d.get("background")]
    browser = [d for d in deps if d.get("clientside_function")]
    deps = [d for d in deps if not d.get("clientside_function")] + browser[:2]
    assert len(deps) >= 5, "the app publishes its callbacks"
    target = url + "/_dash-update-component"
    for _ in range(n - 10):
        yield target, json.dumps(_payload(rng, rng.choice(deps))).encode()
    for raw_body in (
        b"",
        b"{",
        b"[]",
        b"null",
        b'"x"',
        b"\xff\xfe",
        b"{}" * 1000,
        b'{"output": {"a": 1}}',
        b'{"output": "a.b", "inputs": null}',
        b"1e999",
    ):
        yield target, raw_body  # fmt: skip


def _route_requests(url: str, rng: random.Random) -> Iterator[tuple[str, str, bytes | None]]:
    names = ["a.csv", "a.xlsx", "a.parquet", "", "../../etc/passwd", "a" * 5000 + ".csv",
             "x.exe", "%00.csv", "t.tsv"]  # fmt: skip
    bodies = [
        b"",
        b"a,b\n1,2\n",
        b"PK\x03\x04" + b"\x00" * 100,
        b"PAR1" + b"\x00" * 50 + b"PAR1",
        bytes(rng.randrange(256) for _ in range(3000)),
        "标题,日期\n测试,2020\n".encode(),
    ]
    for _ in range(40):
        maps = ["{", "[]", '{"date": 5}', "x"]
        query = f"?name={quote(rng.choice(names))}&map={quote(rng.choice(maps))}"
        query += f"&datum={rng.choice(['gcj02', 'x', ''])}"
        yield "POST", f"{url}/upload{query}", rng.choice(bodies)
    ids = [TABLE_ID, "default", "x", "..", "%2e%2e", "A" * 3000, "0" * 63, "g" * 64]
    for tid in ids:
        yield "POST", f"{url}/upload/{tid}/remove", None
        yield "GET", f"{url}/upload/{tid}/remove", None
        for only in ("", "?only=x", "?only=undated", "?only=" + "x" * 3000):
            yield "GET", f"{url}/upload/{tid}/problems.csv{only}", None
    for ext in ("csv", "xlsx", "exe", "", "csv/.."):
        yield "GET", f"{url}/upload/template.{ext}?lang={rng.choice(['en', 'zh', 'xx', ''])}", None
    for path in ("healthz", "readyz", "healthz?x=%ff", "assets/../app.py", "assets/%2e%2e/app.py",
                 "assets/nope.js", "assets/style.css", "_dash-layout", "_dash-dependencies",
                 "_dash-component-suites/dash/nope.js", "_dash-component-suites/../../x",
                 "_reload-hash", "?data=" + TABLE_ID, "?" + "region=1&" * 2000, "nope/nope",
                 "_dash-update-component", "upload", "export/x", "favicon.ico"):  # fmt: skip
        yield "GET", f"{url}/{path}", None
    yield "POST", f"{url}/_dash-layout", b"{}"
    yield "DELETE", f"{url}/upload", None


def test_forged_payloads_and_routes_never_answer_500_nor_log_a_traceback(service):
    rng = random.Random(SEED)
    statuses: Counter[int] = Counter()
    failures = []
    for target, body in _callback_requests(service.url, rng, 300):
        status, out = _send(target, body)
        statuses[status] += 1
        if status >= 500:
            failures.append((status, body[:300], out[:300]))
    for method, target, body in _route_requests(service.url, rng):
        status, out = _send(target, body, method, "application/octet-stream")
        statuses[status] += 1
        if status >= 500:
            failures.append((status, f"{method} {target[:200]}", out[:300]))
    log = service.log("web")
    print(f"forged requests: {sum(statuses.values())}, statuses: {dict(sorted(statuses.items()))}")
    assert not failures, failures[:5]
    assert "Traceback" not in log and " ERROR " not in log, log[-4000:]
    assert sum(statuses.values()) >= 400


# ----------------------------------------------------------------------------- the guard itself
def test_a_mistyped_argument_is_no_update_with_one_warning(caplog):
    from dash.exceptions import PreventUpdate

    from callbacks.service.context import guarded

    @guarded
    def cb(search: str | None, rendered: dict | None) -> str:
        return "drawn"

    assert cb("?x", None) == "drawn"
    with caplog.at_level(logging.WARNING), pytest.raises(PreventUpdate):
        cb(["not", "a", "string"], None)
    lines = [r for r in caplog.records if r.name == "policy_atlas.callbacks"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and not lines[0].exc_info
    assert "search" in lines[0].getMessage()


def test_a_bug_behind_well_typed_arguments_is_logged_at_error_with_its_traceback(caplog):
    """The bug that once went silent (a table with no placed row: IndexError deep in a query)
    is an ERROR with its traceback, not "a malformed request"."""
    from dash.exceptions import PreventUpdate

    from callbacks.service.context import guarded

    @guarded
    def cb(search: str | None) -> str:
        return [][0]

    with caplog.at_level(logging.WARNING), pytest.raises(PreventUpdate):
        cb("?region=440000")
    (line,) = [r for r in caplog.records if r.name == "policy_atlas.callbacks"]
    assert line.levelno == logging.ERROR and line.exc_info and line.exc_info[0] is IndexError


def test_the_page_says_when_an_action_failed_on_the_server():
    from layouts import ids
    from layouts.i18n import EN, ZH
    from layouts.page import page

    assert "server" in EN["request_failed"] and ZH["request_failed"]
    assert ids.PAGE_ERROR in json.dumps(page("/t/", [], []).to_plotly_json(), default=str)


def test_payload_check_accepts_what_the_renderer_sends_and_refuses_other_shapes():
    from callbacks.service.guard import payload_problem

    callbacks = {
        "..a.x...b.y@1f..": {"callback": 1, "inputs": [{"id": "c", "property": "n"}],
                             "state": [{"id": '{"g":["ALL"],"type":"s"}', "property": "v"}]},
    }  # fmt: skip
    good = {
        "output": "..a.x...b.y@1f..",
        "outputs": [{"id": "a", "property": "x"}, {"id": "b", "property": "y"}],
        "inputs": [{"id": "c", "property": "n"}],  # a property never set has no "value"
        "state": [[{"id": {"g": "all", "type": "s"}, "property": "v", "value": 1}]],
        "changedPropIds": ["c.n"],
    }
    assert payload_problem(callbacks, good) is None
    for change in ({"output": "a.x"}, {"outputs": []}, {"inputs": [{"id": "d", "property": "n"}]},
                   {"state": [[{"id": {"g": "all", "type": "t"}, "property": "v"}]]},
                   {"changedPropIds": [1]}, {"inputs": "c.n"}):  # fmt: skip
        assert payload_problem(callbacks, {**good, **change}) is not None, change
    assert payload_problem(callbacks, ["x"]) is not None


def test_a_page_that_fails_to_draw_shows_the_page_with_the_message_not_a_blank(monkeypatch):
    """A bug while drawing the first page for a link (as a table with no placed row once did in
    data/diffusion) logs an ERROR and serves the page with its error notice, never a 204."""
    from callbacks import first_paint
    from layouts import ids
    from layouts.page import page

    def broken(*_args: Any) -> Any:
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")

    monkeypatch.setattr(first_paint.interaction, "respond", broken)
    monkeypatch.setattr(first_paint, "request_search", lambda: "?region=440000")
    tree = first_paint.layout(lambda: page("/t/", [], []))()
    notice = [c for c in first_paint._components(tree) if getattr(c, "id", None) == ids.PAGE_ERROR]
    assert notice and notice[0].hidden is False and notice[0].children
