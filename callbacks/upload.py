"""Your own table: the upload routes (plain Flask: the file is the request body, sent with
progress by ``assets/upload.js``) and the callbacks that show which table a view has and its check
report. Wiring only: ``data.uploads`` checks, parses and stores.

- ``POST {prefix}upload?name=FILE[&map=JSON][&datum=gcj02]``: the request only receives the
  file: 202 with a ``job`` (the parse runs as a background job, ``parse_job``, in the bounded
  child, its stage and rows read shown in the page; then the table opens, or the refusal is
  said, with the ``columns`` to choose from when a needed column was not recognised), 200 with
  the table's id when this owner uploaded the same file already, or an ``error`` (400; 413 over
  the size limit; 429 too many at once, counted across workers, 408 too slow:
  ``callbacks.intake``). Nothing is stored unless the table is usable.
- ``GET {prefix}upload/template.(csv|xlsx)?lang=zh|en``: the template.
- ``GET {prefix}upload/<id>/problems.csv``: the check report of a stored table.
- ``POST {prefix}upload/<id>/remove`` and ``upload/<id>/pin?on=1|0``: for the table's owner only
  (the ``X-Owner`` header: the secret the upload answered with, which the uploader's browser keeps
  in its storage and which no link carries); 403 for anyone else.
- ``GET {prefix}upload/token``: a CSRF token (bound to the client's address, valid for a day).
  Every POST must carry it (``X-CSRF-Token``) and come from this app's own origin (``Origin`` or
  ``Referer``, when the browser sends one): a page on another site can neither upload nor remove.
- ``POST {prefix}upload/<id>/reread`` (body: the reading options as JSON, the column panel's
  choices): the table read again from its stored original; the new reading's id (200) or an
  ``error`` (400: the previous reading stays).
There is deliberately no route that lists tables.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import replace
from typing import Any

from dash import (
    ALL,
    Dash,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
)
from dash.exceptions import PreventUpdate

from callbacks import reconcile
from callbacks.intake import Intake, client_address, stop_reading
from callbacks.service import background
from callbacks.service.context import guarded, store, why_gone
from data.check import GROUPS, CheckReport
from data.dataset import DatasetUnavailable
from data.read_options import ReadOptions
from data.state import ViewState, encode_query, parse_query
from data.uploads import Uploads, problems_csv, template_bytes
from layouts import ids, reconcile_panel, upload_panel
from layouts.i18n import t

log = logging.getLogger("policy_atlas.upload")
_uploads: Uploads | None = None
#: What a route answers when the upload store does not answer (it may hold the table).
UNREACHABLE = {"error": "the table store cannot be reached right now; please try again later"}


OWNER_HEADER = "X-Owner"
TOKEN_HEADER = "X-CSRF-Token"
TOKEN_TTL_S = 86400
REFUSED = {"error": "refused: this request did not come from this app's page; reload the page"}


def make_token(key: bytes, client: str, now: float | None = None) -> str:
    """A CSRF token for ``client``: the time it was made and an HMAC of it and the address."""
    stamp = str(int(time.time() if now is None else now))
    mac = hmac.new(key, f"csrf\0{stamp}\0{client}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{stamp}.{mac}"


def token_ok(key: bytes, client: str, token: str | None) -> bool:
    stamp, _, _mac = (token or "").partition(".")
    if not stamp.isdigit() or not 0 <= time.time() - int(stamp) <= TOKEN_TTL_S:
        return False
    return hmac.compare_digest(make_token(key, client, int(stamp)), token or "")


def same_origin(request: Any) -> bool:
    """Whether the request comes from this app's own pages: ``Origin`` (or else ``Referer``),
    when the client sends one, names this host (a client that sends neither is not a browser
    on another site: the token decides)."""
    from urllib.parse import urlsplit

    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value:
            return urlsplit(value).netloc == request.host
    return request.headers.get("Sec-Fetch-Site") != "cross-site"


def _checked(key: bytes) -> tuple[dict, int] | None:
    """None for a POST from this app's page with a valid token, else the refusal (403)."""
    from flask import request

    if not same_origin(request) or not token_ok(
        key, client_address(request), request.headers.get(TOKEN_HEADER)
    ):
        log.info("refused a state-changing request to %s (origin or token)", request.path[:80])
        return REFUSED, 403
    return None


