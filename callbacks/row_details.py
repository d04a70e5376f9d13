"""A click (or Enter) on a grid row opens that policy's detail panel; Close hides it."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, clientside_callback, ctx, html

from callbacks.service.context import guarded, view
from data.details import policy_details
from layouts import ids
from layouts.detail import detail_panel
from layouts.i18n import t

# The grid reports the clicked row's position; the row's own number (its spreadsheet line) is in
# the data the grid holds, read where it is.
clientside_callback(
    """async function(cell) {
        if (!cell) { return window.dash_clientside.no_update; }
        const api = await dash_ag_grid.getApiAsync('table');
        const node = api.getDisplayedRowAtIndex(cell.rowIndex);
        if (!node || !node.data) { return window.dash_clientside.no_update; }
        return {row: node.data.row, at: cell.timestamp || Date.now()};
    }""",
    Output(ids.DETAIL_ROW, "data"),
    Input(ids.TABLE, "cellClicked"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.DETAIL_BODY, "children"),
    Output(ids.DETAIL, "hidden"),
    Input(ids.DETAIL_ROW, "data"),
    Input(ids.DETAIL_CLOSE, "n_clicks"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
@guarded
def show_details(picked: dict | None, _close: Any, search: str | None) -> tuple:
    row = picked.get("row") if isinstance(picked, dict) else None
    if ctx.triggered_id == ids.DETAIL_CLOSE or not isinstance(row, int) or isinstance(row, bool):
        return [], True  # closed, or not a row the grid sends (a forged request)
    state, ds = view(search)
    if ds.gone:  # the table went: say so, never another table's row
        return [html.P(t(f"gone_short_{ds.gone}", state.lang), className="detail-gone")], False
    fields = policy_details(ds.frame, row, state.lang, ds.name_of)
    return detail_panel(fields, state.lang), not fields


# The panel takes the focus when it opens (a keyboard user lands on it).
clientside_callback(
    """function(hidden) {
        window.setTimeout(function() {
            const panel = document.getElementById('detail');
            if (panel && !hidden) { panel.focus(); panel.scrollIntoView({block: 'nearest'}); }
        }, 30);
        return window.dash_clientside.no_update;
    }""",
    Output(ids.DETAIL, "className"),
    Input(ids.DETAIL, "hidden"),
    prevent_initial_call=True,
)
