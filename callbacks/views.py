"""URL -> every view. A change of filters sends a ``Patch`` of the arrays that changed; a change of
map level, measure or language redraws the figures (boundaries still come by URL, never inline)."""

from __future__ import annotations

from dash import Input, Output, Patch, State, callback, no_update

from data.dataset import current
from data.state import parse_query
from layouts import viewmodel
from layouts.components import beside, chips, notes

FIGURES = ["map", "timeline", "bd-incentive", "bd-type", "bd-level", "bd-stance"]


def to_patch(updates: dict[tuple, object]) -> Patch:
    """A Dash ``Patch`` that sets each path (``("data", 0, "z")``) to its value."""
    patch = Patch()
    for path, value in updates.items():
        target = patch
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return patch


@callback(
    *[Output(f, "figure") for f in FIGURES],
    Output("summary", "children"),
    Output("map-beside", "children"),
    Output("chips", "children"),
    Output("clear-all", "hidden"),
    Output("url-notes", "children"),
    Output("root", "className"),
    Output("drill-btn", "children"),
    Output("drill-btn", "hidden"),
    Output("back-btn", "hidden"),
    Output("gdp-year", "style"),
    Output("pilot-field", "style"),
    Output("table", "columnDefs"),
    Output("pilot-table", "rowData"),
    Output("pilot-table", "columnDefs"),
    Output("rendered", "data"),
    Output("rendered-search", "children"),
    Input("url", "search"),
    State("rendered", "data"),
)
def render(search, rendered):
    ds = current()
    state = parse_query(search)
    key = viewmodel.view_key(state)
    full = rendered is None or rendered.get("key") != key
    v = viewmodel.views(ds, state, full=full)
    if full:
        figures = [v.figures[f] for f in FIGURES]
    else:
        figures = [to_patch(v.updates[f]) for f in FIGURES]
    lang_changed = rendered is None or rendered.get("lang") != state.lang
    drill = viewmodel.drill_button(ds, state)
    return (
        *figures,
        v.texts["summary"],
        beside(v.texts["beside"], v.texts["undated"]),
        chips(v.texts["chips"]),
        not v.texts["chips"],
        notes(state.notes, state.lang),
        f"lang-{state.lang}",
        drill or "",
        drill is None,
        not state.drill,
        {}
        if state.measure == "per_gdp" and viewmodel.effective_map_level(state) == "province"
        else {"display": "none"},
        {} if state.pilots else {"display": "none"},
        viewmodel.table_columns(state.lang) if lang_changed else no_update,
        viewmodel.pilot_rows(ds, state) if full else no_update,
        viewmodel.pilot_columns(state.lang) if lang_changed else no_update,
        {"key": key, "lang": state.lang},
        "" if search in (None, "", "?") else search,  # as location.search spells it
    )
