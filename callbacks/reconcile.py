"""Reconciling unplaced names: the dropdowns' gazetteer search, "apply" (the stored table read
again with the choices, ``data.uploads.Uploads.with_aliases``: a new table id in the URL, so the
link reproduces the choices), "undo all", and the choices as a CSV
(``GET {prefix}upload/<id>/aliases.csv``). Wiring only."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from dash import ALL, MATCH, Dash, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.service.context import guarded
from data.dataset import DatasetUnavailable
from data.state import encode_query, parse_query
from data.uploads import Uploads
from geodata.resolver import place_label, search_places
from layouts import ids, reconcile_panel
from layouts.i18n import t

log = logging.getLogger("policy_atlas.reconcile")
_uploads: Uploads | None = None


def install(app: Dash, uploads: Uploads) -> None:
    """The aliases CSV route on ``app``'s server; the callbacks use ``uploads``."""
    global _uploads
    _uploads = uploads
    prefix = app.config.routes_pathname_prefix or "/"

    @app.server.get(prefix + "upload/<table_id>/aliases.csv")
    def aliases_csv(table_id: str):
        from flask import Response, abort

        from data.aliases import aliases_csv as to_csv

        try:
            meta = uploads.meta(table_id)
        except DatasetUnavailable:
            return {"error": "the table store cannot be reached right now"}, 503
        if meta is None:
            abort(404)
        pairs = [(str(a), str(b)) for a, b in (meta.get("options") or {}).get("aliases") or []]
        body = to_csv(pairs, _fields(uploads, meta))
        disposition = {"Content-Disposition": "attachment; filename=aliases.csv"}
        return Response(body, mimetype="text/csv", headers=disposition)


def _fields(uploads: Uploads, meta: dict) -> dict[str, str]:
    """The column each name was in, from the first reading's unplaced names (the later
    readings have placed them)."""
    first = uploads.meta(str(meta["original"])) if meta.get("original") else meta
    return {str(g.get("value")): str(g.get("field")) for g in (first or {}).get("groups") or ()}


@callback(
    Output({"type": ids.RECONCILE_PICK, "index": MATCH}, "options"),
    Input({"type": ids.RECONCILE_PICK, "index": MATCH}, "search_value"),
    State({"type": ids.RECONCILE_PICK, "index": MATCH}, "value"),
    State(ids.RECONCILE_NAMES, "data"),
    prevent_initial_call=True,
)
@guarded
def search(query: str | None, value: str | None, names: list | None) -> list[dict[str, str]]:
    """Typing in a name's dropdown searches the whole gazetteer (its candidates stay first)."""
    index = ctx.triggered_id["index"] if isinstance(ctx.triggered_id, dict) else None
    if not isinstance(index, int) or not isinstance(names, list) or index >= len(names):
        raise PreventUpdate
    candidates = names[index].get("candidates") or []
    found = []
    if isinstance(query, str) and query.strip():
        found = [(c, label) for c in search_places(query) if (label := place_label(c))]
    return reconcile_panel.search_options(candidates, found, value)


def _client() -> str:
    from flask import has_request_context, request

    from callbacks.intake import client_address

    return client_address(request) if has_request_context() else ""


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Output(ids.RECONCILE_STATUS, "children", allow_duplicate=True),
    Input(ids.RECONCILE_APPLY, "n_clicks"),
    Input(ids.RECONCILE_CLEAR, "n_clicks"),
    State({"type": ids.RECONCILE_PICK, "index": ALL}, "value"),
    State(ids.RECONCILE_NAMES, "data"),
    State(ids.URL, "search"),
    State(ids.UPLOAD_OWNER, "data"),
    prevent_initial_call=True,
)
@guarded
def apply(
    n_apply: int | None,
    n_clear: int | None,
    picks: list,
    names: list | None,
    search: str | None,
    owner: str | None = None,
) -> tuple[Any, Any]:
    """Read the table again with every choice made (or with none: "undo all"); the new table's
    id goes into the URL, which redraws every view and this section. The new reading belongs to
    whoever made it (``owner``: the secret the uploader's browser keeps), as the column panel's
    re-read does, so its uploader can remove it."""
    state = parse_query(search if isinstance(search, str) else None)
    lang = state.lang
    clear = ctx.triggered_id == ids.RECONCILE_CLEAR
    if not (n_clear if clear else n_apply) or _uploads is None or not state.data:
        raise PreventUpdate
    chosen: dict[str, str] = {}
    for i, code in enumerate(picks or []):
        if isinstance(code, str) and code and isinstance(names, list) and i < len(names):
            chosen[str(names[i]["name"])] = code
    if not chosen and not clear:
        return no_update, t("reconcile_none", lang)
    try:
        outcome = _uploads.with_aliases(
            state.data, chosen, owner=owner if isinstance(owner, str) else None, client=_client()
        )
    except DatasetUnavailable:
        return no_update, t("reconcile_failed", lang, error=t("upload_unreachable", lang))
    if outcome.error or not outcome.id:
        return no_update, t("reconcile_failed", lang, error=outcome.error or "")
    log.info("table %s read again with %d choice(s): %s", state.data[:12], len(chosen),
             outcome.id[:12])  # fmt: skip
    return encode_query(replace(state, data=outcome.id)), t("reconcile_applying", lang)
