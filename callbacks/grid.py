"""The grid asks for a block of rows; the answer is that block for the view in the URL."""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback

from callbacks.context import guarded, view
from data import table
from layouts import ids


@callback(
    Output(ids.TABLE, "getRowsResponse"),
    Input(ids.TABLE, "getRowsRequest"),
    State(ids.URL, "search"),
    State(ids.TABLE_SEARCH, "value"),
    prevent_initial_call=True,
)
@guarded
def rows_block(request: dict | None, search: str | None, quick: str | None) -> dict:
    if not isinstance(request, dict) or not request:
        return {"rowData": [], "rowCount": 0}
    state, ds = view(search)
    rows, count = table.block(
        ds.index,
        state,
        ds.name_of,
        start=request.get("startRow", 0),
        end=request.get("endRow", 100),
        sort_model=request.get("sortModel"),
        filter_model=request.get("filterModel"),
        quick=(quick if isinstance(quick, str) else "")[:200],
    )
    return {"rowData": rows, "rowCount": count}


# A new view (URL) or a new "find in table" text: drop the rows the grid holds, so it asks again.
clientside_callback(
    """async function(search, quick) {
        const api = await dash_ag_grid.getApiAsync("table");
        api.purgeInfiniteCache();
        return window.dash_clientside.no_update;
    }""",
    Output(ids.TABLE, "className"),
    Input(ids.URL, "search"),
    Input(ids.TABLE_SEARCH, "value"),
    prevent_initial_call=True,
)
