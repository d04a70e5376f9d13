"""Your own table: the upload routes (plain Flask: the file is the request body, sent with
progress by ``assets/upload.js``) and the callbacks that show which table a view has and its check
report. Wiring only: ``data.uploads`` checks, parses and stores.

- ``POST {prefix}upload?name=FILE[&map=JSON][&datum=gcj02]``: the table's id, rows and problems
  (200), or an ``error`` (400; 413 over the size limit) and, when a needed column was not
  recognised, the ``columns`` to choose from. Nothing is stored unless the table is usable.
- ``GET {prefix}upload/template.(csv|xlsx)?lang=zh|en``: the template.
- ``GET {prefix}upload/<id>/problems.csv``: the check report of a stored table.
- ``POST {prefix}upload/<id>/remove``: deletes it from the store.
There is deliberately no route that lists tables.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, callback, clientside_callback

from callbacks.context import guarded
from data.state import encode_query, parse_query
from data.uploads import Uploads, problems_csv, template_bytes
from layouts import ids, upload_panel
from layouts.i18n import t

log = logging.getLogger("policy_atlas.upload")
_uploads: Uploads | None = None
CHUNK = 1 << 20


def _read_body(request: Any, limit: int) -> bytes | None:
    """The request body, at most ``limit`` + 1 bytes; None when the client went away early."""
    from werkzeug.exceptions import ClientDisconnected

    chunks, got = [], 0
    try:
        while got <= limit:
            chunk = request.stream.read(CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except (ClientDisconnected, OSError):
        return None
    expected = request.content_length
    if expected is not None and got < expected and got <= limit:
        return None
    return b"".join(chunks)


def _upload_response(uploads: Uploads) -> tuple[dict, int]:
    from flask import request

    name = request.args.get("name", "")
    limit = uploads.max_bytes
    too_big = {"error": f"{name}: over the upload limit of {uploads.config.upload_max_mb} MB"}
    if request.content_length is not None and request.content_length > limit:
        return too_big, 413
    body = _read_body(request, limit)
    if body is None:
        log.info("upload of %r interrupted; nothing stored", name[:80])
        return {"error": "the upload was interrupted; nothing was stored"}, 400
    if len(body) > limit:
        return too_big, 413
    try:
        mapping = json.loads(request.args.get("map") or "{}")
        mapping = {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else {}
    except ValueError:
        mapping = {}
    try:
        out = uploads.ingest(name, body, mapping, request.args.get("datum", "wgs84"))
    except Exception as exc:  # the page gets a message, the log one line, never a traceback
        log.warning("upload of %r failed: %s: %s", name[:80], type(exc).__name__, str(exc)[:200])
        return {"error": f"{name}: the file could not be read or stored; nothing was stored"}, 400
    if out.error:
        log.info("upload of %r refused: %s", name[:80], out.error[:200])
        return out.as_dict(), 400
    log.info("upload stored: %d rows, %d problems, %.3f s", out.rows, out.problems, out.seconds)
    return out.as_dict(), 200


def install(app: Dash, uploads: Uploads) -> None:
    """The upload routes on ``app``'s server; the panel's callbacks read from ``uploads``."""
    global _uploads
    _uploads = uploads
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"

    @server.post(prefix + "upload")
    def upload():
        return _upload_response(uploads)

    @server.get(prefix + "upload/template.<ext>")
    def template(ext: str):
        from flask import Response, abort, request

        if ext not in ("csv", "xlsx"):
            abort(404)
        lang = "en" if request.args.get("lang") == "en" else "zh"
        mime = "text/csv" if ext == "csv" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
        name = f"policy-atlas-template-{lang}.{ext}"
        disposition = {"Content-Disposition": f"attachment; filename={name}"}
        return Response(template_bytes(lang, ext), mimetype=mime, headers=disposition)

    @server.get(prefix + "upload/<table_id>/problems.csv")
    def problems(table_id: str):
        from flask import Response, abort

        meta = uploads.meta(table_id)
        if meta is None:
            abort(404)
        disposition = {"Content-Disposition": "attachment; filename=problems.csv"}
        return Response(problems_csv(meta), mimetype="text/csv", headers=disposition)

    @server.post(prefix + "upload/<table_id>/remove")
    def remove(table_id: str):
        removed = uploads.remove(table_id)
        log.info("upload removed: %s", removed)
        return {"removed": removed}, (200 if removed else 404)


PANEL = {
    "table": Output(ids.UPLOAD_TABLE, "children"),
    "banner": Output(ids.UPLOAD_BANNER, "children"),
    "banner_hidden": Output(ids.UPLOAD_BANNER_BOX, "hidden"),
    "dismiss_hidden": Output(ids.UPLOAD_DISMISS, "hidden"),
    "remove_hidden": Output(ids.UPLOAD_REMOVE, "hidden"),
    "report_hidden": Output(ids.UPLOAD_PROBLEMS, "hidden"),
    "title": Output(ids.UPLOAD_PROBLEMS_TITLE, "children"),
    "rows": Output(ids.UPLOAD_PROBLEMS_GRID, "rowData"),
    "columns": Output(ids.UPLOAD_PROBLEMS_GRID, "columnDefs"),
    "csv": Output(ids.UPLOAD_PROBLEMS_CSV, "href"),
    "pilots_style": Output(ids.PILOTS, "style"),
}


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
    """Which table the view shows, its banner and its check report (nothing for the default)."""
    state = parse_query(search if isinstance(search, str) else None)
    lang = state.lang
    out: dict[str, Any] = {
        "table": "", "banner": "", "banner_hidden": True, "dismiss_hidden": True,
        "remove_hidden": True, "report_hidden": True, "title": "", "rows": [], "columns": [],
        "csv": "", "pilots_style": {},
    }  # fmt: skip
    if not state.data or _uploads is None:
        return out
    meta = _uploads.meta(state.data)
    if meta is None:  # removed or expired: say so, offer the bundled table
        bundled = encode_query(replace(state, data=None)) or "."
        out.update(banner=upload_panel.gone(lang, bundled), banner_hidden=False)
        return out
    problems = meta.get("problems", [])
    out.update(
        table=t(
            "upload_table", lang, name=meta["name"], rows=meta["rows"], date=meta["uploaded"]
        ),  # fmt: skip
        banner=upload_panel.banner(meta, lang),
        banner_hidden=state.data in (dismissed or []),
        dismiss_hidden=False,
        remove_hidden=False,
        report_hidden=not problems,
        title=t("upload_problems", lang, n=len(problems)),
        rows=problems,
        columns=upload_panel.problem_columns(lang),
        csv=f"upload/{state.data}/problems.csv",
        pilots_style={"display": "none"},  # the bundled pilot layer is not this table's
    )
    return out


# Dismissing the banner keeps it closed for this table for the rest of the browser session.
clientside_callback(
    """function(n, search, seen) {
        var id = new URLSearchParams(search || "").get("data");
        if (!n || !id) { return window.dash_clientside.no_update; }
        var out = (seen || []).slice(); if (out.indexOf(id) < 0) { out.push(id); }
        return out;
    }""",
    Output(ids.UPLOAD_DISMISSED, "data"),
    Input(ids.UPLOAD_DISMISS, "n_clicks"),
    State(ids.URL, "search"),
    State(ids.UPLOAD_DISMISSED, "data"),
    prevent_initial_call=True,
)