def _upload_response(uploads: Uploads, intake: Intake) -> tuple[dict, int]:
    from flask import request

    name = request.args.get("name", "")
    limit = uploads.max_bytes
    too_big = {"error": f"{name}: over the upload limit of {uploads.config.upload_max_mb} MB"}
    sock = request.environ.get("gunicorn.socket")
    if request.content_length is not None and request.content_length > limit:
        stop_reading(sock)  # the body is not drained
        return too_big, 413
    client = client_address(request)
    try:
        refused = intake.admit(client)
    except Exception as exc:  # the store counting uploads did not answer (Redis down)
        stop_reading(sock)
        log.warning("upload of %r: the store does not answer: %s", name[:80], str(exc)[:200])
        return {"error": f"{name}: {UNREACHABLE['error']}"}, 503
    if refused:  # slow or many clients do not hold every thread (callbacks.intake)
        stop_reading(sock)
        log.warning("upload of %r refused: %s", name[:80], refused)
        return {"error": f"{name}: {refused}; nothing was stored"}, 429
    try:
        body, why = intake.read(request, limit)
    finally:
        intake.release(client)
    if why == "slow":
        log.warning("upload of %r cut: slower than %d KB/s", name[:80], intake.min_rate >> 10)
        return {"error": f"{name}: the file arrived too slowly (under {intake.min_rate >> 10} "
                         "KB/s); nothing was stored"}, 408  # fmt: skip
    if body is None:
        log.info("upload of %r interrupted; nothing stored", name[:80])
        return {"error": "the upload was interrupted; nothing was stored"}, 400
    if len(body) > limit:
        stop_reading(sock)
        return too_big, 413
    try:
        mapping = json.loads(request.args.get("map") or "{}")
        mapping = {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else {}
    except ValueError:
        mapping = {}
    try:
        out = uploads.ingest(
            name,
            body,
            mapping,
            request.args.get("datum", "wgs84"),
            owner=request.headers.get(OWNER_HEADER),
            client=client,
            defer=True,
        )
    except DatasetUnavailable:  # logged once by data.uploads
        return {"error": f"{name}: {UNREACHABLE['error']}"}, 503
    except Exception as exc:  # the page gets a message, the log one line, never a traceback
        log.warning("upload of %r failed: %s: %s", name[:80], type(exc).__name__, str(exc)[:200])
        return {"error": f"{name}: the file could not be read or stored; nothing was stored"}, 400
    if out.error:
        log.info("upload of %r refused: %s", name[:80], out.error[:200])
        return out.as_dict(), 400
    if out.job:  # parsed by a job (parse_job): the page follows its progress
        log.info("upload of %r received: %d bytes, job %s", name[:80], len(body), out.job[:8])
        return out.as_dict(), 202
    log.info("upload stored: %d rows, %d problems, %.3f s", out.rows, out.problems, out.seconds)
    return out.as_dict(), 200


@callback(
    # Not the URL itself: a callback that writes it holds every view's callback while it runs;
    # the page's script opens the new table (``search``) when the job has ended.
    Output(ids.UPLOAD_JOB_END, "data"),
    Input(ids.UPLOAD_JOB, "data"),
    State(ids.URL, "search"),
    background=True,
    progress=[Output(ids.UPLOAD_JOB_STATUS, "children")],
    running=[(Output(ids.UPLOAD_CANCEL, "hidden"), False, True)],
    cancel=[Input(ids.UPLOAD_CANCEL, "n_clicks")],
    prevent_initial_call=True,
)
@guarded
def parse_job(set_progress: Any, job: dict | None, search: str | None) -> dict:
    """An upload's parse as a background job (``Uploads.finish``, in the bounded child): its
    stage and rows read shown as it runs; then the new table's view (``search``: the URL's
    query with its id, which ``assets/upload.js`` opens), or how it was refused (the script says
    it, and offers the mapping step when a column was not recognised)."""
    job_id = str(job.get("job") or "") if isinstance(job, dict) else ""
    if not job_id or _uploads is None:
        raise PreventUpdate
    uploads, t0 = _uploads, time.monotonic()

    def tick() -> None:
        report = uploads.progress(job_id)
        set_progress([upload_panel.job_progress(report, time.monotonic() - t0)])

    tick()
    try:
        out = uploads.finish(job_id, on_tick=tick)
    except DatasetUnavailable:
        return {"job": job_id, "status": 503}
    if out.error or not out.id:
        log.info("upload job %s refused: %s", job_id[:8], (out.error or "")[:200])
        return {"job": job_id, **out.as_dict()}
    log.info("upload job %s stored: %d rows, %d problems, %.3f s", job_id[:8], out.rows,
             out.problems, out.seconds)  # fmt: skip
    state = parse_query(search if isinstance(search, str) else None)
    return {"job": job_id, **out.as_dict(), "search": encode_query(replace(state, data=out.id))}


def _job_lost(key: str, body: dict) -> dict:
    """A parse job that ended without an answer (its process killed): its files removed, and
    the page told (``assets/upload.js``)."""
    inputs = body.get("inputs") or []
    job = next((i.get("value") for i in inputs if isinstance(i, dict)
                and i.get("id") == ids.UPLOAD_JOB), None)  # fmt: skip
    job_id = str(job.get("job") or "") if isinstance(job, dict) else ""
    if _uploads is not None and job_id:
        _uploads.drop_job(job_id)
    log.error("upload job %s ended without an answer (%s)", job_id[:8], key)
    return {ids.UPLOAD_JOB_END: {"data": {"job": job_id, "lost": True}}}


background.NOTICE_TARGETS[ids.UPLOAD_JOB_END] = _job_lost

# The job's end said by the page's script (assets/upload.js: the message, the mapping step).
clientside_callback(
    """function(end) {
        var api = window.policyAtlasUpload;
        if (end && api) { api.ended(end); }
        return window.dash_clientside.no_update;
    }""",
    Output(ids.UPLOAD_JOB_STATUS, "title"),
    Input(ids.UPLOAD_JOB_END, "data"),
    prevent_initial_call=True,
)


#: the largest reading-options body a re-read accepts (a few hundred columns' roles)
MAX_OPTIONS_BYTES = 64 * 1024


def _reread_response(uploads: Uploads, table_id: str) -> tuple[dict, int]:
    """The column panel's choices applied: read the stored original again with them."""
    from flask import request

    kept = "the previous reading is kept"
    body = request.get_data(cache=False)[: MAX_OPTIONS_BYTES + 1]
    if len(body) > MAX_OPTIONS_BYTES:
        return {"error": f"the choices are too long; {kept}"}, 413
    try:
        options = ReadOptions.from_json(body.decode("utf-8", "replace"))
    except ValueError as exc:
        return {"error": f"{exc}; {kept}"}, 400
    try:
        out = uploads.reread(
            table_id,
            options,
            owner=request.headers.get(OWNER_HEADER),
            client=client_address(request),
        )
    except DatasetUnavailable:
        return {"error": UNREACHABLE["error"]}, 503
    except Exception as exc:  # one log line, a message, never a traceback
        log.warning("re-read of %s failed: %s: %s", table_id[:12], type(exc).__name__,
                    str(exc)[:200])  # fmt: skip
        return {"error": f"the table could not be read again; {kept}"}, 400
    if out.error:  # the loader's line names the choice as --columns does
        return {"error": f"{out.error.removeprefix('--columns ')}; {kept}"}, 400
    log.info("table re-read: %d rows, %d problems, %.3f s", out.rows, out.problems, out.seconds)
    return out.as_dict(), 200


def install(app: Dash, uploads: Uploads, key: str | bytes = b"") -> None:
    """The upload routes on ``app``'s server; the panel's callbacks read from ``uploads``.
    ``key``: the server's signing key (CSRF tokens)."""
    global _uploads
    _uploads = uploads
    reconcile.install(app, uploads)
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"
    key = (key.encode() if isinstance(key, str) else key) or uploads.secret or b"policy-atlas"

    intake = Intake(uploads.config.uploads_at_once, uploads.config.upload_min_kbps, uploads.slots())

    @server.post(prefix + "upload")
    def upload():
        return _checked(key) or _upload_response(uploads, intake)

    @server.get(prefix + "upload/token")
    def token():
        from flask import request

        return (
            {"token": make_token(key, client_address(request))},
            200,
            {"Cache-Control": "no-store"},
        )

    @server.get(prefix + "upload/template.<ext>")
    def template(ext: str):
        from flask import Response, abort, request

        if ext not in ("csv", "xlsx"):
            abort(404)
        lang = "en" if request.args.get("lang") == "en" else "zh"
        mime = (
            "text/csv"
            if ext == "csv"
            else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        name = f"policy-atlas-template-{lang}.{ext}"
        disposition = {"Content-Disposition": f"attachment; filename={name}"}
        return Response(template_bytes(lang, ext), mimetype=mime, headers=disposition)

    @server.get(prefix + "upload/<table_id>/problems.csv")
    def problems(table_id: str):
        from flask import Response, abort, request

        group = request.args.get("only")
        if table_id == DEFAULT:
            body = store().default.report.csv(group)
        else:
            try:
                meta = uploads.meta(table_id)
            except DatasetUnavailable:
                return UNREACHABLE, 503
            if meta is None:
                abort(404)
            body = problems_csv(meta, group)
        disposition = {"Content-Disposition": "attachment; filename=problems.csv"}
        return Response(body, mimetype="text/csv", headers=disposition)

    @server.post(prefix + "upload/<table_id>/reread")
    def reread(table_id: str):
        return _checked(key) or _reread_response(uploads, table_id)

    @server.post(prefix + "upload/<table_id>/remove")
    def remove(table_id: str):
        return _checked(key) or _owner_action(uploads, table_id, "remove")

    @server.post(prefix + "upload/<table_id>/pin")
    def pin(table_id: str):
        return _checked(key) or _owner_action(uploads, table_id, "pin")


#: What an owner action's outcome answers (``Uploads.remove`` / ``Uploads.pin``).
STATUS = {"removed": 200, "pinned": 200, "unpinned": 200, "forbidden": 403, "missing": 404}


def _owner_action(uploads: Uploads, table_id: str, action: str) -> tuple[dict, int]:
    from flask import request

    owner = request.headers.get(OWNER_HEADER)
    try:
        if action == "remove":
            outcome = uploads.remove(table_id, owner)
        else:
            outcome = uploads.pin(table_id, owner, request.args.get("on", "1") != "0")
    except DatasetUnavailable:
        return UNREACHABLE, 503
    log.info("upload %s: %s", action, outcome)
    return {"outcome": outcome, "removed": outcome == "removed"}, STATUS[outcome]


PANEL = {
    "table": Output(ids.UPLOAD_TABLE, "children"),
    "banner": Output(ids.UPLOAD_BANNER, "children"),
    "banner_hidden": Output(ids.UPLOAD_BANNER_BOX, "hidden"),
    "dismiss_hidden": Output(ids.UPLOAD_DISMISS, "hidden"),
    "remove_hidden": Output(ids.UPLOAD_REMOVE, "hidden"),
    "report_hidden": Output(ids.UPLOAD_PROBLEMS, "hidden"),
    "title": Output(ids.UPLOAD_PROBLEMS_TITLE, "children"),
    "columns": Output(ids.UPLOAD_PROBLEMS_GRID, "columnDefs"),
    "pilots_style": Output(ids.PILOTS, "style"),
    "colpanel": Output(ids.UPLOAD_COLUMNS, "children"),
    "colpanel_hidden": Output(ids.UPLOAD_COLUMNS, "hidden"),
    # reconciliation of unplaced names (layouts/reconcile_panel.py, callbacks/reconcile.py)
    "reconcile_summary": Output(ids.RECONCILE_SUMMARY, "children"),
    "reconcile_hidden": Output(ids.RECONCILE, "hidden"),
    "reconcile_list": Output(ids.RECONCILE_LIST, "children"),
    "reconcile_names": Output(ids.RECONCILE_NAMES, "data"),
    "reconcile_applied_hidden": Output(ids.RECONCILE_APPLIED, "hidden"),
    "reconcile_applied_text": Output(ids.RECONCILE_APPLIED_TEXT, "children"),
    "reconcile_csv": Output(ids.RECONCILE_CSV, "href"),
    "reconcile_status": Output(ids.RECONCILE_STATUS, "children"),
    "reconcile_apply_hidden": Output(ids.RECONCILE_APPLY, "hidden"),
}
#: The check report's name in links (``upload/<id>/problems.csv``) for the default table.
DEFAULT = "default"


def _report(state: ViewState) -> tuple[CheckReport | None, dict | None]:
    """The check report of the table ``state`` views and, for an uploaded table, its record
    (None, None: the store no longer holds it). Raises DatasetUnavailable (store down)."""
    if not state.data:
        return store().default.report, None
    meta = _uploads.meta(state.data) if _uploads is not None else None
    return (CheckReport.from_record(meta), meta) if meta is not None else (None, None)


@callback(
    # A new table or language comes with the views (``callbacks.interaction`` sends ``panel``
    # when they change); this answers the banner's dismissal.
    output={
        k: Output(o.component_id, o.component_property, allow_duplicate=True)
        for k, o in PANEL.items()
    },
    inputs={"dismissed": Input(ids.UPLOAD_DISMISSED, "data")},
    state={"search": State(ids.URL, "search")},
    prevent_initial_call=True,
)
@guarded
def panel(search: str | None, dismissed: list | None) -> dict[str, Any]:
    """Which table the view shows, its banner and its check report: an uploaded table's, and the
    default table's when it has problems (a ``--data`` table's, as ``--check`` lists them)."""
    return panel_for(parse_query(search if isinstance(search, str) else None), dismissed)


def panel_for(state: ViewState, dismissed: list | None) -> dict[str, Any]:
    """``panel`` of a view already read from its URL (``state``, as the link says)."""
    lang = state.lang
    out: dict[str, Any] = {
        "table": "", "banner": "", "banner_hidden": True, "dismiss_hidden": True,
        "remove_hidden": True, "report_hidden": True, "title": "", "columns": [],
        "pilots_style": {}, "colpanel": [], "colpanel_hidden": True,
        **reconcile_panel.empty(),
    }  # fmt: skip
    default = encode_query(replace(state, data=None)) or "."
    try:
        report, meta = _report(state)
    except DatasetUnavailable:  # the store did not answer: never say the table is gone
        here = encode_query(state) or "."
        out.update(banner=upload_panel.unreachable(lang, here, default), banner_hidden=False)
        return out
    if report is None:  # removed or expired: say so (nothing else is shown in its place)
        why = why_gone(state.data)
        if why == "unreachable":
            here = encode_query(state) or "."
            out.update(banner=upload_panel.unreachable(lang, here, default), banner_hidden=False)
        else:
            days = _uploads.config.upload_max_age_days if _uploads is not None else 0
            out.update(banner=upload_panel.gone(lang, default, why, days), banner_hidden=False)
        return out
    ds = store().default
    if meta is not None:
        table = t("upload_table", lang, name=meta["name"], rows=meta["rows"], date=meta["uploaded"])
    elif ds.bundled or not report.problems:
        # The bundled table's notes (development zones placed a level up, undated rows) are not
        # shown here: nothing may push the map out of the first screen (1280x720); the views
        # note the undated rows, and `--check` lists every note.
        return out
    else:
        table = t("upload_default_table", lang, name=ds.label, rows=ds.rows)
    out.update(
        table=table,
        banner=upload_panel.banner(report, lang),
        banner_hidden=(state.data or DEFAULT) in (dismissed or []),
        dismiss_hidden=False,
        remove_hidden=meta is None,
        report_hidden=not report.problems,
        title=t("upload_problems", lang, n=len(report.problems)),
        columns=upload_panel.problem_columns(lang),
        # the bundled pilot layer is not an uploaded table's
        pilots_style={"display": "none"} if meta is not None else {},
    )
    if meta is not None and meta.get("roles"):  # the column panel (after every upload)
        out.update(colpanel=upload_panel.column_panel(meta, lang), colpanel_hidden=False)
    if meta is not None and state.data:  # the unplaced names (callbacks/reconcile.py)
        aliases = (meta.get("options") or {}).get("aliases") or []
        pairs = [(str(a), str(b)) for a, b in aliases]
        out.update(reconcile_panel.content(report.groups, pairs, state.data, lang))
    return out


REPORT = {
    "rows": Output(ids.UPLOAD_PROBLEMS_GRID, "rowData"),
    "note": Output(ids.UPLOAD_FILTER_NOTE, "children"),
    "note_hidden": Output(ids.UPLOAD_FILTER_BOX, "hidden"),
    "csv": Output(ids.UPLOAD_PROBLEMS_CSV, "href"),
}


def report_rows(search: str | None, group: dict | None) -> dict[str, Any]:
    """``REPORT``: the check report's rows, every problem or only those of the rows a banner link
    named (not placed, undated) for this table, said above the grid with the way back to all.
    Sent with the views when the table or language changes (``callbacks.interaction``), and on a
    banner link (``pick_group``)."""
    return rows_for(parse_query(search if isinstance(search, str) else None), group)


def rows_for(state: ViewState, group: dict | None) -> dict[str, Any]:
    """``report_rows`` of a view already read from its URL (``state``, as the link says)."""
    table = state.data or DEFAULT
    picked = group.get("group") if isinstance(group, dict) and group.get("table") == table else None
    try:
        report, _ = _report(state)
    except DatasetUnavailable:
        report = None
    if report is None:
        return {"rows": [], "note": "", "note_hidden": True, "csv": ""}
    only = picked if report.filters(picked) else None
    csv = f"upload/{table}/problems.csv" + (f"?only={only}" if only else "")
    note = upload_panel.filter_note(report, only, state.lang)
    return {"rows": report.rows(only), "note": note, "note_hidden": not note, "csv": csv}


@callback(
    output={
        "group": Output(ids.UPLOAD_GROUP, "data"),
        **{
            k: Output(o.component_id, o.component_property, allow_duplicate=True)
            for k, o in REPORT.items()
        },
    },
    inputs={
        "see": Input({"type": ids.UPLOAD_SEE, "group": ALL}, "n_clicks"),
        "show_all": Input(ids.UPLOAD_SHOW_ALL, "n_clicks"),
    },
    state={"search": State(ids.URL, "search")},
    prevent_initial_call=True,
)
@guarded
def pick_group(see: list, show_all: int | None, search: str | None) -> dict[str, Any]:
    """A banner link filters the report to its rows ("all": none), for the table it belongs to
    (another table's report opens unfiltered); "show all" clears it."""
    hit = ctx.triggered[0] if ctx.triggered else {}
    if not hit.get("value"):
        raise PreventUpdate  # links drawn anew (no click)
    state = parse_query(search if isinstance(search, str) else None)
    trigger = ctx.triggered_id
    group = trigger.get("group") if isinstance(trigger, dict) else None
    picked = {"table": state.data or DEFAULT, "group": group if group in GROUPS else None}
    return {"group": picked, **report_rows(search, picked)}


# Dismissing the banner keeps it closed for this table for the rest of the browser session.
clientside_callback(
    """function(n, search, seen) {
        var id = new URLSearchParams(search || "").get("data") || "default";
        if (!n) { return window.dash_clientside.no_update; }
        var out = (seen || []).slice(); if (out.indexOf(id) < 0) { out.push(id); }
        return out;
    }""",
    Output(ids.UPLOAD_DISMISSED, "data"),
    Input(ids.UPLOAD_DISMISS, "n_clicks"),
    State(ids.URL, "search"),
    State(ids.UPLOAD_DISMISSED, "data"),
    prevent_initial_call=True,
)
