"""One round trip per interaction: a control, chart or chip event comes in, and the new URL, the
controls it changed, every view, the measure menu, the grid's first block, and (when the language
or the table changes) the widgets' texts and the upload panel go out in the same response. A URL
change (the back button, a link, the player, an upload) comes in the same way and gets the
controls and the views.

The rules stay in Python, defined once: ``callbacks.url_sync`` (event -> state, state ->
controls), ``callbacks.views`` (state -> views, patches of what changed). Dash allows the cycle
(the URL and the controls are inputs and outputs) because it is inside one callback; a callback
does not trigger itself with its own outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dash import ALL, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks import grid, language, measure_choice, upload, url_sync, views
from callbacks.service.context import dataset_for, guarded
from data.dataset import Dataset
from data.state import ViewState, encode_query, parse_query, settled
from layouts import ids, own_dimensions

OUTPUTS: dict[str, Any] = {
    "url": Output(ids.URL, "search"),
    "controls": {url_sync.key(c, p): Output(c, p) for c, p in url_sync.CONTROLS},
    "own_controls": {url_sync.key(c, p): Output(c, p) for c, p in url_sync.OWN_CONTROLS},
    "views": views.OUTPUTS,
    "widgets": language.OUTPUTS,
    "measure": measure_choice.OUTPUTS,
    "grid_first": grid.OUTPUT,
    "upload": upload.PANEL,
    "report": upload.REPORT,
    "table": Output(ids.VIEW_TABLE, "data"),
    # the table's own dimensions: which charts and filters show, the slots' labels and options
    "dimensions": {url_sync.key(c, p): Output(c, p) for c, p in own_dimensions.PARTS},
}
INPUTS: dict[str, Any] = {
    "search": Input(ids.URL, "search"),
    "controls": {url_sync.key(c, p): Input(c, p) for c, p in url_sync.ALL_CONTROLS},
    "clicks": {url_sync.key(c, p): Input(c, p) for c, p in url_sync.CLICKS},
    "chips": Input({"type": ids.CHIP, "dim": ALL, "value": ALL}, "n_clicks"),
}
STATE: dict[str, Any] = {
    "rendered": State(ids.RENDERED, "data"),
    "shown": State(ids.LANG_SHOWN, "data"),
    "table": State(ids.VIEW_TABLE, "data"),
    "dismissed": State(ids.UPLOAD_DISMISSED, "data"),
    "grid_in_view": State(ids.GRID_IN_VIEW, "data"),
}


def respond(
    query: str | None,
    rendered: dict | None,
    shown: str | None,
    table: Any = None,
    dismissed: list | None = None,
    *,
    before: str | None = None,
    grid_in_view: object = None,
) -> dict[str, Any]:
    """``OUTPUTS`` for the view ``query``. ``before``: the query the event changed (then the URL
    is written and only the controls that changed are sent); None: the URL is already
    ``query`` and every control is set from it. ``table``: the table and language the page
    shows (the upload panel is sent when they change), ``dismissed``: banners closed.
    ``grid_in_view``: False when the page says the grid is off the screen (its rows are then
    fetched when it comes into view: ``callbacks.grid.unfetched``)."""
    asked = parse_query(query)  # as the link says (a table no longer stored is named, not dropped)
    return answer(
        Reading(query, asked, dataset_for(asked)),
        rendered,
        shown,
        table,
        dismissed,
        before=None if before is None else parse_query(before),
        grid_in_view=grid_in_view,
    )


@dataclass(frozen=True)
class Reading:
    """One reading of the URL a response is for: its query string, the state as the link says
    (``asked``: a table no longer stored is named, not dropped) and the table it views."""

    query: str | None
    asked: ViewState
    dataset: Dataset


def answer(
    reading: Reading,
    rendered: dict | None,
    shown: str | None,
    table: Any = None,
    dismissed: list | None = None,
    *,
    before: ViewState | None = None,
    grid_in_view: object = None,
) -> dict[str, Any]:
    """``respond`` for a URL already read: everything below gets ``(state, dataset)``, nothing
    reads the URL again. ``before``: the state the event changed (None: a URL change)."""
    query, asked, ds = reading.query, reading.asked, reading.dataset
    state = ds.restrict(asked)
    now = f"{asked.data or ''}|{asked.lang}"
    if ds.gone:  # the table went under an open page: its banner is sent whatever the page had
        table = None
    return {
        "url": no_update if before is None else (query or "?"),
        "controls": url_sync.controls_for(
            replace(asked, freq=state.freq),  # the step the data picked when none is asked
            before,
        ),
        "own_controls": url_sync.own_controls_for(asked, ds, before),
        "views": views.render_view(state, ds, query, rendered),
        "widgets": language.widget_texts(ds, state, shown),
        "measure": measure_choice.measure_menu(
            state, None if before is None or before.data != asked.data else ds.restrict(before)
        ),
        "grid_first": (
            grid.unfetched(query) if grid_in_view is False else grid.first_block(ds, state, query)
        ),
        "upload": (
            {k: no_update for k in upload.PANEL}
            if table == now
            else upload.panel_for(asked, dismissed)
        ),
        "report": (
            {k: no_update for k in upload.REPORT} if table == now else upload.rows_for(asked, None)
        ),
        "table": no_update if table == now else now,
        "dimensions": (
            {url_sync.key(c, p): no_update for c, p in own_dimensions.PARTS}
            if table == now
            else {url_sync.key(c, p): v for (c, p), v in own_dimensions.slots(ds).items()}
        ),
    }


# (copies: Dash merges the inputs into the state mapping it is given)
@callback(output=OUTPUTS, inputs=dict(INPUTS), state=dict(STATE), prevent_initial_call=True)
@guarded
def interact(
    search: str | None,
    controls: dict[str, Any],
    clicks: dict[str, Any],
    chips: list,
    rendered: dict | None,
    shown: str | None,
    table: Any,
    dismissed: list | None,
    grid_in_view: bool | None = None,
) -> dict[str, Any]:
    if ctx.triggered_id in (None, ids.URL):
        return respond(search, rendered, shown, table, dismissed, grid_in_view=grid_in_view)
    before = parse_query(search)  # the one reading of the URL for this click
    ds = dataset_for(before)  # an event never changes the table viewed
    after = url_sync.after_event(before, ds, ctx.triggered[0])
    if after is None:
        raise PreventUpdate  # nothing changed: a chip only drawn, a click on nothing
    # the new state as its URL reads (``settled``), not parsed back from the string written
    reading = Reading(encode_query(after), settled(after), ds)
    return answer(
        reading, rendered, shown, table, dismissed, before=before, grid_in_view=grid_in_view
    )
