"""The grid's rows, one block at a time (AG Grid's infinite row model).

The first block of a view (rows 0..BLOCK in the default order, no column sort or filter, no
"find in table" text) travels with the views (``callbacks.interaction``; the first page has it
too) into the ``GRID_FIRST`` store, and a clientside callback answers the grid's request for it
from there: no round trip behind the views. Any other block goes to ``rows_block``.

The grid off the screen gets no rows with a click (``unfetched``: the view's query string only):
its rows are dropped at once (a purge: never the last view's rows) and its request waits until it
comes near the screen (``assets/lazy_grid.js``, an IntersectionObserver), then goes to
``rows_block`` for the view shown then. The page says whether the grid is near the screen in the
``GRID_IN_VIEW`` store, which every interaction reads.
"""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback, no_update

from callbacks.service.context import guarded, view
from callbacks.views import as_location
from data import table
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids

#: The grid's block size (``cacheBlockSize`` in ``layouts/page.py``): the first block's rows.
BLOCK = 25

OUTPUT = Output(ids.GRID_FIRST, "data")


def first_block(ds: Dataset, state: ViewState, search: str | None) -> dict:
    """The view's first block, keyed by its query string: the grid's ``getRowsResponse`` with
    its rows as lists under one list of field names (the clientside answer below makes them the
    grid's row objects; each field name once, not once a row)."""
    rows, count = table.block(ds.index, state, ds.name_of, start=0, end=BLOCK)
    fields = list(rows[0]) if rows else []
    return {
        "search": as_location(search),
        "fields": fields,
        "rows": [[r.get(f) for f in fields] for r in rows],
        "rowCount": count,
    }


def unfetched(search: str | None) -> dict:
    """The first block of a view whose grid is off the screen: no rows, only the view it is for
    (the grid drops what it holds and asks for its rows when it comes into view)."""
    return {"search": as_location(search)}


def rows_of(first: dict) -> list[dict]:
    """The grid's row objects of a ``first_block`` (as the browser makes them)."""
    return [dict(zip(first["fields"], r, strict=True)) for r in first["rows"]]


@callback(
    Output(ids.TABLE, "getRowsResponse", allow_duplicate=True),
    Output(ids.UPLOAD_BANNER, "children", allow_duplicate=True),
    Output(ids.UPLOAD_BANNER_BOX, "hidden", allow_duplicate=True),
    Input(ids.GRID_REQUEST, "data"),
    State(ids.URL, "search"),
    State(ids.TABLE_SEARCH, "value"),
    prevent_initial_call=True,
)
@guarded
def rows_answer(request: dict | None, search: str | None, quick: str | None) -> tuple:
    """The block asked for and, when the view's table went (removed, expired, unreachable) under
    the open page, the banner saying so at once (a sort or a scroll is the first to notice)."""
    rows = rows_block(request, search, quick)
    state, ds = view(search)
    if not ds.gone:
        return rows, no_update, no_update
    from callbacks import upload

    panel = upload.panel(search, [])
    return rows, panel["banner"], panel["banner_hidden"]


@guarded
def rows_block(request: dict | None, search: str | None, quick: str | None) -> dict:
    """The grid's ``getRowsResponse`` for ``request`` (no rows of another table: a table that
    went gives none)."""
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


# The grid asks for a block: the first block of the view shown comes from the store, any other
# request is passed on to ``rows_block`` (through a store: one callback per output property),
# at once when the grid is in view, else when it comes into view (``assets/lazy_grid.js``).
clientside_callback(
    """function(request, first, search, quick) {
        const nu = window.dash_clientside.no_update;
        const lazy = window.paGrid;  // assets/lazy_grid.js: off the screen, asked when in view
        if (lazy) { lazy.watch(); }
        if (!request) { return [nu, nu]; }
        const here = (search && search !== '?') ? search : '';
        const sorted = request.sortModel && request.sortModel.length;
        const filtered = request.filterModel && Object.keys(request.filterModel).length;
        if (first && first.rows && first.search === here && !sorted && !filtered && !quick
                && (request.startRow || 0) === 0 && request.endRow === BLOCK) {
            const rowData = first.rows.map((r) => Object.fromEntries(
                first.fields.map((f, i) => [f, r[i]])));
            return [{rowData: rowData, rowCount: first.rowCount}, nu];
        }
        if (lazy && lazy.hold(request)) { return [nu, nu]; }
        return [nu, Object.assign({}, request, {asked: Date.now()})];  // each ask is new
    }""".replace("BLOCK", str(BLOCK)),
    Output(ids.TABLE, "getRowsResponse"),
    Output(ids.GRID_REQUEST, "data"),
    Input(ids.TABLE, "getRowsRequest"),
    State(ids.GRID_FIRST, "data"),
    State(ids.URL, "search"),
    State(ids.TABLE_SEARCH, "value"),
    prevent_initial_call=True,
)


# A new view (its first block arrives with it) or a new "find in table" text: drop the rows the
# grid holds, so it asks again (and the first block is already there to answer).
clientside_callback(
    """async function(first, quick) {
        const api = await dash_ag_grid.getApiAsync("table");
        api.purgeInfiniteCache();
        return window.dash_clientside.no_update;
    }""",
    Output(ids.TABLE, "className"),
    Input(ids.GRID_FIRST, "data"),
    Input(ids.TABLE_SEARCH, "value"),
    prevent_initial_call=True,
)
